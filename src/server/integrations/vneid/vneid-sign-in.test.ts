// Sign-in with VNeID end to end: the app in-process (app.inject) as the relying party, the VNeID simulator
// as a real process (oidc-provider), on SQLite and PostgreSQL. A free candidate's first visit makes an
// account and asks for a registration point; a school account is linked; every refusal is audited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDb } from '../../../../test/helpers/db.ts';
import { testApp } from '../../../../test/helpers/app.ts';
import { signInAtVneid, startSim, type TestSim } from '../../../../test/helpers/sims.ts';
import { buildWorld, quietEnv, type World } from '../../accounts/test-support.ts';
import { insertOrgUnits, orgIdForCode } from '../../org/org.repository.ts';
import { freePersonalNumber } from '../../../sims/shared/citizens.ts';
import type { Config } from '../../config.ts';
import { sessionCookieName, CSRF_HEADER } from '../../http/auth.ts';

const REDIRECT = 'http://127.0.0.1:9/api/auth/vneid/callback';

type Jar = Map<string, string>;
function keep(jar: Jar, res: LightMyRequestResponse): void {
  for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
    if (c.value === '' || (c.expires && c.expires.getTime() <= Date.now())) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

describeEachDb('sign-in with VNeID', (get) => {
  // a simulator of its own: the suites of the two databases may run at once, and one test takes it down
  let sim: TestSim;
  let app: FastifyInstance;
  let config: Config;
  let world: World;

  before(async () => {
    sim = await startSim('vneid', { args: ['--client-id', 'ghidanh-test', '--redirect-uri', REDIRECT], env: { VNEID_SIM_CLIENT_SECRET: 'test-secret' } });
    const built = await testApp(get().db, {
      env: quietEnv({ VNEID_ISSUER: sim.url, VNEID_CLIENT_ID: 'ghidanh-test', VNEID_CLIENT_SECRET: 'test-secret', VNEID_REDIRECT_URL: REDIRECT, VNEID_REQUIRED_LEVEL: '2' }),
    });
    app = built.app;
    config = built.config;
    world = await buildWorld(get().db, built.clock());
    await get().db.write((trx) =>
      insertOrgUnits(trx, [{ kind: 'point', code: '01900', name: 'Điểm tiếp nhận thí sinh tự do Hà Nội', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'free' }], built.clock()),
    );
  });
  after(async () => {
    await app?.close();
    await sim?.stop();
  });

  /** start → the simulator's login page → back to the callback; answers the callback's response and the jar */
  async function signIn(personalNumber: string, level: 1 | 2 = 2, jar: Jar = new Map()) {
    const start = await app.inject({ method: 'GET', url: '/api/auth/vneid/start', headers: { cookie: cookieHeader(jar) } });
    assert.equal(start.statusCode, 303, start.body);
    keep(jar, start);
    const to = new URL(start.headers.location as string);
    assert.equal(to.origin, sim.url);
    assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(to.searchParams.get('state') && to.searchParams.get('nonce') && to.searchParams.get('code_challenge'));
    const back = await signInAtVneid(to.href, personalNumber, level);
    const callbackPath = `/api/auth/vneid/callback${back.search}`;
    const res = await app.inject({ method: 'GET', url: callbackPath, headers: { cookie: cookieHeader(jar) } });
    keep(jar, res);
    return { res, jar, callbackPath, back, state: to.searchParams.get('state')! };
  }

  const refusalOf = (res: LightMyRequestResponse) => new URL(res.headers.location as string, 'http://x').searchParams.get('vneid_error');
  const lastRefusal = async () =>
    get()
      .db.read.selectFrom('audit_log')
      .select(['action', 'details', 'target_id'])
      .where('action', '=', 'auth.vneid_refused')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
  const me = async (jar: Jar) => app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookieHeader(jar) } });

  test('the sign-in methods say VNeID is on', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/methods' });
    assert.deepEqual(res.json(), { password: true, vneid: { enabled: true, startUrl: '/api/auth/vneid/start', requiredLevel: 2 } });
  });

  test('a free candidate’s first sign-in makes one account from the claims, which chooses a point; the next sign-in finds it', async () => {
    const number = freePersonalNumber(0);
    const first = await signIn(number);
    assert.equal(first.res.statusCode, 303);
    assert.equal(first.res.headers.location, '/registration-point');
    const who = await me(first.jar);
    assert.equal(who.statusCode, 200);
    const user = who.json().user;
    assert.equal(user.username, number);
    assert.equal(user.role, 'candidate');
    assert.equal(user.displayName, 'Đinh Thị Hoa');
    assert.equal(user.mustChangePassword, false);

    const csrf = first.jar.get('ghidanh_csrf')!;
    const options = await app.inject({ method: 'GET', url: '/api/registration-point/options', headers: { cookie: cookieHeader(first.jar) } });
    assert.equal(options.statusCode, 200, options.body);
    assert.equal(options.json().needed, true);
    assert.deepEqual(options.json().identity, { fullName: 'Đinh Thị Hoa', dateOfBirth: '2006-05-19', gender: 'F' });
    const hanoi = options.json().departments.find((d: { code: string }) => d.code === '01');
    assert.equal(hanoi.points[0].code, '01900');
    // a school point is not a choice for a free candidate
    const wrong = await app.inject({ method: 'POST', url: '/api/registration-point', headers: { cookie: cookieHeader(first.jar), [CSRF_HEADER]: csrf }, payload: { pointId: world.orgs.p01 } });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'POINT_NOT_FOR_FREE_CANDIDATES');
    const chosen = await app.inject({ method: 'POST', url: '/api/registration-point', headers: { cookie: cookieHeader(first.jar), [CSRF_HEADER]: csrf }, payload: { pointId: orgIdForCode('01900') } });
    assert.equal(chosen.statusCode, 200, chosen.body);
    assert.equal(chosen.json().pointCode, '01900');
    const again = await app.inject({ method: 'POST', url: '/api/registration-point', headers: { cookie: cookieHeader(first.jar), [CSRF_HEADER]: csrf }, payload: { pointId: orgIdForCode('01900') } });
    assert.equal(again.statusCode, 409);

    const cand = await get().db.read.selectFrom('candidates').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(cand.full_name, 'ĐINH THỊ HOA'); // the candidate record keeps names in capitals, as on the birth certificate
    assert.equal(cand.date_of_birth, '2006-05-19');
    assert.equal(cand.gender, 'F');
    assert.equal(cand.candidate_type, 'free');
    assert.equal(cand.identity_source, 'vneid');
    assert.ok(cand.identity_verified_at);
    assert.equal(cand.point_id, orgIdForCode('01900'));
    // the dossier is now reachable for this candidate
    const dossier = await app.inject({ method: 'GET', url: '/api/dossier', headers: { cookie: cookieHeader(first.jar) } });
    assert.equal(dossier.statusCode, 200, dossier.body);

    const second = await signIn(number);
    assert.equal(second.res.headers.location, '/candidate');
    assert.equal((await me(second.jar)).json().user.id, user.id);
    const accounts = await get().db.read.selectFrom('users').select('id').where('username', '=', number).execute();
    assert.equal(accounts.length, 1);
    const audit = await get().db.read.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', user.id).execute();
    assert.ok(audit.some((a) => a.action === 'account.vneid_created'));
    assert.ok(audit.every((a) => !(a.details ?? '').includes(number)), 'the audit trail holds no full personal number');
  });

  test('a school-issued account with the same personal number is linked, not duplicated', async () => {
    const number = world.usernames['candidateA']!;
    await sim.seed('/__citizens', { personalNumber: number, fullName: 'Nguyễn Văn candidateA', dateOfBirth: '2008-01-01', gender: 'M' });
    const { res, jar } = await signIn(number);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/candidate');
    assert.equal((await me(jar)).json().user.id, world.ids.candidateA);
    const cand = await get().db.read.selectFrom('candidates').select(['identity_source']).where('user_id', '=', world.ids.candidateA).executeTakeFirstOrThrow();
    assert.equal(cand.identity_source, 'vneid');
    const link = await get().db.read.selectFrom('external_identities').selectAll().where('subject', '=', number).executeTakeFirstOrThrow();
    assert.equal(link.user_id, world.ids.candidateA);
    assert.equal(link.level, 2);
    const linked = await get().db.read.selectFrom('audit_log').select('action').where('target_id', '=', world.ids.candidateA).where('action', '=', 'account.vneid_linked').execute();
    assert.equal(linked.length, 1);
  });

  test('refused: an identity of level 1', async () => {
    const { res, jar } = await signIn(freePersonalNumber(1), 1);
    assert.equal(refusalOf(res), 'VNEID_LEVEL_TOO_LOW');
    assert.equal(res.headers.location, '/sign-in?vneid_error=VNEID_LEVEL_TOO_LOW');
    assert.equal(jar.get(sessionCookieName(config)), undefined, 'no session');
    const a = await lastRefusal();
    assert.match(a.details ?? '', /VNEID_LEVEL_TOO_LOW/);
    assert.equal((await get().db.read.selectFrom('users').select('id').where('username', '=', freePersonalNumber(1)).execute()).length, 0, 'no account was made');
  });

  test('refused: a missing claim', async () => {
    await sim.seed('/__citizens', { personalNumber: '001206888881', fullName: 'Vi Thị Thiếu', dateOfBirth: '2006-01-01', gender: 'F', omitClaims: ['NgayThangNamSinh'] });
    const { res } = await signIn('001206888881');
    assert.equal(refusalOf(res), 'VNEID_MISSING_CLAIM');
    assert.match((await lastRefusal()).details ?? '', /NgayThangNamSinh/);
  });

  test('refused: the existing account disagrees on the date of birth', async () => {
    const number = world.usernames['candidateB']!;
    await sim.seed('/__citizens', { personalNumber: number, fullName: 'Nguyễn Văn candidateB', dateOfBirth: '2008-01-02', gender: 'M' });
    const { res } = await signIn(number);
    assert.equal(refusalOf(res), 'VNEID_BIRTH_DATE_MISMATCH');
    const a = await lastRefusal();
    assert.equal(a.target_id, world.ids.candidateB);
    assert.ok(!(a.details ?? '').includes(number), 'masked in the audit');
    assert.equal((await get().db.read.selectFrom('external_identities').select('user_id').where('subject', '=', number).execute()).length, 0, 'not linked');
  });

  test('refused: a replayed callback, a forged state, a callback from another browser, a reused code, a tampered nonce', async () => {
    const first = await signIn(freePersonalNumber(2));
    assert.equal(first.res.statusCode, 303);
    assert.equal(refusalOf(first.res), null);

    // the same callback again (state already used)
    const replay = await app.inject({ method: 'GET', url: first.callbackPath, headers: { cookie: cookieHeader(first.jar) } });
    assert.equal(refusalOf(replay), 'VNEID_INVALID_CALLBACK');
    assert.match((await lastRefusal()).details ?? '', /state_used/);

    // a state this app never issued
    const forged = await app.inject({ method: 'GET', url: `/api/auth/vneid/callback?code=abc&state=forged-state` });
    assert.equal(refusalOf(forged), 'VNEID_INVALID_CALLBACK');
    assert.match((await lastRefusal()).details ?? '', /state_unknown/);

    // a genuine callback, brought back by a browser that did not start it (login CSRF)
    const start = await app.inject({ method: 'GET', url: '/api/auth/vneid/start' });
    const back = await signInAtVneid(start.headers.location as string, freePersonalNumber(2));
    const elsewhere = await app.inject({ method: 'GET', url: `/api/auth/vneid/callback${back.search}` });
    assert.equal(refusalOf(elsewhere), 'VNEID_INVALID_CALLBACK');
    assert.match((await lastRefusal()).details ?? '', /other_browser/);

    // the first flow's code, with a fresh attempt's state: the provider refuses a code used once
    const jar: Jar = new Map();
    const fresh = await app.inject({ method: 'GET', url: '/api/auth/vneid/start' });
    keep(jar, fresh);
    const state = new URL(fresh.headers.location as string).searchParams.get('state')!;
    const reused = new URLSearchParams(first.back.search);
    reused.set('state', state);
    const codeReuse = await app.inject({ method: 'GET', url: `/api/auth/vneid/callback?${reused}`, headers: { cookie: cookieHeader(jar) } });
    assert.equal(refusalOf(codeReuse), 'VNEID_INVALID_CALLBACK');

    // an attempt whose nonce does not match the ID token's (as if the token were for another attempt)
    const jar2: Jar = new Map();
    const start2 = await app.inject({ method: 'GET', url: '/api/auth/vneid/start' });
    keep(jar2, start2);
    const state2 = new URL(start2.headers.location as string).searchParams.get('state')!;
    await get().db.write((trx) => trx.updateTable('oidc_sign_ins').set({ nonce: 'not-the-nonce-sent' }).where('state', '=', state2).execute());
    const back2 = await signInAtVneid(start2.headers.location as string, freePersonalNumber(2));
    const badNonce = await app.inject({ method: 'GET', url: `/api/auth/vneid/callback${back2.search}`, headers: { cookie: cookieHeader(jar2) } });
    assert.equal(refusalOf(badNonce), 'VNEID_INVALID_CALLBACK');
    assert.equal(jar2.get(sessionCookieName(config)), undefined);
  });

  test('VNeID down: the start sends the person back with a clear message, and the link shows it', async () => {
    // a fresh app: its relying party has not discovered the provider yet
    const built = await testApp(get().db, { env: quietEnv({ VNEID_ISSUER: sim.url, VNEID_CLIENT_ID: 'ghidanh-test', VNEID_CLIENT_SECRET: 'test-secret', VNEID_REDIRECT_URL: REDIRECT, LINK_TIMEOUT_MS: '1000' }) });
    try {
      await sim.control({ mode: 'down' });
      const res = await built.app.inject({ method: 'GET', url: '/api/auth/vneid/start' });
      assert.equal(res.headers.location, '/sign-in?vneid_error=VNEID_UNAVAILABLE');
    } finally {
      await sim.control({ mode: 'ok' });
      await built.app.close();
    }
  });
});

test('without the VNeID settings the button is off and the routes say so', async () => {
  const { createTestDb } = await import('../../../../test/helpers/db.ts');
  const t = await createTestDb('sqlite');
  const { app } = await testApp(t.db, { env: quietEnv() });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/methods' })).json().vneid.enabled, false);
    const start = await app.inject({ method: 'GET', url: '/api/auth/vneid/start' });
    assert.equal(start.headers.location, '/sign-in?vneid_error=VNEID_NOT_CONFIGURED');
  } finally {
    await app.close();
    await t.drop();
  }
});

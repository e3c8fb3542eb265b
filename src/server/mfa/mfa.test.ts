// The staff second factor end to end through the app, and the known-device cookie against an attacker
// spread over many addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp } from '../../../test/helpers/app.ts';
import { buildWorld, cookieFrom, quietEnv, sessionHeaders, WORLD_PASSWORD, type World } from '../accounts/test-support.ts';
import { THROTTLE_RULES } from '../accounts/throttle.ts';
import { totpCode, TOTP_PERIOD } from './totp.ts';
import { knownDeviceCookieName } from './known-device.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
const env = quietEnv({ MFA_REQUIRED_ROLES: 'ministry_admin,department_officer', AUTH_SECRET_KEY: 'k'.repeat(44) });

const signIn = (app: App, username: string, password = WORLD_PASSWORD, ip = '10.9.0.1', cookie?: string) =>
  app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress: ip, headers: cookie ? { cookie } : {} });

describeEachDb('staff second factor (TOTP, recovery codes, reset) and known devices', (get) => {
  let world: World;

  test('a department officer must enrol at sign-in; afterwards a code is needed, used once; a recovery code works once; all audited', async () => {
    const { app, clock, config } = await testApp(get().db, { env });
    world = await buildWorld(get().db, clock());
    const user = world.usernames['dept01']!;

    const first = await signIn(app, user);
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(first.json().next, 'enrol');
    assert.equal(first.cookies.length, 0, 'no session before the second factor');
    const challenge = first.json().challenge as string;

    const key = await app.inject({ method: 'POST', url: '/api/session/mfa/enrolment', payload: { challenge } });
    assert.equal(key.statusCode, 200, key.body);
    const secret = key.json().secret as string;
    assert.match(key.json().otpauthUri, /^otpauth:\/\/totp\//);
    assert.ok(key.json().qr.size >= 21 && key.json().qr.path.startsWith('M'));
    const row = await get().db.read.selectFrom('staff_mfa').selectAll().where('user_id', '=', world.ids.dept01).executeTakeFirstOrThrow();
    assert.ok(!row.secret_sealed.includes(secret), 'the secret is sealed at rest');

    const wrong = await app.inject({ method: 'POST', url: '/api/session/mfa/enrolment/confirm', payload: { challenge, code: '000000' === totpCode(secret, clock()) ? '111111' : '000000' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'MFA_CODE_INVALID');

    const ok = await app.inject({ method: 'POST', url: '/api/session/mfa/enrolment/confirm', payload: { challenge, code: totpCode(secret, clock()) } });
    assert.equal(ok.statusCode, 200, ok.body);
    const codes = ok.json().recoveryCodes as string[];
    assert.equal(codes.length, 10);
    assert.ok(cookieFrom(ok, config));
    const stored = await get().db.read.selectFrom('mfa_recovery_codes').select('code_hash').where('user_id', '=', world.ids.dept01).execute();
    assert.ok(stored.every((r) => r.code_hash.startsWith('$argon2id$')), 'recovery codes hashed like passwords');

    // the key is never shown again
    const again = await app.inject({ method: 'POST', url: '/api/session/mfa/enrolment', payload: { challenge } });
    assert.equal(again.statusCode, 409, 'an enrolled account gets no new key from an old challenge');
    assert.equal(again.json().error.code, 'MFA_ALREADY_ENROLLED');

    clock.advance(TOTP_PERIOD * 1000);
    const second = await signIn(app, user);
    assert.equal(second.statusCode, 202);
    assert.equal(second.json().next, 'code');
    const c2 = second.json().challenge as string;
    const code = totpCode(secret, clock());
    const good = await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge: c2, code } });
    assert.equal(good.statusCode, 200, good.body);
    assert.equal(good.json().user.role, 'department_officer');
    const replay = await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge: c2, code } });
    assert.equal(replay.statusCode, 401, 'a code is used once');

    // lost phone: a recovery code, typed in lower case without dashes, works once
    const typed = codes[0]!.replace(/-/g, '').toLowerCase();
    assert.equal((await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge: c2, code: typed } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge: c2, code: typed } })).statusCode, 401);

    // a forged or stale challenge opens nothing
    assert.equal((await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge: c2.slice(0, -2) + 'xx', code: totpCode(secret, clock()) } })).statusCode, 401);
    clock.advance(6 * 60_000);
    assert.equal((await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge: c2, code: totpCode(secret, clock()) } })).json().error.code, 'MFA_CHALLENGE_INVALID');

    const actions = (await get().db.read.selectFrom('audit_log').select('action').where('target_id', '=', world.ids.dept01).execute()).map((r) => r.action);
    for (const a of ['mfa.enrolment_started', 'mfa.enrolled', 'auth.second_factor_failed', 'mfa.recovery_code_used', 'auth.sign_in']) assert.ok(actions.includes(a), `audited: ${a}`);
    await app.close();
  });

  test('wrong codes are throttled per account', async () => {
    const { app, clock } = await testApp(get().db, { env });
    const first = await signIn(app, world.usernames['dept01']!, WORLD_PASSWORD, '10.9.1.1');
    const challenge = first.json().challenge as string;
    const codes = ['123456', '234567', '345678', '456789', '567890', '678901'];
    let last = 0;
    for (const code of codes.slice(0, THROTTLE_RULES.secondFactor.limit + 1)) last = (await app.inject({ method: 'POST', url: '/api/session/mfa', payload: { challenge, code } })).statusCode;
    assert.equal(last, 429);
    clock.advance(16 * 60_000);
    await app.close();
  });

  test('the level above resets a lost second factor (sessions end, audited); the same level and a candidate cannot; the others may enrol and turn it off', async () => {
    const { app, clock, config } = await testApp(get().db, { env });
    const target = world.ids.dept01;
    const reason = { reason: 'mất điện thoại và mã khôi phục' };
    const peer = await sessionHeaders(get().db, config, world.ids.dept01b, clock());
    assert.equal((await app.inject({ method: 'POST', url: `/api/users/${target}/mfa-reset`, headers: peer, payload: reason })).statusCode, 403);
    const ministry = await sessionHeaders(get().db, config, world.ids.ministry, clock());
    const r = await app.inject({ method: 'POST', url: `/api/users/${target}/mfa-reset`, headers: ministry, payload: reason });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await get().db.read.selectFrom('staff_mfa').select('user_id').where('user_id', '=', target).execute()).length, 0);
    const audit = await get().db.read.selectFrom('audit_log').selectAll().where('action', '=', 'mfa.reset').where('target_id', '=', target).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_id, world.ids.ministry);
    assert.equal((await signIn(app, world.usernames['dept01']!, WORLD_PASSWORD, '10.9.2.1')).json().next, 'enrol', 'enrols again at the next sign-in');

    // a point officer (not required) enrols from the account page, signs in with it, then turns it off
    const point = await sessionHeaders(get().db, config, world.ids.point01, clock());
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/account/mfa', headers: point })).json(), { enrolled: false, required: false, recoveryCodesLeft: 0 });
    const key = await app.inject({ method: 'POST', url: '/api/account/mfa/enrolment', headers: point });
    const secret = key.json().secret as string;
    const conf = await app.inject({ method: 'POST', url: '/api/account/mfa/enrolment/confirm', headers: point, payload: { code: totpCode(secret, clock()) } });
    assert.equal(conf.statusCode, 200, conf.body);
    assert.equal((await signIn(app, world.usernames['point01']!, WORLD_PASSWORD, '10.9.3.1')).json().next, 'code');
    clock.advance(TOTP_PERIOD * 1000);
    const off = await app.inject({ method: 'POST', url: '/api/account/mfa/turn-off', headers: point, payload: { code: totpCode(secret, clock()) } });
    assert.equal(off.statusCode, 204, off.body);
    assert.equal((await signIn(app, world.usernames['point01']!, WORLD_PASSWORD, '10.9.3.1')).statusCode, 200);

    const candidate = await sessionHeaders(get().db, config, world.ids.candidateA, clock());
    assert.equal((await app.inject({ method: 'POST', url: '/api/account/mfa/enrolment', headers: candidate })).statusCode, 403, 'candidates have no second factor');
    await app.close();
  });

  test("an attacker spread over many addresses locks the account for others, but not its owner's known device", async () => {
    const { app, config } = await testApp(get().db, { env });
    const user = world.usernames['point02']!;
    // the owner signed in before: the browser keeps the known-device cookie
    const before = await signIn(app, user, WORLD_PASSWORD, '10.20.0.1');
    assert.equal(before.statusCode, 200);
    const device = before.cookies.find((c) => c.name === knownDeviceCookieName(user))!;
    assert.ok(device && device.httpOnly && device.path === '/api/session');
    const deviceCookie = `${device.name}=${device.value}`;

    // 30 wrong passwords, four from each of many addresses: under the per-address limit everywhere
    for (let i = 0; i < THROTTLE_RULES.account.limit; i++) await signIn(app, user, 'doan-mo', `10.30.${Math.floor(i / 4)}.${i % 4}`);
    assert.equal((await signIn(app, user, WORLD_PASSWORD, '10.40.0.1')).statusCode, 429, 'the account-wide lock holds for a browser without the cookie');
    assert.equal((await signIn(app, user, WORLD_PASSWORD, '10.20.0.1', deviceCookie)).statusCode, 200, 'the owner with the known device gets in');

    // a forged cookie, or the cookie of another account, counts for nothing
    assert.equal((await signIn(app, user, WORLD_PASSWORD, '10.20.0.1', `${device.name}=${device.value.slice(0, -3)}abc`)).statusCode, 429);
    const other = await signIn(app, world.usernames['point01']!, WORLD_PASSWORD, '10.20.0.1');
    const otherDevice = other.cookies.find((c) => c.name === knownDeviceCookieName(world.usernames['point01']!))!;
    assert.equal((await signIn(app, user, WORLD_PASSWORD, '10.20.0.1', `${device.name}=${otherDevice.value}`)).statusCode, 429);

    // the cookie is no master key: wrong passwords with it are throttled on their own tight counter
    for (let i = 0; i < THROTTLE_RULES.knownDevice.limit; i++) assert.equal((await signIn(app, user, 'sai', '10.20.0.1', deviceCookie)).statusCode, 401);
    assert.equal((await signIn(app, user, WORLD_PASSWORD, '10.20.0.1', deviceCookie)).statusCode, 429);
    void config;
    await app.close();
  });
});

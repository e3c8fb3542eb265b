import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp } from '../../../test/helpers/app.ts';
import { buildWorld, cookieFrom, quietEnv, sessionHeaders, WORLD_PASSWORD, type World } from './test-support.ts';
import { THROTTLE_RULES } from './throttle.ts';

describeEachDb('throttling, resets, staff management and the audit trail', (get) => {
  let world: World;

  test('sign-in throttle: 429 with Retry-After and a bilingual message, the same for an unknown CCCD; it lifts by itself', async () => {
    const { app, clock } = await testApp(get().db, { env: quietEnv() });
    world = await buildWorld(get().db, clock());
    const attempt = (username: string, password: string, ip: string) => app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress: ip });
    const known = world.usernames['candidateB']!;
    for (let i = 0; i < THROTTLE_RULES.accountFromAddress.limit; i++) assert.equal((await attempt(known, 'wrong-guess', '10.1.0.1')).statusCode, 401);
    const blocked = await attempt(known, WORLD_PASSWORD, '10.1.0.1');
    assert.equal(blocked.statusCode, 429, 'even the right password waits: the throttle is checked before the hash');
    const retry = Number(blocked.headers['retry-after']);
    assert.ok(retry > 0 && retry <= 15 * 60);
    assert.equal(blocked.json().error.code, 'SIGN_IN_THROTTLED');
    assert.match(blocked.json().error.vi, /thử lại/);
    assert.match(blocked.json().error.en, /try again/);

    const unknown = '001208777777';
    for (let i = 0; i < THROTTLE_RULES.accountFromAddress.limit; i++) await attempt(unknown, 'wrong-guess', '10.1.0.1');
    const blockedUnknown = await attempt(unknown, 'wrong-guess', '10.1.0.1');
    assert.equal(blockedUnknown.statusCode, 429, 'an unknown username is throttled exactly like a known one');
    assert.deepEqual(Object.keys(blockedUnknown.json().error).sort(), Object.keys(blocked.json().error).sort());

    // not a lockout: the candidate at school (another address) still signs in, and the wait ends
    assert.equal((await attempt(known, WORLD_PASSWORD, '10.2.0.1')).statusCode, 200);
    clock.advance(15 * 60_000 + 1000);
    assert.equal((await attempt(known, WORLD_PASSWORD, '10.1.0.1')).statusCode, 200);
    await app.close();
  });

  test("a point resets its candidate's password: one-time, old sessions end, must change, audited with who and why", async () => {
    const { app, config, clock } = await testApp(get().db, { env: quietEnv() });
    const candidateSession = await sessionHeaders(get().db, config, world.ids.candidateA, clock());
    const officer = await sessionHeaders(get().db, config, world.ids.point01, clock());
    const r = await app.inject({ method: 'POST', url: `/api/users/${world.ids.candidateA}/password-reset`, headers: officer, payload: { reason: 'Thí sinh quên mật khẩu' } });
    assert.equal(r.statusCode, 200, r.body);
    const otp = r.json().oneTimePassword as string;
    assert.match(otp, /^\d{12}$/, 'a reset is read aloud: digits only');
    assert.ok(r.json().sessionsEnded >= 1);
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: candidateSession })).statusCode, 401);
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { username: world.usernames['candidateA'], password: otp } });
    assert.equal(signIn.statusCode, 200);
    assert.equal(signIn.json().user.mustChangePassword, true);
    const old = await app.inject({ method: 'POST', url: '/api/session', payload: { username: world.usernames['candidateA'], password: WORLD_PASSWORD }, remoteAddress: '10.3.0.1' });
    assert.equal(old.statusCode, 401);

    // reissuing invalidates the previous one-time password
    const r2 = await app.inject({ method: 'POST', url: `/api/users/${world.ids.candidateA}/password-reset`, headers: officer, payload: { reason: 'In lại phiếu' } });
    assert.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { username: world.usernames['candidateA'], password: otp }, remoteAddress: '10.3.0.2' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { username: world.usernames['candidateA'], password: r2.json().oneTimePassword } })).statusCode, 200);

    const audit = await get().db.read.selectFrom('audit_log').selectAll().where('action', '=', 'account.password_reset').where('target_id', '=', world.ids.candidateA).execute();
    assert.equal(audit.length, 2);
    assert.equal(audit[0]!.actor_id, world.ids.point01);
    assert.match(audit[0]!.details!, /quên mật khẩu|In lại/);
    assert.ok(!audit[0]!.details!.includes(world.usernames['candidateA']!), 'the CCCD is masked');
    await app.close();
  });

  test('resets outside the scope, or by a role that may not, are refused; nobody chooses the password', async () => {
    const { app, config, clock } = await testApp(get().db, { env: quietEnv() });
    const other = await sessionHeaders(get().db, config, world.ids.point02, clock());
    const dept = await sessionHeaders(get().db, config, world.ids.dept01, clock());
    const support = await sessionHeaders(get().db, config, world.ids.support01, clock());
    const url = `/api/users/${world.ids.candidateA}/password-reset`;
    assert.equal((await app.inject({ method: 'POST', url, headers: other, payload: { reason: 'thử' } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url, headers: dept, payload: { reason: 'thử' } })).statusCode, 403);
    const chosen = await app.inject({ method: 'POST', url, headers: support, payload: { reason: 'gọi tổng đài', password: 'my-choice-123' } });
    assert.equal(chosen.statusCode, 400, 'a body cannot carry a password');
    assert.equal((await app.inject({ method: 'POST', url, headers: support, payload: { reason: 'Tổng đài: thí sinh gọi lúc 9h' } })).statusCode, 200);
    const supportB = await app.inject({ method: 'POST', url: `/api/users/${world.ids.candidateB}/password-reset`, headers: support, payload: { reason: 'thử' } });
    assert.equal(supportB.statusCode, 403, 'a province desk stays in its province');
    await app.close();
  });

  test('a department creates, disables and re-enables its point officers; never another level or province; no body sets a role it does not manage', async () => {
    const { app, config, clock } = await testApp(get().db, { env: quietEnv() });
    const dept = await sessionHeaders(get().db, config, world.ids.dept01, clock());
    const created = await app.inject({
      method: 'POST',
      url: '/api/staff',
      headers: dept,
      payload: { username: 'diem.01001.moi', displayName: 'Cán bộ mới', role: 'point_officer', orgUnitId: world.orgs.p01 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().staff.id as string;
    const otp = created.json().oneTimePassword as string;
    const dup = await app.inject({ method: 'POST', url: '/api/staff', headers: dept, payload: { username: 'diem.01001.moi', displayName: 'X Y', role: 'point_officer', orgUnitId: world.orgs.p01 } });
    assert.equal(dup.statusCode, 409);
    for (const bad of [
      { role: 'department_officer', orgUnitId: world.orgs.d01 },
      { role: 'ministry_admin', orgUnitId: world.orgs.ministry },
      { role: 'point_officer', orgUnitId: world.orgs.p02 },
    ]) {
      const r = await app.inject({ method: 'POST', url: '/api/staff', headers: dept, payload: { username: `x.${bad.role.slice(0, 4)}`, displayName: 'Ai Đó', ...bad } });
      assert.equal(r.statusCode, 403, `${bad.role} at ${bad.orgUnitId}`);
    }
    const withStatus = await app.inject({ method: 'POST', url: '/api/staff', headers: dept, payload: { username: 'diem.x.y', displayName: 'Ai Đó', role: 'point_officer', orgUnitId: world.orgs.p01, status: 'active' } });
    assert.equal(withStatus.statusCode, 400);

    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'diem.01001.moi', password: otp } });
    assert.equal(signIn.statusCode, 200);
    const cookie = cookieFrom(signIn, config);
    const disabled = await app.inject({ method: 'POST', url: `/api/staff/${id}/disable`, headers: dept });
    assert.equal(disabled.statusCode, 200);
    assert.equal(disabled.json().status, 'disabled');
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: `/api/staff/${id}/enable`, headers: dept })).json().status, 'active');

    const list = await app.inject({ method: 'GET', url: '/api/staff', headers: dept });
    const roles = new Set((list.json().staff as Array<{ role: string }>).map((x) => x.role));
    assert.ok(!roles.has('department_officer') && !roles.has('ministry_admin'));
    const otherDept = await sessionHeaders(get().db, config, world.ids.dept02, clock());
    assert.equal((await app.inject({ method: 'POST', url: `/api/staff/${id}/disable`, headers: otherDept })).statusCode, 403);
    const ministry = await sessionHeaders(get().db, config, world.ids.ministry, clock());
    assert.equal((await app.inject({ method: 'POST', url: `/api/staff/${world.ids.dept02}/disable`, headers: ministry })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: `/api/staff/${world.ids.dept02}/enable`, headers: ministry })).statusCode, 200);
    await app.close();
  });

  test('an administrator ends a user’s sessions; the audit trail is read within scope only', async () => {
    const { app, config, clock } = await testApp(get().db, { env: quietEnv() });
    const victim = await sessionHeaders(get().db, config, world.ids.point01b, clock());
    const dept = await sessionHeaders(get().db, config, world.ids.dept01, clock());
    const r = await app.inject({ method: 'DELETE', url: `/api/users/${world.ids.point01b}/sessions`, headers: dept });
    assert.equal(r.statusCode, 200);
    assert.ok(r.json().sessionsEnded >= 1);
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: victim })).statusCode, 401);

    const a01 = await app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: dept });
    assert.equal(a01.statusCode, 200);
    const entries = a01.json().entries as Array<{ departmentCode: string | null; action: string }>;
    assert.ok(entries.length > 0);
    assert.ok(entries.every((e) => e.departmentCode === '01'));
    assert.ok(entries.some((e) => e.action === 'account.sessions_ended'));
    const point = await sessionHeaders(get().db, config, world.ids.point01, clock());
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit', headers: point })).statusCode, 403);
    await app.close();
  });
});

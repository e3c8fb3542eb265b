import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp } from '../../../test/helpers/app.ts';
import { buildWorld, cookieFrom, quietEnv, WORLD_PASSWORD, type World } from './test-support.ts';
import { sessionCookieName, CSRF_HEADER } from '../http/auth.ts';

describeEachDb('sign-in, sessions, sign-out and password change', (get) => {
  let world: World;

  async function signIn(app: Awaited<ReturnType<typeof testApp>>['app'], username: string, password = WORLD_PASSWORD, ip = '10.0.0.1') {
    return app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress: ip });
  }

  test('a staff member signs in: HttpOnly SameSite=Lax cookie, hashed token in the database, me answers', async () => {
    const { app, config, clock } = await testApp(get().db, { env: quietEnv() });
    world = await buildWorld(get().db, clock());
    const r = await signIn(app, world.usernames['point01']!);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.user.role, 'point_officer');
    assert.equal(body.user.mustChangePassword, false);
    assert.ok(body.csrfToken.length > 20);
    assert.equal(Object.keys(body.user).sort().join(','), 'departmentCode,displayName,id,mustChangePassword,orgUnitId,role,username');
    const c = r.cookies.find((x) => x.name === sessionCookieName(config))!;
    assert.ok(c.httpOnly);
    assert.equal(c.sameSite, 'Lax');
    assert.equal(c.secure, undefined); // COOKIE_SECURE is false for http://localhost
    assert.ok(c.value.length >= 43); // 256 bits, base64url
    const stored = await get().db.read.selectFrom('sessions').select('token_hash').where('user_id', '=', world.ids.point01).execute();
    assert.ok(stored.every((s) => s.token_hash !== c.value && s.token_hash.length === 64));
    const me = await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookieFrom(r, config) } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.id, world.ids.point01);
    assert.equal(me.json().csrfToken, body.csrfToken);
    await app.close();
  });

  test('usernames are matched as typed by people: a CCCD with spaces, a staff login in capitals', async () => {
    const { app } = await testApp(get().db, { env: quietEnv() });
    const cccd = world.usernames['candidateA']!;
    const spaced = `${cccd.slice(0, 3)} ${cccd.slice(3, 6)} ${cccd.slice(6)}`;
    assert.equal((await signIn(app, spaced)).statusCode, 200);
    assert.equal((await signIn(app, world.usernames['dept01']!.toUpperCase())).statusCode, 200);
    await app.close();
  });

  test('wrong password, unknown CCCD and an account never issued get the same answer; failures are audited, masked', async () => {
    const { app } = await testApp(get().db, { env: quietEnv() });
    const wrong = await signIn(app, world.usernames['candidateA']!, 'not-the-password', '10.0.0.2');
    const unknown = await signIn(app, '001208999999', 'not-the-password', '10.0.0.2');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.equal(wrong.json().error.code, 'INVALID_CREDENTIALS');
    const audit = await get().db.read.selectFrom('audit_log').select(['details', 'action']).where('action', '=', 'auth.sign_in_failed').execute();
    assert.ok(audit.length >= 2);
    for (const a of audit) assert.ok(!a.details!.includes('001208999999') && !a.details!.includes(world.usernames['candidateA']!));
    await app.close();
  });

  test('passwords of 1 and 10,000 characters: 401 and 400, never a 500', async () => {
    const { app } = await testApp(get().db, { env: quietEnv() });
    assert.equal((await signIn(app, world.usernames['dept02']!, 'x', '10.0.0.3')).statusCode, 401);
    const long = await signIn(app, world.usernames['dept02']!, 'x'.repeat(10_000), '10.0.0.3');
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().error.code, 'VALIDATION_FAILED');
    await app.close();
  });

  test('sign-in rotates the session: the previous cookie stops working', async () => {
    const { app, config } = await testApp(get().db, { env: quietEnv() });
    const first = await signIn(app, world.usernames['dept01']!);
    const cookie1 = cookieFrom(first, config);
    const second = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: world.usernames['dept01'], password: WORLD_PASSWORD },
      headers: { cookie: cookie1, [CSRF_HEADER]: first.json().csrfToken },
    });
    assert.equal(second.statusCode, 200);
    assert.notEqual(cookieFrom(second, config), cookie1);
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookie1 } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookieFrom(second, config) } })).statusCode, 200);
    await app.close();
  });

  test('idle and absolute timeouts are judged with the injected clock', async () => {
    const { app, config, clock } = await testApp(get().db, { env: quietEnv({ SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' }) });
    const r = await signIn(app, world.usernames['dept02']!);
    const cookie = cookieFrom(r, config);
    const me = () => app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie } });
    clock.advance(29 * 60_000);
    assert.equal((await me()).statusCode, 200, 'active within the idle limit');
    clock.advance(29 * 60_000);
    assert.equal((await me()).statusCode, 200, 'the previous request refreshed the idle timer');
    clock.advance(61 * 60_000 + 1000);
    assert.equal((await me()).statusCode, 401, 'idle for more than 30 minutes');

    const r2 = await signIn(app, world.usernames['dept02']!);
    const cookie2 = cookieFrom(r2, config);
    for (let i = 0; i < 4; i++) {
      clock.advance(25 * 60_000);
      assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookie2 } })).statusCode, 200);
    }
    clock.advance(21 * 60_000); // 2 h 1 min after sign-in, 21 min after the last request
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookie2 } })).statusCode, 401, 'absolute limit');
    await app.close();
  });

  test('a write with the session cookie but without the CSRF header is refused; with it, it passes', async () => {
    const { app, config } = await testApp(get().db, { env: quietEnv() });
    const r = await signIn(app, world.usernames['support01']!);
    const cookie = cookieFrom(r, config);
    const no = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    assert.equal(no.statusCode, 403);
    assert.equal(no.json().error.code, 'CSRF_FAILED');
    const bad = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, [CSRF_HEADER]: 'x'.repeat(43) } });
    assert.equal(bad.statusCode, 403);
    const ok = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, [CSRF_HEADER]: r.json().csrfToken } });
    assert.equal(ok.statusCode, 204);
    await app.close();
  });

  test('sign-out ends the session on the server: a copied cookie is worthless afterwards', async () => {
    const { app, config } = await testApp(get().db, { env: quietEnv() });
    const r = await signIn(app, world.usernames['point02']!);
    const cookie = cookieFrom(r, config);
    await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, [CSRF_HEADER]: r.json().csrfToken } });
    const me = await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie } });
    assert.equal(me.statusCode, 401);
    const row = await get().db.read.selectFrom('sessions').select(['ended_at', 'end_reason']).where('user_id', '=', world.ids.point02).where('end_reason', '=', 'signed_out').executeTakeFirst();
    assert.ok(row?.ended_at);
    await app.close();
  });

  test('first sign-in forces a password change: only me, sign-out and change-password are reachable', async () => {
    const { app, config } = await testApp(get().db, { env: quietEnv() });
    const r = await signIn(app, world.usernames['candidateFresh']!);
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().user.mustChangePassword, true);
    const cookie = cookieFrom(r, config);
    const headers = { cookie, [CSRF_HEADER]: r.json().csrfToken };
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers })).statusCode, 200);

    const short = await app.inject({ method: 'POST', url: '/api/account/password', headers, payload: { currentPassword: WORLD_PASSWORD, newPassword: 'short' } });
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().error.fields[0].code, 'PASSWORD_TOO_SHORT');
    const common = await app.inject({ method: 'POST', url: '/api/account/password', headers, payload: { currentPassword: WORLD_PASSWORD, newPassword: 'password123' } });
    assert.equal(common.json().error.fields[0].code, 'PASSWORD_TOO_COMMON');
    const huge = await app.inject({ method: 'POST', url: '/api/account/password', headers, payload: { currentPassword: WORLD_PASSWORD, newPassword: 'a'.repeat(10_000) } });
    assert.equal(huge.statusCode, 400);
    const wrongCurrent = await app.inject({ method: 'POST', url: '/api/account/password', headers, payload: { currentPassword: 'nope-nope', newPassword: 'một câu dài dễ nhớ' } });
    assert.equal(wrongCurrent.json().error.fields[0].code, 'CURRENT_PASSWORD_WRONG');

    const ok = await app.inject({ method: 'POST', url: '/api/account/password', headers, payload: { currentPassword: WORLD_PASSWORD, newPassword: 'một câu dài dễ nhớ' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().user.mustChangePassword, false);
    // the old session ended; the answer carries a new one
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie: cookieFrom(ok, config) } })).statusCode, 200);
    // the new password works, in NFD too (normalised to NFC before hashing)
    assert.equal((await signIn(app, world.usernames['candidateFresh']!, 'một câu dài dễ nhớ'.normalize('NFD'))).statusCode, 200);
    assert.equal((await signIn(app, world.usernames['candidateFresh']!, WORLD_PASSWORD, '10.9.9.9')).statusCode, 401);
    await app.close();
  });

  test('a session cookie of an account disabled since sign-in no longer works', async () => {
    const { app, config } = await testApp(get().db, { env: quietEnv() });
    const r = await signIn(app, world.usernames['point01b']!);
    const cookie = cookieFrom(r, config);
    await get().db.write((trx) => trx.updateTable('users').set({ status: 'disabled' }).where('id', '=', world.ids.point01b).execute());
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/me', headers: { cookie } })).statusCode, 401);
    const again = await signIn(app, world.usernames['point01b']!);
    assert.equal(again.statusCode, 403);
    assert.equal(again.json().error.code, 'ACCOUNT_DISABLED');
    await get().db.write((trx) => trx.updateTable('users').set({ status: 'active' }).where('id', '=', world.ids.point01b).execute());
    await app.close();
  });
});

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

  test('known devices are server records: listed and revoked by their owner (a revoked cookie no longer passes the lock); a password reset and a second-factor reset revoke them all; audited', async () => {
    const { app, clock, config } = await testApp(get().db, { env });
    const db = get().db;
    const id = world.ids.point01b;
    const user = world.usernames['point01b']!;
    const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
    const signInAs = (password: string, ip: string, ua: string, cookie?: string) =>
      app.inject({ method: 'POST', url: '/api/session', payload: { username: user, password }, remoteAddress: ip, headers: { 'user-agent': ua, ...(cookie ? { cookie } : {}) } });
    const deviceOf = (r: { cookies: Array<{ name: string; value: string }> }) => {
      const c = r.cookies.find((x) => x.name === knownDeviceCookieName(user));
      assert.ok(c, 'a known-device cookie');
      return { cookie: `${c.name}=${c.value}`, id: c.value.split('.')[2]! };
    };
    const rows = () => db.read.selectFrom('known_devices').selectAll().where('user_id', '=', id).orderBy('created_at').orderBy('id').execute();

    // the first sign-in from a browser records it: whose, when, a summary of the browser, not revoked
    const first = await signInAs(WORLD_PASSWORD, '10.50.0.1', chrome);
    assert.equal(first.statusCode, 200, first.body);
    const d1 = deviceOf(first);
    let r = await rows();
    assert.equal(r.length, 1);
    assert.deepEqual([r[0]!.id, r[0]!.user_agent, r[0]!.revoked_at], [d1.id, 'Chrome / Windows', null]);
    assert.ok(!JSON.stringify(r).includes('AppleWebKit'), 'the whole user-agent string is not kept');
    const created = r[0]!.created_at;

    // the same browser again: the same device, its use marked; another browser is another device
    clock.advance(60_000);
    assert.equal(deviceOf(await signInAs(WORLD_PASSWORD, '10.50.0.1', chrome, d1.cookie)).id, d1.id);
    const d2 = deviceOf(await signInAs(WORLD_PASSWORD, '10.50.0.2', firefox));
    r = await rows();
    assert.equal(r.length, 2);
    assert.ok(r.find((x) => x.id === d1.id)!.last_used_at > created, 'last used is marked');

    // the owner lists them; this browser's is marked current
    const session = await sessionHeaders(db, config, id, clock());
    const list = await app.inject({ method: 'GET', url: '/api/session/devices', headers: { ...session, cookie: `${session.cookie}; ${d1.cookie}` } });
    assert.equal(list.statusCode, 200, list.body);
    const devices = list.json().devices as Array<{ id: string; userAgent: string; current: boolean }>;
    assert.deepEqual(devices.map((d) => [d.id, d.userAgent, d.current]).sort(), [[d1.id, 'Chrome / Windows', true], [d2.id, 'Firefox / Linux', false]].sort());
    assert.equal(list.headers['cache-control'], 'no-store');
    assert.equal((await app.inject({ method: 'GET', url: '/api/session/devices' })).statusCode, 401);

    // an attacker spread over many addresses locks the account; both devices still let the owner in
    for (let i = 0; i < THROTTLE_RULES.account.limit; i++) await signInAs('doan-mo', `10.60.${Math.floor(i / 4)}.${i % 4}`, firefox);
    assert.equal((await signInAs(WORLD_PASSWORD, '10.70.0.1', chrome)).statusCode, 429);
    assert.equal((await signInAs(WORLD_PASSWORD, '10.50.0.1', chrome, d1.cookie)).statusCode, 200);

    // the owner revokes the first (a lost laptop): its cookie is a stranger's again
    const other = await sessionHeaders(db, config, world.ids.point01, clock());
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/session/devices/${d1.id}`, headers: other })).statusCode, 404, "another account cannot revoke it");
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/session/devices/${d1.id}`, headers: { cookie: session.cookie } })).statusCode, 403, 'a write needs the CSRF header');
    const revoke = await app.inject({ method: 'DELETE', url: `/api/session/devices/${d1.id}`, headers: session });
    assert.equal(revoke.statusCode, 204, revoke.body);
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/session/devices/${d1.id}`, headers: session })).statusCode, 404, 'once');
    assert.equal((await signInAs(WORLD_PASSWORD, '10.50.0.1', chrome, d1.cookie)).statusCode, 429, 'a revoked cookie no longer passes the lock');
    assert.equal((await signInAs(WORLD_PASSWORD, '10.50.0.2', firefox, d2.cookie)).statusCode, 200, 'the other device still does');
    assert.deepEqual(((await app.inject({ method: 'GET', url: '/api/session/devices', headers: session })).json().devices as Array<{ id: string }>).map((d) => d.id), [d2.id]);
    const revokedAudit = await db.read.selectFrom('audit_log').selectAll().where('action', '=', 'known_device.revoked').where('target_id', '=', id).execute();
    assert.equal(revokedAudit.length, 1);
    assert.equal(revokedAudit[0]!.actor_id, id);
    clock.advance(THROTTLE_RULES.account.windowMs + 1000);

    // a password reset by the level above revokes every device
    const dept = await sessionHeaders(db, config, world.ids.dept01, clock());
    const reset = await app.inject({ method: 'POST', url: `/api/users/${id}/password-reset`, headers: dept, payload: { reason: 'nghi lộ mật khẩu' } });
    assert.equal(reset.statusCode, 200, reset.body);
    r = await rows();
    assert.ok(r.every((x) => x.revoked_at !== null));
    assert.equal(r.find((x) => x.id === d2.id)!.revoked_reason, 'password_reset');
    const resetAudit = await db.read.selectFrom('audit_log').selectAll().where('action', '=', 'account.password_reset').where('target_id', '=', id).executeTakeFirstOrThrow();
    const resetDetails = typeof resetAudit.details === 'string' ? JSON.parse(resetAudit.details) : resetAudit.details;
    assert.equal(resetDetails.devicesRevoked, 1);

    // and so does a second-factor reset
    const d3 = deviceOf(await signInAs(reset.json().oneTimePassword as string, '10.50.0.3', chrome));
    assert.notEqual(d3.id, d1.id);
    const mfaReset = await app.inject({ method: 'POST', url: `/api/users/${id}/mfa-reset`, headers: dept, payload: { reason: 'mất điện thoại' } });
    assert.equal(mfaReset.statusCode, 200, mfaReset.body);
    r = await rows();
    assert.equal(r.find((x) => x.id === d3.id)!.revoked_reason, 'mfa_reset');
    const mfaAudit = await db.read.selectFrom('audit_log').selectAll().where('action', '=', 'mfa.reset').where('target_id', '=', id).executeTakeFirstOrThrow();
    assert.equal((typeof mfaAudit.details === 'string' ? JSON.parse(mfaAudit.details) : mfaAudit.details).devicesRevoked, 1);
    // each device added is named by the sign-in that added it, in the same audit entry
    const signIns = await db.read.selectFrom('audit_log').select('details').where('action', '=', 'auth.sign_in').where('target_id', '=', id).execute();
    const added = signIns.map((e) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as { deviceId?: string; deviceAdded?: boolean }).filter((d) => d.deviceAdded);
    assert.deepEqual(added.map((d) => d.deviceId).sort(), [d1.id, d2.id, d3.id].sort());
    await app.close();
  });
});

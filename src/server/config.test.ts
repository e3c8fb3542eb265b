import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from './config.ts';

test('defaults give an embedded SQLite service on port 3000', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.DATABASE_URL, 'sqlite:./data/ghidanh.sqlite');
  assert.equal(c.SQLITE_SYNCHRONOUS, 'FULL');
  assert.deepEqual([...c.SERVICES], ['web', 'worker']);
  assert.equal(c.COOKIE_SECURE, false, 'plain-http PUBLIC_URL: cookies cannot be Secure');
  assert.ok(Object.isFrozen(c));
});

test('cookies are Secure behind https unless explicitly turned off', () => {
  assert.equal(loadConfig({ PUBLIC_URL: 'https://thi.example.vn' }).COOKIE_SECURE, true);
  // without PUBLIC_URL the printed address follows the port
  assert.equal(loadConfig({}).PUBLIC_URL, 'http://localhost:3000');
  assert.equal(loadConfig({ PORT: '3999' }).PUBLIC_URL, 'http://localhost:3999');
  assert.equal(loadConfig({ PORT: '3999', PUBLIC_URL: 'https://thi.example.vn' }).PUBLIC_URL, 'https://thi.example.vn');
  assert.equal(loadConfig({ PUBLIC_URL: 'https://thi.example.vn', COOKIE_SECURE: 'false' }).COOKIE_SECURE, false);
});

test('one error names every bad variable', () => {
  try {
    loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SERVICES: 'web,cron', LOG_LEVEL: 'loud' });
    assert.fail('should have thrown');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const names = e.problems.map((p) => p.split('=')[0]);
    assert.deepEqual(names.sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'SERVICES']);
    assert.match(e.message, /Cấu hình không hợp lệ/);
  }
});

test('empty values count as unset', () => {
  assert.equal(loadConfig({ PORT: '' }).PORT, 3000);
});

test('SERVICES=worker runs the worker alone', () => {
  assert.deepEqual([...loadConfig({ SERVICES: 'worker' }).SERVICES], ['worker']);
});

test('render threads: one fewer than the cores by default (at least one); 0 draws on the event loop', () => {
  const c = loadConfig({});
  assert.ok(c.RENDER_THREADS >= 1);
  assert.ok(c.RENDER_QUEUE_MAX >= 1);
  assert.equal(loadConfig({ RENDER_THREADS: '0' }).RENDER_THREADS, 0);
  assert.throws(() => loadConfig({ RENDER_THREADS: '-1', RENDER_QUEUE_MAX: '0' }), (e: unknown) => e instanceof ConfigError && e.problems.length === 2);
});

test('MFA: required for ministry and department by default when DEMO_DATA=false; none in the demo; an explicit list wins', () => {
  assert.deepEqual([...loadConfig({ DEMO_DATA: 'false' }).MFA_REQUIRED_ROLES].sort(), ['department_officer', 'ministry_admin']);
  assert.deepEqual([...loadConfig({}).MFA_REQUIRED_ROLES], [], 'the demo lets the printed logins in with a password');
  assert.deepEqual([...loadConfig({ DEMO_DATA: 'true' }).MFA_REQUIRED_ROLES], []);
  assert.deepEqual([...loadConfig({ DEMO_DATA: 'false', MFA_REQUIRED_ROLES: 'none' }).MFA_REQUIRED_ROLES], []);
  assert.deepEqual([...loadConfig({ DEMO_DATA: 'false', MFA_REQUIRED_ROLES: 'point_officer' }).MFA_REQUIRED_ROLES], ['point_officer']);
  assert.ok(Object.isFrozen(loadConfig({ DEMO_DATA: 'false' }).MFA_REQUIRED_ROLES));
});

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems;
  }
};

test('outside the demo, plain http national links are refused, naming the setting in both languages; ALLOW_INSECURE_LINKS=true opts out', () => {
  const links = { VNEID_ISSUER: 'http://vneid.example.vn/oidc', POPULATION_URL: 'http://csdlqg.example.vn/api', PORTAL_URL: 'HTTP://dichvucong.example.vn' };
  const problems = problemsOf({ DEMO_DATA: 'false', ...links });
  assert.deepEqual(problems.map((p) => p.split('=')[0]).sort(), ['POPULATION_URL', 'PORTAL_URL', 'VNEID_ISSUER']);
  for (const p of problems) {
    assert.match(p, /phải dùng https:\/\//, 'Vietnamese');
    assert.match(p, /must be https:\/\//, 'English');
    assert.match(p, /ALLOW_INSECURE_LINKS=true/, 'names the way out');
  }
  assert.match(String((() => { try { loadConfig({ DEMO_DATA: 'false', ...links }); } catch (e) { return (e as Error).message; } })()), /Cấu hình không hợp lệ \/ Invalid configuration/);
  // https is accepted, and so is http on purpose or in the demo
  assert.equal(loadConfig({ DEMO_DATA: 'false', VNEID_ISSUER: 'https://vneid.example.vn/oidc', POPULATION_URL: 'https://csdlqg.example.vn', PORTAL_URL: 'https://dichvucong.example.vn' }).PORTAL_URL, 'https://dichvucong.example.vn');
  assert.equal(loadConfig({ DEMO_DATA: 'false', ALLOW_INSECURE_LINKS: 'true', ...links }).POPULATION_URL, links.POPULATION_URL);
  assert.equal(loadConfig({ ...links }).VNEID_ISSUER, links.VNEID_ISSUER, 'the demo runs its simulators over plain http');
  assert.equal(loadConfig({ DEMO_DATA: 'false' }).ALLOW_INSECURE_LINKS, false);
});

test('outside the demo, a PostgreSQL DATABASE_URL off this machine must carry sslmode; loopback and sockets need not; the password is never shown', () => {
  const remote = 'postgres://ghidanh:mat-khau-bi-mat@db.internal.example.vn:5432/ghidanh';
  const problems = problemsOf({ DEMO_DATA: 'false', DATABASE_URL: remote });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^DATABASE_URL=/);
  assert.match(problems[0]!, /sslmode=verify-full/);
  assert.match(problems[0]!, /phải dùng TLS/);
  assert.match(problems[0]!, /must be reached with TLS/);
  assert.doesNotMatch(problems[0]!, /mat-khau-bi-mat/, 'the password stays out of the message');
  assert.equal(problemsOf({ DEMO_DATA: 'false', DATABASE_URL: `${remote}?sslmode=disable` }).length, 1, 'sslmode=disable is no TLS');
  assert.equal(problemsOf({ DEMO_DATA: 'false', DATABASE_URL: `${remote}?sslmode=prefer` }).length, 1, 'prefer falls back to clear text');
  for (const ok of [
    `${remote}?sslmode=require`,
    `${remote}?sslmode=verify-full`,
    'postgres://postgres@127.0.0.1:5432/test',
    'postgresql://postgres@localhost/test',
    'postgres://postgres@[::1]:5432/test',
    'postgres:///ghidanh?host=/var/run/postgresql',
    'postgres://%2Fvar%2Frun%2Fpostgresql/ghidanh',
    'sqlite:./data/ghidanh.sqlite',
  ]) {
    assert.deepEqual(problemsOf({ DEMO_DATA: 'false', DATABASE_URL: ok }), [], ok);
  }
  assert.equal(problemsOf({ DEMO_DATA: 'false', DATABASE_URL: 'postgres://u@localhost/x?host=db.example.vn' }).length, 1, 'a host parameter that points elsewhere counts');
  assert.deepEqual(problemsOf({ DEMO_DATA: 'false', ALLOW_INSECURE_LINKS: 'true', DATABASE_URL: remote }), []);
  assert.deepEqual(problemsOf({ DATABASE_URL: remote }), [], 'the demo is left alone');
});

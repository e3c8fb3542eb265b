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

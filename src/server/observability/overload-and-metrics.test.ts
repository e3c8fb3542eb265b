import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { METRICS_AUTH, TEST_METRICS_TOKEN } from '../../../test/helpers/app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/create-db.ts';

async function appWith(db: Db, env: Record<string, string>) {
  const config = loadConfig({ LOG_LEVEL: 'silent', METRICS_TOKEN: TEST_METRICS_TOKEN, ...env });
  const app = await buildApp({ config, db, clock: () => new Date(), log: pino({ level: 'silent' }) });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  app.get('/test/slow', { config: { access: 'public' } }, async () => {
    await gate;
    return { ok: true };
  });
  await app.ready();
  return { app, release };
}

describeEachDb('overload guard and metrics', (get) => {
  test('past the in-flight bound new requests get 503 with Retry-After at once; the accepted ones finish; health is never shed', async () => {
    const { app, release } = await appWith(get().db, { MAX_IN_FLIGHT: '3', MAX_EVENT_LOOP_DELAY_MS: '0' });
    const held = [1, 2, 3].map(() => app.inject({ method: 'GET', url: '/test/slow' }));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    // an API route too: its answer passes through the hooks that read the request's actor (the access audit)
    const extra = await Promise.all(['/test/slow', '/test/slow', '/api/session/me', '/api/admission/programmes?q=a'].map((url) => app.inject({ method: 'GET', url })));
    assert.ok(Date.now() - started < 1000, 'shed requests are answered at once');
    for (const r of extra) {
      assert.equal(r.statusCode, 503);
      assert.equal(r.headers['retry-after'], '2');
      assert.equal(r.json().error.code, 'UNAVAILABLE');
      assert.match(r.json().error.vi, /dữ liệu của bạn vẫn được giữ/);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    release();
    for (const r of await Promise.all(held)) assert.equal(r.statusCode, 200);
    // capacity is back once the held requests finished
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: METRICS_AUTH })).body;
    assert.match(metrics, /http_requests_shed_total\{reason="in_flight"\} 4/);
    assert.match(metrics, /http_request_duration_seconds_count\{method="GET",route="\/test\/slow",status="200"\} 3/);
    assert.match(metrics, /db_write_queue_depth \d+/);
    assert.match(metrics, /nodejs_eventloop_lag_seconds/);
    await app.close();
  });
});

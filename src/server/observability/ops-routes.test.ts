import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { METRICS_AUTH, testApp } from '../../../test/helpers/app.ts';
import { buildWorld, quietEnv, sessionHeaders, WORLD_PASSWORD } from '../accounts/test-support.ts';
import { addPointDeltas } from '../stats/stats.repository.ts';
import { dossierContributions } from '../stats/counters.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { quantileMs, routeGroup, type OpsSnapshot } from './ops-snapshot.ts';

test('route groups: each API family has its group, health and metrics are monitoring, the rest static', () => {
  assert.equal(routeGroup('/api/session'), 'session');
  assert.equal(routeGroup('/api/dossier/sections/:sectionId'), 'candidate');
  assert.equal(routeGroup('/api/dossiers/:dossierId/submit'), 'verification');
  assert.equal(routeGroup('/api/verification/queue'), 'verification');
  assert.equal(routeGroup('/api/points/:pointId/imports'), 'accounts');
  assert.equal(routeGroup('/api/ops/snapshot'), 'monitoring');
  assert.equal(routeGroup('/metrics'), 'monitoring');
  assert.equal(routeGroup('/api/openapi.json'), 'other');
  assert.equal(routeGroup('/*'), 'static');
  assert.equal(routeGroup('unmatched'), 'other');
});

test('quantiles interpolate inside the bucket, and say "more than the last bound" past it', () => {
  const le = [0.01, 0.1, 1, Infinity];
  // 100 observations: 50 under 10 ms, 49 between 10 and 100 ms, 1 between 0.1 and 1 s
  assert.equal(quantileMs(0.5, le, [50, 99, 100, 100]), 10);
  assert.ok(Math.abs(quantileMs(0.99, le, [50, 99, 100, 100])! - 100) < 1e-9);
  assert.equal(quantileMs(0.5, le, [0, 0, 0, 0]), null);
  assert.equal(quantileMs(0.99, le, [0, 0, 0, 10]), 1000);
});

describeEachDb('the operations snapshot', (get) => {
  test('ministry only; its numbers move with the traffic: requests by group and status, latency, sign-ins, dossiers, outbox', async () => {
    const { db } = get();
    const now = new Date();
    const world = await buildWorld(db, now);
    // one submitted dossier in the counters and one message waiting, before the app takes its first reading
    const cand = await db.read.selectFrom('candidates').select('id').where('user_id', '=', world.ids.candidateA).executeTakeFirstOrThrow();
    await db.write(async (trx) => {
      const snap = {
        id: 'ops-test-dossier',
        code: null,
        candidateId: cand.id,
        examYear: world.year,
        isTrial: false,
        status: 'submitted' as const,
        version: 1,
        pointId: world.orgs.p01,
        departmentCode: '01',
        channel: 'online' as const,
        subjectsCombo: null,
        purpose: null,
        candidateType: null,
        flags: { cccdMismatch: false, photoMissing: false, exemptionClaimed: false, priorityClaimed: false },
        submittedAt: now.toISOString(),
      };
      await addPointDeltas(trx, dossierContributions(snap).map((metric) => ({ examYear: world.year, pointId: world.orgs.p01, departmentCode: '01', metric, value: 1 })));
      await enqueueJobs(trx, [{ kind: 'notify', payload: { template: 'dossier.verified', userId: 'nobody', params: {} }, dedupKey: `ops-test-${world.year}` }], now);
    });
    const { app, config } = await testApp(db, { env: quietEnv() });
    try {
      const ministry = await sessionHeaders(db, config, world.ids.ministry, new Date());
      const snapshot = async () => {
        const r = await app.inject({ method: 'GET', url: '/api/ops/snapshot', headers: ministry });
        assert.equal(r.statusCode, 200, r.body);
        return r.json() as OpsSnapshot;
      };

      // who may read it: the ministry only
      assert.equal((await app.inject({ method: 'GET', url: '/api/ops/snapshot' })).statusCode, 401);
      for (const who of ['dept01', 'point01', 'support01', 'candidateA'] as const) {
        const r = await app.inject({ method: 'GET', url: '/api/ops/snapshot', headers: await sessionHeaders(db, config, world.ids[who], new Date()) });
        assert.equal(r.statusCode, 403, `${who} may not read the operations snapshot`);
      }

      const before = await snapshot();
      assert.equal(before.gauges.dossiers?.examYear, world.year);
      assert.equal(before.gauges.dossiers?.submitted, 1, 'dossiers by status come from the national counters');
      assert.equal(before.gauges.outbox?.pending, 1, 'the outbox depth counts the waiting message');

      // traffic: sign-ins that succeed and fail, dossier reads, a 404 in the candidate group
      const candidate = await sessionHeaders(db, config, world.ids.candidateA, new Date());
      const ok = await app.inject({ method: 'POST', url: '/api/session', payload: { username: world.usernames['point01'], password: WORLD_PASSWORD } });
      assert.equal(ok.statusCode, 200);
      for (let i = 0; i < 2; i++) {
        const bad = await app.inject({ method: 'POST', url: '/api/session', payload: { username: world.usernames['point02'], password: 'sai mật khẩu rồi' } });
        assert.equal(bad.statusCode, 401);
      }
      for (let i = 0; i < 5; i++) assert.equal((await app.inject({ method: 'GET', url: '/api/dossier', headers: candidate })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/api/dossier/evidence/khong-co', headers: candidate })).statusCode, 404);

      const after = await snapshot();
      assert.ok(after.totals.requests >= before.totals.requests + 9, `requests counted: ${before.totals.requests} → ${after.totals.requests}`);
      assert.equal(after.totals.signIns.success - before.totals.signIns.success, 1);
      assert.equal(after.totals.signIns.failure - before.totals.signIns.failure, 2);
      assert.ok(after.totals.byClass['4xx'] >= before.totals.byClass['4xx'] + 3, 'the refused sign-ins and the 404 are 4xx');

      // the current window covers the traffic just made (from the first reading, or one a second old)
      const c = after.current;
      const session = c.byGroup.find((g) => g.group === 'session');
      const cand = c.byGroup.find((g) => g.group === 'candidate');
      assert.ok(session && session.byClass['2xx'] > 0 && session.byClass['4xx'] > 0, JSON.stringify(c.byGroup));
      assert.ok(cand && cand.requestsPerSecond > 0 && cand.byClass['4xx'] > 0, JSON.stringify(c.byGroup));
      assert.ok(c.requestsPerSecond > 0);
      assert.ok(c.p50Ms !== null && c.p99Ms !== null && c.p99Ms >= c.p50Ms, `latency ${c.p50Ms} / ${c.p99Ms}`);
      assert.equal(c.signIns.failure, 2);
      assert.ok(after.gauges.pool.total >= 0 && after.gauges.writeQueueDepth >= 0);

      // /metrics carries the same business figures for scrapers
      const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: METRICS_AUTH })).body;
      assert.match(metrics, new RegExp(`dossiers\\{status="submitted",exam_year="${world.year}"\\} 1`));
      assert.match(metrics, /outbox_messages\{status="pending"\} 1/);
      assert.match(metrics, /sign_ins_total\{outcome="failure"\} 2/);
      assert.match(metrics, /sign_ins_total\{outcome="success"\} 1/);

      // the route and its answer's shape are in the API document
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> };
      assert.ok(doc.paths['/api/ops/snapshot']?.get?.responses?.['200'], 'documented with its 200 answer');
    } finally {
      await app.close();
    }
  });
});

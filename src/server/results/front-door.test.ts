// The results morning's look-up answered at the front door (http/front-door.ts), over a real socket: the same
// status, headers and body as the framework's route, the throttle still counted, and everything that is not
// the common found case (a miss, a refusal, an odd URL) left to the route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { TEST_METRICS_TOKEN } from '../../../test/helpers/app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { YEAR, seedStructure } from '../verification/back-office.fixtures.ts';
import { forgetResultsMorning } from './morning.ts';

const RELEASE = '2026-07-16T01:00:00.000Z';
const LIMIT = 6;

describeEachDb('results look-up at the front door', (get) => {
  let app: FastifyInstance;
  let base = '';
  /** requests the framework saw (its onRequest hook ran) */
  let framework = 0;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    const detail = JSON.stringify({ parts: [], marks: { TOAN: { kind: 'score', centi: 725, sanction: null }, VAN: { kind: 'score', centi: 650, sanction: null }, LI: { kind: 'absent' }, NN: { kind: 'score', centi: 800, sanction: null } } });
    await db.write(async (trx) => {
      for (const [i, n] of ['01000001', '01000002'].entries()) {
        await trx
          .insertInto('exam_results')
          .values({ exam_year: YEAR, candidate_id: `fd-${i}`, department_code: '01', number: n, scheme: 'CT2018', version: 1, import_id: 'fd-import', status: 'passed', score_centi: 700, school_average_centi: 700, encouragement_centi: 0, priority_centi: 0, divisor: 4, detail, reasons: '[]', computed_at: RELEASE })
          .execute();
      }
      await trx
        .insertInto('result_imports')
        .values({ id: 'fd-import', exam_year: YEAR, department_code: '01', version: 1, kind: 'file', status: 'published', file_name: 'diem.csv', subjects: '[]', base_version: 0, total_rows: 0, valid_rows: 0, error_rows: 0, added: 0, changed: 0, removed: 0, unchanged: 0, findings: '[]', uploaded_by: 'a', uploaded_at: RELEASE, published_by: 'b', published_at: RELEASE })
        .execute();
      const y = await trx.selectFrom('exam_years').select('rules').where('year', '=', YEAR).executeTakeFirstOrThrow();
      const rules = { ...(JSON.parse(y.rules) as Record<string, unknown>), resultsRelease: { at: RELEASE, localDate: '2026-07-16', localTime: '08:00', setBy: 'm', setAt: RELEASE } };
      await trx.updateTable('exam_years').set({ rules: JSON.stringify(rules) }).where('year', '=', YEAR).execute();
    });
    forgetResultsMorning(db);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite:unused', MAX_EVENT_LOOP_DELAY_MS: '0', METRICS_TOKEN: TEST_METRICS_TOKEN, RESULTS_LOOKUPS_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'true' });
    // a minute after the release, every request in the same throttle window
    const now = new Date(Date.parse(RELEASE) + 60_000);
    app = await buildApp({ config, db, clock: () => now, log: pino({ level: 'silent' }) });
    app.addHook('onRequest', async () => {
      framework += 1;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    forgetResultsMorning(get().db);
    await app?.close();
  });

  const headersOf = (r: Response): Record<string, string> => {
    const h: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (k !== 'date' && k !== 'keep-alive' && k !== 'connection') h[k] = v;
    });
    return h;
  };

  test('the first answer is the route’s; the next ones come from the front door, byte for byte the same', async () => {
    const first = await fetch(`${base}/api/public/results/01000001`, { headers: { 'x-forwarded-for': '10.1.1.1' } });
    assert.equal(first.status, 200);
    const firstBody = await first.text();
    assert.equal(framework, 1, 'the first look-up goes through the framework');
    const second = await fetch(`${base}/api/public/results/01000001`);
    assert.equal(second.status, 200);
    assert.equal(await second.text(), firstBody);
    assert.equal(framework, 1, 'the second is answered before the framework');
    assert.deepEqual(headersOf(second), headersOf(first), 'the same headers: security policy, cache-control, type, length');
    assert.match(second.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(second.headers.get('x-content-type-options'), 'nosniff');
    assert.match(second.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
    const other = await fetch(`${base}/api/public/results/01000002`);
    assert.equal(other.status, 200);
    assert.equal(JSON.parse(await other.text()).number, '01000002');
    assert.equal(framework, 1);
  });

  test('an unknown number: the route’s 404 first, then the same answer from the front door', async () => {
    const before = framework;
    const miss = await fetch(`${base}/api/public/results/01999999`, { headers: { 'x-forwarded-for': '10.2.2.2' } });
    assert.equal(miss.status, 404);
    const missBody = await miss.text();
    assert.equal((JSON.parse(missBody) as { error: { code: string } }).error.code, 'RESULT_NOT_FOUND');
    assert.equal(miss.headers.get('cache-control'), 'no-store');
    assert.equal(framework - before, 1);
    const again = await fetch(`${base}/api/public/results/01999999`, { headers: { 'x-forwarded-for': '10.2.2.2' } });
    assert.equal(again.status, 404);
    assert.equal(await again.text(), missBody);
    assert.deepEqual(headersOf(again), headersOf(miss));
    const other = await fetch(`${base}/api/public/results/01999998`, { headers: { 'x-forwarded-for': '10.2.2.2' } });
    const otherBody = (await other.json()) as { error: { vi: string; en: string } };
    assert.match(otherBody.error.vi, /01999998/, 'the message names the number asked for');
    assert.match(otherBody.error.en, /01999998/);
    assert.equal(framework - before, 1, 'both answered before the framework');
  });

  test('a malformed number, a query string and HEAD are the route’s, with its answers', async () => {
    const before = framework;
    const ip = { 'x-forwarded-for': '10.5.5.5' };
    assert.equal((await fetch(`${base}/api/public/results/0100000x`, { headers: ip })).status, 400);
    assert.equal((await fetch(`${base}/api/public/results/01000001?x=1`, { headers: ip })).status, 200);
    assert.equal((await fetch(`${base}/api/public/results/01000001`, { method: 'HEAD', headers: ip })).status, 200);
    assert.equal(framework - before, 3, 'each of them reached the framework');
  });

  test('the throttle counts the front door’s answers: past the limit the route refuses with Retry-After', async () => {
    const ip = { 'x-forwarded-for': '10.3.3.3' };
    const before = framework;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < LIMIT + 2; i++) {
      last = await fetch(`${base}/api/public/results/01000002`, { headers: ip });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [...Array<number>(LIMIT).fill(200), 429, 429], 'the limit holds across both paths');
    assert.ok(framework - before < LIMIT + 2, 'some of them were answered at the front door');
    assert.ok(Number(last?.headers.get('retry-after')) >= 1);
    assert.equal(((await last!.json()) as { error: { code: string } }).error.code, 'RESULTS_LOOKUP_THROTTLED');
    // another address goes on (behind a trusted proxy the forwarded address is the key, as for the route)
    assert.equal((await fetch(`${base}/api/public/results/01000002`, { headers: { 'x-forwarded-for': '10.4.4.4' } })).status, 200);
  });
});

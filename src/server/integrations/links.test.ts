// The population database and portal adapters, against the simulators as real processes, on SQLite and
// PostgreSQL: their answers with their time, a refusal for good told apart from a failure the queue retries
// (and recorded once by the check job), the breaker opening and closing, the link's state on the operations
// route and /metrics. The jobs' whole path (flags, give-backs, the portal in order) is pipeline.test.ts's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { METRICS_AUTH, TEST_METRICS_TOKEN, testClock } from '../../../test/helpers/app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Services } from '../context.ts';
import { buildWorld, quietEnv, sessionHeaders, type World } from '../accounts/test-support.ts';
import { demoPersonalNumber } from '../demo/demo-class.ts';
import { changeAccent } from '../../sims/shared/citizens.ts';
import { integrationsRuntime, type IntegrationsRuntime } from './runtime.ts';
import { LinkError } from './http-link.ts';
import { identityChecksOf } from './integrations.repository.ts';
import { identityCheckJob, linkJobKinds } from './pipeline.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { JobWorker } from '../jobs/worker.ts';
import type { PopulationLink } from './population/population.ts';
import type { PortalDossier, PortalLink } from './portal/portal.ts';

const silent = pino({ level: 'silent' });

describeEachDb('national links: adapters and jobs', (get) => {
  // simulators of its own: the suites of the two databases may run at once, and these tests make them fail
  let population: TestSim;
  let portal: TestSim;
  let s: Services;
  let app: FastifyInstance;
  let rt: IntegrationsRuntime;
  let populationLink: PopulationLink;
  let portalLink: PortalLink;
  let world: World;
  const clock = testClock('2026-04-22T03:00:00Z');

  before(async () => {
    [population, portal] = await Promise.all([startSim('population', { args: ['--api-key', 'pop-key'] }), startSim('portal', { args: ['--api-key', 'portal-key'] })]);
    const config = loadConfig({
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'sqlite:unused',
      ...quietEnv({
        POPULATION_URL: population.url,
        POPULATION_API_KEY: 'pop-key',
        PORTAL_URL: portal.url,
        PORTAL_API_KEY: 'portal-key',
        LINK_TIMEOUT_MS: '1500',
        LINK_SLOW_MS: '1400',
        LINK_BREAKER_FAILURES: '3',
        LINK_BREAKER_COOLDOWN_MS: '400',
      }),
    });
    s = { config, db: get().db, clock, log: silent };
    app = await buildApp(s);
    await app.ready();
    rt = integrationsRuntime(s);
    populationLink = rt.population!;
    portalLink = rt.portal!;
    world = await buildWorld(get().db, clock());
  });
  after(async () => {
    await app?.close();
    await Promise.all([population?.stop(), portal?.stop()]);
  });

  const identity = (personalNumber: string, fullName: string, dateOfBirth: string) => ({ personalNumber, fullName, dateOfBirth });

  test('a process without a link leaves that link\'s jobs in the queue untouched, for a process that has it', async () => {
    const kindsWith = (over: Partial<Services['config']>) => linkJobKinds({ ...s, config: { ...s.config, ...over } }).map((k) => k.kind).sort();
    assert.deepEqual(kindsWith({}), ['population.check', 'population.give_back_of', 'portal.sync']);
    assert.deepEqual(kindsWith({ POPULATION_URL: undefined }), ['portal.sync']);
    assert.deepEqual(kindsWith({ PORTAL_URL: undefined }), ['population.check', 'population.give_back_of']);
    // a worker with the portal alone: an identity check queued stays pending with no attempt spent
    const db = get().db;
    await db.write((trx) => enqueueJobs(trx, [identityCheckJob('no-such-candidate', null, 'recheck', 'without-link')], clock()));
    const portalOnly = { ...s, config: { ...s.config, POPULATION_URL: undefined } };
    const w = new JobWorker(db, linkJobKinds(portalOnly), [], clock, silent, { batch: 5 });
    await w.runOnce();
    const job = await db.read.selectFrom('jobs').select(['status', 'attempts', 'locked_by']).where('dedup_key', '=', 'idcheck:recheck:without-link').executeTakeFirstOrThrow();
    assert.deepEqual(job, { status: 'pending', attempts: 0, locked_by: null });
    await db.write((trx) => trx.deleteFrom('jobs').where('dedup_key', '=', 'idcheck:recheck:without-link').execute());
  });

  test('identity checks: match, mismatch by field with both values, not found, each with its time', async () => {
    const match = await populationLink.verify(identity(demoPersonalNumber(0), 'NGUYỄN VĂN AN', '2008-03-14'));
    assert.equal(match.outcome, 'match');
    assert.deepEqual(match.mismatches, []);
    assert.equal(match.permanentResidence?.provinceCode, '01');
    assert.match(match.checkedAt, /^\d{4}-\d{2}-\d{2}T/);
    const name = await populationLink.verify(identity(demoPersonalNumber(2), 'LÊ HOÀNG CƯỜNG', '2008-11-23'));
    assert.equal(name.outcome, 'mismatch');
    assert.deepEqual(name.mismatches, [{ field: 'fullName', sent: 'LÊ HOÀNG CƯỜNG', registered: changeAccent('Lê Hoàng Cường') }]);
    const dob = await populationLink.verify(identity(demoPersonalNumber(1), 'TRẦN THỊ BÌNH', '2008-07-02'));
    assert.equal(dob.mismatches[0]!.field, 'dateOfBirth');
    assert.equal(dob.mismatches[0]!.sent, '2008-07-02');
    assert.match(dob.mismatches[0]!.registered, /^2008-07-0[13]$/);
    assert.equal((await populationLink.verify(identity(demoPersonalNumber(3), 'PHẠM NGỌC DIỆP', '2008-01-30'))).outcome, 'not_found');
    assert.equal(rt.trackers.population.status().state, 'up');
  });

  test('a request the database refuses for good (a wrong key) is not retried: the check job records it once as rejected', async () => {
    const refusingServices = { ...s, config: { ...s.config, POPULATION_API_KEY: 'wrong' } };
    const refusing = integrationsRuntime(refusingServices);
    await assert.rejects(refusing.population!.verify(identity(demoPersonalNumber(0), 'NGUYỄN VĂN AN', '2008-03-14')), (e: unknown) => e instanceof LinkError && !e.retryable && e.status === 401);
    assert.equal(refusing.trackers.population.breaker.state(), 'closed', 'a refusal says nothing about the link’s health');
    // the check job of a real candidate, run by the worker with the refusing link: one record, job done
    const db = get().db;
    const candidate = await db.read.selectFrom('candidates').select('id').where('user_id', '=', world.ids.candidateA).executeTakeFirstOrThrow();
    await db.write((trx) => enqueueJobs(trx, [identityCheckJob(candidate.id, null, 'recheck', 'refused')], clock()));
    const w = new JobWorker(db, linkJobKinds(refusingServices), [], clock, silent, { batch: 5 });
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    assert.deepEqual(await w.runOnce(), { done: 0, failed: 0, claimed: 0 }, 'nothing left to retry');
    const checks = await identityChecksOf(db.read, candidate.id);
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.outcome, 'rejected');
    assert.match(checks[0]!.error ?? '', /HTTP 401/);
  });

  test('slow beyond the timeout, then down: each call throws to be retried, the breaker opens, and when the database is back the call lands', async () => {
    const who = identity(demoPersonalNumber(4), 'HOÀNG ĐỨC DŨNG', '2008-05-09');
    await population.control({ mode: 'slow', delayMs: 4000 });
    await assert.rejects(populationLink.verify(who), (e: unknown) => e instanceof LinkError && e.kind === 'timeout' && e.retryable);
    assert.equal(rt.trackers.population.status().state, 'down');
    await population.control({ mode: 'down' });
    await assert.rejects(populationLink.verify(who), (e: unknown) => e instanceof LinkError && e.kind === 'network' && e.retryable);
    await population.control({ mode: 'fail' });
    await assert.rejects(populationLink.verify(who), (e: unknown) => e instanceof LinkError && e.kind === 'http' && e.retryable);
    // three failures in a row: open; the next attempt does not even leave the process
    assert.equal(rt.trackers.population.status().state, 'breaker_open');
    await assert.rejects(populationLink.verify(who), (e: unknown) => e instanceof LinkError && e.kind === 'breaker_open' && e.retryable);
    const metrics = await (await app.inject({ method: 'GET', url: '/metrics', headers: METRICS_AUTH })).body;
    assert.match(metrics, /integration_breaker_state\{link="population"\} 2/);
    assert.match(metrics, /integration_link_state\{link="population",state="breaker_open"\} 1/);

    await population.control({ mode: 'ok' });
    await new Promise((r) => setTimeout(r, 450)); // the cool-down
    assert.equal((await populationLink.verify(who)).outcome, 'match');
    assert.equal(rt.trackers.population.breaker.state(), 'closed');
    assert.equal(rt.trackers.population.status().state, 'up');
  });

  test('give back: each version is applied once, an older one never after a newer, and the database keeps them', async () => {
    const record = {
      personalNumber: demoPersonalNumber(5),
      schoolYear: '2025-2026',
      examYear: 2026,
      dossierCode: '2026-01001-000006',
      point: { code: '01001', name: 'Trường THPT Chu Văn An' },
      candidateType: 'current' as const,
      school: { provinceCode: '01', schoolCode: '001', name: 'Trường THPT Chu Văn An', className: '12A1' },
      version: 1,
    };
    assert.equal((await populationLink.giveBack(record)).outcome, 'applied');
    assert.deepEqual(await populationLink.giveBack(record), { outcome: 'duplicate', currentVersion: 1 });
    assert.equal((await populationLink.giveBack({ ...record, version: 2, school: { ...record.school, className: '12A2' } })).outcome, 'applied');
    assert.deepEqual(await populationLink.giveBack(record), { outcome: 'stale', currentVersion: 2 }, 'an older version never replaces a newer');
    const kept = await population.inspect<{ records: Array<{ record: { KyThi: { MaHoSo: string }; TruongHoc: { Lop: string } } }> }>(`/__give-backs?personalNumber=${demoPersonalNumber(5)}`);
    assert.deepEqual(kept.records.map((r) => r.record.TruongHoc.Lop), ['12A1', '12A2'], 'each version once, in order');
    assert.equal(kept.records[0]!.record.KyThi.MaHoSo, '2026-01001-000006');
  });

  const dossier = (code: string, version: number, status: string): PortalDossier => ({
    code,
    version,
    procedure: 'registration',
    status,
    holderName: 'Nguyễn Văn An',
    email: 'an@example.vn',
    phone: '0912345678',
    summary: 'Đăng ký dự thi tốt nghiệp THPT năm 2026',
    receivedAt: '2026-04-21T02:30:00.000Z',
    dueAt: '2026-05-09T10:00:00.000Z',
    finishedAt: null,
    office: 'Trường THPT Chu Văn An',
  });

  test('portal: statuses mapped through the reference table, upserts idempotent by version, progress in order, a draft not pushed', async () => {
    const code = `2026-01001-${get().kind}`;
    // a progress update that overtakes its dossier is thrown back (the portal does not know it yet)
    await assert.rejects(portalLink.pushProgress({ code, version: 1, status: 'submitted', by: 'Thí sinh', at: '2026-04-21T02:30:00.000Z', note: null }), (e: unknown) => e instanceof LinkError && e.retryable);
    assert.deepEqual(await portalLink.upsertDossier(dossier(code, 1, 'draft')), { outcome: 'not_pushed', currentVersion: 0, statusCode: null });
    assert.equal(await portalLink.lookUp(code), null, 'a draft is not the portal’s');
    assert.deepEqual(await portalLink.upsertDossier(dossier(code, 2, 'submitted')), { outcome: 'applied', currentVersion: 2, statusCode: 1 });
    await portalLink.pushProgress({ code, version: 2, status: 'submitted', by: 'Thí sinh', at: '2026-04-21T02:30:00.000Z', note: null });
    assert.equal((await portalLink.upsertDossier(dossier(code, 3, 'returned'))).statusCode, 5);
    await portalLink.pushProgress({ code, version: 3, status: 'returned', by: 'Trường THPT Chu Văn An', at: '2026-04-22T03:00:00.000Z', note: 'Ảnh chưa rõ' });
    await portalLink.upsertDossier(dossier(code, 4, 'verified'));
    await portalLink.pushProgress({ code, version: 4, status: 'verified', by: 'Trường THPT Chu Văn An', at: '2026-04-23T03:00:00.000Z', note: null });
    // the same version again is a duplicate, and a late repeat of an older version changes nothing
    assert.equal((await portalLink.upsertDossier(dossier(code, 4, 'verified'))).outcome, 'duplicate');
    assert.deepEqual(await portalLink.upsertDossier(dossier(code, 3, 'returned')), { outcome: 'stale', currentVersion: 4, statusCode: 5 });

    const seen = await portalLink.lookUp(code);
    assert.equal(seen!.statusCode, 2);
    assert.equal(seen!.version, 4);
    assert.deepEqual(seen!.progress.map((p) => p.statusCode), [1, 5, 2]);
    assert.equal(seen!.progress[1]!.note, 'Ảnh chưa rõ');
    assert.equal(seen!.progress[2]!.note, 'Điểm tiếp nhận đã kiểm tra, hồ sơ hợp lệ');
    assert.equal(seen!.progress[0]!.at, '2026-04-21T02:30:00.000Z', 'local time there and back');
    assert.equal(await portalLink.lookUp('KHONG-CO-HO-SO'), null);
    const page = await (await fetch(`${portal.url}/tra-cuu?ma=${code}`)).text();
    assert.match(page, /2 – Được tiếp nhận/);
  });

  test('portal down mid-run: every push is thrown back to be retried, and each lands when it returns', async () => {
    const codes = [1, 2, 3, 4, 5].map((i) => `2026-02001-${get().kind}-${i}`);
    await portal.control({ mode: 'down' });
    const backlog: string[] = [];
    for (const c of codes) {
      try {
        await portalLink.upsertDossier(dossier(c, 1, 'submitted'));
      } catch (e) {
        assert.ok(e instanceof LinkError && e.retryable);
        backlog.push(c);
      }
    }
    assert.deepEqual(backlog, codes);
    await portal.control({ mode: 'ok' });
    await new Promise((r) => setTimeout(r, 450)); // the cool-down
    for (const c of backlog) await portalLink.upsertDossier(dossier(c, 1, 'submitted'));
    for (const c of codes) assert.equal((await portalLink.lookUp(c))?.statusCode, 1);
  });

  test('the operations route shows each link with its state, last success and last error', async () => {
    const headers = await sessionHeaders(get().db, s.config, world.ids.ministry, clock());
    const res = await app.inject({ method: 'GET', url: '/api/ops/links', headers });
    assert.equal(res.statusCode, 200, res.body);
    const links = res.json().links as Array<{ link: string; configured: boolean; state: string; lastSuccessAt: string | null; lastError: string | null }>;
    assert.deepEqual(links.map((l) => l.link), ['vneid', 'population', 'portal']);
    const pop = links.find((l) => l.link === 'population')!;
    assert.equal(pop.configured, true);
    assert.equal(pop.state, 'up');
    assert.ok(pop.lastSuccessAt);
    assert.match(pop.lastError ?? '', /HTTP 503|no answer|timeout/);
    assert.equal(links.find((l) => l.link === 'vneid')!.configured, false);
    const candidate = await sessionHeaders(get().db, s.config, world.ids.candidateA, clock());
    assert.equal((await app.inject({ method: 'GET', url: '/api/ops/links', headers: candidate })).statusCode, 403);
  });
});

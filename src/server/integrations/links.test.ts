// The population database and portal adapters and their jobs, against the simulators as real processes,
// on SQLite and PostgreSQL: results recorded with their time, refusals recorded once, failures thrown for
// the queue to retry (nothing lost), the breaker opening and closing, the link's state on the operations
// route and /metrics.
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
import { findGiveBack, findPortalSync, identityChecksOf } from './integrations.repository.ts';
import { identityCheckJob, linkJobKinds } from './pipeline.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { JobWorker } from '../jobs/worker.ts';
import type { JobCtx, PopulationVerifyPayload } from './handlers.ts';
import type { PortalDossier } from './portal/portal.ts';

const silent = pino({ level: 'silent' });

describeEachDb('national links: adapters and jobs', (get) => {
  // simulators of its own: the suites of the two databases may run at once, and these tests make them fail
  let population: TestSim;
  let portal: TestSim;
  let s: Services;
  let app: FastifyInstance;
  let rt: IntegrationsRuntime;
  let world: World;
  const clock = testClock('2026-04-22T03:00:00Z');
  const ctx = (): JobCtx => ({ db: get().db, now: clock(), log: silent });

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
    world = await buildWorld(get().db, clock());
  });
  after(async () => {
    await app?.close();
    await Promise.all([population?.stop(), portal?.stop()]);
  });

  const verifyJob = (personalNumber: string, fullName: string, dateOfBirth: string, candidateId = `cand-${personalNumber}`): PopulationVerifyPayload => ({
    candidateId,
    dossierId: null,
    reason: 'submitted',
    identity: { personalNumber, fullName, dateOfBirth },
  });

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

  test('identity checks: match, mismatch by field with both values, not found, each recorded with its time', async () => {
    const job = rt.jobs['population.verify'];
    await job.handle(ctx(), job.payload.parse(verifyJob(demoPersonalNumber(0), 'NGUYỄN VĂN AN', '2008-03-14', 'c-match')));
    await job.handle(ctx(), verifyJob(demoPersonalNumber(2), 'LÊ HOÀNG CƯỜNG', '2008-11-23', 'c-name'));
    await job.handle(ctx(), verifyJob(demoPersonalNumber(1), 'TRẦN THỊ BÌNH', '2008-07-02', 'c-dob'));
    await job.handle(ctx(), verifyJob(demoPersonalNumber(3), 'PHẠM NGỌC DIỆP', '2008-01-30', 'c-none'));
    const [match] = await identityChecksOf(get().db.read, 'c-match');
    assert.equal(match!.outcome, 'match');
    assert.equal(match!.permanentResidence?.provinceCode, '01');
    assert.match(match!.checkedAt, /^\d{4}-\d{2}-\d{2}T/);
    const [name] = await identityChecksOf(get().db.read, 'c-name');
    assert.equal(name!.outcome, 'mismatch');
    assert.deepEqual(name!.mismatches, [{ field: 'fullName', sent: 'LÊ HOÀNG CƯỜNG', registered: changeAccent('Lê Hoàng Cường') }]);
    const [dob] = await identityChecksOf(get().db.read, 'c-dob');
    assert.equal(dob!.mismatches[0]!.field, 'dateOfBirth');
    assert.equal(dob!.mismatches[0]!.sent, '2008-07-02');
    assert.match(dob!.mismatches[0]!.registered, /^2008-07-0[13]$/);
    assert.equal((await identityChecksOf(get().db.read, 'c-none'))[0]!.outcome, 'not_found');
    assert.equal(rt.trackers.population.status().state, 'up');
  });

  test('a request the database refuses for good (a wrong key) is recorded once as rejected, not retried', async () => {
    const refusing = integrationsRuntime({ ...s, config: { ...s.config, POPULATION_API_KEY: 'wrong' } });
    const job = refusing.jobs['population.verify'];
    await job.handle(ctx(), verifyJob(demoPersonalNumber(0), 'NGUYỄN VĂN AN', '2008-03-14', 'c-refused'));
    const [r] = await identityChecksOf(get().db.read, 'c-refused');
    assert.equal(r!.outcome, 'rejected');
    assert.match(r!.error ?? '', /HTTP 401/);
    assert.equal(refusing.trackers.population.breaker.state(), 'closed', 'a refusal says nothing about the link’s health');
  });

  test('slow beyond the timeout, then down: the job throws to be retried, the breaker opens, and when the database is back the retry lands', async () => {
    const job = rt.jobs['population.verify'];
    const payload = verifyJob(demoPersonalNumber(4), 'HOÀNG ĐỨC DŨNG', '2008-05-09', 'c-retry');
    await population.control({ mode: 'slow', delayMs: 4000 });
    await assert.rejects(job.handle(ctx(), payload), (e: unknown) => e instanceof LinkError && e.kind === 'timeout' && e.retryable);
    assert.equal(rt.trackers.population.status().state, 'down');
    await population.control({ mode: 'down' });
    await assert.rejects(job.handle(ctx(), payload), (e: unknown) => e instanceof LinkError && e.kind === 'network' && e.retryable);
    await population.control({ mode: 'fail' });
    await assert.rejects(job.handle(ctx(), payload), (e: unknown) => e instanceof LinkError && e.kind === 'http' && e.retryable);
    // three failures in a row: open; the next attempt does not even leave the process
    assert.equal(rt.trackers.population.status().state, 'breaker_open');
    await assert.rejects(job.handle(ctx(), payload), (e: unknown) => e instanceof LinkError && e.kind === 'breaker_open' && e.retryable);
    assert.equal((await identityChecksOf(get().db.read, 'c-retry')).length, 0, 'nothing recorded while failing');
    const metrics = await (await app.inject({ method: 'GET', url: '/metrics', headers: METRICS_AUTH })).body;
    assert.match(metrics, /integration_breaker_state\{link="population"\} 2/);
    assert.match(metrics, /integration_link_state\{link="population",state="breaker_open"\} 1/);

    await population.control({ mode: 'ok' });
    await new Promise((r) => setTimeout(r, 450)); // the cool-down
    await job.handle(ctx(), payload);
    assert.equal((await identityChecksOf(get().db.read, 'c-retry'))[0]!.outcome, 'match');
    assert.equal(rt.trackers.population.breaker.state(), 'closed');
    assert.equal(rt.trackers.population.status().state, 'up');
  });

  test('give back: the record is sent once per version and the database keeps it', async () => {
    const job = rt.jobs['population.give_back'];
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
    await job.handle(ctx(), { candidateId: 'c-give', record });
    await job.handle(ctx(), { candidateId: 'c-give', record });
    assert.deepEqual(await findGiveBack(get().db.read, 'c-give', 2026), { version: 1, outcome: 'duplicate', sentAt: clock().toISOString() });
    const kept = await population.inspect<{ records: Array<{ record: { KyThi: { MaHoSo: string }; TruongHoc: { Lop: string } } }> }>(`/__give-backs?personalNumber=${demoPersonalNumber(5)}`);
    assert.equal(kept.records.length, 1);
    assert.equal(kept.records[0]!.record.KyThi.MaHoSo, '2026-01001-000006');
    assert.equal(kept.records[0]!.record.TruongHoc.Lop, '12A1');
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
    const upsert = rt.jobs['portal.upsert_dossier'];
    const progress = rt.jobs['portal.push_progress'];
    const code = `2026-01001-${get().kind}`;
    // a progress update that overtakes its dossier is thrown back (the portal does not know it yet)
    await assert.rejects(progress.handle(ctx(), { code, version: 1, status: 'submitted', by: 'Thí sinh', at: '2026-04-21T02:30:00.000Z', note: null }), (e: unknown) => e instanceof LinkError && e.retryable);
    await upsert.handle(ctx(), dossier(code, 1, 'draft'));
    assert.equal((await findPortalSync(get().db.read, code))!.dossierOutcome, 'not_pushed');
    await upsert.handle(ctx(), dossier(code, 2, 'submitted'));
    await progress.handle(ctx(), { code, version: 2, status: 'submitted', by: 'Thí sinh', at: '2026-04-21T02:30:00.000Z', note: null });
    await upsert.handle(ctx(), dossier(code, 3, 'returned'));
    await progress.handle(ctx(), { code, version: 3, status: 'returned', by: 'Trường THPT Chu Văn An', at: '2026-04-22T03:00:00.000Z', note: 'Ảnh chưa rõ' });
    await upsert.handle(ctx(), dossier(code, 4, 'verified'));
    await progress.handle(ctx(), { code, version: 4, status: 'verified', by: 'Trường THPT Chu Văn An', at: '2026-04-23T03:00:00.000Z', note: null });
    // a late repeat of an older version changes nothing, and is recorded as such
    await upsert.handle(ctx(), dossier(code, 3, 'returned'));
    const sync = (await findPortalSync(get().db.read, code))!;
    assert.equal(sync.dossierVersion, 4, 'an older acknowledgement does not move the record back');
    assert.equal(sync.dossierStatusCode, 2);
    assert.equal(sync.progressVersion, 4);

    const seen = await rt.portal!.lookUp(code);
    assert.equal(seen!.statusCode, 2);
    assert.equal(seen!.version, 4);
    assert.deepEqual(seen!.progress.map((p) => p.statusCode), [1, 5, 2]);
    assert.equal(seen!.progress[1]!.note, 'Ảnh chưa rõ');
    assert.equal(seen!.progress[2]!.note, 'Điểm tiếp nhận đã kiểm tra, hồ sơ hợp lệ');
    assert.equal(seen!.progress[0]!.at, '2026-04-21T02:30:00.000Z', 'local time there and back');
    assert.equal(await rt.portal!.lookUp('KHONG-CO-HO-SO'), null);
    const page = await (await fetch(`${portal.url}/tra-cuu?ma=${code}`)).text();
    assert.match(page, /2 – Được tiếp nhận/);
  });

  test('portal down mid-run: every push is thrown back, nothing is lost, and the backlog lands when it returns', async () => {
    const upsert = rt.jobs['portal.upsert_dossier'];
    const codes = [1, 2, 3, 4, 5].map((i) => `2026-02001-${get().kind}-${i}`);
    await portal.control({ mode: 'down' });
    const backlog: string[] = [];
    for (const c of codes) {
      try {
        await upsert.handle(ctx(), dossier(c, 1, 'submitted'));
      } catch (e) {
        assert.ok(e instanceof LinkError && e.retryable);
        backlog.push(c);
      }
    }
    assert.deepEqual(backlog, codes);
    await portal.control({ mode: 'ok' });
    await new Promise((r) => setTimeout(r, 450)); // the cool-down
    for (const c of backlog) await upsert.handle(ctx(), dossier(c, 1, 'submitted'));
    for (const c of codes) assert.equal((await rt.portal!.lookUp(c))?.statusCode, 1);
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

// The national links' pipeline end to end, on SQLite and PostgreSQL, with the population database and the
// portal simulators as real processes and the real job worker: a submitted dossier is checked and a
// mismatch shows up flagged in the point's queue with the field and both values; the point resolves it;
// a match gives the registration back; every status change reaches the portal in order; the portal
// stopped, restarted and slowed mid-run loses nothing, and the backlog drains when it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { buildApp, dossierDeps } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Ctx, Services } from '../context.ts';
import { quietEnv } from '../accounts/test-support.ts';
import { AT, YEAR, buildRegWorld, goodDossier, headersFor, type RegWorld } from '../dossiers/test-fixtures.ts';
import { saveSections } from '../dossiers/save.ts';
import { submitDossier } from '../dossiers/submit.ts';
import { verifyDossier } from '../dossiers/review.ts';
import { findOwnDossier } from '../dossiers/dossier.repository.ts';
import type { DossierDeps } from '../dossiers/commit.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { orgIdForCode } from '../org/org.repository.ts';
import { newId } from '../ids.ts';
import type { UserActor } from '../policy/policy.ts';
import { DEMO_CLASS, demoPersonalNumber } from '../demo/demo-class.ts';
import { changeAccent } from '../../sims/shared/citizens.ts';
import { JobWorker } from '../jobs/worker.ts';
import { linkJobKinds, KINDS_OF_LINK } from './pipeline.ts';
import { pendingByKind } from '../jobs/jobs.repository.ts';
import { integrationsRuntime } from './runtime.ts';
import { findGiveBack, identityChecksOf } from './integrations.repository.ts';
import { recheckYear, reconcilePortal } from './commands.ts';
import { checkOutcomesSince } from './links.repository.ts';
import { METRICS_AUTH, TEST_METRICS_TOKEN } from '../../../test/helpers/app.ts';
import { loadPortalStatusMap } from './portal/status-map.ts';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDb('national links pipeline: jobs, flags, portal, with the simulators as processes', (get) => {
  let population: TestSim;
  let portal: TestSim;
  let s: Services;
  let app: FastifyInstance;
  let deps: DossierDeps;
  let w: RegWorld;
  let worker: JobWorker;
  // the official window, moving with real time (backoff waits are real)
  const t0 = Date.now();
  const clock = () => new Date(AT.official.getTime() + (Date.now() - t0));

  before(async () => {
    [population, portal] = await Promise.all([startSim('population'), startSim('portal')]);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'sqlite:unused',
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      ...quietEnv({
        POPULATION_URL: population.url,
        PORTAL_URL: portal.url,
        LINK_TIMEOUT_MS: '1500',
        LINK_SLOW_MS: '250',
        LINK_BREAKER_FAILURES: '3',
        LINK_BREAKER_COOLDOWN_MS: '300',
        LINK_RETRY_BASE_MS: '50',
        LINK_RETRY_MAX_MS: '300',
      }),
    });
    s = { config, db: get().db, clock, log };
    app = await buildApp(s);
    await app.ready();
    deps = dossierDeps(s);
    w = await buildRegWorld(get().db);
    worker = new JobWorker(get().db, linkJobKinds(s), [], clock, log, { pollMs: 20, drainPauseMs: 0, batch: 20 });
  });
  after(async () => {
    await app?.close();
    await Promise.all([population?.stop(), portal?.stop()]);
  });

  const ctx = (actor: UserActor): Ctx => ({ db: get().db, actor, now: clock(), log, ip: null });
  const backlog = async () => Object.values(await pendingByKind(get().db.read, [...KINDS_OF_LINK.population, ...KINDS_OF_LINK.portal])).reduce((a, b) => a + b, 0);

  /** Runs the worker until no link job is waiting (or fails the test after `ms`). */
  async function drain(ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while ((await backlog()) > 0) {
      if (Date.now() > until) assert.fail(`the backlog did not drain: ${await backlog()} jobs left`);
      const r = await worker.runOnce();
      if (r.claimed === 0) await sleep(30);
    }
  }

  /** A school candidate at point 01001 with this identity, and their submitted dossier. */
  async function submittedCandidate(cccd: string, name: string, dob: string, gender: 'M' | 'F'): Promise<{ user: UserActor; dossierId: string; code: string }> {
    const userId = newId();
    await get().db.write(async (trx) => {
      await insertUser(trx, { id: userId, username: cccd, role: 'candidate', orgUnitId: orgIdForCode('01001'), displayName: name, passwordHash: 'not-used', mustChangePassword: false }, clock());
      await insertCandidates(
        trx,
        [{ id: newId(), userId, examYear: YEAR, pointId: orgIdForCode('01001'), departmentCode: '01', idKind: 'cccd', idNumber: cccd, fullName: name, gender, dateOfBirth: dob, birthProvince: '01', className: '12A1', candidateType: 'current' }],
        clock(),
      );
    });
    const user: UserActor = { kind: 'user', userId, role: 'candidate', orgUnitId: orgIdForCode('01001'), departmentCode: '01', sessionId: 's', mustChangePassword: false };
    const base = goodDossier(cccd);
    const personal = { ...base.personal, fullName: name, dateOfBirth: dob, gender: gender === 'M' ? ('male' as const) : ('female' as const) };
    await saveSections(ctx(user), deps, { target: { kind: 'own' }, sections: { ...base, personal }, ifMatch: 0 });
    await submitDossier(ctx(user), deps, { target: { kind: 'own' }, body: {} });
    const found = (await findOwnDossier(get().db.read, userId, YEAR, false))!.dossier!;
    return { user, dossierId: found.id, code: found.code! };
  }

  test('a mismatch is flagged at the point with the field and both values; a match is given back; the portal follows every status in order', async () => {
    const [name2, g2, dob2] = DEMO_CLASS[2]!; // the register holds this name with another accent
    const [name0, g0, dob0] = DEMO_CLASS[0]!;
    const flagged = await submittedCandidate(demoPersonalNumber(2), name2, dob2, g2);
    const fine = await submittedCandidate(demoPersonalNumber(0), name0, dob0, g0);
    await drain();

    // the point sees the flag in its queue, with the field and both values
    const pointHeaders = await headersFor(get().db, s.config, w.users.pointA, clock());
    const res = await app.inject({ method: 'GET', url: `/api/points/${orgIdForCode('01001')}/identity-flags`, headers: pointHeaders });
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Array<{ id: string; dossierCode: string; outcome: string; mismatches: Array<{ field: string; sent: string; registered: string }> }>;
    const mine = items.filter((i) => i.dossierCode === flagged.code);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.outcome, 'mismatch');
    assert.deepEqual(mine[0]!.mismatches, [{ field: 'fullName', sent: name2.toLocaleUpperCase('vi'), registered: changeAccent(name2) }]);
    assert.ok(!items.some((i) => i.dossierCode === fine.code), 'a matching identity raises no flag');
    // another point and a candidate see none of it
    const other = await headersFor(get().db, s.config, w.users.pointOther, clock());
    assert.equal((await app.inject({ method: 'GET', url: `/api/points/${orgIdForCode('01001')}/identity-flags`, headers: other })).statusCode, 403);
    const cand = await headersFor(get().db, s.config, flagged.user, clock());
    assert.equal((await app.inject({ method: 'GET', url: `/api/points/${orgIdForCode('01001')}/identity-flags`, headers: cand })).statusCode, 403);

    // the checks are stored with their time
    const candId = (await findOwnDossier(get().db.read, fine.user.userId, YEAR, false))!.candidate.id;
    const [check] = await identityChecksOf(get().db.read, candId);
    assert.equal(check!.outcome, 'match');
    assert.match(check!.checkedAt, /^\d{4}-\d{2}-\d{2}T/);
    // the match gave the school and the registration back; the database kept it
    assert.equal((await findGiveBack(get().db.read, candId, YEAR))?.outcome, 'applied');
    const kept = await population.inspect<{ records: Array<{ record: { KyThi: { MaHoSo: string }; TruongHoc: { Lop: string } } }> }>(`/__give-backs?personalNumber=${demoPersonalNumber(0)}`);
    assert.equal(kept.records.length, 1);
    assert.equal(kept.records[0]!.record.KyThi.MaHoSo, fine.code);
    assert.equal(kept.records[0]!.record.TruongHoc.Lop, '12A1');

    // the point confirms the card with a note: audited, and it cannot be resolved twice
    const confirm = await app.inject({ method: 'POST', url: `/api/identity-flags/${mine[0]!.id}/resolve`, headers: pointHeaders, payload: { action: 'confirm', note: 'Đã xem CCCD bản gốc, tên đúng như hồ sơ' } });
    assert.equal(confirm.statusCode, 200, confirm.body);
    assert.equal(confirm.json().flag.status, 'confirmed');
    const again = await app.inject({ method: 'POST', url: `/api/identity-flags/${mine[0]!.id}/resolve`, headers: pointHeaders, payload: { action: 'confirm', note: 'lần hai' } });
    assert.equal(again.statusCode, 409);
    const noNote = await app.inject({ method: 'POST', url: `/api/identity-flags/${mine[0]!.id}/resolve`, headers: pointHeaders, payload: { action: 'confirm', note: ' ' } });
    assert.equal(noNote.statusCode, 400);
    const audit = await get().db.read.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', mine[0]!.id).execute();
    assert.deepEqual(audit.map((a) => a.action), ['identity_flag.confirmed']);
    assert.ok(!String(audit[0]!.details).includes(demoPersonalNumber(2)), 'no full personal number in the audit details');

    // the point verifies: the portal shows 1 then 2, in order
    const v = (await findOwnDossier(get().db.read, fine.user.userId, YEAR, false))!.dossier!.version;
    await verifyDossier(ctx(w.users.pointA), deps, fine.dossierId, v);
    await drain();
    const seen = await integrationsRuntime(s).portal!.lookUp(fine.code);
    assert.equal(seen?.statusCode, 2);
    assert.deepEqual(seen?.progress.map((p) => p.statusCode), [1, 2]);
    assert.equal(seen?.holderName, name0.toLocaleUpperCase('vi'));
    // the contact the portal is given is the dossier's own
    const received = await portal.inspect<{ entries: Array<{ kind: string; message: { MaHoSo: string; Email: string | null; SoDienThoai: string | null } }> }>('/__received');
    const upserted = received.entries.filter((e) => e.kind === 'upsert' && e.message.MaHoSo === fine.code);
    assert.ok(upserted.length > 0);
    assert.deepEqual(upserted.map((e) => [e.message.Email, e.message.SoDienThoai?.replace(/\s/g, '')]), upserted.map(() => ['an@example.vn', '0912345678']));
    const page = await (await fetch(`${portal.url}/tra-cuu?ma=${encodeURIComponent(fine.code)}`)).text();
    assert.match(page, /2 – Được tiếp nhận/);
  });

  test('the portal stopped, restarted and slowed mid-run: nothing is lost, nothing is applied twice, and the backlog drains', async () => {
    const people = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hải'].map((given, i) => ({ cccd: `0012080${70001 + i}`, name: `Trần Văn ${given}`, dob: '2008-06-15' }));
    const receivedBefore = (await portal.inspect<{ applied: number }>('/__received')).applied;
    const port = new URL(portal.url).port;
    await portal.stopProcess();
    const subs = [];
    for (const p of people) subs.push(await submittedCandidate(p.cccd, p.name, p.dob, 'M'));
    // the worker runs while the portal is gone: every push fails and waits, the breaker opens
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      await worker.runOnce();
      await sleep(30);
    }
    const rt = integrationsRuntime(s);
    assert.ok(['down', 'breaker_open'].includes(rt.trackers.portal.status().state), rt.trackers.portal.status().state);
    const ministry = await headersFor(get().db, s.config, w.users.ministry, clock());
    const ops = (await app.inject({ method: 'GET', url: '/api/ops/links', headers: ministry })).json().links as Array<{ link: string; state: string; backlog: number | null }>;
    assert.equal(ops.find((l) => l.link === 'portal')!.backlog, people.length, 'one update per dossier waits');
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: METRICS_AUTH })).body;
    assert.match(metrics, new RegExp(`integration_backlog\\{link="portal"\\} ${people.length}`));

    // the point verifies half of them meanwhile: their second update queues behind the first
    for (const sub of subs.slice(0, 3)) {
      const v = (await findOwnDossier(get().db.read, sub.user.userId, YEAR, false))!.dossier!.version;
      await verifyDossier(ctx(w.users.pointA), deps, sub.dossierId, v);
    }
    // back on the same port and data, but slow: answers take 300 ms (over LINK_SLOW_MS, under the timeout)
    portal = await startSim('portal', { dataDir: portal.dataDir, args: ['--port', port] });
    await portal.control({ mode: 'slow', delayMs: 300 });
    await sleep(350); // the breaker's cool-down
    await drain();
    assert.equal(rt.trackers.portal.status().state, 'slow');
    await portal.control({ mode: 'ok' });

    for (const [i, sub] of subs.entries()) {
      const seen = await rt.portal!.lookUp(sub.code);
      assert.ok(seen, `dossier ${sub.code} reached the portal`);
      assert.deepEqual(seen.progress.map((p) => p.statusCode), i < 3 ? [1, 2] : [1], sub.code);
      assert.equal(seen.statusCode, i < 3 ? 2 : 1);
    }
    // each dossier's upserts and progress updates applied once: 2 per submission, 2 more per verification
    const received = await portal.inspect<{ applied: number }>('/__received');
    assert.equal(received.applied, 6 * 2 + 3 * 2, `applied since restart (before the stop: ${receivedBefore})`);
    assert.equal(await backlog(), 0);
  });

  test('the yearly re-check is resumable and reports its counts; the reconciliation re-sends what the portal misses', async () => {
    const db = get().db;
    const total = (await db.read.selectFrom('candidates').select((eb) => eb.fn.countAll<number>().as('n')).where('exam_year', '=', YEAR).executeTakeFirstOrThrow()).n;
    // stopped after its first page, then run again: it goes on from there and queues each candidate once
    const first = await recheckYear(db, YEAR, clock, { page: 3, stopAfterPages: 1 });
    assert.equal(first.resumed, false);
    assert.equal(first.queued, 3);
    const second = await recheckYear(db, YEAR, clock, { page: 3 });
    assert.equal(second.resumed, true);
    assert.equal(second.startedAt, first.startedAt);
    assert.equal(second.queued, Number(total), 'every candidate (all have a personal number here) queued once');
    assert.equal(second.waiting, Number(total));
    await drain();
    const outcomes = await checkOutcomesSince(db.read, 'recheck', first.startedAt);
    assert.equal(Object.values(outcomes).reduce((a, b) => a + b, 0), Number(total));
    assert.equal(outcomes['match'], 1, 'the one demo citizen with a clean record');
    assert.ok((outcomes['not_found'] ?? 0) >= 6);

    // an update lost on the way (its job given up on): the reconciliation finds it and pushes it again
    const lost = await submittedCandidate('001208080001', 'Phan Văn Khánh', '2008-02-02', 'M');
    await db.write((trx) => trx.updateTable('jobs').set({ status: 'dead' }).where('kind', '=', 'portal.sync').where('status', '=', 'pending').execute());
    await drain();
    const rt = integrationsRuntime(s);
    assert.equal(await rt.portal!.lookUp(lost.code), null);
    const rec = await reconcilePortal(db, rt.portal!, () => loadPortalStatusMap(db.read), YEAR, clock, log);
    assert.equal(rec.missing, 1);
    assert.equal(rec.differs, 0);
    assert.equal(rec.queued, 1);
    assert.equal(rec.same, rec.compared - 1);
    await drain();
    assert.equal((await rt.portal!.lookUp(lost.code))?.statusCode, 1);
    const again = await reconcilePortal(db, rt.portal!, () => loadPortalStatusMap(db.read), YEAR, clock, log);
    assert.equal(again.same, again.compared, 'both sides agree now');
  });
});

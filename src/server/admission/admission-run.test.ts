import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { YEAR, dept01, ministry, makeCandidates, makeDossier, seedStructure, P1, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import { insertOrgUnits, orgIdForCode } from '../org/org.repository.ts';
import { admissionRunRoutes } from './run-routes.ts';
import { admissionRunKind } from './run-job.ts';
import { publishedAdmissionBatches } from './run.repository.ts';
import { JobWorker } from '../jobs/worker.ts';
import pino from 'pino';
import { forgetCurrentExamYear } from '../exam-years/exam-years.repository.ts';

const QHI = orgIdForCode('QHI');
const BKA = orgIdForCode('BKA');
const officerQHI: Actor = { kind: 'user', userId: 'u-adm-QHI', role: 'admissions_officer', orgUnitId: QHI, departmentCode: null, sessionId: 's', mustChangePassword: false };
const candidate = (c: MadeCandidate): Actor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });

// the run happens after the fees (August); enrolment is confirmed by 30 Aug 17:00 Vietnam time
const RUN_DAY = new Date('2026-08-17T03:00:00Z');
const DEADLINE = '2026-08-30T10:00:00.000Z';
const AFTER_DEADLINE = new Date('2026-08-30T10:00:01Z');

const ADMISSION_CONFIG = {
  wishCap: 15,
  teacherTrainingMaxPosition: 5,
  combinationFloor: 15,
  window: { opensAt: '2026-07-02T01:00:00.000Z', closesAt: '2026-07-14T10:00:00.000Z' },
  feePerWishVnd: 15000,
  paymentGroups: [{ code: 'N1', name: 'Nhóm 1', provinceCodes: ['01'], opensAt: '2026-07-15T01:00:00.000Z', closesAt: '2026-07-21T10:00:00.000Z' }],
  enrolmentDeadline: DEADLINE,
};

const A00 = JSON.stringify([{ code: 'A00' }]);
const MATH_THEN_WISH = JSON.stringify({ kind: 'break-by-rule', criteria: [{ by: 'value', key: 'math' }, { by: 'wish-order' }] });

async function programme(db: Db, id: string, institution: string, quota: number, minScoreCenti: number | null): Promise<void> {
  const [inst, code, method] = id.split('-') as [string, string, string];
  const at = RUN_DAY.toISOString();
  await db.write((trx) =>
    trx
      .insertInto('admission_programmes')
      .values({
        id,
        exam_year: YEAR,
        institution_id: institution,
        institution_code: inst,
        code,
        method,
        name: `Ngành ${code}`,
        search_name: `nganh ${code}`,
        combinations: A00,
        scoring: 'sum',
        quota,
        min_score_centi: minScoreCenti,
        teacher_training: 0,
        tie_policy: MATH_THEN_WISH,
        status: 'published',
        import_id: null,
        created_at: at,
        updated_at: at,
        published_at: at,
        published_by: ministry.kind === 'user' ? ministry.userId : null,
      })
      .execute(),
  );
}

async function wishes(db: Db, c: MadeCandidate, list: Array<[programmeId: string, fee: 'paid' | 'unpaid']>): Promise<void> {
  const at = RUN_DAY.toISOString();
  await db.write(async (trx) => {
    await trx.insertInto('admission_wish_lists').values({ exam_year: YEAR, candidate_id: c.candidateId, version: 1, updated_at: at, frozen_at: at }).execute();
    for (const [i, [p, fee]] of list.entries()) {
      await trx
        .insertInto('admission_wishes')
        .values({ id: `${c.candidateId}-${i + 1}`, exam_year: YEAR, candidate_id: c.candidateId, position: i + 1, programme_id: p, combination: 'A00', fee_status: fee, paid_at: fee === 'paid' ? at : null, payment_id: null, created_at: at, updated_at: at })
        .execute();
    }
  });
}

async function marks(db: Db, c: MadeCandidate, scores: Record<string, number>): Promise<void> {
  await db.write(async (trx) => {
    await trx.deleteFrom('exam_marks').where('candidate_id', '=', c.candidateId).execute();
    for (const [subject, v] of Object.entries(scores)) {
      await trx.insertInto('exam_marks').values({ exam_year: YEAR, candidate_id: c.candidateId, subject, department_code: c.departmentCode, kind: 'score', score_centi: Math.round(v * 100), sanction: null, version: 1, updated_at: 'x' }).execute();
    }
  });
}

describeEachDb('admission run: provisional, published, second run, results, enrolment, institutions', (get) => {
  let app: FastifyInstance;
  let now = RUN_DAY;
  let an: MadeCandidate;
  let binh: MadeCandidate;
  let chi: MadeCandidate;
  let dung: MadeCandidate;
  let em: MadeCandidate;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    await db.write(async (trx) => {
      await insertOrgUnits(
        trx,
        [
          { kind: 'institution', code: 'QHI', name: 'Trường Đại học Công nghệ', parentId: orgIdForCode('BGD'), departmentCode: '01' },
          { kind: 'institution', code: 'BKA', name: 'Đại học Bách khoa Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
        ],
        RUN_DAY,
      );
      await trx.updateTable('exam_years').set({ rules: JSON.stringify({ admission: ADMISSION_CONFIG }) }).where('year', '=', YEAR).execute();
    });
    forgetCurrentExamYear(db.read);
    [an, binh, chi, dung, em] = (await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Chi', 'Phạm Văn Dũng', 'Hoàng Thị Em'])) as [MadeCandidate, MadeCandidate, MadeCandidate, MadeCandidate, MadeCandidate];
    for (const c of [an, binh, chi, dung, em]) await makeDossier(db, c, 'verified');
    await programme(db, 'QHI-7480201-100', QHI, 1, null);
    await programme(db, 'BKA-7520103-100', BKA, 2, 1500);
    await marks(db, an, { TOAN: 9, LI: 9, HOA: 9 }); // 27.00
    await marks(db, binh, { TOAN: 8, LI: 8, HOA: 8 }); // 24.00
    await marks(db, chi, { TOAN: 9.5, LI: 9.5, HOA: 9.5 }); // 28.50, but wish 1 unpaid
    await marks(db, dung, { TOAN: 9, LI: 9 }); // no Hóa: A00 not sat
    await marks(db, em, { TOAN: 5, LI: 4, HOA: 5 }); // 14.00: below the 15 floor
    await wishes(db, an, [
      ['QHI-7480201-100', 'paid'],
      ['BKA-7520103-100', 'paid'],
    ]);
    await wishes(db, binh, [
      ['QHI-7480201-100', 'paid'],
      ['BKA-7520103-100', 'paid'],
    ]);
    await wishes(db, chi, [
      ['QHI-7480201-100', 'unpaid'],
      ['BKA-7520103-100', 'paid'],
    ]);
    await wishes(db, dung, [['BKA-7520103-100', 'paid']]);
    await wishes(db, em, [['BKA-7520103-100', 'paid']]);
    app = await backOfficeTestApp(db, () => now, [admissionRunRoutes]);
  });
  after(async () => app?.close());

  const request = (reason?: string, policy?: 'protect-published' | 'recompute') => app.inject({ method: 'POST', url: '/api/admission/runs', payload: { ...(reason ? { reason } : {}), ...(policy ? { policy } : {}) }, headers: as(ministry) });
  const runs = async () => (await app.inject({ method: 'GET', url: '/api/admission/runs', headers: as(ministry) })).json().runs as Array<{ id: string; kind: string; message: string | null }>;
  /** The job worker's turn: it runs what is queued (one run a poll). */
  const work = () => new JobWorker(get().db, [admissionRunKind], [], () => now, pino({ level: 'silent' }), { batch: 1 }).runOnce();
  /** Asks for a run and, when it is queued (202), lets the worker run it; answers with the run as it ended. */
  const start = async (reason?: string, policy?: 'protect-published' | 'recompute'): Promise<{ statusCode: number; body: string; json(): any }> => {
    const res = await request(reason, policy);
    if (res.statusCode !== 202) return res;
    assert.equal(res.json().kind, 'queued');
    assert.equal((await work()).done, 1);
    const run = (await runs()).find((r) => r.id === res.json().id);
    return { statusCode: 202, body: JSON.stringify(run), json: () => run };
  };
  const publish = (id: string) => app.inject({ method: 'POST', url: `/api/admission/runs/${id}/publish`, headers: as(ministry) });
  const own = (c: MadeCandidate) => app.inject({ method: 'GET', url: '/api/admission/me', headers: as(candidate(c)) });
  const confirm = (c: MadeCandidate) => app.inject({ method: 'POST', url: '/api/admission/me/enrolment', headers: as(candidate(c)) });
  const stored = (runId: string) => get().db.read.selectFrom('admission_run_candidates').select(['candidate_id', 'programme_id', 'wish']).where('run_id', '=', runId).execute();
  const admittedOf = async (runId: string) => new Map((await stored(runId)).map((r) => [r.candidate_id, r.programme_id ? `${r.programme_id}#${r.wish}` : null]));
  let first = '';
  let second = '';

  test('a provisional run over paid and eligible wishes: each candidate at the highest wish within the quota, hashes stored', async () => {
    // answered at once: the run waits for the worker, and a second one is refused meanwhile
    const queued = await request();
    assert.equal(queued.statusCode, 202, queued.body);
    assert.equal(queued.json().kind, 'queued');
    const busy = await request();
    assert.equal(busy.statusCode, 409, busy.body);
    assert.equal(busy.json().error.code, 'ADMISSION_RUN_BUSY');
    assert.equal((await work()).done, 1);
    const run = (await runs()).find((r) => r.id === queued.json().id) as any;
    first = run.id;
    assert.equal(run.kind, 'provisional');
    assert.deepEqual([run.candidates, run.wishes, run.unpaid, run.ineligible, run.admitted, run.changed], [5, 8, 1, 2, 3, null]);
    assert.match(run.inputHash, /^[0-9a-f]{64}$/);
    assert.match(run.resultHash, /^[0-9a-f]{64}$/);
    for (const k of ['read_ms', 'match_ms', 'hash_ms', 'store_ms', 'peak_rss_mib']) assert.equal(typeof run.timings[k], 'number', k);
    const a = await admittedOf(first);
    assert.equal(a.get(an.candidateId), 'QHI-7480201-100#1');
    assert.equal(a.get(binh.candidateId), 'BKA-7520103-100#2');
    assert.equal(a.get(chi.candidateId), 'BKA-7520103-100#2');
    assert.equal(a.get(dung.candidateId), null);
    assert.equal(a.get(em.candidateId), null);
    // the institutions' lists (admission_run_admitted) hold exactly the admitted, with their wish and score
    const lists = await get().db.read.selectFrom('admission_run_admitted').select(['candidate_id', 'programme_id', 'wish', 'score_centi']).where('run_id', '=', first).orderBy('candidate_id').execute();
    const full = await get().db.read.selectFrom('admission_run_candidates').select(['candidate_id', 'programme_id', 'wish', 'score_centi']).where('run_id', '=', first).where('programme_id', 'is not', null).orderBy('candidate_id').execute();
    assert.equal(lists.length, 3);
    assert.deepEqual(lists, full);
    const cut = await get().db.read.selectFrom('admission_run_programmes').select(['programme_id', 'cutoff_centi', 'admitted']).where('run_id', '=', first).orderBy('programme_id').execute();
    assert.deepEqual(
      cut.map((c) => [c.programme_id, c.cutoff_centi, c.admitted]),
      [
        ['BKA-7520103-100', 2400, 2],
        ['QHI-7480201-100', 2700, 1],
      ],
    );
  });

  test('the same data again gives the same input and result, byte for byte (the hashes), and changes nobody', async () => {
    const res = await start();
    assert.equal(res.statusCode, 202, res.body);
    const again = res.json();
    const firstRun = (await app.inject({ method: 'GET', url: '/api/admission/runs', headers: as(ministry) })).json().runs.find((r: { id: string }) => r.id === first);
    assert.equal(again.inputHash, firstRun.inputHash);
    assert.equal(again.resultHash, firstRun.resultHash);
    assert.equal(again.changed, 0);
    first = again.id;
  });

  test('a provisional run is invisible to candidates; the institution sees its own list and not another one (403, audited)', async () => {
    const res = await own(binh);
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().error.code, 'ADMISSION_NOT_PUBLISHED');
    const dash = await app.inject({ method: 'GET', url: `/api/admission/institutions/${QHI}/dashboard`, headers: as(officerQHI) });
    assert.equal(dash.statusCode, 200, dash.body);
    assert.equal(dash.json().run.kind, 'provisional');
    assert.deepEqual(
      dash.json().programmes.map((p: { programme: { id: string }; cutoff: number }) => [p.programme.id, p.cutoff]),
      [['QHI-7480201-100', 2700]],
    );
    const xlsx = await app.inject({ method: 'GET', url: `/api/admission/institutions/${QHI}/admitted.xlsx`, headers: as(officerQHI) });
    assert.equal((await app.inject({ method: 'GET', url: `/api/admission/institutions/${BKA}/dashboard`, headers: as(ministry) })).statusCode, 200, 'the ministry reads any institution');
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const other = await app.inject({ method: 'GET', url: `/api/admission/institutions/${BKA}/admitted.xlsx`, headers: as(officerQHI) });
    assert.equal(other.statusCode, 403, other.body);
    const denied = await get().db.read.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'admission.access_denied').execute();
    assert.deepEqual(denied.map((d) => d.target_id), [BKA]);
    const dept = await app.inject({ method: 'GET', url: `/api/admission/institutions/${QHI}/dashboard`, headers: as(dept01) });
    assert.equal(dept.statusCode, 403, dept.body);
  });

  test('publish: candidates see the admitted wish and, for every higher wish, its cut-off, their score and the reason', async () => {
    const res = await publish(first);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().run.kind, 'published');
    const b = (await own(binh)).json();
    assert.equal(b.admitted.programme.id, 'BKA-7520103-100');
    assert.equal(b.admitted.wish, 2);
    assert.equal(b.admitted.score, 2400);
    assert.deepEqual(
      b.notObtained.map((n: { wish: number; reason: string; score: number; cutoff: number }) => [n.wish, n.reason, n.score, n.cutoff]),
      [[1, 'below-cutoff', 2400, 2700]],
    );
    assert.match(b.notObtained[0].vi, /24,00.*27,00/);
    const c = (await own(chi)).json();
    assert.deepEqual(
      c.notObtained.map((n: { wish: number; reason: string }) => [n.wish, n.reason]),
      [[1, 'unpaid']],
    );
    const d = (await own(dung)).json();
    assert.equal(d.admitted, null);
    assert.deepEqual(
      d.notObtained.map((n: { reason: string }) => n.reason),
      ['ineligible'],
    );
    const audit = await get().db.read.selectFrom('audit_log').select('action').where('action', '=', 'admission.run_published').execute();
    assert.equal(audit.length, 1);
    // the first publication replaced nothing the candidates saw: no change to show
    assert.equal(b.change, null);
  });

  let protectedRun = '';
  test('after a publication the new run protects it by default: a score review moves Bình up beyond QHI\'s one place, An keeps it, the place Bình leaves is not refilled', async () => {
    // with nothing changed, it changes nobody
    const same = await start();
    assert.equal(same.statusCode, 202, same.body);
    assert.deepEqual([same.json().policy, same.json().admitted, same.json().changed], ['protect-published', 3, 0]);
    // a score review raises Bình to 28.50, above QHI's published cut-off (27.00)
    await marks(get().db, binh, { TOAN: 9.5, LI: 9.5, HOA: 9.5 });
    const res = await start();
    assert.equal(res.statusCode, 202, res.body);
    const run = res.json();
    protectedRun = run.id;
    assert.equal(run.kind, 'provisional');
    assert.equal(run.policy, 'protect-published');
    assert.equal(run.algorithm, 'student-proposing-deferred-acceptance/1+protect-published/1');
    assert.deepEqual([run.admitted, run.changed], [3, 1]);
    const a = await admittedOf(run.id);
    assert.equal(a.get(an.candidateId), 'QHI-7480201-100#1');
    assert.equal(a.get(binh.candidateId), 'QHI-7480201-100#1');
    assert.equal(a.get(chi.candidateId), 'BKA-7520103-100#2');
    const cut = await get().db.read.selectFrom('admission_run_programmes').select(['programme_id', 'cutoff_centi', 'admitted', 'quota', 'last_place_candidate_id']).where('run_id', '=', run.id).orderBy('programme_id').execute();
    // each programme holds to its published last place, recorded for the run after this one: BKA's is still
    // Bình's place at 24.00, though she moved up
    assert.deepEqual(
      cut.map((c) => [c.programme_id, c.admitted, c.quota, c.cutoff_centi, c.last_place_candidate_id]),
      [
        ['BKA-7520103-100', 1, 2, 2400, binh.candidateId],
        ['QHI-7480201-100', 2, 1, 2700, an.candidateId],
      ],
    );
    const ch = (await app.inject({ method: 'GET', url: `/api/admission/runs/${run.id}/changes`, headers: as(ministry) })).json();
    assert.deepEqual(ch.changes, [
      {
        candidateId: binh.candidateId,
        before: { programmeId: 'BKA-7520103-100', wish: 2 },
        after: { programmeId: 'QHI-7480201-100', wish: 1 },
        why: 'moved-up',
        vi: 'Được xét lên nguyện vọng cao hơn sau phúc khảo: điểm mới đạt điểm chuẩn đã công bố của nguyện vọng đó (xét tuyển bổ sung nếu vượt chỉ tiêu).',
        en: "Moved up to a higher wish after a score review: the new score reaches that wish's published cut-off (admitted additionally if beyond the quota).",
      },
    ]);
    // what it protected was read in keyset batches: every published admission, once
    const read: string[] = [];
    for await (const rows of publishedAdmissionBatches(get().db.read, run.previousRunId, 2)) read.push(...rows.map((r) => `${r.candidateId}:${r.programmeId}:${r.score}`));
    assert.deepEqual(read.sort(), [`${an.candidateId}:QHI-7480201-100:2700`, `${binh.candidateId}:BKA-7520103-100:2400`, `${chi.candidateId}:BKA-7520103-100:2850`].sort());
    const started = await get().db.read.selectFrom('audit_log').select('details').where('action', '=', 'admission.run_started').where('target_id', '=', run.id).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(started.details as string).policy, 'protect-published');
  });

  test('a recompute after a publication needs a reason (bilingual, naming the field); the second run after a score review lists who changed and why; the published run is superseded, not deleted', async () => {
    for (const short of [undefined, 'ngắn']) {
      const bare = await start(short, 'recompute');
      assert.equal(bare.statusCode, 400, bare.body);
      assert.equal(bare.json().error.code, 'ADMISSION_RUN_REASON_REQUIRED');
      const f = bare.json().error.fields[0];
      assert.equal(f.field, 'reason');
      assert.match(f.vi, /lý do/);
      assert.match(f.en, /reason/);
    }
    // from scratch, Bình takes QHI's one place from An, who falls to his second wish
    const res = await start('Điểm thay đổi sau phúc khảo của Sở 01', 'recompute');
    assert.equal(res.json().policy, 'recompute');
    assert.equal(res.json().algorithm, 'student-proposing-deferred-acceptance/1');
    // the policy is part of the hashed input: the same marks under the other policy is another input
    const listed = (await app.inject({ method: 'GET', url: '/api/admission/runs', headers: as(ministry) })).json().runs;
    const prot = listed.find((r: { id: string }) => r.id === protectedRun);
    assert.notEqual(res.json().inputHash, prot.inputHash);
    assert.equal(res.statusCode, 202, res.body);
    second = res.json().id;
    assert.equal(res.json().changed, 2);
    const ch = await app.inject({ method: 'GET', url: `/api/admission/runs/${second}/changes`, headers: as(ministry) });
    assert.equal(ch.statusCode, 200, ch.body);
    const byId = new Map(ch.json().changes.map((x: { candidateId: string }) => [x.candidateId, x]));
    assert.deepEqual(byId.get(binh.candidateId), {
      candidateId: binh.candidateId,
      before: { programmeId: 'BKA-7520103-100', wish: 2 },
      after: { programmeId: 'QHI-7480201-100', wish: 1 },
      why: 'own-score',
      vi: 'Điểm xét tuyển của thí sinh thay đổi (phúc khảo, điều chỉnh).',
      en: "The candidate's own score changed (score review, correction).",
    });
    assert.equal((byId.get(an.candidateId) as { why: string }).why, 'cutoff');
    // until published, candidates still see the published run
    assert.equal((await own(binh)).json().admitted.programme.id, 'BKA-7520103-100');
    const pub = await publish(second);
    assert.equal(pub.statusCode, 200, pub.body);
    assert.equal(pub.json().superseded, first);
    const runs = (await app.inject({ method: 'GET', url: '/api/admission/runs', headers: as(ministry) })).json().runs;
    assert.equal(runs.find((r: { id: string }) => r.id === first).kind, 'superseded');
    assert.equal((await own(binh)).json().admitted.programme.id, 'QHI-7480201-100');
    const an2 = (await own(an)).json();
    assert.deepEqual([an2.admitted.wish, an2.notObtained[0].reason, an2.notObtained[0].cutoff], [2, 'below-cutoff', 2850]);
    // each candidate whose result changed sees what they had and why; the others see no change
    const b2 = (await own(binh)).json();
    assert.deepEqual([b2.change.before.wish, b2.change.before.programme.id, b2.change.why, b2.change.confirmedBefore], [2, 'BKA-7520103-100', 'own-score', null]);
    assert.match(b2.change.en, /own score changed/);
    assert.deepEqual([an2.change.before.wish, an2.change.before.programme.id, an2.change.why], [1, 'QHI-7480201-100', 'cutoff']);
    assert.equal((await own(chi)).json().change, null);
    // a published run cannot be published again
    assert.equal((await publish(second)).statusCode, 409);
  });

  test('enrolment: confirmed before the deadline; refused after it with a clear message, and for a candidate admitted nowhere', async () => {
    now = new Date('2026-08-25T03:00:00Z');
    const ok = await confirm(an);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().programme.id, 'BKA-7520103-100');
    assert.ok((await own(an)).json().enrolment.confirmedAt);
    const nobody = await confirm(dung);
    assert.equal(nobody.statusCode, 409, nobody.body);
    assert.equal(nobody.json().error.code, 'ADMISSION_NOT_ADMITTED');
    now = AFTER_DEADLINE;
    const late = await confirm(binh);
    assert.equal(late.statusCode, 409, late.body);
    assert.equal(late.json().error.code, 'ENROLMENT_CLOSED');
    assert.match(late.json().error.vi, /30\/08\/2026 17:00/);
    assert.equal((await own(binh)).json().enrolment.open, false);
    const dash = (await app.inject({ method: 'GET', url: '/api/admission/dashboard', headers: as(ministry) })).json();
    assert.equal(dash.totals.confirmed, 1);
    assert.equal(dash.totals.admitted, 3);
    assert.deepEqual(dash.byWish, [
      { wish: 1, admitted: 1 },
      { wish: 2, admitted: 2 },
    ]);
  });

  test('a later publication that moves a candidate who confirmed enrolment tells them their confirmation no longer holds', async () => {
    now = new Date('2026-08-26T03:00:00Z');
    // An confirmed at BKA; a correction lowers An to 12.00, below the year's 15-point floor: his wishes become
    // ineligible and he is admitted nowhere
    await marks(get().db, an, { TOAN: 4, LI: 4, HOA: 4 });
    const res = await start('Điều chỉnh điểm của thí sinh An', 'recompute');
    assert.equal(res.statusCode, 202, res.body);
    assert.equal((await publish(res.json().id)).statusCode, 200);
    const a3 = (await own(an)).json();
    assert.equal(a3.admitted, null);
    assert.equal(a3.enrolment.confirmedAt, null);
    assert.deepEqual([a3.change.before.programme.id, a3.change.why, a3.change.confirmedBefore.programme.id], ['BKA-7520103-100', 'wishes', 'BKA-7520103-100']);
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P3, YEAR, dept01, makeCandidates, makeDossier, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import { upsertAverages } from '../results/results.repository.ts';
import { resultsRoutes } from '../results/routes.ts';
import { reviewsRoutes } from './routes.ts';

const dept01b: Actor = { ...dept01, userId: 'u-department_officer-01-second' };
const dept02: Actor = { ...dept01, userId: 'u-department_officer-02', orgUnitId: 'org-02', departmentCode: '02' };
const candidate = (c: MadeCandidate): Actor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });

const CT2018_DOSSIER = {
  status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
  purpose: 'both',
  subjects: { electives: ['LI', 'NN'], foreignLanguage: 'N1' },
};

// results published at 08:00 on 16 Jul: requests until 17:00 on 25 Jul (10 days, the default)
const PUBLISHED = new Date('2026-07-16T01:00:00Z');
const IN_WINDOW = new Date('2026-07-17T03:00:00Z');
const CLOSED = new Date('2026-07-25T10:00:00Z');

function upload(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const b = 'reviewsboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

async function setDossier(db: Db, c: MadeCandidate): Promise<void> {
  await db.write((trx) => trx.updateTable('dossiers').set({ data: JSON.stringify({ contact: { phone: '0912345678', address: 'Hà Nội' }, ...CT2018_DOSSIER }), programme: 'CT2018' }).where('candidate_id', '=', c.candidateId).execute());
}

async function number(db: Db, c: MadeCandidate, n: string): Promise<void> {
  await db.write((trx) =>
    trx.insertInto('candidate_numbers').values({ candidate_id: c.candidateId, exam_year: YEAR, department_code: c.departmentCode, number: n, serial: Number(n.slice(2)), site_id: 'site', withdrawn: 0, assigned_at: 'x', updated_at: 'x' }).execute(),
  );
}

describeEachDb('score reviews: window, papers, withdrawal, outcomes, four eyes, graduation, notification, scope', (get) => {
  let app: FastifyInstance;
  let an: MadeCandidate;
  let binh: MadeCandidate;
  let nhi: MadeCandidate;
  let now = PUBLISHED;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [an, binh] = (await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình'])) as [MadeCandidate, MadeCandidate];
    [nhi] = (await makeCandidates(db, P3, ['Ngô Phương Nhi'])) as [MadeCandidate];
    for (const c of [an, binh, nhi]) {
      await makeDossier(db, c, 'verified');
      await setDossier(db, c);
    }
    await number(db, an, '01000001');
    await number(db, binh, '01000002');
    await number(db, nhi, '02000001');
    await db.write((trx) =>
      upsertAverages(
        trx,
        YEAR,
        [an, binh].map((c) => ({ candidateId: c.candidateId, pointId: c.pointId, departmentCode: '01', grade10: 700, grade11: 700, grade12: 700, graduationGroups: [] })),
        'test',
        PUBLISHED,
      ),
    );
    app = await backOfficeTestApp(db, () => now, [resultsRoutes, reviewsRoutes]);
    // Bình scores 1.00 in Toán: a paper at or below 1.0 fails her although her ĐXTN is above 5
    const csv = ['SBD,Môn thi,Điểm thi', '01000001,TOAN,7', '01000001,VAN,6', '01000001,LI,8', '01000001,NN,7', '01000002,TOAN,1', '01000002,VAN,6', '01000002,LI,7', '01000002,NN,7'].join('\n');
    const up = upload('diem.csv', csv);
    const staged = await app.inject({ method: 'POST', url: '/api/results/departments/01/imports', payload: up.payload, headers: { ...up.headers, ...as(dept01) } });
    assert.equal(staged.statusCode, 201, staged.body);
    const pub = await app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${staged.json().import.id}/publish`, headers: as(dept01b) });
    assert.equal(pub.statusCode, 200, pub.body);
  });
  after(async () => app?.close());

  const own = (c: MadeCandidate) => app.inject({ method: 'GET', url: '/api/reviews/own', headers: as(candidate(c)) });
  const ask = (c: MadeCandidate, subjects: string[]) => app.inject({ method: 'POST', url: '/api/reviews/own', payload: { subjects }, headers: as(candidate(c)) });
  const withdraw = (c: MadeCandidate, id: string) => app.inject({ method: 'POST', url: `/api/reviews/own/${id}/withdraw`, headers: as(candidate(c)) });
  const start = (a: Actor, id: string, dept = '01') => app.inject({ method: 'POST', url: `/api/reviews/departments/${dept}/requests/${id}/start`, headers: as(a) });
  const outcome = (a: Actor, id: string, subject: string, reviewedMark: string, dept = '01') =>
    app.inject({ method: 'POST', url: `/api/reviews/departments/${dept}/requests/${id}/papers/${subject}/outcome`, payload: { reviewedMark }, headers: as(a) });
  const mark = (c: MadeCandidate, subject: string) => get().db.read.selectFrom('exam_marks').selectAll().where('candidate_id', '=', c.candidateId).where('subject', '=', subject).executeTakeFirstOrThrow();
  const result = (c: MadeCandidate) => get().db.read.selectFrom('exam_results').selectAll().where('candidate_id', '=', c.candidateId).executeTakeFirstOrThrow();
  const jobs = (key: string) => get().db.read.selectFrom('jobs').select(['kind', 'payload']).where('dedup_key', '=', key).execute();

  test('the candidate sees their papers, the window (10 days from the publication) and the fee per paper', async () => {
    now = IN_WINDOW;
    const res = await own(binh);
    assert.equal(res.statusCode, 200, res.body);
    const o = res.json();
    // the year pays online by default, but no payment gateway is configured here: the fee is paid at the point
    assert.deepEqual([o.number, o.windowState, o.feePerPaperVnd, o.payment, o.openOrder], ['01000002', 'open', 30000, 'at_point', null]);
    assert.deepEqual(o.window, { from: '2026-07-16', to: '2026-07-25', opensAt: '08:00', closesAt: '17:00' });
    assert.deepEqual(
      o.papers.map((p: { subject: string; kind: string; reviewable: boolean; mark: { vi: string } }) => [p.subject, p.kind, p.reviewable, p.mark.vi]),
      [
        ['LI', 'multiple_choice', true, '7,00'],
        ['NN', 'multiple_choice', true, '7,00'],
        ['TOAN', 'multiple_choice', true, '1,00'],
        ['VAN', 'essay', true, '6,00'],
      ],
    );
    assert.equal((await result(binh)).status, 'failed');
  });

  test('the window closed: refused (409, bilingual) and the refusal audited', async () => {
    now = CLOSED;
    const res = await ask(binh, ['TOAN']);
    assert.equal(res.statusCode, 409, res.body);
    const e = res.json().error;
    assert.equal(e.code, 'REVIEW_WINDOW_CLOSED');
    assert.ok(e.vi.length > 0 && e.en.length > 0);
    assert.equal((await own(binh)).json().windowState, 'closed');
    // the department's list says so too (an online fee unpaid by then is not handled)
    assert.equal((await app.inject({ method: 'GET', url: '/api/reviews/departments/01/requests', headers: as(dept01) })).json().windowState, 'closed');
    const audit = await get().db.read.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'review.request_refused').execute();
    assert.deepEqual(audit, [{ action: 'review.request_refused', target_id: binh.candidateId }]);
    now = IN_WINDOW;
  });

  test('a paper not sat (or named twice) is refused, naming the field', async () => {
    const res = await ask(binh, ['HOA', 'TOAN', 'TOAN']);
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(
      res.json().error.fields.map((f: { code: string; field: string }) => [f.code, f.field]),
      [
        ['REVIEW_PAPER_NOT_SAT', 'subjects.0'],
        ['REVIEW_DUPLICATE_PAPER', 'subjects.2'],
      ],
    );
    assert.equal((await get().db.read.selectFrom('review_requests').selectAll().execute()).length, 0);
  });

  let anRequest = '';
  test('without a payment gateway a request records the fee as owed at the point; one request per paper; withdrawn before it is started, then asked again', async () => {
    const res = await ask(an, ['VAN', 'LI']);
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    assert.deepEqual([r.status, r.feePerPaperVnd, r.feeTotalVnd, r.payment, r.number], ['requested', 30000, 60000, 'at_point', '01000001']);
    assert.deepEqual(
      r.items.map((i: { subject: string; paperKind: string; original: { vi: string }; outcome: null }) => [i.subject, i.paperKind, i.original.vi, i.outcome]),
      [
        ['LI', 'multiple_choice', '8,00', null],
        ['VAN', 'essay', '6,00', null],
      ],
    );
    const again = await ask(an, ['VAN']);
    assert.equal(again.statusCode, 400);
    assert.deepEqual(again.json().error.fields.map((f: { code: string }) => f.code), ['REVIEW_ALREADY_REQUESTED']);
    // another candidate cannot touch it
    assert.equal((await withdraw(binh, r.id)).statusCode, 404);
    const w = await withdraw(an, r.id);
    assert.equal(w.statusCode, 200, w.body);
    assert.equal(w.json().status, 'withdrawn');
    const second = await ask(an, ['VAN']);
    assert.equal(second.statusCode, 201, second.body);
    anRequest = second.json().id;
    const audit = await get().db.read.selectFrom('audit_log').select('action').where('action', 'in', ['review.requested', 'review.withdrawn']).orderBy('at').execute();
    assert.deepEqual(
      audit.map((a) => a.action).sort(),
      ['review.requested', 'review.requested', 'review.withdrawn'],
    );
  });

  test('scope: another department neither lists, starts nor records; a candidate does not list', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/api/reviews/departments/01/requests', headers: as(dept02) })).statusCode, 403);
    assert.equal((await start(dept02, anRequest)).statusCode, 403);
    // their own department's path does not reach another council's request either
    assert.equal((await start(dept02, anRequest, '02')).statusCode, 404);
    assert.equal((await outcome(dept02, anRequest, 'VAN', '7')).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/reviews/departments/01/requests', headers: as(candidate(an)) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/reviews/own', headers: as(dept01) })).statusCode, 403);
  });

  test('an essay reviewed within 0.25 keeps its mark; the candidate is told; the request is done; no withdrawal once started', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/reviews/departments/01/requests?status=requested', headers: as(dept01) });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual([list.json().total, list.json().items[0].id], [1, anRequest]);
    assert.equal((await outcome(dept01, anRequest, 'VAN', '6.1')).json().error.code, 'REVIEW_WRONG_STATUS');
    assert.equal((await start(dept01, anRequest)).statusCode, 200);
    const late = await withdraw(an, anRequest);
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'REVIEW_NOT_WITHDRAWABLE');
    const res = await outcome(dept01, anRequest, 'VAN', '6,2');
    assert.equal(res.statusCode, 200, res.body);
    const item = res.json().items[0];
    assert.deepEqual([item.outcome, item.reviewedScore, item.new.vi, item.recordedBy], ['unchanged', 6.2, '6,00', dept01.kind === 'user' ? dept01.userId : '']);
    assert.equal(res.json().status, 'done');
    assert.equal((await mark(an, 'VAN')).score_centi, 600);
    const queued = await jobs(`notify:review.outcome:${anRequest}:VAN`);
    assert.equal(queued.length, 1);
    assert.deepEqual(JSON.parse(queued[0]!.payload).params.changed, 'no');
    assert.equal((await outcome(dept01, anRequest, 'VAN', '7')).statusCode, 409);
    const listed = await get().db.read.selectFrom('audit_log').select('action').where('action', '=', 'personal_data.read').where('target_type', '=', 'review_requests').execute();
    assert.equal(listed.length, 1);
  });

  test('changed marks (multiple choice re-marked; an essay by 0.5) go through four eyes; on publication graduation is recomputed (failed → passed) and the candidate told', async () => {
    const asked = await ask(binh, ['TOAN', 'VAN']);
    assert.equal(asked.statusCode, 201, asked.body);
    const id = asked.json().id;
    assert.equal((await start(dept01, id)).statusCode, 200);
    // a re-marked multiple-choice paper lands on the step
    const off = await outcome(dept01, id, 'TOAN', '1.1');
    assert.equal(off.statusCode, 400);
    assert.deepEqual(off.json().error.fields.map((f: { code: string; field: string }) => [f.code, f.field]), [['MARK_STEP', 'reviewedMark']]);
    const rec = await outcome(dept01, id, 'TOAN', '1.25');
    assert.equal(rec.statusCode, 200, rec.body);
    assert.deepEqual([rec.json().items[0].outcome, rec.json().items[0].new.vi, rec.json().status], ['changed', '1,25', 'in_review']);
    const essay = await outcome(dept01, id, 'VAN', '6.5');
    assert.equal(essay.statusCode, 200, essay.body);
    assert.deepEqual([essay.json().items[1].subject, essay.json().items[1].outcome, essay.json().items[1].new.vi], ['VAN', 'changed', '6,50']);
    // recorded is not published: the mark and the result stand until a second officer publishes
    assert.equal((await mark(binh, 'TOAN')).score_centi, 100);

    const staged = await app.inject({ method: 'POST', url: '/api/reviews/departments/01/stage', headers: as(dept01) });
    assert.equal(staged.statusCode, 201, staged.body);
    const { importId, version, changed } = staged.json();
    assert.deepEqual([version, changed], [2, 2]);
    const report = (await app.inject({ method: 'GET', url: `/api/results/departments/01/imports/${importId}`, headers: as(dept01b) })).json();
    assert.deepEqual([report.import.kind, report.import.status, report.publishableByMe], ['review', 'staged', true]);
    assert.deepEqual(
      report.changes.map((c: { number: string; subject: string; change: string; old: { vi: string }; new: { vi: string } }) => [c.number, c.subject, c.change, c.old.vi, c.new.vi]),
      [
        ['01000002', 'TOAN', 'changed', '1,00', '1,25'],
        ['01000002', 'VAN', 'changed', '6,00', '6,50'],
      ],
    );
    // nothing more to send while it is staged
    assert.equal((await app.inject({ method: 'POST', url: '/api/reviews/departments/01/stage', headers: as(dept01) })).json().error.code, 'REVIEW_NOTHING_TO_STAGE');

    const self = await app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${importId}/publish`, headers: as(dept01) });
    assert.equal(self.statusCode, 403);
    assert.equal(self.json().error.code, 'FOUR_EYES_REQUIRED');
    assert.equal((await mark(binh, 'TOAN')).score_centi, 100);

    const pub = await app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${importId}/publish`, headers: as(dept01b) });
    assert.equal(pub.statusCode, 200, pub.body);
    assert.deepEqual([pub.json().changed, pub.json().results.computed, pub.json().results.passed], [2, 1, 1]);
    const m = await mark(binh, 'TOAN');
    assert.deepEqual([m.score_centi, m.version], [125, 2]);
    assert.equal((await mark(binh, 'VAN')).score_centi, 650);
    // ĐXTN = [(1.25 + 6.5 + 7 + 7)/4 + 7]/2 = 6.21875 → 6.22
    const r = await result(binh);
    assert.deepEqual([r.status, r.score_centi, r.version, r.import_id], ['passed', 622, 2, importId]);
    // An's marks and result are untouched by Bình's review
    assert.equal((await result(an)).version, 1);

    const mine = (await own(binh)).json().requests[0];
    assert.equal(mine.status, 'done');
    const it = mine.items[0];
    assert.deepEqual([it.outcome, it.original.vi, it.new.vi, it.resultBefore, it.resultAfter, it.importId], ['changed', '1,00', '1,25', 'failed', 'passed', importId]);
    assert.ok(it.publishedAt && it.recordedAt);
    const queued = await jobs(`notify:review.outcome:${id}:TOAN`);
    assert.equal(queued.length, 1);
    const p = JSON.parse(queued[0]!.payload);
    assert.deepEqual([p.userId, p.params.changed, p.params.old, p.params.new], [binh.userId, 'yes', '1,00', '1,25']);
    assert.equal((await jobs(`notify:review.outcome:${id}:VAN`)).length, 1);
    const published = await get().db.read.selectFrom('audit_log').select(['details']).where('action', '=', 'results.published').orderBy('at', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([JSON.parse(published.details!).kind, JSON.parse(published.details!).reviewed], ['review', 2]);
  });
});

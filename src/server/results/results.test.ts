import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P3, IN_CORRECTION, WINDOWS, YEAR, dept01, makeCandidates, makeDossier, officer1, officer3, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import { forgetCurrentExamYear, insertExamYear } from '../exam-years/exam-years.repository.ts';
import type { Actor } from '../policy/policy.ts';
import { resultsRoutes } from './routes.ts';

const dept01b: Actor = { ...dept01, userId: 'u-department_officer-01-second' };
const dept02: Actor = { ...dept01, userId: 'u-department_officer-02', orgUnitId: 'org-02', departmentCode: '02' };

function upload(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const b = 'resultsboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

const CT2018_DOSSIER = {
  status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
  purpose: 'both',
  subjects: { electives: ['LI', 'NN'], foreignLanguage: 'N1' },
};
const CT2006_DOSSIER = {
  status: { candidateType: 'current', graduated: false, programme: 'CT2006', track: 'THPT' },
  purpose: 'both',
  subjects: { electives: [], combinations: ['KHTN'], foreignLanguage: 'N1' },
};

async function setDossier(db: Db, c: MadeCandidate, data: object, programme: string): Promise<void> {
  await db.write((trx) => trx.updateTable('dossiers').set({ data: JSON.stringify({ contact: { phone: '0912345678', address: 'Hà Nội' }, ...data }), programme }).where('candidate_id', '=', c.candidateId).execute());
}

async function number(db: Db, c: MadeCandidate, n: string, year = YEAR): Promise<void> {
  await db.write((trx) =>
    trx.insertInto('candidate_numbers').values({ candidate_id: c.candidateId, exam_year: year, department_code: c.departmentCode, number: n, serial: Number(n.slice(2)), site_id: 'site', withdrawn: 0, assigned_at: 'x', updated_at: 'x' }).execute(),
  );
}

describeEachDb('results: marks import, four eyes, difference, graduation (CT2018)', (get) => {
  let app: FastifyInstance;
  let an: MadeCandidate;
  let binh: MadeCandidate;
  let nhi: MadeCandidate;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [an, binh] = (await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình'])) as [MadeCandidate, MadeCandidate];
    [nhi] = (await makeCandidates(db, P3, ['Ngô Phương Nhi'])) as [MadeCandidate];
    for (const c of [an, binh, nhi]) {
      await makeDossier(db, c, 'verified');
      await setDossier(db, c, CT2018_DOSSIER, 'CT2018');
    }
    await number(db, an, '01000001');
    await number(db, binh, '01000002');
    await number(db, nhi, '02000001');
    app = await backOfficeTestApp(db, () => IN_CORRECTION, [resultsRoutes]);
  });
  after(async () => app?.close());

  const send = (a: Actor, url: string, name: string, text: string) => app.inject({ method: 'POST', url, ...upload(name, text), headers: { ...upload(name, text).headers, ...as(a) } });
  const marks = (a: Actor, text: string) => send(a, '/api/results/departments/01/imports', 'diem.csv', text);
  const publish = (a: Actor, id: string) => app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${id}/publish`, headers: as(a) });
  const result = (c: MadeCandidate) => get().db.read.selectFrom('exam_results').selectAll().where('candidate_id', '=', c.candidateId).executeTakeFirst();

  test('scope: another department, a point and the uploader of nothing are refused', async () => {
    const csv = 'Số báo danh,Mã môn,Điểm\n01000001,TOAN,7.5\n';
    assert.equal((await marks(dept02, csv)).statusCode, 403);
    assert.equal((await marks(officer1, csv)).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/results/departments/01/imports', headers: as(dept02) })).statusCode, 403);
    assert.equal((await send(officer3, `/api/results/points/${P1}/averages`, 'tb.csv', 'Số định danh,Điểm TB lớp 12\n1,7\n')).statusCode, 403);
  });

  test('the school-year averages: checked row by row, saved only when clean unless the valid rows are asked for', async () => {
    const csv = [
      'STT,Họ và tên,Số định danh,Điểm TB lớp 10,Điểm TB lớp 11,Điểm TB lớp 12,Diện ưu tiên xét tốt nghiệp',
      `1,Nguyễn Văn An,${an.idNumber},7,"7,5",8,`,
      `2,Trần Văn Bình,${binh.idNumber},6,6,6,`,
      `3,Ngô Phương Nhi,${nhi.idNumber},6,6,6,`,
      `4,Nguyễn Văn An,${an.idNumber},11,6,,TN9`,
    ].join('\n');
    const res = await send(officer1, `/api/results/points/${P1}/averages`, 'tb.csv', csv);
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.deepEqual(
      out.findings.map((f: { row: number; field: string; code: string }) => [f.row, f.field, f.code]),
      [
        [3, 'fullName', 'NAME_MISMATCH'],
        [4, 'idNumber', 'CANDIDATE_UNKNOWN'],
        [5, 'idNumber', 'DUPLICATE_IN_FILE'],
        [5, 'grade10', 'AVERAGE_INVALID'],
        [5, 'grade12', 'GRADE12_MISSING'],
        [5, 'groups', 'GROUP_UNKNOWN'],
      ],
    );
    assert.ok(out.findings.every((f: { vi: string; en: string }) => f.vi.length > 0 && f.en.length > 0));
    assert.deepEqual([out.totalRows, out.validRows, out.errorRows, out.saved], [4, 1, 3, 0]);
    const partial = (await send(officer1, `/api/results/points/${P1}/averages?mode=valid_rows`, 'tb.csv', csv)).json();
    assert.equal(partial.saved, 1);
    const row = await get().db.read.selectFrom('school_averages').selectAll().where('candidate_id', '=', an.candidateId).executeTakeFirstOrThrow();
    assert.deepEqual([row.grade10_centi, row.grade11_centi, row.grade12_centi, row.graduation_groups], [700, 750, 800, null]);
  });

  let first = '';
  test('the marks: every row checked, the report names the row and the field; valid rows staged as version 1', async () => {
    const csv = [
      'Số báo danh / Candidate number,Mã môn / Subject code,Điểm / Mark,Kỷ luật / Sanction',
      '01000001,TOAN,"7,5",',
      '01000001,Ngữ văn,6.75,',
      '01000001,LI,8,',
      '01000001,NN,7,',
      '01000002,TOAN,V,', // absent: a valid row
      '01000002,HOA,6,', // not registered
      '02000001,TOAN,5,', // another council's candidate
      '0100002,VAN,5,', // not 8 digits
      '01000002,VAN,7.3,', // off the step
      '01000002,LI,11,', // out of range
      '01000001,TOAN,8,', // twice
      '01000002,NN,5,XX', // unknown sanction
      '01000002,TIENG,5,', // no such subject
    ].join('\n');
    const res = await marks(dept01, csv);
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    assert.deepEqual(
      r.findings.map((f: { row: number; field: string; code: string }) => [f.row, f.field, f.code]),
      [
        [7, 'subject', 'SUBJECT_NOT_REGISTERED'],
        [8, 'number', 'NUMBER_UNKNOWN'],
        [9, 'number', 'NUMBER_INVALID'],
        [10, 'mark', 'MARK_STEP'],
        [11, 'mark', 'MARK_OUT_OF_RANGE'],
        [12, 'subject', 'DUPLICATE_IN_FILE'],
        [13, 'sanction', 'SANCTION_INVALID'],
        [14, 'subject', 'SUBJECT_UNKNOWN'],
      ],
    );
    assert.match(r.findings[0].vi, /không đăng ký dự thi môn Hóa học/);
    assert.match(r.findings[0].en, /did not register for Chemistry/);
    assert.deepEqual([r.import.version, r.import.status, r.import.baseVersion, r.import.totalRows, r.import.validRows, r.import.errorRows], [1, 'staged', 0, 13, 5, 8]);
    assert.deepEqual([r.import.added, r.import.changed, r.import.removed, r.import.unchanged], [5, 0, 0, 0]);
    assert.deepEqual(r.import.subjects, ['LI', 'NN', 'TOAN', 'VAN']);
    assert.equal(r.publishableByMe, false);
    assert.deepEqual(r.changes[0], { row: 2, number: '01000001', subject: 'TOAN', change: 'added', old: null, new: { kind: 'score', score: 7.5, sanction: null, vi: '7,50', en: '7.50' } });
    first = r.import.id;
    // nothing is published yet
    assert.equal((await get().db.read.selectFrom('exam_marks').selectAll().execute()).length, 0);
  });

  test('four eyes: the uploader may not publish (refusal audited); another department may not either; a second officer publishes', async () => {
    const self = await publish(dept01, first);
    assert.equal(self.statusCode, 403, self.body);
    assert.equal(self.json().error.code, 'FOUR_EYES_REQUIRED');
    assert.equal((await publish(dept02, first)).statusCode, 403);
    const refused = await get().db.read.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'results.publish_refused').execute();
    assert.deepEqual(refused, [{ action: 'results.publish_refused', actor_id: dept01.kind === 'user' ? dept01.userId : '' }]);
    assert.equal((await get().db.read.selectFrom('exam_marks').selectAll().execute()).length, 0);

    const view = (await app.inject({ method: 'GET', url: `/api/results/departments/01/imports/${first}`, headers: as(dept01b) })).json();
    assert.equal(view.publishableByMe, true);
    const ok = await publish(dept01b, first);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { version: 1, added: 5, changed: 0, removed: 0, superseded: 0, results: { computed: 2, passed: 1, failed: 1, incomplete: 0, notApplicable: 0 } });
    assert.equal((await publish(dept01, first)).json().error.code, 'RESULTS_NOT_STAGED');
  });

  test('graduation computed on publish: CT2018 with averages, ĐXTN = [(sum of 4)/4 + ĐTB]/2', async () => {
    // ĐTB = (7×1 + 7.5×2 + 8×3)/6 = 7.67; exam (7.5 + 6.75 + 8 + 7)/4 = 7.3125; (7.3125 + 7.67)/2 = 7.49
    const r = await result(an);
    assert.ok(r);
    assert.deepEqual([r.number, r.scheme, r.version, r.status, r.score_centi, r.school_average_centi, r.divisor, r.import_id], ['01000001', 'CT2018', 1, 'passed', 749, 767, 4, first]);
    assert.deepEqual(JSON.parse(r.reasons), []);
    // Bình was absent from Toán: fails, and the reason says so in both languages
    const b = await result(binh);
    assert.equal(b?.status, 'failed');
    assert.equal(b?.score_centi, null);
    const reasons = JSON.parse(b!.reasons) as Array<{ code: string; vi: string; en: string }>;
    assert.ok(reasons.some((x) => x.code === 'GRAD_PAPER_ABSENT' && /vắng thi môn Toán/.test(x.vi) && /absent from the Mathematics paper/.test(x.en)), b!.reasons);
  });

  test('a re-import says exactly what changed (added, changed old → new, removed) and publishing writes only that', async () => {
    const db = get().db;
    const before = await db.read.selectFrom('exam_marks').selectAll().orderBy('candidate_id').orderBy('subject').execute();
    const csv = ['SBD,Môn thi,Điểm thi,Kỷ luật', '01000001,TOAN,7.75,', '01000001,VAN,6.75,', '01000002,TOAN,"6,5",KT', '01000002,LI,6,'].join('\n');
    const res = await marks(dept01b, csv);
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    assert.deepEqual([r.import.version, r.import.baseVersion, r.import.added, r.import.changed, r.import.removed, r.import.unchanged], [2, 1, 1, 2, 1, 1]);
    assert.deepEqual(
      r.changes.map((c: { number: string; subject: string; change: string; old: { vi: string } | null; new: { vi: string } | null }) => [c.number, c.subject, c.change, c.old?.vi ?? null, c.new?.vi ?? null]),
      [
        ['01000001', 'TOAN', 'changed', '7,50', '7,75'],
        ['01000002', 'TOAN', 'changed', 'Vắng', '6,50 (KT)'],
        ['01000002', 'LI', 'added', null, '6,00'],
        // An's Vật lí is not in this file, which has Vật lí rows: it would be removed
        ['01000001', 'LI', 'removed', '8,00', null],
      ],
    );
    // a third upload staged against version 1 too
    const stale = (await marks(dept01, 'SBD,Môn,Điểm\n01000001,VAN,9\n')).json().import.id;

    // the uploader (now the second officer) may not publish it; the first officer does
    assert.equal((await publish(dept01b, r.import.id)).statusCode, 403);
    const ok = await publish(dept01, r.import.id);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual([ok.json().version, ok.json().superseded, ok.json().results.computed], [2, 1, 2]);

    const after = await db.read.selectFrom('exam_marks').selectAll().orderBy('candidate_id').orderBy('subject').execute();
    const byKey = (rows: typeof after) => new Map(rows.map((m) => [`${m.candidate_id === an.candidateId ? 'an' : 'binh'}/${m.subject}`, m]));
    const was = byKey(before);
    const now = byKey(after);
    assert.equal(now.get('an/TOAN')?.score_centi, 775);
    assert.equal(now.get('an/TOAN')?.version, 2);
    assert.ok(!now.has('an/LI'), 'removed');
    assert.deepEqual(now.get('binh/TOAN'), { ...now.get('binh/TOAN')!, kind: 'score', score_centi: 650, sanction: 'reprimand', version: 2 });
    assert.equal(now.get('binh/LI')?.score_centi, 600);
    // unchanged rows and papers not in the file are not touched
    assert.deepEqual(now.get('an/VAN'), was.get('an/VAN'));
    assert.deepEqual(now.get('an/NN'), was.get('an/NN'));

    // An now lacks Vật lí: the result says the paper is missing; it is version 2
    const a = await result(an);
    assert.deepEqual([a?.status, a?.version, a?.score_centi], ['incomplete', 2, null]);
    assert.ok((JSON.parse(a!.reasons) as Array<{ code: string }>).some((x) => x.code === 'GRAD_PAPER_MISSING'));

    // the upload staged against version 1 can no longer be published
    const late = await publish(dept01b, stale);
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'RESULTS_NOT_STAGED');
    const list = (await app.inject({ method: 'GET', url: '/api/results/departments/01/imports', headers: as(dept01) })).json();
    assert.equal(list.publishedVersion, 2);
    assert.deepEqual(list.items.map((i: { version: number; status: string }) => [i.version, i.status]), [[3, 'superseded'], [2, 'published'], [1, 'published']]);
  });

  test('averages that arrive after a publication enter the results at the next one, not before', async () => {
    const db = get().db;
    const csv = `Số định danh,Điểm TB lớp 10,Điểm TB lớp 11,Điểm TB lớp 12,Diện ưu tiên\n${binh.idNumber},6,6,6,TN2\n`;
    assert.equal((await send(officer1, `/api/results/points/${P1}/averages`, 'tb.csv', csv)).json().saved, 1);
    const b0 = await result(binh);
    assert.deepEqual([b0?.version, b0?.status], [2, 'incomplete']); // no Ngữ văn, Ngoại ngữ yet; unchanged until a publication
    const v3 = (await marks(dept01, 'SBD,Môn,Điểm\n01000002,VAN,5\n01000002,NN,"4,5"\n')).json().import.id;
    assert.equal((await publish(dept01b, v3)).statusCode, 200);
    // exam: 6.5 less 25% = 4.875, + 5 + 6 + 4.5 = 20.375; /4 = 5.09375; ĐTB 6; (5.09375 + 6)/2 = 5.546875; + 0.5 (TN2) = 6.046875 → 6.05
    const b = await result(binh);
    assert.deepEqual([b?.version, b?.status, b?.score_centi, b?.priority_centi], [4, 'passed', 605, 50]);
    const audit = await db.read.selectFrom('audit_log').select(['action']).where('action', 'in', ['results.import_staged', 'results.published', 'results.averages_imported']).execute();
    assert.deepEqual(
      [...new Set(audit.map((x) => x.action))].sort(),
      ['results.averages_imported', 'results.import_staged', 'results.published'],
    );
    // reading an import's report (numbers with marks) is a read of personal data
    const reads = await db.read.selectFrom('audit_log').select(['actor_id', 'target_type']).where('action', '=', 'personal_data.read').where('target_type', '=', 'result_import').execute();
    assert.ok(reads.length >= 1 && reads.every((x) => x.actor_id === 'u-department_officer-01-second'));
  });
});

describeEachDb('results: an XLSX file and what others may see', (get) => {
  let app: FastifyInstance;
  before(async () => {
    const db = get().db;
    await seedStructure(db);
    const [c] = (await makeCandidates(db, P1, ['Phạm Minh Đức'])) as [MadeCandidate];
    await makeDossier(db, c, 'verified');
    await setDossier(db, c, CT2018_DOSSIER, 'CT2018');
    await number(db, c, '01000001');
    app = await backOfficeTestApp(db, () => IN_CORRECTION, [resultsRoutes]);
  });
  after(async () => app?.close());

  test('an XLSX workbook with numeric cells is read like a CSV; another department sees nothing of it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Điểm');
    ws.addRow(['Số báo danh / Candidate number', 'Mã môn / Subject code', 'Điểm / Mark']);
    ws.addRow(['01000001', 'TOAN', 8.25]);
    ws.addRow(['01000001', 'Vật lí', 9]);
    ws.addRow([1000001, 'VAN', 7]); // a number cell loses the leading zero: not a candidate number
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const b = 'xlsxboundary';
    const payload = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="diem.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const res = await app.inject({ method: 'POST', url: '/api/results/departments/01/imports', payload, headers: { 'content-type': `multipart/form-data; boundary=${b}`, ...as(dept01) } });
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    assert.deepEqual([r.import.validRows, r.import.added, r.import.subjects], [2, 2, ['LI', 'TOAN']]);
    assert.deepEqual(r.findings.map((f: { row: number; field: string; code: string }) => [f.row, f.field, f.code]), [[4, 'number', 'NUMBER_INVALID']]);
    assert.equal((await app.inject({ method: 'GET', url: `/api/results/departments/01/imports/${r.import.id}`, headers: as(dept02) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: `/api/results/departments/02/imports/${r.import.id}`, headers: as(dept02) })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: `/api/results/departments/02/imports/${r.import.id}/publish`, headers: as(dept02) })).statusCode, 404);
  });
});

describeEachDb('results: a CT2006 candidate in 2025', (get) => {
  let app: FastifyInstance;
  let c: MadeCandidate;
  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [c] = (await makeCandidates(db, P1, ['Lê Thị Cúc'])) as [MadeCandidate];
    await makeDossier(db, c, 'verified');
    await setDossier(db, c, CT2006_DOSSIER, 'CT2006');
    // 2025 is the last year with CT2006 candidates: move the fixture's year there
    await db.write(async (trx) => {
      await insertExamYear(trx, { year: 2025, scheme: 'CT2018', windows: WINDOWS, published: true }, IN_CORRECTION);
      await trx.updateTable('exam_years').set({ status: 'draft' }).where('year', '=', YEAR).execute();
      await trx.updateTable('candidates').set({ exam_year: 2025 }).execute();
      await trx.updateTable('dossiers').set({ exam_year: 2025 }).execute();
    });
    forgetCurrentExamYear(db.read);
    await number(db, c, '01000001', 2025);
    app = await backOfficeTestApp(db, () => IN_CORRECTION, [resultsRoutes]);
  });
  after(async () => app?.close());

  test('[(sum of 4)/4 × 7 + grade 12 × 3]/10 with KHTN as the average of its papers; Toán steps by 0.2', async () => {
    const up = (a: Actor, url: string, name: string, text: string) => app.inject({ method: 'POST', url, payload: upload(name, text).payload, headers: { ...upload(name, text).headers, ...as(a) } });
    const avg = await up(officer1, `/api/results/points/${P1}/averages`, 'tb.csv', `Số định danh,Điểm TB lớp 12\n${c.idNumber},"7,1"\n`);
    assert.equal(avg.json().saved, 1, avg.body);
    const csv = ['SBD,Môn,Điểm', '01000001,TOAN,7.2', '01000001,VAN,6.5', '01000001,NN,5.4', '01000001,LI,6.25', '01000001,HOA,5.5', '01000001,SINH,4.75', '01000001,SU,5'].join('\n');
    const res = await up(dept01, '/api/results/departments/01/imports', 'diem.csv', csv);
    assert.equal(res.statusCode, 201, res.body);
    // Lịch sử is not among a KHTN candidate's papers
    assert.deepEqual(res.json().findings.map((f: { row: number; code: string }) => [f.row, f.code]), [[8, 'SUBJECT_NOT_REGISTERED']]);
    const ok = await app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${res.json().import.id}/publish`, headers: as(dept01b) });
    assert.equal(ok.statusCode, 200, ok.body);
    // KHTN = 5.5; (7.2 + 6.5 + 5.4 + 5.5)/4 × 7 = 43.05; + 7.1 × 3 = 64.35; /10 = 6.435 → 6.44
    const r = await get().db.read.selectFrom('exam_results').selectAll().where('candidate_id', '=', c.candidateId).executeTakeFirstOrThrow();
    assert.deepEqual([r.scheme, r.status, r.score_centi, r.school_average_centi, r.exam_year], ['CT2006', 'passed', 644, 710, 2025]);
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, YEAR, actor, dept01, makeCandidates, ministry, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import { registerAccessAudit } from '../audit/access-audit.ts';
import { staffRoutes } from '../accounts/staff-routes.ts';
import { admissionRoutes } from './routes.ts';
import { catalogueRoutes } from './catalogue-routes.ts';
import { forgetCurrentExamYear } from '../exam-years/exam-years.repository.ts';
import { yearProgrammes } from './run.repository.ts';
import { institutionWishCounts } from './admission.repository.ts';

const NOW = new Date('2026-07-20T03:00:00Z');
const ADMISSION = {
  wishCap: 15,
  teacherTrainingMaxPosition: 5,
  combinationFloor: 15,
  window: { opensAt: '2026-07-16T00:00:00+07:00', closesAt: '2026-07-28T17:00:00+07:00' },
  feePerWishVnd: 15000,
  paymentGroups: [],
};
const HEADER = 'Mã ngành,Tên ngành,Mã phương thức,Tổ hợp,Chỉ tiêu,Ngưỡng điểm,Sư phạm,Xét bằng điểm';
const officerOf = (code: string): Actor => actor('admissions_officer', code, '01');
const candidateOf = (c: MadeCandidate): Actor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });

function multipart(name: string, data: Buffer | string, type = 'text/csv'): { payload: Buffer; headers: Record<string, string> } {
  const b = 'catalogueboundary';
  const head = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, Buffer.isBuffer(data) ? data : Buffer.from(data), Buffer.from(`\r\n--${b}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describeEachDb('admission catalogue: institutions, officers, import with its report, review and publication', (get) => {
  let app: FastifyInstance;
  let an: MadeCandidate;
  let qhi = '';
  const upload = (who: Actor, inst: string, name: string, data: Buffer | string, type?: string) => {
    const m = multipart(name, data, type);
    return app.inject({ method: 'POST', url: `/api/admission/institutions/${inst}/programme-imports`, payload: m.payload, headers: { ...m.headers, ...as(who) } });
  };
  const commit = (who: Actor, inst: string, importId: string) => app.inject({ method: 'POST', url: `/api/admission/institutions/${inst}/programme-imports/${importId}/commit`, headers: as(who) });
  const audit = (action: string) => get().db.read.selectFrom('audit_log').select(['actor_id', 'target_type', 'target_id', 'details']).where('action', '=', action).execute();

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [an] = (await makeCandidates(db, P1, ['Nguyễn Văn An'])) as [MadeCandidate];
    await db.write((trx) => trx.updateTable('exam_years').set({ rules: JSON.stringify({ admission: ADMISSION }) }).where('year', '=', YEAR).execute());
    // the clock moves a second at each reading, so one import is checked or committed after another
    let tick = 0;
    app = await backOfficeTestApp(db, () => new Date(NOW.getTime() + 1000 * tick++), [staffRoutes, admissionRoutes, catalogueRoutes, async (a, s) => registerAccessAudit(a, s)]);
  });
  after(async () => app?.close());

  test('the ministry creates an institution; bad codes, unknown provinces and taken codes are named; others are refused', async () => {
    const create = (who: Actor, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/admission/institutions', payload: body, headers: as(who) });
    const bad = await create(ministry, { code: 'qh-1', name: 'Trường thử', provinceCode: '99' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`), ['code:INSTITUTION_CODE_FORMAT', 'provinceCode:PROVINCE_UNKNOWN']);
    assert.equal((await create(ministry, { code: 'QHI', name: 'T', provinceCode: '01' })).statusCode, 400, 'a name of one letter');
    const ok = await create(ministry, { code: 'QHI', name: 'Trường Đại học Công nghệ', provinceCode: '01' });
    assert.equal(ok.statusCode, 201, ok.body);
    qhi = ok.json().id;
    assert.deepEqual([ok.json().code, ok.json().provinceCode, ok.json().drafts, ok.json().published], ['QHI', '01', 0, 0]);
    assert.equal((await create(ministry, { code: 'SPH', name: 'Trường Đại học Sư phạm', provinceCode: '01' })).statusCode, 201);
    const taken = await create(ministry, { code: 'QHI', name: 'Trường khác', provinceCode: '02' });
    assert.deepEqual([taken.statusCode, taken.json().error.code], [409, 'ORG_CODE_TAKEN']);
    // a department's code is an org code too
    assert.equal((await create(ministry, { code: '01', name: 'Trùng mã Sở', provinceCode: '01' })).json().error.code, 'ORG_CODE_TAKEN');
    assert.equal((await create(dept01, { code: 'BKA', name: 'Bách khoa', provinceCode: '01' })).statusCode, 403);
    assert.equal((await create(officerOf('QHI'), { code: 'BKA', name: 'Bách khoa', provinceCode: '01' })).statusCode, 403);
    assert.deepEqual((await audit('admission.institution_created')).map((a) => a.target_id).sort(), ['org-QHI', 'org-SPH']);
  });

  test('the ministry creates the institution’s admissions officer, with a one-time password shown once', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/staff', payload: { username: 'qhi.tuyensinh', displayName: 'Cán bộ tuyển sinh QHI', role: 'admissions_officer', orgUnitId: qhi }, headers: as(ministry) });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().staff.role, 'admissions_officer');
    assert.equal(r.json().staff.orgUnitId, qhi);
    assert.ok(r.json().oneTimePassword.length >= 8);
    const dept = await app.inject({ method: 'POST', url: '/api/staff', payload: { username: 'qhi.khac', displayName: 'Cán bộ khác', role: 'admissions_officer', orgUnitId: qhi }, headers: as(dept01) });
    assert.equal(dept.statusCode, 403);
  });

  test('the template downloads as XLSX and, sent back as it is, reads as one valid programme', async () => {
    const sph = 'org-SPH';
    const t = await app.inject({ method: 'GET', url: `/api/admission/institutions/${sph}/programmes/template.xlsx`, headers: as(officerOf('SPH')) });
    assert.equal(t.statusCode, 200);
    assert.match(String(t.headers['content-type']), /spreadsheetml/);
    const r = await upload(officerOf('SPH'), sph, 'mau.xlsx', t.rawPayload);
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().totalRows, r.json().validRows, r.json().errorRows], [1, 1, 0]);
  });

  test('a file with bad rows: every row, field and reason named; nothing is written', async () => {
    const csv = [
      HEADER,
      '7480201,Công nghệ thông tin,100,A00;A01,120,"22,5",,admit-all-tied',
      '748020,Mã sai,100,A00,10,,,',
      '7480202,,100,A00,10,,,',
      '7480203,Phương thức sai,1,A00,10,,,',
      '7480204,Tổ hợp lạ,100,A00;X99,10,,,',
      '7480205,Hệ số sai,100,A00:VAN=2,10,,,',
      '7480206,Chỉ tiêu sai,100,A00,0,,,',
      '7480207,Ngưỡng sai,100,A00,10,31,,',
      '7480208,Sư phạm sai,100,A00,10,,có lẽ,',
      '7480209,Xét bằng điểm sai,100,A00,10,,,random',
      '7480201,Công nghệ thông tin,100,A00,10,,,',
      '7480210,=HYPERLINK("http://x"),100,A00,10,,,',
    ].join('\r\n');
    const r = await upload(officerOf('QHI'), qhi, 'ct.csv', csv);
    assert.equal(r.statusCode, 201, r.body);
    const rep = r.json();
    assert.deepEqual([rep.totalRows, rep.validRows, rep.errorRows, rep.canImport], [12, 1, 11, false]);
    assert.deepEqual(
      rep.findings.map((f: { row: number; field: string; code: string }) => `${f.row} ${f.field} ${f.code}`),
      [
        '3 code PROGRAMME_CODE_FORMAT',
        '4 name PROGRAMME_NAME_REQUIRED',
        '5 method METHOD_CODE_FORMAT',
        '6 combinations COMBINATION_UNKNOWN',
        '7 combinations WEIGHT_SUBJECT_NOT_IN_COMBINATION',
        '8 quota QUOTA_INVALID',
        '9 minScore MIN_SCORE_INVALID',
        '10 teacherTraining TEACHER_TRAINING_INVALID',
        '11 tieBreak TIE_BREAK_INVALID',
        '12 code DUPLICATE_IN_FILE',
        '13 name CELL_FORMULA',
      ],
    );
    assert.ok(rep.findings.every((f: { vi: string; en: string }) => f.vi.length > 0 && f.en.length > 0));
    const c = await commit(officerOf('QHI'), qhi, rep.importId);
    assert.deepEqual([c.statusCode, c.json().error.code], [409, 'IMPORT_HAS_ERRORS']);
    const programmes = await get().db.read.selectFrom('admission_programmes').select('id').where('institution_id', '=', qhi).execute();
    assert.equal(programmes.length, 0);
    const stored = await get().db.read.selectFrom('admission_programme_imports').select(['status', 'error_rows', 'report']).where('id', '=', rep.importId).executeTakeFirstOrThrow();
    assert.deepEqual([stored.status, stored.error_rows], ['validated', 11]);
    assert.equal(JSON.parse(stored.report).findings.length, 11);
    const again = await app.inject({ method: 'GET', url: `/api/admission/institutions/${qhi}/programme-imports/${rep.importId}`, headers: as(officerOf('QHI')) });
    assert.equal(again.json().findings.length, 11);

    // the rows to fix: the refused rows as typed, in the template's columns, each with its reasons
    const fixUrl = `/api/admission/institutions/${qhi}/programme-imports/${rep.importId}/rows-to-fix.xlsx`;
    const fix = await app.inject({ method: 'GET', url: fixUrl, headers: as(officerOf('QHI')) });
    assert.equal(fix.statusCode, 200, fix.body);
    assert.match(String(fix.headers['content-type']), /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fix.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.rowCount, 12, 'the header and the 11 refused rows');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    assert.equal(header[0], 'Mã ngành / Programme code');
    assert.equal(header.at(-2), 'Dòng trong tệp gốc / Row in the original file');
    const cells = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => (v && typeof v === 'object' && 'richText' in v ? (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('') : v));
    const first = cells(2);
    assert.deepEqual(first.slice(0, 5), ['748020', 'Mã sai', '100', 'A00', '10'], 'the cells as typed');
    assert.equal(first[8], 3, 'its row in the original file');
    assert.match(String(first[9]), /^code: .+ \/ .+/, 'what to fix, with its field, in Vietnamese and English');
    const formula = cells(12);
    assert.equal(formula[8], 13);
    assert.ok(!String(formula[1]).startsWith('='), 'a formula comes back as text, never as a formula');
    assert.equal((await app.inject({ method: 'GET', url: fixUrl, headers: as(officerOf('SPH')) })).statusCode, 403, "another institution's officer");
    assert.equal((await app.inject({ method: 'GET', url: fixUrl, headers: as(ministry) })).statusCode, 200, 'the ministry reads any institution');
  });

  test('wrong file types, binary, macros and missing columns are refused before any row is read', async () => {
    const code = async (r: Promise<{ statusCode: number; json: () => { error: { code: string } } }>) => {
      const x = await r;
      return `${x.statusCode} ${x.json().error.code}`;
    };
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))), '422 FILE_FORMAT_XLS');
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.xlsm', 'x')), '422 FILE_TYPE_REFUSED');
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.csv', Buffer.from([0x41, 0, 0x42, 0, 0x43, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0]))), '422 FILE_UNREADABLE');
    const macro = Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.from('....xl/vbaProject.bin....')]);
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.xlsx', macro)), '422 ACTIVE_CONTENT');
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.csv', 'Họ và tên,Ngày sinh\r\nAn,1/1/2008')), '422 HEADER_NOT_FOUND');
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.csv', 'Mã ngành,Tên ngành\r\n7480201,CNTT')), '422 COLUMNS_MISSING');
    assert.equal(await code(upload(officerOf('QHI'), qhi, 'ct.csv', HEADER)), '422 NO_ROWS');
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x41);
    assert.equal((await upload(officerOf('QHI'), qhi, 'ct.csv', huge)).statusCode, 413);
  });

  test('a cell computed by a formula is refused on its row and column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('CT');
    ws.addRow(['Mã ngành', 'Tên ngành', 'Mã phương thức', 'Tổ hợp', 'Chỉ tiêu']);
    ws.addRow(['7480201', 'Công nghệ thông tin', '100', 'A00', { formula: '60*2', result: 120 }]);
    const r = await upload(officerOf('QHI'), qhi, 'ct.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(r.json().findings.map((f: { row: number; field: string; code: string }) => `${f.row} ${f.field} ${f.code}`), ['2 quota CELL_FORMULA']);
    assert.equal(r.json().canImport, false);
  });

  test("another institution's officer and a candidate are refused (403), and the refusal is audited", async () => {
    const m = multipart('ct.csv', `${HEADER}\r\n7480201,CNTT,100,A00,10,,,`);
    const sph = officerOf('SPH');
    for (const req of [
      { method: 'GET' as const, url: `/api/admission/institutions/${qhi}/programmes` },
      { method: 'GET' as const, url: `/api/admission/institutions/${qhi}/programmes/template.xlsx` },
      { method: 'POST' as const, url: `/api/admission/institutions/${qhi}/programmes/publish` },
    ]) {
      assert.equal((await app.inject({ ...req, headers: as(sph) })).statusCode, 403, req.url);
      assert.equal((await app.inject({ ...req, headers: as(candidateOf(an)) })).statusCode, 403, req.url);
    }
    const up = await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programme-imports`, payload: m.payload, headers: { ...m.headers, ...as(sph) } });
    assert.equal(up.statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/admission/institutions', headers: as(sph) })).statusCode, 403);
    const denied = await audit('access.denied');
    assert.ok(denied.some((d) => d.actor_id === 'u-admissions_officer-SPH' && d.target_type === 'institution' && d.target_id === qhi));
    assert.ok(denied.some((d) => d.actor_id === an.userId && d.target_id === qhi));
  });

  test('an XLSX catalogue imports as drafts; the ministry returns it with a reason, then publishes; candidates find only published programmes', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('CT');
    ws.addRow(['Mã ngành / Programme code', 'Tên ngành / Programme name', 'Mã phương thức / Method code', 'Tổ hợp / Combinations', 'Chỉ tiêu / Quota', 'Ngưỡng điểm (thang 30)', 'Sư phạm', 'Xét bằng điểm']);
    ws.addRow(['7480201', 'Công nghệ thông tin', '100', 'A00;A01:TOAN=2', 120, 22.5, '', 'break-by-rule: wish-order, math']);
    ws.addRow(['7140209', 'Sư phạm Tin học', '100', 'A00', 40, '', 'x', '']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await upload(officerOf('QHI'), qhi, 'chuong-trinh.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().validRows, r.json().errorRows, r.json().canImport], [2, 0, true]);
    const c = await commit(officerOf('QHI'), qhi, r.json().importId);
    assert.equal(c.statusCode, 200, c.body);
    assert.deepEqual(c.json(), { imported: 2, replacedDrafts: 0 });
    assert.equal((await commit(officerOf('QHI'), qhi, r.json().importId)).json().error.code, 'IMPORT_ALREADY_COMMITTED');

    const mine = await app.inject({ method: 'GET', url: `/api/admission/institutions/${qhi}/programmes`, headers: as(officerOf('QHI')) });
    assert.equal(mine.statusCode, 200);
    const cntt = mine.json().programmes.find((p: { code: string }) => p.code === '7480201');
    assert.deepEqual([cntt.status, cntt.scoring, cntt.minScore, cntt.combinations], ['draft', 'weighted-30', 22.5, [{ code: 'A00' }, { code: 'A01', weights: { TOAN: 2 } }]]);
    assert.deepEqual(cntt.tiePolicy, { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }, { by: 'value', key: 'math' }] });
    const search = () => app.inject({ method: 'GET', url: '/api/admission/programmes?q=cong%20nghe%20thong%20tin', headers: as(candidateOf(an)) });
    assert.deepEqual((await search()).json().items, [], 'drafts are not found');

    const list = await app.inject({ method: 'GET', url: '/api/admission/institutions', headers: as(ministry) });
    assert.equal(list.statusCode, 200);
    const row = list.json().items.find((i: { code: string }) => i.code === 'QHI');
    assert.deepEqual([row.drafts, row.published], [2, 0]);

    const shortReason = await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/return`, payload: { reason: 'x' }, headers: as(ministry) });
    assert.equal(shortReason.statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/return`, payload: { reason: 'Thiếu ngưỡng điểm ngành sư phạm' }, headers: as(officerOf('QHI')) })).statusCode, 403);
    const ret = await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/return`, payload: { reason: 'Thiếu ngưỡng điểm ngành sư phạm' }, headers: as(ministry) });
    assert.deepEqual([ret.statusCode, ret.json()], [200, { returned: 2 }]);
    const seen = await app.inject({ method: 'GET', url: `/api/admission/institutions/${qhi}/programmes`, headers: as(officerOf('QHI')) });
    assert.equal(seen.json().institution.returned.reason, 'Thiếu ngưỡng điểm ngành sư phạm');
    assert.equal((await audit('admission.catalogue_returned')).length, 1);

    // a file checked before the import above cannot be imported after it
    const older = await upload(officerOf('QHI'), qhi, 'cu.csv', `${HEADER}\r\n7480299,Ngành cũ,100,A00,10,,,`);
    assert.equal(older.json().canImport, true);
    // the officer imports again: the drafts are replaced
    const fixed = `${HEADER}\r\n7480201,Công nghệ thông tin,100,A00;A01:TOAN=2,120,"22,5",,"break-by-rule: wish-order, math"\r\n7140209,Sư phạm Tin học,100,A00,40,24,x,`;
    const r2 = await upload(officerOf('QHI'), qhi, 'ct.csv', fixed);
    assert.equal(r2.json().canImport, true, r2.body);
    assert.deepEqual((await commit(officerOf('QHI'), qhi, r2.json().importId)).json(), { imported: 2, replacedDrafts: 2 });
    assert.equal((await commit(officerOf('QHI'), qhi, older.json().importId)).json().error.code, 'IMPORT_STALE');
    const after = await app.inject({ method: 'GET', url: `/api/admission/institutions/${qhi}/programmes`, headers: as(officerOf('QHI')) });
    assert.equal(after.json().institution.returned, null, 'an import answers the return');
    assert.equal(after.json().programmes.find((p: { code: string }) => p.code === '7140209').minScore, 24);

    assert.equal((await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/publish`, headers: as(officerOf('QHI')) })).statusCode, 403, 'an institution never publishes itself');
    const pub = await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/publish`, headers: as(ministry) });
    assert.deepEqual([pub.statusCode, pub.json()], [200, { published: 2 }]);
    const stored = await get().db.read.selectFrom('admission_programmes').select(['status', 'published_at', 'published_by']).where('institution_id', '=', qhi).execute();
    assert.ok(stored.every((p) => p.status === 'published' && p.published_at !== null && p.published_at > NOW.toISOString() && p.published_by === 'u-ministry_admin-BGD'));
    assert.equal((await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/publish`, headers: as(ministry) })).json().error.code, 'NO_DRAFTS');
    assert.deepEqual((await audit('admission.catalogue_published')).map((a) => a.target_id), [qhi]);
    assert.deepEqual((await search()).json().items.map((p: { id: string }) => p.id), ['QHI-7480201-100']);
  });

  test('a published programme is never changed by an import: sent unchanged it is left as it is, sent changed it is an error', async () => {
    const same = `${HEADER}\r\n7480201,Công nghệ thông tin,100,A00;A01:TOAN=2,120,"22,5",,"break-by-rule: wish-order, math"\r\n7340101,Quản trị kinh doanh,100,A00;D01,200,,,`;
    const r = await upload(officerOf('QHI'), qhi, 'ct.csv', same);
    assert.deepEqual([r.json().validRows, r.json().unchangedRows, r.json().errorRows], [1, 1, 0], r.body);
    assert.deepEqual((await commit(officerOf('QHI'), qhi, r.json().importId)).json(), { imported: 1, replacedDrafts: 0 });
    const changed = `${HEADER}\r\n7480201,Công nghệ thông tin,100,A00,999,,,`;
    const r2 = await upload(officerOf('QHI'), qhi, 'ct.csv', changed);
    assert.deepEqual(r2.json().findings.map((f: { row: number; field: string; code: string }) => `${f.row} ${f.field} ${f.code}`), ['2 code PROGRAMME_PUBLISHED']);
    const quota = await get().db.read.selectFrom('admission_programmes').select('quota').where('id', '=', 'QHI-7480201-100').executeTakeFirstOrThrow();
    assert.equal(quota.quota, 120);
  });
  test('before the wish window opens a changed published programme is a revision: beside the published one for the ministry, published onto it (its id kept); once open, refused', async () => {
    const setWindow = async (opensAt: string) => {
      await get().db.write((trx) => trx.updateTable('exam_years').set({ rules: JSON.stringify({ admission: { ...ADMISSION, window: { ...ADMISSION.window, opensAt } } }) }).where('year', '=', YEAR).execute());
      forgetCurrentExamYear(get().db.read);
    };
    const programmes = async () => (await app.inject({ method: 'GET', url: `/api/admission/institutions/${qhi}/programmes`, headers: as(ministry) })).json().programmes as Array<{ id: string; code: string; status: string; quota: number; revises: string | null }>;
    await setWindow('2026-08-01T00:00:00+07:00');
    try {
      const r = await upload(officerOf('QHI'), qhi, 'ct.csv', `${HEADER}\r\n7480201,Công nghệ thông tin,100,A00;A01:TOAN=2,150,"22,5",,"break-by-rule: wish-order, math"`);
      assert.deepEqual([r.json().validRows, r.json().errorRows, r.json().canImport], [1, 0, true], r.body);
      assert.deepEqual(r.json().findings.map((f: { row: number; code: string; severity: string }) => `${f.row} ${f.code} ${f.severity}`), ['2 PROGRAMME_REVISION warning']);
      assert.equal((await commit(officerOf('QHI'), qhi, r.json().importId)).statusCode, 200);
      const listed = await programmes();
      const draft = listed.find((p) => p.revises === 'QHI-7480201-100');
      assert.deepEqual([draft?.id, draft?.status, draft?.quota], ['QHI-7480201-100~draft', 'draft', 150], 'the revision waits beside the published programme');
      assert.equal(listed.find((p) => p.id === 'QHI-7480201-100')?.quota, 120, 'candidates still see the published version');
      // the matching run and the institution's counts know the programme once: the waiting revision is neither
      const inRun = (await yearProgrammes(get().db.read, YEAR)).filter((p) => p.id.startsWith('QHI-7480201-100'));
      assert.deepEqual(inRun.map((p) => [p.id, p.quota]), [['QHI-7480201-100', 120]]);
      const counted = (await institutionWishCounts(get().db.read, YEAR, qhi)).programmes.filter((p) => p.id.startsWith('QHI-7480201-100'));
      assert.deepEqual(counted.map((p) => p.id), ['QHI-7480201-100']);
      const pub = await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/publish`, headers: as(ministry) });
      assert.equal(pub.statusCode, 200, pub.body);
      const after = await programmes();
      assert.deepEqual(after.filter((p) => p.code === '7480201' || p.id.startsWith('QHI-7480201')).map((p) => [p.id, p.status, p.quota]), [['QHI-7480201-100', 'published', 150]], 'written onto the published row, the draft gone');

      // a revision imported before the opening is not published after it
      const again = await upload(officerOf('QHI'), qhi, 'ct.csv', `${HEADER}\r\n7480201,Công nghệ thông tin,100,A00;A01:TOAN=2,120,"22,5",,"break-by-rule: wish-order, math"`);
      assert.equal((await commit(officerOf('QHI'), qhi, again.json().importId)).statusCode, 200);
      await setWindow(ADMISSION.window.opensAt);
      const late = await app.inject({ method: 'POST', url: `/api/admission/institutions/${qhi}/programmes/publish`, headers: as(ministry) });
      assert.deepEqual([late.statusCode, late.json().error.code], [409, 'REVISIONS_CLOSED']);
      const refused = await upload(officerOf('QHI'), qhi, 'ct.csv', `${HEADER}\r\n7480201,Công nghệ thông tin,100,A00,999,,,`);
      assert.deepEqual(refused.json().findings.map((f: { code: string }) => f.code), ['PROGRAMME_PUBLISHED'], 'once open, a change is an error again');
    } finally {
      await setWindow(ADMISSION.window.opensAt);
      await get().db.write((trx) => trx.deleteFrom('admission_programmes').where('id', '=', 'QHI-7480201-100~draft').execute());
    }
  });

  test("last year's programme keeps its id; this year's takes the year as a suffix", async () => {
    const T = '2025-07-01T00:00:00.000Z';
    await get().db.write((trx) =>
      trx
        .insertInto('admission_programmes')
        .values({ id: 'QHI-7520201-100', exam_year: YEAR - 1, institution_id: qhi, institution_code: 'QHI', code: '7520201', method: '100', name: 'Kỹ thuật điện', search_name: 'ky thuat dien', combinations: '[{"code":"A00"}]', scoring: 'sum', quota: 50, min_score_centi: null, teacher_training: 0, tie_policy: '{"kind":"admit-all-tied"}', status: 'published', import_id: null, created_at: T, updated_at: T, published_at: T, published_by: null })
        .execute(),
    );
    const r = await upload(officerOf('QHI'), qhi, 'ct.csv', `${HEADER}\r\n7520201,Kỹ thuật điện,100,A00,60,,,`);
    assert.equal(r.json().canImport, true, r.body);
    assert.equal((await commit(officerOf('QHI'), qhi, r.json().importId)).statusCode, 200);
    const rows = await get().db.read.selectFrom('admission_programmes').select(['id', 'exam_year', 'quota']).where('code', '=', '7520201').orderBy('exam_year').execute();
    assert.deepEqual(rows, [
      { id: 'QHI-7520201-100', exam_year: YEAR - 1, quota: 50 },
      { id: `QHI-7520201-100-${YEAR}`, exam_year: YEAR, quota: 60 },
    ]);
  });
});

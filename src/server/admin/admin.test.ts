import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P2, P3, WINDOWS, YEAR, agent01, dept01, ministry, officer1, seedStructure, IN_OFFICIAL } from '../verification/back-office.fixtures.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { findExamYear } from '../exam-years/exam-years.repository.ts';
import { adminRoutes } from './routes.ts';
import type { Actor } from '../policy/policy.ts';

const NEXT = YEAR + 1;
const good = {
  accountIssuing: { from: `${NEXT}-04-01`, to: `${NEXT}-04-05` },
  trial: { from: `${NEXT}-04-06`, to: `${NEXT}-04-09`, closesAt: '17:00' },
  official: { from: `${NEXT}-04-10`, to: `${NEXT}-04-20`, closesAt: '17:00' },
  correction: { from: `${NEXT}-04-20`, opensAt: '17:00', to: `${NEXT}-05-01`, closesAt: '17:00' },
};
// the official window closes at 03:00 and opens before the trial ends
const bad = { ...good, official: { from: `${NEXT}-04-08`, to: `${NEXT}-04-20`, closesAt: '03:00' } };

describeEachDb('ministry configuration', (get) => {
  let app: FastifyInstance;
  before(async () => {
    await seedStructure(get().db);
    app = await backOfficeTestApp(get().db, () => IN_OFFICIAL, [adminRoutes]);
  });
  after(async () => app?.close());

  const call = (a: Actor | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url, headers: a ? as(a) : {}, ...(payload ? { payload } : {}) });
  const codes = (res: { json(): unknown }) => (res.json() as { error: { fields: Array<{ code: string }> } }).error.fields.map((f) => f.code);

  test('a draft with contradictions is checked and refused publication with the findings', async () => {
    const created = await call(ministry, 'POST', '/api/admin/exam-years', { year: NEXT, scheme: 'CT2018', windows: bad });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((created.json() as { status: string }).status, 'draft');
    assert.equal((await call(ministry, 'POST', '/api/admin/exam-years', { year: NEXT, scheme: 'CT2018', windows: good })).statusCode, 409);
    const check = (await call(ministry, 'GET', `/api/admin/exam-years/${NEXT}/check`)).json() as { ok: boolean; findings: Array<{ code: string }> };
    assert.equal(check.ok, false);
    assert.ok(check.findings.some((f) => f.code === 'WINDOW_ODD_CLOSING_HOUR'), 'odd hour found');
    assert.ok(check.findings.some((f) => f.code === 'WINDOWS_OUT_OF_ORDER'), 'order found');
    const pub = await call(ministry, 'POST', `/api/admin/exam-years/${NEXT}/publish`);
    assert.equal(pub.statusCode, 422);
    assert.ok(codes(pub).includes('WINDOW_ODD_CLOSING_HOUR'), 'the findings come back');
    assert.equal((await findExamYear(get().db.read, NEXT))!.published, false);
  });

  test('a draft is edited without a reason, then published once', async () => {
    const edit = await call(ministry, 'PATCH', `/api/admin/exam-years/${NEXT}`, { windows: good });
    assert.equal(edit.statusCode, 200, edit.body);
    assert.equal(((await call(ministry, 'GET', `/api/admin/exam-years/${NEXT}/check`)).json() as { ok: boolean }).ok, true);
    const pub = await call(ministry, 'POST', `/api/admin/exam-years/${NEXT}/publish`);
    assert.equal(pub.statusCode, 200, pub.body);
    assert.equal((pub.json() as { status: string; publishedAt: string }).status, 'published');
    assert.equal((await call(ministry, 'POST', `/api/admin/exam-years/${NEXT}/publish`)).statusCode, 409);
    const audit = await listAudit(get().db.read, { all: true }, { action: 'exam_year.published', targetId: String(NEXT), limit: 5 });
    assert.equal(audit.length, 1);
  });

  test('a published year: no change without a reason; with one, audited before and after', async () => {
    const later = { ...WINDOWS, official: { ...WINDOWS.official, to: '2026-04-22' }, correction: { ...WINDOWS.correction, from: '2026-04-22' } };
    const refused = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { windows: later });
    assert.equal(refused.statusCode, 400);
    assert.equal((refused.json() as { error: { code: string } }).error.code, 'REASON_REQUIRED');
    assert.deepEqual((await findExamYear(get().db.read, YEAR))!.windows, WINDOWS, 'unchanged');
    assert.equal((await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { rules: { x: 1 } })).statusCode, 400, 'rules too');
    assert.equal((await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { windows: later, reason: '   ' })).statusCode, 400, 'a blank reason');
    // the admission and review settings are changed through their own checked edits, never as raw rules
    for (const rules of [{ admission: { wishCap: 99 } }, { reviews: { feePerPaperVnd: 1 } }]) {
      const raw = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { rules, reason: 'Sửa trực tiếp quy định' });
      assert.deepEqual([raw.statusCode, raw.json().error.code, raw.json().error.fields[0].field], [409, 'RULES_HAVE_OWN_SETTINGS', `rules.${Object.keys(rules)[0]}`]);
    }
    assert.deepEqual((await findExamYear(get().db.read, YEAR))!.rules, {}, 'the rules unchanged');

    const badChange = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { windows: { ...later, official: { ...later.official, closesAt: '02:00' } }, reason: 'Gia hạn do sự cố đường truyền' });
    assert.equal(badChange.statusCode, 422);
    assert.equal((await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { scheme: 'CT2006', reason: 'Đổi chương trình' })).statusCode, 409);

    const ok = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { windows: later, reason: 'Gia hạn hai ngày do sự cố đường truyền' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await findExamYear(get().db.read, YEAR))!.windows.official.to, '2026-04-22');
    const audit = await listAudit(get().db.read, { all: true }, { action: 'exam_year.changed_after_publish', targetId: String(YEAR), limit: 5 });
    assert.equal(audit.length, 1);
    const d = audit[0]!.details as { reason: string; before: { windows: typeof WINDOWS }; after: { windows: typeof WINDOWS } };
    assert.equal(d.reason, 'Gia hạn hai ngày do sự cố đường truyền');
    assert.equal(d.before.windows.official.to, '2026-04-20');
    assert.equal(d.after.windows.official.to, '2026-04-22');
  });

  test('the review settings: checked field by field in both languages, merged into the rules (the rest kept), with a reason once published', async () => {
    const y0 = (await findExamYear(get().db.read, YEAR))!;
    await get().db.write((trx) => trx.updateTable('exam_years').set({ rules: JSON.stringify({ ...y0.rules, reviews: { essayPapers: ['VAN'], payment: 'at_point' }, admission: { feePerWishVnd: 15000 } }) }).where('year', '=', YEAR).execute());
    const settings = { window: { from: `${YEAR}-07-16`, to: `${YEAR}-07-25`, opensAt: '08:00', closesAt: '17:00' }, days: 10, feePerPaperVnd: 25_000, payment: 'online' };
    const noReason = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { reviews: settings });
    assert.equal(noReason.statusCode, 400);
    const bad = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { reviews: { ...settings, window: { from: `${YEAR}-07-25`, to: `${YEAR}-07-16` }, days: 0, feePerPaperVnd: -5 }, reason: 'Đổi lệ phí phúc khảo' });
    assert.equal(bad.statusCode, 422, bad.body);
    const err = (bad.json() as { error: { code: string; vi: string; en: string; fields: Array<{ code: string; field: string; vi: string; en: string }> } }).error;
    assert.equal(err.code, 'REVIEW_SETTINGS_INVALID');
    assert.deepEqual(
      err.fields.map((f) => [f.code, f.field]),
      [
        ['REVIEW_WINDOW_EMPTY', 'reviews.window.to'],
        ['REVIEW_DAYS_INVALID', 'reviews.days'],
        ['REVIEW_FEE_INVALID', 'reviews.feePerPaperVnd'],
      ],
    );
    assert.ok(err.fields.every((f) => f.vi && f.en && f.vi !== f.en));
    // a window before registration has ended is refused too
    const early = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { reviews: { ...settings, window: { from: `${YEAR}-04-01`, to: `${YEAR}-04-05` } }, reason: 'Đổi lệ phí phúc khảo' });
    assert.deepEqual(codes(early), ['REVIEW_WINDOW_TOO_EARLY']);
    assert.equal((await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { reviews: { ...settings, payment: 'bank' }, reason: 'Đổi lệ phí phúc khảo' })).statusCode, 400);
    assert.deepEqual((await findExamYear(get().db.read, YEAR))!.rules['reviews'], { essayPapers: ['VAN'], payment: 'at_point' }, 'unchanged');

    const ok = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { reviews: settings, reason: 'Lệ phí phúc khảo theo nghị quyết mới' });
    assert.equal(ok.statusCode, 200, ok.body);
    const rules = (ok.json() as { rules: Record<string, unknown> }).rules;
    assert.deepEqual(rules['reviews'], { essayPapers: ['VAN'], window: settings.window, days: 10, feePerPaperVnd: 25_000, payment: 'online' });
    assert.deepEqual(rules['admission'], { feePerWishVnd: 15000 }, 'the other rules are kept');
    // back to "from each council's publication" and at the point: the fixed window goes
    const back = await call(ministry, 'PATCH', `/api/admin/exam-years/${YEAR}`, { reviews: { ...settings, window: null, days: 12, payment: 'at_point' }, reason: 'Thu lệ phí tại điểm tiếp nhận' });
    assert.equal(back.statusCode, 200, back.body);
    assert.deepEqual((back.json() as { rules: Record<string, unknown> }).rules['reviews'], { essayPapers: ['VAN'], days: 12, feePerPaperVnd: 25_000, payment: 'at_point' });
    const audit = await listAudit(get().db.read, { all: true }, { action: 'exam_year.changed_after_publish', targetId: String(YEAR), limit: 10 });
    const last = audit.find((a) => (a.details as { reason: string }).reason === 'Thu lệ phí tại điểm tiếp nhận')!;
    const d = last.details as { before: { rules: { reviews: { payment: string } } }; after: { rules: { reviews: { payment: string } } } };
    assert.deepEqual([d.before.rules.reviews.payment, d.after.rules.reviews.payment], ['online', 'at_point']);
  });

  test('only the ministry manages exam years', async () => {
    for (const a of [dept01, officer1, agent01]) {
      assert.equal((await call(a, 'GET', '/api/admin/exam-years')).statusCode, 403);
      assert.equal((await call(a, 'PATCH', `/api/admin/exam-years/${YEAR}`, { windows: WINDOWS, reason: 'thử quyền truy cập' })).statusCode, 403);
      assert.equal((await call(a, 'POST', `/api/admin/exam-years/${NEXT}/publish`)).statusCode, 403);
    }
    assert.equal((await call(null, 'GET', '/api/admin/exam-years')).statusCode, 401);
    assert.equal((await call(ministry, 'GET', '/api/admin/exam-years/1999')).statusCode, 400);
    assert.equal((await call(ministry, 'GET', '/api/admin/exam-years/2090')).statusCode, 404);
  });

  test('departments: the ministry creates and renames them; a department officer cannot', async () => {
    const res = await call(ministry, 'POST', '/api/admin/departments', { code: '03', name: 'Sở GD&ĐT Hải Phòng' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await call(ministry, 'POST', '/api/admin/departments', { code: '03', name: 'Trùng mã' })).statusCode, 409);
    assert.equal((await call(dept01, 'POST', '/api/admin/departments', { code: '04', name: 'Sở Đà Nẵng' })).statusCode, 403);
    assert.equal((await call(dept01, 'PATCH', '/api/admin/departments/01', { name: 'Đổi tên' })).statusCode, 403);
    assert.equal((await call(ministry, 'PATCH', '/api/admin/departments/03', { name: 'Sở Giáo dục và Đào tạo Hải Phòng' })).statusCode, 200);
    const all = ((await call(ministry, 'GET', '/api/admin/departments')).json() as { items: Array<{ code: string }> }).items.map((d) => d.code);
    assert.deepEqual(all, ['01', '02', '03']);
    const own = ((await call(dept01, 'GET', '/api/admin/departments')).json() as { items: Array<{ code: string }> }).items.map((d) => d.code);
    assert.deepEqual(own, ['01']);
  });

  test('points: a department manages its own; codes are the department code + 3 digits', async () => {
    const res = await call(dept01, 'POST', '/api/admin/departments/01/points', { code: '01003', name: 'Điểm thí sinh tự do Hà Nội', pointKind: 'free' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((res.json() as { id: string; departmentCode: string }).departmentCode, '01');
    const wrongPrefix = await call(dept01, 'POST', '/api/admin/departments/01/points', { code: '02003', name: 'Sai mã', pointKind: 'school' });
    assert.equal(wrongPrefix.statusCode, 400);
    assert.deepEqual(codes(wrongPrefix), ['POINT_CODE_PREFIX']);
    assert.equal((await call(dept01, 'POST', '/api/admin/departments/01/points', { code: '0100', name: 'Ngắn', pointKind: 'school' })).statusCode, 400);
    assert.equal((await call(dept01, 'POST', '/api/admin/departments/01/points', { code: '01003', name: 'Trùng', pointKind: 'school' })).statusCode, 409);
    // another department: create, rename, list
    assert.equal((await call(dept01, 'POST', '/api/admin/departments/02/points', { code: '02009', name: 'Ngoài tỉnh', pointKind: 'school' })).statusCode, 403);
    assert.equal((await call(dept01, 'PATCH', `/api/admin/points/${P3}`, { name: 'Đổi tên' })).statusCode, 403);
    assert.equal((await call(dept01, 'GET', '/api/admin/departments/02/points')).statusCode, 403);
    assert.equal((await call(officer1, 'PATCH', `/api/admin/points/${P2}`, { name: 'Đổi tên' })).statusCode, 403);
    assert.equal((await call(agent01, 'GET', '/api/admin/departments/01/points')).statusCode, 403);

    const off = await call(dept01, 'PATCH', `/api/admin/points/${P2}`, { active: false });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal((off.json() as { active: boolean }).active, false);
    const on = await call(dept01, 'PATCH', `/api/admin/points/${P2}`, { active: true, name: 'THPT Việt Đức (Hà Nội)' });
    assert.deepEqual([(on.json() as { active: boolean }).active, (on.json() as { name: string }).name], [true, 'THPT Việt Đức (Hà Nội)']);
    assert.equal((await call(dept01, 'PATCH', `/api/admin/points/${P2}`, {})).statusCode, 400, 'nothing to change');
    const trail = await listAudit(get().db.read, { all: true }, { targetId: P2, limit: 10 });
    assert.deepEqual(trail.map((t) => t.action).sort(), ['org.deactivated', 'org.reactivated']);
    const points = ((await call(dept01, 'GET', '/api/admin/departments/01/points')).json() as { items: Array<{ code: string }> }).items.map((p) => p.code);
    assert.deepEqual(points, ['01001', '01002', '01003']);
  });
});

// The ministry's admission settings through the API, on SQLite and PostgreSQL: the form's values checked by
// the domain's rules and refused field by field, stored as the year's rules with every window closing at
// 17:00 local, a change only with a reason, the rules frozen once the wishes opened, every save audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { YEAR, dept01, ministry, seedStructure } from '../verification/back-office.fixtures.ts';
import { loadReferenceData } from '../reference/reference.repository.ts';
import { admissionRoutes } from './routes.ts';

const settings = {
  wishCap: 15,
  teacherTrainingMaxPosition: 5,
  combinationFloor: 15,
  window: { from: `${YEAR}-07-02`, to: `${YEAR}-07-14` },
  feePerWishVnd: 15000,
  paymentGroups: [
    { code: 'N1', name: 'Nhóm 1 (miền Bắc)', provinceCodes: ['01'], from: `${YEAR}-07-15`, to: `${YEAR}-07-17` },
    { code: 'N2', name: 'Nhóm 2 (miền Nam)', provinceCodes: ['79'], from: `${YEAR}-07-18`, to: `${YEAR}-07-21` },
  ],
};

describeEachDb('admission settings: the ministry edits the year\'s window, cap, fee and payment groups', (get) => {
  let app: FastifyInstance;
  let now = new Date(`${YEAR}-06-01T03:00:00Z`);
  const url = `/api/admission/years/${YEAR}/settings`;
  const put = (body: unknown, who = ministry) => app.inject({ method: 'PUT', url, payload: body as object, headers: as(who) });
  const rules = async () => JSON.parse((await get().db.read.selectFrom('exam_years').select('rules').where('year', '=', YEAR).executeTakeFirstOrThrow()).rules) as { admission?: Record<string, unknown> };
  const audits = () => get().db.read.selectFrom('audit_log').select(['action', 'target_id', 'details']).where('action', 'like', 'admission.settings%').orderBy('seq').execute();

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    await loadReferenceData(db.writer, now);
    app = await backOfficeTestApp(db, () => now, [admissionRoutes]);
  });
  after(async () => app?.close());

  test('a year without settings shows none, the suggested 2026 rules and today\'s provinces; only the ministry reads it', async () => {
    const r = await app.inject({ method: 'GET', url, headers: as(ministry) });
    assert.equal(r.statusCode, 200, r.body);
    const b = r.json();
    assert.equal(b.settings, null);
    assert.equal(b.suggested.wishCap, 15);
    assert.equal(b.suggested.window.to, `${YEAR}-07-14`);
    assert.ok(b.provinces.some((p: { code: string }) => p.code === '79'), 'TP. Hồ Chí Minh among the provinces');
    assert.equal((await app.inject({ method: 'GET', url, headers: as(dept01) })).statusCode, 403);
    assert.equal((await put(settings, dept01)).statusCode, 403);
  });

  test('each broken rule is refused naming its field, in Vietnamese and English', async () => {
    const r = await put({
      ...settings,
      wishCap: 0,
      window: { from: `${YEAR}-07-14`, to: `${YEAR}-07-02` },
      paymentGroups: [settings.paymentGroups[0], { ...settings.paymentGroups[1], provinceCodes: ['01', '99'] }],
    });
    assert.equal(r.statusCode, 422, r.body);
    const e = r.json().error;
    assert.equal(e.code, 'ADMISSION_SETTINGS_INVALID');
    const fields = e.fields.map((f: { code: string; field: string }) => `${f.code}@${f.field}`).sort();
    assert.deepEqual(fields, ['PROVINCE_IN_TWO_GROUPS@paymentGroups.1.provinceCodes', 'PROVINCE_UNKNOWN@paymentGroups.1.provinceCodes', 'WINDOW_CLOSES_BEFORE_OPENING@window.to', 'WISH_CAP_RANGE@wishCap']);
    assert.ok(e.fields.every((f: { vi: string; en: string }) => f.vi && f.en));
    assert.equal((await rules()).admission, undefined, 'nothing stored');
    assert.equal((await put({ ...settings, feePerWishVnd: '15000' })).statusCode, 400, 'the contract refuses a fee as text');
  });

  test('saved as the year\'s rules: windows closing at 17:00 local, read back as the form\'s days, audited', async () => {
    const r = await put(settings);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().settings, settings);
    const a = (await rules()).admission!;
    assert.deepEqual(a['window'], { opensAt: `${YEAR}-07-02T00:00:00+07:00`, closesAt: `${YEAR}-07-14T17:00:00+07:00` });
    assert.equal((a['paymentGroups'] as Array<{ closesAt: string }>)[1]!.closesAt, `${YEAR}-07-21T17:00:00+07:00`);
    const logged = await audits();
    assert.equal(logged.length, 1);

    assert.equal(logged[0]!.action, 'admission.settings_set');
    assert.equal(logged[0]!.target_id, String(YEAR));
    assert.deepEqual(r.json().warnings, [], 'the exam department 02 pays through its 2025 province, TP. Hồ Chí Minh (79)');
    const partial = await put({ ...settings, paymentGroups: [settings.paymentGroups[0]], reason: 'một nhóm trước' });
    assert.deepEqual(partial.json().warnings.map((w: { code: string }) => w.code), ['PROVINCES_WITHOUT_GROUP'], 'a department in no group is warned about, not refused');
    assert.equal((await put({ ...settings, reason: 'hai nhóm lại' })).statusCode, 200);
  });

  test('a change needs a reason, keeps what the form does not edit, and is audited with the before and after', async () => {
    // the enrolment deadline is not on the form: a save keeps it
    await get().db.write(async (trx) => {
      const cur = await rules();
      await trx.updateTable('exam_years').set({ rules: JSON.stringify({ ...cur, admission: { ...cur.admission, enrolmentDeadline: `${YEAR}-08-30T17:00:00+07:00` } }) }).where('year', '=', YEAR).execute();
    });
    const noReason = await put({ ...settings, feePerWishVnd: 20000 });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.fields[0].field, 'reason');
    const r = await put({ ...settings, feePerWishVnd: 20000, wishCap: 10, reason: 'Thông tư mới' });
    assert.equal(r.statusCode, 200, r.body);
    const a = (await rules()).admission!;
    assert.equal(a['feePerWishVnd'], 20000);
    assert.equal(a['enrolmentDeadline'], `${YEAR}-08-30T17:00:00+07:00`);
    const all = await audits();
    assert.equal(all.length, 4, 'the first save, the two above and this one');
    const last = all.at(-1)!;
    assert.equal(last.action, 'admission.settings_changed');
    const d = JSON.parse(last.details!) as { reason: string; before: { feePerWishVnd: number }; after: { feePerWishVnd: number } };
    assert.deepEqual([d.reason, d.before.feePerWishVnd, d.after.feePerWishVnd], ['Thông tư mới', 15000, 20000]);

    // the form shows the deadline as its day and sets it: after the last payment day, or refused on its field
    const shown = await app.inject({ method: 'GET', url, headers: as(ministry) });
    assert.equal(shown.json().settings.enrolmentDeadline, `${YEAR}-08-30`);
    const early = await put({ ...settings, feePerWishVnd: 20000, wishCap: 10, enrolmentDeadline: `${YEAR}-07-20`, reason: 'Hạn nhập học' });
    assert.deepEqual([early.statusCode, early.json().error.fields.map((f: { field: string; code: string }) => `${f.code}@${f.field}`)], [422, ['ENROLMENT_BEFORE_PAYMENTS_CLOSE@enrolmentDeadline']]);
    const moved = await put({ ...settings, feePerWishVnd: 20000, wishCap: 10, enrolmentDeadline: `${YEAR}-08-25`, reason: 'Hạn nhập học sớm hơn' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal((await rules()).admission!['enrolmentDeadline'], `${YEAR}-08-25T17:00:00+07:00`);
  });

  test('once the wishes opened (00:00 local on the first day) the rules stay and the window only lengthens', async () => {
    const saved = { ...settings, feePerWishVnd: 20000, wishCap: 10, reason: 'kéo dài thời hạn' };
    now = new Date(`${YEAR}-07-01T16:59:59Z`); // 23:59:59 on 1 July, local: not yet open
    assert.equal((await put({ ...saved, wishCap: 12 })).statusCode, 200);
    now = new Date(`${YEAR}-07-01T17:00:00Z`); // 00:00 on 2 July, local
    const locked = await put({ ...saved, wishCap: 15 });
    assert.equal(locked.statusCode, 422);
    assert.deepEqual(locked.json().error.fields.map((f: { code: string; field: string }) => `${f.code}@${f.field}`), ['RULE_LOCKED_AFTER_OPENING@wishCap']);
    const shorter = await put({ ...saved, wishCap: 12, window: { from: settings.window.from, to: `${YEAR}-07-10` } });
    assert.equal(shorter.json().error.fields[0].code, 'WINDOW_SHORTENED');
    const longer = await put({ ...saved, wishCap: 12, window: { from: settings.window.from, to: `${YEAR}-07-15` }, paymentGroups: settings.paymentGroups.map((g) => ({ ...g, from: `${YEAR}-07-16` })) });
    assert.equal(longer.statusCode, 200, longer.body);
    assert.equal(((await rules()).admission!['window'] as { closesAt: string }).closesAt, `${YEAR}-07-15T17:00:00+07:00`);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAdmissionSettings, checkSettingsChange, instantsToSettings, settingsToInstants, type AdmissionSettings } from './admission-settings.ts';

const ok: AdmissionSettings = {
  wishCap: 15,
  teacherTrainingMaxPosition: 5,
  combinationFloor: 15,
  window: { from: '2026-07-02', to: '2026-07-14' },
  feePerWishVnd: 15000,
  paymentGroups: [
    { code: 'N1', name: 'Nhóm 1', provinceCodes: ['01', '02'], from: '2026-07-15', to: '2026-07-17' },
    { code: 'N2', name: 'Nhóm 2', provinceCodes: ['79'], from: '2026-07-18', to: '2026-07-21' },
  ],
};
const codes = (s: AdmissionSettings, year = 2026) => checkAdmissionSettings(s, { year, knownProvinceCodes: new Set(['01', '02', '79']) }).map((f) => `${f.code}@${f.field}`);

test('the 2026 settings pass; every window closes at 17:00 local and reads back as the same days', () => {
  assert.deepEqual(codes(ok), []);
  const c = settingsToInstants(ok);
  assert.equal(c.window.closesAt, '2026-07-14T17:00:00+07:00');
  assert.equal(c.paymentGroups[1]!.opensAt, '2026-07-18T00:00:00+07:00');
  assert.deepEqual(instantsToSettings(c), ok);
});

test('each broken rule names its field', () => {
  assert.deepEqual(codes({ ...ok, wishCap: 0 }), ['WISH_CAP_RANGE@wishCap']);
  assert.deepEqual(codes({ ...ok, wishCap: 4 }), ['TEACHER_POSITIONS_ABOVE_CAP@teacherTrainingMaxPosition']);
  assert.deepEqual(codes({ ...ok, feePerWishVnd: 15000.5 }), ['FEE_RANGE@feePerWishVnd']);
  assert.deepEqual(codes({ ...ok, combinationFloor: 31 }), ['FLOOR_RANGE@combinationFloor']);
  assert.deepEqual(codes({ ...ok, window: { from: '2026-07-14', to: '2026-07-02' } }), ['WINDOW_CLOSES_BEFORE_OPENING@window.to']);
  assert.deepEqual(codes({ ...ok, window: { from: '2026-02-30', to: '2026-07-02' } }), ['DATE_INVALID@window.from']);
  assert.deepEqual(codes(ok, 2025).filter((c) => c.startsWith('DATE_OUTSIDE_YEAR@window')), ['DATE_OUTSIDE_YEAR@window.from', 'DATE_OUTSIDE_YEAR@window.to']);
  const g = ok.paymentGroups;
  assert.deepEqual(codes({ ...ok, paymentGroups: [g[0]!, { ...g[1]!, code: 'N1' }] }), ['GROUP_CODE_REPEATED@paymentGroups.1.code']);
  assert.deepEqual(codes({ ...ok, paymentGroups: [g[0]!, { ...g[1]!, provinceCodes: ['01'] }] }), ['PROVINCE_IN_TWO_GROUPS@paymentGroups.1.provinceCodes']);
  assert.deepEqual(codes({ ...ok, paymentGroups: [g[0]!, { ...g[1]!, provinceCodes: ['99'] }] }), ['PROVINCE_UNKNOWN@paymentGroups.1.provinceCodes']);
  assert.deepEqual(codes({ ...ok, paymentGroups: [{ ...g[0]!, from: '2026-07-14' }] }), ['PAYMENT_BEFORE_WISHES_CLOSE@paymentGroups.0.from']);
  assert.deepEqual(codes({ ...ok, paymentGroups: [{ ...g[0]!, name: ' ' }] }), ['GROUP_NAME_REQUIRED@paymentGroups.0.name']);
  // no cap: teacher training may reach any position it names
  assert.deepEqual(codes({ ...ok, wishCap: null, teacherTrainingMaxPosition: 5 }), []);
});

test('a province in no group is a warning, not a refusal', () => {
  const f = checkAdmissionSettings(ok, { year: 2026, departments: [{ code: '01', provinceCode: '01' }, { code: '55', provinceCode: '79' }, { code: '31', provinceCode: '31' }] });
  assert.deepEqual(f.map((x) => [x.code, x.severity]), [['PROVINCES_WITHOUT_GROUP', 'warning']]);
});

test('once the wishes opened the rules stay and the window only lengthens', () => {
  const before = ok;
  const ahead = new Date('2026-07-01T16:59:59Z'); // 23:59:59 local on 1 July: not yet open
  const opened = new Date('2026-07-01T17:00:00Z'); // 00:00 local on 2 July
  assert.deepEqual(checkSettingsChange(before, { ...ok, wishCap: 10, teacherTrainingMaxPosition: 3 }, ahead), []);
  assert.deepEqual(
    checkSettingsChange(before, { ...ok, wishCap: 10, window: { from: '2026-07-03', to: '2026-07-13' } }, opened).map((f) => `${f.code}@${f.field}`),
    ['RULE_LOCKED_AFTER_OPENING@wishCap', 'WINDOW_OPENED@window.from', 'WINDOW_SHORTENED@window.to'],
  );
  assert.deepEqual(checkSettingsChange(before, { ...ok, window: { from: '2026-07-02', to: '2026-07-16' }, feePerWishVnd: 20000 }, opened), []);
  // a window stored closing at 23:59 on the 14th: the form's 17:00 on the same day would shorten it
  const stored = { window: { opensAt: '2026-07-02T00:00:00+07:00', closesAt: '2026-07-14T23:59:00+07:00' } };
  assert.deepEqual(checkSettingsChange(before, ok, opened, stored).map((f) => f.code), ['WINDOW_SHORTENED']);
  assert.deepEqual(checkSettingsChange(before, { ...ok, window: { from: '2026-07-02', to: '2026-07-15' } }, opened, stored), []);
});

test('the enrolment deadline: a day after the last payment day, closing 17:00; empty is none; absent leaves the stored one', () => {
  const withDeadline = { ...ok, enrolmentDeadline: '2026-08-20' };
  assert.deepEqual(codes(withDeadline), []);
  const c = settingsToInstants(withDeadline);
  assert.equal(c.enrolmentDeadline, '2026-08-20T17:00:00+07:00');
  assert.deepEqual(instantsToSettings(c), withDeadline);
  // on or before the last payment day (group 2 pays until 21 July): refused, naming that day
  assert.deepEqual(codes({ ...ok, enrolmentDeadline: '2026-07-21' }), ['ENROLMENT_BEFORE_PAYMENTS_CLOSE@enrolmentDeadline']);
  assert.deepEqual(codes({ ...ok, enrolmentDeadline: '2026-02-30' }), ['DATE_INVALID@enrolmentDeadline']);
  assert.deepEqual(codes({ ...ok, enrolmentDeadline: '2025-08-20' }), ['ENROLMENT_BEFORE_PAYMENTS_CLOSE@enrolmentDeadline']);
  // none set, and the form not naming it: the stored value is cleared only by the first
  assert.equal(settingsToInstants({ ...ok, enrolmentDeadline: null }).enrolmentDeadline, null);
  assert.equal('enrolmentDeadline' in settingsToInstants(ok), false);
});

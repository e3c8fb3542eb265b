import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionConfigOf } from '../../contracts/admission.ts';

const config = {
  wishCap: 15,
  teacherTrainingMaxPosition: 5,
  combinationFloor: 15,
  window: { opensAt: '2026-07-16T00:00:00+07:00', closesAt: '2026-07-28T17:00:00+07:00' },
  feePerWishVnd: 15000,
  paymentGroups: [{ code: 'G1', name: 'Nhóm 1', provinceCodes: ['01', '79'], opensAt: '2026-07-29T00:00:00+07:00', closesAt: '2026-07-31T17:00:00+07:00' }],
  enrolmentDeadline: '2026-08-30T17:00:00+07:00',
};

test('admissionConfigOf reads rules.admission (object or JSON text), null when absent or invalid', () => {
  assert.deepEqual(admissionConfigOf({ admission: config })?.wishCap, 15);
  assert.equal(admissionConfigOf(JSON.stringify({ admission: config }))?.feePerWishVnd, 15000);
  assert.equal(admissionConfigOf({}), null);
  assert.equal(admissionConfigOf('not json'), null);
  assert.equal(admissionConfigOf({ admission: { ...config, wishCap: 0 } }), null);
  assert.equal(admissionConfigOf({ admission: { ...config, window: { opensAt: config.window.closesAt, closesAt: config.window.opensAt } } }), null, 'a window closing before it opens');
  assert.equal(admissionConfigOf({ admission: { ...config, window: { opensAt: '16/07/2026', closesAt: config.window.closesAt } } }), null);
  assert.deepEqual(admissionConfigOf({ admission: { ...config, paymentGroups: undefined } })?.paymentGroups, [], 'groups default to none');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feeFor, paymentEffect, paymentGroupOf, paymentWindowState } from './admission-fees.ts';

const groups = [
  { code: 'N1', name: 'Nhóm 1', provinceCodes: ['01', '79'], opensAt: '2026-07-15T01:00:00Z', closesAt: '2026-07-17T10:00:00Z' },
  { code: 'N2', name: 'Nhóm 2', provinceCodes: ['48', '02'], opensAt: '2026-07-17T01:00:00Z', closesAt: '2026-07-21T10:00:00Z' },
];

test('the fee is the fee per wish times the wishes (2025: 15,000 VND)', () => {
  assert.equal(feeFor(15_000, 9), 135_000);
  assert.equal(feeFor(15_000, 0), 0);
  assert.throws(() => feeFor(15_000, -1));
  assert.throws(() => feeFor(15_000.5, 1));
});

test("a candidate's group: today's province first, then the exam department code", () => {
  assert.equal(paymentGroupOf(groups, { provinceCode: '79', departmentCode: '02' })?.code, 'N1');
  assert.equal(paymentGroupOf(groups, { provinceCode: null, departmentCode: '02' })?.code, 'N2');
  assert.equal(paymentGroupOf(groups, { provinceCode: '99', departmentCode: '99' }), null);
});

test('the window: open from opensAt, closed at closesAt (17:00 local)', () => {
  const g = groups[0]!;
  assert.equal(paymentWindowState(g, new Date('2026-07-15T00:59:59Z')), 'not_open');
  assert.equal(paymentWindowState(g, new Date('2026-07-15T01:00:00Z')), 'open');
  assert.equal(paymentWindowState(g, new Date('2026-07-17T09:59:59Z')), 'open');
  assert.equal(paymentWindowState(g, new Date('2026-07-17T10:00:00Z')), 'closed');
});

test('a payment made in the window counts even if told late; one after the close or a second one does not', () => {
  const g = groups[0]!;
  assert.equal(paymentEffect({ payDate: new Date('2026-07-17T09:59:00Z'), group: g, alreadyPaid: false }), 'apply');
  assert.equal(paymentEffect({ payDate: new Date('2026-07-17T10:00:00Z'), group: g, alreadyPaid: false }), 'after_window');
  assert.equal(paymentEffect({ payDate: new Date('2026-07-16T09:59:00Z'), group: g, alreadyPaid: true }), 'duplicate');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidateMayEdit, checkExamYear, phaseAt, windowBounds, type ExamYear } from './exam-year.ts';
import { instantToVietnamLocal, vietnamLocalToInstant } from './time.ts';

// The real 2025 windows (DOMAIN.md): accounts 10–15 Apr, trial 15–18 Apr, official 21–28 Apr until 17:00,
// points correct until 9 May.
const y2025: ExamYear = {
  year: 2025,
  scheme: 'CT2018',
  published: true,
  windows: {
    accountIssuing: { from: '2025-04-10', to: '2025-04-15' },
    trial: { from: '2025-04-15', to: '2025-04-18' },
    official: { from: '2025-04-21', to: '2025-04-28', closesAt: '17:00' },
    correction: { from: '2025-04-28', to: '2025-05-09', opensAt: '17:00' },
  },
};
const at = (date: string, time: string) => phaseAt(y2025, vietnamLocalToInstant(date, time));

test('Vietnam is UTC+7 all year', () => {
  assert.equal(vietnamLocalToInstant('2025-04-28', '17:00').toISOString(), '2025-04-28T10:00:00.000Z');
  assert.deepEqual(instantToVietnamLocal(new Date('2025-04-28T09:59:59Z')), { date: '2025-04-28', time: '16:59:59' });
});

test('16:59:59 on the closing day is official; 17:00:00 is closed to candidates', () => {
  assert.equal(at('2025-04-28', '16:59:59'), 'official');
  assert.equal(candidateMayEdit(at('2025-04-28', '16:59:59')), true);
  assert.equal(at('2025-04-28', '17:00:00'), 'correction');
  assert.equal(candidateMayEdit(at('2025-04-28', '17:00:00')), false);
  assert.equal(windowBounds(y2025.windows.official).end.toISOString(), '2025-04-28T10:00:00.000Z');
});

test('a window changed in place gets new bounds; the bounds handed out cannot change the window\'s', () => {
  const w = { ...y2025.windows.official };
  const first = windowBounds(w);
  assert.equal(first.end.toISOString(), '2025-04-28T10:00:00.000Z');
  first.end.setTime(0); // a caller spoiling its copy
  assert.equal(windowBounds(w).end.toISOString(), '2025-04-28T10:00:00.000Z');
  w.to = '2025-04-29';
  assert.equal(windowBounds(w).end.toISOString(), '2025-04-29T10:00:00.000Z');
  w.closesAt = undefined;
  assert.equal(windowBounds(w).end.toISOString(), '2025-04-29T17:00:00.000Z'); // midnight after the last day, local
});

test('phases through the year', () => {
  assert.equal(at('2025-04-09', '23:59:59'), 'before');
  assert.equal(at('2025-04-10', '00:00:00'), 'account_issuing');
  assert.equal(at('2025-04-15', '12:00:00'), 'trial'); // overlapping windows: the later stage wins
  assert.equal(at('2025-04-19', '12:00:00'), 'between');
  assert.equal(candidateMayEdit('between'), false);
  assert.equal(at('2025-04-21', '00:00:00'), 'official');
  assert.equal(at('2025-05-09', '23:59:59'), 'correction');
  assert.equal(at('2025-05-10', '00:00:00'), 'closed');
});

test('checkExamYear accepts the real year and flags an odd closing hour', () => {
  assert.deepEqual(checkExamYear(y2025), []);
  const odd = { ...y2025, windows: { ...y2025.windows, official: { ...y2025.windows.official, closesAt: '03:00' } } };
  assert.ok(checkExamYear(odd).some((p) => p.code === 'WINDOW_ODD_CLOSING_HOUR'));
});

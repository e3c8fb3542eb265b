import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPublishable, checkRunReason, DEFAULT_SECOND_RUN_POLICY, enrolmentOpen, HOW_FREE_PLACE, HOW_MOVED_UP, HOW_REACHED_CUTOFF, HOW_UNCHANGED, runVisibleTo, sameResult, whyChanged, whyProtected, type RunLine } from './run-state.ts';
import { explainNotObtained, formatPoints } from './explain.ts';

test('a provisional run is seen by the ministry and institutions, never by candidates; a running or failed one by nobody', () => {
  assert.deepEqual(
    (['running', 'provisional', 'published', 'superseded', 'failed'] as const).map((k) => [runVisibleTo(k, 'ministry'), runVisibleTo(k, 'institution'), runVisibleTo(k, 'candidate')]),
    [
      [false, false, false],
      [true, true, false],
      [true, true, true],
      [true, true, false],
      [false, false, false],
    ],
  );
});

test('a recompute after a publication needs a reason, one that protects the published result does not; only a provisional run is publishable', () => {
  assert.equal(checkRunReason(false, null), null);
  assert.equal(checkRunReason(true, null)?.code, 'ADMISSION_RUN_REASON_REQUIRED');
  assert.equal(checkRunReason(true, '  short  ')?.code, 'ADMISSION_RUN_REASON_REQUIRED');
  assert.equal(checkRunReason(true, 'Điểm thay đổi sau phúc khảo'), null);
  const missing = checkRunReason(true, '   ', 'recompute');
  assert.deepEqual([missing?.code, missing?.field], ['ADMISSION_RUN_REASON_REQUIRED', 'reason']);
  assert.match(missing!.vi, /lý do/);
  assert.match(missing!.en, /reason/);
  assert.equal(checkRunReason(true, null, 'protect-published'), null);
  assert.equal(checkRunReason(true, 'Đính chính chỉ tiêu ngành', 'recompute'), null);
  assert.equal(DEFAULT_SECOND_RUN_POLICY, 'protect-published');
  assert.equal(checkPublishable('provisional'), null);
  for (const k of ['running', 'published', 'superseded', 'failed'] as const) assert.equal(checkPublishable(k)?.code, 'ADMISSION_RUN_NOT_PROVISIONAL');
});

test('enrolment is open up to and including the deadline instant', () => {
  const d = new Date('2026-08-30T10:00:00Z');
  assert.equal(enrolmentOpen(new Date('2026-08-30T10:00:00Z'), d), true);
  assert.equal(enrolmentOpen(new Date('2026-08-30T10:00:00.001Z'), d), false);
  assert.equal(enrolmentOpen(new Date('2030-01-01T00:00:00Z'), null), true);
});

test('why a result changed: own score, a wish that changed state, or a cut-off others moved', () => {
  const before: RunLine = { programme: 'B', wish: 2, score: 2400, notObtained: [[1, 'A', 'below-cutoff', 2400]] };
  assert.equal(whyChanged(before, { programme: 'A', wish: 1, score: 2850, notObtained: [] }), 'own-score');
  assert.deepEqual([HOW_UNCHANGED, HOW_MOVED_UP, HOW_REACHED_CUTOFF, HOW_FREE_PLACE].map(whyProtected), [null, 'moved-up', 'reached-cutoff', 'free-place']);
  assert.equal(whyChanged(before, { programme: 'A', wish: 1, score: 2400, notObtained: [] }), 'cutoff');
  assert.equal(whyChanged({ programme: 'B', wish: 2, score: 2400, notObtained: [[1, 'A', 'unpaid', 2400]] }, { programme: 'A', wish: 1, score: 2400, notObtained: [] }), 'wishes');
  assert.equal(whyChanged(null, before), 'new');
  assert.equal(whyChanged(before, null), 'gone');
  assert.equal(sameResult(before, { ...before, score: 1 }), true);
  assert.equal(sameResult(before, { ...before, wish: 1 }), false);
});

test('the reason a candidate reads names their score and the cut-off, Vietnamese style', () => {
  assert.equal(formatPoints(2675), '26,75');
  assert.equal(formatPoints(null), '—');
  const r = explainNotObtained('below-cutoff', 2400, 2700, null);
  assert.match(r.vi, /24,00.*27,00/);
  assert.match(r.en, /24\.00.*27\.00/);
  assert.match(explainNotObtained('tie-break', 2700, 2700, 'value:math').vi, /Toán/);
});

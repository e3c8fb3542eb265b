import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReviewRequest, checkReviewSettings, paperKind, parseReviewedMark, reviewConfigOf, reviewFee, reviewOutcome, reviewPaymentMode, reviewSettingsOf, reviewWindow, reviewWindowState, type ReviewSettings } from './score-review.ts';
import type { StoredMark } from './exam-marks.ts';

const score = (centi: number, sanction: 'reprimand' | null = null) => ({ kind: 'score' as const, centi, sanction });

test('the window: configured, or 10 days from the council’s first publication closing at 17:00 on the last', () => {
  const cfg = reviewConfigOf({});
  assert.equal(reviewWindow(cfg, null), null);
  assert.equal(reviewWindowState(null, new Date()), 'not_open');
  // 2025: results at 08:00 on 16 Jul; requests until 17:00 on 25 Jul
  const w = reviewWindow(cfg, new Date('2025-07-16T01:00:00Z'));
  assert.deepEqual(w, { from: '2025-07-16', to: '2025-07-25', opensAt: '08:00', closesAt: '17:00' });
  assert.equal(reviewWindowState(w, new Date('2025-07-16T00:59:59Z')), 'not_open');
  assert.equal(reviewWindowState(w, new Date('2025-07-16T01:00:00Z')), 'open');
  assert.equal(reviewWindowState(w, new Date('2025-07-25T09:59:59Z')), 'open');
  assert.equal(reviewWindowState(w, new Date('2025-07-25T10:00:00Z')), 'closed');
  const set = reviewConfigOf({ reviews: { window: { from: '2026-07-10', to: '2026-07-19', closesAt: '17:00' }, feePerPaperVnd: 20_000 } });
  assert.deepEqual(reviewWindow(set, new Date('2026-07-01T01:00:00Z')), { from: '2026-07-10', to: '2026-07-19', closesAt: '17:00' });
  assert.equal(reviewFee(set, 3), 60_000);
  assert.equal(reviewFee(cfg, 2), 60_000);
  // a bad configuration falls back to the defaults rather than opening anything odd
  assert.equal(reviewConfigOf({ reviews: { days: -1 } }).days, 10);
});

test('a request: only papers with a published score, once each, within the window', () => {
  const marks: Record<string, StoredMark> = { TOAN: score(450), VAN: score(600), LI: { kind: 'absent' } };
  const codes = (subjects: string[], window: 'open' | 'closed' | 'not_open' = 'open', already: string[] = []) =>
    checkReviewRequest({ subjects, window, marks, alreadyRequested: new Set(already) }).map((f) => [f.code, f.field]);
  assert.deepEqual(codes(['TOAN', 'VAN']), []);
  assert.deepEqual(codes(['TOAN'], 'closed'), [['REVIEW_WINDOW_CLOSED', 'subjects']]);
  assert.deepEqual(codes(['TOAN'], 'not_open'), [['REVIEW_WINDOW_NOT_OPEN', 'subjects']]);
  assert.deepEqual(codes([]), [['REVIEW_NO_PAPER', 'subjects']]);
  assert.deepEqual(codes(['HOA', 'LI']), [
    ['REVIEW_PAPER_NOT_SAT', 'subjects.0'],
    ['REVIEW_PAPER_NOT_SAT', 'subjects.1'],
  ]);
  assert.deepEqual(codes(['TOAN', 'TOAN']), [['REVIEW_DUPLICATE_PAPER', 'subjects.1']]);
  assert.deepEqual(codes(['VAN', 'TOAN'], 'open', ['TOAN']), [['REVIEW_ALREADY_REQUESTED', 'subjects.1']]);
  const f = checkReviewRequest({ subjects: ['HOA'], window: 'open', marks, alreadyRequested: new Set() })[0]!;
  assert.ok(f.vi.length > 0 && f.en.length > 0);
});

test('the outcome: an essay changes only by 0.25 or more; multiple choice whenever the re-mark differs', () => {
  const cfg = reviewConfigOf({});
  assert.equal(paperKind(cfg, 'VAN'), 'essay');
  assert.equal(paperKind(cfg, 'TOAN'), 'multiple_choice');
  assert.deepEqual(reviewOutcome('essay', score(600), 620), { changed: false, mark: score(600) });
  assert.deepEqual(reviewOutcome('essay', score(600), 576), { changed: false, mark: score(600) });
  assert.deepEqual(reviewOutcome('essay', score(600), 625), { changed: true, mark: score(625), deltaCenti: 25 });
  assert.deepEqual(reviewOutcome('essay', score(600), 550), { changed: true, mark: score(550), deltaCenti: -50 });
  assert.deepEqual(reviewOutcome('multiple_choice', score(450), 450), { changed: false, mark: score(450) });
  assert.deepEqual(reviewOutcome('multiple_choice', score(450), 475), { changed: true, mark: score(475), deltaCenti: 25 });
  assert.deepEqual(reviewOutcome('multiple_choice', score(120, 'reprimand'), 100), { changed: true, mark: score(100, 'reprimand'), deltaCenti: -20 });
  // a year with a threshold of its own
  assert.equal(reviewOutcome('essay', score(600), 640, 50).changed, false);
});

test('the reviewed mark as entered', () => {
  assert.deepEqual(parseReviewedMark('6,1', 'essay', 25), { ok: true, centi: 610 });
  assert.deepEqual(parseReviewedMark('7.25', 'multiple_choice', 25), { ok: true, centi: 725 });
  const off = parseReviewedMark('7.1', 'multiple_choice', 25);
  assert.ok(!off.ok && off.finding.code === 'MARK_STEP' && off.finding.field === 'reviewedMark');
  assert.deepEqual(parseReviewedMark('7.2', 'multiple_choice', 20), { ok: true, centi: 720 });
  for (const bad of ['11', '-1', 'abc', '7.255', '']) assert.equal(parseReviewedMark(bad, 'essay', 25).ok, false, bad);
});

test('the fee is paid online by default when a payment gateway is configured, else at the point; at_point is a choice', () => {
  const cfg = reviewConfigOf({});
  assert.equal(cfg.payment, 'online');
  assert.equal(reviewPaymentMode(cfg, true), 'online');
  assert.equal(reviewPaymentMode(cfg, false), 'at_point');
  assert.equal(reviewPaymentMode(reviewConfigOf({ reviews: { payment: 'at_point' } }), true), 'at_point');
  // nothing to pay: nothing to pay online either
  assert.equal(reviewPaymentMode(reviewConfigOf({ reviews: { feePerPaperVnd: 0 } }), true), 'at_point');
});

test('the ministry’s review settings: a real window in the year after registration, 1–60 days, a whole fee', () => {
  const ok: ReviewSettings = reviewSettingsOf(reviewConfigOf({}));
  assert.deepEqual(ok, { window: null, days: 10, feePerPaperVnd: 30_000, payment: 'online' });
  assert.deepEqual(checkReviewSettings(2026, ok), []);
  const correction = { from: '2026-05-01', to: '2026-05-10', closesAt: '17:00' };
  const codes = (s: Partial<ReviewSettings>) => checkReviewSettings(2026, { ...ok, ...s }, correction).map((f) => [f.code, f.field]);
  assert.deepEqual(codes({ window: { from: '2026-07-16', to: '2026-07-25', opensAt: '08:00', closesAt: '17:00' } }), []);
  assert.deepEqual(codes({ window: { from: '2026-02-30', to: '2026-07-25' } }), [['REVIEW_WINDOW_INVALID', 'reviews.window.from']]);
  assert.deepEqual(codes({ window: { from: '2026-07-16', to: '2026-07-25', closesAt: '25:00' } }), [['REVIEW_WINDOW_TIME_INVALID', 'reviews.window.closesAt']]);
  assert.deepEqual(codes({ window: { from: '2026-07-25', to: '2026-07-16' } }), [['REVIEW_WINDOW_EMPTY', 'reviews.window.to']]);
  assert.deepEqual(codes({ window: { from: '2027-07-16', to: '2027-07-25' } }), [['REVIEW_WINDOW_WRONG_YEAR', 'reviews.window.from']]);
  assert.deepEqual(codes({ window: { from: '2026-07-16', to: '2026-07-25', closesAt: '03:00' } }), [['REVIEW_WINDOW_ODD_CLOSING_HOUR', 'reviews.window.closesAt']]);
  assert.deepEqual(codes({ window: { from: '2026-05-10', to: '2026-05-20' } }), [['REVIEW_WINDOW_TOO_EARLY', 'reviews.window.from']]);
  assert.deepEqual(codes({ days: 0 }), [['REVIEW_DAYS_INVALID', 'reviews.days']]);
  assert.deepEqual(codes({ days: 61 }), [['REVIEW_DAYS_INVALID', 'reviews.days']]);
  assert.deepEqual(codes({ feePerPaperVnd: -1 }), [['REVIEW_FEE_INVALID', 'reviews.feePerPaperVnd']]);
  assert.deepEqual(codes({ feePerPaperVnd: 1500.5 }), [['REVIEW_FEE_INVALID', 'reviews.feePerPaperVnd']]);
  assert.deepEqual(codes({ feePerPaperVnd: 10_000_001 }), [['REVIEW_FEE_INVALID', 'reviews.feePerPaperVnd']]);
  assert.deepEqual(codes({ feePerPaperVnd: 0 }), []);
  // every finding speaks both languages
  for (const f of checkReviewSettings(2026, { ...ok, days: 0, feePerPaperVnd: -1, window: { from: 'x', to: 'y' } })) assert.ok(f.vi.length > 0 && f.en.length > 0 && f.vi !== f.en);
});

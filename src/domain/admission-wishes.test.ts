import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionWindowState, bestCombination, checkWishList, combinationOptions, searchKey, wishEligibility } from './admission-wishes.ts';

test('the window opens at its start and is closed from 17:00 local on the last day', () => {
  const w = { opensAt: '2026-07-16T00:00:00+07:00', closesAt: '2026-07-28T17:00:00+07:00' };
  assert.equal(admissionWindowState(w, new Date('2026-07-15T16:59:59Z')), 'not_open');
  assert.equal(admissionWindowState(w, new Date('2026-07-15T17:00:00Z')), 'open');
  assert.equal(admissionWindowState(w, new Date('2026-07-28T09:59:59Z')), 'open');
  assert.equal(admissionWindowState(w, new Date('2026-07-28T10:00:00Z')), 'closed');
  assert.equal(admissionWindowState(null, new Date()), 'not_open');
});

test('search keys fold diacritics and đ, so "su pham" finds "Sư phạm" and "dien" finds "Điện"', () => {
  assert.equal(searchKey('Sư phạm  Toán học'), 'su pham toan hoc');
  assert.equal(searchKey('Kỹ thuật Điện'), 'ky thuat dien');
});

test('a list repeating a programme or over the cap is refused, naming the position', () => {
  assert.deepEqual(checkWishList(['A', 'B'], { wishCap: 15 }), []);
  const dup = checkWishList(['A', 'B', 'A'], { wishCap: 15 });
  assert.deepEqual(dup.map((f) => [f.code, f.field]), [['WISH_DUPLICATE', 'wishes.3']]);
  assert.deepEqual(checkWishList(['A', 'B', 'C'], { wishCap: 2 }).map((f) => f.code), ['WISHES_TOO_MANY']);
  assert.deepEqual(checkWishList(Array.from({ length: 40 }, (_, i) => `P${i}`), { wishCap: null }), []);
});

test('a wish is checked the same before and after marks: a teacher-training wish beyond the positions is refused at once', () => {
  const rules = { wishCap: 15, teacherTrainingMaxPosition: 5, combinationFloor: 15 };
  const combinations = [{ code: 'A00', subjects: ['TOAN', 'LI', 'HOA'] }];
  const table = {
    years: [2026],
    areas: [
      { code: 'KV1' as const, vi: 'KV1', en: 'KV1', admissionPoints: 0.75 },
      { code: 'KV2-NT' as const, vi: 'KV2-NT', en: 'KV2-NT', admissionPoints: 0.5 },
      { code: 'KV2' as const, vi: 'KV2', en: 'KV2', admissionPoints: 0.25 },
      { code: 'KV3' as const, vi: 'KV3', en: 'KV3', admissionPoints: 0 },
    ],
    objects: [],
    admissionReduction: { fromYear: 2023, threshold: 22.5, scale: 30 },
    encouragementMax: 0,
    graduation: { groups: [] },
  } as unknown as import('./priority-object.ts').PriorityTable;
  const base = { combinations, priority: table, standing: { area: null, objects: [], graduationYear: 2026 }, admissionYear: 2026, rules };
  const teacher = { combinations: [{ code: 'A00' }], scoring: 'sum' as const, minScore: 24, teacherTraining: true };
  // no marks yet: only the position can be judged
  assert.deepEqual(wishEligibility(teacher, 'A00', 5, { ...base, exam: null }), { eligibility: 'no_results', score: null, reasons: [] });
  const beyond = wishEligibility(teacher, 'A00', 6, { ...base, exam: null });
  assert.equal(beyond.eligibility, 'ineligible');
  assert.deepEqual(beyond.reasons.map((r) => [r.code, r.field]), [['WISH_TEACHER_TRAINING_POSITION', 'wishes.6']]);
  // with marks: 8 + 8 + 8 = 24 meets the minimum at position 5, not at 6; 7 + 7 + 7 is below it
  const exam = { scores: { TOAN: 8, LI: 8, HOA: 8 } };
  assert.deepEqual(wishEligibility(teacher, 'A00', 5, { ...base, exam }), { eligibility: 'eligible', score: 24, reasons: [] });
  assert.deepEqual(wishEligibility(teacher, 'A00', 6, { ...base, exam }).reasons.map((r) => r.code), ['WISH_TEACHER_TRAINING_POSITION']);
  const low = wishEligibility(teacher, 'A00', 1, { ...base, exam: { scores: { TOAN: 7, LI: 7, HOA: 7 } } });
  assert.deepEqual([low.eligibility, low.score, low.reasons.map((r) => r.code)], ['ineligible', 21, ['WISH_BELOW_MINIMUM']]);
  // a combination not sat names the subject
  const notSat = wishEligibility({ ...teacher, teacherTraining: false }, 'A00', 1, { ...base, exam: { scores: { TOAN: 8, LI: 8 } } });
  assert.deepEqual(notSat.reasons.map((r) => r.code), ['WISH_SUBJECT_NOT_SAT']);

  // several combinations: each with its score; the best eligible one by default
  const several = { combinations: [{ code: 'A00' }, { code: 'D01' }, { code: 'C00' }], scoring: 'sum' as const, minScore: 20, teacherTraining: false };
  const refs = {
    ...base,
    combinations: [
      { code: 'A00', subjects: ['TOAN', 'LI', 'HOA'] },
      { code: 'D01', subjects: ['TOAN', 'VAN', 'NN'] },
      { code: 'C00', subjects: ['VAN', 'SU', 'DIA'] },
    ],
  } as unknown as typeof base;
  const marks = { scores: { TOAN: 8, LI: 6, HOA: 6, VAN: 7.5, NN: 9, SU: 9, DIA: 9.5 } };
  assert.deepEqual(
    combinationOptions(several, 1, { ...refs, exam: marks }),
    [
      { code: 'A00', eligibility: 'eligible', score: 20 },
      { code: 'D01', eligibility: 'eligible', score: 24.5 },
      { code: 'C00', eligibility: 'eligible', score: 26 },
    ],
  );
  assert.equal(bestCombination(several, 1, { ...refs, exam: marks }), 'C00');
  // a higher score on a combination not sat loses to an eligible one; no marks yet: the programme's first
  assert.equal(bestCombination(several, 1, { ...refs, exam: { scores: { ...marks.scores, DIA: null } } }), 'D01');
  assert.equal(bestCombination(several, 1, { ...refs, exam: null }), 'A00');
});

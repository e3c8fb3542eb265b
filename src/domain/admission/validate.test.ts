import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionInputError, validateAdmissionInput } from './validate.ts';
import { runAdmission } from './deferred-acceptance.ts';
import type { AdmissionInput } from './types.ts';

const good = (): AdmissionInput => ({
  teacherTrainingWishCap: 5,
  programmes: [
    { id: 'P1', quota: 2, tiePolicy: { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'math' }, { by: 'wish-order' }] } },
    { id: 'P2', quota: 1, tiePolicy: { kind: 'admit-all-tied' }, teacherTraining: true, minScore: 1800 },
  ],
  candidates: [
    { id: 'c1', wishes: [{ programme: 'P1', score: 2450, tieBreak: { math: 800 } }, { programme: 'P2', score: 2300 }] },
    { id: 'c2', wishes: [{ programme: 'P1', score: 2500, excluded: 'unpaid' }] },
  ],
});

const codes = (input: AdmissionInput) => validateAdmissionInput(input).map((f) => `${f.code} ${f.field}`);

test('a well-formed input has no findings (an excluded wish needs no tie-break values)', () => {
  assert.deepEqual(codes(good()), []);
});

test('each malformed part is named, in Vietnamese and English', () => {
  const input = good();
  input.teacherTrainingWishCap = 0;
  input.programmes.push({ id: 'P1', quota: -1, tiePolicy: { kind: 'break-by-rule', criteria: [{ by: 'value', key: '' }] } });
  input.candidates.push({
    id: 'c1',
    wishes: [
      { programme: 'P9', score: 2000 },
      { programme: 'P1', score: 24.5, tieBreak: { math: 8.5 } },
      { programme: 'P1', score: 2000, tieBreak: { math: 800 } },
    ],
  });
  assert.deepEqual(codes(input), [
    'ADMISSION_CAP_INVALID teacherTrainingWishCap',
    'ADMISSION_PROGRAMME_DUPLICATE programmes[2].id',
    'ADMISSION_QUOTA_INVALID programmes[2].quota',
    'ADMISSION_TIE_RULE_INVALID programmes[2].tiePolicy.criteria[0]',
    'ADMISSION_CANDIDATE_DUPLICATE candidates[2].id',
    'ADMISSION_WISH_PROGRAMME_UNKNOWN candidates[2].wishes[0].programme',
    'ADMISSION_SCORE_INVALID candidates[2].wishes[1].score',
    'ADMISSION_TIE_VALUE_INVALID candidates[2].wishes[1].tieBreak.math',
    'ADMISSION_WISH_DUPLICATE candidates[2].wishes[2].programme',
  ]);
  const f = validateAdmissionInput(input)[6]!;
  assert.match(f.vi, /số nguyên/);
  assert.match(f.en, /hundredths/);
});

test('a wish to a programme that ranks ties by Math must carry the Math value', () => {
  const input = good();
  input.candidates[0]!.wishes[0] = { programme: 'P1', score: 2450 };
  assert.deepEqual(codes(input), ['ADMISSION_TIE_VALUE_MISSING candidates[0].wishes[0].tieBreak.math']);
});

test('the run refuses a malformed input with every finding, rather than a result someone could publish', () => {
  const input = good();
  input.programmes[0]!.quota = 1.5;
  assert.throws(
    () => runAdmission(input),
    (e: unknown) => e instanceof AdmissionInputError && e.findings.length === 1 && e.findings[0]!.field === 'programmes[0].quota',
  );
});

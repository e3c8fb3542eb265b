import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import combinationsFile from '../../reference/combinations.json' with { type: 'json' };
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import languagesFile from '../../reference/foreign-languages.json' with { type: 'json' };
import {
  admissionScore,
  checkCombinationFloor,
  checkCombinationSat,
  checkProgrammeMinimum,
  checkProgrammeScoring,
  checkTeacherTrainingPosition,
  checkWish,
  checkWishCount,
  combinationFor,
  CombinationsFileSchema,
  combinationTotal,
  reducedPriority,
  standardPriority,
  type AdmissionRules,
  type Combination,
  type ExamScores,
  type PriorityStanding,
  type ProgrammeScoring,
} from './admission-score.ts';
import { PriorityFileSchema, priorityTableFor, type PriorityTable } from './priority-object.ts';
import { LanguagesFileSchema, SubjectsFileSchema } from './subjects.ts';
import { toNumber } from './exact.ts';

const combos = CombinationsFileSchema.parse(combinationsFile);
const priority = PriorityFileSchema.parse(priorityFile);
const names = SubjectsFileSchema.parse(subjectsFile).subjects;
const T2025 = priorityTableFor(priority, 2025) as PriorityTable;
const T2026 = priorityTableFor(priority, 2026) as PriorityTable;
const combo = (code: string) => combinationFor(combos, code) as Combination;
const A00 = combo('A00');
const D01 = combo('D01');

const RULES_2025: AdmissionRules = { wishCap: null, teacherTrainingMaxPosition: null, combinationFloor: null };
const RULES_2026: AdmissionRules = { wishCap: 15, teacherTrainingMaxPosition: 5, combinationFloor: 15 };

const kv = (area: PriorityStanding['area'], objects: string[] = [], graduationYear = 2025): PriorityStanding => ({ area, objects, graduationYear });
const pri = (standing: PriorityStanding, table = T2025, admissionYear = 2025) => ({ table, standing, admissionYear });
const plain = (c: Combination): ProgrammeScoring => ({ combination: c, method: 'sum' });

function score(p: ProgrammeScoring, exam: ExamScores, standing: PriorityStanding, table = T2025, year = 2025) {
  const r = admissionScore(p, exam, pri(standing, table, year));
  assert.ok(r.ok, 'the combination was sat');
  return r.value;
}

test('combinations: codes unique, subjects and languages from the reference lists, a pinned language only with the language paper', () => {
  const subjects = new Set(names.map((s) => s.code));
  const languages = new Set(LanguagesFileSchema.parse(languagesFile).languages.map((l) => l.code));
  const seen = new Set<string>();
  for (const c of combos.combinations) {
    assert.ok(!seen.has(c.code), `${c.code} twice`);
    seen.add(c.code);
    for (const s of c.subjects) assert.ok(subjects.has(s), `${c.code}: ${s}`);
    assert.equal(new Set(c.subjects).size, 3, `${c.code}: three different subjects`);
    assert.equal(c.language !== undefined, c.subjects.includes('NN'), `${c.code}: language iff NN`);
    if (c.language) assert.ok(languages.has(c.language), `${c.code}: ${c.language}`);
  }
  for (const code of ['A00', 'A01', 'B00', 'C00', 'C01', 'D01', 'D07']) assert.ok(combinationFor(combos, code), code);
  assert.deepEqual(combo('A01'), { code: 'A01', subjects: ['TOAN', 'LI', 'NN'], language: 'N1' });
  assert.deepEqual(combo('C00').subjects, ['VAN', 'SU', 'DIA']);
});

test('standard priority: area plus the highest object; the area only in the graduation year and the year after', () => {
  assert.deepEqual(standardPriority(T2025, kv('KV1', ['01']), 2025), { area: 0.75, object: 2, total: 2.75, areaCounted: true });
  assert.deepEqual(standardPriority(T2025, kv('KV2-NT'), 2025), { area: 0.5, object: 0, total: 0.5, areaCounted: true });
  assert.equal(standardPriority(T2025, kv('KV2', ['06', '03']), 2025).total, 2.25);
  assert.equal(standardPriority(T2025, kv('KV3'), 2025).total, 0);
  // graduated 2024: counts in 2025 (the year after); graduated 2023: no longer
  assert.deepEqual(standardPriority(T2025, kv('KV1', [], 2024), 2025), { area: 0.75, object: 0, total: 0.75, areaCounted: true });
  assert.deepEqual(standardPriority(T2025, kv('KV1', ['06'], 2023), 2025), { area: 0, object: 1, total: 1, areaCounted: false });
  // 2026 regroups: 01–03 +2, 04–06 +1, and there is no 07
  assert.equal(standardPriority(T2026, kv(null, ['03'], 2026), 2026).object, 2);
  assert.equal(standardPriority(T2026, kv(null, ['04'], 2026), 2026).object, 1);
  assert.equal(standardPriority(T2025, kv(null, ['04']), 2025).object, 2);
  assert.equal(standardPriority(T2026, kv(null, ['07'], 2026), 2026).object, 0);
});

test('the reduction: full priority below 22.5, (30 − total)/7.5 × standard from 22.5', () => {
  // 20.00 < 22.5: the standard 2.75
  assert.equal(reducedPriority(T2025, 20, 2.75, 2025), 2.75);
  // 22.50: (30 − 22.5)/7.5 = 1 → 2.75, continuous at the threshold
  assert.equal(reducedPriority(T2025, 22.5, 2.75, 2025), 2.75);
  // 24.00 KV1 + 01: (6/7.5) × 2.75 = 0.8 × 2.75 = 2.2
  assert.equal(reducedPriority(T2025, 24, 2.75, 2025), 2.2);
  // 27.75 KV1: (2.25/7.5) × 0.75 = 0.3 × 0.75 = 0.225 exactly → 0.23 (doubles: 0.22499999999999998 → 0.22)
  assert.equal(Math.round(((30 - 27.75) / 7.5) * 0.75 * 100) / 100, 0.22);
  assert.equal(reducedPriority(T2025, 27.75, 0.75, 2025), 0.23);
  // 30: nothing left
  assert.equal(reducedPriority(T2025, 30, 2.75, 2025), 0);
  // 2022, before the reduction: the standard priority whatever the total
  assert.equal(reducedPriority(priorityTableFor(priority, 2022) as PriorityTable, 27, 0.75, 2022), 0.75);
  // 2026: unchanged — 26.25: (3.75/7.5) × 1.75 = 0.875 → 0.88
  assert.equal(reducedPriority(T2026, 26.25, 1.75, 2026), 0.88);
});

test('worked examples: plain sum with the reduced priority', () => {
  // A00: 8.0 + 7.5 + 7.25 = 22.75 ≥ 22.5; KV1: (30 − 22.75)/7.5 × 0.75 = 7.25/7.5 × 0.75 = 0.725 → 0.73; score 23.48
  const a = score(plain(A00), { scores: { TOAN: 8, LI: 7.5, HOA: 7.25 } }, kv('KV1'));
  assert.deepEqual(a, { total: 22.75, plainSum: 22.75, standard: { area: 0.75, object: 0, total: 0.75, areaCounted: true }, priority: 0.73, score: 23.48 });
  // A00: 6.5 + 7 + 6.5 = 20 < 22.5; KV1 + object 01: 2.75 in full; score 22.75
  assert.equal(score(plain(A00), { scores: { TOAN: 6.5, LI: 7, HOA: 6.5 } }, kv('KV1', ['01'])).score, 22.75);
  // the same candidate two years after graduating: object only, 20 + 2 = 22
  assert.equal(score(plain(A00), { scores: { TOAN: 6.5, LI: 7, HOA: 6.5 } }, kv('KV1', ['01'], 2023)).score, 22);
});

test('worked examples: Toán ×2 brought back to 30, and weights that do not divide evenly', () => {
  // A00, Toán ×2: (9×2 + 7 + 8) × 3/4 = 33 × 0.75 = 24.75; plain sum 24
  // KV2: (30 − 24.75)/7.5 × 0.25 = 0.7 × 0.25 = 0.175 → 0.18; score 24.93
  const w: ProgrammeScoring = { combination: A00, method: 'weighted-30', weights: { TOAN: 2 } };
  const r = score(w, { scores: { TOAN: 9, LI: 7, HOA: 8 } }, kv('KV2'));
  assert.deepEqual([r.total, r.plainSum, r.priority, r.score], [24.75, 24, 0.18, 24.93]);
  // weights 3/2/2: (8×3 + 7×2 + 6×2) × 3/7 = 50 × 3/7 = 21.428571… → 21.43; KV3, no priority
  const w7: ProgrammeScoring = { combination: A00, method: 'weighted-30', weights: { TOAN: 3, LI: 2, HOA: 2 } };
  assert.equal(score(w7, { scores: { TOAN: 8, LI: 7, HOA: 6 } }, kv('KV3')).score, 21.43);
  // with all weights 1 the two methods agree
  const t1 = combinationTotal({ combination: A00, method: 'weighted-30' }, { scores: { TOAN: 8.2, LI: 7.25, HOA: 6.5 } });
  const t2 = combinationTotal(plain(A00), { scores: { TOAN: 8.2, LI: 7.25, HOA: 6.5 } });
  assert.ok(t1 && t2);
  assert.equal(toNumber(t1.total), toNumber(t2.total));
});

test('sitting the combination: every subject, and the pinned language', () => {
  assert.deepEqual(checkCombinationSat(A00, { scores: { TOAN: 8, LI: 7 } }, 'wishes[0]', names).map((f) => [f.code, f.field, f.params?.['subject']]), [['WISH_SUBJECT_NOT_SAT', 'wishes[0]', 'HOA']]);
  assert.match(checkCombinationSat(A00, { scores: { TOAN: 8, LI: 7, HOA: null } }, 'w', names)[0]?.vi ?? '', /Hóa học/);
  // D01 needs English; a French paper does not count
  const fr = checkCombinationSat(D01, { scores: { VAN: 7, TOAN: 7, NN: 9 }, foreignLanguage: 'N3' });
  assert.deepEqual(fr.map((f) => f.code), ['WISH_LANGUAGE_MISMATCH']);
  assert.deepEqual(checkCombinationSat(combo('D03'), { scores: { VAN: 7, TOAN: 7, NN: 9 }, foreignLanguage: 'N3' }), []);
  const r = admissionScore(plain(D01), { scores: { VAN: 7, TOAN: 7, NN: 9 }, foreignLanguage: 'N3' }, pri(kv('KV3')));
  assert.equal(r.ok, false);
});

test('the year’s bars: 15/30 on the combination (2026), the programme minimum, teacher training among wishes 1–5, the wish cap', () => {
  assert.deepEqual(checkCombinationFloor(14.75, 'A00', RULES_2026).map((f) => f.code), ['WISH_BELOW_COMBINATION_FLOOR']);
  assert.deepEqual(checkCombinationFloor(15, 'A00', RULES_2026), []);
  assert.deepEqual(checkCombinationFloor(14.75, 'A00', RULES_2025), []);
  assert.deepEqual(checkProgrammeMinimum(17.99, 18).map((f) => f.code), ['WISH_BELOW_MINIMUM']);
  assert.deepEqual(checkProgrammeMinimum(18, 18), []);
  assert.deepEqual(checkProgrammeMinimum(3, null), []);
  assert.deepEqual(checkTeacherTrainingPosition(6, true, RULES_2026).map((f) => [f.code, f.params?.['max']]), [['WISH_TEACHER_TRAINING_POSITION', 5]]);
  assert.deepEqual(checkTeacherTrainingPosition(5, true, RULES_2026), []);
  assert.deepEqual(checkTeacherTrainingPosition(6, false, RULES_2026), []);
  assert.deepEqual(checkTeacherTrainingPosition(40, true, RULES_2025), []);
  assert.deepEqual(checkWishCount(16, RULES_2026).map((f) => f.code), ['WISHES_TOO_MANY']);
  assert.deepEqual(checkWishCount(15, RULES_2026), []);
  assert.deepEqual(checkWishCount(231, RULES_2025), []);
});

test('a wish: the best combination sat counts, with every reason it cannot be considered', () => {
  const exam: ExamScores = { scores: { TOAN: 8, LI: 6, HOA: 5, NN: 9 }, foreignLanguage: 'N1' };
  const programme = { scorings: [plain(A00), plain(combo('A01')), plain(combo('B00'))], minimum: 20, teacherTraining: true };
  // A00 = 19, A01 = 23 (best), B00 not sat; KV3, no priority
  const ok = checkWish(programme, 3, exam, pri(kv('KV3'), T2026, 2026), RULES_2026);
  assert.equal(ok.eligible, true);
  assert.equal(ok.best?.combination, 'A01');
  assert.equal(ok.best?.score, 23);
  assert.deepEqual(ok.findings, []);
  // the same programme as wish 6: teacher training is considered only among wishes 1–5
  const late = checkWish(programme, 6, exam, pri(kv('KV3'), T2026, 2026), RULES_2026, { field: 'wishes[5]' });
  assert.equal(late.eligible, false);
  assert.deepEqual(late.findings.map((f) => [f.code, f.field]), [['WISH_TEACHER_TRAINING_POSITION', 'wishes[5]']]);
  // below the minimum and the 2026 floor: 4 + 5 + 5.5 = 14.5
  const low = checkWish({ scorings: [plain(A00)], minimum: 16 }, 1, { scores: { TOAN: 4, LI: 5, HOA: 5.5 } }, pri(kv('KV1'), T2026, 2026), RULES_2026);
  assert.deepEqual(low.findings.map((f) => f.code), ['WISH_BELOW_COMBINATION_FLOOR', 'WISH_BELOW_MINIMUM']);
  // with KV1 (14.5 + 0.75 = 15.25) the minimum of 15 is met, but not the floor, which is on the three scores alone
  const floorOnly = checkWish({ scorings: [plain(A00)], minimum: 15 }, 1, { scores: { TOAN: 4, LI: 5, HOA: 5.5 } }, pri(kv('KV1'), T2026, 2026), RULES_2026);
  assert.deepEqual(floorOnly.findings.map((f) => f.code), ['WISH_BELOW_COMBINATION_FLOOR']);
  // a programme whose minimum excludes priority
  const noPri = checkWish({ scorings: [plain(A00)], minimum: 15, minimumIncludesPriority: false }, 1, { scores: { TOAN: 4, LI: 5, HOA: 5.5 } }, pri(kv('KV1'), T2025), RULES_2025);
  assert.deepEqual(noPri.findings.map((f) => f.code), ['WISH_BELOW_MINIMUM']);
  // no combination sat: the missing subjects are named
  const none = checkWish({ scorings: [plain(combo('C00'))] }, 1, exam, pri(kv('KV3')), RULES_2025);
  assert.deepEqual(none.findings.map((f) => f.code), ['WISH_SUBJECT_NOT_SAT', 'WISH_SUBJECT_NOT_SAT', 'WISH_SUBJECT_NOT_SAT']);
  assert.equal(none.best, undefined);
  // a combination that clears the bars beats a higher one that does not:
  // A00 Toán ×2: (9×2 + 3 + 2.75) × 3/4 = 17.8125 → 17.81, but its three scores add up to 14.75 < 15;
  // C01: 5 + 9 + 3 = 17 clears the floor, so C01 counts and the wish stands
  const weighted: ProgrammeScoring = { combination: A00, method: 'weighted-30', weights: { TOAN: 2 } };
  const pick = checkWish({ scorings: [weighted, plain(combo('C01'))] }, 1, { scores: { TOAN: 9, LI: 3, HOA: 2.75, VAN: 5 } }, pri(kv('KV3'), T2026, 2026), RULES_2026);
  assert.equal(pick.eligible, true);
  assert.equal(pick.best?.combination, 'C01');
  assert.equal(pick.best?.score, 17);
  // in 2025 (no floor) the higher one counts
  const pick25 = checkWish({ scorings: [weighted, plain(combo('C01'))] }, 1, { scores: { TOAN: 9, LI: 3, HOA: 2.75, VAN: 5 } }, pri(kv('KV3')), RULES_2025);
  assert.equal(pick25.best?.combination, 'A00');
  assert.equal(pick25.best?.score, 17.81);
});

test('programme scoring mistakes are named at import', () => {
  assert.deepEqual(checkProgrammeScoring({ combination: A00, method: 'weighted-30', weights: { TOAN: 2 } }), []);
  assert.deepEqual(checkProgrammeScoring({ combination: A00, method: 'sum', weights: { TOAN: 2 } }).map((f) => f.code), ['WEIGHT_WITH_PLAIN_SUM']);
  assert.deepEqual(checkProgrammeScoring({ combination: A00, method: 'weighted-30', weights: { VAN: 2 } }).map((f) => [f.code, f.field]), [['WEIGHT_SUBJECT_NOT_IN_COMBINATION', 'programme.weights.VAN']]);
  assert.deepEqual(checkProgrammeScoring({ combination: A00, method: 'weighted-30', weights: { TOAN: 0 } }).map((f) => f.code), ['WEIGHT_INVALID']);
});

test('property: the priority never exceeds the standard, and a higher total never gives a lower score', () => {
  const standards = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75];
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), fc.constantFrom(...standards), (a, b, std) => {
      const [lo, hi] = a <= b ? [a / 100, b / 100] : [b / 100, a / 100];
      const pLo = reducedPriority(T2025, lo, std, 2025);
      const pHi = reducedPriority(T2025, hi, std, 2025);
      assert.ok(pLo >= 0 && pLo <= std && pHi >= 0 && pHi <= std);
      assert.ok(pHi <= pLo, 'priority tapers');
      assert.ok(Math.round((hi + pHi) * 100) >= Math.round((lo + pLo) * 100), `${lo}+${pLo} vs ${hi}+${pHi}`);
    }),
  );
});

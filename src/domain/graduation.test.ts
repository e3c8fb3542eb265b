import { test } from 'node:test';
import assert from 'node:assert/strict';
import graduationFile from '../../reference/graduation.json' with { type: 'json' };
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import schemesFile from '../../reference/schemes.json' with { type: 'json' };
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import {
  computeGraduation,
  effectiveMark,
  encouragementFromAwards,
  GraduationFileSchema,
  graduationPriorityPoints,
  graduationRuleFor,
  schoolComponent,
  type GraduationInput,
  type GraduationRule,
  type PaperMark,
} from './graduation.ts';
import { PriorityFileSchema, priorityTableFor } from './priority-object.ts';
import { graduationFormula, SchemesFileSchema, SubjectsFileSchema, type CandidateProfile, type ExemptionClaim, type Scheme, type SubjectChoice } from './subjects.ts';
import { toNumber } from './exact.ts';

const file = GraduationFileSchema.parse(graduationFile);
const priority = PriorityFileSchema.parse(priorityFile);
const schemes = SchemesFileSchema.parse(schemesFile).schemes;
const names = SubjectsFileSchema.parse(subjectsFile).subjects;
const CT2018 = schemes.find((s) => s.code === 'CT2018') as Scheme;
const CT2006 = schemes.find((s) => s.code === 'CT2006') as Scheme;
const R2025 = graduationRuleFor(file, 2025, 'CT2018') as GraduationRule;
const R2024 = graduationRuleFor(file, 2024, 'CT2006') as GraduationRule;

const regular: CandidateProfile = { programme: 'CT2018', track: 'THPT', candidateType: 'current', graduated: false, purpose: 'both', nationality: 'VN' };
const regular06: CandidateProfile = { ...regular, programme: 'CT2006' };
const gdtx06: CandidateProfile = { ...regular06, track: 'GDTX' };

const s = (score: number, sanction?: 'reprimand' | 'warning'): PaperMark => (sanction ? { kind: 'score', score, sanction } : { kind: 'score', score });

function formula(scheme: Scheme, profile: CandidateProfile, choice: SubjectChoice, ex?: ExemptionClaim) {
  const f = graduationFormula(scheme, profile, choice, ex);
  assert.ok(f, 'a graduation candidate has a formula');
  return f;
}

function run(rule: GraduationRule, f: GraduationInput['formula'], marks: GraduationInput['marks'], school: GraduationInput['school'], extra: Partial<GraduationInput> = {}) {
  return computeGraduation(rule, { formula: f, marks, school, names, ...extra });
}

test('the rule in force: CT2006 to 2025, CT2018 from 2025, none before 2017', () => {
  assert.equal(graduationRuleFor(file, 2025, 'CT2006')?.scheme, 'CT2006');
  assert.equal(graduationRuleFor(file, 2026, 'CT2018')?.scheme, 'CT2018');
  assert.equal(graduationRuleFor(file, 2026, 'CT2006'), undefined);
  assert.equal(graduationRuleFor(file, 2024, 'CT2018'), undefined);
  assert.equal(graduationRuleFor(file, 2016, 'CT2006'), undefined);
  assert.ok(R2025 && R2024);
});

// ---- CT2018 (from 2025) ----

test('CT2018 worked example: ĐXTN = [(sum of 4)/4 + ĐTB]/2', () => {
  // ĐTB = (7.0×1 + 7.5×2 + 8.0×3)/6 = 46/6 = 7.666… → 7.67
  // exam: 7.5 + 6.75 + 8.0 + 7.0 = 29.25; /4 = 7.3125
  // ĐXTN = (7.3125 + 7.67)/2 = 7.49125 → 7.49
  const f = formula(CT2018, regular, { electives: ['LI', 'NN'], foreignLanguage: 'N1' });
  const r = run(R2025, f, { TOAN: s(7.5), VAN: s(6.75), LI: s(8), NN: s(7) }, { grade10: 7, grade11: 7.5, grade12: 8 });
  assert.equal(r.schoolAverage, 7.67);
  assert.equal(r.divisor, 4);
  assert.equal(r.score, 7.49);
  assert.equal(r.passed, true);
  assert.deepEqual(r.reasons, []);
  assert.deepEqual(r.parts.map((p) => [p.code, p.score]), [['TOAN', 7.5], ['VAN', 6.75], ['LI', 8], ['NN', 7]]);
});

test('CT2018: rounding is exact half up where doubles would round down (4.895 → 4.90)', () => {
  // ĐTB = (5.0 + 5.0×2 + 5.08×3)/6 = 30.24/6 = 5.04
  // exam: 4.0 + 4.5 + 3.25 + 3.25 = 15; /4 = 3.75
  // (3.75 + 5.04)/2 + 0.5 = 4.395 + 0.5 = 4.895 exactly → 4.90
  // In doubles (3.75 + 5.04)/2 + 0.5 is 4.8949999999999996, which Math.round(x*100)/100 makes 4.89.
  assert.equal(Math.round(((3.75 + 5.04) / 2 + 0.5) * 100) / 100, 4.89);
  const f = formula(CT2018, regular, { electives: ['SU', 'DIA'] });
  const r = run(R2025, f, { TOAN: s(4), VAN: s(4.5), SU: s(3.25), DIA: s(3.25) }, { grade10: 5, grade11: 5, grade12: 5.08 }, { priorityPoints: 0.5 });
  assert.equal(r.schoolAverage, 5.04);
  assert.equal(r.score, 4.9);
  assert.equal(r.passed, false);
  assert.deepEqual(r.reasons.map((x) => x.code), ['GRAD_SCORE_BELOW_PASS']);
  assert.match(r.reasons[0]?.vi ?? '', /4\.90 thấp hơn 5\.0/);
});

test('CT2018: the pass mark is on the rounded score (4.995 → 5.00 graduates)', () => {
  // ĐTB = 4.99 (every year 4.99); exam 5 + 5 + 5 + 5 = 20 → 5.0; (5.0 + 4.99)/2 = 4.995 → 5.00
  const f = formula(CT2018, regular, { electives: ['HOA', 'SINH'] });
  const r = run(R2025, f, { TOAN: s(5), VAN: s(5), HOA: s(5), SINH: s(5) }, { grade10: 4.99, grade11: 4.99, grade12: 4.99 });
  assert.equal(r.score, 5);
  assert.equal(r.passed, true);
});

test('CT2018: language exemption drops the language and divides by 3 (assumption, per year)', () => {
  // exam: 6.0 + 5.5 + 4.25 = 15.75; /3 = 5.25
  // ĐTB = (6.0 + 6.2×2 + 6.5×3)/6 = 37.9/6 = 6.3166… → 6.32
  // ĐXTN = (5.25 + 6.32)/2 = 5.785 → 5.79
  const f = formula(CT2018, regular, { electives: ['NN', 'LI'], foreignLanguage: 'N1' }, { foreignLanguage: true });
  const r = run(R2025, f, { TOAN: s(6), VAN: s(5.5), LI: s(4.25) }, { grade10: 6, grade11: 6.2, grade12: 6.5 });
  assert.equal(r.divisor, 3);
  assert.equal(r.score, 5.79);
  assert.equal(r.parts.find((p) => p.code === 'NN')?.treatment, 'exempt-dropped');
  // A year that counts the exempted language as 10 instead: (15.75 + 10)/4 = 6.4375; (6.4375 + 6.32)/2 = 6.37875 → 6.38
  const counts10: GraduationRule = { ...R2025, languageExemption: 'counts-as-10' };
  const r10 = run(counts10, f, { TOAN: s(6), VAN: s(5.5), LI: s(4.25) }, { grade10: 6, grade11: 6.2, grade12: 6.5 });
  assert.equal(r10.divisor, 4);
  assert.equal(r10.score, 6.38);
});

test('CT2018: a foreigner exempt from Ngữ văn: Ngữ văn drops out likewise', () => {
  // exam: 8 + 7 + 6 = 21; /3 = 7; ĐTB 7.5; (7 + 7.5)/2 = 7.25
  const foreigner = { ...regular, nationality: 'KR' };
  const f = formula(CT2018, foreigner, { electives: ['LI', 'HOA'] }, { literature: true });
  const r = run(R2025, f, { TOAN: s(8), LI: s(7), HOA: s(6) }, { grade10: 7.5, grade11: 7.5, grade12: 7.5 });
  assert.equal(r.divisor, 3);
  assert.equal(r.score, 7.25);
});

test('CT2018: a paper at or below 1.0 fails the candidate whatever the score (điểm liệt)', () => {
  // exam: 9 + 8 + 1.0 + 9 = 27; /4 = 6.75; ĐTB 8.0; (6.75 + 8)/2 = 7.375 → 7.38, but Hóa học is 1.0
  const f = formula(CT2018, regular, { electives: ['HOA', 'SINH'] });
  const r = run(R2025, f, { TOAN: s(9), VAN: s(8), HOA: s(1), SINH: s(9) }, { grade10: 8, grade11: 8, grade12: 8 });
  assert.equal(r.score, 7.38);
  assert.equal(r.passed, false);
  assert.deepEqual(r.reasons.map((x) => [x.code, x.field]), [['GRAD_PAPER_AT_OR_BELOW_FLOOR', 'marks.HOA']]);
  assert.match(r.reasons[0]?.vi ?? '', /Hóa học là 1\.00, từ 1\.0 trở xuống/);
  assert.match(r.reasons[0]?.en ?? '', /Chemistry scored 1\.00/);
  // 1.25 is above the floor
  const ok = run(R2025, f, { TOAN: s(9), VAN: s(8), HOA: s(1.25), SINH: s(9) }, { grade10: 8, grade11: 8, grade12: 8 });
  assert.equal(ok.passed, true);
});

test('CT2018: priority and encouragement; encouragement capped by the year', () => {
  // exam: 3.5 + 4.0 + 4.25 + 4.5 = 16.25; /4 = 4.0625
  // ĐTB = (5.0 + 5.2×2 + 5.3×3)/6 = 31.3/6 = 5.2166… → 5.22
  // (4.0625 + 5.22)/2 = 4.64125; + 0.25 → 4.89 (fails); + 0.5 → 5.14 (graduates)
  const f = formula(CT2018, regular, { electives: ['SU', 'DIA'] });
  const marks = { TOAN: s(3.5), VAN: s(4), SU: s(4.25), DIA: s(4.5) };
  const school = { grade10: 5, grade11: 5.2, grade12: 5.3 };
  assert.equal(run(R2025, f, marks, school, { priorityPoints: 0.25 }).score, 4.89);
  const withHalf = run(R2025, f, marks, school, { priorityPoints: 0.5 });
  assert.equal(withHalf.score, 5.14);
  assert.equal(withHalf.passed, true);
  // encouragement 2: (16.25 + 2)/4 = 4.5625; (4.5625 + 5.22)/2 = 4.89125 → 4.89
  assert.equal(run(R2025, f, marks, school, { encouragementPoints: 2 }).score, 4.89);
  // encouragement 6 is capped at 4: (16.25 + 4)/4 = 5.0625; (5.0625 + 5.22)/2 = 5.14125 → 5.14
  const capped = run(R2025, f, marks, school, { encouragementPoints: 6 });
  assert.equal(capped.encouragementPoints, 4);
  assert.equal(capped.score, 5.14);
  // a year that does not count encouragement
  const none: GraduationRule = { ...R2025, encouragement: { ...R2025.encouragement, counts: false } };
  assert.equal(run(none, f, marks, school, { encouragementPoints: 2 }).score, 4.64);
});

test('CT2018: a year not studied under a Vietnamese programme drops out with its weight', () => {
  // grade 10 abroad: (7.0×2 + 8.0×3)/5 = 38/5 = 7.6
  assert.equal(toNumber(schoolComponent(R2025, { grade10: null, grade11: 7, grade12: 8 }).value ?? { n: -1, d: 1 }), 7.6);
  // each year is rounded to 2 decimals first: 7.005 → 7.01 (so (7.01 + 14 + 21)/6 = 42.01/6 = 7.00166… → 7.00)
  assert.equal(toNumber(schoolComponent(R2025, { grade10: 7.005, grade11: 7, grade12: 7 }).value ?? { n: -1, d: 1 }), 7);
  const none = schoolComponent(R2025, {});
  assert.equal(none.value, null);
  assert.deepEqual(none.findings.map((x) => x.code), ['GRAD_SCHOOL_AVERAGE_MISSING']);
  assert.deepEqual(schoolComponent(R2025, { grade10: 11, grade11: 7, grade12: 7 }).findings.map((x) => x.field), ['school.grade10']);
});

test('absent, unmarked and suspended papers; cancelled results', () => {
  const f = formula(CT2018, regular, { electives: ['LI', 'HOA'] });
  const school = { grade10: 8, grade11: 8, grade12: 8 };
  const absent = run(R2025, f, { TOAN: s(9), VAN: { kind: 'absent' }, LI: s(9), HOA: s(9) }, school);
  assert.equal(absent.score, null);
  assert.equal(absent.passed, false);
  assert.deepEqual(absent.reasons.map((x) => [x.code, x.field]), [['GRAD_PAPER_ABSENT', 'marks.VAN']]);
  assert.match(absent.reasons[0]?.vi ?? '', /vắng thi môn Ngữ văn/);

  const missing = run(R2025, f, { TOAN: s(9), VAN: s(9), LI: s(9) }, school);
  assert.deepEqual(missing.reasons.map((x) => x.code), ['GRAD_PAPER_MISSING']);

  // suspended from Lí: 0 points, and a failing paper: (9 + 9 + 0 + 9)/4 = 6.75; (6.75 + 8)/2 = 7.375 → 7.38
  const suspended = run(R2025, f, { TOAN: s(9), VAN: s(9), LI: { kind: 'suspended' }, HOA: s(9) }, school);
  assert.equal(suspended.score, 7.38);
  assert.equal(suspended.passed, false);
  assert.deepEqual(suspended.reasons.map((x) => x.code), ['GRAD_PAPER_SUSPENDED']);

  const cancelled = run(R2025, f, { TOAN: s(9), VAN: s(9), LI: s(9), HOA: s(9) }, school, { resultsCancelled: true });
  assert.equal(cancelled.passed, false);
  assert.deepEqual(cancelled.reasons.map((x) => x.code), ['GRAD_RESULTS_CANCELLED']);

  const invalid = run(R2025, f, { TOAN: s(10.5), VAN: s(9), LI: s(9), HOA: s(9) }, school);
  assert.deepEqual(invalid.reasons.map((x) => [x.code, x.field]), [['GRAD_MARK_INVALID', 'marks.TOAN']]);
});

test('sanctions deduct 25% (reprimand) and 50% (warning) before the floor is checked', () => {
  assert.equal(toNumber(effectiveMark(R2025, s(6.5, 'reprimand')) as { n: number; d: number }), 4.875);
  assert.equal(toNumber(effectiveMark(R2025, s(8, 'warning')) as { n: number; d: number }), 4);
  // 1.75 with a warning is 0.875: at or below the floor
  const f = formula(CT2018, regular, { electives: ['LI', 'HOA'] });
  const r = run(R2025, f, { TOAN: s(9), VAN: s(9), LI: s(1.75, 'warning'), HOA: s(9) }, { grade10: 8, grade11: 8, grade12: 8 });
  assert.deepEqual(r.reasons.map((x) => x.code), ['GRAD_PAPER_AT_OR_BELOW_FLOOR']);
  assert.equal(r.parts.find((p) => p.code === 'LI')?.score, 0.88);
});

// ---- CT2006 (2017–2024, and CT2006 candidates in 2025) ----

test('CT2006 worked example: [(sum of 4)/4 × 7 + grade 12 × 3]/10, KHTN as the average of its papers', () => {
  // KHTN = (6.25 + 5.5 + 4.75)/3 = 16.5/3 = 5.5
  // sum = 7.2 + 6.5 + 5.4 + 5.5 = 24.6; /4 = 6.15; × 7 = 43.05
  // grade 12: 7.1 × 3 = 21.3; (43.05 + 21.3)/10 = 6.435 → 6.44
  const f = formula(CT2006, regular06, { electives: [], combinations: ['KHTN'], foreignLanguage: 'N1' });
  const r = run(R2024, f, { TOAN: s(7.2), VAN: s(6.5), NN: s(5.4), LI: s(6.25), HOA: s(5.5), SINH: s(4.75) }, { grade12: 7.1 });
  assert.equal(r.score, 6.44);
  assert.equal(r.passed, true);
  assert.equal(r.schoolAverage, 7.1);
  assert.deepEqual(r.parts.at(-1), { code: 'KHTN', treatment: 'exam', score: 5.5, components: [{ code: 'LI', score: 6.25 }, { code: 'HOA', score: 5.5 }, { code: 'SINH', score: 4.75 }] });
});

test('CT2006: 5.655 rounds to 5.66, where doubles give 5.65', () => {
  // sum = 6 + 5 + 5 + 5 = 21 (KHXH = (5 + 5 + 5)/3 = 5); 21/4 × 7 = 36.75; grade 12 6.6 × 3 = 19.8
  // (36.75 + 19.8)/10 = 5.655 exactly → 5.66; in doubles 5.654999999999999 → 5.65
  assert.equal(Math.round(((21 / 4) * 7 + 6.6 * 3) / 10 * 100) / 100, 5.65);
  const f = formula(CT2006, regular06, { electives: [], combinations: ['KHXH'], foreignLanguage: 'N1' });
  const r = run(R2024, f, { TOAN: s(6), VAN: s(5), NN: s(5), SU: s(5), DIA: s(5), GDCD: s(5) }, { grade12: 6.6 });
  assert.equal(r.score, 5.66);
});

test('CT2006: an exempted language counts as 10', () => {
  // KHXH = (4.0 + 5.5 + 7.0)/3 = 5.5; sum = 5.0 + 5.5 + 10 + 5.5 = 26; /4 = 6.5; × 7 = 45.5
  // grade 12 6.0 × 3 = 18; (45.5 + 18)/10 = 6.35
  const f = formula(CT2006, regular06, { electives: [], combinations: ['KHXH'], foreignLanguage: 'N1' }, { foreignLanguage: true });
  const r = run(R2024, f, { TOAN: s(5), VAN: s(5.5), SU: s(4), DIA: s(5.5), GDCD: s(7) }, { grade12: 6 });
  assert.equal(r.divisor, 4);
  assert.equal(r.parts.find((p) => p.code === 'NN')?.score, 10);
  assert.equal(r.score, 6.35);
});

test('CT2006 GDTX: three tests, divisor 3, KHXH without GDCD, encouragement for a vocational certificate', () => {
  // KHXH = (3.5 + 4.0)/2 = 3.75; sum = 4.4 + 5.0 + 3.75 = 13.15; + 1.5 = 14.65; /3 = 4.8833…; × 7 = 34.1833…
  // grade 12 5.5 × 3 = 16.5; (34.1833… + 16.5)/10 = 5.06833… → 5.07
  const f = formula(CT2006, gdtx06, { electives: [], combinations: ['KHXH'] });
  const enc = encouragementFromAwards(R2024, ['NGHE_KHA']);
  assert.equal(enc.points, 1.5);
  const r = run(R2024, f, { TOAN: s(4.4), VAN: s(5), SU: s(3.5), DIA: s(4) }, { grade12: 5.5 }, { encouragementPoints: enc.points });
  assert.equal(r.divisor, 3);
  assert.equal(r.score, 5.07);
  assert.equal(r.passed, true);
  assert.deepEqual(r.parts.at(-1)?.components?.map((c) => c.code), ['SU', 'DIA']);
});

test('CT2006: a combination component at or below 1.0 fails the candidate', () => {
  const f = formula(CT2006, regular06, { electives: [], combinations: ['KHTN'], foreignLanguage: 'N1' });
  const r = run(R2024, f, { TOAN: s(8), VAN: s(8), NN: s(8), LI: s(0.75), HOA: s(9), SINH: s(9) }, { grade12: 8 });
  assert.equal(r.passed, false);
  assert.deepEqual(r.reasons.map((x) => [x.code, x.field]), [['GRAD_PAPER_AT_OR_BELOW_FLOOR', 'marks.LI']]);
});

test('CT2006: both combinations sat: the better counts, and a failing one never beats a passing one (assumption)', () => {
  const f = formula(CT2006, regular06, { electives: [], combinations: ['KHTN', 'KHXH'], foreignLanguage: 'N1' });
  const base = { TOAN: s(6), VAN: s(6), NN: s(6) };
  // KHTN = (3 + 3.25 + 3.5)/3 = 3.25, KHXH = (6 + 6.5 + 8)/3 = 6.8333… → KHXH counts
  // sum = 18 + 6.8333… = 24.8333…; /4 × 7 = 43.4583…; + 7 × 3 = 64.4583…; /10 = 6.4458… → 6.45
  const r = run(R2024, f, { ...base, LI: s(3), HOA: s(3.25), SINH: s(3.5), SU: s(6), DIA: s(6.5), GDCD: s(8) }, { grade12: 7 });
  assert.equal(r.parts.at(-1)?.code, 'KHXH');
  assert.equal(r.parts.at(-1)?.score, 6.83);
  assert.equal(r.score, 6.45);
  // KHTN = (0.75 + 9 + 9)/3 = 6.25 is higher than KHXH = 5, but Lí 0.75 fails it: KHXH counts and the candidate graduates
  // sum = 18 + 5 = 23; /4 × 7 = 40.25; + 21 = 61.25; /10 = 6.125 → 6.13
  const r2 = run(R2024, f, { ...base, LI: s(0.75), HOA: s(9), SINH: s(9), SU: s(5), DIA: s(5), GDCD: s(5) }, { grade12: 7 });
  assert.equal(r2.parts.at(-1)?.code, 'KHXH');
  assert.equal(r2.score, 6.13);
  assert.equal(r2.passed, true);
  // absent from one combination: the other counts
  const r3 = run(R2024, f, { ...base, LI: { kind: 'absent' }, HOA: s(9), SINH: s(9), SU: s(5), DIA: s(5), GDCD: s(5) }, { grade12: 7 });
  assert.equal(r3.parts.at(-1)?.code, 'KHXH');
  assert.equal(r3.passed, true);
});

test('graduation priority: the highest group only; unknown groups are named', () => {
  const t = priorityTableFor(priority, 2025);
  assert.ok(t);
  assert.deepEqual(graduationPriorityPoints(t, ['TN1', 'TN2']), { points: 0.5, findings: [] });
  assert.deepEqual(graduationPriorityPoints(t, ['TN1']), { points: 0.25, findings: [] });
  assert.deepEqual(graduationPriorityPoints(t, []), { points: 0, findings: [] });
  const summed = graduationPriorityPoints({ graduation: { ...t.graduation, combine: 'sum' } }, ['TN1', 'TN2']);
  assert.equal(summed.points, 0.75);
  assert.deepEqual(graduationPriorityPoints(t, ['TN9']).findings.map((x) => x.code), ['GRADUATION_GROUP_UNKNOWN']);
});

test('encouragement awards add up to the year’s cap', () => {
  assert.equal(encouragementFromAwards(R2025, ['HSG_TINH_1', 'NGHE_GIOI', 'NGHE_KHA']).points, 4);
  assert.equal(encouragementFromAwards(R2025, ['HSG_TINH_3']).points, 1);
  assert.deepEqual(encouragementFromAwards(R2025, ['NOPE']).findings.map((x) => x.code), ['ENCOURAGEMENT_AWARD_UNKNOWN']);
});

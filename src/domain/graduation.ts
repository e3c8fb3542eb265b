// The graduation score (điểm xét tốt nghiệp, ĐXTN) and who graduates, for both exam schemes. The
// formula's shape is here; its weights, thresholds, rounding and points tables are yearly data
// (reference/graduation.json, the graduation groups of reference/priority.json). Which papers count and
// how an exemption enters comes from graduationFormula() in subjects.ts. Arithmetic is exact
// (exact.ts) and rounds once, half up, where the regulation rounds.
import { z } from 'zod';
import { error, type Finding } from './messages.ts';
import type { SchemeCode } from './exam-year.ts';
import type { PriorityTable } from './priority-object.ts';
import { FOREIGN_LANGUAGE, type GraduationFormula, type FormulaPart, type SubjectRef } from './subjects.ts';
import { add, cmp, div, exact, int, max, min, mul, roundHalfUp, sub, sum, toNumber, ZERO, type Ratio } from './exact.ts';

// ---- The year's rule (reference/graduation.json) ----

const bilingual = { vi: z.string().min(1), en: z.string().min(1) };
const GRADE_KEYS = ['grade10', 'grade11', 'grade12'] as const;
export type SchoolGrade = (typeof GRADE_KEYS)[number];

export const GraduationRuleSchema = z.object({
  scheme: z.enum(['CT2006', 'CT2018']),
  years: z.object({ from: z.number().int(), to: z.number().int().nullable() }),
  /** ĐXTN = (exam average × exam + school average × school)/(exam + school) + priority */
  weights: z.object({ exam: z.number().positive(), school: z.number().positive() }),
  /**
   * The school component. CT2006: the grade-12 average. CT2018: the years' averages weighted
   * 1/2/3, each year and the result rounded to `decimals` (null: not rounded).
   */
  school: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('grade12') }),
    z.object({
      kind: z.literal('years'),
      weights: z.object({ grade10: z.number().min(0), grade11: z.number().min(0), grade12: z.number().min(0) }),
      decimals: z.number().int().min(0).nullable(),
    }),
  ]),
  /** graduates with ĐXTN (rounded) at or above this */
  passMark: z.number(),
  /** a counted paper (or combination component) at or below this fails the candidate: điểm liệt */
  paperFloor: z.number(),
  /** ĐXTN is rounded half up to this many decimals */
  decimals: z.number().int().min(0),
  /** how an exempted foreign language enters: as `exemptScore`, or dropped with the divisor falling by one */
  languageExemption: z.enum(['counts-as-10', 'drops-out']),
  exemptScore: z.number(),
  /** a combination test's average rounded to this many decimals before it is summed (null: exact) */
  combinationDecimals: z.number().int().min(0).nullable(),
  /** a paper's mark is a multiple of this (0.25 unless the year says otherwise); the results import checks it */
  markStep: z.number().positive().max(10).optional(),
  /** a paper whose marks step differently (CT2006: Toán and Ngoại ngữ, 50 questions of 0.2) */
  markStepBySubject: z.record(z.string(), z.number().positive().max(10)).optional(),
  /** percent deducted from a paper for a reprimand (khiển trách) and a warning (cảnh cáo) */
  sanctions: z.object({ reprimand: z.number().min(0).max(100), warning: z.number().min(0).max(100) }),
  encouragement: z.object({
    counts: z.boolean(),
    max: z.number().min(0),
    awards: z.array(z.object({ code: z.string().min(1), points: z.number().min(0), ...bilingual })),
  }),
  assumptions: z.array(z.string()).optional(),
});
export type GraduationRule = z.infer<typeof GraduationRuleSchema>;
export const GraduationFileSchema = z.object({ version: z.number().int().positive(), source: z.string().min(1), rules: z.array(GraduationRuleSchema).min(1) });
export type GraduationFile = z.infer<typeof GraduationFileSchema>;

/** The rule for a scheme in an exam year (in 2025 both schemes ran), or undefined when none is set. */
export function graduationRuleFor(file: Pick<GraduationFile, 'rules'>, examYear: number, scheme: SchemeCode): GraduationRule | undefined {
  return file.rules.find((r) => r.scheme === scheme && r.years.from <= examYear && (r.years.to === null || examYear <= r.years.to));
}

// ---- Points from the tables ----

/**
 * Graduation priority points for the groups a candidate is in (graduation section of the year's priority
 * table). The regulation grants the highest group only; `combine: 'sum'` is there for a year that says
 * otherwise. Unknown codes give a finding and no points.
 */
export function graduationPriorityPoints(table: Pick<PriorityTable, 'graduation'>, groups: readonly string[], field = 'priority.graduationGroups'): { points: number; findings: Finding[] } {
  const findings: Finding[] = [];
  const pts: Ratio[] = [];
  groups.forEach((g, i) => {
    const found = table.graduation.groups.find((x) => x.code === g);
    if (found) pts.push(exact(found.points));
    else findings.push(error('GRADUATION_GROUP_UNKNOWN', `${field}[${i}]`, `Không có diện ưu tiên xét tốt nghiệp ${g}.`, `There is no graduation priority group ${g}.`, { group: g }));
  });
  const total = table.graduation.combine === 'sum' ? sum(pts) : pts.reduce(max, ZERO);
  return { points: toNumber(total), findings };
}

/** Encouragement points for a candidate's awards under the year's table, capped at the year's maximum. */
export function encouragementFromAwards(rule: Pick<GraduationRule, 'encouragement'>, awards: readonly string[], field = 'priority.encouragementAwards'): { points: number; findings: Finding[] } {
  const findings: Finding[] = [];
  const pts: Ratio[] = [];
  awards.forEach((a, i) => {
    const found = rule.encouragement.awards.find((x) => x.code === a);
    if (found) pts.push(exact(found.points));
    else findings.push(error('ENCOURAGEMENT_AWARD_UNKNOWN', `${field}[${i}]`, `Không có loại điểm khuyến khích ${a}.`, `There is no encouragement award ${a}.`, { award: a }));
  });
  return { points: toNumber(min(sum(pts), exact(rule.encouragement.max))), findings };
}

// ---- A candidate's marks ----

/**
 * One paper's outcome as the council reports it (after any review):
 * - score: marked 0–10; a reprimand or warning deducts the rule's percentage from it;
 * - absent: did not sit (vắng thi): the candidate cannot graduate this year on this paper;
 * - suspended: suspended from the paper (đình chỉ thi): the paper scores 0.
 */
export type PaperMark =
  | { kind: 'score'; score: number; sanction?: 'reprimand' | 'warning' }
  | { kind: 'absent' }
  | { kind: 'suspended' };

/** The school-year averages the school imports; null or absent: no average for that year. */
export type SchoolAverages = Partial<Record<SchoolGrade, number | null>>;

export interface GraduationInput {
  /** from graduationFormula(scheme, profile, choice, exemption) */
  formula: Pick<GraduationFormula, 'parts'>;
  /** by subject code (TOAN, VAN, NN, LI …); combination tests by their component subjects */
  marks: Readonly<Partial<Record<string, PaperMark>>>;
  school: SchoolAverages;
  /** the candidate's encouragement points (dossier, or encouragementFromAwards); capped by the rule */
  encouragementPoints?: number;
  /** graduation priority points (graduationPriorityPoints) */
  priorityPoints?: number;
  /** the whole exam result cancelled as a disciplinary measure (huỷ kết quả thi) */
  resultsCancelled?: boolean;
  /** names for the messages (subjects and combinations); codes are used when absent */
  names?: readonly SubjectRef[];
}

export interface CountedPart {
  /** subject or combination code */
  code: string;
  treatment: 'exam' | 'exempt-counts-10' | 'exempt-dropped';
  /** the score as counted, rounded to 2 decimals for display (the sum uses the exact value); null if missing */
  score: number | null;
  /** for a combination: the components and their effective marks; for best-of, the one that counted */
  components?: Array<{ code: string; score: number | null }>;
}

export interface GraduationResult {
  scheme: SchemeCode;
  /** ĐXTN rounded as the rule says; null when it cannot be computed (a paper absent or unmarked, results cancelled) */
  score: number | null;
  passed: boolean;
  parts: CountedPart[];
  /** how many papers the exam average divides by */
  divisor: number;
  /** the school component as used: CT2018 the weighted years' average (rounded), CT2006 the grade-12 average */
  schoolAverage: number | null;
  encouragementPoints: number;
  priorityPoints: number;
  /** why the candidate does not graduate (errors only); empty when passed */
  reasons: Finding[];
}

function label(names: readonly SubjectRef[] | undefined, code: string): { vi: string; en: string } {
  const n = names?.find((x) => x.code === code);
  return n ? { vi: n.vi, en: n.en } : { vi: code, en: code };
}

const fmt = (r: Ratio): string => toNumber(roundHalfUp(r, 2)).toFixed(2);
const display = (r: Ratio | null): number | null => (r === null ? null : toNumber(roundHalfUp(r, 2)));

type Effective = { ok: true; value: Ratio; suspended: boolean } | { ok: false; finding: Finding };

/** A paper's mark as it counts: the score less any sanction's deduction; 0 when suspended. */
export function effectiveMark(rule: Pick<GraduationRule, 'sanctions'>, mark: PaperMark): Ratio | 'absent' {
  if (mark.kind === 'absent') return 'absent';
  if (mark.kind === 'suspended') return ZERO;
  const score = exact(mark.score);
  if (!mark.sanction) return score;
  const pct = exact(rule.sanctions[mark.sanction]);
  return mul(score, div(sub(int(100), pct), int(100)));
}

function markOf(rule: GraduationRule, input: GraduationInput, code: string): Effective {
  const n = label(input.names, code);
  const field = `marks.${code}`;
  const m = input.marks[code];
  if (!m) return { ok: false, finding: error('GRAD_PAPER_MISSING', field, `Chưa có điểm môn ${n.vi}.`, `No mark is recorded for ${n.en}.`, { subject: code }) };
  if (m.kind === 'score' && (!Number.isFinite(m.score) || m.score < 0 || m.score > 10)) {
    return { ok: false, finding: error('GRAD_MARK_INVALID', field, `Điểm môn ${n.vi} phải từ 0 đến 10.`, `The ${n.en} mark must be between 0 and 10.`, { subject: code }) };
  }
  let v: Ratio | 'absent';
  try {
    v = effectiveMark(rule, m);
  } catch {
    return { ok: false, finding: error('GRAD_MARK_INVALID', field, `Điểm môn ${n.vi} không hợp lệ.`, `The ${n.en} mark is not a valid score.`, { subject: code }) };
  }
  if (v === 'absent') return { ok: false, finding: error('GRAD_PAPER_ABSENT', field, `Thí sinh vắng thi môn ${n.vi}.`, `The candidate was absent from the ${n.en} paper.`, { subject: code }) };
  return { ok: true, value: v, suspended: m.kind === 'suspended' };
}

interface Scored {
  value: Ratio | null;
  components?: Array<{ code: string; score: Ratio | null }>;
  /** not computable: missing, absent, invalid */
  blockers: Finding[];
  /** computable but fails: điểm liệt, suspension */
  failures: Finding[];
}

function floorFinding(rule: GraduationRule, input: GraduationInput, code: string, e: { value: Ratio; suspended: boolean }): Finding | null {
  const n = label(input.names, code);
  if (e.suspended) return error('GRAD_PAPER_SUSPENDED', `marks.${code}`, `Thí sinh bị đình chỉ thi môn ${n.vi} (0 điểm).`, `The candidate was suspended from the ${n.en} paper (scored 0).`, { subject: code });
  if (cmp(e.value, exact(rule.paperFloor)) <= 0) {
    return error(
      'GRAD_PAPER_AT_OR_BELOW_FLOOR',
      `marks.${code}`,
      `Điểm môn ${n.vi} là ${fmt(e.value)}, từ ${rule.paperFloor.toFixed(1)} trở xuống (điểm liệt).`,
      `${n.en} scored ${fmt(e.value)}, at or below ${rule.paperFloor.toFixed(1)} (a failing mark).`,
      { subject: code, score: toNumber(roundHalfUp(e.value, 2)), floor: rule.paperFloor },
    );
  }
  return null;
}

function scoreSubject(rule: GraduationRule, input: GraduationInput, code: string): Scored {
  const e = markOf(rule, input, code);
  if (!e.ok) return { value: null, blockers: [e.finding], failures: [] };
  const f = floorFinding(rule, input, code, e);
  return { value: e.value, blockers: [], failures: f ? [f] : [] };
}

/** A combination test (CT2006): the average of its components; the floor applies to each component. */
function scoreCombination(rule: GraduationRule, input: GraduationInput, subjects: readonly string[]): Scored {
  const blockers: Finding[] = [];
  const failures: Finding[] = [];
  const components: Array<{ code: string; score: Ratio | null }> = [];
  for (const s of subjects) {
    const r = scoreSubject(rule, input, s);
    blockers.push(...r.blockers);
    failures.push(...r.failures);
    components.push({ code: s, score: r.value });
  }
  if (blockers.length > 0 || subjects.length === 0) return { value: null, components, blockers, failures };
  let avg = div(sum(components.map((c) => c.score as Ratio)), int(subjects.length));
  if (rule.combinationDecimals !== null) avg = roundHalfUp(avg, rule.combinationDecimals);
  return { value: avg, components, blockers, failures };
}

/**
 * Both combination tests sat: the one that counts is the one with no failing component, and among
 * those the higher average (*assumption*, reference/graduation.json). When neither can be computed,
 * the blockers of both are reported.
 */
function scoreBestOf(rule: GraduationRule, input: GraduationInput, options: ReadonlyArray<{ code: string; subjects: string[] }>): Scored & { chosen?: string } {
  const scored = options.map((o) => ({ code: o.code, ...scoreCombination(rule, input, o.subjects) }));
  const computable = scored.filter((s) => s.value !== null);
  if (computable.length === 0) return { value: null, blockers: scored.flatMap((s) => s.blockers), failures: [] };
  const better = (a: (typeof computable)[number], b: (typeof computable)[number]) => {
    const fa = a.failures.length > 0 ? 1 : 0;
    const fb = b.failures.length > 0 ? 1 : 0;
    if (fa !== fb) return fa < fb ? a : b;
    return cmp(a.value as Ratio, b.value as Ratio) >= 0 ? a : b;
  };
  const best = computable.reduce(better);
  return { ...best, chosen: best.code };
}

/**
 * The school component. CT2006: the grade-12 average. CT2018 (Art. 44): ĐTB = (grade 10 × 1 +
 * grade 11 × 2 + grade 12 × 3)/6, each year's average and ĐTB rounded half up to 2 decimals; a year with
 * no average (not studied under a Vietnamese programme) drops out with its weight.
 */
export function schoolComponent(rule: Pick<GraduationRule, 'school'>, averages: SchoolAverages, field = 'school'): { value: Ratio | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const read = (g: SchoolGrade): Ratio | null | 'invalid' => {
    const v = averages[g];
    if (v === undefined || v === null) return null;
    if (!Number.isFinite(v) || v < 0 || v > 10) return 'invalid';
    try {
      return exact(v);
    } catch {
      return 'invalid';
    }
  };
  const invalid = (g: SchoolGrade) =>
    error('GRAD_SCHOOL_AVERAGE_INVALID', `${field}.${g}`, `Điểm trung bình lớp ${g.slice(5)} phải từ 0 đến 10.`, `The grade ${g.slice(5)} average must be between 0 and 10.`, { grade: g });
  if (rule.school.kind === 'grade12') {
    const v = read('grade12');
    if (v === 'invalid') return { value: null, findings: [invalid('grade12')] };
    if (v === null) return { value: null, findings: [error('GRAD_SCHOOL_AVERAGE_MISSING', `${field}.grade12`, 'Chưa có điểm trung bình cả năm lớp 12.', 'The grade 12 average is missing.', { grade: 'grade12' })] };
    return { value: v, findings };
  }
  const { weights, decimals } = rule.school;
  const round = (r: Ratio) => (decimals === null ? r : roundHalfUp(r, decimals));
  let num = ZERO;
  let den = ZERO;
  for (const g of GRADE_KEYS) {
    const v = read(g);
    if (v === 'invalid') findings.push(invalid(g));
    else if (v !== null && weights[g] > 0) {
      num = add(num, mul(round(v), exact(weights[g])));
      den = add(den, exact(weights[g]));
    }
  }
  if (findings.length > 0) return { value: null, findings };
  if (cmp(den, ZERO) === 0) {
    return { value: null, findings: [error('GRAD_SCHOOL_AVERAGE_MISSING', field, 'Chưa có điểm trung bình các năm học THPT.', 'The school-year averages are missing.')] };
  }
  return { value: round(div(num, den)), findings };
}

function treatmentOf(rule: GraduationRule, p: FormulaPart): CountedPart['treatment'] {
  if (p.treatment === 'best-of') return 'exam';
  // The year's rule decides how an exempted language enters, whatever the scheme's default was.
  if (p.code === FOREIGN_LANGUAGE && (p.treatment === 'exempt-counts-10' || p.treatment === 'exempt-dropped')) {
    return rule.languageExemption === 'counts-as-10' ? 'exempt-counts-10' : 'exempt-dropped';
  }
  return p.treatment;
}

function points(x: number | undefined, field: string, what: { vi: string; en: string }): { value: Ratio; finding?: Finding } {
  if (x === undefined) return { value: ZERO };
  try {
    if (x < 0) throw new RangeError('negative');
    return { value: exact(x) };
  } catch {
    return { value: ZERO, finding: error('GRAD_POINTS_INVALID', field, `${what.vi} không hợp lệ.`, `The ${what.en} are not valid.`) };
  }
}

/**
 * The graduation score and result.
 *
 *   exam average  E = (sum of the counted papers + encouragement) / divisor
 *   ĐXTN          = (E × w_exam + school × w_school) / (w_exam + w_school) + priority
 *
 * CT2018 (w 1:1, school = ĐTB of the years): [(sum of 4 + encouragement)/4 + ĐTB]/2 + priority.
 * CT2006 (w 7:3, school = grade-12 average): [(sum of 4 + encouragement)/4 × 7 + grade 12 × 3]/10 + priority,
 * a combination test counting as the average of its components; GDTX: 3 tests, divisor 3.
 * An exempted paper counts as `exemptScore` or drops out (the divisor falls by one), as the rule says.
 * Rounded once, half up, to `decimals`. Graduates (Art. 45): results not cancelled, every counted paper
 * and combination component above `paperFloor`, and the rounded ĐXTN at least `passMark`. A candidate
 * exempt from every paper graduates without a score (Art. 45(2)).
 */
export function computeGraduation(rule: GraduationRule, input: GraduationInput): GraduationResult {
  const blockers: Finding[] = [];
  const failures: Finding[] = [];
  const parts: CountedPart[] = [];
  const counted: Ratio[] = [];

  for (const p of input.formula.parts) {
    const treatment = treatmentOf(rule, p);
    if (treatment === 'exempt-dropped') {
      parts.push({ code: p.code, treatment, score: null });
      continue;
    }
    if (treatment === 'exempt-counts-10') {
      parts.push({ code: p.code, treatment, score: rule.exemptScore });
      counted.push(exact(rule.exemptScore));
      continue;
    }
    let r: Scored & { chosen?: string };
    if (p.treatment === 'best-of') r = scoreBestOf(rule, input, p.options ?? []);
    else if (p.subjects && p.subjects.length > 0) r = scoreCombination(rule, input, p.subjects);
    else r = scoreSubject(rule, input, p.code);
    blockers.push(...r.blockers);
    failures.push(...r.failures);
    const part: CountedPart = { code: r.chosen ?? p.code, treatment, score: display(r.value) };
    if (r.components) part.components = r.components.map((c) => ({ code: c.code, score: display(c.score) }));
    parts.push(part);
    if (r.value) counted.push(r.value);
  }

  const divisor = parts.filter((p) => p.treatment !== 'exempt-dropped').length;
  const school = schoolComponent(rule, input.school);
  const enc = points(input.encouragementPoints, 'priority.encouragementPoints', { vi: 'Điểm khuyến khích', en: 'encouragement points' });
  const pri = points(input.priorityPoints, 'priority.graduationPoints', { vi: 'Điểm ưu tiên', en: 'priority points' });
  const encouragement = rule.encouragement.counts ? min(enc.value, exact(rule.encouragement.max)) : ZERO;
  const base = {
    scheme: rule.scheme,
    parts,
    divisor,
    schoolAverage: display(school.value),
    encouragementPoints: toNumber(encouragement),
    priorityPoints: toNumber(pri.value),
  };
  const invalidPoints = [enc.finding, pri.finding].filter((f): f is Finding => f !== undefined);

  if (input.resultsCancelled) {
    const f = error('GRAD_RESULTS_CANCELLED', 'results', 'Kết quả thi của thí sinh bị huỷ do vi phạm quy chế.', 'The candidate’s exam results were cancelled for a breach of the regulations.');
    return { ...base, score: null, passed: false, reasons: [f] };
  }
  if (divisor === 0 && blockers.length === 0) {
    // Exempt from every paper (Art. 39(1)): graduates, and there is no exam average to show.
    return { ...base, score: null, passed: true, reasons: [] };
  }
  const notComputable = [...blockers, ...school.findings, ...invalidPoints];
  if (notComputable.length > 0 || school.value === null) {
    return { ...base, score: null, passed: false, reasons: [...notComputable, ...failures] };
  }

  const examAverage = div(add(sum(counted), encouragement), int(divisor));
  const we = exact(rule.weights.exam);
  const ws = exact(rule.weights.school);
  const weighted = div(add(mul(examAverage, we), mul(school.value, ws)), add(we, ws));
  const score = roundHalfUp(add(weighted, pri.value), rule.decimals);

  const reasons = [...failures];
  if (cmp(score, exact(rule.passMark)) < 0) {
    reasons.push(
      error(
        'GRAD_SCORE_BELOW_PASS',
        'score',
        `Điểm xét tốt nghiệp ${fmt(score)} thấp hơn ${rule.passMark.toFixed(1)}.`,
        `The graduation score ${fmt(score)} is below ${rule.passMark.toFixed(1)}.`,
        { score: toNumber(score), passMark: rule.passMark },
      ),
    );
  }
  return { ...base, score: toNumber(score), passed: reasons.length === 0, reasons };
}

// A candidate's admission score for a programme (điểm xét tuyển) from the published exam results, and
// whether a wish (nguyện vọng) can be considered. Combinations are data (reference/combinations.json),
// priority points come from the year's table (reference/priority.json); the caps and floors of a year
// (2026: 15 wishes, teacher training among wishes 1–5, 15/30 on a combination) come in as AdmissionRules.
// Arithmetic is exact (exact.ts); rounding happens where stated below.
import { z } from 'zod';
import { error, type Finding } from './messages.ts';
import type { Area } from './priority-area.ts';
import type { PriorityTable } from './priority-object.ts';
import { FOREIGN_LANGUAGE, type SubjectRef } from './subjects.ts';
import { add, cmp, div, exact, int, max, mul, roundHalfUp, sub, sum, toNumber, ZERO, type Ratio } from './exact.ts';

// ---- Combinations (reference/combinations.json) ----

const subjectCode = z.string().regex(/^[A-Z0-9_-]{1,16}$/);

export const CombinationSchema = z.object({
  code: z.string().regex(/^[A-Z0-9]{3}$/),
  subjects: z.array(subjectCode).length(3),
  /** pins the foreign-language paper (NN) to one language: A01 and D01 need English (N1) */
  language: z.string().regex(/^N\d$/).optional(),
});
export type Combination = z.infer<typeof CombinationSchema>;
export const CombinationsFileSchema = z.object({ version: z.number().int().positive(), source: z.string().min(1), combinations: z.array(CombinationSchema).min(1) });
export type CombinationsFile = z.infer<typeof CombinationsFileSchema>;

export function combinationFor(file: Pick<CombinationsFile, 'combinations'>, code: string): Combination | undefined {
  return file.combinations.find((c) => c.code === code);
}

// ---- The year's admission rules (exam-year configuration) ----

export const AdmissionRulesSchema = z.object({
  /** most wishes a candidate may file (2026: 15; null: unlimited, as 2022–2025) */
  wishCap: z.number().int().positive().nullable(),
  /** teacher-training programmes consider only wishes 1..this (2026: 5; null: any position) */
  teacherTrainingMaxPosition: z.number().int().positive().nullable(),
  /** least plain sum of a combination's three scores, on 30 (2026: 15; null: none) */
  combinationFloor: z.number().min(0).nullable(),
});
export type AdmissionRules = z.infer<typeof AdmissionRulesSchema>;

// ---- How a programme scores a combination ----

/**
 * - `sum`: the plain sum of the three scores, on 30; weights are not used.
 * - `weighted-30`: a weighted sum brought back to 30, as programmes that double a main subject do:
 *   total = Σ(score_i × w_i) × 3 / Σ w_i (Toán ×2 in A00: (2·T + L + H) × 3/4).
 * Each programme says which it uses; with all weights 1 the two agree.
 */
export type ScoringMethod = 'sum' | 'weighted-30';

export interface ProgrammeScoring {
  combination: Combination;
  method: ScoringMethod;
  /** per subject code, default 1 (`weighted-30` only) */
  weights?: Readonly<Partial<Record<string, number>>>;
}

/** The candidate's published exam results: score by subject code; null or absent: not sat. */
export interface ExamScores {
  scores: Readonly<Partial<Record<string, number | null>>>;
  /** the language of the foreign-language paper (N1–N7) */
  foreignLanguage?: string;
}

/** Mistakes in a programme's scoring, checked when an institution imports its programmes. */
export function checkProgrammeScoring(p: ProgrammeScoring, field = 'programme'): Finding[] {
  const out: Finding[] = [];
  for (const [s, w] of Object.entries(p.weights ?? {})) {
    if (w === undefined) continue;
    if (!p.combination.subjects.includes(s)) {
      out.push(error('WEIGHT_SUBJECT_NOT_IN_COMBINATION', `${field}.weights.${s}`, `Môn ${s} không thuộc tổ hợp ${p.combination.code}.`, `${s} is not in the ${p.combination.code} combination.`, { subject: s, combination: p.combination.code }));
    } else if (!(w > 0) || !Number.isFinite(w)) {
      out.push(error('WEIGHT_INVALID', `${field}.weights.${s}`, 'Hệ số môn phải là số dương.', 'A subject weight must be a positive number.', { subject: s }));
    } else if (p.method === 'sum' && w !== 1) {
      out.push(
        error('WEIGHT_WITH_PLAIN_SUM', `${field}.weights.${s}`, 'Cách tính tổng điểm thường không dùng hệ số; hãy chọn cách tính có hệ số quy về thang 30.', 'A plain sum uses no weights; choose the weighted sum brought back to 30.', { subject: s }),
      );
    }
  }
  return out;
}

function nameOf(names: readonly SubjectRef[] | undefined, code: string): { vi: string; en: string } {
  const n = names?.find((x) => x.code === code);
  return n ? { vi: n.vi, en: n.en } : { vi: code, en: code };
}

/**
 * Has the candidate sat every subject of the combination (and the pinned language)? Findings name the
 * subject missing.
 */
export function checkCombinationSat(c: Combination, exam: ExamScores, field = 'wish', names?: readonly SubjectRef[]): Finding[] {
  const out: Finding[] = [];
  for (const s of c.subjects) {
    const v = exam.scores[s];
    const n = nameOf(names, s);
    if (v === undefined || v === null) {
      out.push(error('WISH_SUBJECT_NOT_SAT', field, `Bạn không có điểm thi môn ${n.vi} của tổ hợp ${c.code}.`, `You have no exam score in ${n.en}, part of the ${c.code} combination.`, { subject: s, combination: c.code }));
    } else if (s === FOREIGN_LANGUAGE && c.language && exam.foreignLanguage !== c.language) {
      out.push(
        error('WISH_LANGUAGE_MISMATCH', field, `Tổ hợp ${c.code} xét ngoại ngữ ${c.language}, khác ngoại ngữ bạn đã thi.`, `The ${c.code} combination needs language ${c.language}, not the one you sat.`, { combination: c.code, language: c.language }),
      );
    }
  }
  return out;
}

export interface CombinationTotal {
  /** the plain sum of the three scores (the 2026 floor applies to it) */
  plainSum: Ratio;
  /** the programme's total on the 30-point scale, unrounded */
  total: Ratio;
}

/** The combination's total under the programme's method; null when a subject was not sat. */
export function combinationTotal(p: ProgrammeScoring, exam: ExamScores): CombinationTotal | null {
  const scores: Ratio[] = [];
  for (const s of p.combination.subjects) {
    const v = exam.scores[s];
    if (v === undefined || v === null) return null;
    if (s === FOREIGN_LANGUAGE && p.combination.language && exam.foreignLanguage !== p.combination.language) return null;
    scores.push(exact(v));
  }
  const plainSum = sum(scores);
  if (p.method === 'sum') return { plainSum, total: plainSum };
  const ws = p.combination.subjects.map((s) => exact(p.weights?.[s] ?? 1));
  const weighted = sum(scores.map((x, i) => mul(x, ws[i] as Ratio)));
  return { plainSum, total: div(mul(weighted, int(p.combination.subjects.length)), sum(ws)) };
}

// ---- Priority ----

export interface PriorityStanding {
  /** the candidate's priority area (from the dossier), null when none was determined */
  area: Area | null;
  /** priority objects claimed; only the highest counts */
  objects?: readonly string[];
  /** the year the candidate graduated from upper secondary; the admission year for this year's 12th-graders */
  graduationYear: number;
}

export interface StandardPriority {
  area: number;
  object: number;
  /** area + object, before any reduction */
  total: number;
  /** whether the area counted (graduation year or the year after) */
  areaCounted: boolean;
}

/**
 * Standard priority (Circular 08/2022 Art. 7, as amended): area (KV1 0.75, KV2-NT 0.5, KV2 0.25, KV3 0)
 * plus the highest object's points (the year's table: +2 / +1 groups). The area counts only in the
 * graduation year and the `areaValidYearsAfterGraduation` years after (1 when the table is silent).
 */
export function standardPriority(table: PriorityTable, standing: PriorityStanding, admissionYear: number): StandardPriority {
  const validYears = table.areaValidYearsAfterGraduation ?? 1;
  const elapsed = admissionYear - standing.graduationYear;
  const areaCounted = standing.area !== null && elapsed >= 0 && elapsed <= validYears;
  const area = areaCounted ? exact(table.areas.find((a) => a.code === standing.area)?.admissionPoints ?? 0) : ZERO;
  const object = (standing.objects ?? []).map((o) => exact(table.objects.find((x) => x.code === o)?.admissionPoints ?? 0)).reduce(max, ZERO);
  return { area: toNumber(area), object: toNumber(object), total: toNumber(add(area, object)), areaCounted };
}

/**
 * The priority actually added (since 2023): below the threshold (22.5 on the 30-point scale) the
 * standard priority; at or above it, (30 − total)/7.5 × standard priority, never below 0. `total` is the
 * candidate's combination total on the 30-point scale, before priority. Rounded half up to `decimals`
 * (2: the regulation states points to two decimals).
 */
export function reducedPriority(table: Pick<PriorityTable, 'admissionReduction'>, total: number | Ratio, standard: number, admissionYear: number, decimals = 2): number {
  const t = typeof total === 'number' ? exact(total) : total;
  const std = exact(standard);
  const rule = table.admissionReduction;
  if (!rule || admissionYear < rule.fromYear) return toNumber(roundHalfUp(std, decimals));
  const scale = exact(rule.scale);
  const threshold = exact(rule.threshold);
  if (cmp(t, threshold) < 0) return toNumber(roundHalfUp(std, decimals));
  const share = div(sub(scale, t), sub(scale, threshold));
  return toNumber(roundHalfUp(max(ZERO, mul(share, std)), decimals));
}

// ---- The score ----

export interface AdmissionScore {
  /** the combination's total on the 30-point scale, rounded to `decimals` */
  total: number;
  /** the plain sum of the three scores */
  plainSum: number;
  standard: StandardPriority;
  /** the priority added, after any reduction */
  priority: number;
  /** total + priority */
  score: number;
}

/**
 * The admission score: the combination's total on 30 under the programme's method, rounded half up to
 * `decimals` (2); the priority reduced from that rounded total and rounded to `decimals`; the score is
 * their sum. Returns the findings instead when the candidate has not sat the combination.
 */
export function admissionScore(
  p: ProgrammeScoring,
  exam: ExamScores,
  priority: { table: PriorityTable; standing: PriorityStanding; admissionYear: number },
  opts: { decimals?: number; field?: string; names?: readonly SubjectRef[] } = {},
): { ok: true; value: AdmissionScore } | { ok: false; findings: Finding[] } {
  const decimals = opts.decimals ?? 2;
  const missing = checkCombinationSat(p.combination, exam, opts.field, opts.names);
  const t = missing.length === 0 ? combinationTotal(p, exam) : null;
  if (!t) return { ok: false, findings: missing };
  const total = roundHalfUp(t.total, decimals);
  const standard = standardPriority(priority.table, priority.standing, priority.admissionYear);
  const pri = reducedPriority(priority.table, total, standard.total, priority.admissionYear, decimals);
  return {
    ok: true,
    value: { total: toNumber(total), plainSum: toNumber(t.plainSum), standard, priority: pri, score: toNumber(add(total, exact(pri))) },
  };
}

// ---- Can a wish be considered? ----

export interface WishProgramme {
  /** the programme's combinations, each with its scoring; the best the candidate sat counts */
  scorings: readonly ProgrammeScoring[];
  /** least admission score (priority included unless `minimumIncludesPriority` is false) */
  minimum?: number | null;
  minimumIncludesPriority?: boolean;
  teacherTraining?: boolean;
}

export interface WishCheck {
  eligible: boolean;
  /** the best combination's score, when one was sat */
  best?: AdmissionScore & { combination: string };
  /** errors: why the wish cannot be considered */
  findings: Finding[];
}

/** A wish position beyond the year's cap for teacher training (2026: only wishes 1–5). */
export function checkTeacherTrainingPosition(position: number, teacherTraining: boolean, rules: Pick<AdmissionRules, 'teacherTrainingMaxPosition'>, field = 'wish'): Finding[] {
  const cap = rules.teacherTrainingMaxPosition;
  if (!teacherTraining || cap === null || position <= cap) return [];
  return [
    error(
      'WISH_TEACHER_TRAINING_POSITION',
      field,
      `Ngành đào tạo giáo viên chỉ xét nguyện vọng từ 1 đến ${cap}; nguyện vọng này đang ở vị trí ${position}.`,
      `Teacher-training programmes consider only wishes 1 to ${cap}; this wish is number ${position}.`,
      { position, max: cap },
    ),
  ];
}

/** More wishes than the year allows. */
export function checkWishCount(count: number, rules: Pick<AdmissionRules, 'wishCap'>, field = 'wishes'): Finding[] {
  const cap = rules.wishCap;
  if (cap === null || count <= cap) return [];
  return [error('WISHES_TOO_MANY', field, `Chỉ được đăng ký tối đa ${cap} nguyện vọng (đang có ${count}).`, `At most ${cap} wishes may be filed (${count} listed).`, { max: cap, count })];
}

/**
 * The year's floor on a combination (2026: 15/30). Read as the plain sum of the three exam scores,
 * without weights or priority (*assumption*: the circular speaks of the three subjects' total).
 */
export function checkCombinationFloor(plainSum: number, combination: string, rules: Pick<AdmissionRules, 'combinationFloor'>, field = 'wish'): Finding[] {
  const floor = rules.combinationFloor;
  if (floor === null || cmp(exact(plainSum), exact(floor)) >= 0) return [];
  return [
    error(
      'WISH_BELOW_COMBINATION_FLOOR',
      field,
      `Tổng điểm 3 môn của tổ hợp ${combination} là ${plainSum.toFixed(2)}, thấp hơn mức tối thiểu ${floor}/30.`,
      `The three scores of ${combination} add up to ${plainSum.toFixed(2)}, below the minimum of ${floor}/30.`,
      { combination, sum: plainSum, floor },
    ),
  ];
}

/** The programme's minimum score. */
export function checkProgrammeMinimum(score: number, minimum: number | null | undefined, field = 'wish'): Finding[] {
  if (minimum === null || minimum === undefined || cmp(exact(score), exact(minimum)) >= 0) return [];
  return [
    error('WISH_BELOW_MINIMUM', field, `Điểm xét tuyển ${score.toFixed(2)} thấp hơn điểm tối thiểu ${minimum} của ngành.`, `The admission score ${score.toFixed(2)} is below the programme's minimum of ${minimum}.`, { score, minimum }),
  ];
}

/**
 * Whether a wish at `position` (1 = highest) can be considered, with the reasons when not: the candidate
 * has sat one of the programme's combinations (the best-scoring one counts), it clears the year's floor,
 * the score meets the programme's minimum, and a teacher-training wish is within the year's positions.
 * The same function runs in the browser (instant feedback) and on the server.
 */
export function checkWish(
  programme: WishProgramme,
  position: number,
  exam: ExamScores,
  priority: { table: PriorityTable; standing: PriorityStanding; admissionYear: number },
  rules: AdmissionRules,
  opts: { field?: string; names?: readonly SubjectRef[] } = {},
): WishCheck {
  const field = opts.field ?? 'wish';
  const findings: Finding[] = [...checkTeacherTrainingPosition(position, programme.teacherTraining === true, rules, field)];
  const missing: Finding[] = [];
  let best: (AdmissionScore & { combination: string }) | undefined;
  let bestFails: Finding[] = [];
  for (const sc of programme.scorings) {
    const r = admissionScore(sc, exam, priority, { field, ...(opts.names ? { names: opts.names } : {}) });
    if (!r.ok) {
      missing.push(...r.findings);
      continue;
    }
    const compared = programme.minimumIncludesPriority === false ? r.value.total : r.value.score;
    const fails = [...checkCombinationFloor(r.value.plainSum, sc.combination.code, rules, field), ...checkProgrammeMinimum(compared, programme.minimum, field)];
    // a combination that clears every bar beats one that does not; then the higher score
    const ok = fails.length === 0;
    const bestOk = bestFails.length === 0;
    const better = !best || (ok && !bestOk) || (ok === bestOk && r.value.score > best.score);
    if (better) {
      best = { ...r.value, combination: sc.combination.code };
      bestFails = fails;
    }
  }
  if (!best) {
    const none = programme.scorings.length === 0 ? [error('WISH_NO_COMBINATION', field, 'Ngành này chưa công bố tổ hợp xét tuyển.', 'This programme has published no subject combination.')] : missing;
    return { eligible: false, findings: [...findings, ...none] };
  }
  findings.push(...bestFails);
  return { eligible: findings.length === 0, best, findings };
}

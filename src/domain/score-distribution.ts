// A paper's score distribution (phổ điểm) as the ministry publishes it each July: how many candidates
// scored in each 0.25 band from 0 to 10, the mean, the median, the score most candidates got, how many
// scored at or below 1.0 (the eliminating mark, điểm liệt), below 5 and at least 5, at least 8, and tens.
// Pure and exact: scores are integer hundredths (centi), and a distribution is kept as counts per exact
// score, so a province's counts add into the nation's without losing the median or the mode (a 0.2-step
// paper, CT2006 Toán, would lose them in 0.25 bands).
//
// Assumptions (named): the bands are [0, 0.25), [0.25, 0.5) … [9.75, 10) and 10 alone (41 bars, the
// ministry's chart for 0.25-step papers, where each band holds one score); the mode is the score (not the
// band) most candidates got, every one of them when tied; the mean is rounded half up to 2 decimals; the
// median is the middle score, or the midpoint of the two middle scores. Scores are the papers' as marked:
// a sanction's deduction counts only in the graduation score.

/** Counts per exact score in hundredths ('725' → 3,120 candidates); zero counts may be left out. */
export type ScoreCounts = Readonly<Record<string, number>>;

export const BAND_CENTI = 25;
export const MAX_CENTI = 1000;
export const BAND_COUNT = MAX_CENTI / BAND_CENTI + 1;

export interface Distribution {
  /** candidates with a score */
  count: number;
  /** counts per band; bands[i] starts at i × 0.25 (the last is 10 alone) */
  bands: number[];
  /** null when no one has a score */
  mean: number | null;
  median: number | null;
  /** the score most candidates got (all of them when tied), lowest first */
  modes: number[];
  /** ≤ 1.0: the eliminating mark (điểm liệt) */
  atOrBelow1: number;
  /** < 5 (dưới trung bình) */
  below5: number;
  /** ≥ 5 */
  atLeast5: number;
  /** ≥ 8 */
  atLeast8: number;
  /** exactly 10 */
  tens: number;
}

function isCenti(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= MAX_CENTI;
}

/** Counts per exact score of a list of scores in hundredths (anything outside 0–1000 is refused). */
export function countScores(scoresCenti: Iterable<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of scoresCenti) {
    if (!isCenti(v)) throw new RangeError(`score out of range: ${v}`);
    out[String(v)] = (out[String(v)] ?? 0) + 1;
  }
  return out;
}

/** Adds counts per score (a province's into the nation's). */
export function mergeScoreCounts(parts: Iterable<ScoreCounts>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, n] of Object.entries(p)) if (n) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** The published figures of a paper from its counts per score. */
export function distribution(counts: ScoreCounts): Distribution {
  const entries = Object.entries(counts)
    .map(([k, n]) => [Number(k), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  for (const [v, n] of entries) if (!isCenti(v) || !Number.isInteger(n)) throw new RangeError(`bad count: ${v} → ${n}`);
  const bands = new Array<number>(BAND_COUNT).fill(0);
  let count = 0;
  let sum = 0;
  let atOrBelow1 = 0;
  let below5 = 0;
  let atLeast8 = 0;
  let tens = 0;
  let top = 0;
  for (const [v, n] of entries) {
    bands[Math.floor(v / BAND_CENTI)]! += n;
    count += n;
    sum += v * n;
    if (v <= 100) atOrBelow1 += n;
    if (v < 500) below5 += n;
    if (v >= 800) atLeast8 += n;
    if (v === MAX_CENTI) tens += n;
    top = Math.max(top, n);
  }
  const modes = count === 0 ? [] : entries.filter(([, n]) => n === top).map(([v]) => v / 100);
  return {
    count,
    bands,
    mean: count === 0 ? null : Math.round(sum / count) / 100,
    median: count === 0 ? null : medianOf(entries, count),
    modes,
    atOrBelow1,
    below5,
    atLeast5: count - below5,
    atLeast8,
    tens,
  };
}

/** The k-th score (0-based) in ascending order. */
function nth(entries: ReadonlyArray<readonly [number, number]>, k: number): number {
  let seen = 0;
  for (const [v, n] of entries) {
    seen += n;
    if (k < seen) return v;
  }
  throw new RangeError('rank beyond the count');
}

function medianOf(entries: ReadonlyArray<readonly [number, number]>, count: number): number {
  const lo = nth(entries, Math.floor((count - 1) / 2));
  const hi = nth(entries, Math.floor(count / 2));
  return (lo + hi) / 200;
}

/** A band's label: its lower bound (the last band is 10). */
export function bandStart(i: number): number {
  return (i * BAND_CENTI) / 100;
}

export interface GraduationCounts {
  passed: number;
  failed: number;
  /** a result still waiting on data (school averages): not decided */
  incomplete: number;
}

/**
 * The graduation rate, a percentage with two decimals, over the decided results (passed + failed); null
 * before any. *Assumption*: a result still missing data is shown apart, not counted as a failure.
 */
export function graduationRate(c: GraduationCounts): number | null {
  const decided = c.passed + c.failed;
  return decided === 0 ? null : Math.round((c.passed / decided) * 10_000) / 100;
}

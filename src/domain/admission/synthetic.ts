// A deterministic synthetic admission season in the compact layout, for the scale runs and tests: the
// 2025 season's size (849,544 candidates, 7,615,560 wishes, 4,000+ programmes) by default, with its skew:
// a few popular programmes draw most wishes and are over-subscribed, ~9 wishes a candidate on average,
// a few candidates with dozens, scores in 0.05 steps (so ties are common), a Math score to break them,
// wishes below a programme's floor marked ineligible and 1% of the others unpaid.
// The same options and seed give the same season on every machine (a seeded generator, integer scores).
import { ABSENT, EXCLUDED_INELIGIBLE, EXCLUDED_NONE, EXCLUDED_UNPAID, type CompactAdmissionInput } from './compact.ts';
import type { TiePolicy } from './types.ts';

export interface SyntheticSeasonOptions {
  seed: number;
  candidates: number;
  /** programme-methods; default one for every 212 candidates (about 4,000 for the whole season) */
  programmes?: number;
  /** places over candidates (default 0.75) */
  placesPerCandidate?: number;
  /** the longest wish list (2025 had no cap: one candidate filed 231) */
  maxWishes?: number;
  teacherTrainingWishCap?: number | null;
}

/** Candidates per programme-method in 2025: 849,544 / 4,000. */
export const CANDIDATES_PER_PROGRAMME = 212;
/** Wishes per candidate in 2025: 7,615,560 / 849,544. */
export const WISHES_PER_CANDIDATE = 8.964;

/** A small, fast, seeded generator (mulberry32): 32-bit state, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm finite
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const POLICY_MATH_THEN_WISH: TiePolicy = { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'math' }, { by: 'wish-order' }] };
const POLICY_WISH: TiePolicy = { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }] };
const POLICY_ALL: TiePolicy = { kind: 'admit-all-tied' };

/** How many wishes a candidate files: most 1–15 (mean 8.7), 1.5% longer lists up to maxWishes (mean ~26). */
function wishCount(rand: () => number, maxWishes: number): number {
  if (rand() < 0.015) return Math.min(maxWishes, 16 + Math.floor(-Math.log(1 - rand()) * 10));
  let k = 1;
  for (let i = 0; i < 14; i++) if (rand() < 0.55) k += 1;
  return Math.min(k, maxWishes);
}

// Shape constants, tuned so that a season looks like 2025's where it was published: about a quarter of the
// candidates admitted nowhere and about a third of the admitted at their first wish (2025: ~35.5%).
/** share of wishes drawn by popularity alone (an aspiration); the others shift towards the candidate's reach */
const ASPIRE = 0.4;
/** how far (in programmes) the weakest candidate's other wishes shift, as a share of all programmes */
const SHIFT = 0.8;
/** personal taste in the order of the list, as a share of all programmes */
const NOISE = 0.6;
/** Rounds to the 0.05 grid of real admission scores, in hundredths. */
const toGrid = (points: number): number => Math.round(points * 20) * 5;

export function syntheticSeason(o: SyntheticSeasonOptions): CompactAdmissionInput {
  const C = o.candidates;
  const P = o.programmes ?? Math.max(20, Math.round(C / CANDIDATES_PER_PROGRAMME));
  const maxWishes = Math.min(o.maxWishes ?? 60, P);
  const rand = seededRandom(o.seed);

  // programmes: popularity falls with rank (Zipf-like); places grow only with its square root, so the
  // popular ones are over-subscribed and the tail is not
  const cumulative = new Float64Array(P);
  let total = 0;
  for (let p = 0; p < P; p++) {
    total += 1 / Math.pow(p + 8, 0.95);
    cumulative[p] = total;
  }
  const quota = new Int32Array(P);
  const places = (o.placesPerCandidate ?? 0.75) * C;
  const weights = Array.from({ length: P }, (_, p) => Math.sqrt(1 / Math.pow(p + 8, 0.95)) * (0.5 + rand()));
  const wsum = weights.reduce((s, x) => s + x, 0);
  weights.forEach((x, p) => (quota[p] = Math.max(1, Math.round((x / wsum) * places))));
  const teacherTraining = new Uint8Array(P);
  const minScore = new Int32Array(P);
  const policies: TiePolicy[] = [];
  for (let p = 0; p < P; p++) {
    teacherTraining[p] = rand() < 0.05 ? 1 : 0;
    minScore[p] = rand() < 0.9 ? 1500 + 50 * Math.floor(rand() * 5) : ABSENT;
    const r = rand();
    policies.push(r < 0.4 ? POLICY_MATH_THEN_WISH : r < 0.7 ? POLICY_WISH : POLICY_ALL);
  }
  const programmeIds = Array.from({ length: P }, (_, p) => `PM${String(p).padStart(5, '0')}`);

  // candidates: how many wishes each, then the wishes
  const wishStart = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) wishStart[c + 1] = wishStart[c]! + wishCount(rand, maxWishes);
  const W = wishStart[C]!;
  const wishProgramme = new Int32Array(W);
  const wishScore = new Int32Array(W);
  const wishTie = new Int32Array(W);
  const wishExcluded = new Uint8Array(W);
  const chosen = new Int32Array(maxWishes);
  const prestige = new Float64Array(maxWishes);
  const idx = Array.from({ length: maxWishes }, (_, i) => i);
  for (let c = 0; c < C; c++) {
    const s = wishStart[c]!;
    const k = wishStart[c + 1]! - s;
    const ability = normal(rand);
    // the Math score (tie-break value), 0–10 in 0.25 steps, from the same ability
    const math = Math.max(0, Math.min(1000, Math.round((6.5 + 1.6 * ability + 0.8 * normal(rand)) * 4) * 25));
    // priority bonus: KV1 / KV2-NT / KV2 / KV3, reduced above 22.5 as the regulation says
    const r = rand();
    const bonus = r < 0.2 ? 0.75 : r < 0.45 ? 0.5 : r < 0.65 ? 0.25 : 0;
    // k distinct programmes drawn by popularity, a weaker candidate's draws shifted towards the less
    // sought-after programmes (where they stand a chance), so a first wish is often obtained
    const behind = 1 - 1 / (1 + Math.exp(-1.702 * ability)); // share of candidates ahead of this one
    for (let i = 0; i < k; i++) {
      let p: number;
      do {
        const u = rand() * total;
        let lo = 0;
        let hi = P - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! < u) lo = mid + 1;
          else hi = mid;
        }
        p = rand() < ASPIRE ? lo : lo + Math.floor(behind * P * SHIFT * rand());
      } while (p >= P || chosen.subarray(0, i).includes(p));
      chosen[i] = p;
      // listed mostly by prestige (the popular first), with some personal taste
      prestige[i] = p + (rand() - 0.5) * P * NOISE;
    }
    const order = idx.slice(0, k).sort((x, y) => prestige[x]! - prestige[y]!);
    for (let i = 0; i < k; i++) {
      const w = s + i;
      const p = chosen[order[i]!]!;
      wishProgramme[w] = p;
      // the combination's sum differs by programme: the candidate's ability, plus the combination's own spread
      const sum = Math.max(3, Math.min(30, 19.5 + 3.6 * ability + 1.1 * normal(rand)));
      const reduced = sum >= 22.5 ? ((30 - sum) / 7.5) * bonus : bonus;
      wishScore[w] = toGrid(sum + reduced);
      wishTie[w] = math;
      // below the floor: ineligible; 1% of the rest left unpaid
      wishExcluded[w] = minScore[p] !== ABSENT && wishScore[w]! < minScore[p]! ? EXCLUDED_INELIGIBLE : rand() < 0.01 ? EXCLUDED_UNPAID : EXCLUDED_NONE;
    }
  }
  const pad = String(C).length;
  return {
    teacherTrainingWishCap: o.teacherTrainingWishCap === undefined ? 5 : o.teacherTrainingWishCap,
    programmeIds,
    quota,
    teacherTraining,
    minScore,
    policies,
    tieKeys: ['math'],
    candidateIds: Array.from({ length: C }, (_, c) => `TS${String(c).padStart(pad, '0')}`),
    wishStart,
    wishProgramme,
    wishScore,
    wishTie,
    wishExcluded,
  };
}

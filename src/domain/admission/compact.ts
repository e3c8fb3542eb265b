// The admission run at national scale (850,000 candidates, 7.6 M wishes): the same student-proposing
// deferred acceptance as deferred-acceptance.ts, on a columnar input (typed arrays, no object per wish).
// Each programme's applicants are ranked once (a stable radix sort on integers), so that during the run a
// programme compares only integer positions; its tentatively admitted applicants are marks on those
// positions with a pointer to the worst held one, which only moves back once the programme is full
// (linear time overall). docs/admission-matching.md describes the layout, the complexity and the figures.
import { error, type Finding } from '../messages.ts';
import { inputHeaderLine, programmeLine, programmeOutcomeLine, resultHeaderLine, type FollowsPublished, type Sink } from './canonical.ts';
import { ADMISSION_ALGORITHM } from './deferred-acceptance.ts';
import { UnstableOutcomeError } from './outcome.ts';
import { compareIds, criteriaOf, decidingStep, type Applicant } from './policy.ts';
import { AdmissionInputError, MAX_FINDINGS, MAX_VALUE, MIN_VALUE, validateAdmissionInput } from './validate.ts';
import type { AdmissionCandidate, AdmissionInput, AdmissionProgramme, AdmissionResult, CandidateOutcome, NotObtained, ProgrammeOutcome, TiePolicy, WishExclusion } from './types.ts';

/** Marks an absent value (a wish without a given tie-break value, a programme without a floor). */
export const ABSENT = -2147483648;
/** wishExcluded codes */
export const EXCLUDED_NONE = 0;
export const EXCLUDED_UNPAID = 1;
export const EXCLUDED_INELIGIBLE = 2;
const EXCLUSIONS: ReadonlyArray<WishExclusion | null> = [null, 'unpaid', 'ineligible'];

/**
 * The run's input in columns. Candidate c's wishes are w = wishStart[c] … wishStart[c+1]−1, in the
 * candidate's order (wish number w − wishStart[c] + 1); programmes and candidates are referred to by
 * their index. Memory: 9 bytes a wish plus 4 per tie-break value, 4 a candidate, besides the ids.
 */
export interface CompactAdmissionInput {
  teacherTrainingWishCap: number | null;
  programmeIds: string[];
  quota: Int32Array;
  /** 1: teacher training */
  teacherTraining: Uint8Array;
  /** the floor in hundredths, or ABSENT */
  minScore: Int32Array;
  policies: TiePolicy[];
  /** the names of the tie-break values each wish carries in wishTie */
  tieKeys: string[];
  candidateIds: string[];
  /** length candidates + 1 */
  wishStart: Int32Array;
  /** programme index of each wish */
  wishProgramme: Int32Array;
  /** admission score, hundredths */
  wishScore: Int32Array;
  /** tieKeys.length values per wish (wish w's value of key k at w * tieKeys.length + k), ABSENT when the wish has none */
  wishTie: Int32Array;
  /** EXCLUDED_* */
  wishExcluded: Uint8Array;
}

export interface CompactAdmissionResult {
  /** per candidate: the admitted wish (a wish index), or −1 */
  admittedWish: Int32Array;
  /** per programme: candidates admitted */
  admittedCount: Int32Array;
  /** per programme: the admitted wish ranked last (lowest score, last by the tie rule), or −1 */
  lastAdmittedWish: Int32Array;
  /** candidate indices sorted by id (the canonical order) */
  candidateOrder: Int32Array;
  stats: { candidates: number; wishes: number; considered: number; proposals: number; turnedAway: number };
  /**
   * Set by a run that follows a published one under a policy (second-run.ts): the cut-off each programme
   * holds to and its lowest admitted score (ABSENT: none), which then no longer follow from the last
   * admitted wish, and the algorithm's name for the result's header.
   */
  outcome?: { cutoff: Int32Array; lowest: Int32Array; algorithm: string };
}

/** the exclusion a wishExcluded code stands for */
const exclusionName = (code: number): WishExclusion | null => EXCLUSIONS[code] ?? null;

// ---- conversion from and to the readable input ----

/** The columnar form of a readable input (tie-break keys: every key any wish carries, sorted). */
export function toCompactInput(input: AdmissionInput): CompactAdmissionInput {
  const findings = validateAdmissionInput(input);
  if (findings.length > 0) throw new AdmissionInputError(findings);
  const index = new Map(input.programmes.map((p, i) => [p.id, i]));
  const keys = new Set<string>();
  for (const p of input.programmes) for (const c of criteriaOf(p.tiePolicy)) if (c.by === 'value') keys.add(c.key);
  for (const c of input.candidates) for (const w of c.wishes) for (const k of Object.keys(w.tieBreak ?? {})) keys.add(k);
  const tieKeys = [...keys].sort(compareIds);
  const T = tieKeys.length;
  const W = input.candidates.reduce((s, c) => s + c.wishes.length, 0);
  const ci: CompactAdmissionInput = {
    teacherTrainingWishCap: input.teacherTrainingWishCap,
    programmeIds: input.programmes.map((p) => p.id),
    quota: Int32Array.from(input.programmes, (p) => p.quota),
    teacherTraining: Uint8Array.from(input.programmes, (p) => (p.teacherTraining ? 1 : 0)),
    minScore: Int32Array.from(input.programmes, (p) => p.minScore ?? ABSENT),
    policies: input.programmes.map((p) => p.tiePolicy),
    tieKeys,
    candidateIds: input.candidates.map((c) => c.id),
    wishStart: new Int32Array(input.candidates.length + 1),
    wishProgramme: new Int32Array(W),
    wishScore: new Int32Array(W),
    wishTie: new Int32Array(W * T).fill(ABSENT),
    wishExcluded: new Uint8Array(W),
  };
  let w = 0;
  input.candidates.forEach((c, i) => {
    ci.wishStart[i] = w;
    for (const x of c.wishes) {
      ci.wishProgramme[w] = index.get(x.programme)!;
      ci.wishScore[w] = x.score;
      ci.wishExcluded[w] = x.excluded === 'unpaid' ? EXCLUDED_UNPAID : x.excluded === 'ineligible' ? EXCLUDED_INELIGIBLE : EXCLUDED_NONE;
      tieKeys.forEach((k, j) => {
        const v = x.tieBreak?.[k];
        if (v !== undefined) ci.wishTie[w * T + j] = v;
      });
      w += 1;
    }
  });
  ci.wishStart[input.candidates.length] = w;
  return ci;
}

function compactProgramme(ci: CompactAdmissionInput, p: number): AdmissionProgramme {
  const out: AdmissionProgramme = { id: ci.programmeIds[p]!, quota: ci.quota[p]!, tiePolicy: ci.policies[p]! };
  if (ci.teacherTraining[p]) out.teacherTraining = true;
  if (ci.minScore[p] !== ABSENT) out.minScore = ci.minScore[p]!;
  return out;
}

function tieRecord(ci: CompactAdmissionInput, w: number): Record<string, number> | undefined {
  const T = ci.tieKeys.length;
  let out: Record<string, number> | undefined;
  for (let k = 0; k < T; k++) {
    const v = ci.wishTie[w * T + k]!;
    if (v !== ABSENT) (out ??= {})[ci.tieKeys[k]!] = v;
  }
  return out;
}

function compactCandidate(ci: CompactAdmissionInput, c: number): AdmissionCandidate {
  const wishes = [];
  for (let w = ci.wishStart[c]!; w < ci.wishStart[c + 1]!; w++) {
    const tieBreak = tieRecord(ci, w);
    const excluded = exclusionName(ci.wishExcluded[w]!);
    wishes.push({ programme: ci.programmeIds[ci.wishProgramme[w]!]!, score: ci.wishScore[w]!, ...(tieBreak ? { tieBreak } : {}), ...(excluded ? { excluded } : {}) });
  }
  return { id: ci.candidateIds[c]!, wishes };
}

/** The readable form of a columnar input (for tests and small runs: it makes an object per wish). */
export function fromCompactInput(ci: CompactAdmissionInput): AdmissionInput {
  return {
    programmes: ci.programmeIds.map((_, p) => compactProgramme(ci, p)),
    candidates: ci.candidateIds.map((_, c) => compactCandidate(ci, c)),
    teacherTrainingWishCap: ci.teacherTrainingWishCap,
  };
}

// ---- validation ----

/** `candidateOrder`: the candidates in id order, when the caller has it (repeated ids are then neighbours). */
export function validateCompactInput(ci: CompactAdmissionInput, candidateOrder?: Int32Array): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding) => {
    if (out.length < MAX_FINDINGS) out.push(f);
  };
  const P = ci.programmeIds.length;
  const C = ci.candidateIds.length;
  const T = ci.tieKeys.length;
  const W = ci.wishProgramme.length;
  const bad = (field: string, en: string, vi: string) => push(error('ADMISSION_COMPACT_INVALID', field, vi, en));
  if (ci.quota.length !== P || ci.teacherTraining.length !== P || ci.minScore.length !== P || ci.policies.length !== P) bad('programmes', 'programme columns differ in length', 'Các cột của ngành – phương thức không cùng độ dài.');
  if (ci.wishStart.length !== C + 1 || ci.wishStart[0] !== 0 || ci.wishStart[C] !== W) bad('wishStart', 'wishStart must run from 0 to the number of wishes, one more entry than candidates', 'wishStart phải chạy từ 0 tới số nguyện vọng.');
  if (ci.wishScore.length !== W || ci.wishExcluded.length !== W || ci.wishTie.length !== W * T) bad('wishes', 'wish columns differ in length', 'Các cột của nguyện vọng không cùng độ dài.');
  if (out.length > 0) return out;
  const cap = ci.teacherTrainingWishCap;
  if (cap !== null && !(Number.isInteger(cap) && cap >= 1)) bad('teacherTrainingWishCap', 'the teacher-training wish cap must be a positive integer or null', 'Giới hạn nguyện vọng ngành sư phạm phải là số nguyên dương hoặc để trống.');
  const seenP = new Set<string>();
  const keyIndex = new Map(ci.tieKeys.map((k, i) => [k, i]));
  const needed: number[][] = [];
  for (let p = 0; p < P; p++) {
    const id = ci.programmeIds[p]!;
    if (id === '' || seenP.has(id)) bad(`programmes[${p}].id`, `programme id "${id}" is empty or repeated`, `Mã ngành – phương thức "${id}" trống hoặc bị lặp.`);
    seenP.add(id);
    if (ci.quota[p]! < 0) bad(`programmes[${p}].quota`, 'the quota must be a non-negative integer', 'Chỉ tiêu phải là số nguyên không âm.');
    const pol = ci.policies[p]!;
    if (pol.kind !== 'admit-all-tied' && pol.kind !== 'break-by-rule') bad(`programmes[${p}].tiePolicy`, 'unknown tie policy', 'Cách xét bằng điểm không hợp lệ.');
    const keys: number[] = [];
    for (const c of criteriaOf(pol)) {
      if (c.by === 'value') {
        const k = keyIndex.get(c.key);
        if (k === undefined) bad(`programmes[${p}].tiePolicy`, `tie-break value ${c.key} is not among tieKeys`, `Tiêu chí phụ ${c.key} không có trong tieKeys.`);
        else keys.push(k);
      } else if (c.by !== 'wish-order') bad(`programmes[${p}].tiePolicy`, 'unknown tie-break step', 'Tiêu chí phụ không hợp lệ.');
    }
    needed.push(keys);
  }
  const stamp = new Int32Array(P).fill(-1);
  for (let c = 0; c < C; c++) {
    const s = ci.wishStart[c]!;
    const e = ci.wishStart[c + 1]!;
    if (e < s) {
      bad(`wishStart[${c}]`, 'wishStart must not decrease', 'wishStart không được giảm.');
      continue;
    }
    for (let w = s; w < e; w++) {
      const p = ci.wishProgramme[w]!;
      if (p < 0 || p >= P) {
        bad(`wishes[${w}].programme`, 'unknown programme index', 'Chỉ số ngành không có.');
        continue;
      }
      if (stamp[p] === c) bad(`candidates[${c}].wishes[${w - s}]`, `candidate ${ci.candidateIds[c]} names programme ${ci.programmeIds[p]} twice`, `Thí sinh ${ci.candidateIds[c]} đặt ngành ${ci.programmeIds[p]} hai lần.`);
      stamp[p] = c;
      const score = ci.wishScore[w]!;
      if (score < MIN_VALUE || score > MAX_VALUE) bad(`wishes[${w}].score`, 'the score is out of range', 'Điểm nằm ngoài khoảng cho phép.');
      const x = ci.wishExcluded[w]!;
      if (x > EXCLUDED_INELIGIBLE) bad(`wishes[${w}].excluded`, 'unknown exclusion code', 'Mã loại nguyện vọng không hợp lệ.');
      if (x === EXCLUDED_NONE) for (const k of needed[p]!) if (ci.wishTie[w * T + k] === ABSENT) bad(`wishes[${w}].tieBreak.${ci.tieKeys[k]}`, `the wish lacks the tie-break value ${ci.tieKeys[k]} its programme ranks by`, `Nguyện vọng thiếu giá trị tiêu chí phụ ${ci.tieKeys[k]} mà ngành dùng.`);
    }
  }
  const order = candidateOrder ?? candidateIdOrder(ci.candidateIds);
  for (let r = 0; r < C; r++) {
    const id = ci.candidateIds[order[r]!]!;
    if (id === '' || (r > 0 && id === ci.candidateIds[order[r - 1]!])) bad('candidateIds', `candidate id "${id}" is empty or repeated`, `Mã thí sinh "${id}" trống hoặc bị lặp.`);
  }
  return out;
}

// ---- the engine ----

/** Candidate indices in id order; ids that come sorted (as a generated or exported season's do) cost one pass. */
export function candidateIdOrder(ids: readonly string[]): Int32Array {
  const order = new Int32Array(ids.length);
  let sorted = true;
  for (let i = 0; i < ids.length; i++) {
    order[i] = i;
    if (i > 0 && !(ids[i - 1]! < ids[i]!)) sorted = false;
  }
  if (sorted) return order;
  return Int32Array.from(Array.from(order).sort((a, b) => compareIds(ids[a]!, ids[b]!)));
}

/**
 * One stable counting-sort pass of `n` entries of `src` into `dst` by `keys` (parallel to src); keys span
 * at most 2^32 values. Returns false, leaving dst alone, when every key is equal (nothing to move).
 */
function countingSort(src: Int32Array, dst: Int32Array, keys: Int32Array, n: number, tmp: Int32Array): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  if (n === 0 || min === max) return false;
  const range = max - min + 1;
  if (range <= 1 << 20) {
    const counts = new Int32Array(range + 1);
    for (let i = 0; i < n; i++) counts[keys[i]! - min + 1]! += 1;
    for (let r = 1; r <= range; r++) counts[r]! += counts[r - 1]!;
    for (let i = 0; i < n; i++) dst[counts[keys[i]! - min]!++] = src[i]!;
    return true;
  }
  // a wide key: two passes of 16 bits, the low half first (keys travel with their entries through tmp)
  const counts = new Int32Array(65537);
  const keysTmp = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[((keys[i]! - min) & 0xffff) + 1]! += 1;
  for (let r = 1; r <= 65536; r++) counts[r]! += counts[r - 1]!;
  for (let i = 0; i < n; i++) {
    const at = counts[(keys[i]! - min) & 0xffff]!++;
    tmp[at] = src[i]!;
    keysTmp[at] = keys[i]!;
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor((keysTmp[i]! - min) / 65536) + 1]! += 1;
  for (let r = 1; r <= 65536; r++) counts[r]! += counts[r - 1]!;
  for (let i = 0; i < n; i++) dst[counts[Math.floor((keysTmp[i]! - min) / 65536)]!++] = tmp[i]!;
  return true;
}

export interface CompactRunOptions {
  /** called as each phase ends (validate, order, rank, groups, match, check), so a caller can time them */
  onPhase?: (phase: 'validate' | 'order' | 'rank' | 'groups' | 'match' | 'check') => void;
}

/** Runs the admission on a columnar input. Throws AdmissionInputError on a malformed input. */
export function runCompactAdmission(ci: CompactAdmissionInput, options: CompactRunOptions = {}): CompactAdmissionResult {
  const phase = options.onPhase ?? (() => {});
  const candidateOrder = candidateIdOrder(ci.candidateIds);
  const findings = validateCompactInput(ci, candidateOrder);
  if (findings.length > 0) throw new AdmissionInputError(findings);
  phase('validate');
  const P = ci.programmeIds.length;
  const C = ci.candidateIds.length;
  const W = ci.wishProgramme.length;
  const T = ci.tieKeys.length;
  const { wishStart, wishProgramme, wishScore, wishTie, wishExcluded, quota } = ci;

  // each programme's rule as integer columns: K steps at most; kind 0 none, 1 wish order, 2 a value (key index)
  const K = ci.policies.reduce((k, p) => Math.max(k, criteriaOf(p).length), 0);
  const stepKind = new Uint8Array(P * K);
  const stepKey = new Int32Array(P * K);
  const admitAll = new Uint8Array(P);
  const keyIndex = new Map(ci.tieKeys.map((k, i) => [k, i]));
  ci.policies.forEach((pol, p) => {
    admitAll[p] = pol.kind === 'admit-all-tied' ? 1 : 0;
    criteriaOf(pol).forEach((c, j) => {
      stepKind[p * K + j] = c.by === 'wish-order' ? 1 : 2;
      stepKey[p * K + j] = c.by === 'value' ? keyIndex.get(c.key)! : 0;
    });
  });

  const wishCand = new Int32Array(W);
  for (let c = 0; c < C; c++) for (let w = wishStart[c]!; w < wishStart[c + 1]!; w++) wishCand[w] = c;
  const cap = ci.teacherTrainingWishCap ?? Infinity;

  // 1. the wishes that take part, in candidate-id order: the final key of every programme's ranking
  let a = new Int32Array(W);
  let n = 0;
  // applicants per programme, made into where each programme's positions start once ranked (step 3)
  const segStart = new Int32Array(P + 1);
  for (let r = 0; r < C; r++) {
    const c = candidateOrder[r]!;
    for (let w = wishStart[c]!; w < wishStart[c + 1]!; w++) {
      if (wishExcluded[w] !== EXCLUDED_NONE) continue;
      const p = wishProgramme[w]!;
      if (ci.teacherTraining[p] && w - wishStart[c]! + 1 > cap) continue;
      a[n++] = w;
      segStart[p + 1]! += 1;
    }
  }
  phase('order');

  // 2. rank them within each programme: stable passes from the least significant key (the rule's steps)
  //    to the most (the score, then the programme); every key is oriented so that a smaller value ranks first
  const stepValue = (w: number, j: number): number => {
    const p = wishProgramme[w]!;
    const kind = stepKind[p * K + j]!;
    return kind === 0 ? 0 : kind === 1 ? w - wishStart[wishCand[w]!]! + 1 : -wishTie[w * T + stepKey[p * K + j]!]!;
  };
  // the rule's steps fold into one key when their ranges allow (Math then wish order: ~1,000 × ~60), which
  // saves a pass over the wishes for each further step
  const stepMin: number[] = [];
  const stepSpan: number[] = [];
  {
    let longest = 0;
    for (let c = 0; c < C; c++) longest = Math.max(longest, wishStart[c + 1]! - wishStart[c]!);
    const keyMin = new Float64Array(T).fill(Infinity);
    const keyMax = new Float64Array(T).fill(-Infinity);
    for (let w = 0; w < W; w++) {
      for (let k = 0; k < T; k++) {
        const v = wishTie[w * T + k]!;
        if (v === ABSENT) continue;
        if (v < keyMin[k]!) keyMin[k] = v;
        if (v > keyMax[k]!) keyMax[k] = v;
      }
    }
    for (let j = 0; j < K; j++) {
      let lo = 0;
      let hi = 0; // kind 0 (no step) is 0
      for (let p = 0; p < P; p++) {
        const kind = stepKind[p * K + j]!;
        if (kind === 1) hi = Math.max(hi, longest);
        else if (kind === 2 && keyMax[stepKey[p * K + j]!]! >= keyMin[stepKey[p * K + j]!]!) {
          lo = Math.min(lo, -keyMax[stepKey[p * K + j]!]!);
          hi = Math.max(hi, -keyMin[stepKey[p * K + j]!]!);
        }
      }
      stepMin.push(lo);
      stepSpan.push(hi - lo + 1);
    }
  }
  const foldedSpan = stepSpan.reduce((x, y) => x * y, 1);
  {
    let b = new Int32Array(W);
    const keys = new Int32Array(n);
    const tmp = new Int32Array(n);
    const pass = (keyOf: (w: number) => number) => {
      for (let i = 0; i < n; i++) keys[i] = keyOf(a[i]!);
      if (countingSort(a, b, keys, n, tmp)) [a, b] = [b, a];
    };
    if (K > 1 && foldedSpan <= 2 ** 31) {
      pass((w) => {
        let key = 0;
        for (let j = 0; j < K; j++) key = key * stepSpan[j]! + (stepValue(w, j) - stepMin[j]!);
        return key - 2 ** 31; // into the Int32 range; the order is what counts
      });
    } else {
      for (let j = K - 1; j >= 0; j--) pass((w) => stepValue(w, j));
    }
    pass((w) => -wishScore[w]!);
    pass((w) => wishProgramme[w]!);
  }
  phase('rank');
  const order = a; // order[i]: the wish at ranking position i (programme by programme, best first)

  // 3. positions and tie groups: clsStart[i] is the first position of i's tie group (i itself under
  //    break-by-rule). Programme p's applicants hold positions segStart[p] … segStart[p+1]−1.
  for (let p = 0; p < P; p++) segStart[p + 1]! += segStart[p]!;
  const pos = new Int32Array(W).fill(-1);
  for (let i = 0; i < n; i++) pos[order[i]!] = i;
  const clsStart = new Int32Array(n);
  for (let p = 0; p < P; p++) {
    const s0 = segStart[p]!;
    const e = segStart[p + 1]!;
    if (admitAll[p] === 0) {
      for (let i = s0; i < e; i++) clsStart[i] = i;
      continue;
    }
    for (let i = s0; i < e; i++) {
      const w = order[i]!;
      const prev = i > s0 ? order[i - 1]! : -1;
      let same = prev >= 0 && wishScore[prev] === wishScore[w];
      for (let j = 0; same && j < K; j++) if (stepValue(prev, j) !== stepValue(w, j)) same = false;
      clsStart[i] = same ? clsStart[i - 1]! : i;
    }
  }
  phase('groups');

  // 4. deferred acceptance. A programme holds marks on positions; `worst` is its worst held position.
  const held = new Uint8Array(n);
  const heldInGroup = new Int32Array(n);
  const count = new Int32Array(P);
  const worst = new Int32Array(P).fill(-1);
  const cur = new Int32Array(C);
  for (let c = 0; c < C; c++) cur[c] = wishStart[c]! - 1;
  const stack = new Int32Array(C);
  let top = 0;
  for (let c = C - 1; c >= 0; c--) stack[top++] = c;
  let proposals = 0;
  let turnedAway = 0;
  while (top > 0) {
    const c = stack[--top]!;
    const end = wishStart[c + 1]!;
    let w = cur[c]!;
    for (;;) {
      w += 1;
      if (w >= end) {
        cur[c] = end;
        break;
      }
      const i = pos[w]!;
      if (i < 0) continue;
      const p = wishProgramme[w]!;
      const q = quota[p]!;
      if (q === 0) continue;
      proposals += 1;
      let held_ = count[p]!;
      if (admitAll[p] === 0) {
        // break by rule: every applicant is a tie group of one, so positions alone decide (fewer memory reads)
        if (held_ >= q && i > worst[p]!) continue;
        held[i] = 1;
        held_ += 1;
        if (held_ === 1 || i > worst[p]!) worst[p] = i;
        cur[c] = w;
        if (held_ > q) {
          const wi = worst[p]!;
          held[wi] = 0;
          stack[top++] = wishCand[order[wi]!]!;
          turnedAway += 1;
          held_ -= 1;
          let j = wi - 1;
          while (held[j] === 0) j -= 1;
          worst[p] = j;
        }
        count[p] = held_;
        break;
      }
      // full, and ranked in a tie group after the worst held one: at least q are ranked before it
      if (held_ >= q && clsStart[i]! > clsStart[worst[p]!]!) continue;
      held[i] = 1;
      heldInGroup[clsStart[i]!]! += 1;
      held_ += 1;
      if (held_ === 1 || i > worst[p]!) worst[p] = i;
      cur[c] = w;
      // turn away the worst tie group while the others alone fill the quota
      for (;;) {
        const wi = worst[p]!;
        const s = clsStart[wi]!;
        const k = heldInGroup[s]!;
        if (held_ - k < q) break;
        for (let j = wi, left = k; left > 0; j--) {
          if (held[j]) {
            held[j] = 0;
            left -= 1;
            stack[top++] = wishCand[order[j]!]!;
          }
        }
        turnedAway += k;
        heldInGroup[s] = 0;
        held_ -= k;
        let j = s - 1;
        while (held[j] === 0) j -= 1;
        worst[p] = j;
      }
      count[p] = held_;
      break;
    }
  }

  phase('match');
  // 5. the result, checked: every wish above a candidate's admission lost to a full programme whose
  //    last admitted tie group ranks before it, and no programme exceeds its quota but by that group
  const admittedWish = new Int32Array(C).fill(-1);
  for (let c = 0; c < C; c++) {
    const got = cur[c]! < wishStart[c + 1]! ? cur[c]! : -1;
    admittedWish[c] = got;
    const upTo = got >= 0 ? got : wishStart[c + 1]!;
    for (let w = wishStart[c]!; w < upTo; w++) {
      const i = pos[w]!;
      const p = wishProgramme[w]!;
      if (i < 0 || quota[p] === 0) continue;
      if (count[p]! < quota[p]! || clsStart[i]! <= clsStart[worst[p]!]!) throw new UnstableOutcomeError(`candidate ${ci.candidateIds[c]} and programme ${ci.programmeIds[p]} would both prefer each other`);
    }
  }
  const lastAdmittedWish = new Int32Array(P).fill(-1);
  for (let p = 0; p < P; p++) {
    if (count[p]! === 0) continue;
    lastAdmittedWish[p] = order[worst[p]!]!;
    const lastGroup = admitAll[p] ? heldInGroup[clsStart[worst[p]!]!]! : 1;
    if (count[p]! > quota[p]! && count[p]! - lastGroup >= quota[p]!) throw new UnstableOutcomeError(`programme ${ci.programmeIds[p]} exceeds its quota beyond its last tie group`);
  }
  phase('check');
  return { admittedWish, admittedCount: count, lastAdmittedWish, candidateOrder, stats: { candidates: C, wishes: W, considered: n, proposals, turnedAway } };
}

// ---- reading the result ----

function compactApplicant(ci: CompactAdmissionInput, w: number): Applicant {
  const c = upperCandidate(ci, w);
  return { candidateId: ci.candidateIds[c]!, wish: w - ci.wishStart[c]! + 1, score: ci.wishScore[w]!, tieBreak: tieRecord(ci, w) };
}

/**
 * The candidate whose wishes include wish index w: the last one whose wishes start at or before w (one
 * with no wishes shares its start with the next, which is the owner), by binary search on wishStart.
 */
export function upperCandidate(ci: CompactAdmissionInput, w: number): number {
  let lo = 0;
  let hi = ci.candidateIds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ci.wishStart[mid]! <= w) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Programme p's line of the result (its cut-off as defined in types.ts). */
export function compactProgrammeOutcome(ci: CompactAdmissionInput, r: CompactAdmissionResult, p: number): ProgrammeOutcome {
  const q = ci.quota[p]!;
  const admitted = r.admittedCount[p]!;
  const last = r.lastAdmittedWish[p]!;
  const lowest = last >= 0 ? ci.wishScore[last]! : null;
  const full = admitted >= q;
  const floor = ci.minScore[p]! === ABSENT ? null : ci.minScore[p]!;
  const o = r.outcome;
  if (o) {
    const held = o.cutoff[p]!;
    const low = o.lowest[p]!;
    return { id: ci.programmeIds[p]!, quota: q, admitted, full, cutoff: held === ABSENT ? null : held, lowestAdmittedScore: low === ABSENT ? null : low };
  }
  return { id: ci.programmeIds[p]!, quota: q, admitted, full, cutoff: q === 0 ? null : full ? lowest : floor, lowestAdmittedScore: lowest };
}

/** Candidate c's line of the result, with a reason for every higher wish; `cutoffs` per programme index. */
export function compactCandidateOutcome(ci: CompactAdmissionInput, r: CompactAdmissionResult, c: number, cutoffs: ReadonlyArray<number | null>): CandidateOutcome {
  const start = ci.wishStart[c]!;
  const got = r.admittedWish[c]!;
  const upTo = got >= 0 ? got : ci.wishStart[c + 1]!;
  const cap = ci.teacherTrainingWishCap ?? Infinity;
  const notObtained: NotObtained[] = [];
  for (let w = start; w < upTo; w++) {
    const p = ci.wishProgramme[w]!;
    const base = { wish: w - start + 1, programme: ci.programmeIds[p]!, score: ci.wishScore[w]!, cutoff: cutoffs[p]! };
    const x = exclusionName(ci.wishExcluded[w]!);
    if (x) notObtained.push({ ...base, reason: x });
    else if (ci.teacherTraining[p] && w - start + 1 > cap) notObtained.push({ ...base, reason: 'teacher-training-position' });
    else if (ci.quota[p] === 0) notObtained.push({ ...base, reason: 'no-places' });
    else if (ci.wishScore[w]! < cutoffs[p]!) notObtained.push({ ...base, reason: 'below-cutoff' });
    else {
      const last = compactApplicant(ci, r.lastAdmittedWish[p]!);
      // a run holding to a published cut-off compares with the last place at the score it was published with
      if (r.outcome) last.score = cutoffs[p]!;
      notObtained.push({ ...base, reason: 'tie-break', decidedBy: decidingStep(ci.policies[p]!, compactApplicant(ci, w), last)! });
    }
  }
  const admitted = got >= 0 ? { wish: got - start + 1, programme: ci.programmeIds[ci.wishProgramme[got]!]!, score: ci.wishScore[got]! } : null;
  return { id: ci.candidateIds[c]!, admitted, notObtained };
}

/**
 * The reasons for a candidate's higher wishes as a run stores them beside its result, written straight from
 * the columns (no object per line): the JSON text `[[wish, programme, reason, score, decidedBy], …]`, with
 * decidedBy `"wish-order"`, `"value:<key>"` or `"candidate-id"` for a tie-break and null otherwise: the
 * lines of `compactCandidateOutcome` (compact.test.ts compares them). Returns the writer for one candidate.
 */
export function storedNotObtainedWriter(ci: CompactAdmissionInput, r: CompactAdmissionResult): (c: number) => string {
  const P = ci.programmeIds.length;
  const T = ci.tieKeys.length;
  const pid = ci.programmeIds.map((id) => JSON.stringify(id));
  const cutoff = ci.programmeIds.map((_, p) => compactProgrammeOutcome(ci, r, p).cutoff);
  const last = r.lastAdmittedWish;
  const lastWishNo = new Int32Array(P);
  for (let p = 0; p < P; p++) if (last[p]! >= 0) lastWishNo[p] = last[p]! - ci.wishStart[upperCandidate(ci, last[p]!)]! + 1;
  const keyIndex = new Map(ci.tieKeys.map((k, i) => [k, i]));
  const criteria = ci.policies.map((pol) => criteriaOf(pol).map((c) => (c.by === 'wish-order' ? { k: -1, json: '"wish-order"' } : { k: keyIndex.get(c.key)!, json: JSON.stringify(`value:${c.key}`) })));
  const cap = ci.teacherTrainingWishCap ?? Infinity;
  const decider = (p: number, w: number, wishNo: number): string => {
    const l = last[p]!;
    for (const c of criteria[p]!) {
      if (c.k < 0) {
        if (wishNo !== lastWishNo[p]) return c.json;
      } else if (ci.wishTie[w * T + c.k] !== ci.wishTie[l * T + c.k]) return c.json;
    }
    return '"candidate-id"';
  };
  return (c: number): string => {
    const start = ci.wishStart[c]!;
    const got = r.admittedWish[c]!;
    const upTo = got >= 0 ? got : ci.wishStart[c + 1]!;
    let line = '[';
    for (let w = start; w < upTo; w++) {
      const p = ci.wishProgramme[w]!;
      const wishNo = w - start + 1;
      const x = ci.wishExcluded[w]!;
      let reason: string;
      let by = 'null';
      if (x === EXCLUDED_UNPAID) reason = '"unpaid"';
      else if (x === EXCLUDED_INELIGIBLE) reason = '"ineligible"';
      else if (ci.teacherTraining[p] && wishNo > cap) reason = '"teacher-training-position"';
      else if (ci.quota[p] === 0) reason = '"no-places"';
      else if (ci.wishScore[w]! < cutoff[p]!) reason = '"below-cutoff"';
      else {
        reason = '"tie-break"';
        by = decider(p, w, wishNo);
      }
      line += (w > start ? ',[' : '[') + wishNo + ',' + pid[p] + ',' + reason + ',' + ci.wishScore[w] + ',' + by + ']';
    }
    return line + ']';
  };
}

const programmeIdOrder = (ci: CompactAdmissionInput): number[] => ci.programmeIds.map((_, p) => p).sort((x, y) => compareIds(ci.programmeIds[x]!, ci.programmeIds[y]!));

/** The readable result (an object per candidate: for tests and small runs; national runs stream it). */
export function compactToResult(ci: CompactAdmissionInput, r: CompactAdmissionResult): AdmissionResult {
  const programmes = programmeIdOrder(ci).map((p) => compactProgrammeOutcome(ci, r, p));
  const cutoffs = ci.programmeIds.map((_, p) => compactProgrammeOutcome(ci, r, p).cutoff);
  return { programmes, candidates: Array.from(r.candidateOrder, (c) => compactCandidateOutcome(ci, r, c, cutoffs)) };
}

/**
 * The canonical input, written straight from the columns: the same bytes as `writeCanonicalInput` of the
 * readable form (the tests compare them), without an object per wish, since a national input is ~250 MB.
 */
export function writeCanonicalCompactInput(ci: CompactAdmissionInput, candidateOrder: Int32Array, sink: Sink, follows?: FollowsPublished): void {
  sink(inputHeaderLine(ci.teacherTrainingWishCap, follows));
  for (const p of programmeIdOrder(ci)) sink(programmeLine(compactProgramme(ci, p)));
  const pid = ci.programmeIds.map((id) => JSON.stringify(id));
  const T = ci.tieKeys.length;
  // tie-break pairs go in key order (code units), as candidateLine sorts them
  const keyOrder = ci.tieKeys.map((_, k) => k).sort((x, y) => compareIds(ci.tieKeys[x]!, ci.tieKeys[y]!));
  const keyJson = ci.tieKeys.map((k) => JSON.stringify(k));
  const excluded = EXCLUSIONS.map((x) => JSON.stringify(x));
  for (const c of candidateOrder) {
    let line = '["C",' + JSON.stringify(ci.candidateIds[c]) + ',[';
    for (let w = ci.wishStart[c]!; w < ci.wishStart[c + 1]!; w++) {
      if (w > ci.wishStart[c]!) line += ',';
      line += '[' + pid[ci.wishProgramme[w]!] + ',' + ci.wishScore[w] + ',' + excluded[ci.wishExcluded[w]!] + ',[';
      let first = true;
      for (const k of keyOrder) {
        const v = ci.wishTie[w * T + k]!;
        if (v === ABSENT) continue;
        line += (first ? '' : ',') + keyJson[k] + ',' + v;
        first = false;
      }
      line += ']]';
    }
    sink(line + ']]\n');
  }
}

/**
 * The canonical result, written straight from the columns: the same bytes as `writeCanonicalResult` of the
 * readable result (the tests compare them), one candidate at a time.
 */
export function writeCanonicalCompactResult(ci: CompactAdmissionInput, r: CompactAdmissionResult, inputHash: string, sink: Sink): void {
  sink(resultHeaderLine(r.outcome?.algorithm ?? ADMISSION_ALGORITHM, inputHash));
  for (const p of programmeIdOrder(ci)) sink(programmeOutcomeLine(compactProgrammeOutcome(ci, r, p)));
  const P = ci.programmeIds.length;
  const T = ci.tieKeys.length;
  const pid = ci.programmeIds.map((id) => JSON.stringify(id));
  const cutoff = ci.programmeIds.map((_, p) => compactProgrammeOutcome(ci, r, p).cutoff);
  const cutoffJson = cutoff.map((x) => JSON.stringify(x));
  // each programme's last admitted wish, as the tie-break reasons compare with it
  const last = r.lastAdmittedWish;
  const lastWishNo = new Int32Array(P);
  for (let p = 0; p < P; p++) if (last[p]! >= 0) lastWishNo[p] = last[p]! - ci.wishStart[upperCandidate(ci, last[p]!)]! + 1;
  const keyIndex = new Map(ci.tieKeys.map((k, i) => [k, i]));
  const cap = ci.teacherTrainingWishCap ?? Infinity;
  const reasonJson = (x: string) => JSON.stringify(x);
  const [UNPAID, INELIGIBLE, TT, NO_PLACES, BELOW, TIE] = ['unpaid', 'ineligible', 'teacher-training-position', 'no-places', 'below-cutoff', 'tie-break'].map(reasonJson);
  const decider = (p: number, w: number, wishNo: number): string => {
    const l = last[p]!;
    for (const c of criteriaOf(ci.policies[p]!)) {
      if (c.by === 'wish-order') {
        if (wishNo !== lastWishNo[p]) return '["wish-order"]';
      } else {
        const k = keyIndex.get(c.key)!;
        if (ci.wishTie[w * T + k] !== ci.wishTie[l * T + k]) return JSON.stringify(['value', c.key]);
      }
    }
    return '["candidate-id"]';
  };
  for (const c of r.candidateOrder) {
    const start = ci.wishStart[c]!;
    const got = r.admittedWish[c]!;
    let line = '["C",' + JSON.stringify(ci.candidateIds[c]) + ',';
    line += got >= 0 ? got - start + 1 + ',' + pid[ci.wishProgramme[got]!] + ',' + ci.wishScore[got] : 'null,null,null';
    line += ',[';
    const upTo = got >= 0 ? got : ci.wishStart[c + 1]!;
    for (let w = start; w < upTo; w++) {
      const p = ci.wishProgramme[w]!;
      const wishNo = w - start + 1;
      const x = ci.wishExcluded[w]!;
      let reason: string;
      let by = 'null';
      if (x === EXCLUDED_UNPAID) reason = UNPAID!;
      else if (x === EXCLUDED_INELIGIBLE) reason = INELIGIBLE!;
      else if (ci.teacherTraining[p] && wishNo > cap) reason = TT!;
      else if (ci.quota[p] === 0) reason = NO_PLACES!;
      else if (ci.wishScore[w]! < cutoff[p]!) reason = BELOW!;
      else {
        reason = TIE!;
        by = decider(p, w, wishNo);
      }
      line += (w > start ? ',' : '') + '[' + wishNo + ',' + pid[p] + ',' + reason + ',' + ci.wishScore[w] + ',' + cutoffJson[p] + ',' + by + ']';
    }
    sink(line + ']]\n');
  }
}

// A run that follows a published run (issue 24, item 4): score reviews and corrections come after the
// publication, and the new run must change as little as possible and take nothing published back unless
// the ministry says why. Two named policies:
// - `protect-published` (the default): every published admission stands; a candidate moves up to a higher
//   wish when their new score reaches its published cut-off (beyond the quota if need be: "admit
//   additionally"); seats left by those who move up are not refilled by displacing anyone; candidates not
//   admitted before enter a programme that filled only by reaching its published cut-off, and one that did
//   not fill only into its free places.
// - `recompute`: the stable outcome for the new scores from scratch (runCompactAdmission), which may move
//   or remove published admissions: allowed only with an audited reason (run-state.ts, checkRunReason).
// Pure: the columns of the new input and of the published result come in; docs/admission-matching.md
// ("A run after a published run") states the rules and a worked example.
import { ABSENT, EXCLUDED_INELIGIBLE, EXCLUDED_NONE, candidateIdOrder, compactProgrammeOutcome, runCompactAdmission, upperCandidate, type CompactAdmissionInput, type CompactAdmissionResult } from './compact.ts';
import { ADMISSION_ALGORITHM } from './deferred-acceptance.ts';
import { UnstableOutcomeError } from './outcome.ts';
import { criteriaOf } from './policy.ts';
import { HOW_FREE_PLACE, HOW_MOVED_UP, HOW_REACHED_CUTOFF } from './run-state.ts';
import type { TieCriterion } from './types.ts';

export { DEFAULT_SECOND_RUN_POLICY, HOW_FREE_PLACE, HOW_MOVED_UP, HOW_REACHED_CUTOFF, HOW_UNCHANGED, SECOND_RUN_POLICIES, type SecondRunPolicy } from './run-state.ts';

/** The algorithm written into a protect-published result's header (a recomputed one is the plain run). */
export const PROTECT_PUBLISHED_ALGORITHM = `${ADMISSION_ALGORITHM}+protect-published/1`;

/** The published result, in the new input's indices. */
export interface PublishedAdmissions {
  /** per candidate: the programme index of their published admission, or −1 (not admitted, or not in that run) */
  programme: Int32Array;
  /** per candidate: the score that admission was published with (hundredths) */
  score: Int32Array;
  /** per programme: 1 when the published run filled it (admitted at least its quota then) */
  full: Uint8Array;
  /**
   * per programme: the candidate at its published last place (where it turned applicants away: `lastPlace`),
   * or −1 when it turned nobody away or that run did not record it; with `cutoff`, the score of that place
   */
  lastPlace: Int32Array;
  /** per programme: the published cut-off, ABSENT for none */
  cutoff: Int32Array;
}

export interface ProtectedRun extends CompactAdmissionResult {
  outcome: NonNullable<CompactAdmissionResult['outcome']>;
  /** per candidate: HOW_* (run-state.ts) */
  how: Uint8Array;
}

/**
 * The run after a published run under `protect-published`. Those admitted before are decided one by one
 * (their acceptance depends on nobody else); the others by a deferred-acceptance run of their own
 * (runCompactAdmission) in which a programme that filled keeps whoever reaches its published last place and
 * one that did not offers its free places as its quota. Linear in the wishes. Throws UnstableOutcomeError
 * if any reason could not be stated against the cut-offs held to.
 */
export function protectPublished(ci: CompactAdmissionInput, pub: PublishedAdmissions): ProtectedRun {
  const C = ci.candidateIds.length;
  const P = ci.programmeIds.length;
  const T = ci.tieKeys.length;
  const { wishStart, wishProgramme, wishScore, wishTie, wishExcluded, quota } = ci;
  const cap = ci.teacherTrainingWishCap ?? Infinity;
  const keyIndex = new Map(ci.tieKeys.map((k, i) => [k, i]));
  const steps: Array<Array<{ wishOrder: boolean; k: number }>> = ci.policies.map((pol) => criteriaOf(pol).map((c: TieCriterion) => (c.by === 'wish-order' ? { wishOrder: true, k: -1 } : { wishOrder: false, k: keyIndex.get(c.key)! })));
  const admitAll = ci.policies.map((pol) => pol.kind === 'admit-all-tied');
  const takesPart = (w: number, c: number): boolean => {
    const p = wishProgramme[w]!;
    return wishExcluded[w] === EXCLUDED_NONE && quota[p]! > 0 && !(ci.teacherTraining[p] && w - wishStart[c]! + 1 > cap);
  };
  /**
   * p's order (negative: a before b) of wish a of candidate ca with score sa and wish b of cb with score sb,
   * as compareApplicants orders them; `tied`: equal on the score and every step of the rule.
   */
  const compare = (p: number, sa: number, a: number, ca: number, sb: number, b: number, cb: number): { d: number; tied: boolean } => {
    if (sa !== sb) return { d: sb - sa, tied: false };
    for (const s of steps[p]!) {
      const d = s.wishOrder ? a - wishStart[ca]! - (b - wishStart[cb]!) : wishTie[b * T + s.k]! - wishTie[a * T + s.k]!;
      if (d !== 0) return { d, tied: false };
    }
    const ia = ci.candidateIds[ca]!;
    const ib = ci.candidateIds[cb]!;
    return { d: ia < ib ? -1 : ia > ib ? 1 : 0, tied: true };
  };

  // the protected wish of each candidate admitted in the published run: the wish naming that programme
  const protectedWish = new Int32Array(C).fill(-1);
  for (let c = 0; c < C; c++) {
    const p0 = pub.programme[c]!;
    if (p0 < 0) continue;
    for (let w = wishStart[c]!; w < wishStart[c + 1]!; w++) {
      if (wishProgramme[w] === p0) {
        protectedWish[c] = w;
        break;
      }
    }
  }
  // each programme the published run filled holds to its published last place (the bar): the one that run
  // recorded, at the published cut-off (exact when runs follow runs: a last place whose own score a review
  // changed, or who moved up since, still marks the same place); else the worst of its published
  // admissions, with the scores they were published with
  const barWish = new Int32Array(P).fill(-1);
  const barCand = new Int32Array(P).fill(-1);
  const barScore = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    const c = pub.lastPlace[p]!;
    if (c < 0 || pub.cutoff[p] === ABSENT) continue;
    for (let w = wishStart[c]!; w < wishStart[c + 1]!; w++) {
      if (wishProgramme[w] !== p) continue;
      barWish[p] = w;
      barCand[p] = c;
      barScore[p] = pub.cutoff[p]!;
    }
  }
  const recorded = Uint8Array.from(barWish, (w) => (w >= 0 ? 1 : 0));
  for (let c = 0; c < C; c++) {
    const w = protectedWish[c]!;
    if (w < 0) continue;
    const p = wishProgramme[w]!;
    if (recorded[p]) continue;
    const s = pub.score[c]!;
    if (barWish[p]! < 0 || compare(p, barScore[p]!, barWish[p]!, barCand[p]!, s, w, c).d < 0) {
      barWish[p] = w;
      barCand[p] = c;
      barScore[p] = s;
    }
  }
  // a programme holds to its published last place when the published run filled it, or when those still
  // holding a published place there fill its quota now (a quota lowered since); its free places otherwise
  // are its quota less those holding a published place there now (whoever of them moves up: not refilled)
  const holding = new Int32Array(P);
  for (let c = 0; c < C; c++) if (protectedWish[c]! >= 0) holding[wishProgramme[protectedWish[c]!]!]! += 1;
  const full = Uint8Array.from(ci.programmeIds, (_, p) => ((recorded[p] === 1 || pub.full[p] === 1 || holding[p]! >= quota[p]!) && barWish[p]! >= 0 ? 1 : 0));
  const filled = (p: number): boolean => full[p] === 1;
  /** wish w of candidate c ranks at or before p's published last place (or in its tie group) */
  const reaches = (p: number, w: number, c: number): boolean => {
    if (barWish[p]! < 0) return false;
    const x = compare(p, wishScore[w]!, w, c, barScore[p]!, barWish[p]!, barCand[p]!);
    return x.d <= 0 || (admitAll[p]! && x.tied);
  };

  const admittedWish = new Int32Array(C).fill(-1);
  const how = new Uint8Array(C);
  // those admitted before: the first wish above the protected one that they now reach, else the protected one
  for (let c = 0; c < C; c++) {
    const pw = protectedWish[c]!;
    if (pw < 0) continue;
    admittedWish[c] = pw;
    for (let w = wishStart[c]!; w < pw; w++) {
      if (!takesPart(w, c)) continue;
      const p = wishProgramme[w]!;
      // a programme that did not fill turned nobody away: its published cut-off (the floor) is reached by any wish that takes part
      if (filled(p) ? reaches(p, w, c) : true) {
        admittedWish[c] = w;
        how[c] = HOW_MOVED_UP;
        break;
      }
    }
  }

  // those not admitted before: a deferred-acceptance run of their own, in which a programme that filled
  // keeps whoever reaches its published last place (its quota there is their number, so it turns nobody
  // away) and one that did not fill offers its free places
  const others: number[] = [];
  for (let c = 0; c < C; c++) if (protectedWish[c]! < 0) others.push(c);
  const subStart = new Int32Array(others.length + 1);
  let n = 0;
  others.forEach((c, i) => {
    subStart[i] = n;
    n += wishStart[c + 1]! - wishStart[c]!;
  });
  subStart[others.length] = n;
  const subQuota = new Int32Array(P);
  for (let p = 0; p < P; p++) if (!filled(p)) subQuota[p] = Math.max(0, quota[p]! - holding[p]!);
  const subExcluded = new Uint8Array(n);
  const subProgramme = new Int32Array(n);
  const subScore = new Int32Array(n);
  const subTie = new Int32Array(n * T);
  others.forEach((c, i) => {
    for (let w = wishStart[c]!, v = subStart[i]!; w < wishStart[c + 1]!; w++, v++) {
      const p = wishProgramme[w]!;
      subProgramme[v] = p;
      subScore[v] = wishScore[w]!;
      subExcluded[v] = wishExcluded[w]!;
      for (let k = 0; k < T; k++) subTie[v * T + k] = wishTie[w * T + k]!;
      if (filled(p) && takesPart(w, c)) {
        if (reaches(p, w, c)) subQuota[p]! += 1;
        else subExcluded[v] = EXCLUDED_INELIGIBLE;
      }
    }
  });
  const sub: CompactAdmissionInput = {
    teacherTrainingWishCap: ci.teacherTrainingWishCap,
    programmeIds: ci.programmeIds,
    quota: subQuota,
    teacherTraining: ci.teacherTraining,
    minScore: ci.minScore,
    policies: ci.policies,
    tieKeys: ci.tieKeys,
    candidateIds: others.map((c) => ci.candidateIds[c]!),
    wishStart: subStart,
    wishProgramme: subProgramme,
    wishScore: subScore,
    wishTie: subTie,
    wishExcluded: subExcluded,
  };
  const sr = runCompactAdmission(sub);
  const toWish = (i: number, v: number): number => wishStart[others[i]!]! + (v - subStart[i]!);
  others.forEach((c, i) => {
    const v = sr.admittedWish[i]!;
    if (v < 0) return;
    admittedWish[c] = toWish(i, v);
    how[c] = filled(wishProgramme[admittedWish[c]!]!) ? HOW_REACHED_CUTOFF : HOW_FREE_PLACE;
  });
  // the sub-run's last admitted wish of each programme, back in the input's indices
  const subLast = new Int32Array(P).fill(-1);
  {
    const owner = new Int32Array(n);
    others.forEach((_, i) => owner.fill(i, subStart[i]!, subStart[i + 1]!));
    for (let p = 0; p < P; p++) {
      const v = sr.lastAdmittedWish[p]!;
      if (v >= 0) subLast[p] = toWish(owner[v]!, v);
    }
  }

  // the programmes: counts, the cut-off each holds to, the lowest admitted score
  const admittedCount = new Int32Array(P);
  const lowest = new Int32Array(P).fill(ABSENT);
  for (let c = 0; c < C; c++) {
    const w = admittedWish[c]!;
    if (w < 0) continue;
    const p = wishProgramme[w]!;
    admittedCount[p]! += 1;
    if (lowest[p] === ABSENT || wishScore[w]! < lowest[p]!) lowest[p] = wishScore[w]!;
  }
  const cutoff = new Int32Array(P).fill(ABSENT);
  const lastAdmittedWish = new Int32Array(P).fill(-1);
  for (let p = 0; p < P; p++) {
    if (quota[p] === 0) continue;
    if (filled(p)) {
      // the published cut-off: the published last place, with the score it was published with
      if (barWish[p]! >= 0) {
        cutoff[p] = barScore[p]!;
        lastAdmittedWish[p] = barWish[p]!;
      }
    } else if (subQuota[p]! > 0 && sr.admittedCount[p]! >= subQuota[p]!) {
      // its free places filled: the last admitted into them is where others were turned away
      cutoff[p] = wishScore[subLast[p]!]!;
      lastAdmittedWish[p] = subLast[p]!;
    } else {
      cutoff[p] = ci.minScore[p]!;
    }
  }
  // the check the plain run makes, against the cut-offs held to: every wish above a candidate's admission
  // that takes part lost to a cut-off at or above its score, so nobody above a cut-off is shown as not admitted
  for (let c = 0; c < C; c++) {
    const got = admittedWish[c]!;
    const upTo = got >= 0 ? got : wishStart[c + 1]!;
    for (let w = wishStart[c]!; w < upTo; w++) {
      if (!takesPart(w, c)) continue;
      const p = wishProgramme[w]!;
      if (cutoff[p] === ABSENT || wishScore[w]! > cutoff[p]!) throw new UnstableOutcomeError(`candidate ${ci.candidateIds[c]} is above the cut-off programme ${ci.programmeIds[p]} holds to and not admitted there`);
    }
  }
  let considered = 0;
  for (let c = 0; c < C; c++) for (let w = wishStart[c]!; w < wishStart[c + 1]!; w++) if (takesPart(w, c)) considered += 1;
  return {
    admittedWish,
    admittedCount,
    lastAdmittedWish,
    candidateOrder: candidateIdOrder(ci.candidateIds),
    stats: { candidates: C, wishes: wishProgramme.length, considered, proposals: sr.stats.proposals, turnedAway: sr.stats.turnedAway },
    outcome: { cutoff, lowest, algorithm: PROTECT_PUBLISHED_ALGORITHM },
    how,
  };
}

/** A programme's line of a published run, as a later run reads it. */
export interface PublishedProgrammeLine {
  programmeId: string;
  full: boolean;
  cutoff: number | null;
  /** the candidate id at its last place (lastPlaces), null when it turned nobody away or was not recorded */
  lastPlace: string | null;
}

/**
 * Each programme's last place, as a run records it for the run after it: the candidate index whose
 * admission marks where the programme turned applicants away (at its cut-off), or −1 when it turned nobody
 * away (it did not fill, or filled only with candidates it was made to keep).
 */
export function lastPlaces(ci: CompactAdmissionInput, r: CompactAdmissionResult): Int32Array {
  const out = new Int32Array(ci.programmeIds.length).fill(-1);
  for (let p = 0; p < out.length; p++) {
    const w = r.lastAdmittedWish[p]!;
    // a plain run's last admitted marks a place only when the programme filled; a held run sets it only where it holds a place
    if (w < 0 || ci.quota[p] === 0 || (!r.outcome && r.admittedCount[p]! < ci.quota[p]!)) continue;
    out[p] = upperCandidate(ci, w);
  }
  return out;
}

/**
 * The published result in a new input's indices, filled from the published run's stored lines: each
 * candidate's admitted programme id and score (`addCandidates`, batch by batch, so a national run never
 * holds them all) and whether each programme filled (`addProgrammes`). Candidates and
 * programmes the new input does not have are left out; those it has that the published run did not are
 * "not admitted" and "did not fill".
 */
export function publishedReader(ci: CompactAdmissionInput): {
  addCandidates(rows: Iterable<{ candidateId: string; programmeId: string | null; score: number | null }>): void;
  addProgrammes(rows: Iterable<PublishedProgrammeLine>): void;
  result: PublishedAdmissions;
} {
  const cIndex = new Map(ci.candidateIds.map((id, i) => [id, i]));
  const pIndex = new Map(ci.programmeIds.map((id, i) => [id, i]));
  const result: PublishedAdmissions = {
    programme: new Int32Array(ci.candidateIds.length).fill(-1),
    score: new Int32Array(ci.candidateIds.length),
    full: new Uint8Array(ci.programmeIds.length),
    lastPlace: new Int32Array(ci.programmeIds.length).fill(-1),
    cutoff: new Int32Array(ci.programmeIds.length).fill(ABSENT),
  };
  return {
    addCandidates(rows) {
      for (const x of rows) {
        const c = cIndex.get(x.candidateId);
        const p = x.programmeId === null ? undefined : pIndex.get(x.programmeId);
        if (c === undefined || p === undefined || x.score === null) continue;
        result.programme[c] = p;
        result.score[c] = x.score;
      }
    },
    addProgrammes(rows) {
      for (const x of rows) {
        const p = pIndex.get(x.programmeId);
        if (p === undefined) continue;
        result.full[p] = x.full ? 1 : 0;
        result.cutoff[p] = x.cutoff ?? ABSENT;
        result.lastPlace[p] = x.lastPlace === null ? -1 : (cIndex.get(x.lastPlace) ?? -1);
      }
    },
    result,
  };
}

/** publishedReader in one call, for lines already at hand. */
export function publishedIn(
  ci: CompactAdmissionInput,
  candidates: Iterable<{ candidateId: string; programmeId: string | null; score: number | null }>,
  programmes: Iterable<PublishedProgrammeLine>,
): PublishedAdmissions {
  const r = publishedReader(ci);
  r.addCandidates(candidates);
  r.addProgrammes(programmes);
  return r.result;
}

/** The published result of a compact run, as a later run reads it (for tests and small runs). */
export function publishedOf(ci: CompactAdmissionInput, r: CompactAdmissionResult): PublishedAdmissions {
  const C = ci.candidateIds.length;
  const programme = new Int32Array(C).fill(-1);
  const score = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const w = r.admittedWish[c]!;
    if (w < 0) continue;
    programme[c] = ci.wishProgramme[w]!;
    score[c] = ci.wishScore[w]!;
  }
  const full = Uint8Array.from(ci.programmeIds, (_, p) => (r.admittedCount[p]! >= ci.quota[p]! ? 1 : 0));
  const cutoff = Int32Array.from(ci.programmeIds, (_, p) => compactProgrammeOutcome(ci, r, p).cutoff ?? ABSENT);
  return { programme, score, full, lastPlace: lastPlaces(ci, r), cutoff };
}

// The admission run written to be read: student-proposing deferred acceptance (Gale–Shapley with quotas).
// In each round every candidate without a tentative place applies to their next wish that takes part;
// each programme keeps, among those it holds and the new applicants, whom its tie policy keeps within
// the quota, and turns the others away; the turned-away apply further down their list next round. When
// nobody is turned away, the tentative places are the admissions. The compact engine (compact.ts) does
// the same at national scale and is tested against this one.
import { describeOutcome, exclusionOf, programmeMap, applicantOf } from './outcome.ts';
import { selectWithinQuota, type Applicant } from './policy.ts';
import { assertValidAdmissionInput } from './validate.ts';
import type { AdmissionCandidate, AdmissionInput, AdmissionResult } from './types.ts';

/** The identity of the algorithm, written into the result's canonical header. */
export const ADMISSION_ALGORITHM = 'student-proposing-deferred-acceptance/1';

export interface MatchingRun {
  /** candidate id → admitted wish number */
  assignment: Map<string, number>;
  /** rounds of applications until nobody was turned away */
  rounds: number;
}

/** The stable matching best for every candidate (each gets the highest wish at which they rank within the quota). */
export function deferredAcceptance(input: AdmissionInput): MatchingRun {
  assertValidAdmissionInput(input);
  const programmes = programmeMap(input);
  // each candidate's wishes that take part, best first
  const lists = new Map<string, number[]>();
  for (const c of input.candidates) {
    lists.set(
      c.id,
      c.wishes.flatMap((w, i) => (exclusionOf(input, programmes.get(w.programme)!, i + 1, w) === null ? [i + 1] : [])),
    );
  }
  const next = new Map<string, number>(input.candidates.map((c) => [c.id, 0]));
  const held = new Map<string, Array<Applicant & { candidate: AdmissionCandidate }>>(input.programmes.map((p) => [p.id, []]));
  let free: AdmissionCandidate[] = [...input.candidates];
  let rounds = 0;
  while (free.length > 0) {
    const applying = new Map<string, Array<Applicant & { candidate: AdmissionCandidate }>>();
    for (const c of free) {
      const list = lists.get(c.id)!;
      const i = next.get(c.id)!;
      if (i >= list.length) continue; // no wish left: not admitted
      next.set(c.id, i + 1);
      const k = list[i]!;
      const pid = c.wishes[k - 1]!.programme;
      if (!applying.has(pid)) applying.set(pid, []);
      applying.get(pid)!.push({ ...applicantOf(c, k), candidate: c });
    }
    if (applying.size === 0) break;
    rounds += 1;
    free = [];
    for (const [pid, newcomers] of applying) {
      const p = programmes.get(pid)!;
      const pool = [...held.get(pid)!, ...newcomers];
      const kept = selectWithinQuota(p.tiePolicy, p.quota, pool);
      const keep = new Set(kept);
      for (const a of pool) if (!keep.has(a)) free.push(a.candidate);
      held.set(pid, kept);
    }
  }
  const assignment = new Map<string, number>();
  for (const list of held.values()) for (const a of list) assignment.set(a.candidateId, a.wish);
  return { assignment, rounds };
}

/** The admission run: deferred acceptance, then the cut-offs and every candidate's reasons. */
export function runAdmission(input: AdmissionInput): AdmissionResult {
  return describeOutcome(input, deferredAcceptance(input).assignment);
}

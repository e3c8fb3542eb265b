// A simulation of today's iterative virtual filtering (lọc ảo), to compare with the one-pass run:
// programmes publish provisional lists (whom they would admit among the applicants still in play), the
// central system keeps each candidate only on the list of the highest wish they appear on and withdraws
// their lower wishes, programmes recompute, and so on until a round withdraws nothing. This is
// programme-proposing deferred acceptance: it ends in a stable matching, the one best for the
// programmes, which can leave a candidate below the wish the one-pass run gives them
// (docs/admission-matching.md has the example).
import { exclusionOf, programmeMap, applicantOf } from './outcome.ts';
import { selectWithinQuota, type Applicant } from './policy.ts';
import { assertValidAdmissionInput } from './validate.ts';
import type { AdmissionInput } from './types.ts';

export interface VirtualFilteringRun {
  /** candidate id → admitted wish number */
  assignment: Map<string, number>;
  /** provisional lists published, the last being the one that changed nothing */
  rounds: number;
  /** wishes withdrawn after each round */
  withdrawn: number[];
}

export function virtualFiltering(input: AdmissionInput): VirtualFilteringRun {
  assertValidAdmissionInput(input);
  const programmes = programmeMap(input);
  // each candidate's wishes still in play (numbers), best first
  const inPlay = new Map(
    input.candidates.map((c) => [c, c.wishes.flatMap((w, i) => (exclusionOf(input, programmes.get(w.programme)!, i + 1, w) === null ? [i + 1] : []))]),
  );
  const withdrawn: number[] = [];
  for (;;) {
    const applicants = new Map<string, Applicant[]>(input.programmes.map((p) => [p.id, []]));
    for (const [c, wishes] of inPlay) for (const k of wishes) applicants.get(c.wishes[k - 1]!.programme)!.push(applicantOf(c, k));
    // the highest wish on whose provisional list each candidate appears
    const best = new Map<string, number>();
    for (const p of input.programmes) {
      for (const a of selectWithinQuota(p.tiePolicy, p.quota, applicants.get(p.id)!)) {
        const b = best.get(a.candidateId);
        if (b === undefined || a.wish < b) best.set(a.candidateId, a.wish);
      }
    }
    let dropped = 0;
    for (const [c, wishes] of inPlay) {
      const b = best.get(c.id);
      if (b === undefined) continue;
      const kept = wishes.filter((k) => k <= b);
      dropped += wishes.length - kept.length;
      inPlay.set(c, kept);
    }
    withdrawn.push(dropped);
    if (dropped === 0) return { assignment: best, rounds: withdrawn.length, withdrawn };
  }
}

// Checks any matching against the definition of stability, straight from the tie policies' choice:
// programme p "takes" candidate c over its admitted set A when c is among whom p keeps from A ∪ {c}.
// The tests hold every run to it; an auditor can hold a published result to it (from the result's
// admitted wishes alone).
import { exclusionOf, programmeMap, applicantOf, type Assignment } from './outcome.ts';
import { selectWithinQuota, type Applicant } from './policy.ts';
import type { AdmissionInput, AdmissionResult } from './types.ts';

export interface BlockingPair {
  candidate: string;
  wish: number;
  programme: string;
}

export function assignmentOf(result: AdmissionResult): Map<string, number> {
  return new Map(result.candidates.flatMap((c) => (c.admitted ? [[c.id, c.admitted.wish] as const] : [])));
}

function admittedSets(input: AdmissionInput, assignment: Assignment): Map<string, Applicant[]> {
  const sets = new Map<string, Applicant[]>(input.programmes.map((p) => [p.id, []]));
  for (const c of input.candidates) {
    const k = assignment.get(c.id);
    if (k !== undefined) sets.get(c.wishes[k - 1]!.programme)!.push(applicantOf(c, k));
  }
  return sets;
}

/** Pairs of a candidate and a programme they ranked above their admission that would take them. */
export function blockingPairs(input: AdmissionInput, assignment: Assignment): BlockingPair[] {
  const programmes = programmeMap(input);
  const sets = admittedSets(input, assignment);
  const out: BlockingPair[] = [];
  for (const c of input.candidates) {
    const upTo = assignment.get(c.id) ?? c.wishes.length + 1;
    for (let k = 1; k < upTo; k++) {
      const p = programmes.get(c.wishes[k - 1]!.programme)!;
      if (exclusionOf(input, p, k, c.wishes[k - 1]!) !== null) continue;
      const me = applicantOf(c, k);
      if (selectWithinQuota(p.tiePolicy, p.quota, [...sets.get(p.id)!, me]).includes(me)) out.push({ candidate: c.id, wish: k, programme: p.id });
    }
  }
  return out;
}

/**
 * Programmes that would not keep everyone admitted to them (more than the quota beyond the last tie
 * group), and admissions at wishes that take no part in the run.
 */
export function admissionViolations(input: AdmissionInput, assignment: Assignment): string[] {
  const programmes = programmeMap(input);
  const out: string[] = [];
  for (const c of input.candidates) {
    const k = assignment.get(c.id);
    if (k === undefined) continue;
    const w = c.wishes[k - 1];
    const p = w && programmes.get(w.programme);
    if (!w || !p || exclusionOf(input, p, k, w) !== null) out.push(`candidate ${c.id} admitted at wish ${k}, which takes no part`);
  }
  for (const [pid, set] of admittedSets(input, assignment)) {
    const p = programmes.get(pid)!;
    if (selectWithinQuota(p.tiePolicy, p.quota, set).length !== set.length) out.push(`programme ${pid} admits ${set.length} for ${p.quota} places`);
  }
  return out;
}

export const isStable = (input: AdmissionInput, assignment: Assignment): boolean =>
  blockingPairs(input, assignment).length === 0 && admissionViolations(input, assignment).length === 0;

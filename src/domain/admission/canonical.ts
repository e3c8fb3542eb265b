// The canonical serialisation of a run's input and result: UTF-8 JSON lines, one per programme and one per
// candidate, each sorted by id (code-unit order) with fields in a fixed order, so the same run gives the
// same bytes whatever order its rows were read in. Its SHA-256 (src/server/admission/run-hash.ts) names
// the run; anyone holding the files can recompute it with `sha256sum`. docs/admission-matching.md
// specifies the format.
import { compareIds } from './policy.ts';
import type { AdmissionCandidate, AdmissionInput, AdmissionProgramme, AdmissionResult, CandidateOutcome, ProgrammeOutcome, TieCriterion, TieDecider } from './types.ts';

export const INPUT_FORMAT = 'ghidanh-admission-input';
export const RESULT_FORMAT = 'ghidanh-admission-result';
export const CANONICAL_VERSION = 1;

/** Receives the serialisation piece by piece (a national run is hundreds of megabytes: never one string). */
export type Sink = (chunk: string) => void;

const criterion = (c: TieCriterion): string[] => (c.by === 'wish-order' ? ['wish-order'] : ['value', c.key]);
const decider = (d: TieDecider | undefined): string[] | null => (d === undefined ? null : d.by === 'value' ? ['value', d.key] : [d.by]);

/**
 * A run that follows a published run names its policy and, under protect-published, the published result
 * it protects (that result's SHA-256: its admissions and cut-offs are part of what the run decides from).
 * Absent from a first run's header, whose bytes stay as they were.
 */
export interface FollowsPublished {
  policy: 'protect-published' | 'recompute';
  /** the published result's SHA-256 */
  published: string;
}

export function inputHeaderLine(teacherTrainingWishCap: number | null, follows?: FollowsPublished): string {
  const head: Record<string, unknown> = { format: INPUT_FORMAT, version: CANONICAL_VERSION, teacherTrainingWishCap };
  if (follows) head['follows'] = { policy: follows.policy, published: follows.published };
  return JSON.stringify(head) + '\n';
}

export function programmeLine(p: AdmissionProgramme): string {
  return JSON.stringify(['P', p.id, p.quota, p.teacherTraining ? 1 : 0, p.minScore ?? null, p.tiePolicy.kind, (p.tiePolicy.criteria ?? []).map(criterion)]) + '\n';
}

export function candidateLine(c: AdmissionCandidate): string {
  const wishes = c.wishes.map((w) => {
    const tie = w.tieBreak ? Object.keys(w.tieBreak).sort(compareIds).flatMap((k) => [k, w.tieBreak![k]]) : [];
    return [w.programme, w.score, w.excluded ?? null, tie];
  });
  return JSON.stringify(['C', c.id, wishes]) + '\n';
}

export function writeCanonicalInput(input: AdmissionInput, sink: Sink, follows?: FollowsPublished): void {
  sink(inputHeaderLine(input.teacherTrainingWishCap, follows));
  for (const p of [...input.programmes].sort((a, b) => compareIds(a.id, b.id))) sink(programmeLine(p));
  for (const c of [...input.candidates].sort((a, b) => compareIds(a.id, b.id))) sink(candidateLine(c));
}

export function resultHeaderLine(algorithm: string, inputHash: string): string {
  return JSON.stringify({ format: RESULT_FORMAT, version: CANONICAL_VERSION, algorithm, input: inputHash }) + '\n';
}

export function programmeOutcomeLine(o: ProgrammeOutcome): string {
  return JSON.stringify(['P', o.id, o.quota, o.admitted, o.full ? 1 : 0, o.cutoff, o.lowestAdmittedScore]) + '\n';
}

export function candidateOutcomeLine(o: CandidateOutcome): string {
  const a = o.admitted;
  const reasons = o.notObtained.map((n) => [n.wish, n.programme, n.reason, n.score, n.cutoff, decider(n.decidedBy)]);
  return JSON.stringify(['C', o.id, a?.wish ?? null, a?.programme ?? null, a?.score ?? null, reasons]) + '\n';
}

/** The result, bound to its input by the input's hash and to the algorithm by its name. */
export function writeCanonicalResult(result: AdmissionResult, algorithm: string, inputHash: string, sink: Sink): void {
  sink(resultHeaderLine(algorithm, inputHash));
  // the result's lists are sorted already when it comes from describeOutcome; sorting again costs little and keeps the promise for any caller
  for (const p of [...result.programmes].sort((a, b) => compareIds(a.id, b.id))) sink(programmeOutcomeLine(p));
  for (const c of [...result.candidates].sort((a, b) => compareIds(a.id, b.id))) sink(candidateOutcomeLine(c));
}

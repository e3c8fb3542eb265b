// From a matching (who is admitted where) to the published result: each programme's cut-off and, for
// every wish a candidate ranked above the one obtained, the reason it was not obtained. Building the
// reasons checks the matching is stable: a reason that cannot be stated (a candidate above a cut-off
// shown as failed, as happened in 2025) stops the run instead of being published.
import { compareApplicants, compareIds, decidingStep, tiedUnder, type Applicant } from './policy.ts';
import type { AdmissionCandidate, AdmissionInput, AdmissionProgramme, AdmissionResult, AdmissionWish, CandidateOutcome, NotObtained, ProgrammeOutcome, WishExclusion } from './types.ts';

/** A matching: candidate id → the number of the wish they are admitted at (absent: not admitted). */
export type Assignment = ReadonlyMap<string, number>;

export class UnstableOutcomeError extends Error {
  constructor(message: string) {
    super(`the matching is not stable: ${message}`);
    this.name = 'UnstableOutcomeError';
  }
}

/** Why a wish takes no part in the run at all, or null when it does. */
export function exclusionOf(input: Pick<AdmissionInput, 'teacherTrainingWishCap'>, programme: AdmissionProgramme, wishNumber: number, wish: AdmissionWish): WishExclusion | 'teacher-training-position' | null {
  if (wish.excluded) return wish.excluded;
  if (programme.teacherTraining && input.teacherTrainingWishCap !== null && wishNumber > input.teacherTrainingWishCap) return 'teacher-training-position';
  return null;
}

export const applicantOf = (c: AdmissionCandidate, wishNumber: number): Applicant => {
  const w = c.wishes[wishNumber - 1]!;
  return { candidateId: c.id, wish: wishNumber, score: w.score, tieBreak: w.tieBreak };
};

export function programmeMap(input: AdmissionInput): Map<string, AdmissionProgramme> {
  return new Map(input.programmes.map((p) => [p.id, p]));
}

/** The result of a matching over a valid input; throws UnstableOutcomeError when the matching is not stable. */
export function describeOutcome(input: AdmissionInput, assignment: Assignment): AdmissionResult {
  const programmes = programmeMap(input);
  const admittedAt = new Map<string, Applicant[]>(input.programmes.map((p) => [p.id, []]));
  for (const c of input.candidates) {
    const n = assignment.get(c.id);
    if (n === undefined) continue;
    const w = c.wishes[n - 1];
    const p = w && programmes.get(w.programme);
    if (!w || !p || exclusionOf(input, p, n, w) !== null) throw new UnstableOutcomeError(`candidate ${c.id} is admitted at wish ${n}, which takes no part in the run`);
    admittedAt.get(p.id)!.push(applicantOf(c, n));
  }

  const outcomes = new Map<string, ProgrammeOutcome & { last: Applicant | undefined }>();
  for (const p of input.programmes) {
    const list = admittedAt.get(p.id)!.sort((a, b) => compareApplicants(p.tiePolicy, a, b));
    const last = list[list.length - 1];
    // the quota holds, or is exceeded only by the tie group at the last place
    if (list.length > p.quota) {
      const beforeGroup = list.filter((a) => !tiedUnder(p.tiePolicy, a, last!)).length;
      if (p.tiePolicy.kind === 'break-by-rule' || p.quota === 0 || beforeGroup >= p.quota) {
        throw new UnstableOutcomeError(`programme ${p.id} admits ${list.length} for ${p.quota} places beyond what its tie policy allows`);
      }
    }
    const full = list.length >= p.quota;
    const lowest = last ? last.score : null;
    const cutoff = p.quota === 0 ? null : full ? lowest : (p.minScore ?? null);
    outcomes.set(p.id, { id: p.id, quota: p.quota, admitted: list.length, full, cutoff, lowestAdmittedScore: lowest, last });
  }

  const candidates: CandidateOutcome[] = [...input.candidates].sort((a, b) => compareIds(a.id, b.id)).map((c) => {
    const n = assignment.get(c.id);
    const upTo = n ?? c.wishes.length + 1;
    const notObtained: NotObtained[] = [];
    for (let k = 1; k < upTo; k++) {
      const w = c.wishes[k - 1]!;
      const p = programmes.get(w.programme)!;
      const o = outcomes.get(p.id)!;
      const base = { wish: k, programme: p.id, score: w.score, cutoff: o.cutoff };
      const excluded = exclusionOf(input, p, k, w);
      if (excluded) {
        notObtained.push({ ...base, reason: excluded });
        continue;
      }
      if (p.quota === 0) {
        notObtained.push({ ...base, reason: 'no-places' });
        continue;
      }
      // stability: the candidate prefers this programme, so it must have filled with applicants all
      // ranked strictly before them
      const me = applicantOf(c, k);
      if (!o.full || !o.last || compareApplicants(p.tiePolicy, me, o.last) < 0 || tiedUnder(p.tiePolicy, me, o.last)) {
        throw new UnstableOutcomeError(`candidate ${c.id} and programme ${p.id} (wish ${k}) would both prefer each other`);
      }
      if (w.score < o.cutoff!) notObtained.push({ ...base, reason: 'below-cutoff' });
      else notObtained.push({ ...base, reason: 'tie-break', decidedBy: decidingStep(p.tiePolicy, me, o.last)! });
    }
    const admitted = n === undefined ? null : { wish: n, programme: c.wishes[n - 1]!.programme, score: c.wishes[n - 1]!.score };
    return { id: c.id, admitted, notObtained };
  });

  const programmeOutcomes = [...outcomes.values()].sort((a, b) => compareIds(a.id, b.id)).map(({ last: _last, ...o }) => o);
  return { programmes: programmeOutcomes, candidates };
}

// The input and output of one national admission run (xét tuyển), as plain data. The tables of the
// registration side (institutions, programmes, wishes, fees, admission scores) feed `AdmissionInput`;
// the run returns `AdmissionResult`. Everything here is JSON-safe and has one canonical serialisation
// (canonical.ts), so a run is identified by the hash of its input and audited by the hash of its output.

/**
 * A score in hundredths of a point (26.75 → 2675), always an integer: two candidates with the same
 * published score compare equal, which floating-point sums of weighted subjects would not guarantee.
 */
export type Hundredths = number;

/**
 * One step of a programme's tie-break rule, applied when admission scores are equal.
 * - `value`: a named value every wish to the programme carries in `tieBreak` (e.g. `math`: the Math
 *   score in hundredths, as some institutions rank ties "Toán trước"); the higher value ranks first.
 * - `wish-order`: the wish number the candidate gave this programme; the lower number ranks first
 *   (Circular 08/2022 Art. 20(3)(c): ties may be ranked by wish order).
 */
export type TieCriterion = { by: 'value'; key: string } | { by: 'wish-order' };

/**
 * How a programme treats candidates tied at its last place (policy.ts has the two as named functions).
 * - `admit-all-tied` ("xét tuyển hết thí sinh bằng điểm ở cuối danh sách"): candidates are ranked by
 *   score, then by the optional criteria; those still equal on all of them form a tie group, and when
 *   the quota ends inside a tie group the whole group is admitted, so the quota may be exceeded by that
 *   group alone.
 * - `break-by-rule`: score, then each criterion in order, then the final key (the candidate id in
 *   code-unit order, so the result never depends on the order rows were read); the quota is never
 *   exceeded.
 */
export type TiePolicy = { kind: 'admit-all-tied'; criteria?: TieCriterion[] } | { kind: 'break-by-rule'; criteria: TieCriterion[] };

/** A programme-method (ngành × phương thức): the unit that has a quota and ranks its applicants. */
export interface AdmissionProgramme {
  /** stable id, e.g. `QHI-7480201-100` (institution, programme code, method) */
  id: string;
  /** places (chỉ tiêu) for this method; 0 admits nobody */
  quota: number;
  tiePolicy: TiePolicy;
  /** teacher-training programmes consider only the first wishes (2026: 1–5); see `teacherTrainingWishCap` */
  teacherTraining?: boolean;
  /**
   * the published floor (ngưỡng đầu vào), in hundredths. Eligibility (the floor, the combination's
   * subjects) is decided before the run and arrives as `excluded: 'ineligible'`; the floor is here only
   * to be the cut-off of a programme that does not fill.
   */
  minScore?: Hundredths;
}

/** Why a wish takes no part in the run; the registration side decides it. */
export type WishExclusion = 'unpaid' | 'ineligible';

/** One wish (nguyện vọng) of a candidate; its number is its position in the candidate's list (1 first). */
export interface AdmissionWish {
  /** the programme-method id */
  programme: string;
  /** the candidate's admission score for this programme-method (combination, method, priority), in hundredths */
  score: Hundredths;
  /** the named values the programme's tie-break rule reads (integers, e.g. `{ math: 850 }`) */
  tieBreak?: Record<string, number>;
  /** left out of the run, with the reason the candidate is told */
  excluded?: WishExclusion;
}

export interface AdmissionCandidate {
  /** stable id (not a personal number: the run's files and hashes are shared with institutions) */
  id: string;
  /** in the candidate's order, wish 1 first; every wish stays listed so that wish numbers keep their meaning */
  wishes: AdmissionWish[];
}

export interface AdmissionInput {
  programmes: AdmissionProgramme[];
  candidates: AdmissionCandidate[];
  /** teacher-training programmes consider only wishes numbered up to this (2026: 5); null: no cap */
  teacherTrainingWishCap: number | null;
}

// ---- The result ----

/**
 * Why a wish above the one obtained (or any wish, for a candidate admitted nowhere) was not obtained.
 * - `below-cutoff`: the programme filled and the candidate's score is below its cut-off.
 * - `tie-break`: the score equals the cut-off and the programme's tie rule ranked the candidate after its
 *   last admitted candidate (`decidedBy` says on which step).
 * - `no-places`: the programme has no places for this method.
 * - `teacher-training-position`: a teacher-training programme placed beyond the wish cap.
 * - `unpaid`, `ineligible`: excluded before the run.
 */
export type NotObtainedReason = 'below-cutoff' | 'tie-break' | 'no-places' | 'teacher-training-position' | WishExclusion;

/** The tie-break step that ranked a candidate after the programme's last admitted one. */
export type TieDecider = { by: 'value'; key: string } | { by: 'wish-order' } | { by: 'candidate-id' };

export interface NotObtained {
  wish: number;
  programme: string;
  reason: NotObtainedReason;
  /** the candidate's score for that programme */
  score: Hundredths;
  /** the programme's cut-off (null when it has none: see ProgrammeOutcome.cutoff) */
  cutoff: Hundredths | null;
  /** for `tie-break` only */
  decidedBy?: TieDecider;
}

export interface CandidateOutcome {
  id: string;
  /** the one admission, or null */
  admitted: { wish: number; programme: string; score: Hundredths } | null;
  /** every wish numbered above the admitted one (all wishes when not admitted), in wish order */
  notObtained: NotObtained[];
}

export interface ProgrammeOutcome {
  id: string;
  quota: number;
  /** candidates admitted; above the quota only by an admitted tie group (admit-all-tied) */
  admitted: number;
  /** admitted ≥ quota: the programme turned applicants away, or could have */
  full: boolean;
  /**
   * The cut-off (điểm chuẩn). A full programme: the lowest admitted score; every applicant above it who
   * reached this wish was admitted, and one equal to it was decided by the tie rule. A programme that did
   * not fill turned nobody away: its floor (`minScore`), or null when it has none. Quota 0: null.
   */
  cutoff: Hundredths | null;
  /** the lowest score admitted, null when nobody was */
  lowestAdmittedScore: Hundredths | null;
}

export interface AdmissionResult {
  /** sorted by id */
  programmes: ProgrammeOutcome[];
  /** sorted by id */
  candidates: CandidateOutcome[];
}

// A candidate's list of admission wishes (nguyện vọng) as a whole: when it may change (the year's window,
// closing 17:00 local), and what makes a list invalid before any programme is looked at (the same
// programme twice, more wishes than the year's cap). Each wish's own eligibility is checkWish
// (admission-score.ts). Pure: the browser runs the same checks while the candidate edits the list.
import { error, type Finding } from './messages.ts';
import {
  checkTeacherTrainingPosition,
  checkWish,
  checkWishCount,
  combinationFor,
  type AdmissionRules,
  type Combination,
  type ExamScores,
  type PriorityStanding,
  type ProgrammeScoring,
  type ScoringMethod,
} from './admission-score.ts';
import type { PriorityTable } from './priority-object.ts';
import { foldDiacritics } from './names.ts';

export type AdmissionWindowState = 'not_open' | 'open' | 'closed';

/** Where `now` is against the window (ISO instants; the close itself is already closed). */
export function admissionWindowState(window: { opensAt: string; closesAt: string } | null | undefined, now: Date): AdmissionWindowState {
  if (!window) return 'not_open';
  const t = now.getTime();
  if (t < Date.parse(window.opensAt)) return 'not_open';
  return t < Date.parse(window.closesAt) ? 'open' : 'closed';
}

/** The key a programme's name or code is searched by: lower case, diacritics folded (đ → d), spaces single. */
export function searchKey(text: string): string {
  return foldDiacritics(text.normalize('NFC')).toLowerCase().trim();
}

/** Duplicates and the cap, naming the position (wishes.N, 1-based) of each repeated programme. */
export function checkWishList(programmeIds: readonly string[], rules: Pick<AdmissionRules, 'wishCap'>): Finding[] {
  const out: Finding[] = [...checkWishCount(programmeIds.length, rules)];
  const seen = new Map<string, number>();
  programmeIds.forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined) {
      out.push(
        error('WISH_DUPLICATE', `wishes.${i + 1}`, `Nguyện vọng ${i + 1} trùng với nguyện vọng ${first}.`, `Wish ${i + 1} repeats wish ${first}.`, { position: i + 1, first }),
      );
    } else seen.set(id, i + 1);
  });
  return out;
}

/** A programme as a wish list shows it: what its eligibility depends on. */
export interface ListedProgramme {
  combinations: ReadonlyArray<{ code: string; weights?: Readonly<Record<string, number>> | undefined }>;
  scoring: ScoringMethod;
  minScore: number | null;
  teacherTraining: boolean;
}

/** What every wish of one candidate is checked against: the year's rules, their published marks and the reference tables. */
export interface EligibilityInput {
  rules: AdmissionRules;
  /** the candidate's published exam scores; null while there are none */
  exam: ExamScores | null;
  /** the combinations' reference (reference/combinations.json) */
  combinations: readonly Combination[];
  /** the year's priority table; null when none is published */
  priority: PriorityTable | null;
  standing: PriorityStanding;
  admissionYear: number;
}

export interface WishEligibility {
  /** 'no_results': no published marks yet (kept, checked when they exist) and nothing else against it */
  eligibility: 'eligible' | 'ineligible' | 'no_results';
  score: number | null;
  reasons: Finding[];
}

/**
 * One wish's eligibility at `position` (1-based) on the chosen combination (all the programme's when it
 * names none it has): checkWish once marks exist; before that, the position rules alone (a
 * teacher-training programme beyond the year's positions is refused whatever the marks). The server
 * answers with it and the wishes page runs it on every change, so both say the same.
 */
export function wishEligibility(p: ListedProgramme, combination: string | null, position: number, input: EligibilityInput): WishEligibility {
  const field = `wishes.${position}`;
  if (!input.exam || !input.priority) {
    const reasons = checkTeacherTrainingPosition(position, p.teacherTraining, input.rules, field);
    return { eligibility: reasons.length ? 'ineligible' : 'no_results', score: null, reasons };
  }
  const chosen = p.combinations.filter((c) => c.code === combination);
  const scorings: ProgrammeScoring[] = (chosen.length ? chosen : p.combinations).flatMap((c) => {
    const found = combinationFor({ combinations: [...input.combinations] }, c.code);
    return found ? [{ combination: found, method: p.scoring, ...(c.weights ? { weights: c.weights } : {}) }] : [];
  });
  const r = checkWish({ scorings, minimum: p.minScore, teacherTraining: p.teacherTraining }, position, input.exam, { table: input.priority, standing: input.standing, admissionYear: input.admissionYear }, input.rules, { field });
  return { eligibility: r.eligible ? 'eligible' : 'ineligible', score: r.best?.score ?? null, reasons: r.findings };
}

/** One combination of a programme for a wish: its eligibility and score on it. */
export interface CombinationOption {
  code: string;
  eligibility: WishEligibility['eligibility'];
  score: number | null;
}

/** Each of the programme's combinations for the wish at `position`, in the programme's order. */
export function combinationOptions(p: ListedProgramme, position: number, input: EligibilityInput): CombinationOption[] {
  return p.combinations.map((c) => {
    const e = wishEligibility(p, c.code, position, input);
    return { code: c.code, eligibility: e.eligibility, score: e.score };
  });
}

/**
 * The combination a wish takes when the candidate names none: the highest score among those they are
 * eligible on, else the highest score, else the programme's first (no results yet: nothing to compare).
 */
export function bestCombination(p: ListedProgramme, position: number, input: EligibilityInput): string {
  const options = combinationOptions(p, position, input);
  let best: CombinationOption | undefined;
  for (const o of options) {
    if (!best) best = o;
    else {
      const rank = (x: CombinationOption) => (x.eligibility === 'eligible' ? 1 : 0);
      if (rank(o) > rank(best) || (rank(o) === rank(best) && (o.score ?? -Infinity) > (best.score ?? -Infinity))) best = o;
    }
  }
  return best?.code ?? '';
}

// How one programme ranks its applicants and whom it keeps within its quota: the two tie policies as
// named functions. The readable run, the virtual-filtering simulation and the audit all choose through
// `selectWithinQuota`; the compact engine encodes the same order in integer positions and is tested
// against it.
import type { Hundredths, TieCriterion, TieDecider, TiePolicy } from './types.ts';

/** One applicant as a programme sees it: a candidate's wish to it. */
export interface Applicant {
  candidateId: string;
  /** the wish number the candidate gave this programme */
  wish: number;
  score: Hundredths;
  tieBreak?: Record<string, number> | undefined;
}

export function criteriaOf(policy: TiePolicy): readonly TieCriterion[] {
  return policy.criteria ?? [];
}

/** a's value on a criterion, oriented so that higher ranks first */
function criterionValue(c: TieCriterion, a: Applicant): number {
  // validation guarantees the value is present on every wish that takes part
  return c.by === 'wish-order' ? -a.wish : (a.tieBreak?.[c.key] ?? 0);
}

/** The final key: candidate ids in UTF-16 code-unit order (JavaScript's `<`), the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The programme's order of its applicants (negative: `a` ranks before `b`): higher score first, then each
 * criterion of the rule, then the candidate id. Under `admit-all-tied` the id only fixes the order in which
 * a tie group is listed, never who is admitted.
 */
export function compareApplicants(policy: TiePolicy, a: Applicant, b: Applicant): number {
  if (a.score !== b.score) return b.score - a.score;
  for (const c of criteriaOf(policy)) {
    const d = criterionValue(c, b) - criterionValue(c, a);
    if (d !== 0) return d;
  }
  return compareIds(a.candidateId, b.candidateId);
}

/** Whether two applicants are tied under the policy, i.e. belong to one tie group. Under `break-by-rule` nobody ties with anybody else. */
export function tiedUnder(policy: TiePolicy, a: Applicant, b: Applicant): boolean {
  if (policy.kind === 'break-by-rule') return a.candidateId === b.candidateId;
  if (a.score !== b.score) return false;
  return criteriaOf(policy).every((c) => criterionValue(c, a) === criterionValue(c, b));
}

/** The step on which `after` ranks after `before` when their scores are equal (for the reason a candidate is given). */
export function decidingStep(policy: TiePolicy, after: Applicant, before: Applicant): TieDecider | undefined {
  if (after.score !== before.score) return undefined;
  for (const c of criteriaOf(policy)) {
    if (criterionValue(c, after) !== criterionValue(c, before)) return c.by === 'wish-order' ? { by: 'wish-order' } : { by: 'value', key: c.key };
  }
  return policy.kind === 'break-by-rule' ? { by: 'candidate-id' } : undefined;
}

/**
 * "Admit all tied at the last place": the first `quota` applicants of the ranked list, and with them
 * every applicant tied with the last of those. The quota is exceeded only by that tie group; a quota of
 * 0 admits nobody (there is no last place to be tied with).
 */
export function admitAllTiedAtLastPlace<A extends Applicant>(ranked: readonly A[], quota: number, tied: (a: A, b: A) => boolean): A[] {
  if (quota <= 0 || ranked.length === 0) return [];
  let n = Math.min(quota, ranked.length);
  while (n < ranked.length && tied(ranked[n - 1]!, ranked[n]!)) n += 1;
  return ranked.slice(0, n);
}

/** "Break by rule": the first `quota` applicants of the list ranked by score, the rule's criteria and the final key. */
export function breakByRule<A extends Applicant>(ranked: readonly A[], quota: number): A[] {
  return ranked.slice(0, Math.max(0, quota));
}

/** Whom the programme keeps among `applicants` (any order), ranked best first. */
export function selectWithinQuota<A extends Applicant>(policy: TiePolicy, quota: number, applicants: readonly A[]): A[] {
  const ranked = [...applicants].sort((a, b) => compareApplicants(policy, a, b));
  return policy.kind === 'admit-all-tied' ? admitAllTiedAtLastPlace(ranked, quota, (a, b) => tiedUnder(policy, a, b)) : breakByRule(ranked, quota);
}

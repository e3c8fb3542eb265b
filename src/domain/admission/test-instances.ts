// For the tests only: generated admission instances (fast-check arbitraries) and the brute force that lists
// every stable matching of a small instance. Nothing outside the tests imports this file.
import fc from 'fast-check';
import { isStable } from './audit.ts';
import { exclusionOf, programmeMap } from './outcome.ts';
import type { AdmissionInput, AdmissionProgramme, AdmissionWish, TiePolicy } from './types.ts';

export const POLICIES: readonly TiePolicy[] = [
  { kind: 'admit-all-tied' },
  { kind: 'admit-all-tied', criteria: [{ by: 'value', key: 'math' }] },
  { kind: 'admit-all-tied', criteria: [{ by: 'wish-order' }] },
  { kind: 'break-by-rule', criteria: [] },
  { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'math' }, { by: 'wish-order' }] },
  { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }] },
];

export interface InstanceShape {
  maxProgrammes: number;
  maxCandidates: number;
  maxQuota: number;
  /** distinct score levels (few levels: many ties) */
  scoreLevels: number;
  /**
   * one score per candidate for every programme (as when every programme ranks by the same exam total),
   * instead of a score per wish
   */
  commonScore?: boolean;
  /** only these policies */
  policies?: readonly TiePolicy[];
  /** one policy (drawn per instance) for every programme */
  samePolicy?: boolean;
  /** leave exclusions and the teacher-training cap out */
  plain?: boolean;
}

export function admissionInput(shape: InstanceShape): fc.Arbitrary<AdmissionInput> {
  const policies = shape.policies ?? POLICIES;
  const programme = fc.record({
    quota: fc.integer({ min: 0, max: shape.maxQuota }),
    policy: fc.constantFrom(...policies),
    teacherTraining: shape.plain ? fc.constant(false) : fc.boolean(),
    minScore: fc.option(fc.integer({ min: 0, max: shape.scoreLevels }).map((s) => s * 100), { nil: undefined }),
  });
  return fc
    .record({
      programmes: fc.array(programme, { minLength: 1, maxLength: shape.maxProgrammes }),
      cap: shape.plain ? fc.constant(null) : fc.constantFrom(null, 1, 2),
      shared: fc.constantFrom(...policies),
      ids: fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: shape.maxCandidates }),
    })
    .chain(({ programmes, cap, ids, shared }) => {
      const pids = programmes.map((_, i) => `p${i}`);
      const wish = fc.record({
        score: fc.integer({ min: 0, max: shape.scoreLevels - 1 }).map((s) => s * 100),
        excluded: shape.plain ? fc.constant(undefined) : fc.constantFrom(undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'unpaid' as const, 'ineligible' as const),
      });
      const candidate = fc.record({
        order: fc.shuffledSubarray(pids),
        wishes: fc.array(wish, { minLength: pids.length, maxLength: pids.length }),
        score: fc.integer({ min: 0, max: shape.scoreLevels - 1 }).map((s) => s * 100),
        math: fc.integer({ min: 0, max: 2 }).map((s) => s * 100),
      });
      return fc.array(candidate, { minLength: ids.length, maxLength: ids.length }).map((cs): AdmissionInput => ({
        teacherTrainingWishCap: cap,
        programmes: programmes.map(
          (p, i): AdmissionProgramme => ({
            id: pids[i]!,
            quota: p.quota,
            tiePolicy: shape.samePolicy ? shared : p.policy,
            ...(p.teacherTraining ? { teacherTraining: true } : {}),
            ...(p.minScore !== undefined ? { minScore: p.minScore } : {}),
          }),
        ),
        candidates: cs.map((c, i) => ({
          id: `c${ids[i]}`,
          wishes: c.order.map((pid, k): AdmissionWish => {
            const w = c.wishes[k]!;
            return { programme: pid, score: shape.commonScore ? c.score : w.score, tieBreak: { math: c.math }, ...(w.excluded ? { excluded: w.excluded } : {}) };
          }),
        })),
      }));
    });
}

/** Every stable matching of a small instance (undefined when there are more than `limit` matchings to try). */
export function allStableMatchings(input: AdmissionInput, limit = 50_000): Array<Map<string, number>> | undefined {
  const programmes = programmeMap(input);
  const options = input.candidates.map((c) => [
    undefined,
    ...c.wishes.flatMap((w, i) => (exclusionOf(input, programmes.get(w.programme)!, i + 1, w) === null ? [i + 1] : [])),
  ]);
  if (options.reduce((n, o) => n * o.length, 1) > limit) return undefined;
  const out: Array<Map<string, number>> = [];
  const current = new Map<string, number>();
  const walk = (i: number): void => {
    if (i === input.candidates.length) {
      if (isStable(input, current)) out.push(new Map(current));
      return;
    }
    const id = input.candidates[i]!.id;
    for (const k of options[i]!) {
      if (k === undefined) current.delete(id);
      else current.set(id, k);
      walk(i + 1);
    }
    current.delete(id);
  };
  walk(0);
  return out;
}

/** Wish number as a rank (not admitted: after every wish). */
export const rankOf = (a: ReadonlyMap<string, number>, id: string): number => a.get(id) ?? Infinity;

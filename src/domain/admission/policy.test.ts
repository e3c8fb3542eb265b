import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { admitAllTiedAtLastPlace, breakByRule, compareApplicants, decidingStep, selectWithinQuota, tiedUnder, type Applicant } from './policy.ts';
import type { TiePolicy } from './types.ts';

const a = (candidateId: string, score: number, math = 0, wish = 1): Applicant => ({ candidateId, wish, score, tieBreak: { math } });
const ids = (list: Applicant[]) => list.map((x) => x.candidateId);

const ALL: TiePolicy = { kind: 'admit-all-tied' };
const MATH_THEN_WISH: TiePolicy = { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'math' }, { by: 'wish-order' }] };

test('ranking: higher score first, then the rule in order (higher Math, then lower wish number), then the candidate id', () => {
  const list = [a('e', 2400, 800, 2), a('a', 2500), a('d', 2400, 900, 3), a('c', 2400, 800, 1), a('b', 2400, 800, 2)];
  assert.deepEqual(ids([...list].sort((x, y) => compareApplicants(MATH_THEN_WISH, x, y))), ['a', 'd', 'c', 'b', 'e']);
});

test('admit all tied at the last place: the whole tie group at the quota is admitted, and only it exceeds the quota', () => {
  const ranked = [a('a', 2500), a('b', 2400), a('c', 2400), a('d', 2400), a('e', 2300)];
  const tied = (x: Applicant, y: Applicant) => tiedUnder(ALL, x, y);
  assert.deepEqual(ids(admitAllTiedAtLastPlace(ranked, 2, tied)), ['a', 'b', 'c', 'd']);
  assert.deepEqual(ids(admitAllTiedAtLastPlace(ranked, 4, tied)), ['a', 'b', 'c', 'd'], 'the quota ends exactly at the group');
  assert.deepEqual(ids(admitAllTiedAtLastPlace(ranked, 1, tied)), ['a'], 'a group below the last place is not pulled in');
  assert.deepEqual(ids(admitAllTiedAtLastPlace(ranked, 9, tied)), ids(ranked), 'fewer applicants than places');
  assert.deepEqual(admitAllTiedAtLastPlace(ranked, 0, tied), [], 'no places: no last place to be tied with');
  assert.deepEqual(admitAllTiedAtLastPlace([], 3, tied), []);
});

test('admit all tied with Math first: a tie group is equal on score and Math', () => {
  const policy: TiePolicy = { kind: 'admit-all-tied', criteria: [{ by: 'value', key: 'math' }] };
  const chosen = selectWithinQuota(policy, 3, [a('a', 2500), a('b', 2400, 800), a('c', 2400, 800), a('d', 2400, 900), a('e', 2400, 700)]);
  assert.deepEqual(ids(chosen), ['a', 'd', 'b', 'c']);
});

test('break by rule: never more than the quota, the rule decides the last place', () => {
  const list = [a('b', 2400, 800, 2), a('a', 2500), a('c', 2400, 800, 1), a('d', 2400, 900, 3)];
  assert.deepEqual(ids(selectWithinQuota(MATH_THEN_WISH, 3, list)), ['a', 'd', 'c']);
  assert.deepEqual(ids(breakByRule([a('x', 1), a('y', 1)], 1)), ['x']);
  assert.deepEqual(breakByRule([a('x', 1)], 0), []);
  // with no criteria the id decides, whatever order the applicants came in
  const plain: TiePolicy = { kind: 'break-by-rule', criteria: [] };
  assert.deepEqual(ids(selectWithinQuota(plain, 1, [a('TS2', 2400), a('TS1', 2400)])), ['TS1']);
});

test('the step that decided a tie, for the reason a candidate is shown', () => {
  assert.deepEqual(decidingStep(MATH_THEN_WISH, a('e', 2400, 700, 1), a('d', 2400, 900, 1)), { by: 'value', key: 'math' });
  assert.deepEqual(decidingStep(MATH_THEN_WISH, a('b', 2400, 800, 2), a('c', 2400, 800, 1)), { by: 'wish-order' });
  assert.deepEqual(decidingStep(MATH_THEN_WISH, a('z', 2400, 800, 1), a('c', 2400, 800, 1)), { by: 'candidate-id' });
  assert.equal(decidingStep(MATH_THEN_WISH, a('z', 2300), a('c', 2400)), undefined, 'a lower score is not a tie');
  assert.equal(decidingStep(ALL, a('z', 2400), a('c', 2400)), undefined, 'admit-all-tied has no final key');
});

test('both policies keep exactly the applicants with fewer than `quota` applicants ranked in a strictly better tie group', () => {
  // the characterisation the proofs rely on (substitutable, and irrelevant rejected applicants)
  const policy = fc.constantFrom<TiePolicy>(ALL, MATH_THEN_WISH, { kind: 'admit-all-tied', criteria: [{ by: 'wish-order' }] }, { kind: 'break-by-rule', criteria: [] });
  const applicants = fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 50 }), score: fc.integer({ min: 0, max: 3 }), math: fc.integer({ min: 0, max: 2 }), wish: fc.integer({ min: 1, max: 3 }) }), { selector: (x) => x.id, maxLength: 12 });
  fc.assert(
    fc.property(policy, fc.integer({ min: 0, max: 6 }), applicants, (pol, quota, raw) => {
      const list = raw.map((r) => a(`c${r.id}`, r.score * 100, r.math, r.wish));
      const kept = new Set(ids(selectWithinQuota(pol, quota, list)));
      for (const x of list) {
        const better = list.filter((y) => compareApplicants(pol, y, x) < 0 && !tiedUnder(pol, y, x)).length;
        assert.equal(kept.has(x.candidateId), better < quota, `${x.candidateId}: ${better} ranked better, quota ${quota}`);
      }
    }),
  );
});

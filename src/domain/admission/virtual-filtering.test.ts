import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deferredAcceptance } from './deferred-acceptance.ts';
import { virtualFiltering } from './virtual-filtering.ts';
import { isStable } from './audit.ts';
import { fromCompactInput } from './compact.ts';
import { syntheticSeason } from './synthetic.ts';
import { admissionInput, allStableMatchings, rankOf } from './test-instances.ts';

// see deferred-acceptance.test.ts: the default keeps npm test short on the shared machine
const RUNS = Number(process.env['ADMISSION_PROPERTY_RUNS'] ?? 300);

test('property: when every programme ranks by the same score and the same tie rule, virtual filtering reaches the one-pass result', (t) => {
  // the same score alone is not enough: vector one-score-mixed-tie-rules (programmes breaking ties by the id
  // alone beside one breaking them by wish order) ends lower under virtual filtering
  const rounds: number[] = [];
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 6, maxCandidates: 25, maxQuota: 4, scoreLevels: 4, commonScore: true, samePolicy: true }), (input) => {
      const vf = virtualFiltering(input);
      rounds.push(vf.rounds);
      assert.deepEqual(vf.assignment, deferredAcceptance(input).assignment);
    }),
    { numRuns: RUNS },
  );
  t.diagnostic(`rounds of virtual filtering: mean ${(rounds.reduce((s, x) => s + x, 0) / rounds.length).toFixed(2)}, most ${Math.max(...rounds)}`);
  // about one instance in ten needs three rounds or more; a run of fewer than 100 instances may draw none
  if (RUNS >= 100) assert.ok(Math.max(...rounds) >= 3, 'some instances need several rounds');
});

test('property: with scores that differ by programme, virtual filtering still ends stable, and the one-pass run is as good or better for every candidate', () => {
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 6, maxCandidates: 25, maxQuota: 4, scoreLevels: 4 }), (input) => {
      const vf = virtualFiltering(input);
      const da = deferredAcceptance(input).assignment;
      assert.ok(isStable(input, vf.assignment));
      for (const c of input.candidates) assert.ok(rankOf(da, c.id) <= rankOf(vf.assignment, c.id), c.id);
    }),
    { numRuns: RUNS },
  );
});

test('property: virtual filtering gives the stable outcome that is worst for every candidate (brute force)', () => {
  // it is programme-proposing deferred acceptance: programmes offer, candidates keep their best offer
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 3, maxCandidates: 6, maxQuota: 2, scoreLevels: 3 }), (input) => {
      const stable = allStableMatchings(input);
      if (!stable) return;
      const vf = virtualFiltering(input).assignment;
      assert.ok(stable.some((m) => input.candidates.every((c) => m.get(c.id) === vf.get(c.id))), 'it is one of the stable matchings');
      for (const m of stable) for (const c of input.candidates) assert.ok(rankOf(vf, c.id) >= rankOf(m, c.id), c.id);
    }),
    { numRuns: RUNS },
  );
});

test('on a generated season: the rounds virtual filtering needs, and how many candidates it leaves lower than the one-pass run', (t) => {
  const input = fromCompactInput(syntheticSeason({ seed: 11, candidates: 3000, programmes: 25 }));
  const vf = virtualFiltering(input);
  const da = deferredAcceptance(input);
  const lower = input.candidates.filter((c) => rankOf(vf.assignment, c.id) > rankOf(da.assignment, c.id)).length;
  const higher = input.candidates.filter((c) => rankOf(vf.assignment, c.id) < rankOf(da.assignment, c.id)).length;
  t.diagnostic(`virtual filtering: ${vf.rounds} rounds (wishes withdrawn per round: ${vf.withdrawn.join(', ')}); deferred acceptance: ${da.rounds} rounds of applications; ${lower} of ${input.candidates.length} candidates end lower under virtual filtering`);
  assert.equal(higher, 0);
  assert.ok(isStable(input, vf.assignment));
  assert.ok(vf.rounds > 2);
});

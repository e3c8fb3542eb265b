import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deferredAcceptance, runAdmission } from './deferred-acceptance.ts';
import { admissionViolations, assignmentOf, blockingPairs } from './audit.ts';
import { describeOutcome, UnstableOutcomeError } from './outcome.ts';
import { compareApplicants, tiedUnder } from './policy.ts';
import { writeCanonicalResult } from './canonical.ts';
import { admissionInput, allStableMatchings, rankOf, type InstanceShape } from './test-instances.ts';
import type { AdmissionInput, AdmissionResult } from './types.ts';

// Generated instances per property. npm test runs on a shared two-core machine, so the default keeps each
// property to a second or two; ADMISSION_PROPERTY_RUNS=20000 is the longer check to run before a release.
const RUNS = Number(process.env['ADMISSION_PROPERTY_RUNS'] ?? 300);
const MEDIUM: InstanceShape = { maxProgrammes: 6, maxCandidates: 20, maxQuota: 4, scoreLevels: 4 };
const SMALL: InstanceShape = { maxProgrammes: 3, maxCandidates: 6, maxQuota: 2, scoreLevels: 3 };

const canonical = (r: AdmissionResult): string => {
  let s = '';
  writeCanonicalResult(r, 'test', 'input', (c) => (s += c));
  return s;
};

test('a worked example: a better applicant displaces a held one, who moves down their list and displaces another', () => {
  // P1 has one place. A applies first and is held; B (higher) displaces A, who goes on to P2 and
  // displaces C there; C ends at P3.
  const input: AdmissionInput = {
    teacherTrainingWishCap: null,
    programmes: ['P1', 'P2', 'P3'].map((id) => ({ id, quota: 1, tiePolicy: { kind: 'break-by-rule', criteria: [] } })),
    candidates: [
      { id: 'A', wishes: [{ programme: 'P1', score: 2500 }, { programme: 'P2', score: 2500 }] },
      { id: 'B', wishes: [{ programme: 'P1', score: 2700 }] },
      { id: 'C', wishes: [{ programme: 'P2', score: 2400 }, { programme: 'P3', score: 2400 }] },
    ],
  };
  const run = deferredAcceptance(input);
  assert.deepEqual([...run.assignment].sort(), [['A', 2], ['B', 1], ['C', 2]]);
  assert.equal(run.rounds, 3);
  const r = runAdmission(input);
  assert.deepEqual(r.candidates.find((c) => c.id === 'C')!.notObtained, [{ wish: 1, programme: 'P2', reason: 'below-cutoff', score: 2400, cutoff: 2500 }]);
});

test('a matching with a candidate above a cut-off shown as not admitted is refused, not described', () => {
  const input: AdmissionInput = {
    teacherTrainingWishCap: null,
    programmes: [{ id: 'P1', quota: 1, tiePolicy: { kind: 'break-by-rule', criteria: [] } }],
    candidates: [
      { id: 'A', wishes: [{ programme: 'P1', score: 2500 }] },
      { id: 'B', wishes: [{ programme: 'P1', score: 2700 }] },
    ],
  };
  assert.throws(() => describeOutcome(input, new Map([['A', 1]])), UnstableOutcomeError);
  assert.throws(() => describeOutcome(input, new Map([['A', 1], ['B', 1]])), UnstableOutcomeError, 'two for one place under break-by-rule');
  assert.deepEqual(blockingPairs(input, new Map([['A', 1]])), [{ candidate: 'B', wish: 1, programme: 'P1' }]);
});

test('property: no blocking pair, and every admission is one the programme keeps (stability)', () => {
  fc.assert(
    fc.property(admissionInput(MEDIUM), (input) => {
      const a = deferredAcceptance(input).assignment;
      assert.deepEqual(blockingPairs(input, a), []);
      assert.deepEqual(admissionViolations(input, a), []);
    }),
    { numRuns: RUNS },
  );
});

test('property: quotas are never exceeded except by the tie group at the last place of an admit-all-tied programme', () => {
  fc.assert(
    fc.property(admissionInput(MEDIUM), (input) => {
      const r = runAdmission(input);
      const byProgramme = new Map(input.programmes.map((p) => [p.id, [] as Array<{ candidateId: string; wish: number; score: number; tieBreak?: Record<string, number> }>]));
      for (const c of input.candidates) {
        const o = r.candidates.find((x) => x.id === c.id)!;
        if (o.admitted) byProgramme.get(o.admitted.programme)!.push({ candidateId: c.id, wish: o.admitted.wish, score: o.admitted.score, tieBreak: c.wishes[o.admitted.wish - 1]!.tieBreak });
      }
      for (const p of input.programmes) {
        const list = byProgramme.get(p.id)!.sort((x, y) => compareApplicants(p.tiePolicy, x, y));
        assert.equal(r.programmes.find((x) => x.id === p.id)!.admitted, list.length);
        if (list.length <= p.quota) continue;
        assert.equal(p.tiePolicy.kind, 'admit-all-tied', `${p.id} over quota`);
        const last = list[list.length - 1]!;
        assert.ok(list.filter((x) => !tiedUnder(p.tiePolicy, x, last)).length < p.quota, `${p.id}: the excess is one tie group`);
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: each candidate gets the best wish they get in any stable outcome (brute force over every matching)', () => {
  let compared = 0;
  fc.assert(
    fc.property(admissionInput(SMALL), (input) => {
      const da = deferredAcceptance(input).assignment;
      const stable = allStableMatchings(input);
      if (!stable) return;
      compared += 1;
      assert.ok(stable.length >= 1, 'a stable matching exists');
      for (const m of stable) for (const c of input.candidates) assert.ok(rankOf(da, c.id) <= rankOf(m, c.id), `${c.id} does better in another stable matching`);
    }),
    { numRuns: RUNS },
  );
  assert.ok(compared > RUNS / 2, 'most instances small enough to enumerate');
});

test('property: reasons agree with cut-offs: nobody above a cut-off is shown as not admitted', () => {
  fc.assert(
    fc.property(admissionInput(MEDIUM), (input) => {
      const r = runAdmission(input);
      const programmes = new Map(r.programmes.map((p) => [p.id, p]));
      for (const c of r.candidates) {
        for (const n of c.notObtained) {
          const p = programmes.get(n.programme)!;
          assert.equal(n.cutoff, p.cutoff);
          if (n.reason === 'below-cutoff') assert.ok(p.full && n.score < p.cutoff!);
          if (n.reason === 'tie-break') assert.ok(p.full && n.score === p.cutoff && n.decidedBy);
          if (n.reason === 'no-places') assert.equal(p.quota, 0);
        }
        if (c.admitted) assert.equal(c.notObtained.length, c.admitted.wish - 1, 'a reason for every higher wish');
        for (const n of c.notObtained) assert.ok(!c.admitted || n.wish < c.admitted.wish);
      }
      for (const p of r.programmes) {
        if (p.full && p.quota > 0 && p.admitted > 0) assert.equal(p.cutoff, p.lowestAdmittedScore);
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: deterministic: the same input, in any row order, gives the same result byte for byte', () => {
  fc.assert(
    fc.property(admissionInput(MEDIUM), fc.infiniteStream(fc.nat()), (input, seeds) => {
      const shuffle = <T>(xs: T[]) => xs.map((x) => [seeds.next().value as number, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
      const first = canonical(runAdmission(input));
      assert.equal(canonical(runAdmission(structuredClone(input))), first);
      assert.equal(canonical(runAdmission({ ...input, programmes: shuffle(input.programmes), candidates: shuffle(input.candidates) })), first);
      assert.deepEqual(assignmentOf(runAdmission(input)), deferredAcceptance(input).assignment);
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runAdmission } from './deferred-acceptance.ts';
import { ABSENT, candidateIdOrder, compactCandidateOutcome, compactProgrammeOutcome, compactToResult, fromCompactInput, runCompactAdmission, storedNotObtainedWriter, toCompactInput, validateCompactInput, type CompactAdmissionInput } from './compact.ts';
import { writeCanonicalInput, writeCanonicalResult } from './canonical.ts';
import { ADMISSION_ALGORITHM } from './deferred-acceptance.ts';
import { writeCanonicalCompactInput, writeCanonicalCompactResult } from './compact.ts';
import { syntheticSeason } from './synthetic.ts';
import { admissionInput, POLICIES } from './test-instances.ts';
import { AdmissionInputError } from './validate.ts';
import type { AdmissionInput } from './types.ts';

// see deferred-acceptance.test.ts: the default keeps npm test short on the shared machine
const RUNS = Number(process.env['ADMISSION_PROPERTY_RUNS'] ?? 300);

const compact = (input: AdmissionInput) => {
  const ci = toCompactInput(input);
  return compactToResult(ci, runCompactAdmission(ci));
};

test('property: the compact engine gives exactly the readable run\'s result (admissions, cut-offs, every reason)', () => {
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 6, maxCandidates: 25, maxQuota: 5, scoreLevels: 4 }), (input) => {
      assert.deepEqual(compact(input), runAdmission(input));
    }),
    { numRuns: RUNS },
  );
});

test('property: the same with large quotas and few ties (many candidates per place, distinct scores)', () => {
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 3, maxCandidates: 40, maxQuota: 12, scoreLevels: 40 }), (input) => {
      assert.deepEqual(compact(input), runAdmission(input));
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

test('on generated seasons (skewed popularity, ties in 0.05 steps, teacher training, exclusions) both engines agree', () => {
  for (const [seed, candidates] of [[1, 1500], [2, 4000]] as const) {
    const input = fromCompactInput(syntheticSeason({ seed, candidates, programmes: 30 }));
    const expected = runAdmission(input);
    assert.deepEqual(compact(input), expected, `seed ${seed}`);
    assert.ok(expected.programmes.some((p) => p.admitted > p.quota), 'some tie group exceeded a quota');
    assert.ok(expected.candidates.some((c) => c.notObtained.some((n) => n.reason === 'tie-break')), 'some tie was broken by rule');
  }
});

test('tie-break values wider than 2^20 apart take the two-pass sort and still agree', () => {
  fc.assert(
    fc.property(
      admissionInput({ maxProgrammes: 4, maxCandidates: 20, maxQuota: 3, scoreLevels: 2, policies: POLICIES.filter((p) => p.criteria?.some((c) => c.by === 'value')) }),
      fc.infiniteStream(fc.integer({ min: -2147483647, max: 2147483647 })),
      (input, values) => {
        // a few distinct huge values, so that ties on them still occur
        const pool = Array.from({ length: 3 }, () => values.next().value as number);
        for (const c of input.candidates) {
          const math = pool[Math.abs(c.id.length + Number(c.id.slice(1))) % 3]!;
          for (const w of c.wishes) w.tieBreak = { math };
        }
        assert.deepEqual(compact(input), runAdmission(input));
      },
    ),
    { numRuns: Math.ceil(RUNS / 3) },
  );
  const wide: AdmissionInput = {
    teacherTrainingWishCap: null,
    programmes: [{ id: 'P', quota: 2, tiePolicy: { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'math' }] } }],
    candidates: [-2_000_000_000, 2_000_000_000, 5, 2_000_000_001].map((math, i) => ({ id: `c${i}`, wishes: [{ programme: 'P', score: 2000, tieBreak: { math } }] })),
  };
  assert.deepEqual(compact(wide).candidates.map((c) => c.admitted !== null), [false, true, false, true]);
});

test('the columnar form round-trips to the same canonical input, and ids need not come sorted', () => {
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 4, maxCandidates: 10, maxQuota: 3, scoreLevels: 3 }), (input) => {
      const text = (x: AdmissionInput) => {
        let s = '';
        writeCanonicalInput(x, (c) => (s += c));
        return s;
      };
      assert.equal(text(fromCompactInput(toCompactInput(input))), text(input));
    }),
    { numRuns: RUNS },
  );
  assert.deepEqual(Array.from(candidateIdOrder(['b', 'a', 'c', 'A'])), [3, 1, 0, 2]);
  assert.deepEqual(Array.from(candidateIdOrder(['a', 'b'])), [0, 1]);
});

const text = (write: (sink: (s: string) => void) => void): string => {
  let s = '';
  write((c) => (s += c));
  return s;
};

function sameCanonicalBytes(input: AdmissionInput, ci = toCompactInput(input)): void {
  const r = runCompactAdmission(ci);
  assert.equal(text((s) => writeCanonicalCompactInput(ci, r.candidateOrder, s)), text((s) => writeCanonicalInput(input, s)));
  assert.equal(text((s) => writeCanonicalCompactResult(ci, r, 'h', s)), text((s) => writeCanonicalResult(runAdmission(input), ADMISSION_ALGORITHM, 'h', s)));
}

test('property: the canonical input and result written from the columns are the readable ones, byte for byte', () => {
  fc.assert(fc.property(admissionInput({ maxProgrammes: 5, maxCandidates: 15, maxQuota: 3, scoreLevels: 3 }), (input) => sameCanonicalBytes(input)), { numRuns: RUNS });
  // Vietnamese ids and keys, and tie-break keys not in code-unit order in the columns
  const input: AdmissionInput = {
    teacherTrainingWishCap: 5,
    programmes: [{ id: 'ĐHSP-7140209-100', quota: 1, teacherTraining: true, tiePolicy: { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'toán' }, { by: 'value', key: 'lý' }, { by: 'wish-order' }] } }],
    candidates: ['Nguyễn "B"', 'Trần\\A', 'Lê C'].map((id, i) => ({ id, wishes: [{ programme: 'ĐHSP-7140209-100', score: 2500, tieBreak: { toán: 800, lý: 700 - (i % 2) * 100 } }] })),
  };
  const ci = toCompactInput(input);
  assert.deepEqual(ci.tieKeys, ['lý', 'toán']);
  const swapped = { ...ci, tieKeys: ['toán', 'lý'], wishTie: ci.wishTie.map((_, i) => ci.wishTie[i % 2 === 0 ? i + 1 : i - 1]!) };
  sameCanonicalBytes(input, swapped);
  assert.deepEqual(compactToResult(swapped, runCompactAdmission(swapped)), runAdmission(input));
});

test('a malformed columnar input is refused with what is wrong', () => {
  const good = syntheticSeason({ seed: 3, candidates: 50, programmes: 5 });
  assert.deepEqual(validateCompactInput(good), []);
  const broken: CompactAdmissionInput = { ...good, candidateIds: [...good.candidateIds], wishProgramme: good.wishProgramme.slice(), wishTie: good.wishTie.slice(), quota: good.quota.slice() };
  broken.candidateIds[1] = broken.candidateIds[0]!;
  broken.quota[2] = -1;
  // a candidate naming the same programme twice
  const c = [...Array(50).keys()].find((i) => good.wishStart[i + 1]! - good.wishStart[i]! >= 2)!;
  broken.wishProgramme[good.wishStart[c]! + 1] = broken.wishProgramme[good.wishStart[c]!]!;
  // a wish to a Math-first programme without its Math value
  const mathFirst = good.policies.findIndex((p) => p.criteria?.[0]?.by === 'value');
  const w = [...good.wishProgramme.keys()].find((i) => good.wishProgramme[i] === mathFirst && good.wishExcluded[i] === 0 && i !== good.wishStart[c]! + 1)!;
  broken.wishTie[w] = ABSENT;
  const fields = validateCompactInput(broken).map((f) => f.field);
  assert.ok(fields.includes('programmes[2].quota'), fields.join());
  assert.ok(fields.includes('candidateIds'), fields.join());
  assert.ok(fields.some((f) => f.startsWith(`candidates[${c}].wishes`)), fields.join());
  assert.ok(fields.includes(`wishes[${w}].tieBreak.math`), fields.join());
  assert.throws(() => runCompactAdmission(broken), AdmissionInputError);
  assert.deepEqual(validateCompactInput({ ...good, wishScore: new Int32Array(1) }).map((f) => f.field), ['wishes']);
});

test('the run reports its work: wishes taking part, applications made, applicants turned away', () => {
  const ci = syntheticSeason({ seed: 5, candidates: 2000, programmes: 20 });
  const r = runCompactAdmission(ci);
  const excluded = ci.wishExcluded.reduce((s, x) => s + (x ? 1 : 0), 0);
  assert.equal(r.stats.wishes, ci.wishProgramme.length);
  assert.ok(r.stats.considered <= r.stats.wishes - excluded);
  const admitted = r.admittedWish.reduce((s, x) => s + (x >= 0 ? 1 : 0), 0);
  assert.equal(r.admittedCount.reduce((s, x) => s + x, 0), admitted);
  // every application ends held (admitted), turned away on arrival, or turned away later
  assert.ok(r.stats.proposals >= admitted + r.stats.turnedAway);
});

test('property: the stored reasons written from the columns are the reasons of compactCandidateOutcome', () => {
  const stored = (ci: CompactAdmissionInput, r: ReturnType<typeof runCompactAdmission>, c: number, cutoffs: Array<number | null>) =>
    JSON.stringify(compactCandidateOutcome(ci, r, c, cutoffs).notObtained.map((n) => [n.wish, n.programme, n.reason, n.score, n.decidedBy ? (n.decidedBy.by === 'value' ? `value:${n.decidedBy.key}` : n.decidedBy.by) : null]));
  const check = (ci: CompactAdmissionInput) => {
    const r = runCompactAdmission(ci);
    const cutoffs = ci.programmeIds.map((_, p) => compactProgrammeOutcome(ci, r, p).cutoff);
    const write = storedNotObtainedWriter(ci, r);
    for (let c = 0; c < ci.candidateIds.length; c++) assert.equal(write(c), stored(ci, r, c, cutoffs));
  };
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 6, maxCandidates: 25, maxQuota: 5, scoreLevels: 4 }), (input) => check(toCompactInput(input))),
    { numRuns: RUNS },
  );
  check(syntheticSeason({ seed: 3, candidates: 3000, programmes: 30 }));
});

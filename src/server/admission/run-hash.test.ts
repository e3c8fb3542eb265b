import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import vectors from '../../../docs/admission-matching-vectors.json' with { type: 'json' };
import { writeCanonicalInput } from '../../domain/admission/canonical.ts';
import { runAdmission } from '../../domain/admission/deferred-acceptance.ts';
import { compactToResult, runCompactAdmission, toCompactInput } from '../../domain/admission/compact.ts';
import { PROTECT_PUBLISHED_ALGORITHM, protectPublished, publishedOf } from '../../domain/admission/second-run.ts';
import { startHashThread } from './season-threads.ts';
import { syntheticSeason } from '../../domain/admission/synthetic.ts';
import { fromCompactInput } from '../../domain/admission/compact.ts';
import { admissionInput } from '../../domain/admission/test-instances.ts';
import type { AdmissionInput, AdmissionResult } from '../../domain/admission/types.ts';
import { hashAdmissionInput, hashAdmissionResult, hashCompactInput, hashCompactResult, sha256OfStream } from './run-hash.ts';

type Vector = { name: string; input: AdmissionInput; expected: { result: AdmissionResult; inputSha256: string; resultSha256: string } };

test('the published vectors hash to their published digests (the canonical format is pinned)', () => {
  for (const v of vectors.vectors as unknown as Vector[]) {
    assert.equal(hashAdmissionInput(v.input), v.expected.inputSha256, v.name);
    assert.equal(hashAdmissionResult(runAdmission(v.input), v.expected.inputSha256), v.expected.resultSha256, v.name);
  }
});

test('the streamed digest is the digest of the whole serialisation, non-ASCII ids included', () => {
  const input: AdmissionInput = {
    teacherTrainingWishCap: 5,
    programmes: [{ id: 'ĐHQG-7480201-100', quota: 1, tiePolicy: { kind: 'break-by-rule', criteria: [{ by: 'value', key: 'toán' }] } }],
    candidates: Array.from({ length: 3000 }, (_, i) => ({ id: `thí-sinh-${i}`, wishes: [{ programme: 'ĐHQG-7480201-100', score: 2000 + (i % 50), tieBreak: { toán: i % 10 } }] })),
  };
  let whole = '';
  writeCanonicalInput(input, (s) => (whole += s));
  assert.ok(whole.length > 1 << 16, 'long enough to be hashed in several slices');
  assert.equal(hashAdmissionInput(input), createHash('sha256').update(whole, 'utf8').digest('hex'));
  assert.equal(sha256OfStream(() => {}), createHash('sha256').digest('hex'));
});

test('the order rows are read in changes neither hash; a changed score changes the input hash', () => {
  fc.assert(
    fc.property(admissionInput({ maxProgrammes: 4, maxCandidates: 8, maxQuota: 3, scoreLevels: 3 }), fc.infiniteStream(fc.nat()), (input, seeds) => {
      const shuffle = <T>(xs: T[]) => xs.map((x) => [seeds.next().value as number, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
      const other: AdmissionInput = { ...input, programmes: shuffle(input.programmes), candidates: shuffle(input.candidates) };
      const h = hashAdmissionInput(input);
      assert.equal(hashAdmissionInput(other), h);
      assert.equal(hashAdmissionResult(runAdmission(other), h), hashAdmissionResult(runAdmission(input), h));
      const withWish = input.candidates.find((c) => c.wishes.length > 0);
      if (withWish) {
        const changed = structuredClone(input);
        changed.candidates.find((c) => c.id === withWish.id)!.wishes[0]!.score += 5;
        assert.notEqual(hashAdmissionInput(changed), h);
      }
    }),
    { numRuns: 200 },
  );
});

test('the compact engine hashes its input and result to the same digests as the readable forms', () => {
  const check = (input: AdmissionInput) => {
    const ci = toCompactInput(input);
    const r = runCompactAdmission(ci);
    const h = hashAdmissionInput(input);
    assert.equal(hashCompactInput(ci, r), h);
    assert.equal(hashCompactResult(ci, r, h), hashAdmissionResult(runAdmission(input), h));
  };
  fc.assert(fc.property(admissionInput({ maxProgrammes: 5, maxCandidates: 10, maxQuota: 3, scoreLevels: 3 }), check), { numRuns: 200 });
  check(fromCompactInput(syntheticSeason({ seed: 7, candidates: 3000 })));
});

test('a run after a publication is hashed the same on the hash thread as on the run\'s own: its policy in the input, its held cut-offs and algorithm in the result', async () => {
  const ci0 = syntheticSeason({ seed: 4, candidates: 400, programmes: 8 });
  const r0 = runCompactAdmission(ci0);
  const wishScore = ci0.wishScore.slice();
  for (let w = 0; w < wishScore.length; w += 20) wishScore[w] = wishScore[w]! + 200;
  const ci = { ...ci0, wishScore };
  const r = protectPublished(ci, publishedOf(ci0, r0));
  const follows = { policy: 'protect-published' as const, published: hashCompactResult(ci0, r0, hashCompactInput(ci0, r0)) };
  const inputHash = hashCompactInput(ci, r, follows);
  assert.notEqual(inputHash, hashCompactInput(ci, r), 'the policy is part of the input');
  const resultHash = hashCompactResult(ci, r, inputHash);
  assert.equal(resultHash, hashAdmissionResult(compactToResult(ci, r), inputHash, PROTECT_PUBLISHED_ALGORITHM));
  const thread = startHashThread();
  try {
    assert.deepEqual(await thread.hash(ci, r, follows), { inputHash, resultHash });
  } finally {
    await thread.stop();
  }
});

// The worked example of docs/admission-matching.md ("A run after a published run"), read from the page itself
// so that the page and the code cannot disagree: the published run, then both policies on the reviewed scores.
import { test } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { compactToResult, runCompactAdmission, toCompactInput } from './compact.ts';
import { whyProtected } from './run-state.ts';
import { protectPublished, publishedOf } from './second-run.ts';
import type { AdmissionCandidate, AdmissionInput, AdmissionProgramme, AdmissionResult } from './types.ts';

interface Example {
  name: string;
  programmes: AdmissionProgramme[];
  published: AdmissionCandidate[];
  reviewed: AdmissionCandidate[];
  expected: {
    published: Record<string, string | null>;
    protectPublished: { admitted: Record<string, string | null>; why: Record<string, string>; programmes: Record<string, { admitted: number; cutoff: number | null }> };
    recompute: Record<string, string | null>;
  };
}

const page = fs.readFileSync(new URL('../../../docs/admission-matching.md', import.meta.url), 'utf8');
const block = /```json second-run-example\n([\s\S]*?)\n```/.exec(page);
const example = JSON.parse(block?.[1] ?? 'null') as Example;
const input = (candidates: AdmissionCandidate[]): AdmissionInput => ({ teacherTrainingWishCap: null, programmes: example.programmes, candidates });
const where = (r: AdmissionResult) => Object.fromEntries(r.candidates.map((c) => [c.id, c.admitted?.programme ?? null]));

test('the page carries the worked example', () => {
  assert.ok(block, 'a ```json second-run-example block in docs/admission-matching.md');
  assert.equal(example.name, 'protect-published-after-score-reviews');
});

test('worked example: the published run, then protect-published and recompute on the reviewed scores', () => {
  const c0 = toCompactInput(input(example.published));
  const r0 = runCompactAdmission(c0);
  assert.deepEqual(where(compactToResult(c0, r0)), example.expected.published, 'published run');

  const ci = toCompactInput(input(example.reviewed));
  // the published run's candidates and programmes come in the same order here, so its indices are the new input's
  const pr = protectPublished(ci, publishedOf(c0, r0));
  const res = compactToResult(ci, pr);
  assert.deepEqual(where(res), example.expected.protectPublished.admitted, 'protect-published');
  const why = Object.fromEntries(ci.candidateIds.flatMap((id, c) => (whyProtected(pr.how[c]!) ? [[id, whyProtected(pr.how[c]!)!]] : [])));
  assert.deepEqual(why, example.expected.protectPublished.why);
  assert.deepEqual(Object.fromEntries(res.programmes.map((p) => [p.id, { admitted: p.admitted, cutoff: p.cutoff }])), example.expected.protectPublished.programmes);
  // the candidates who moved up or were admitted did so after a review of their own scores
  for (const c of res.candidates.filter((x) => x.id in example.expected.protectPublished.why)) {
    const before = example.published.find((x) => x.id === c.id)!;
    const after = example.reviewed.find((x) => x.id === c.id)!;
    assert.ok(before.wishes.some((w, i) => w.score !== after.wishes[i]!.score), c.id);
  }
  assert.deepEqual(where(compactToResult(ci, runCompactAdmission(ci))), example.expected.recompute, 'recompute');
});

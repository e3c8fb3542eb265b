// The published test vectors (docs/admission-matching-vectors.json, derived by hand): both engines and the
// virtual-filtering simulation must give exactly the expected outcome of each.
import { test } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import vectors from '../../../docs/admission-matching-vectors.json' with { type: 'json' };
import { runAdmission } from './deferred-acceptance.ts';
import { compactToResult, runCompactAdmission, toCompactInput } from './compact.ts';
import { virtualFiltering } from './virtual-filtering.ts';
import { isStable } from './audit.ts';
import type { AdmissionInput, AdmissionResult } from './types.ts';

interface Vector {
  name: string;
  input: AdmissionInput;
  expected: { result: AdmissionResult; virtualFiltering: { rounds: number; withdrawn: number[]; admitted: Record<string, number | null> } };
}

const list = vectors.vectors as unknown as Vector[];

test('the vectors cover both tie policies, the cap, exclusions, programmes that do not fill, and cases where virtual filtering does worse', () => {
  const names = list.map((v) => v.name);
  for (const n of ['admit-all-tied', 'break-by-rule-math-then-wish-order', 'teacher-training-cap', 'exclusions-and-programmes-that-do-not-fill', 'one-pass-better-than-virtual-filtering', 'one-score-mixed-tie-rules']) assert.ok(names.includes(n), n);
});

test('the human-readable page shows every vector', () => {
  const page = fs.readFileSync(new URL('../../../docs/admission-matching-vectors.md', import.meta.url), 'utf8');
  list.forEach((v, i) => assert.ok(page.includes(`### ${i + 1}. \`${v.name}\``), v.name));
});

for (const v of list) {
  test(`vector ${v.name}`, () => {
    assert.deepEqual(runAdmission(v.input), v.expected.result, 'readable run');
    const ci = toCompactInput(v.input);
    assert.deepEqual(compactToResult(ci, runCompactAdmission(ci)), v.expected.result, 'compact engine');
    const vf = virtualFiltering(v.input);
    assert.ok(isStable(v.input, vf.assignment), 'virtual filtering ends stable');
    const admitted = Object.fromEntries(v.input.candidates.map((c) => [c.id, vf.assignment.get(c.id) ?? null]));
    assert.deepEqual({ rounds: vf.rounds, withdrawn: vf.withdrawn, admitted }, v.expected.virtualFiltering, 'virtual filtering');
  });
}

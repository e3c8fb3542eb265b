import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, syntheticSeason, WISHES_PER_CANDIDATE } from './synthetic.ts';
import { runCompactAdmission, validateCompactInput } from './compact.ts';

test('the same options and seed give the same season; another seed another', () => {
  const a = syntheticSeason({ seed: 4, candidates: 5000 });
  const b = syntheticSeason({ seed: 4, candidates: 5000 });
  const c = syntheticSeason({ seed: 5, candidates: 5000 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.wishScore, c.wishScore);
  const [r1, r2] = [seededRandom(1), seededRandom(1)];
  const draws = Array.from({ length: 5 }, () => r1());
  assert.deepEqual(Array.from({ length: 5 }, () => r2()), draws);
  assert.ok(draws.every((x) => x >= 0 && x < 1) && new Set(draws).size === 5);
});

test('a season looks like 2025: ~9 wishes a candidate, a few long lists, skewed popularity, ties, a third of the admitted at wish 1', () => {
  const s = syntheticSeason({ seed: 1, candidates: 40_000 });
  const C = s.candidateIds.length;
  const W = s.wishProgramme.length;
  assert.deepEqual(validateCompactInput(s), []);
  assert.equal(s.programmeIds.length, Math.round(40_000 / 212));
  const mean = W / C;
  assert.ok(Math.abs(mean - WISHES_PER_CANDIDATE) < 0.3, `mean ${mean}`);
  let long = 0;
  let longest = 0;
  for (let c = 0; c < C; c++) {
    const k = s.wishStart[c + 1]! - s.wishStart[c]!;
    if (k > 15) long += 1;
    longest = Math.max(longest, k);
  }
  assert.ok(long > 0.005 * C && long < 0.03 * C, `${long} lists longer than 15`);
  assert.ok(longest > 40 && longest <= 60, `longest ${longest}`);
  // popularity is skewed: the most sought-after tenth of the programmes draws well over twice the
  // applicants of the least; the most popular programme is over-subscribed many times
  const applicants = new Int32Array(s.programmeIds.length);
  for (let w = 0; w < W; w++) applicants[s.wishProgramme[w]!]! += 1;
  const P = s.programmeIds.length;
  const tenth = Math.floor(P / 10);
  const sum = (from: number, to: number) => applicants.slice(from, to).reduce((n, x) => n + x, 0);
  assert.ok(sum(0, tenth) > 2 * sum(P - tenth, P), `${sum(0, tenth)} against ${sum(P - tenth, P)}`);
  assert.ok(applicants[0]! > 5 * s.quota[0]!, `top: ${applicants[0]} for ${s.quota[0]}`);
  // scores on the 0.05 grid, so equal scores are common
  assert.ok(s.wishScore.every((x) => x % 5 === 0));
  assert.ok(new Set(s.wishScore).size < 700);
  const r = runCompactAdmission(s);
  const admitted = r.admittedWish.reduce((n, x) => n + (x >= 0 ? 1 : 0), 0);
  assert.ok(admitted > 0.65 * C && admitted < 0.85 * C, `${admitted} admitted of ${C}`);
  let first = 0;
  for (let c = 0; c < C; c++) if (r.admittedWish[c] === s.wishStart[c]) first += 1;
  assert.ok(first > 0.25 * admitted && first < 0.45 * admitted, `${first} of ${admitted} admitted at wish 1`);
});

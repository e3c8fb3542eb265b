import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, bandStart, countScores, distribution, graduationRate, mergeScoreCounts } from './score-distribution.ts';

test('a small known set: bands, mean, median, modes and the published counts', () => {
  // 0, 1, 1, 4.75, 5, 6.5, 6.5, 8, 10  (9 scores)
  const d = distribution(countScores([0, 100, 100, 475, 500, 650, 650, 800, 1000]));
  assert.equal(d.count, 9);
  assert.equal(d.bands.length, BAND_COUNT);
  assert.equal(d.bands[0], 1);
  assert.equal(d.bands[4], 2);
  assert.equal(d.bands[19], 1);
  assert.equal(d.bands[20], 1);
  assert.equal(d.bands[26], 2);
  assert.equal(d.bands[32], 1);
  assert.equal(d.bands[40], 1);
  assert.equal(d.bands.reduce((a, b) => a + b, 0), 9);
  // (0 + 100 + 100 + 475 + 500 + 650 + 650 + 800 + 1000) / 9 = 475 centi
  assert.equal(d.mean, 4.75);
  assert.equal(d.median, 5);
  assert.deepEqual(d.modes, [1, 6.5]);
  assert.equal(d.atOrBelow1, 3);
  assert.equal(d.below5, 4);
  assert.equal(d.atLeast5, 5);
  assert.equal(d.atLeast8, 2);
  assert.equal(d.tens, 1);
});

test('an even count takes the midpoint; the mean rounds half up to 2 decimals; empty is null', () => {
  const d = distribution(countScores([600, 725, 900, 950]));
  assert.equal(d.median, 8.125);
  assert.equal(d.mean, 7.94); // 3175 / 4 = 793.75 → 794
  assert.deepEqual(d.modes, [6, 7.25, 9, 9.5]);
  const e = distribution({});
  assert.deepEqual([e.count, e.mean, e.median, e.modes, e.atOrBelow1], [0, null, null, [], 0]);
  assert.equal(distribution(countScores([101])).atOrBelow1, 0, '1.01 is above the eliminating mark');
});

test('0.2-step scores fall in 0.25 bands; counts merge across provinces without losing the median', () => {
  const a = countScores([20, 40, 60, 980]); // 0.2, 0.4, 0.6, 9.8
  const b = countScores([40, 1000]);
  const d = distribution(mergeScoreCounts([a, b]));
  assert.equal(d.count, 6);
  assert.deepEqual([d.bands[0], d.bands[1], d.bands[2], d.bands[39], d.bands[40]], [1, 2, 1, 1, 1]);
  assert.equal(d.median, 0.5);
  assert.deepEqual(d.modes, [0.4]);
  assert.equal(bandStart(39), 9.75);
  assert.equal(bandStart(40), 10);
});

test('scores outside 0–10 are refused', () => {
  assert.throws(() => countScores([1001]), RangeError);
  assert.throws(() => countScores([7.5]), RangeError);
  assert.throws(() => distribution({ '-25': 1 }), RangeError);
});

test('the graduation rate is over the decided results, two decimals', () => {
  assert.equal(graduationRate({ passed: 2, failed: 1, incomplete: 5 }), 66.67);
  assert.equal(graduationRate({ passed: 0, failed: 0, incomplete: 3 }), null);
  assert.equal(graduationRate({ passed: 995, failed: 5, incomplete: 0 }), 99.5);
});

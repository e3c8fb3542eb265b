import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, cmp, div, exact, hasAtMostDecimals, int, isMultipleOf, mul, roundHalfUp, sub, toNumber } from './exact.ts';

test('numbers are read as the decimals they were written as', () => {
  assert.deepEqual(exact(8.3), { n: 83, d: 10 });
  assert.deepEqual(exact(7.25), { n: 29, d: 4 });
  // a float artefact is refused rather than silently taken as a score
  assert.throws(() => exact(0.1 + 0.2), RangeError);
  assert.deepEqual(exact(10), { n: 10, d: 1 });
  assert.throws(() => exact(Number.NaN), RangeError);
  assert.throws(() => exact(1 / 3), RangeError);
});

test('half up at two decimals where floating point goes wrong', () => {
  // 0.3 × 0.75 is exactly 0.225 → 0.23; in doubles it is 0.22499999999999998 and rounds to 0.22.
  const floatWay = Math.round(0.3 * 0.75 * 100) / 100;
  assert.equal(floatWay, 0.22);
  assert.equal(toNumber(roundHalfUp(mul(exact(0.3), exact(0.75)), 2)), 0.23);
  // 1.005 is 1.00499999999999989… as a double
  assert.equal(Math.round(1.005 * 100) / 100, 1);
  assert.equal(toNumber(roundHalfUp(exact(1.005), 2)), 1.01);
  // 4.995 → 5.00, 7.444… → 7.44, 2/3 → 0.67
  assert.equal(toNumber(roundHalfUp(exact(4.995), 2)), 5);
  assert.equal(toNumber(roundHalfUp(div(int(67), int(9)), 2)), 7.44);
  assert.equal(toNumber(roundHalfUp(div(int(2), int(3)), 2)), 0.67);
  assert.equal(toNumber(roundHalfUp(div(int(-1), int(8)), 2)), -0.13);
});

test('arithmetic is exact', () => {
  assert.equal(cmp(add(exact(0.1), exact(0.2)), exact(0.3)), 0);
  assert.equal(cmp(sub(exact(0.3), exact(0.1)), exact(0.2)), 0);
  assert.deepEqual(div(int(49), int(6)), { n: 49, d: 6 });
});

test('hasAtMostDecimals', () => {
  assert.equal(hasAtMostDecimals(7.25, 2), true);
  assert.equal(hasAtMostDecimals(7.125, 2), false);
  assert.equal(hasAtMostDecimals(7.1, 1), true);
  assert.equal(hasAtMostDecimals(Number.POSITIVE_INFINITY, 2), false);
});

test('isMultipleOf: marks on a step, exactly', () => {
  assert.equal(isMultipleOf(7.75, 0.25), true);
  assert.equal(isMultipleOf(7.8, 0.25), false);
  assert.equal(isMultipleOf(8.4, 0.2), true);
  // 6.35 / 0.05 is 126.99999999999999 in doubles; a check by division would refuse a valid mark
  assert.equal(Number.isInteger(6.35 / 0.05), false);
  assert.equal(isMultipleOf(6.35, 0.05), true);
  assert.equal(isMultipleOf(1, 0), false);
});

test('rounding a value on a hundredths grid returns it unchanged; the result is always within half a hundredth', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 600 }), (n, d) => {
      const q = roundHalfUp(div(int(n), int(d)), 2);
      const diff = sub(q, div(int(n), int(d)));
      // |q − r| ≤ 0.005, and a tie goes up
      assert.ok(cmp(diff, exact(0.005)) <= 0 && cmp(diff, exact(-0.005)) > 0, `${n}/${d}`);
      assert.equal(cmp(roundHalfUp(q, 2), q), 0);
    }),
  );
});

// Exact arithmetic for scores. Exam rules divide by 3, 4, 6, 7.5 and 10 and then round half up to two
// decimals; in binary floating point 0.225 is 0.22499999…, so a naive Math.round(x * 100) / 100 turns a
// candidate's 0.23 into 0.22. Scores are therefore read as exact decimals, computed as fractions of
// integers, and rounded once, where the regulation rounds. The denominators stay small (products of
// 4, 6, 10, 100, 75), so plain safe integers suffice and no big-number library is needed.

/** A fraction n/d in lowest terms, d > 0. */
export interface Ratio {
  readonly n: number;
  readonly d: number;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x || 1;
}

function make(n: number, d: number): Ratio {
  if (d === 0) throw new RangeError('division by zero');
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) throw new RangeError('score arithmetic left the safe integer range');
  const s = d < 0 ? -1 : 1;
  const g = gcd(n, d);
  return { n: (s * n) / g, d: (s * d) / g };
}

/** Up to this many decimals are read exactly; more means the input is not a decimal score. */
const MAX_DECIMALS = 6;

/**
 * The exact decimal a JavaScript number was written as: 8.3 is 83/10 (not 8.300000000000000710…).
 * Throws RangeError for a non-finite number or one with more than six decimals.
 */
export function exact(x: number): Ratio {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  let scale = 1;
  for (let k = 0; k <= MAX_DECIMALS; k++, scale *= 10) {
    const n = Math.round(x * scale);
    if (n / scale === x) return make(n, scale);
  }
  throw new RangeError(`more than ${MAX_DECIMALS} decimals: ${x}`);
}

/** Whether a number is an exact decimal with at most `decimals` places (0.25: yes for 2; 0.125: no). */
export function hasAtMostDecimals(x: number, decimals: number): boolean {
  if (!Number.isFinite(x)) return false;
  try {
    const r = exact(x);
    return 10 ** decimals % r.d === 0;
  } catch {
    return false;
  }
}

/** Whether x is an exact multiple of step (a mark in steps of 0.25: 7.75 yes, 7.8 no). */
export function isMultipleOf(x: number, step: number): boolean {
  try {
    const q = div(exact(x), exact(step));
    return q.d === 1;
  } catch {
    return false;
  }
}

export const ZERO: Ratio = { n: 0, d: 1 };
export const int = (k: number): Ratio => make(k, 1);
export const add = (a: Ratio, b: Ratio): Ratio => make(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Ratio, b: Ratio): Ratio => make(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Ratio, b: Ratio): Ratio => make(a.n * b.n, a.d * b.d);
export const div = (a: Ratio, b: Ratio): Ratio => make(a.n * b.d, a.d * b.n);
export const sum = (xs: readonly Ratio[]): Ratio => xs.reduce(add, ZERO);
/** -1, 0 or 1 as a is below, equal to or above b. */
export const cmp = (a: Ratio, b: Ratio): number => Math.sign(a.n * b.d - b.n * a.d);
export const min = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) >= 0 ? a : b);

/**
 * Rounds half up (away from zero for the half) to `decimals` places and returns the result as an exact
 * Ratio: 0.225 → 0.23, 4.995 → 5.00, 7.4449… → 7.44.
 */
export function roundHalfUp(r: Ratio, decimals: number): Ratio {
  const scale = 10 ** decimals;
  const scaled = r.n * scale;
  const sign = scaled < 0 ? -1 : 1;
  const q = Math.floor((2 * Math.abs(scaled) + r.d) / (2 * r.d));
  return make(sign * q, scale);
}

/**
 * The number to show or store. For a Ratio whose denominator divides a power of ten (every rounded
 * score) this is the double closest to the decimal, so it prints as the decimal (6.35, not 6.3499…).
 */
export const toNumber = (r: Ratio): number => r.n / r.d;

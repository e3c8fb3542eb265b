// Seeded randomness for the synthetic country: a small fast PRNG (sfc32, seeded through splitmix32),
// a string hash to derive independent streams from one seed, Walker's alias tables for weighted picks in
// O(1), and a keyed permutation of 0..999,999 that hands out unique CCCD serials without remembering
// the ones already used. Only 32-bit integer arithmetic, so every platform gives the same numbers.

/** splitmix32 step: a well-mixed 32-bit value from any 32-bit state. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units, then mixed: a stable 32-bit key for a stream name. */
export function hash32(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** sfc32 (Chris Doty-Humphrey's small fast counter): passes PractRand, 4 words of state. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x6a09e667);
    this.c = mix32(this.b ^ 0xbb67ae85);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32(); // warm up
  }

  /** A stream named by `parts`, independent of every other name under the same seed. */
  static stream(seed: number, ...parts: Array<string | number>): Rng {
    return new Rng(hash32(seed, ...parts));
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i] as T;
      xs[i] = xs[j] as T;
      xs[j] = t;
    }
    return xs;
  }
}

/** Weighted choice in O(1) per draw (Vose's alias method). */
export class AliasTable<T> {
  readonly items: readonly T[];
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const n = entries.length;
    if (n === 0) throw new Error('AliasTable needs at least one entry');
    const total = entries.reduce((s, [, w]) => s + w, 0);
    this.items = entries.map(([v]) => v);
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = entries.map(([, w]) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1; // rounding leftovers
  }

  /** Index of a weighted draw. */
  index(rng: Rng): number {
    const u = rng.float() * this.items.length;
    const i = Math.floor(u);
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }

  pick(rng: Rng): T {
    return this.items[this.index(rng)]!;
  }
}

/**
 * A bijection of 0..999,999 keyed by `key`: a 4-round Feistel network on 20 bits with cycle walking
 * (2^20 = 1,048,576 ≥ 10^6). Feeding it 0, 1, 2 … gives distinct, random-looking 6-digit serials.
 */
export function permute6(key: number, i: number): number {
  if (i < 0 || i >= 1_000_000) throw new RangeError('permute6: index out of range');
  let x = i;
  do {
    let l = x >>> 10;
    let r = x & 0x3ff;
    for (let round = 0; round < 4; round++) {
      const f = mix32((key + Math.imul(round + 1, 0x9e3779b1)) ^ r) & 0x3ff;
      const nl = r;
      r = l ^ f;
      l = nl;
    }
    x = (l << 10) | r;
  } while (x >= 1_000_000);
  return x;
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder), so the parts add up
 * exactly. Ties go to the earlier index, which keeps it deterministic.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]![1]]! += 1;
  return parts;
}

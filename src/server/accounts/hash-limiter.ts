// Bounds the password hashes computed at once (HASH_CONCURRENCY): each argon2id hash takes 19 MiB and a
// core for ~10 ms, so a burst of sign-ins queues here instead of exhausting memory. Past a queue bound the
// caller gets 503 with Retry-After (shed load early rather than time out late).
import { AppError } from '../http/errors.ts';

export class HashLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number = Math.max(256, concurrency * 128),
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw AppError.unavailable(2);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // hand the slot straight to the next waiter, so `active` never drops and rises again in between
      if (next) next();
      else this.active--;
    }
  }

  /**
   * Hash a whole batch (bulk issuance) through the limiter without flooding its queue: at most
   * `concurrency` of the batch wait or run at any moment, so sign-ins keep their place in line.
   */
  async map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    const out = new Array<R>(items.length);
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await this.run(() => fn(items[i]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, lane));
    return out;
  }
}

// A circuit breaker per national link: after `failureThreshold` failures in a row the link is "open" and
// calls fail at once (no request leaves) for `coolDownMs`; then one trial call is let through
// ("half-open"): success closes the breaker, failure opens it again. Only failures that say the link is
// unwell count (timeouts, dropped connections, 5xx); a refused message (4xx) is the message's problem.
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  /** monotonic-enough milliseconds; injected so tests can step past the cool-down */
  now?: () => number;
}

export class BreakerOpenError extends Error {
  readonly retryable = true;
  constructor(
    readonly link: string,
    readonly retryInMs: number,
  ) {
    super(`${link}: circuit breaker open, next trial in ${Math.ceil(retryInMs / 1000)} s`);
    this.name = 'BreakerOpenError';
  }
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
  /** when an open breaker lets the next trial through */
  reopensAt: number | null;
  successes: number;
  failures: number;
  /** calls refused without trying because the breaker was open */
  rejected: number;
  /** how many times it opened since the process started */
  opened: number;
}

export class CircuitBreaker {
  private st: BreakerState = 'closed';
  private consecutive = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly counts = { successes: 0, failures: 0, rejected: 0, opened: 0 };
  private readonly now: () => number;

  constructor(
    readonly link: string,
    private readonly opts: BreakerOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The state now (an open breaker whose cool-down is over reads as half-open). */
  state(): BreakerState {
    if (this.st === 'open' && this.openedAt !== null && this.now() - this.openedAt >= this.opts.coolDownMs) this.st = 'half_open';
    return this.st;
  }

  snapshot(): BreakerSnapshot {
    const state = this.state();
    return {
      state,
      consecutiveFailures: this.consecutive,
      openedAt: this.openedAt,
      reopensAt: state === 'open' && this.openedAt !== null ? this.openedAt + this.opts.coolDownMs : null,
      ...this.counts,
    };
  }

  /**
   * Runs `fn` unless the breaker is open. `countsAsFailure` says whether an error means the link is unwell;
   * other errors pass through without touching the breaker.
   */
  async run<T>(fn: () => Promise<T>, countsAsFailure: (e: unknown) => boolean): Promise<T> {
    const state = this.state();
    if (state === 'open' || (state === 'half_open' && this.trialInFlight)) {
      this.counts.rejected++;
      throw new BreakerOpenError(this.link, Math.max(0, (this.openedAt ?? this.now()) + this.opts.coolDownMs - this.now()));
    }
    const trial = state === 'half_open';
    if (trial) this.trialInFlight = true;
    try {
      const out = await fn();
      this.onSuccess();
      return out;
    } catch (e) {
      if (countsAsFailure(e)) this.onFailure();
      else if (trial) this.onSuccess(); // the link answered: it is well, whatever it thought of the message
      throw e;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private onSuccess(): void {
    this.counts.successes++;
    this.consecutive = 0;
    this.st = 'closed';
    this.openedAt = null;
  }

  private onFailure(): void {
    this.counts.failures++;
    this.consecutive++;
    if (this.st === 'half_open' || this.consecutive >= this.opts.failureThreshold) {
      if (this.st !== 'open') this.counts.opened++;
      this.st = 'open';
      this.openedAt = this.now();
    }
  }
}

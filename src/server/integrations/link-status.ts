// What the operations page shows for each national link: up / slow / down / breaker open, the last
// success and the last error, from the calls this process made (like the rest of that page, per process).
import type { z } from 'zod';
import type { CircuitBreaker } from './breaker.ts';
import { LINK_NAMES, linkStatus, linkStatusesResponse } from '../../contracts/links.ts';

export { LINK_NAMES, linkStatusesResponse };
export const linkStatusSchema = linkStatus;
export type LinkName = (typeof LINK_NAMES)[number];
export type LinkStatus = z.infer<typeof linkStatus>;

/** Outcome bookkeeping for one link; the breaker's own counters are read when a status is asked for. */
export class LinkTracker {
  private lastSuccess: Date | null = null;
  private lastErrorAt: Date | null = null;
  private lastError: string | null = null;
  private lastLatency: number | null = null;
  private lastWasFailure = false;
  backlog: (() => number | null) | null = null;

  constructor(
    readonly link: LinkName,
    readonly configured: boolean,
    readonly breaker: CircuitBreaker,
    private readonly slowMs: number,
  ) {}

  success(at: Date, latencyMs: number): void {
    this.lastSuccess = at;
    this.lastLatency = latencyMs;
    this.lastWasFailure = false;
  }

  failure(at: Date, description: string, latencyMs: number | null): void {
    this.lastErrorAt = at;
    this.lastError = description.slice(0, 200);
    if (latencyMs !== null) this.lastLatency = latencyMs;
    this.lastWasFailure = true;
  }

  status(): LinkStatus {
    const b = this.breaker.snapshot();
    const state: LinkStatus['state'] =
      b.state === 'open'
        ? 'breaker_open'
        : this.lastWasFailure
          ? 'down'
          : this.lastSuccess === null
            ? 'unknown'
            : (this.lastLatency ?? 0) >= this.slowMs
              ? 'slow'
              : 'up';
    return {
      link: this.link,
      configured: this.configured,
      state,
      breaker: { state: b.state, consecutiveFailures: b.consecutiveFailures, reopensAt: b.reopensAt === null ? null : new Date(b.reopensAt).toISOString(), opened: b.opened },
      calls: { successes: b.successes, failures: b.failures, rejected: b.rejected },
      lastSuccessAt: this.lastSuccess?.toISOString() ?? null,
      lastErrorAt: this.lastErrorAt?.toISOString() ?? null,
      lastError: this.lastError,
      lastLatencyMs: this.lastLatency,
      backlog: this.backlog?.() ?? null,
    };
  }
}

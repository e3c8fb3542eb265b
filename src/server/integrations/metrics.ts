// The national links on /metrics: each link's state, its breaker, its calls by outcome and its last success.
import client from 'prom-client';
import type { LinkTracker } from './link-status.ts';

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
const STATES = ['up', 'slow', 'down', 'breaker_open', 'unknown'] as const;

export function registerLinkMetrics(registry: client.Registry, trackers: LinkTracker[]): void {
  new client.Gauge({
    name: 'integration_link_state',
    help: 'National link state: 1 for the current one of up, slow, down, breaker_open, unknown',
    labelNames: ['link', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of trackers) {
        const st = t.status().state;
        for (const s of STATES) this.set({ link: t.link, state: s }, s === st ? 1 : 0);
      }
    },
  });
  new client.Gauge({
    name: 'integration_breaker_state',
    help: 'Circuit breaker per national link: 0 closed, 1 half-open, 2 open',
    labelNames: ['link'],
    registers: [registry],
    collect() {
      for (const t of trackers) this.set({ link: t.link }, BREAKER_VALUE[t.breaker.state()]);
    },
  });
  new client.Counter({
    name: 'integration_breaker_opened_total',
    help: 'Times each link’s breaker opened',
    labelNames: ['link'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of trackers) this.inc({ link: t.link }, t.breaker.snapshot().opened);
    },
  });
  new client.Counter({
    name: 'integration_calls_total',
    help: 'Calls to each national link by outcome (success, failure, rejected by the open breaker)',
    labelNames: ['link', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of trackers) {
        const b = t.breaker.snapshot();
        this.inc({ link: t.link, outcome: 'success' }, b.successes);
        this.inc({ link: t.link, outcome: 'failure' }, b.failures);
        this.inc({ link: t.link, outcome: 'rejected' }, b.rejected);
      }
    },
  });
  new client.Gauge({
    name: 'integration_last_success_timestamp_seconds',
    help: 'When each national link last answered (Unix seconds)',
    labelNames: ['link'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of trackers) {
        const at = t.status().lastSuccessAt;
        if (at) this.set({ link: t.link }, Date.parse(at) / 1000);
      }
    },
  });
}

// The ministry's operations page: live traffic of this process as a compact JSON snapshot, read from the
// same prom-client registry /metrics serves (/metrics stays for scrapers, unauthenticated; this is behind
// the policy). Also adds the business gauges /metrics lacked: dossiers by status and the outbox's depth.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import client from 'prom-client';
import type { Services } from '../context.ts';
import { authorize } from '../policy/policy.ts';
import { currentExamYearCached } from '../exam-years/exam-years.repository.ts';
import { readCounters } from '../stats/stats.repository.ts';
import { outboxDepth } from '../jobs/outbox.repository.ts';
import { getOpsSnapshot } from '../../contracts/ops.ts';
import { routeOf } from '../http/route.ts';
import { takeReading, totalsOf, windowBetween, type OpsSnapshot, type Reading } from './ops-snapshot.ts';
import '../http/route-access.ts';

/** How long a database-backed gauge value is kept: a scrape storm must not become a query storm. */
const GAUGE_TTL_MS = 5000;

function cached<T>(load: () => Promise<T>): () => Promise<T | null> {
  let at = -Infinity;
  let value: Promise<T | null> = Promise.resolve(null);
  return () => {
    const t = performance.now();
    if (t - at >= GAUGE_TTL_MS) {
      at = t;
      // a failed read (database closing, busy) keeps the page showing "unknown" rather than failing
      value = load().catch(() => null);
    }
    return value;
  };
}

function registerBusinessGauges(app: FastifyInstance, s: Services): void {
  const registry = app.metrics.registry;
  const dossiers = cached(async () => {
    const year = await currentExamYearCached(s.db.read);
    if (!year) return null;
    // the dashboard's counters (a few rows), never a count over the dossiers
    const m = await readCounters(s.db.read, year.year, 'national', '');
    return { year: year.year, counts: (['draft', 'submitted', 'returned', 'verified'] as const).map((st) => [st, m.get(`status.${st}`) ?? 0] as const) };
  });
  const outbox = cached(() => outboxDepth(s.db.read));
  new client.Gauge({
    name: 'dossiers',
    help: 'Dossiers of the current exam year by status (the national counters)',
    labelNames: ['status', 'exam_year'],
    registers: [registry],
    async collect() {
      const d = await dossiers();
      this.reset();
      if (d) for (const [status, n] of d.counts) this.set({ status, exam_year: String(d.year) }, n);
    },
  });
  new client.Gauge({
    name: 'outbox_messages',
    help: 'Notification outbox: messages still to deliver (pending) and given up on (dead)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const o = await outbox();
      this.reset();
      if (o) {
        this.set({ status: 'pending' }, o.pending);
        this.set({ status: 'dead' }, o.dead);
      }
    },
  });
}

/** Readings of the registry every few seconds, kept for the last few minutes. */
class Sampler {
  private readings: Reading[] = [];
  private history: OpsSnapshot['history'] = [];
  private lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private lastLagP99: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();

  constructor(
    private readonly registry: client.Registry,
    readonly everyMs: number,
    private readonly keep: number,
  ) {}

  async start(): Promise<void> {
    // the process's own lag histogram: reading prom-client's would reset it under the scraper's feet
    this.lag.enable();
    this.readings.push(await takeReading(this.registry));
    this.timer = setInterval(() => void this.tick().catch(() => {}), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.lag.disable();
  }

  private lagP99Ms(): number | null {
    return this.lag.count > 0 ? this.lag.percentile(99) / 1e6 : this.lastLagP99;
  }

  private async tick(): Promise<void> {
    const r = await takeReading(this.registry);
    const prev = this.readings[this.readings.length - 1];
    const lag = this.lagP99Ms();
    this.lastLagP99 = lag;
    this.lag.reset();
    if (prev) {
      const w = windowBetween(prev, r, lag);
      this.history.push({ at: w.at, requestsPerSecond: w.requestsPerSecond, byClass: w.byClass, p50Ms: w.p50Ms, p99Ms: w.p99Ms, shedPerSecond: w.shedPerSecond, eventLoopP99Ms: w.eventLoopP99Ms, writeQueueDepth: r.gauges.writeQueueDepth });
      if (this.history.length > this.keep) this.history.shift();
    }
    this.readings.push(r);
    if (this.readings.length > 3) this.readings.shift();
  }

  async snapshot(): Promise<OpsSnapshot> {
    const now = await takeReading(this.registry);
    // the newest reading at least one interval old: "current" spans one to two intervals, so a page
    // polling at that interval always sees the traffic since its last poll, never a sliver of time
    const ref = [...this.readings].reverse().find((r) => now.mono - r.mono >= this.everyMs) ?? this.readings[0] ?? now;
    return {
      at: new Date(now.at).toISOString(),
      uptimeSeconds: Math.round((now.mono - this.started) / 1000),
      pid: process.pid,
      sampleSeconds: this.everyMs / 1000,
      current: windowBetween(ref, now, this.lagP99Ms()),
      gauges: now.gauges,
      totals: totalsOf(now),
      history: [...this.history],
    };
  }
}

export async function opsRoutes(app: FastifyInstance, s: Services, opts: { sampleEveryMs?: number; keepSamples?: number } = {}): Promise<void> {
  registerBusinessGauges(app, s);
  const sampler = new Sampler(app.metrics.registry, opts.sampleEveryMs ?? 5000, opts.keepSamples ?? 60);
  await sampler.start();
  app.addHook('onClose', async () => sampler.stop());

  app.withTypeProvider<ZodTypeProvider>().route({
    ...routeOf(getOpsSnapshot),
    config: { access: 'action', action: 'ops.read' },
    logLevel: 'warn',
    handler: async (req, reply) => {
      authorize(req.actor, 'ops.read', { type: 'national' });
      void reply.header('cache-control', 'no-store');
      return sampler.snapshot();
    },
  });
}

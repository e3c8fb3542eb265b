// The operations page's figures, read from this process's prom-client registry: cumulative readings taken
// every few seconds, and the rates, latency percentiles and gauges between two readings. Rates and
// percentiles come from counter and histogram differences (as Prometheus's rate() and
// histogram_quantile() do), so a reading costs a walk over the registry and no database query of its own.
import type client from 'prom-client';
import type { z } from 'zod';
import { ROUTE_GROUP_NAMES, type opsSnapshot, type opsWindow } from '../../contracts/ops.ts';

/** Where a route belongs on the page: a handful of groups a person can read, first match wins. */
const ROUTE_GROUPS: Array<[RegExp, RouteGroup]> = [
  [/^\/api\/(session|account)(\/|$)/, 'session'],
  [/^\/api\/dossier(\/|$)/, 'candidate'],
  [/^\/api\/(dossiers|verification|desk-registrations)(\/|$)/, 'verification'],
  [/^\/api\/(points|staff|users)(\/|$)/, 'accounts'],
  [/^\/api\/stats(\/|$)/, 'stats'],
  [/^\/api\/support(\/|$)/, 'support'],
  [/^\/api\/exports(\/|$)/, 'exports'],
  [/^\/api\/(admin|exam-years|audit)(\/|$)/, 'admin'],
  [/^\/(healthz|readyz|metrics)$|^\/api\/ops(\/|$)/, 'monitoring'],
  [/^\/api\//, 'other'],
  [/^\//, 'static'],
];
export type RouteGroup = (typeof ROUTE_GROUP_NAMES)[number];

export function routeGroup(route: string): RouteGroup {
  for (const [re, g] of ROUTE_GROUPS) if (re.test(route)) return g;
  return 'other';
}

/** Monitoring polls and static files are left out of the service's latency: they would hide the API's. */
const LATENCY_EXCLUDED: ReadonlySet<RouteGroup> = new Set(['monitoring', 'static']);

const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
type StatusClass = (typeof CLASSES)[number];
const classOf = (status: string): StatusClass | null => {
  const c = `${status.charAt(0)}xx`;
  return (CLASSES as readonly string[]).includes(c) ? (c as StatusClass) : null;
};

interface Buckets {
  /** upper bounds in seconds, ascending; the last is Infinity */
  le: number[];
  /** cumulative counts per bound */
  counts: number[];
}

interface GroupReading {
  byClass: Record<StatusClass, number>;
  buckets: Buckets;
}

/** One cumulative reading of the registry. */
export interface Reading {
  /** wall clock (ms) for the page's time axis */
  at: number;
  /** monotonic clock (ms) for the rates */
  mono: number;
  groups: Map<RouteGroup, GroupReading>;
  shed: Record<string, number>;
  signIns: Record<string, number>;
  writeCommits: number | null;
  writeJobs: number | null;
  gauges: Gauges;
}

interface Gauges {
  writeQueueDepth: number;
  lastBatchSize: number;
  pool: { total: number; idle: number; waiting: number };
  outbox: { pending: number; dead: number } | null;
  dossiers: { examYear: number; draft: number; submitted: number; returned: number; verified: number } | null;
}

type MetricValue = { value: number; labels: Record<string, string | number | undefined>; metricName?: string };

async function values(registry: client.Registry, name: string): Promise<MetricValue[] | null> {
  const m = registry.getSingleMetric(name);
  if (!m) return null;
  const got = (await m.get()) as { values: MetricValue[] };
  return got.values;
}

const single = (v: MetricValue[] | null, labels: Record<string, string> = {}): number | null => {
  const hit = v?.find((x) => Object.entries(labels).every(([k, val]) => String(x.labels[k]) === val));
  return hit ? hit.value : null;
};

function byLabel(v: MetricValue[] | null, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of v ?? []) {
    const k = String(x.labels[label] ?? '');
    out[k] = (out[k] ?? 0) + x.value;
  }
  return out;
}

const emptyGroup = (le: number[]): GroupReading => ({ byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, buckets: { le, counts: le.map(() => 0) } });

/** Reads every figure the page shows from the registry (the business gauges are collected, cached, there). */
export async function takeReading(registry: client.Registry): Promise<Reading> {
  const mono = performance.now();
  const at = Date.now();
  const duration = (await values(registry, 'http_request_duration_seconds')) ?? [];
  const le = [...new Set(duration.filter((x) => x.labels['le'] !== undefined).map((x) => (x.labels['le'] === '+Inf' ? Infinity : Number(x.labels['le']))))].sort((a, b) => a - b);
  const groups = new Map<RouteGroup, GroupReading>();
  for (const x of duration) {
    const route = String(x.labels['route'] ?? 'unmatched');
    const g = groups.get(routeGroup(route)) ?? emptyGroup(le);
    groups.set(routeGroup(route), g);
    if (x.metricName?.endsWith('_bucket')) {
      const bound = x.labels['le'] === '+Inf' ? Infinity : Number(x.labels['le']);
      const i = le.indexOf(bound);
      if (i >= 0) g.buckets.counts[i]! += x.value;
    } else if (x.metricName?.endsWith('_count')) {
      const c = classOf(String(x.labels['status'] ?? ''));
      if (c) g.byClass[c] += x.value;
    }
  }
  const pool = await values(registry, 'db_pool_connections');
  const dossiers = await values(registry, 'dossiers');
  const outbox = await values(registry, 'outbox_messages');
  const year = Number(dossiers?.[0]?.labels['exam_year'] ?? 0);
  return {
    at,
    mono,
    groups,
    shed: byLabel(await values(registry, 'http_requests_shed_total'), 'reason'),
    signIns: byLabel(await values(registry, 'sign_ins_total'), 'outcome'),
    writeCommits: single(await values(registry, 'db_write_commits_total')),
    writeJobs: single(await values(registry, 'db_write_jobs_total')),
    gauges: {
      writeQueueDepth: single(await values(registry, 'db_write_queue_depth')) ?? 0,
      lastBatchSize: single(await values(registry, 'db_write_batch_size')) ?? 0,
      pool: { total: single(pool, { state: 'total' }) ?? 0, idle: single(pool, { state: 'idle' }) ?? 0, waiting: single(pool, { state: 'waiting' }) ?? 0 },
      outbox: outbox?.length ? { pending: single(outbox, { status: 'pending' }) ?? 0, dead: single(outbox, { status: 'dead' }) ?? 0 } : null,
      dossiers:
        dossiers?.length && year
          ? {
              examYear: year,
              draft: single(dossiers, { status: 'draft' }) ?? 0,
              submitted: single(dossiers, { status: 'submitted' }) ?? 0,
              returned: single(dossiers, { status: 'returned' }) ?? 0,
              verified: single(dossiers, { status: 'verified' }) ?? 0,
            }
          : null,
    },
  };
}

/** The q-quantile (0..1) of the observations between two cumulative bucket readings, in ms; null if none. */
export function quantileMs(q: number, le: number[], counts: number[]): number | null {
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < le.length; i++) {
    const c = counts[i] ?? 0;
    if (c >= rank) {
      const upper = le[i]!;
      const lower = i === 0 ? 0 : le[i - 1]!;
      // past the last finite bound all we know is "more than it"
      if (!Number.isFinite(upper)) return lower * 1000;
      const below = i === 0 ? 0 : (counts[i - 1] ?? 0);
      const inBucket = c - below;
      const frac = inBucket > 0 ? (rank - below) / inBucket : 1;
      return (lower + (upper - lower) * frac) * 1000;
    }
  }
  return null;
}

const rate = (n: number, seconds: number) => Math.round((n / seconds) * 100) / 100;
const roundMs = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);
const diffRecord = (a: Record<string, number>, b: Record<string, number>) => {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = Math.max(0, (b[k] ?? 0) - (a[k] ?? 0));
  return out;
};

export type OpsWindow = z.infer<typeof opsWindow>;

/** The rates, percentiles and counts between two readings. */
export function windowBetween(a: Reading, b: Reading, eventLoopP99Ms: number | null): OpsWindow {
  const seconds = Math.max(0.001, (b.mono - a.mono) / 1000);
  const byClass: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  let le: number[] = [];
  let served: number[] = [];
  const byGroup: OpsWindow['byGroup'] = [];
  for (const name of ROUTE_GROUP_NAMES) {
    const now = b.groups.get(name);
    if (!now) continue;
    const before = a.groups.get(name) ?? emptyGroup(now.buckets.le);
    const counts = now.buckets.counts.map((c, i) => c - (before.buckets.counts[i] ?? 0));
    const cls = Object.fromEntries(CLASSES.map((c) => [c, now.byClass[c] - before.byClass[c]])) as Record<StatusClass, number>;
    const n = counts[counts.length - 1] ?? 0;
    for (const c of CLASSES) byClass[c] += cls[c];
    if (!LATENCY_EXCLUDED.has(name)) {
      le = now.buckets.le;
      served = counts.map((c, i) => c + (served[i] ?? 0));
    }
    if (n <= 0) continue;
    byGroup.push({
      group: name,
      requestsPerSecond: rate(n, seconds),
      byClass: Object.fromEntries(CLASSES.map((c) => [c, rate(cls[c], seconds)])) as Record<StatusClass, number>,
      p50Ms: roundMs(quantileMs(0.5, now.buckets.le, counts)),
      p99Ms: roundMs(quantileMs(0.99, now.buckets.le, counts)),
    });
  }
  const total = CLASSES.reduce((s, c) => s + byClass[c], 0);
  const shed = diffRecord(a.shed, b.shed);
  const signIns = diffRecord(a.signIns, b.signIns);
  const commits = a.writeCommits !== null && b.writeCommits !== null ? b.writeCommits - a.writeCommits : null;
  const jobs = a.writeJobs !== null && b.writeJobs !== null ? b.writeJobs - a.writeJobs : null;
  return {
    at: new Date(b.at).toISOString(),
    seconds: Math.round(seconds * 100) / 100,
    requestsPerSecond: rate(total, seconds),
    byClass: Object.fromEntries(CLASSES.map((c) => [c, rate(byClass[c], seconds)])) as Record<StatusClass, number>,
    byGroup,
    p50Ms: roundMs(quantileMs(0.5, le, served)),
    p99Ms: roundMs(quantileMs(0.99, le, served)),
    shedPerSecond: rate(Object.values(shed).reduce((s, x) => s + x, 0), seconds),
    shedByReason: Object.fromEntries(Object.entries(shed).filter(([, v]) => v > 0)),
    signIns: { success: signIns['success'] ?? 0, failure: signIns['failure'] ?? 0, throttled: signIns['throttled'] ?? 0 },
    meanBatchSize: commits !== null && jobs !== null && commits > 0 ? Math.round((jobs / commits) * 10) / 10 : null,
    eventLoopP99Ms: eventLoopP99Ms === null ? null : Math.round(eventLoopP99Ms * 10) / 10,
  };
}

export type OpsSnapshot = z.infer<typeof opsSnapshot>;

/** Totals since the process started, from one reading. */
export function totalsOf(r: Reading): OpsSnapshot['totals'] {
  const byClass = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  for (const g of r.groups.values()) for (const c of CLASSES) byClass[c] += g.byClass[c];
  return {
    requests: CLASSES.reduce((s, c) => s + byClass[c], 0),
    byClass,
    shed: Object.values(r.shed).reduce((s, x) => s + x, 0),
    signIns: { success: r.signIns['success'] ?? 0, failure: r.signIns['failure'] ?? 0, throttled: r.signIns['throttled'] ?? 0 },
  };
}

// /metrics in Prometheus format: requests by route and status with latency histograms, event-loop lag,
// the write queue and database pool, requests shed under overload. Each app has its own registry (tests
// build many apps in one process); features add their gauges through app.metrics.
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import client from 'prom-client';
import type { Services } from '../context.ts';
import { authorize } from '../policy/policy.ts';
import '../http/route-access.ts';

export interface AppMetrics {
  registry: client.Registry;
  shed: client.Counter<'reason'>;
  /** latency by route and status: the front door's answers are observed here too */
  requests: client.Histogram<'method' | 'route' | 'status'>;
  signIns: client.Counter<'outcome'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

export function registerMetrics(app: FastifyInstance, s: Services): AppMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const shed = new client.Counter({ name: 'http_requests_shed_total', help: 'Requests answered 503 under overload', labelNames: ['reason'], registers: [registry] });
  const signIns = new client.Counter({ name: 'sign_ins_total', help: 'Sign-in attempts by outcome', labelNames: ['outcome'], registers: [registry] });
  new client.Gauge({
    name: 'db_write_queue_depth',
    help: 'Writes waiting for the next group commit (SQLite) or in flight (PostgreSQL)',
    registers: [registry],
    collect() {
      this.set(s.db.writeStats().depth);
    },
  });
  new client.Gauge({
    name: 'db_write_batch_size',
    help: 'Writes in the last group commit',
    registers: [registry],
    collect() {
      this.set(s.db.writeStats().lastBatchSize);
    },
  });
  // Commits and the writes they carried since start: their ratio is the mean group-commit batch.
  new client.Counter({
    name: 'db_write_commits_total',
    help: 'Write transactions committed (one per group commit on SQLite)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(s.db.writeStats().batches);
    },
  });
  new client.Counter({
    name: 'db_write_lock_waits_total',
    help: 'Times a group commit found another process holding the SQLite write lock and waited for it (a worker process, a second web process)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(s.db.writeStats().lockWaits ?? 0);
    },
  });
  new client.Counter({
    name: 'db_write_lock_wait_seconds_total',
    help: 'Time group commits spent waiting for another process to release the SQLite write lock',
    registers: [registry],
    collect() {
      this.reset();
      this.inc((s.db.writeStats().lockWaitMs ?? 0) / 1000);
    },
  });
  new client.Counter({
    name: 'db_write_jobs_total',
    help: 'Writes committed (requests whose change is durable)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(s.db.writeStats().jobs);
    },
  });
  new client.Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = s.db.dialect.poolStats();
      this.set({ state: 'total' }, p.total);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  // A scraper with the configured token is answered here, before sessions are even looked at; anyone else
  // reaches the route below, which the policy keeps to operators (ops.read).
  const token = s.config.METRICS_TOKEN;
  if (token) {
    app.addHook('onRequest', (req, reply, done) => {
      if (req.method !== 'GET' || req.url.split('?')[0] !== '/metrics' || !bearerMatches(req.headers.authorization, token)) return done();
      // answered here: the hook does not call done, the reply is sent
      registry.metrics().then(
        (text) => void reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text),
        (err: unknown) => done(err as Error),
      );
    });
  }

  const m = { registry, shed, signIns, requests: duration };
  app.decorate('metrics', m);
  return m;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The scrape endpoint; registered with the feature routes so it sits in the route table like them. Without
 * the token (answered in registerMetrics) it is an operator's: the figures show the service's load and its
 * links' failures, which help an attacker time a flood.
 */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { config: { access: 'action', action: 'ops.read' }, logLevel: 'warn' }, async (req, reply) => {
    authorize(req.actor, 'ops.read', { type: 'national' });
    void reply.header('content-type', app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
}

// Graceful overload: when the event loop lags past a bound, too many requests are in flight, or the
// write queue is long, a new request gets 503 with Retry-After at once (the browser keeps the draft and
// retries) instead of every request slowing down until all time out. Health, readiness, metrics and the
// operations page's snapshot are never shed, so operators keep their view of the process.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../context.ts';
import { AppError } from './errors.ts';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics', '/api/ops/snapshot']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OverloadOptions {
  maxEventLoopDelayMs: number;
  maxInFlight: number;
  maxWriteQueue: number;
  retryAfterSeconds?: number;
}

export function registerOverloadGuard(app: FastifyInstance, s: Services, o: OverloadOptions): void {
  const retryAfter = o.retryAfterSeconds ?? 2;
  let inFlight = 0;
  let lagging = false;
  let timer: NodeJS.Timeout | undefined;
  const h = monitorEventLoopDelay({ resolution: 10 });
  if (o.maxEventLoopDelayMs > 0) {
    h.enable();
    // judge the lag over short windows, so the guard lets go as soon as the loop recovers
    timer = setInterval(() => {
      lagging = h.percentile(99) / 1e6 > o.maxEventLoopDelayMs;
      h.reset();
    }, 250);
    timer.unref();
  }

  // a request's own slot (declared, so requests keep one shape)
  if (!app.hasRequestDecorator('countedInFlight')) app.decorateRequest('countedInFlight', false);
  // synchronous hooks (a throw is the hook's error): nothing here waits
  app.addHook('onRequest', (req, _reply, done) => {
    const q = req.url.indexOf('?');
    if (EXEMPT.has(q < 0 ? req.url : req.url.slice(0, q))) return done();
    let reason: string | null = null;
    if (lagging) reason = 'event_loop';
    else if (o.maxInFlight > 0 && inFlight >= o.maxInFlight) reason = 'in_flight';
    else if (o.maxWriteQueue > 0 && WRITE_METHODS.has(req.method) && s.db.writeStats().depth >= o.maxWriteQueue) reason = 'write_queue';
    if (reason) {
      app.metrics?.shed.inc({ reason });
      throw AppError.unavailable(retryAfter);
    }
    inFlight += 1;
    (req as { countedInFlight?: boolean }).countedInFlight = true;
    done();
  });
  const release = (req: object) => {
    const r = req as { countedInFlight?: boolean };
    if (r.countedInFlight) {
      r.countedInFlight = false;
      inFlight -= 1;
    }
  };
  app.addHook('onResponse', (req, _reply, done) => {
    release(req);
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    release(req);
    done();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    h.disable();
  });
}

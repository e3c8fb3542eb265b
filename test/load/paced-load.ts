// A load at a steady offered rate: request i is due at start + i / rate, whatever the server's answers,
// and its latency counts from when it was due (a request that waited for a free connection waited in
// the candidate's browser too), so a server that falls behind shows it in the percentiles instead of
// slowing the load down. autocannon's own rate limit sends each connection's share of a second as one
// burst at the start of the second, which measures bursts, not a rate.
import http from 'node:http';
import type { LoadRequest, LoadResult } from './run-load.ts';

export interface PacedSpec {
  url: string;
  /** requests per second offered */
  rate: number;
  durationSeconds: number;
  /** sent first at the same rate and not counted: the generator's own code and connections warm up */
  warmupSeconds?: number;
  /** connections (each one user's, with its own `ctx`); a due request waits for a free one */
  connections: number;
  next(ctx: Record<string, unknown>): LoadRequest;
  ok?: (status: number) => boolean;
  onResponse?(status: number, body: string, ctx: Record<string, unknown>, headers: Record<string, unknown>): void;
}

export async function runPaced(spec: PacedSpec): Promise<LoadResult> {
  const ok = spec.ok ?? ((s: number) => s >= 200 && s < 300);
  const target = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const free: Array<Record<string, unknown>> = Array.from({ length: spec.connections }, () => ({}));
  const due: number[] = []; // the due times of requests still waiting for a connection
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let inFlight = 0;
  const warmup = spec.warmupSeconds ?? 0;
  const total = Math.round(spec.rate * (warmup + spec.durationSeconds));
  const start = performance.now();
  const counted = start + warmup * 1000;
  let countedEnd = counted;
  let issued = 0;
  // BENCH_SLOW_LOG=<ms>: each counted request slower than that, printed at the end (when it was due, in ms
  // from the start of the counted part, what it was and how long it took): where a p99 comes from
  const slowMs = Number(process.env['BENCH_SLOW_LOG'] ?? 0);
  const slow: string[] = [];

  const send = (ctx: Record<string, unknown>, dueAt: number) => {
    const r = spec.next(ctx);
    const body = r.body;
    inFlight += 1;
    const finish = (status: number, text: string, headers: Record<string, unknown>) => {
      inFlight -= 1;
      if (dueAt >= counted) {
        const now = performance.now();
        countedEnd = now;
        latencies.push(now - dueAt);
        if (slowMs > 0 && now - dueAt > slowMs) slow.push(`${Math.round(dueAt - counted)}\t${Math.round(now - dueAt)}\t${status}\t${r.method ?? 'GET'} ${r.path.split('?')[0]}`);
        if (status) statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
        if (!status || !ok(status)) errors += 1;
      }
      if (status) spec.onResponse?.(status, text, ctx, headers);
      const waiting = due.shift();
      if (waiting !== undefined) send(ctx, waiting);
      else free.push(ctx);
    };
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: r.method ?? 'GET',
        path: r.path,
        headers: { ...(r.headers ?? {}), ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString(), res.headers as Record<string, unknown>));
        res.on('error', () => finish(0, '', {}));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => finish(0, '', {}));
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const upTo = Math.min(total, Math.floor(((now - start) / 1000) * spec.rate) + 1);
      for (; issued < upTo; issued++) {
        const dueAt = start + (issued * 1000) / spec.rate;
        const ctx = free.pop();
        if (ctx) send(ctx, dueAt);
        else due.push(dueAt);
      }
      if (issued < total) setTimeout(tick, 1);
      else {
        const wait = () => (inFlight === 0 && due.length === 0 ? resolve() : setTimeout(wait, 5));
        wait();
      }
    };
    tick();
  });
  const seconds = (countedEnd - counted) / 1000;
  if (slow.length) process.stderr.write(`slow requests (due at ms, took ms, status, request):\n${slow.join('\n')}\n`);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!) : 0);
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  return { rps: Math.round(answered / seconds), p50_ms: pct(50), p99_ms: pct(99), errors, requests: answered, statuses };
}

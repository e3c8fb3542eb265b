// One load run with autocannon, in this process, against a server in another: requests/s, latency
// percentiles and errors, where an error is a failed connection, a timeout or an unexpected status.
import autocannon from 'autocannon';

export interface LoadRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** run for this long … */
  durationSeconds?: number;
  /** … or until this many requests have been answered */
  amount?: number;
  /** builds each request; `ctx` is per connection and survives between its requests */
  next?(ctx: Record<string, unknown>): LoadRequest;
  /**
   * …or one fixed request per connection (connection i sends `fixed(i)` over and over): no work per
   * request in the load generator, so a fast route is not capped by the generator itself
   */
  fixed?(connection: number): LoadRequest;
  /**
   * …or the same request on every connection, with no function anywhere: the only form autocannon's
   * worker threads take (a function cannot be sent to a thread)
   */
  same?: LoadRequest;
  /** autocannon worker threads sharing the connections (with `same`): a generator that is not one thread's limit */
  workers?: number;
  /** statuses that count as success (default: 2xx) */
  ok?: (status: number) => boolean;
  onResponse?(status: number, body: string, ctx: Record<string, unknown>, headers: Record<string, unknown>): void;
  /** a fixed offered rate (requests/s over all connections), for overload tests */
  overallRate?: number;
}

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  requests: number;
  statuses: Record<string, number>;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let unexpected = 0;
  const ok = spec.ok ?? ((s: number) => s >= 200 && s < 300);
  const onResponse = (status: number, body: string, context: unknown, headers: unknown) => {
    if (!ok(status)) {
      unexpected += 1;
      if (process.env['BENCH_DEBUG'] && unexpected <= 3) process.stderr.write(`unexpected ${status}: ${body.slice(0, 300)}\n`);
    }
    spec.onResponse?.(status, body, context as Record<string, unknown>, headers as Record<string, unknown>);
  };
  const asRequest = (r: LoadRequest) => ({
    method: r.method ?? 'GET',
    path: r.path,
    headers: { ...(r.headers ?? {}), ...(r.body ? { 'content-type': 'application/json' } : {}) },
    ...(r.body ? { body: r.body } : {}),
  });
  let connection = 0;
  const fixed = spec.fixed;
  // autocannon notices the end of a run only at its next one-second tick, so its duration is whole
  // seconds: for a run of a fixed number of requests the real span is from the start to the last answer
  const started = performance.now();
  let lastAnswer = started;
  const options: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 10 }),
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    ...(spec.same
      ? { requests: [asRequest(spec.same)], ...(spec.workers && spec.workers > 1 ? { workers: spec.workers } : {}) }
      : fixed
      ? {
          setupClient: (client: { setRequests(r: unknown[]): void }) => {
            client.setRequests([asRequest(fixed(connection++))]);
          },
          // no per-response callback either: statuses come from autocannon's own counts
          requests: [asRequest(fixed(0))],
        }
      : {
          // autocannon clears a connection's context each time it loops over `requests`: one entry
          // repeated keeps the context (the connection's session, its last ETag) for a thousand requests
          requests: Array.from({ length: 1000 }, () => ({
            setupRequest: (req: object, context: object) => ({ ...req, ...asRequest(spec.next!(context as Record<string, unknown>)) }),
            onResponse,
          })),
        }),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: Error | null, r: autocannon.Result) => (err ? reject(err) : resolve(r)));
    if (spec.amount) instance.on('response', () => (lastAnswer = performance.now()));
  });
  const seconds = spec.amount ? (lastAnswer - started) / 1000 : result.duration;
  const statuses: Record<string, number> = {};
  for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = v.count ?? 0;
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  if (fixed || spec.same) unexpected = Object.entries(statuses).filter(([code]) => !ok(Number(code))).reduce((a, [, n]) => a + n, 0);
  return {
    rps: seconds > 0 ? Math.round(total / seconds) : 0,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + unexpected,
    requests: total,
    statuses,
  };
}

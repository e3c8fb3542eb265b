// One HTTP call to a national link: JSON in and out, a timeout through AbortSignal, the circuit breaker
// around it and the outcome noted for the operations page. No retries here: the job queue retries, with
// backoff, the jobs whose handler threw a retryable LinkError.
import type { z } from 'zod';
import { BreakerOpenError } from './breaker.ts';
import type { LinkTracker } from './link-status.ts';
import { keptAliveAgents, RequestTimeoutError, sendRequest, type RawAnswer } from './http-request.ts';

export type LinkErrorKind = 'timeout' | 'network' | 'http' | 'bad_response' | 'breaker_open';

export class LinkError extends Error {
  constructor(
    readonly link: string,
    readonly kind: LinkErrorKind,
    /** true: try again later (the link is unwell); false: this message will never be accepted */
    readonly retryable: boolean,
    message: string,
    readonly status?: number,
    readonly body?: unknown,
  ) {
    super(`${link}: ${message}`);
    this.name = 'LinkError';
  }
}

export interface HttpLinkOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  tracker: LinkTracker;
  /** the clock for the status record's timestamps */
  clock: () => Date;
}

/** HTTP statuses that mean "the service is unwell or busy", not "your message is wrong". */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export class HttpLink {
  private readonly agents = keptAliveAgents();

  constructor(private readonly o: HttpLinkOptions) {}

  /**
   * Sends one request. `acceptStatus` lets a caller treat some 4xx as an answer (a 404 on a look-up).
   * Throws LinkError: retryable for timeouts, dropped connections, 5xx/429 and an open breaker.
   */
  async call<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>, opts: { acceptStatus?: number[]; retryableStatus?: number[] } = {}): Promise<{ status: number; data: T | null }> {
    const { tracker } = this.o;
    const link = tracker.link;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      return await tracker.breaker.run(
        async () => {
          let res: RawAnswer;
          try {
            const headers = { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}) };
            res = await sendRequest(this.agents, new URL(path, this.o.baseUrl), method, headers, body !== undefined ? JSON.stringify(body) : undefined, this.o.timeoutMs);
          } catch (e) {
            if (e instanceof RequestTimeoutError) throw new LinkError(link, 'timeout', true, `timeout after ${this.o.timeoutMs} ms`);
            throw new LinkError(link, 'network', true, `no answer (${(e as Error).message})`);
          }
          const text = res.text;
          if (opts.acceptStatus?.includes(res.status)) return { status: res.status, data: null };
          if (res.status < 200 || res.status > 299) {
            const retry = RETRYABLE_STATUS.has(res.status) || (opts.retryableStatus?.includes(res.status) ?? false);
            throw new LinkError(link, 'http', retry, `HTTP ${res.status}`, res.status, safeJson(text));
          }
          const parsed = schema.safeParse(safeJson(text));
          // a malformed answer is treated as the service being unwell (mid-deploy, a proxy page): retry later
          if (!parsed.success) throw new LinkError(link, 'bad_response', true, `unexpected answer (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`, res.status);
          return { status: res.status, data: parsed.data };
        },
        (e) => e instanceof LinkError && e.retryable,
      ).then((out) => {
        tracker.success(this.o.clock(), elapsed());
        return out;
      });
    } catch (e) {
      if (e instanceof BreakerOpenError) throw new LinkError(link, 'breaker_open', true, e.message);
      if (e instanceof LinkError) {
        if (e.retryable) tracker.failure(this.o.clock(), e.message, elapsed());
        else tracker.success(this.o.clock(), elapsed()); // it answered: the link is up, the message was refused
        throw e;
      }
      tracker.failure(this.o.clock(), (e as Error).message, elapsed());
      throw e;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
}

// The front door: a few public, read-only answers given before the framework sees the request. The results
// morning's look-up (issue 22, item 5) is the one today: a whole country asks for its scores in the same
// quarter hour, the answer is already serialised in memory, and routing, hooks and a reply object would cost
// several times what the answer itself costs. A path here answers only the common, successful case, with the
// headers the framework's own route gave the same answer (replayed, so the two can never differ); anything
// else (a miss, a refusal, the first request after a publication) returns false and goes to the framework,
// which answers it in full. `app.inject` (the tests' requests) always goes through the framework.
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** Answers the request and returns true, or returns false and leaves it untouched for the framework. */
export type FrontPath = (req: IncomingMessage, res: ServerResponse) => boolean;

declare module 'fastify' {
  interface FastifyInstance {
    /** present when the app listens through its own server (buildApp); absent in bare test apps */
    frontDoor?: FrontDoor;
  }
}

/** Headers of an answer that describe that one answer, never replayed. */
const PER_ANSWER = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'strict-transport-security', 'x-request-id', 'set-cookie']);

/** The headers of a framework answer, as a front path may send them again with another body. */
export function replayableHeaders(headers: Readonly<Record<string, string | number | readonly string[] | undefined>>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !PER_ANSWER.has(k.toLowerCase())) out[k] = typeof v === 'number' || typeof v === 'string' ? v : [...v];
  return out;
}

/**
 * The client's address as the framework gives it: behind a trusted proxy, the first address of
 * X-Forwarded-For (every hop trusted, as `trustProxy: true` does); otherwise the socket's peer.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? '';
}

/** Whether the answer travels over https (for HSTS), as the framework decides it. */
export function requestProtocol(req: IncomingMessage, trustProxy: boolean): string {
  if ((req.socket as { encrypted?: boolean }).encrypted) return 'https';
  if (trustProxy) {
    const p = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(p) ? p[0] : p)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return 'http';
}

export class FrontDoor {
  private readonly paths: FrontPath[] = [];

  add(path: FrontPath): void {
    this.paths.push(path);
  }

  /** For Fastify's `serverFactory`: a plain HTTP server that asks the front paths first, with Fastify's timeouts. */
  readonly serverFactory: FastifyServerFactory = (handler, opts) => {
    const server = http.createServer((req, res) => {
      for (const p of this.paths) if (p(req, res)) return;
      handler(req, res);
    });
    const o = opts as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };
    if (o.keepAliveTimeout !== undefined) server.keepAliveTimeout = o.keepAliveTimeout;
    if (o.requestTimeout !== undefined) server.requestTimeout = o.requestTimeout;
    if (o.connectionTimeout !== undefined) server.setTimeout(o.connectionTimeout);
    if (o.maxRequestsPerSocket) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
    return server;
  };
}

// The security headers every answer carries (helmet's set, computed once), and no caching of answers that
// may carry a person's data. The SPA's built index.html loads one module script and one stylesheet from /assets and has no inline
// script or style (checked by headers.test.ts against the build), so the policy needs no hash or nonce; the
// API docs UI sets its own hashed policy (http/openapi.ts) with frame-ancestors tightened the same way.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * the route's answers hold nothing personal and may be cached as the route itself says (aggregate
     * statistics, the API description). Every other answer gets Cache-Control: no-store unless the route set
     * a cache-control of its own, and the header test fails on an /api route that does so without this flag.
     */
    cacheable?: boolean;
  }
}

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  // the favicon is a data: URL; a downloaded file is handed to the browser as a blob: URL
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // plain-http demos on localhost would break if every request were upgraded; https deployments get HSTS
  upgradeInsecureRequests: null,
};

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** HSTS only where the answer travelled over https: directly, or behind a trusted proxy that says so. */
export function servedOverHttps(protocol: string, config: Pick<Config, 'PUBLIC_URL' | 'TRUST_PROXY'>): boolean {
  return protocol === 'https' || (!config.TRUST_PROXY && config.PUBLIC_URL.startsWith('https:'));
}

/** camelCase directive name → its CSP spelling (scriptSrcAttr → script-src-attr) */
const dashed = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The Content-Security-Policy header's value, directives in the order above (null: left out). */
export function cspValue(directives: Record<string, readonly string[] | null> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .filter((e): e is [string, readonly string[]] => e[1] !== null)
    .map(([name, values]) => (values.length ? `${dashed(name)} ${values.join(' ')}` : dashed(name)))
    .join(';');
}

/**
 * The headers every answer carries: what helmet sets with the options this service used it with (CSP as
 * above, Referrer-Policy no-referrer, X-Frame-Options DENY, no Cross-Origin-Embedder-Policy, HSTS apart),
 * computed once at start instead of by helmet on every request (it rebuilt its whole middleware, the CSP
 * parsed again, per request). headers.test.ts compares this set with helmet's own output, so they cannot drift.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = Object.freeze([
  ['content-security-policy', cspValue()],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'DENY'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
] as const);

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  // one synchronous hook for the whole set (set on the raw response as helmet did, so a route's own
  // header of the same name, the docs UI's CSP or a file's, still replaces it)
  app.addHook('onRequest', (req, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of SECURITY_HEADERS) raw.setHeader(name, value);
    if (servedOverHttps(req.protocol, config)) void reply.header('strict-transport-security', HSTS_VALUE);
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    else if (req.url.startsWith('/api/') && !req.routeOptions.config?.cacheable) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

// The security headers every answer carries (helmet), and no caching of answers that may carry a person's
// data. The SPA's built index.html loads one module script and one stylesheet from /assets and has no inline
// script or style (checked by headers.test.ts against the build), so the policy needs no hash or nonce; the
// API docs UI sets its own hashed policy (http/openapi.ts) with frame-ancestors tightened the same way.
import helmet from '@fastify/helmet';
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

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // set below, only over https
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    if (servedOverHttps(req.protocol, config)) void reply.header('strict-transport-security', HSTS_VALUE);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    else if (req.url.startsWith('/api/') && !req.routeOptions.config?.cacheable) void reply.header('cache-control', 'no-store');
    return payload;
  });
}

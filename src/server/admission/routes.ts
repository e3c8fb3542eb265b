// The admission registration API (issue 23): thin handlers over wishes.ts, registered from
// src/contracts/admission.ts. The wish list's ETag is the version a save names in If-Match.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/admission.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { etagOf, parseIfMatch } from '../http/etag.ts';
import { countsForInstitution, findProgrammes, getOwnWishes, saveOwnWishes } from './wishes.ts';
import '../http/route-access.ts';

export async function admissionRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const wish = { access: 'action', action: 'admission.wish' } as const;
  r.route({ ...routeOf(c.searchProgrammes), config: wish, handler: async (req) => findProgrammes(ctxOf(s, req), req.query.q, req.query.limit) });
  r.route({
    ...routeOf(c.getOwnWishes),
    config: wish,
    handler: async (req, reply) => {
      const out = await getOwnWishes(ctxOf(s, req));
      void reply.header('cache-control', 'private, no-store').header('etag', etagOf(out.version));
      return out;
    },
  });
  r.route({
    ...routeOf(c.saveOwnWishes),
    config: wish,
    handler: async (req, reply) => {
      const out = await saveOwnWishes(ctxOf(s, req), parseIfMatch(req.headers['if-match']), req.body);
      void reply.header('cache-control', 'private, no-store').header('etag', etagOf(out.version));
      return out;
    },
  });
  r.route({ ...routeOf(c.institutionCounts), config: { access: 'action', action: 'admission.stats' }, handler: async (req) => countsForInstitution(ctxOf(s, req), req.params.institutionId) });
}

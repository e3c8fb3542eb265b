// The admission registration API (issue 23): thin handlers over wishes.ts, registered from
// src/contracts/admission.ts. The wish list's ETag is the version a save names in If-Match.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/admission.ts';
import * as settingsApi from '../../contracts/admission-settings.ts';
import { getAdmissionSettings, saveAdmissionSettings } from './settings.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { contentTag, etagOf, noneMatchHits, parseIfMatch } from '../http/etag.ts';
import { nationalTotals } from './national-totals.ts';
import { countsForInstitution, findProgrammes, getOwnWishes, saveOwnWishes } from './wishes.ts';
import '../http/route-access.ts';

/** 304: no body, outside the contract's answers (the browser keeps the one it has) */
const notModified = (reply: FastifyReply) => reply.code(304).send();

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
  // the year's admission settings: the ministry's, as the exam year's configuration
  const manage = { access: 'action', action: 'exam_year.manage' } as const;
  r.route({ ...routeOf(settingsApi.getAdmissionSettings), config: manage, handler: async (req) => getAdmissionSettings(ctxOf(s, req), req.params.year) });
  r.route({ ...routeOf(settingsApi.saveAdmissionSettings), config: manage, handler: async (req) => saveAdmissionSettings(ctxOf(s, req), req.params.year, req.body) });
  // counts, never a person, polled by the institution's page: revalidated each time (no-cache), 304 while unchanged
  const counts = { access: 'action', action: 'admission.stats', cacheable: true } as const;
  r.route({
    ...routeOf(c.institutionCounts),
    config: counts,
    handler: async (req, reply) => {
      const out = await countsForInstitution(ctxOf(s, req), req.params.institutionId);
      const tag = contentTag(out);
      void reply.header('cache-control', 'private, no-cache').header('etag', tag);
      if (noneMatchHits(req.headers['if-none-match'], tag)) return notModified(reply);
      return out;
    },
  });
  r.route({
    ...routeOf(c.nationalTotals),
    config: counts,
    handler: async (req, reply) => {
      const out = await nationalTotals(ctxOf(s, req));
      const tag = contentTag(out);
      void reply.header('cache-control', 'private, no-cache').header('etag', tag);
      if (noneMatchHits(req.headers['if-none-match'], tag)) return notModified(reply);
      return out;
    },
  });
}

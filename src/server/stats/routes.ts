// Statistics for dashboards: a unit's counters and its children's key figures (src/contracts/stats.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/stats.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { statsBreakdown, statsSummary } from './read-stats.ts';
import '../http/route-access.ts';

export async function statsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // counts, never a person: a dashboard may keep them a few seconds (security/headers.ts)
  const config = { access: 'action', action: 'stats.read', cacheable: true } as const;
  r.route({
    ...routeOf(c.statsSummary),
    config,
    handler: async (req, reply) => {
      void reply.header('cache-control', 'private, max-age=5');
      return statsSummary(ctxOf(s, req), req.query.level, req.query.unit, req.query.year);
    },
  });
  r.route({
    ...routeOf(c.statsBreakdown),
    config,
    handler: async (req, reply) => {
      void reply.header('cache-control', 'private, max-age=5');
      return statsBreakdown(ctxOf(s, req), req.query.level, req.query.unit);
    },
  });
}

// The published results' statistics (src/contracts/results-stats.ts): counts, never a person.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/results-stats.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { resultsStats } from './read-results-stats.ts';
import '../http/route-access.ts';

export async function resultsStatsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.route({
    ...routeOf(c.resultsStats),
    // figures change only when a council publishes: a dashboard may keep them a minute
    config: { access: 'action', action: 'results.stats', cacheable: true },
    handler: async (req, reply) => {
      void reply.header('cache-control', 'private, max-age=60');
      return resultsStats(ctxOf(s, req), req.query.level, req.query.unit, req.query.year);
    },
  });
}

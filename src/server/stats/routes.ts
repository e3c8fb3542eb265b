// Statistics for dashboards: a unit's counters and its children's key figures.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../context.ts';
import { ctxOf as backOfficeCtx } from '../context.ts';
import { statsBreakdown, statsSummary } from './read-stats.ts';
import '../http/route-access.ts';

const summaryQuery = z.strictObject({
  level: z.enum(['national', 'department', 'point']),
  /** department code ('01') or point id ('org-01001'); not for national */
  unit: z.string().min(1).max(64).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
const breakdownQuery = z.strictObject({ level: z.enum(['national', 'department']), unit: z.string().min(1).max(64).optional() });

export async function statsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stats'];
  r.get('/api/stats/summary', { config: { access: 'action', action: 'stats.read' }, schema: { tags, querystring: summaryQuery } }, async (req, reply) => {
    void reply.header('cache-control', 'private, max-age=5');
    return statsSummary(backOfficeCtx(s, req), req.query.level, req.query.unit, req.query.year);
  });
  r.get('/api/stats/breakdown', { config: { access: 'action', action: 'stats.read' }, schema: { tags, querystring: breakdownQuery } }, async (req, reply) => {
    void reply.header('cache-control', 'private, max-age=5');
    return statsBreakdown(backOfficeCtx(s, req), req.query.level, req.query.unit);
  });
}

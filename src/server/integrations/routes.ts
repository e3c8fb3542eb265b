// The national links' routes: their state for the operations page, and sign-in with VNeID.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../context.ts';
import { authorize } from '../policy/policy.ts';
import { linkStatusesResponse, LINK_NAMES } from './link-status.ts';
import { registerLinkMetrics } from './metrics.ts';
import { integrationsRuntime } from './runtime.ts';
import { vneidRoutes } from './vneid/routes.ts';
import '../http/route-access.ts';

export async function integrationsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const rt = integrationsRuntime(s);
  registerLinkMetrics(app.metrics.registry, LINK_NAMES.map((l) => rt.trackers[l]));
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/ops/links',
    {
      config: { access: 'action', action: 'ops.read' },
      logLevel: 'warn',
      schema: { tags: ['operations'], summary: 'Each national link’s state (up, slow, down, breaker open), last success and last error, as this process saw them', response: { 200: linkStatusesResponse } },
    },
    async (req, reply) => {
      authorize(req.actor, 'ops.read', { type: 'national' });
      void reply.header('cache-control', 'no-store');
      return { links: LINK_NAMES.map((l) => rt.trackers[l].status()) };
    },
  );
  await vneidRoutes(app, s);
}

// The national links' routes: their state for the operations page, the identity flags a point resolves,
// and sign-in with VNeID.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Services } from '../context.ts';
import type { DossierDeps } from '../dossiers/commit.ts';
import { authorize } from '../policy/policy.ts';
import { routeOf } from '../http/route.ts';
import { getLinkStatuses, listIdentityFlags, resolveIdentityFlag } from '../../contracts/links.ts';
import { LINK_NAMES } from './link-status.ts';
import { registerLinkMetrics } from './metrics.ts';
import { integrationsRuntime } from './runtime.ts';
import { LinkBacklog } from './backlog.ts';
import { listFlags, resolveFlag } from './flags.ts';
import { vneidRoutes } from './vneid/routes.ts';
import '../http/route-access.ts';

export async function integrationsRoutes(app: FastifyInstance, s: Services, deps: DossierDeps): Promise<void> {
  const rt = integrationsRuntime(s);
  const trackers = LINK_NAMES.map((l) => rt.trackers[l]);
  registerLinkMetrics(app.metrics.registry, trackers);
  const backlog = new LinkBacklog(s.db.read);
  backlog.attach(trackers, app.metrics.registry);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.route({
    ...routeOf(getLinkStatuses),
    config: { access: 'action', action: 'ops.read' },
    logLevel: 'warn',
    handler: async (req, reply) => {
      authorize(req.actor, 'ops.read', { type: 'national' });
      await backlog.refresh();
      void reply.header('cache-control', 'no-store');
      return { links: trackers.map((t) => t.status()) };
    },
  });
  r.route({
    ...routeOf(listIdentityFlags),
    config: { access: 'action', action: 'candidate.read' },
    handler: async (req, reply) => {
      void reply.header('cache-control', 'private, no-store');
      return { items: await listFlags(ctxOf(s, req), req.params.pointId, req.query.status) };
    },
  });
  r.route({
    ...routeOf(resolveIdentityFlag),
    config: { access: 'action', action: 'dossier.correct' },
    handler: async (req) => resolveFlag(ctxOf(s, req), deps, req.params.flagId, req.body),
  });
  await vneidRoutes(app, s);
}

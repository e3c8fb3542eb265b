// Liveness (the process answers) and readiness (the database answers and its schema is current), from
// the contracts in src/contracts/health.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/health.ts';
import { ping } from '../db/create-db.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import '../http/route-access.ts';

export async function healthRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();
  r.route({ ...routeOf(c.liveness), config: { access: 'public' }, handler: async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - started) / 1000) }) });

  r.route({
    ...routeOf(c.readiness),
    config: { access: 'public' },
    handler: async (_req, reply) => {
      try {
        await ping(s.db);
        const pending = await pendingMigrations(s.db.read);
        if (pending.length > 0) {
          return reply.status(503).send({ status: 'not_ready', database: s.db.dialect.name, pendingMigrations: pending });
        }
        return { status: 'ready' as const, database: s.db.dialect.name, pendingMigrations: [] };
      } catch {
        return reply.status(503).send({ status: 'not_ready', database: s.db.dialect.name, reason: 'database unreachable' });
      }
    },
  });
}

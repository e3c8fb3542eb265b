// Liveness (the process answers) and readiness (the database answers and its schema is current).
import type { FastifyInstance } from 'fastify';
import { ping } from '../db/create-db.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { Services } from '../context.ts';
import '../http/route-access.ts';

export async function healthRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const started = Date.now();
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) }));

  app.get('/readyz', { config: { access: 'public' } }, async (_req, reply) => {
    try {
      await ping(s.db);
      const pending = await pendingMigrations(s.db.read);
      if (pending.length > 0) {
        return reply.status(503).send({ status: 'not_ready', database: s.db.dialect.name, pendingMigrations: pending });
      }
      return { status: 'ready', database: s.db.dialect.name, pendingMigrations: [] };
    } catch {
      return reply.status(503).send({ status: 'not_ready', database: s.db.dialect.name, reason: 'database unreachable' });
    }
  });
}

// The back office's routes in one registration for app.ts: verification, statistics (and, as they land,
// exports, support and the ministry's configuration).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../context.ts';
import { verificationRoutes } from './routes.ts';
import { statsRoutes } from '../stats/routes.ts';

export async function backOfficeRoutes(app: FastifyInstance, s: Services): Promise<void> {
  await verificationRoutes(app, s);
  await statsRoutes(app, s);
}

// The accounts feature's routes, registered by app.ts in one line.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../context.ts';
import { sessionRoutes } from './routes.ts';
import { staffRoutes } from './staff-routes.ts';
import { issuanceRoutes } from './issuance-routes.ts';
import { auditRoutes } from '../audit/routes.ts';

export async function accountsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  await sessionRoutes(app, s);
  await staffRoutes(app, s);
  await issuanceRoutes(app, s);
  await auditRoutes(app, s);
}

// Liveness (the process answers) and readiness (the database answers and its schema is current), for
// load balancers and orchestrators.
import { z } from 'zod';
import { errorBody } from './common.ts';
import { operation } from './operation.ts';

export const livenessResponse = z.object({ status: z.literal('ok'), uptimeSeconds: z.number().int() });
export const readyResponse = z.object({ status: z.literal('ready'), database: z.string(), pendingMigrations: z.array(z.string()) });
/** why not: migrations still to apply, or the database does not answer */
export const notReadyResponse = z.object({
  status: z.literal('not_ready'),
  database: z.string(),
  pendingMigrations: z.array(z.string()).optional(),
  reason: z.string().optional(),
});

const tags = ['health'];

export const liveness = operation({ method: 'GET', path: '/healthz', tags, summary: 'The process answers', responses: { 200: livenessResponse } });
export const readiness = operation({
  method: 'GET',
  path: '/readyz',
  tags,
  summary: 'The database answers and its schema is current (503 with the reason otherwise)',
  // a 503 may also be the one error body (the server closing)
  responses: { 200: readyResponse, 503: z.union([notReadyResponse, errorBody]) },
});

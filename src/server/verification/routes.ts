// The verification queue: a point's (or a province's) candidates with their dossier, to verify, return or
// correct (those decisions are the dossier module's: src/server/dossiers/routes.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listQueue, searchQueue, type queueQuery } from '../../contracts/dossier.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { listVerificationQueue } from './list-queue.ts';
import { jsonWithElements } from './json-pieces.ts';
import '../http/route-access.ts';

type QueueQuery = z.output<typeof queueQuery>;

export async function verificationRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // A point's whole list is a thousand lines. The database writes each line in the response's shape (as
  // JSON text) and joins them, so the body is that text in brackets (json-pieces.ts) rather than objects
  // copied through the schema and stringified; in tests the text is still checked against the contract.
  const send = async (req: FastifyRequest, reply: FastifyReply, q: QueueQuery) => {
    const { lines, nextCursor, examYear } = await listVerificationQueue(ctxOf(s, req), q);
    return reply.header('cache-control', 'private, no-store').type('application/json; charset=utf-8').send(jsonWithElements({ examYear, nextCursor }, 'items', lines));
  };
  const config = { access: 'action', action: 'candidate.read' } as const;
  r.route({ ...routeOf(listQueue), config, handler: async (req, reply) => send(req, reply as FastifyReply, req.query) });
  // the same list searched: the search names a person (their name or number), so it comes in the body
  r.route({ ...routeOf(searchQueue), config, handler: async (req, reply) => send(req, reply as FastifyReply, req.body) });
}

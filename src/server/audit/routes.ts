// Reading the audit trail: a department its province's entries, the ministry all. No route writes it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../context.ts';
import { authorizeScope } from '../policy/policy.ts';
import { listAudit } from './audit.repository.ts';
import { auditQuery } from '../accounts/accounts.schema.ts';
import '../http/route-access.ts';

const auditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  departmentCode: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export async function auditRoutes(app: FastifyInstance, s: Services): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/audit',
    {
      config: { access: 'action', action: 'audit.read' },
      schema: { tags: ['audit'], summary: 'Audit trail within the reader’s scope, newest first', querystring: auditQuery, response: { 200: z.object({ entries: z.array(auditEntry) }) } },
    },
    async (req) => {
      const scope = authorizeScope(req.actor, 'audit.read');
      const entries = await listAudit(s.db.read, scope, req.query);
      return { entries: entries.map((e) => ({ ...e })) };
    },
  );
}

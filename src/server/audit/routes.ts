// Reading the audit trail (src/contracts/audit.ts). No route writes it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/audit.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { readAudit } from './read-audit.ts';
import type { AuditRecord } from './audit.repository.ts';
import '../http/route-access.ts';

const present = (e: AuditRecord): z.infer<typeof c.auditEntry> => ({
  id: e.id,
  at: e.at,
  actorId: e.actorId,
  actorRole: e.actorRole,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  departmentCode: e.departmentCode,
  ip: e.ip,
  details: e.details,
});

export async function auditRoutes(app: FastifyInstance, s: Services): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().route({
    ...routeOf(c.listAudit),
    config: { access: 'action', action: 'audit.read' },
    handler: async (req) => ({ entries: (await readAudit(ctxOf(s, req), req.query)).map(present) }),
  });
}

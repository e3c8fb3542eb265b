// Reading the audit trail (a department its province's entries, the ministry all); no operation writes it.
import { z } from 'zod';
import { operation } from './operation.ts';

export const auditQuery = z
  .object({
    targetId: z.string().max(64).optional(),
    actorId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    /** ISO timestamp: entries strictly before it (paging backwards in time) */
    before: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const auditEntry = z.object({
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
export const auditListResponse = z.object({ entries: z.array(auditEntry) });

export const listAudit = operation({ method: 'GET', path: '/api/audit', tags: ['audit'], summary: 'Audit trail within the reader’s scope, newest first', query: auditQuery, responses: { 200: auditListResponse } });

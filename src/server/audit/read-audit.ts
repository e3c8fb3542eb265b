// Reading the audit trail within the reader's scope: a department its province's entries, the ministry all.
import type { Ctx } from '../context.ts';
import { authorizeScope } from '../policy/policy.ts';
import { listAudit, type AuditQuery, type AuditRecord } from './audit.repository.ts';

export async function readAudit(ctx: Ctx, q: AuditQuery): Promise<AuditRecord[]> {
  const scope = authorizeScope(ctx.actor, 'audit.read');
  return listAudit(ctx.db.read, scope, q);
}

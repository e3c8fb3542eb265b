// Sign-out ends the session on the server, so the cookie is worthless even if it was copied.
import { appendAudit } from '../audit/audit.repository.ts';
import { endSession } from './sessions.repository.ts';
import type { Ctx } from '../context.ts';

export async function signOut(ctx: Ctx): Promise<void> {
  const a = ctx.actor;
  if (a.kind !== 'user') return;
  await ctx.db.write(async (trx) => {
    await endSession(trx, a.sessionId, 'signed_out', ctx.now);
    await appendAudit(trx, { action: 'auth.sign_out', actor: a, targetType: 'user', targetId: a.userId, departmentCode: a.departmentCode, ip: ctx.ip }, ctx.now);
  });
}

// An administrator ends every session of a user (a lost phone, a shared computer, a departing officer).
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maskId } from '../logger.ts';
import { findAccount } from './users.repository.ts';
import { endUserSessions } from './sessions.repository.ts';
import { accountResource } from './resources.ts';
import type { Ctx } from '../context.ts';

export async function endSessionsOf(ctx: Ctx, userId: string): Promise<number> {
  const { db, now, actor } = ctx;
  const account = await findAccount(db.read, userId);
  if (!account) throw AppError.notFound('user');
  const resource = accountResource(account);
  if (!resource) throw AppError.forbidden();
  authorize(actor, 'account.end_sessions', resource);
  return db.write(async (trx) => {
    const n = await endUserSessions(trx, account.id, 'ended_by_admin', now);
    await appendAudit(
      trx,
      { action: 'account.sessions_ended', actor, targetType: 'user', targetId: account.id, departmentCode: account.candidate?.departmentCode ?? account.departmentCode, ip: ctx.ip, details: { username: maskId(account.username), sessionsEnded: n } },
      now,
    );
    return n;
  });
}

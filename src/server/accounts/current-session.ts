// The signed-in user as the session answers show them: the account, and when the session ends at the latest.
import { AppError } from '../http/errors.ts';
import type { Ctx } from '../context.ts';
import { findAccount, type AccountRef } from './users.repository.ts';
import { sessionExpiry } from './sessions.repository.ts';

export async function currentSession(ctx: Ctx): Promise<{ user: AccountRef; expiresAt: string }> {
  const a = ctx.actor;
  if (a.kind !== 'user') throw AppError.unauthenticated();
  const user = await findAccount(ctx.db.read, a.userId);
  if (!user) throw AppError.unauthenticated();
  return { user, expiresAt: (await sessionExpiry(ctx.db.read, a.sessionId)) ?? '' };
}

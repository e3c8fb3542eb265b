// A user changes their own password (forced after a one-time password). The current one is verified
// (failures count towards the sign-in throttle, so a stolen session cannot guess it), the new one checked
// against the password rules, every session of the user ends, and a new one opens for this browser.
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Ctx } from '../context.ts';
import type { Config } from '../config.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { checkNewPassword } from './password-policy.ts';
import { findAccount, findPasswordHash, setPassword, type AccountRef } from './users.repository.ts';
import { endUserSessions } from './sessions.repository.ts';
import { openSession, type OpenedSession } from './sessions.ts';
import { signInKeys } from './throttle.ts';
import { tooManyAttempts } from './sign-in.ts';
import type { AccountsRuntime } from './runtime.ts';

/** The new session, and the account as it is after the change (no longer holding a one-time password). */
export async function changePassword(
  ctx: Ctx,
  rt: AccountsRuntime,
  config: Config,
  input: { currentPassword: string; newPassword: string },
): Promise<{ session: OpenedSession; user: AccountRef }> {
  const { db, now, actor } = ctx;
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  const account = await findAccount(db.read, actor.userId);
  const hash = await findPasswordHash(db.read, actor.userId);
  if (!account || !hash) throw AppError.unauthenticated();

  const keys = signInKeys(account.username, ctx.ip ?? 'unknown');
  const wait = await rt.throttle.retryAfter(keys, now);
  if (wait > 0) throw tooManyAttempts(wait);
  const findings = checkNewPassword(input.newPassword, account.username, input.currentPassword);
  if (findings.length > 0) throw AppError.validation(findings);
  if (!(await rt.hashLimiter.run(() => verifyPassword(hash, input.currentPassword)))) {
    await rt.throttle.recordFailure(keys, now);
    throw AppError.validation([
      { code: 'CURRENT_PASSWORD_WRONG', field: 'currentPassword', severity: 'error', vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
    ]);
  }
  const newHash = await rt.hashLimiter.run(() => hashPassword(input.newPassword));
  const session = await db.write(async (trx) => {
    await setPassword(trx, actor.userId, newHash, false, now);
    const ended = await endUserSessions(trx, actor.userId, 'password_changed', now);
    const opened = await openSession(trx, config, actor.userId, now, ctx.ip);
    await appendAudit(
      trx,
      { action: 'account.password_changed', actor, targetType: 'user', targetId: actor.userId, departmentCode: account.departmentCode, ip: ctx.ip, details: { sessionsEnded: ended, wasOneTime: account.mustChangePassword } },
      now,
    );
    return opened;
  });
  const user = await findAccount(db.read, actor.userId);
  if (!user) throw AppError.unauthenticated();
  return { session, user };
}

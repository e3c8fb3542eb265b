// Password reset by the candidate's registration point or a support agent (or, for a staff account, the
// level above): the server generates a new one-time password (nobody chooses it), the user must change it
// at the next sign-in, every open session ends, its known devices are revoked, and the audit log keeps who
// did it and why.
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maskId } from '../logger.ts';
import { hashPassword } from './password.ts';
import { generateSpokenPassword } from './one-time-password.ts';
import { findAccount, setPassword } from './users.repository.ts';
import { countingAccounts } from './account-counts.ts';
import { endUserSessions } from './sessions.repository.ts';
import { revokeAllDevices } from '../mfa/known-devices.repository.ts';
import { accountResource } from './resources.ts';
import type { Ctx } from '../context.ts';
import type { AccountsRuntime } from './runtime.ts';
import { notifyPasswordReset } from '../notifications/notify.ts';
import { newId } from '../ids.ts';
import type { z } from 'zod';
import type { oneTimePasswordResponse } from '../../contracts/accounts.ts';

/** What the reset answers (the contract's shape): the one-time password is shown once. */
export type ResetResult = z.infer<typeof oneTimePasswordResponse>;

export async function resetPassword(ctx: Ctx, rt: AccountsRuntime, userId: string, reason: string): Promise<ResetResult> {
  const { db, now, actor } = ctx;
  const account = await findAccount(db.read, userId);
  if (!account) throw AppError.notFound('user');
  const resource = accountResource(account);
  if (!resource) throw AppError.forbidden();
  authorize(actor, 'account.reset_password', resource);
  // A disabled account stays disabled: enabling it is the level above's decision, not a side effect of
  // a reset; an account never issued is issued with the class, not reset.
  if (account.status === 'disabled') {
    throw new AppError(
      'CONFLICT',
      'Tài khoản này đang bị khoá nên không thể đặt lại mật khẩu. Tài khoản cần được mở khoá trước (điểm tiếp nhận hoặc cấp trên).',
      'This account is disabled, so its password cannot be reset. It must be enabled first (by the registration point or the level above).',
      { code: 'ACCOUNT_DISABLED' },
    );
  }
  if (account.status === 'not_issued') {
    throw new AppError(
      'CONFLICT',
      'Tài khoản chưa được cấp. Thí sinh nhận tài khoản tại điểm tiếp nhận (trường).',
      'The account has not been issued yet. The candidate receives it from their registration point (school).',
      { code: 'ACCOUNT_NOT_ISSUED' },
    );
  }
  // read to the candidate over the phone or at the desk: digits only, shown in groups of four
  const otp = generateSpokenPassword();
  const hash = await rt.hashLimiter.run(() => hashPassword(otp));
  const ended = await db.write(async (trx) => {
    await countingAccounts(trx, [account.id], () => setPassword(trx, account.id, hash, true, now));
    const n = await endUserSessions(trx, account.id, 'password_reset', now);
    // a reset means someone else may have had the password: no browser stays known
    const devicesRevoked = await revokeAllDevices(trx, account.id, now, 'password_reset');
    // the candidate hears of it (e-mail / SMS through the outbox), in the same transaction
    if (account.role === 'candidate') await notifyPasswordReset(trx, account.id, newId(), now);
    await appendAudit(
      trx,
      {
        action: 'account.password_reset',
        actor,
        targetType: 'user',
        targetId: account.id,
        departmentCode: account.candidate?.departmentCode ?? account.departmentCode,
        ip: ctx.ip,
        details: { username: maskId(account.username), reason: reason.normalize('NFC'), sessionsEnded: n, devicesRevoked },
      },
      now,
    );
    return n;
  });
  return { userId: account.id, username: account.username, displayName: account.candidate?.fullName ?? account.displayName, oneTimePassword: otp, sessionsEnded: ended };
}

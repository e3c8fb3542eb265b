// The second factor's commands: enrolment (a new secret shown once, confirmed with a code, then ten
// recovery codes shown once), the second step of sign-in (a TOTP code, or a recovery code when the phone is
// lost), new recovery codes, turning it off (roles that need not have it), and the reset by the level
// above (which also revokes the account's known devices). Every change and every failed code is audited;
// wrong codes are throttled per account.
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maskId } from '../logger.ts';
import { authorize } from '../policy/policy.ts';
import { findAccount, type AccountRef } from '../accounts/users.repository.ts';
import { endUserSessions } from '../accounts/sessions.repository.ts';
import { accountResource } from '../accounts/resources.ts';
import { hashPassword, verifyPassword } from '../accounts/password.ts';
import { secondFactorKeys } from '../accounts/throttle.ts';
import { completeSignIn, tooManyAttempts, type SignInUser } from '../accounts/sign-in.ts';
import type { OpenedSession } from '../accounts/sessions.ts';
import type { AccountsRuntime } from '../accounts/runtime.ts';
import type { Ctx } from '../context.ts';
import type { Config } from '../config.ts';
import { serverKeys } from './server-key.ts';
import { readChallenge, type ChallengeStep } from './challenge.ts';
import { mfaRequiredFor } from './second-step.ts';
import { revokeAllDevices } from './known-devices.repository.ts';
import type { DeviceAtSignIn, RecordedDevice } from './known-devices.ts';
import { activateMfa, deleteMfa, findMfa, findRecoveryCode, putPendingSecret, recoveryCodesLeft, replaceRecoveryCodes, takeStep, useRecoveryCode } from './mfa.repository.ts';
import { canonicalRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri, qrPath } from './totp.ts';

export interface EnrolmentKey {
  secret: string;
  otpauthUri: string;
  qr: { size: number; path: string };
}

const challengeInvalid = (): AppError =>
  new AppError('UNAUTHENTICATED', 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.', 'The sign-in step has expired or is not valid. Please sign in again.', {
    code: 'MFA_CHALLENGE_INVALID',
  });

const codeWrong = (): AppError =>
  new AppError('UNAUTHENTICATED', 'Mã xác thực không đúng hoặc đã được dùng.', 'The verification code is wrong or was already used.', {
    code: 'MFA_CODE_INVALID',
    fields: [{ code: 'MFA_CODE_INVALID', field: 'code', severity: 'error', vi: 'Mã xác thực không đúng hoặc đã được dùng.', en: 'The verification code is wrong or was already used.' }],
  });

const staffOnly = (): AppError =>
  new AppError('FORBIDDEN', 'Xác thực hai lớp chỉ dành cho tài khoản cán bộ.', 'Two-step verification is for staff accounts only.', { code: 'MFA_STAFF_ONLY' });

function signInUser(a: AccountRef): SignInUser {
  const { id, username, role, orgUnitId, displayName, status, mustChangePassword, lastSignInAt, departmentCode } = a;
  return { id, username, role, orgUnitId, displayName, status, mustChangePassword, lastSignInAt, departmentCode };
}

async function challengedAccount(ctx: Ctx, config: Config, token: string, step: ChallengeStep): Promise<AccountRef> {
  const c = readChallenge(serverKeys(config), token, step, ctx.now);
  if (!c) throw challengeInvalid();
  const account = await findAccount(ctx.db.read, c.userId);
  if (!account || account.status !== 'active' || account.role === 'candidate') throw challengeInvalid();
  return account;
}

async function audit(ctx: Ctx, action: string, account: AccountRef, details: Record<string, unknown> = {}): Promise<void> {
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      { action, actor: ctx.actor.kind === 'user' ? ctx.actor : null, targetType: 'user', targetId: account.id, departmentCode: account.departmentCode, ip: ctx.ip, details: { username: maskId(account.username), ...details } },
      ctx.now,
    ),
  );
}

/**
 * Checks a code against the account's active second factor: a TOTP code (used once: its time step must be
 * later than the last accepted one) or an unused recovery code (spent by this use). Throttled and audited.
 */
async function checkSecondFactor(ctx: Ctx, rt: AccountsRuntime, config: Config, account: AccountRef, code: string, pendingOk: boolean): Promise<'totp' | 'recovery_code'> {
  const keys = secondFactorKeys(account.id);
  const wait = await rt.throttle.retryAfter(keys, ctx.now);
  if (wait > 0) throw tooManyAttempts(wait);
  const mfa = await findMfa(ctx.db.read, account.id);
  let used: 'totp' | 'recovery_code' | null = null;
  const typed = code.trim();
  if (mfa && (mfa.status === 'active' || pendingOk)) {
    const secret = serverKeys(config).unseal(mfa.secretSealed);
    const step = secret ? matchTotp(secret, typed.replace(/\s/g, ''), ctx.now) : null;
    if (step !== null) {
      if (mfa.status === 'pending') {
        await ctx.db.write((trx) => activateMfa(trx, account.id, step, ctx.now));
        used = 'totp';
      } else if (await ctx.db.write((trx) => takeStep(trx, account.id, step))) used = 'totp';
    } else if (mfa.status === 'active') {
      const canonical = canonicalRecoveryCode(typed);
      const row = canonical ? await findRecoveryCode(ctx.db.read, account.id, canonical.slice(0, 4)) : undefined;
      if (canonical && row && row.usedAt === null && (await rt.hashLimiter.run(() => verifyPassword(row.hash, canonical)))) {
        if (await ctx.db.write((trx) => useRecoveryCode(trx, account.id, canonical.slice(0, 4), ctx.now))) used = 'recovery_code';
      }
    }
  }
  if (!used) {
    await ctx.db.write(async (trx) => {
      if (rt.throttle.inDatabase) await rt.throttle.recordFailure(keys, ctx.now, trx);
    });
    if (!rt.throttle.inDatabase) await rt.throttle.recordFailure(keys, ctx.now);
    await audit(ctx, 'auth.second_factor_failed', account);
    throw codeWrong();
  }
  if (rt.throttle.inDatabase) await ctx.db.write((trx) => rt.throttle.clear(keys[0]!, trx));
  else await rt.throttle.clear(keys[0]!);
  return used;
}

async function issueRecoveryCodes(ctx: Ctx, rt: AccountsRuntime, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const hashed = await Promise.all(codes.map(async (c) => ({ prefix: c.slice(0, 4), hash: await rt.hashLimiter.run(() => hashPassword(c)) })));
  await ctx.db.write((trx) => replaceRecoveryCodes(trx, userId, hashed, ctx.now));
  return codes;
}

async function startEnrolmentFor(ctx: Ctx, config: Config, account: AccountRef): Promise<EnrolmentKey> {
  const secret = newTotpSecret();
  const stored = await ctx.db.write((trx) => putPendingSecret(trx, account.id, serverKeys(config).seal(secret), ctx.now));
  if (!stored) {
    throw new AppError('CONFLICT', 'Tài khoản đã bật xác thực hai lớp.', 'Two-step verification is already on for this account.', { code: 'MFA_ALREADY_ENROLLED' });
  }
  await audit(ctx, 'mfa.enrolment_started', account);
  return { secret, otpauthUri: otpauthUri(secret, account.username), qr: qrPath(otpauthUri(secret, account.username)) };
}

async function confirmEnrolmentFor(ctx: Ctx, rt: AccountsRuntime, config: Config, account: AccountRef, code: string): Promise<string[]> {
  const mfa = await findMfa(ctx.db.read, account.id);
  if (!mfa || mfa.status !== 'pending') {
    throw new AppError('CONFLICT', 'Chưa có khoá nào chờ xác nhận. Hãy bắt đầu lại việc bật xác thực hai lớp.', 'No key is waiting to be confirmed. Please start setting up two-step verification again.', {
      code: 'MFA_NOT_PENDING',
    });
  }
  await checkSecondFactor(ctx, rt, config, account, code, true);
  const codes = await issueRecoveryCodes(ctx, rt, account.id);
  await audit(ctx, 'mfa.enrolled', account, { recoveryCodes: codes.length });
  return codes;
}

// ---- the second step of sign-in (no session yet: the signed challenge names the account)

export async function signInWithCode(
  ctx: Ctx,
  rt: AccountsRuntime,
  config: Config,
  input: { challenge: string; code: string },
  previousSessionId?: string,
  /** the browser to record as a known device, found by the account's username */
  deviceFor?: (username: string) => DeviceAtSignIn,
): Promise<{ session: OpenedSession & { knownDevice?: RecordedDevice }; user: SignInUser; recoveryCodesLeft: number }> {
  const account = await challengedAccount(ctx, config, input.challenge, 'code');
  const used = await checkSecondFactor(ctx, rt, config, account, input.code, false);
  const left = await recoveryCodesLeft(ctx.db.read, account.id);
  if (used === 'recovery_code') await audit(ctx, 'mfa.recovery_code_used', account, { recoveryCodesLeft: left });
  const user = signInUser(account);
  const session = await completeSignIn(ctx, config, user, previousSessionId, { method: 'password+' + used }, rt, undefined, deviceFor?.(account.username));
  return { session, user, recoveryCodesLeft: left };
}

export async function startSignInEnrolment(ctx: Ctx, config: Config, challenge: string): Promise<EnrolmentKey> {
  return startEnrolmentFor(ctx, config, await challengedAccount(ctx, config, challenge, 'enrol'));
}

export async function confirmSignInEnrolment(
  ctx: Ctx,
  rt: AccountsRuntime,
  config: Config,
  input: { challenge: string; code: string },
  previousSessionId?: string,
  /** the browser to record as a known device, found by the account's username */
  deviceFor?: (username: string) => DeviceAtSignIn,
): Promise<{ session: OpenedSession & { knownDevice?: RecordedDevice }; user: SignInUser; recoveryCodes: string[] }> {
  const account = await challengedAccount(ctx, config, input.challenge, 'enrol');
  const recoveryCodes = await confirmEnrolmentFor(ctx, rt, config, account, input.code);
  const user = signInUser(account);
  const session = await completeSignIn(ctx, config, user, previousSessionId, { method: 'password+totp_enrolment' }, rt, undefined, deviceFor?.(account.username));
  return { session, user, recoveryCodes };
}

// ---- a signed-in staff member's own second factor

async function ownAccount(ctx: Ctx): Promise<AccountRef> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (ctx.actor.role === 'candidate') throw staffOnly();
  const account = await findAccount(ctx.db.read, ctx.actor.userId);
  if (!account) throw AppError.unauthenticated();
  return account;
}

export async function mfaStatus(ctx: Ctx, config: Config): Promise<{ enrolled: boolean; required: boolean; recoveryCodesLeft: number }> {
  const account = await ownAccount(ctx);
  const mfa = await findMfa(ctx.db.read, account.id);
  return { enrolled: mfa?.status === 'active', required: mfaRequiredFor(config, account.role), recoveryCodesLeft: mfa?.status === 'active' ? await recoveryCodesLeft(ctx.db.read, account.id) : 0 };
}

export async function startEnrolment(ctx: Ctx, config: Config): Promise<EnrolmentKey> {
  return startEnrolmentFor(ctx, config, await ownAccount(ctx));
}

export async function confirmEnrolment(ctx: Ctx, rt: AccountsRuntime, config: Config, code: string): Promise<string[]> {
  return confirmEnrolmentFor(ctx, rt, config, await ownAccount(ctx), code);
}

export async function renewRecoveryCodes(ctx: Ctx, rt: AccountsRuntime, config: Config, code: string): Promise<string[]> {
  const account = await ownAccount(ctx);
  const mfa = await findMfa(ctx.db.read, account.id);
  if (mfa?.status !== 'active') throw new AppError('CONFLICT', 'Tài khoản chưa bật xác thực hai lớp.', 'Two-step verification is not on for this account.', { code: 'MFA_NOT_ENROLLED' });
  await checkSecondFactor(ctx, rt, config, account, code, false);
  const codes = await issueRecoveryCodes(ctx, rt, account.id);
  await audit(ctx, 'mfa.recovery_codes_renewed', account, { recoveryCodes: codes.length });
  return codes;
}

export async function turnOffMfa(ctx: Ctx, rt: AccountsRuntime, config: Config, code: string): Promise<void> {
  const account = await ownAccount(ctx);
  if (mfaRequiredFor(config, account.role)) {
    throw new AppError('CONFLICT', 'Vai trò của bạn bắt buộc xác thực hai lớp; không thể tắt.', 'Your role must use two-step verification; it cannot be turned off.', { code: 'MFA_REQUIRED' });
  }
  const mfa = await findMfa(ctx.db.read, account.id);
  if (mfa?.status !== 'active') throw new AppError('CONFLICT', 'Tài khoản chưa bật xác thực hai lớp.', 'Two-step verification is not on for this account.', { code: 'MFA_NOT_ENROLLED' });
  await checkSecondFactor(ctx, rt, config, account, code, false);
  await ctx.db.write((trx) => deleteMfa(trx, account.id));
  await audit(ctx, 'mfa.turned_off', account);
}

// ---- the level above: a lost phone and lost recovery codes

export async function resetMfa(ctx: Ctx, userId: string, reason: string): Promise<{ userId: string; sessionsEnded: number }> {
  const { db, now, actor } = ctx;
  const account = await findAccount(db.read, userId);
  if (!account) throw AppError.notFound('user');
  if (account.role === 'candidate') throw staffOnly();
  const resource = accountResource(account);
  if (!resource) throw AppError.forbidden();
  authorize(actor, 'staff.manage', resource);
  const sessionsEnded = await db.write(async (trx) => {
    const had = await deleteMfa(trx, account.id);
    const n = await endUserSessions(trx, account.id, 'mfa_reset', now);
    // whoever holds the lost phone may hold a known browser too: none lets anyone past the lock any more
    const devicesRevoked = await revokeAllDevices(trx, account.id, now, 'mfa_reset');
    await appendAudit(
      trx,
      {
        action: 'mfa.reset',
        actor,
        targetType: 'user',
        targetId: account.id,
        departmentCode: account.departmentCode,
        ip: ctx.ip,
        details: { username: maskId(account.username), reason: reason.normalize('NFC'), hadSecondFactor: had, sessionsEnded: n, devicesRevoked },
      },
      now,
    );
    return n;
  });
  return { userId: account.id, sessionsEnded };
}

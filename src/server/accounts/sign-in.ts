// Sign-in: throttle check, argon2id verify (bounded), then a new session in one write transaction with
// the audit entry. Unknown usernames, accounts without a password yet and wrong passwords get the same
// answer after the same work (a verify against a fixed hash), so the answer never tells whether a CCCD
// has an account.
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maskId } from '../logger.ts';
import { verifyPassword } from './password.ts';
import { findUserForSignIn, markSignedIn, type User } from './users.repository.ts';
import { countingAccounts } from './account-counts.ts';
import { endSession } from './sessions.repository.ts';
import { openSession, type OpenedSession } from './sessions.ts';
import { knownDeviceKeys, signInKeys, type ThrottleKey } from './throttle.ts';
import { secondStepFor, type SecondStep } from '../mfa/second-step.ts';
import { isActiveDeviceOf } from '../mfa/known-devices.repository.ts';
import { recordDeviceUse, type DeviceAtSignIn, type RecordedDevice } from '../mfa/known-devices.ts';
import { normaliseUsername } from './username.ts';
import type { Ctx } from '../context.ts';
import type { Config } from '../config.ts';
import type { AccountsRuntime } from './runtime.ts';

export function tooManyAttempts(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    'TOO_MANY_REQUESTS',
    `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng ${minutes} phút. Nếu quên mật khẩu, hãy liên hệ trường hoặc tổng đài hỗ trợ.`,
    `Too many failed sign-ins. Please try again in about ${minutes} minute(s). If you forgot the password, contact your school or the support desk.`,
    { code: 'SIGN_IN_THROTTLED', headers: { 'retry-after': String(retryAfterSeconds) }, details: { retryAfterSeconds } },
  );
}

export const invalidCredentials = (): AppError =>
  new AppError('UNAUTHENTICATED', 'Tên đăng nhập hoặc mật khẩu không đúng.', 'The username or password is wrong.', { code: 'INVALID_CREDENTIALS' });

export type SignInUser = User & { departmentCode: string | null };

/** A session, or (a staff account with a second factor, or one that must enrol) the challenge of the next step. */
export type SignInResult = { session: OpenedSession & { knownDevice?: RecordedDevice }; user: SignInUser; challenge?: undefined } | { challenge: SecondStep; user: SignInUser; session?: undefined };

export async function signIn(
  ctx: Ctx,
  rt: AccountsRuntime,
  config: Config,
  input: { username: string; password: string },
  previousSessionId?: string,
  /** the device id of a well-signed known-device cookie this browser holds for the username, if any */
  knownDeviceFor?: (username: string) => string | null,
  userAgent?: string,
): Promise<SignInResult> {
  const { db, now } = ctx;
  const username = normaliseUsername(input.username);
  const ip = ctx.ip ?? 'unknown';
  // a cookie counts only while its device row is in force: a revoked device is a stranger again
  const cookieDevice = knownDeviceFor?.(username) ?? null;
  const deviceId = cookieDevice && (await isActiveDeviceOf(db.read, cookieDevice, username, now)) ? cookieDevice : null;
  const keys = deviceId ? knownDeviceKeys(username, ip, deviceId) : signInKeys(username, ip);
  const wait = await rt.throttle.retryAfter(keys, now);
  if (wait > 0) throw tooManyAttempts(wait);

  const user = await findUserForSignIn(db.read, username);
  const hash = user?.passwordHash ?? (await rt.dummyHash());
  const ok = await rt.hashLimiter.run(() => verifyPassword(hash, input.password));
  const usable = ok && user !== undefined && user.passwordHash !== null;

  if (!usable || user.status !== 'active') {
    const reason = !user ? 'unknown_user' : !user.passwordHash ? 'not_issued' : !ok ? 'wrong_password' : 'disabled';
    await db.write(async (trx) => {
      if (rt.throttle.inDatabase) await rt.throttle.recordFailure(keys, now, trx);
      await appendAudit(
        trx,
        {
          action: 'auth.sign_in_failed',
          actor: null,
          targetType: user ? 'user' : null,
          targetId: user?.id ?? null,
          departmentCode: user?.departmentCode ?? null,
          ip: ctx.ip,
          details: { username: maskId(username), reason },
        },
        now,
      );
    });
    if (!rt.throttle.inDatabase) await rt.throttle.recordFailure(keys, now);
    // Only someone holding the right password learns that the account is disabled.
    if (usable && user.status === 'disabled') {
      throw new AppError('FORBIDDEN', 'Tài khoản này đã bị khoá. Vui lòng liên hệ đơn vị quản lý.', 'This account is disabled. Please contact the office that manages it.', {
        code: 'ACCOUNT_DISABLED',
      });
    }
    throw invalidCredentials();
  }

  const challenge = await secondStepFor(ctx, config, user);
  if (challenge) {
    await db.write(async (trx) => {
      if (rt.throttle.inDatabase) await rt.throttle.clear(keys[0]!, trx);
      await appendAudit(
        trx,
        { action: 'auth.password_ok_second_factor_due', actor: null, targetType: 'user', targetId: user.id, departmentCode: user.departmentCode, ip: ctx.ip, details: { username: maskId(username), step: challenge.step } },
        now,
      );
    });
    if (!rt.throttle.inDatabase) await rt.throttle.clear(keys[0]!);
    return { challenge, user };
  }
  const session = await completeSignIn(ctx, config, user, previousSessionId, { method: 'password', knownDevice: deviceId !== null }, rt, keys[0], { cookieDeviceId: cookieDevice, userAgent });
  return { session, user };
}

/**
 * Opens the session of a sign-in that passed every factor, with its audit entry and the browser's known
 * device, in one write; clears the throttle counter of the successful key.
 */
export async function completeSignIn(
  ctx: Ctx,
  config: Config,
  user: SignInUser,
  previousSessionId: string | undefined,
  how: Record<string, unknown>,
  rt: AccountsRuntime,
  clearKey?: ThrottleKey,
  /** the browser, to record as a known device (its cookie is set from the session's `knownDevice`) */
  device?: DeviceAtSignIn,
): Promise<OpenedSession & { knownDevice?: RecordedDevice }> {
  const { db, now } = ctx;
  const username = user.username;
  const session = await db.write(async (trx) => {
    if (previousSessionId) await endSession(trx, previousSessionId, 'rotated', now);
    const opened: OpenedSession & { knownDevice?: RecordedDevice } = await openSession(trx, config, user.id, now, ctx.ip);
    const known = device ? await recordDeviceUse(trx, config.KNOWN_DEVICE_DAYS, user.id, device, now) : undefined;
    if (known) opened.knownDevice = known;
    // the first sign-in counts on the dashboards; later ones change nothing counted (the hot path stays one update)
    if (user.lastSignInAt === null && user.role === 'candidate') await countingAccounts(trx, [user.id], () => markSignedIn(trx, user.id, now));
    else await markSignedIn(trx, user.id, now);
    if (clearKey && rt.throttle.inDatabase) await rt.throttle.clear(clearKey, trx);
    await appendAudit(
      trx,
      { action: 'auth.sign_in', actor: null, targetType: 'user', targetId: user.id, departmentCode: user.departmentCode, ip: ctx.ip, details: { username: maskId(username), sessionId: opened.id, ...how, ...(known ? { deviceId: known.id, deviceAdded: known.added } : {}) } },
      now,
    );
    return opened;
  });
  if (clearKey && !rt.throttle.inDatabase) await rt.throttle.clear(clearKey);
  return session;
}

// Known devices as server records: a complete sign-in records the browser (or marks the use of the one its
// cookie names), the owner lists their devices and revokes any of them, and a revoked device's cookie no
// longer moves its holder past the account-wide sign-in lock (sign-in.ts asks isActiveDeviceOf). Resets
// of the second factor or the password revoke them all (mfa.ts, reset-password.ts, the mfa:reset command).
// Every device added or revoked is audited.
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maskId } from '../logger.ts';
import { findAccount } from '../accounts/users.repository.ts';
import type { Ctx } from '../context.ts';
import type { Config } from '../config.ts';
import { serverKeys } from './server-key.ts';
import { nonce } from './totp.ts';
import { issueKnownDevice } from './known-device.ts';
import { insertKnownDevice, listActiveDevices, revokeDevice, touchKnownDevice } from './known-devices.repository.ts';

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bcoc_coc_browser\/|\bCocCoc\b/i, 'Cốc Cốc'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\b(?:Headless)?Chrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*Safari\//, 'Safari'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/\bWindows\b/, 'Windows'],
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b|\biPod\b/, 'iOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

/** 'Chrome / Windows': enough for the owner to tell their devices apart, too little to fingerprint anyone. */
export function summariseUserAgent(ua: string | undefined): string | null {
  if (!ua) return null;
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? 'Trình duyệt khác / other browser';
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? 'hệ điều hành khác / other system';
  return `${browser} / ${system}`;
}

export interface DeviceCookie {
  name: string;
  value: string;
  maxAge: number;
}

/**
 * After a complete sign-in: the device this browser's cookie names, when it is still in force for this
 * account (its use marked, its end moved out), or a new device (recorded and audited). The cookie to set.
 */
export async function rememberDevice(
  ctx: Ctx,
  config: Config,
  user: { id: string; username: string; departmentCode: string | null },
  cookieDeviceId: string | null,
  userAgent: string | undefined,
): Promise<DeviceCookie> {
  const { db, now } = ctx;
  const keys = serverKeys(config);
  const expiresAt = new Date(now.getTime() + config.KNOWN_DEVICE_DAYS * 86_400_000);
  if (cookieDeviceId && (await db.write((trx) => touchKnownDevice(trx, cookieDeviceId, user.id, now, expiresAt)))) {
    return issueKnownDevice(keys, user.username, cookieDeviceId, now, expiresAt);
  }
  const id = nonce();
  const summary = summariseUserAgent(userAgent);
  await db.write(async (trx) => {
    await insertKnownDevice(trx, { id, userId: user.id, createdAt: now.toISOString(), lastUsedAt: now.toISOString(), expiresAt: expiresAt.toISOString(), userAgent: summary });
    await appendAudit(
      trx,
      { action: 'known_device.added', actor: null, targetType: 'user', targetId: user.id, departmentCode: user.departmentCode, ip: ctx.ip, details: { username: maskId(user.username), deviceId: id, userAgent: summary } },
      now,
    );
  });
  return issueKnownDevice(keys, user.username, id, now, expiresAt);
}

export interface DeviceView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

async function ownAccount(ctx: Ctx) {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const account = await findAccount(ctx.db.read, ctx.actor.userId);
  if (!account) throw AppError.unauthenticated();
  return account;
}

/** The signed-in user's devices in force; `current` marks the one this browser's cookie names. */
export async function listOwnDevices(ctx: Ctx, cookieDeviceFor: (username: string) => string | null): Promise<DeviceView[]> {
  const account = await ownAccount(ctx);
  const here = cookieDeviceFor(account.username);
  return (await listActiveDevices(ctx.db.read, account.id, ctx.now)).map((d) => ({
    id: d.id,
    createdAt: d.createdAt,
    lastUsedAt: d.lastUsedAt,
    expiresAt: d.expiresAt,
    userAgent: d.userAgent,
    current: d.id === here,
  }));
}

/** The owner revokes one of their devices: its cookie stops counting at once. Audited. */
export async function revokeOwnDevice(ctx: Ctx, deviceId: string): Promise<void> {
  const account = await ownAccount(ctx);
  const done = await ctx.db.write(async (trx) => {
    if (!(await revokeDevice(trx, account.id, deviceId, ctx.now, 'owner'))) return false;
    await appendAudit(
      trx,
      { action: 'known_device.revoked', actor: ctx.actor.kind === 'user' ? ctx.actor : null, targetType: 'user', targetId: account.id, departmentCode: account.candidate?.departmentCode ?? account.departmentCode, ip: ctx.ip, details: { username: maskId(account.username), deviceId, reason: 'owner' } },
      ctx.now,
    );
    return true;
  });
  if (!done) throw AppError.notFound('device');
}

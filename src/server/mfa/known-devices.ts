// Known devices as server records: a complete sign-in records the browser (or marks the use of the one its
// cookie names) in its own transaction; the owner lists their devices and revokes any of them; a revoked
// device's cookie no longer moves its holder past the account-wide sign-in lock (sign-in.ts asks
// isActiveDeviceOf). Resets of the second factor or the password revoke them all (mfa.ts,
// reset-password.ts, issue-accounts.ts, the mfa:reset command). Every device added (in the sign-in's audit
// entry) or revoked is audited.
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maskId } from '../logger.ts';
import { findAccount } from '../accounts/users.repository.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Ctx } from '../context.ts';
import { nonce } from './totp.ts';
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

/** What a complete sign-in brings about the browser: the device its cookie names (if well signed) and its user-agent. */
export interface DeviceAtSignIn {
  cookieDeviceId: string | null;
  userAgent: string | undefined;
}

/** The device a sign-in recorded: the cookie to give the browser names it until `expiresAt`. */
export interface RecordedDevice {
  id: string;
  expiresAt: Date;
  added: boolean;
}

/**
 * In a complete sign-in's transaction: the device this browser's cookie names, when it is still in force
 * for this account (its use marked, its end moved out), or a new device. The sign-in's audit entry names it.
 */
export async function recordDeviceUse(trx: Kysely<DB>, days: number, userId: string, device: DeviceAtSignIn, now: Date): Promise<RecordedDevice> {
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  if (device.cookieDeviceId && (await touchKnownDevice(trx, device.cookieDeviceId, userId, now, expiresAt))) return { id: device.cookieDeviceId, expiresAt, added: false };
  const id = nonce();
  await insertKnownDevice(trx, { id, userId, createdAt: now.toISOString(), lastUsedAt: now.toISOString(), expiresAt: expiresAt.toISOString(), userAgent: summariseUserAgent(device.userAgent) });
  return { id, expiresAt, added: true };
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

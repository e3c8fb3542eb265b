// Known-device cookies: after a complete sign-in the browser gets a cookie, signed with the server's key,
// naming the account (by a hash of its username), a device row of known_devices (src/server/mfa/
// known-devices.ts) and when it ends. While an attacker spread over many addresses holds the account-wide
// sign-in lock, a request that brings a valid cookie for that account, whose row is still in force, is
// counted under its own device key instead (tight: 5 failures per window), so the owner still gets in and
// the attacker, who has no cookie, stays locked. One cookie per account, scoped to the sign-in path.
import { createHash } from 'node:crypto';
import type { ServerKeys } from './server-key.ts';

const h = (s: string): string => createHash('sha256').update(s).digest('base64url').slice(0, 16);

/** Cookie names carry a hash of the username: the browser may hold one per account it signed in to. */
export const knownDeviceCookieName = (username: string): string => `ghidanh_device_${h(`u:${username}`)}`;
export const KNOWN_DEVICE_PATH = '/api/session';

/** The cookie for the device row `id`, valid until `expiresAt`. */
export function issueKnownDevice(keys: ServerKeys, username: string, id: string, now: Date, expiresAt: Date): { name: string; value: string; maxAge: number } {
  const exp = expiresAt.getTime();
  const body = `${h(`u:${username}`)}.${exp}.${id}`;
  return { name: knownDeviceCookieName(username), value: `${body}.${keys.sign('device', body)}`, maxAge: Math.max(0, Math.floor((exp - now.getTime()) / 1000)) };
}

/**
 * The device id when the cookie is well signed for this username and not past its end, else null. Whether
 * its row is still in force (not revoked) is the database's to say (known-devices.ts).
 */
export function readKnownDevice(keys: ServerKeys, username: string, value: string | undefined, now: Date): string | null {
  if (!value || value.length > 200) return null;
  const parts = value.split('.');
  if (parts.length !== 4) return null;
  const [who, exp, id, mac] = parts as [string, string, string, string];
  if (who !== h(`u:${username}`) || !/^\d{1,15}$/.test(exp) || Number(exp) <= now.getTime()) return null;
  return keys.verify('device', `${who}.${exp}.${id}`, mac) ? id : null;
}

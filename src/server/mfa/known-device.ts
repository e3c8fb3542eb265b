// Known-device cookies: after a complete sign-in the browser gets a cookie, signed with the server's key,
// naming the account (by a hash of its username) and when it ends. While an attacker spread over many
// addresses holds the account-wide sign-in lock, a request that brings a valid cookie for that account is
// counted under its own device key instead (tight: 5 failures per window), so the owner still gets in and
// the attacker, who has no cookie, stays locked. One cookie per account, scoped to the sign-in path.
import { createHash } from 'node:crypto';
import type { ServerKeys } from './server-key.ts';
import { nonce } from './totp.ts';

const h = (s: string): string => createHash('sha256').update(s).digest('base64url').slice(0, 16);

/** Cookie names carry a hash of the username: the browser may hold one per account it signed in to. */
export const knownDeviceCookieName = (username: string): string => `ghidanh_device_${h(`u:${username}`)}`;
export const KNOWN_DEVICE_PATH = '/api/session';

export function issueKnownDevice(keys: ServerKeys, username: string, now: Date, days: number): { name: string; value: string; maxAge: number } {
  const exp = now.getTime() + days * 86_400_000;
  const id = nonce();
  const body = `${h(`u:${username}`)}.${exp}.${id}`;
  return { name: knownDeviceCookieName(username), value: `${body}.${keys.sign('device', body)}`, maxAge: days * 86_400 };
}

/** The device's id when the cookie is valid for this username now, else null. */
export function readKnownDevice(keys: ServerKeys, username: string, value: string | undefined, now: Date): string | null {
  if (!value || value.length > 200) return null;
  const parts = value.split('.');
  if (parts.length !== 4) return null;
  const [who, exp, id, mac] = parts as [string, string, string, string];
  if (who !== h(`u:${username}`) || !/^\d{1,15}$/.test(exp) || Number(exp) <= now.getTime()) return null;
  return keys.verify('device', `${who}.${exp}.${id}`, mac) ? id : null;
}

// The sign-in challenge: after a right password, a staff account with a second factor (or one that must
// enrol) gets this short-lived signed token instead of a session. It names the account and the step
// ('code' or 'enrol'); nothing is stored, so a forged or stale token is refused by its signature and time.
import type { ServerKeys } from './server-key.ts';
import { nonce } from './totp.ts';

export const CHALLENGE_MINUTES = 5;
export type ChallengeStep = 'code' | 'enrol';

export interface Challenge {
  userId: string;
  step: ChallengeStep;
  expiresAt: Date;
}

export function issueChallenge(keys: ServerKeys, userId: string, step: ChallengeStep, now: Date): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
  const body = Buffer.from(JSON.stringify({ u: userId, s: step, e: expiresAt.getTime(), n: nonce() })).toString('base64url');
  return { token: `${body}.${keys.sign('challenge', body)}`, expiresAt };
}

/** The challenge, or null when the token is malformed, forged, of another step or expired. */
export function readChallenge(keys: ServerKeys, token: string, step: ChallengeStep, now: Date): Challenge | null {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined || !keys.verify('challenge', body, mac)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u?: unknown; s?: unknown; e?: unknown };
    if (typeof p.u !== 'string' || p.s !== step || typeof p.e !== 'number' || p.e <= now.getTime()) return null;
    return { userId: p.u, step, expiresAt: new Date(p.e) };
  } catch {
    return null;
  }
}

// Opening a session: a fresh token (never reused: rotation at sign-in and at password change), its hash
// stored with the absolute end fixed now. Runs inside the caller's write transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Config } from '../config.ts';
import { newId } from '../ids.ts';
import { insertSession } from './sessions.repository.ts';
import { hashSessionToken, newSessionToken, csrfTokenFor } from './session-token.ts';

export interface OpenedSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(trx: Kysely<DB>, config: Config, userId: string, now: Date, ip: string | null): Promise<OpenedSession> {
  const token = newSessionToken();
  const id = newId();
  const expiresAt = new Date(now.getTime() + config.SESSION_ABSOLUTE_HOURS * 3600_000);
  await insertSession(trx, { id, tokenHash: hashSessionToken(token), userId, expiresAt, ip }, now);
  return { id, token, csrfToken: csrfTokenFor(token), expiresAt };
}

/** Whether a session is still alive at `now` under the idle and absolute limits. */
export function sessionAlive(s: { lastSeenAt: string; expiresAt: string; endedAt: string | null }, config: Config, now: Date): boolean {
  if (s.endedAt) return false;
  const t = now.getTime();
  if (t >= Date.parse(s.expiresAt)) return false;
  return t - Date.parse(s.lastSeenAt) < config.SESSION_IDLE_MINUTES * 60_000;
}

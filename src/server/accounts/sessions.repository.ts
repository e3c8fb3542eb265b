// Sessions: one row per sign-in, found by the SHA-256 of the cookie's token. All SQL on sessions here.
import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';

export interface SessionWithUser {
  id: string;
  userId: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
  role: Role;
  orgUnitId: string;
  departmentCode: string | null;
  userStatus: 'not_issued' | 'active' | 'disabled';
  mustChangePassword: boolean;
}

/** The columns a session resolves to (sessions as s, users as u, org_units as o). */
export const SESSION_COLUMNS = ['s.id', 's.user_id', 's.last_seen_at', 's.expires_at', 's.ended_at', 'u.role', 'u.org_unit_id', 'o.department_code', 'u.status', 'u.must_change_password'] as const;

// Every signed-in request resolves its session: compiled once (src/server/db/prepared.ts).
const sessionByTokenHash = prepared<{ tokenHash: string }, SessionRow>((db, p) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .select(SESSION_COLUMNS)
    .where('s.token_hash', '=', p('tokenHash')),
);

export interface SessionRow {
  id: string;
  user_id: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  role: Role;
  org_unit_id: string;
  department_code: string | null;
  status: SessionWithUser['userStatus'];
  must_change_password: number;
}

export function sessionOf(r: SessionRow): SessionWithUser {
  return {
    id: r.id,
    userId: r.user_id,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    role: r.role,
    orgUnitId: r.org_unit_id,
    departmentCode: r.department_code,
    userStatus: r.status,
    mustChangePassword: r.must_change_password === 1,
  };
}

export async function findSessionByTokenHash(db: Kysely<DB>, tokenHash: string): Promise<SessionWithUser | undefined> {
  const r = (await sessionByTokenHash(db, { tokenHash })).rows[0];
  return r ? sessionOf(r) : undefined;
}

const newSession = prepared<{ id: string; tokenHash: string; userId: string; at: string; expiresAt: string; ip: string | null }, never>((db, p) =>
  db.insertInto('sessions').values({
    id: p('id'),
    token_hash: p('tokenHash'),
    user_id: p('userId'),
    created_at: p('at'),
    last_seen_at: p('at'),
    expires_at: p('expiresAt'),
    ended_at: null,
    end_reason: null,
    ip: p('ip'),
  }),
);

export async function insertSession(
  db: Kysely<DB>,
  s: { id: string; tokenHash: string; userId: string; expiresAt: Date; ip: string | null },
  now: Date,
): Promise<void> {
  const ts = now.toISOString();
  await newSession(db, { id: s.id, tokenHash: s.tokenHash, userId: s.userId, at: ts, expiresAt: s.expiresAt.toISOString(), ip: s.ip });
}

const touch = prepared<{ id: string; at: string }, never>((db, p) =>
  db.updateTable('sessions').set({ last_seen_at: p('at') }).where('id', '=', p('id')).where('ended_at', 'is', null),
);

export async function touchSession(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  await touch(db, { id, at: now.toISOString() });
}

export async function endSession(db: Kysely<DB>, id: string, reason: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ ended_at: now.toISOString(), end_reason: reason }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

/** Ends every open session of a user (optionally but one); returns how many were open. */
export async function endUserSessions(db: Kysely<DB>, userId: string, reason: string, now: Date, exceptSessionId?: string): Promise<number> {
  let q = db.updateTable('sessions').set({ ended_at: now.toISOString(), end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function endUsersSessions(db: Kysely<DB>, userIds: string[], reason: string, now: Date): Promise<void> {
  for (let i = 0; i < userIds.length; i += 500) {
    await db
      .updateTable('sessions')
      .set({ ended_at: now.toISOString(), end_reason: reason })
      .where('user_id', 'in', userIds.slice(i, i + 500))
      .where('ended_at', 'is', null)
      .execute();
  }
}

export async function sessionExpiry(db: Kysely<DB>, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('sessions').select('expires_at').where('id', '=', id).executeTakeFirst();
  return r?.expires_at;
}

// All SQL on known devices: one row per known-device cookie (migration 054).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface KnownDevice {
  id: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
}

export async function insertKnownDevice(trx: Kysely<DB>, d: KnownDevice): Promise<void> {
  await trx
    .insertInto('known_devices')
    .values({ id: d.id, user_id: d.userId, created_at: d.createdAt, last_used_at: d.lastUsedAt, expires_at: d.expiresAt, user_agent: d.userAgent, revoked_at: null, revoked_reason: null })
    .execute();
}

/** Whether the device is this username's, not revoked and not expired at `now`. */
export async function isActiveDeviceOf(db: Kysely<DB>, deviceId: string, username: string, now: Date): Promise<boolean> {
  const r = await db
    .selectFrom('known_devices')
    .innerJoin('users', 'users.id', 'known_devices.user_id')
    .select('known_devices.id')
    .where('known_devices.id', '=', deviceId)
    .where('users.username', '=', username)
    .where('known_devices.revoked_at', 'is', null)
    .where('known_devices.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return r !== undefined;
}

/** Marks a use and moves the end out (the cookie is issued again); false when the device is not the user's or no longer active. */
export async function touchKnownDevice(trx: Kysely<DB>, deviceId: string, userId: string, now: Date, expiresAt: Date): Promise<boolean> {
  const r = await trx
    .updateTable('known_devices')
    .set({ last_used_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .where('id', '=', deviceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The user's devices still in force, the most recently used first. */
export async function listActiveDevices(db: Kysely<DB>, userId: string, now: Date): Promise<KnownDevice[]> {
  const rows = await db
    .selectFrom('known_devices')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('last_used_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, userId: r.user_id, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, userAgent: r.user_agent }));
}

export async function revokeDevice(trx: Kysely<DB>, userId: string, deviceId: string, now: Date, reason: string): Promise<boolean> {
  const r = await trx
    .updateTable('known_devices')
    .set({ revoked_at: now.toISOString(), revoked_reason: reason })
    .where('id', '=', deviceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Revokes every device of the user still in force; the number revoked. */
export async function revokeAllDevices(trx: Kysely<DB>, userId: string, now: Date, reason: string): Promise<number> {
  const r = await trx
    .updateTable('known_devices')
    .set({ revoked_at: now.toISOString(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The same for many accounts at once (a class whose passwords are issued again). */
export async function revokeDevicesOfUsers(trx: Kysely<DB>, userIds: string[], now: Date, reason: string): Promise<void> {
  for (let i = 0; i < userIds.length; i += 500) {
    await trx
      .updateTable('known_devices')
      .set({ revoked_at: now.toISOString(), revoked_reason: reason })
      .where('user_id', 'in', userIds.slice(i, i + 500))
      .where('revoked_at', 'is', null)
      .execute();
  }
}

/**
 * Deletes up to `max` devices that ended (expired or revoked) before `cutoff`; the number deleted. Their
 * history stays in the audit log, and a cookie without its row counts for nothing.
 */
export async function purgeKnownDevicesBefore(trx: Kysely<DB>, cutoff: Date, max = 5000): Promise<number> {
  const before = cutoff.toISOString();
  const r = await trx
    .deleteFrom('known_devices')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('known_devices')
        .select('id')
        .where((w) => w.or([w('expires_at', '<', before), w('revoked_at', '<', before)]))
        .limit(max),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

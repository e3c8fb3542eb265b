// All SQL on the second factor's tables: a staff account's sealed TOTP secret and its recovery codes.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface MfaRecord {
  userId: string;
  secretSealed: string;
  status: 'pending' | 'active';
  lastStep: number | null;
}

export async function findMfa(db: Kysely<DB>, userId: string): Promise<MfaRecord | undefined> {
  const r = await db.selectFrom('staff_mfa').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return r ? { userId: r.user_id, secretSealed: r.secret_sealed, status: r.status, lastStep: r.last_step === null ? null : Number(r.last_step) } : undefined;
}

/** A new pending secret replaces any earlier pending one; an active one is never overwritten here. */
export async function putPendingSecret(trx: Kysely<DB>, userId: string, secretSealed: string, now: Date): Promise<boolean> {
  const existing = await trx.selectFrom('staff_mfa').select('status').where('user_id', '=', userId).executeTakeFirst();
  if (existing?.status === 'active') return false;
  if (existing) await trx.updateTable('staff_mfa').set({ secret_sealed: secretSealed, created_at: now.toISOString(), last_step: null }).where('user_id', '=', userId).execute();
  else await trx.insertInto('staff_mfa').values({ user_id: userId, secret_sealed: secretSealed, status: 'pending', last_step: null, created_at: now.toISOString(), confirmed_at: null }).execute();
  return true;
}

export async function activateMfa(trx: Kysely<DB>, userId: string, step: number, now: Date): Promise<void> {
  await trx.updateTable('staff_mfa').set({ status: 'active', last_step: step, confirmed_at: now.toISOString() }).where('user_id', '=', userId).where('status', '=', 'pending').execute();
}

/**
 * Records the time step of an accepted code, only if it is later than the last one: the number of rows
 * changed says whether this code was still unused (two requests racing with one code: one wins).
 */
export async function takeStep(trx: Kysely<DB>, userId: string, step: number): Promise<boolean> {
  const r = await trx
    .updateTable('staff_mfa')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteMfa(trx: Kysely<DB>, userId: string): Promise<boolean> {
  await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  const r = await trx.deleteFrom('staff_mfa').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function replaceRecoveryCodes(trx: Kysely<DB>, userId: string, codes: Array<{ prefix: string; hash: string }>, now: Date): Promise<void> {
  await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  if (codes.length === 0) return;
  await trx
    .insertInto('mfa_recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, prefix: c.prefix, code_hash: c.hash, created_at: now.toISOString(), used_at: null })))
    .execute();
}

export async function findRecoveryCode(db: Kysely<DB>, userId: string, prefix: string): Promise<{ hash: string; usedAt: string | null } | undefined> {
  const r = await db.selectFrom('mfa_recovery_codes').select(['code_hash', 'used_at']).where('user_id', '=', userId).where('prefix', '=', prefix).executeTakeFirst();
  return r ? { hash: r.code_hash, usedAt: r.used_at } : undefined;
}

/** Marks a code used, only if it was unused (the row count says whether this use won). */
export async function useRecoveryCode(trx: Kysely<DB>, userId: string, prefix: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('mfa_recovery_codes')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('prefix', '=', prefix)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recoveryCodesLeft(db: Kysely<DB>, userId: string): Promise<number> {
  const r = await db.selectFrom('mfa_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

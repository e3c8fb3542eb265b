// All SQL on Idempotency-Keys: the first committed result of a non-repeatable request (a submit, a desk
// registration) is kept under (actor, key) in the same transaction as the change itself, so a retry, a
// double click or a second process gets that result back, and the key cannot serve another request. The
// record is thin: the request's fingerprint, the status and the small answer a replay needs.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import type { UnitPart } from '../db/write-unit.ts';

export interface KeyRecord {
  requestHash: string;
  statusCode: number;
  /** the answer a replay gives, as JSON text */
  response: string;
}

export interface NewKeyRecord {
  actorId: string;
  key: string;
  operation: string;
  requestHash: string;
  dossierId: string | null;
  statusCode: number;
  /** JSON text ('null' when the result is written later, by completeKeyRecord) */
  response: string;
  now: Date;
}

const KEY_COLUMNS = { actor_id: 'text', key: 'text', operation: 'text', request_hash: 'text', dossier_id: 'text', status_code: 'integer', response: 'text', created_at: 'text' } as const;

function rowOf(k: NewKeyRecord) {
  return { actor_id: k.actorId, key: k.key, operation: k.operation, request_hash: k.requestHash, dossier_id: k.dossierId, status_code: k.statusCode, response: k.response, created_at: k.now.toISOString() };
}

/** The key's record as a part of a write unit: written exactly when the change is (nothing when the key is taken). */
export function keyRecordPart(k: NewKeyRecord): UnitPart<Record<string, unknown>> {
  return insertRowsPart('idempotency_keys', KEY_COLUMNS, [rowOf(k)], { shape: 'key', onConflict: (oc) => oc.columns(['actor_id', 'key']).doNothing() });
}

const recordByKey = prepared<{ actorId: string; key: string }, { request_hash: string; status_code: number; response: string }>((db, p) =>
  db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response']).where('actor_id', '=', p('actorId')).where('key', '=', p('key')),
);

export async function findKeyRecord(db: Kysely<DB>, actorId: string, key: string): Promise<KeyRecord | null> {
  const r = (await recordByKey(db, { actorId, key })).rows[0];
  return r ? { requestHash: r.request_hash, statusCode: r.status_code, response: r.response } : null;
}

/**
 * Claims the key inside the caller's write: null when this request owns it now, or the record of the request
 * that got there first. If the caller's write rolls back, the claim goes with it.
 */
export async function claimKey(trx: Kysely<DB>, k: NewKeyRecord): Promise<KeyRecord | null> {
  const r = await trx.insertInto('idempotency_keys').values(rowOf(k)).onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) return null;
  const first = await findKeyRecord(trx, k.actorId, k.key);
  if (!first) throw new Error('idempotency key vanished between insert and select');
  return first;
}

/** The result of a claimed key, once the work is done (in the same write). */
export async function completeKeyRecord(trx: Kysely<DB>, actorId: string, key: string, statusCode: number, response: string): Promise<void> {
  await trx.updateTable('idempotency_keys').set({ status_code: statusCode, response }).where('actor_id', '=', actorId).where('key', '=', key).execute();
}

/** Drops at most `max` keys created before `cutoff` (oldest first); the caller repeats it in separate writes. */
export async function purgeKeysBefore(db: Kysely<DB>, cutoff: Date, max = 5000): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb(
        eb.refTuple('actor_id', 'key'),
        'in',
        eb.selectFrom('idempotency_keys').select(['actor_id', 'key']).where('created_at', '<', cutoff.toISOString()).orderBy('created_at').limit(max).$asTuple('actor_id', 'key'),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

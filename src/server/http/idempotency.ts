// Idempotency keys for non-repeatable POSTs (submit, desk registration): the first committed result is
// stored under (actor, key) in the same transaction as the change itself, so a retry, a double click or a
// second process gets that result back, and the key cannot be used for a different request. The unique
// key lives in the database, not in memory, because several processes serve the same users.
import { createHash } from 'node:crypto';
import type { Kysely, QueryCreator } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from './errors.ts';
import { prepared, type Placeholder } from '../db/prepared.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long a key is kept (a retry after a day is a new request). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** The key from the header, or undefined. 8–128 characters of [A-Za-z0-9_.:-] (a UUID fits). */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const v = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (v === '') return undefined;
  if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(v)) {
    throw new AppError('BAD_REQUEST', 'Idempotency-Key không hợp lệ (8–128 ký tự chữ, số, - _ . :).', 'Invalid Idempotency-Key (8–128 letters, digits, - _ . :).', {
      code: 'IDEMPOTENCY_KEY_INVALID',
    });
  }
  return v;
}

function canonical(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** A fingerprint of what the request asks for: the operation, its target and its body (key order ignored). */
export function requestHash(operation: string, target: string, body: unknown): string {
  return createHash('sha256').update(`${operation}\n${target}\n${canonical(body)}`).digest('hex');
}

export interface StoredResult {
  statusCode: number;
  body: unknown;
}

export function keyReused(): AppError {
  return new AppError(
    'UNPROCESSABLE',
    'Mã Idempotency-Key này đã được dùng cho một yêu cầu khác.',
    'This Idempotency-Key was already used for a different request.',
    { code: 'IDEMPOTENCY_KEY_REUSED' },
  );
}

/** What is stored under a key: the request's fingerprint and the result given for it. */
export interface StoredKeyRow {
  request_hash: string;
  status_code: number;
  response: string;
}

const resultByKey = prepared<{ actorId: string; key: string }, StoredKeyRow>((db, p) =>
  db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response']).where('actor_id', '=', p('actorId')).where('key', '=', p('key')),
);

/** The stored result of a key, checking the request is the same one. Undefined when the key is new. */
export async function findIdempotentResult(db: Kysely<DB>, actorId: string, key: string, hash: string): Promise<StoredResult | undefined> {
  return storedResultOf((await resultByKey(db, { actorId, key })).rows[0] ?? null, hash);
}

/** A key's stored row (read by findIdempotentResult or with the session) as the result to give back. */
export function storedResultOf(row: StoredKeyRow | null, hash: string): StoredResult | undefined {
  if (!row) return undefined;
  if (row.request_hash !== hash) throw keyReused();
  return { statusCode: row.status_code, body: JSON.parse(row.response) as unknown };
}

const KEY_COLUMNS = ['actor_id', 'key', 'operation', 'request_hash', 'dossier_id', 'status_code', 'response', 'created_at'] as const;
/** The arguments of a key's claim, each column's value under `${prefix}${column}`. */
export type KeyClaimArgs<P extends string = ''> = Record<`${P}${(typeof KEY_COLUMNS)[number]}`, unknown>;

/**
 * The claim itself, for a prepared query (here, and inside the statement that also makes the change,
 * src/server/registration/registration.repository.ts): inserts the key, or nothing when it is taken.
 */
export function keyClaimInsert<P extends string>(qc: QueryCreator<DB>, p: Placeholder<KeyClaimArgs<P>>, prefix: P) {
  return qc
    .insertInto('idempotency_keys')
    .values(Object.fromEntries(KEY_COLUMNS.map((c) => [c, p(`${prefix}${c}`)])) as never)
    .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing());
}

const claimKey = prepared<KeyClaimArgs, never>((db, p) => keyClaimInsert(db, p, ''));

/** What a claim stores: the request's fingerprint and, when known before the write, its result. */
export function keyClaimArgs<P extends string>(
  k: { actorId: string; key: string; operation: string; hash: string; dossierId: string | null; now: Date; result?: StoredResult },
  prefix: P,
): KeyClaimArgs<P> {
  const row: KeyClaimArgs = {
    actor_id: k.actorId,
    key: k.key,
    operation: k.operation,
    request_hash: k.hash,
    dossier_id: k.dossierId,
    status_code: k.result?.statusCode ?? 0,
    response: k.result ? JSON.stringify(k.result.body) : 'null',
    created_at: k.now.toISOString(),
  };
  return Object.fromEntries(Object.entries(row).map(([c, v]) => [`${prefix}${c}`, v])) as KeyClaimArgs<P>;
}

/**
 * Claims the key inside the caller's write transaction. Returns undefined when this request owns it now,
 * or the stored result when another request got there first. With `result` (known before the write, as
 * for a submit) the key is stored with it in the same statement; without, the caller completes it with
 * `completeIdempotentResult` once the work is done. On PostgreSQL a concurrent claimer waits on the
 * unique index until the first transaction commits, then reads its result; on SQLite the writer is serial.
 * If the caller's transaction (or savepoint) rolls back, the claim goes with it.
 */
export async function claimIdempotencyKey(
  trx: Kysely<DB>,
  k: { actorId: string; key: string; operation: string; hash: string; dossierId: string | null; now: Date; result?: StoredResult },
): Promise<StoredResult | undefined> {
  const r = await claimKey(trx, keyClaimArgs(k, ''));
  if (Number(r.numAffectedRows ?? 0n) === 1) return undefined;
  return resultOfTakenKey(trx, k.actorId, k.key, k.hash);
}

/** The result stored under a key that a claim found taken (by a request that has committed). */
export async function resultOfTakenKey(trx: Kysely<DB>, actorId: string, key: string, hash: string): Promise<StoredResult> {
  const found = await findIdempotentResult(trx, actorId, key, hash);
  if (!found) throw new Error('idempotency key vanished between insert and select');
  return found;
}

export async function completeIdempotentResult(trx: Kysely<DB>, actorId: string, key: string, result: StoredResult): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ status_code: result.statusCode, response: JSON.stringify(result.body) })
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .execute();
}

/**
 * Housekeeping for the worker: drops at most `max` keys older than the TTL (oldest first, through the
 * created_at index) and returns how many. The caller repeats it in separate writes, so a day's worth of
 * keys never holds the SQLite writer for long.
 */
export async function purgeIdempotencyKeys(db: Kysely<DB>, now: Date, max = 5000): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  const r = await db
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb(
        eb.refTuple('actor_id', 'key'),
        'in',
        eb.selectFrom('idempotency_keys').select(['actor_id', 'key']).where('created_at', '<', cutoff).orderBy('created_at').limit(max).$asTuple('actor_id', 'key'),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

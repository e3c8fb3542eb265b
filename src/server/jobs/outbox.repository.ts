// All SQL on the outbox: messages written in the transaction of the event that causes them, claimed by
// workers with a lease, marked sent or scheduled again.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, OutboxTable } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';
import { atEndOfTransactionWhereCombined, type EndOfTransactionWork } from '../db/end-of-transaction.ts';

export type OutboxChannel = OutboxTable['channel'];

export interface OutboxMessage {
  id: string;
  kind: string;
  dedupKey: string;
  channel: OutboxChannel;
  recipientUserId: string | null;
  address: string;
  payload: { subject: string; text: string; [k: string]: unknown };
  attempts: number;
}

export interface NewMessage {
  kind: string;
  /** one message per person per event: a second enqueue with the same key inserts nothing */
  dedupKey: string;
  channel: OutboxChannel;
  recipientUserId: string | null;
  address: string;
  payload: OutboxMessage['payload'];
}

interface MessageRow {
  id: string;
  kind: string;
  dedup_key: string;
  channel: OutboxChannel;
  recipient_user_id: string | null;
  address: string;
  payload: string;
  created_at: string;
}
/** A new message's state: due at once, never tried, held by no worker. */
const NEW_MESSAGE_STATE = { status: 'pending', attempts: 0, locked_until: null, locked_by: null, last_error: null, sent_at: null } as const;

// Compiled once (src/server/db/prepared.ts): one message, and the usual pair (e-mail and SMS of one
// event) as one two-row statement, a round trip less for every event on PostgreSQL.
const messageValues = <R extends string>(p: (name: `${keyof MessageRow & string}${R}`) => unknown, row: R) => ({
  id: p(`id${row}`),
  kind: p(`kind${row}`),
  dedup_key: p(`dedup_key${row}`),
  channel: p(`channel${row}`),
  recipient_user_id: p(`recipient_user_id${row}`),
  address: p(`address${row}`),
  payload: p(`payload${row}`),
  ...NEW_MESSAGE_STATE,
  next_attempt_at: p(`created_at${row}`),
  created_at: p(`created_at${row}`),
});
type RowArgs<R extends string> = { [K in keyof MessageRow as `${K & string}${R}`]: MessageRow[K] };
const insertMessage = prepared<RowArgs<''>, never>((db, p) =>
  db
    .insertInto('outbox')
    .values(messageValues(p as never, '') as never)
    .onConflict((oc) => oc.column('dedup_key').doNothing()),
);
const insertMessagePair = prepared<RowArgs<'0'> & RowArgs<'1'>, never>((db, p) =>
  db
    .insertInto('outbox')
    .values([messageValues(p as never, '0'), messageValues(p as never, '1')] as never)
    .onConflict((oc) => oc.column('dedup_key').doNothing()),
);

function rowOf(m: NewMessage, ts: string): MessageRow {
  return {
    id: newId(),
    kind: m.kind,
    dedup_key: m.dedupKey,
    channel: m.channel,
    recipient_user_id: m.recipientUserId,
    address: m.address,
    payload: JSON.stringify(m.payload),
    created_at: ts,
  };
}

function suffixed<R extends string>(row: MessageRow, r: R): RowArgs<R> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [`${k}${r}`, v])) as RowArgs<R>;
}

/** Inside the caller's transaction. Returns how many were new (the rest were duplicates). */
export async function enqueueMessages(trx: Kysely<DB>, list: NewMessage[], now: Date): Promise<number> {
  const ts = now.toISOString();
  if (list.length === 2) {
    const r = await insertMessagePair(trx, { ...suffixed(rowOf(list[0]!, ts), '0'), ...suffixed(rowOf(list[1]!, ts), '1') });
    return Number(r.numAffectedRows ?? 0n);
  }
  let inserted = 0;
  for (const m of list) {
    const r = await insertMessage(trx, rowOf(m, ts));
    inserted += Number(r.numAffectedRows ?? 0n);
  }
  return inserted;
}

// Messages caused by a dossier change go in, on PostgreSQL, with the transaction's other end-of-transaction
// work (the counters) as one statement, a round trip less per submit.
const OUTBOX_ROWS = 500;
const OUTBOX_WORK: EndOfTransactionWork<MessageRow[]> = {
  name: 'outbox',
  merge: (into, more) => {
    for (const r of more) into.push(r);
    return into;
  },
  flush: async (trx, rows) => {
    let i = 0;
    for (; i + 1 < rows.length; i += 2) await insertMessagePair(trx, { ...suffixed(rows[i]!, '0'), ...suffixed(rows[i + 1]!, '1') });
    if (i < rows.length) await insertMessage(trx, rows[i]!);
  },
  statement: (trx, rows) => {
    if (rows.length === 0) return 'nothing';
    if (rows.length > OUTBOX_ROWS) return undefined;
    return trx
      .insertInto('outbox')
      .values(rows.map((r) => ({ ...r, ...NEW_MESSAGE_STATE, next_attempt_at: r.created_at })))
      .onConflict((oc) => oc.column('dedup_key').doNothing());
  },
};

/**
 * Inside the caller's transaction; on PostgreSQL written just before it commits, in one statement with
 * the transaction's other such work. A message whose dedup key is already there is skipped (nobody
 * learns how many were new).
 */
export async function enqueueMessagesAtCommit(trx: Kysely<DB>, list: NewMessage[], now: Date): Promise<void> {
  const ts = now.toISOString();
  if (list.length > 0) await atEndOfTransactionWhereCombined(trx, OUTBOX_WORK, list.map((m) => rowOf(m, ts)));
}

function toMessage(r: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind,
    dedupKey: r.dedup_key,
    channel: r.channel,
    recipientUserId: r.recipient_user_id,
    address: r.address,
    payload: JSON.parse(r.payload) as OutboxMessage['payload'],
    attempts: r.attempts,
  };
}

/**
 * Claims up to `limit` due messages for `workerId` until `leaseUntil`, counting the attempt now (a crash
 * mid-send still counts). One statement: on SQLite the single writer makes it atomic; on PostgreSQL
 * FOR UPDATE SKIP LOCKED lets several workers claim different rows without waiting on each other.
 */
export async function claimDue(
  trx: Kysely<DB>,
  dialect: 'sqlite' | 'postgres',
  workerId: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OutboxMessage[]> {
  const ts = now.toISOString();
  let due = trx
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', ts)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', ts)]))
    .orderBy('next_attempt_at')
    .limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await trx
    .updateTable('outbox')
    .set({ locked_by: workerId, locked_until: leaseUntil.toISOString(), attempts: sql<number>`attempts + 1` })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toMessage);
}

const sentNow = prepared<{ id: string; at: string }, never>((db, p) =>
  db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: p('at'), locked_until: null, locked_by: null, last_error: null })
    .where('id', '=', p('id'))
    .where('status', '=', 'pending'),
);

export async function markSent(trx: Kysely<DB>, id: string, now: Date): Promise<void> {
  await sentNow(trx, { id, at: now.toISOString() });
}

/** A failed attempt: try again at `next`, or give up (dead) when `dead` is set. Only the lease holder. */
export async function markFailed(trx: Kysely<DB>, id: string, workerId: string, error: string, next: Date, dead: boolean): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({ status: dead ? 'dead' : 'pending', next_attempt_at: next.toISOString(), locked_until: null, locked_by: null, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

export async function outboxCounts(db: Kysely<DB>): Promise<Record<'pending' | 'sent' | 'dead', number>> {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const out = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export async function listOutbox(
  db: Kysely<DB>,
  filter: { recipientUserId?: string; status?: OutboxTable['status'] } = {},
): Promise<Array<OutboxMessage & { status: OutboxTable['status']; lastError: string | null; createdAt: string; sentAt: string | null }>> {
  let q = db.selectFrom('outbox').selectAll();
  if (filter.recipientUserId) q = q.where('recipient_user_id', '=', filter.recipientUserId);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.orderBy('created_at').orderBy('id').limit(10_000).execute();
  return rows.map((r) => ({ ...toMessage(r), status: r.status, lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at }));
}

/** Messages still to deliver and given up on: the outbox's depth, for metrics. Reads only those rows (the index), never the sent ones. */
export async function outboxDepth(db: Kysely<DB>): Promise<{ pending: number; dead: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'dead'])
    .groupBy('status')
    .execute();
  const out = { pending: 0, dead: 0 };
  for (const r of rows) if (r.status === 'pending' || r.status === 'dead') out[r.status] = Number(r.n);
  return out;
}

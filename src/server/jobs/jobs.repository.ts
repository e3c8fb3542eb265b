// All SQL on the job queue: jobs written in the transaction of the change that causes them (as a part of
// its write unit, or inside a write), claimed by workers under a lease, one at a time per ordering key,
// marked done or scheduled again with backoff, or given up on (dead) where people can see them.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB, JobTable } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import { runPart, type UnitPart } from '../db/write-unit.ts';

export interface NewJob {
  kind: string;
  payload: unknown;
  /** one job per event and purpose: a second enqueue with the same key inserts nothing */
  dedupKey?: string | null;
  /** jobs with the same key run one at a time, in orderNo then creation order (a dossier's portal updates) */
  orderingKey?: string | null;
  orderNo?: number;
  /** not before this instant (default: at once) */
  runAt?: Date;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  progress: unknown;
  attempts: number;
  orderingKey: string | null;
  createdAt: string;
}

const JOB_COLUMNS = {
  id: 'text',
  kind: 'text',
  dedup_key: 'text',
  ordering_key: 'text',
  order_no: 'integer',
  payload: 'text',
  status: 'text',
  attempts: 'integer',
  next_attempt_at: 'text',
  created_at: 'text',
} as const;

function rowOf(j: NewJob, ts: string) {
  return {
    id: newId(),
    kind: j.kind,
    dedup_key: j.dedupKey ?? null,
    ordering_key: j.orderingKey ?? null,
    order_no: j.orderNo ?? 0,
    payload: JSON.stringify(j.payload),
    status: 'pending',
    attempts: 0,
    next_attempt_at: j.runAt ? j.runAt.toISOString() : ts,
    created_at: ts,
  };
}

/** The jobs as a part of a write unit (they are written exactly when the change is). */
export function jobsPart(jobs: readonly NewJob[], now: Date): UnitPart<Record<string, unknown>> {
  const ts = now.toISOString();
  return insertRowsPart('jobs', JOB_COLUMNS, jobs.map((j) => rowOf(j, ts)), { shape: 'jobs', onConflict: (oc) => oc.column('dedup_key').doNothing() });
}

/** Inside the caller's write. Returns how many were new (the rest had a dedup key already there). */
export async function enqueueJobs(trx: Kysely<DB>, jobs: readonly NewJob[], now: Date): Promise<number> {
  let n = 0;
  // a few rows a statement: one statement shape per count, a bounded set
  for (let i = 0; i < jobs.length; i += 50) n += await runPart(trx, jobsPart(jobs.slice(i, i + 50), now));
  return n;
}

function claimedOf(r: Pick<JobTable, 'id' | 'kind' | 'payload' | 'progress' | 'ordering_key' | 'created_at'> & { attempts: number }): ClaimedJob {
  return {
    id: r.id,
    kind: r.kind,
    payload: JSON.parse(r.payload) as unknown,
    progress: r.progress ? (JSON.parse(r.progress) as unknown) : null,
    attempts: r.attempts,
    orderingKey: r.ordering_key,
    createdAt: r.created_at,
  };
}

/**
 * One kind's due jobs, oldest due first, that may run now (no earlier job of their ordering key pending):
 * read in order from its index (kind, status, next_attempt_at), the only index that fits (migration 058).
 */
export function dueOfKind(db: Kysely<DB>, kind: string, ts: string, limit: number) {
  return db
    .selectFrom('jobs as j')
    .select('j.id')
    .where('j.kind', '=', kind)
    .where('j.status', '=', 'pending')
    .where('j.next_attempt_at', '<=', ts)
    .where((eb) => eb.or([eb('j.locked_until', 'is', null), eb('j.locked_until', '<=', ts)]))
    .where((eb) =>
      eb.or([
        eb('j.ordering_key', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('jobs as e')
              .select(sql`1`.as('one'))
              .whereRef('e.ordering_key', '=', 'j.ordering_key')
              .where('e.status', '=', 'pending')
              .where((x) => x.or([x('e.order_no', '<', x.ref('j.order_no')), x.and([x('e.order_no', '=', x.ref('j.order_no')), x('e.id', '<', x.ref('j.id'))])])),
          ),
        ),
      ]),
    )
    .orderBy('j.next_attempt_at')
    .limit(limit);
}

/**
 * Claims up to `limit` due jobs of `kinds` for `workerId` until `leaseUntil`, counting the attempt now (a
 * crash mid-run still counts). A job waits while an earlier job of its ordering key is still pending.
 * Each kind's oldest due jobs are read by their own index (kind, status, next_attempt_at), from the first
 * due row in order, so a claim reads about as many rows as it takes whatever the backlog; the batch takes
 * the kinds in turn (the first of each, then the second …), so a backlog of one kind never holds back
 * another kind's jobs (a notification queued now does not wait behind 100,000 older portal updates). On
 * SQLite the single writer makes the claim atomic; on PostgreSQL `lockSkipping` (the dialect adapter's
 * FOR UPDATE SKIP LOCKED) lets several workers claim different rows without waiting.
 */
export async function claimDueJobs(
  trx: Kysely<DB>,
  lockSkipping: <Q extends SelectQueryBuilder<any, any, any>>(q: Q) => Q,
  o: { workerId: string; now: Date; leaseUntil: Date; limit: number; kinds: readonly string[] },
): Promise<ClaimedJob[]> {
  if (o.kinds.length === 0 || o.limit <= 0) return [];
  const ts = o.now.toISOString();
  const perKind: string[][] = [];
  for (const kind of o.kinds) {
    const due = lockSkipping(dueOfKind(trx, kind, ts, o.limit));
    perKind.push((await due.execute()).map((r) => r.id));
  }
  const ids: string[] = [];
  for (let i = 0; ids.length < o.limit && perKind.some((l) => i < l.length); i++) {
    for (const l of perKind) if (i < l.length && ids.length < o.limit) ids.push(l[i]!);
  }
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('jobs')
    .set({ locked_by: o.workerId, locked_until: o.leaseUntil.toISOString(), attempts: sql<number>`attempts + 1` })
    .where('id', 'in', ids)
    .returning(['id', 'kind', 'payload', 'progress', 'ordering_key', 'created_at', 'attempts'])
    .execute();
  // in the order taken (the kinds in turn): a statement's returned rows come in no set order
  const at = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!).map((r) => claimedOf(r as never));
}

const doneNow = prepared<{ id: string; worker: string; at: string }, never>((db, p) =>
  db
    .updateTable('jobs')
    .set({ status: 'done', done_at: p('at'), locked_until: null, locked_by: null, last_error: null })
    .where('id', '=', p('id'))
    .where('locked_by', '=', p('worker'))
    .where('status', '=', 'pending'),
);

export async function markJobDone(trx: Kysely<DB>, id: string, workerId: string, now: Date): Promise<void> {
  await doneNow(trx, { id, worker: workerId, at: now.toISOString() });
}

/**
 * The job's done mark as the primary of a write unit (write-unit.ts): the job's last records, gated on
 * it, are written only while this worker still holds the job's lease; on PostgreSQL the whole unit is one
 * statement, with no BEGIN or COMMIT.
 */
export function jobDonePart(id: string, workerId: string, now: Date): UnitPart<{ id: string; worker: string; at: string }> {
  return {
    shape: 'job-done',
    args: { id, worker: workerId, at: now.toISOString() },
    build: (qc, arg) =>
      qc
        .updateTable('jobs')
        .set({ status: 'done', done_at: arg('at'), locked_until: null, locked_by: null, last_error: null })
        .where('id', '=', arg('id'))
        .where('locked_by', '=', arg('worker'))
        .where('status', '=', 'pending')
        .returning(sql<number>`1`.as('one')),
  };
}

/** A failed attempt: try again at `next`, or give up (dead). Only the lease holder records it. */
export async function markJobFailed(trx: Kysely<DB>, id: string, workerId: string, error: string, next: Date, dead: boolean): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ status: dead ? 'dead' : 'pending', next_attempt_at: next.toISOString(), locked_until: null, locked_by: null, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

/** What a job of several steps has done so far (kept across attempts). */
export async function saveJobProgress(trx: Kysely<DB>, id: string, workerId: string, progress: unknown): Promise<void> {
  await trx.updateTable('jobs').set({ progress: JSON.stringify(progress) }).where('id', '=', id).where('locked_by', '=', workerId).execute();
}

export interface JobCounts {
  pending: number;
  dead: number;
  /** per kind with any pending or dead: pending and dead */
  byKind: Record<string, { pending: number; dead: number }>;
}

/**
 * Jobs still to run and given up on: the queue's depth, read by every web process's operations sampler
 * every few seconds, so it must stay cheap while a backlog of 100,000 waits. The kinds are found first by
 * a loose scan of (kind, status, next_attempt_at) (one index descent per kind, never a pass over the done
 * jobs), then their pending and dead are counted in that same index (countsOfKinds), never in the
 * table. Grouping the whole queue and reading each row's creation time took 60 ms on SQLite (on the web's
 * event loop) and 30 ms on PostgreSQL at 100,000 pending; this takes 5 and 12.
 */
export async function jobDepth(db: Kysely<DB>): Promise<JobCounts> {
  const out: JobCounts = { pending: 0, dead: 0, byKind: {} };
  const kinds = await sql<{ kind: string }>`
    with recursive kinds(kind) as (
      select min(kind) from jobs
      union all
      select (select min(j.kind) from jobs j where j.kind > kinds.kind) from kinds where kinds.kind is not null
    )
    select kind from kinds where kind is not null`.execute(db);
  if (kinds.rows.length === 0) return out;
  for (const [kind, c] of Object.entries(await countsOfKinds(db, kinds.rows.map((r) => r.kind)))) {
    if (c.pending === 0 && c.dead === 0) continue;
    out.byKind[kind] = c;
    out.pending += c.pending;
    out.dead += c.dead;
  }
  return out;
}

/** The pending jobs of these kinds (a link's backlog), each kind counted in its own index range. */
export async function pendingByKind(db: Kysely<DB>, kinds: readonly string[]): Promise<Record<string, number>> {
  const counts = await countsOfKinds(db, kinds);
  return Object.fromEntries(Object.entries(counts).flatMap(([k, c]) => (c.pending > 0 ? [[k, c.pending]] : [])));
}

/**
 * Each kind's pending and dead, as ranges of (kind, status, next_attempt_at) counted whole: no column is
 * read per row, as grouping would (14 ms against 5 on SQLite at 100,000 pending), and each count is
 * estimated as the rows it has (one statement counting per kind of a scan was estimated for a hundred
 * kinds and compiled by PostgreSQL's JIT every time, 190 ms).
 */
async function countsOfKinds(db: Kysely<DB>, kinds: readonly string[]): Promise<Record<string, { pending: number; dead: number }>> {
  if (kinds.length === 0) return {};
  const rows = await sql<{ kind: string; pending: number | string; dead: number | string }>`${sql.join(
    kinds.map(
      (kind) =>
        sql`select cast(${kind} as text) as kind, (select count(*) from jobs where kind = ${kind} and status = 'pending') as pending, (select count(*) from jobs where kind = ${kind} and status = 'dead') as dead`,
    ),
    sql` union all `,
  )}`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.kind, { pending: Number(r.pending), dead: Number(r.dead) }]));
}

export interface ListedJob extends ClaimedJob {
  status: JobTable['status'];
  dedupKey: string | null;
  lastError: string | null;
  doneAt: string | null;
}

/** Jobs for tests and the operations page: newest last. */
export async function listJobs(db: Kysely<DB>, filter: { kind?: string; status?: JobTable['status']; orderingKey?: string } = {}): Promise<ListedJob[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.orderingKey) q = q.where('ordering_key', '=', filter.orderingKey);
  const rows = await q.orderBy('created_at').orderBy('id').limit(10_000).execute();
  return rows.map((r) => ({ ...claimedOf(r), status: r.status, dedupKey: r.dedup_key, lastError: r.last_error, doneAt: r.done_at }));
}

/** Done jobs older than `before`, at most `max` a call (the worker repeats it in separate writes). */
export async function purgeDoneJobs(trx: Kysely<DB>, before: Date, max = 5000): Promise<number> {
  const r = await trx
    .deleteFrom('jobs')
    .where('id', 'in', (eb) => eb.selectFrom('jobs').select('id').where('status', '=', 'done').where('done_at', '<', before.toISOString()).limit(max))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

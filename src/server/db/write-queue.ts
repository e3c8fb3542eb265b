// Group commit. On SQLite every write goes through one writer connection; committing each request on
// its own costs one fsync each (synchronous=FULL), which caps writes at a few thousand a second. Here
// concurrent requests' writes run one after another inside ONE transaction, each in its own savepoint,
// and each caller is answered only after that transaction commits. A job that throws rolls back its own
// savepoint and fails alone; the rest of its batch still commits.
// A batch starts one turn of the event loop after its first job arrives (setImmediate): the requests read
// in the same turn reach their write after a chain of promise steps (their reads), and starting at once
// would commit each of them alone, one fsync per request. Waiting for the turn to end gathers them all.
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { closeScope, openScope } from './end-of-transaction.ts';

export type WriteJob<T> = (trx: Kysely<DB>) => Promise<T>;

interface Pending {
  fn: WriteJob<unknown>;
  /** runs in a transaction of its own (a recount that must not see other writes' deferred work) */
  alone: boolean;
  /** may commit without waiting for the disk (a write unit's `relaxed`) */
  relaxed: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface WriteStats {
  depth: number;
  batches: number;
  jobs: number;
  lastBatchSize: number;
  /** times a batch found another connection holding the write lock and waited for it (SQLite) */
  lockWaits?: number;
  /** milliseconds group commits spent waiting for another connection's write lock (SQLite) */
  lockWaitMs?: number;
  /** batches made only of relaxed writes, committed without an fsync (SQLite) */
  relaxedBatches?: number;
}

/**
 * Waiting for another process's write lock without blocking this one (SQLite). SQLite's own busy handler
 * sleeps in the calling thread, which for better-sqlite3 is the event loop: while a worker process or a
 * second web process commits, every request of this one would stop. The queue instead asks for the lock
 * with no wait (busy_timeout 0 for its BEGIN only), and while another holds it asks again on the event
 * loop (GroupCommitQueue.begin) until `timeoutMs` has passed, serving reads meanwhile.
 */
export interface LockWait {
  timeoutMs: number;
  isBusy(err: unknown): boolean;
  /** sets the writer connection's own busy timeout (ms), synchronously */
  setBusyTimeout(ms: number): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** how long a lock wait asks again on each turn of the event loop before it waits on timers */
const SPIN_MS = 1;

export class GroupCommitQueue {
  private queue: Pending[] = [];
  private running = false;
  private scheduled = false;
  private stats = { batches: 0, jobs: 0, lastBatchSize: 0, lockWaits: 0, lockWaitMs: 0, relaxedBatches: 0 };

  private readonly beginSql = sql`begin immediate`;
  private readonly relaxSql = sql`pragma synchronous = NORMAL`;
  private readonly restoreSql = sql`pragma synchronous = FULL`;

  /**
   * `durable`: the connection's synchronous level. At FULL, a batch made only of relaxed writes commits at
   * NORMAL (in WAL mode: no fsync at its commit; the log is synced by the next FULL commit or checkpoint, in
   * order, so no durable commit ever depends on a lost one), and the level is FULL again after it: the
   * write lock is then held for the writes, not for a disk flush, and another process's writer waits less.
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch: number,
    private readonly lockWait: LockWait | null = null,
    private readonly durable: 'FULL' | 'NORMAL' = 'FULL',
  ) {}

  /**
   * BEGIN IMMEDIATE; with a LockWait, waiting for another connection's lock on the event loop, not in
   * SQLite. Another process's commit usually holds the lock for a fraction of a millisecond (a worker's
   * relaxed commit: 0.2–0.5 ms), far less than a timer's shortest wait, so the first millisecond is spent
   * asking again after each turn of the loop (setImmediate: requests and I/O are served in between, and a
   * refused BEGIN costs microseconds); only then timers, 1 ms doubling to 16 ms, which leave the cores to the
   * holder when it holds the lock longer (a purge, a process descheduled mid-commit).
   */
  private async begin(conn: Kysely<DB>): Promise<void> {
    if (!this.lockWait) return void (await this.beginSql.execute(conn));
    let since = 0;
    let deadline = 0;
    let wait = 0;
    this.lockWait.setBusyTimeout(0);
    try {
      for (;;) {
        try {
          await this.beginSql.execute(conn);
          if (since) this.stats.lockWaitMs += performance.now() - since;
          return;
        } catch (e) {
          if (!this.lockWait.isBusy(e)) throw e;
          if (!since) {
            since = performance.now();
            deadline = since + this.lockWait.timeoutMs;
            this.stats.lockWaits += 1;
          } else if (performance.now() >= deadline) throw e;
        }
        if (performance.now() - since < SPIN_MS) await new Promise<void>((r) => setImmediate(r));
        else {
          wait = Math.min(16, Math.max(1, wait * 2));
          await sleep(wait);
        }
      }
    } finally {
      // the connection's other users (migrations, tools) keep SQLite's own wait
      this.lockWait.setBusyTimeout(this.lockWait.timeoutMs);
    }
  }

  depth(): number {
    return this.queue.length;
  }

  snapshot(): WriteStats {
    return { depth: this.queue.length, ...this.stats };
  }

  run<T>(fn: WriteJob<T>, opts: { alone?: boolean; relaxed?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn: fn as WriteJob<unknown>, alone: opts.alone === true, relaxed: opts.relaxed === true, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        let n = 1;
        if (!this.queue[0]!.alone) while (n < this.maxBatch && n < this.queue.length && !this.queue[n]!.alone) n++;
        const batch = this.queue.splice(0, n);
        await this.runBatch(batch);
        // let the requests that arrived during this batch reach their writes before the next one starts
        if (this.queue.length > 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const relaxed = this.durable === 'FULL' && batch.every((j) => j.relaxed);
    try {
      await this.db.connection().execute(async (conn) => {
        if (relaxed) await this.relaxSql.execute(conn);
        try {
          await this.runInTransaction(conn, batch, outcomes);
        } finally {
          if (relaxed) await this.restoreSql.execute(conn);
        }
      });
    } catch (batchError) {
      // BEGIN or COMMIT failed (busy beyond the timeout, disk full): nothing of the batch is durable.
      for (const job of batch) job.reject(batchError);
      return;
    }
    this.stats.batches += 1;
    this.stats.jobs += batch.length;
    this.stats.lastBatchSize = batch.length;
    if (relaxed) this.stats.relaxedBatches += 1;
    batch.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }

  private async runInTransaction(conn: Kysely<DB>, batch: Pending[], outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<void> {
    await this.begin(conn);
    const scope = openScope(conn);
    try {
      for (const job of batch) {
        await sql`savepoint job`.execute(conn);
        try {
          const value = await job.fn(conn);
          await sql`release job`.execute(conn);
          scope.keep();
          outcomes.push({ ok: true, value });
        } catch (error) {
          scope.drop();
          await sql`rollback to job`.execute(conn);
          await sql`release job`.execute(conn);
          outcomes.push({ ok: false, error });
        }
      }
      // the batch's merged end-of-transaction work (counters): if it fails, the whole batch does
      await scope.flush(conn);
      await sql`commit`.execute(conn);
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw e;
    } finally {
      closeScope(conn);
    }
  }
}

// A kind of job, declared as data: its name, how to read its payload, what running it does, and how hard
// to try. Jobs leave a transaction (a notification, a national link's message) and run in the worker,
// never on a request's path. The kinds a process runs are listed where the worker starts (start-worker.ts).
import type { Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { DB } from '../db/schema.ts';
import type { UnitPart } from '../db/write-unit.ts';

export interface JobRunCtx<F = unknown> {
  readonly db: Db;
  readonly now: Date;
  readonly log: Logger;
  /** aborted when the run takes longer than the kind's timeout */
  readonly signal: AbortSignal;
  /** what an earlier attempt of this job recorded (saveProgress), or null */
  readonly progress: unknown;
  /**
   * Records a step done, so a retry does not do it again (an e-mail sent before its SMS failed); `write`,
   * when given, is the step's own record, committed in the same transaction (one commit, not two).
   */
  saveProgress(progress: unknown, write?: (trx: Kysely<DB>) => Promise<void>): Promise<void>;
  /**
   * The job's last write, committed in one transaction with the job's done mark: a job that ends by
   * recording what it did costs one commit instead of two. The run returns right after it.
   */
  finish(write: (trx: Kysely<DB>) => Promise<void>): Promise<void>;
  /**
   * The same as finish, for a last write made of write-unit parts (write-unit.ts): they are written with
   * the done mark and only while this worker still holds the job (its lease not taken over by another).
   * On PostgreSQL that is one statement, where finish costs a transaction of several round trips.
   */
  finishWith(parts: ReadonlyArray<UnitPart<any>>): Promise<void>;
  readonly attempt: number;
  readonly jobId: string;
  /**
   * What the kind's prefetch read for the whole batch (undefined when it has none, or it failed): a run
   * takes its share from it and reads on its own only what is missing.
   */
  readonly prefetched: F | undefined;
}

export interface JobKind<P = unknown, F = unknown> {
  readonly kind: string;
  /** reads the stored payload (a zod schema's parse): a payload it refuses makes the job dead at once */
  parse(payload: unknown): P;
  /**
   * Does the work. Throwing means "try again later" (with backoff); returning means done. A permanent
   * failure the job has recorded somewhere people see returns normally.
   */
  run(ctx: JobRunCtx<F>, payload: P): Promise<void>;
  /**
   * Reads what the batch's jobs of this kind will need, in one statement for all of them instead of one
   * per run (the worker calls it once per batch, before the runs; they find it in ctx.prefetched). What it
   * read may be a batch's runtime old: a change made meanwhile queues a job of its own, which runs after.
   */
  prefetch?(db: Db, payloads: readonly P[]): Promise<F>;
  /** after this many attempts the job is marked dead (visible, never silently lost); default 50 */
  readonly maxAttempts?: number;
  /** backoff: first retry after about baseBackoffMs, doubling up to maxBackoffMs */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** a run longer than this is aborted and retried; default 10 s */
  readonly timeoutMs?: number;
  /**
   * At most this many runs of the kind start a second in one worker (a national service's quota, and the
   * web's share of the machine while a backlog drains); unset: as fast as the batches go
   */
  readonly perSecond?: number;
  /**
   * Its records (progress, finish, failure) are done again, harmlessly, if a crash of the database machine
   * loses them: the job runs again and its effect outside is idempotent (a national link's message keyed by
   * dossier and version). They then commit without waiting for the disk (WriteUnit's `relaxed`), so a
   * drain of 100,000 does not add a disk flush per job to the ones the web's requests wait for.
   */
  readonly redoable?: boolean;
}

/** Declares a job kind (keeps its payload type). */
export function jobKind<P, F = unknown>(k: JobKind<P, F>): JobKind<P, F> {
  return k;
}

/** A duty the worker runs every `everyMs` (window-closing reminders, filling sort keys, purges). */
export interface PeriodicTask {
  readonly name: string;
  readonly everyMs: number;
  run(ctx: { db: Db; now: Date; log: Logger }): Promise<void>;
}

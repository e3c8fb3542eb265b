// The job worker: polls for due jobs of the kinds it was given, claims a few under a lease, runs each with a
// timeout, marks it done or schedules a retry with exponential backoff (or dead after its kind's attempts),
// and polls again after a short pause while it finds full batches. At least once: a job is done only after
// its run returned. Jobs of one ordering key run one at a time, in order. Its periodic duties run between
// polls. Errors are logged and never stop the loop.
// Beside the web service the worker yields: a batch runs a few jobs at a time (`concurrency`), and the
// pause between full batches doubles while the event loop lags past a threshold (`lagMs`, read once a
// batch), up to `maxPauseMs`, and halves back to `drainPauseMs` once the loop is quick again, so a backlog
// drains in the web's idle time instead of in its requests' latency.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/create-db.ts';
import type { WriteUnit } from '../db/write-unit.ts';
import type { Clock } from '../context.ts';
import { claimDueJobs, jobDonePart, markJobDone, markJobFailed, saveJobProgress, type ClaimedJob } from './jobs.repository.ts';
import type { JobKind, PeriodicTask } from './job.ts';

export interface WorkerOptions {
  /** the wait after a poll that found the queue drained (a short batch) */
  pollMs?: number;
  /**
   * the wait after a full batch before the next: beside the web service a backlog drains at about
   * batch × 1000 / drainPauseMs jobs a second, leaving the event loop to requests
   */
  drainPauseMs?: number;
  batch?: number;
  /** jobs of a batch in flight at once (default: the whole batch at once) */
  concurrency?: number;
  /**
   * the event loop's lag in ms since the last reading (eventLoopLag() below; a test injects its own):
   * while above lagThresholdMs, the pause between full batches doubles, up to maxPauseMs
   */
  lagMs?: () => number;
  lagThresholdMs?: number;
  maxPauseMs?: number;
  /**
   * how long the last write of a redoable job (JobKind.redoable, ctx.finishWith) waits for others of the
   * batch, so that several commit together (0: each at once). On SQLite they are then one transaction: a
   * worker process takes the one write lock once for several jobs, and the web's commits find it taken
   * less often; on PostgreSQL the finishes of one shape are one statement, one round trip and one commit
   * for several jobs. The wait ends early once every job of the batch still running is waiting too.
   */
  gatherMs?: number;
}

/**
 * The finishes of a batch's redoable jobs, held until `ms` after the first or until no other can come, then
 * written together (Db.applyEach): one group commit on SQLite, one statement per shape on PostgreSQL.
 */
class FinishGather {
  private waiting: Array<{ unit: WriteUnit; settle: (r: PromiseSettledResult<boolean>) => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly ms: number,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  /** Resolves when this unit is written with the others gathered with it (true: its primary changed a row). */
  apply(unit: WriteUnit): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ unit, settle: (r) => (r.status === 'fulfilled' ? resolve(r.value) : reject(r.reason as Error)) });
      this.timer ??= setTimeout(() => this.release(), this.ms);
    });
  }

  release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const w = this.waiting;
    this.waiting = [];
    if (w.length === 0) return;
    this.db.applyEach(w.map((e) => e.unit)).then(
      (results) => w.forEach((e, i) => e.settle(results[i]!)),
      (reason: unknown) => w.forEach((e) => e.settle({ status: 'rejected', reason })),
    );
  }
}

/**
 * The event loop's lag since the last reading: the 90th percentile of the overshoots of a timer due every
 * `resolutionMs` (a block still going on counts as one), in ms. A percentile, not the worst: on a shared
 * machine a single late tick is the neighbours', while lag in one tick in ten is this process's queue.
 * (perf_hooks' monitorEventLoopDelay drops the interval that spans a reset, the very one in which a batch
 * blocked the loop, so the worker keeps its own timer.)
 */
export function eventLoopLag(resolutionMs = 10): { read: () => number; close: () => void } {
  let last = performance.now();
  let samples: number[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    if (samples.length < 10_000) samples.push(Math.max(0, now - last - resolutionMs));
    last = now;
  }, resolutionMs);
  timer.unref();
  return {
    read: () => {
      const list = [...samples, Math.max(0, performance.now() - last - resolutionMs)].sort((a, b) => a - b);
      samples = [];
      return list[Math.floor(0.9 * (list.length - 1))]!;
    },
    close: () => clearInterval(timer),
  };
}

/** Exponential backoff with full jitter capped at max: attempt 1 → ~base, 2 → ~2·base … */
export function backoffMs(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const DEFAULTS = { maxAttempts: 50, baseBackoffMs: 5_000, maxBackoffMs: 60 * 60_000, timeoutMs: 10_000 };

export class JobWorker {
  readonly id = `w-${process.pid}-${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly lastRun = new Map<string, number>();
  private readonly kinds: Map<string, JobKind<unknown>>;
  private readonly o: Required<Omit<WorkerOptions, 'lagMs'>>;
  private readonly leaseMs: number;
  private readonly lagMs: (() => number) | null;
  private pauseMs: number;
  /** per kind with a rate (JobKind.perSecond): when its next run may start (performance.now() ms) */
  private readonly nextStart = new Map<string, number>();
  /** per kind with a rate: the last lane's turn, which the next lane waits for */
  private readonly turn = new Map<string, Promise<void>>();
  private readonly gather: FinishGather;
  /** the batch in progress: whether it has jobs not yet started, and how many of its runs are under way */
  private batchNow: { unstarted: () => boolean; running: number } | null = null;

  constructor(
    private readonly db: Db,
    kinds: ReadonlyArray<JobKind<any>>,
    private readonly tasks: readonly PeriodicTask[],
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: WorkerOptions = {},
  ) {
    this.kinds = new Map(kinds.map((k) => [k.kind, k as JobKind<unknown>]));
    if (this.kinds.size !== kinds.length) throw new Error('two job kinds share a name');
    const batch = opts.batch ?? 20;
    const drainPauseMs = opts.drainPauseMs ?? 100;
    this.o = {
      pollMs: opts.pollMs ?? 1000,
      drainPauseMs,
      batch,
      concurrency: Math.max(1, Math.min(batch, opts.concurrency ?? batch)),
      lagThresholdMs: opts.lagThresholdMs ?? 20,
      maxPauseMs: Math.max(drainPauseMs, opts.maxPauseMs ?? 5_000),
      gatherMs: Math.max(0, opts.gatherMs ?? 0),
    };
    this.gather = new FinishGather(db, this.o.gatherMs);
    this.lagMs = opts.lagMs ?? null;
    this.pauseMs = drainPauseMs;
    // the lease outlasts the longest timeout by a margin, so no second worker takes a job mid-run; with a
    // batch run a few at a time, the last job of the batch may wait for the others' turns first
    const turns = Math.ceil(this.o.batch / this.o.concurrency);
    this.leaseMs = Math.max(...kinds.map((k) => k.timeoutMs ?? DEFAULTS.timeoutMs), DEFAULTS.timeoutMs) * 2 * turns + 5_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      // a full batch means more are due: poll again after a short pause, not the poll interval
      let more = false;
      this.running = this.runOnce()
        .then((r) => {
          more = r.claimed >= this.o.batch;
        })
        .catch((err) => this.log.warn({ err }, 'job poll failed; retrying'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, more ? this.nextPauseMs() : this.o.pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * The pause before the next full batch: it doubles (from at least 10 ms) while the loop lags past the
   * threshold, up to maxPauseMs, and halves back towards drainPauseMs once it does not.
   */
  nextPauseMs(): number {
    if (!this.lagMs) return this.o.drainPauseMs;
    const lag = this.lagMs();
    if (lag > this.o.lagThresholdMs) this.pauseMs = Math.min(this.o.maxPauseMs, Math.max(10, this.o.drainPauseMs, this.pauseMs * 2));
    else this.pauseMs = Math.max(this.o.drainPauseMs, Math.floor(this.pauseMs / 2));
    return this.pauseMs;
  }

  /** Stops polling and waits for the runs in flight to finish (or time out). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One poll: periodic duties that are due, then claim, run, record. */
  async runOnce(): Promise<{ done: number; failed: number; claimed: number }> {
    const now = this.clock();
    for (const t of this.tasks) {
      if (now.getTime() - (this.lastRun.get(t.name) ?? 0) < t.everyMs) continue;
      this.lastRun.set(t.name, now.getTime());
      await t.run({ db: this.db, now, log: this.log.child({ task: t.name }) }).catch((err) => this.log.warn({ err, task: t.name }, 'periodic task failed'));
    }
    const lease = new Date(now.getTime() + this.leaseMs);
    // a lease, not a record: lost in a crash, the jobs are simply claimed again
    const claimed = await this.db.write(
      (trx) => claimDueJobs(trx, (q) => this.db.dialect.lockSkipping(q), { workerId: this.id, now, leaseUntil: lease, limit: this.o.batch, kinds: [...this.kinds.keys()] }),
      { relaxed: true },
    );
    const { prefetched, parsed } = await this.prefetch(claimed);
    let done = 0;
    let failed = 0;
    // every run and its record settle before the poll ends (stop() waits for this), even when a record
    // fails to write: that job stays leased and is tried again when its lease ends
    // at most `concurrency` at once: each lane takes the batch's next job when its last one ends
    let next = 0;
    const outcomes: Array<PromiseSettledResult<void>> = [];
    const batch = (this.batchNow = { unstarted: () => next < claimed.length, running: 0 });
    const lane = async () => {
      while (next < claimed.length) {
        const j = claimed[next++]!;
        batch.running++;
        try {
          if (await this.runJob(j, prefetched.get(j.kind), parsed)) done++;
          else failed++;
          outcomes.push({ status: 'fulfilled', value: undefined });
        } catch (reason) {
          outcomes.push({ status: 'rejected', reason });
        } finally {
          batch.running--;
          // the finishes gathered so far need wait for no one else once the rest of the batch waits too
          this.releaseWhenAllWait();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.o.concurrency, claimed.length) }, lane));
    } finally {
      this.batchNow = null;
      this.gather.release();
    }
    for (const o of outcomes) if (o.status === 'rejected') this.log.warn({ err: o.reason as Error }, 'job: recording an outcome failed; the job is retried after its lease');
    return { done, failed, claimed: claimed.length };
  }

  /**
   * Each kind's prefetch (JobKind.prefetch) over its jobs of the batch; a kind whose prefetch fails reads
   * per run. The payloads it parsed are kept by job id, so that the run does not parse them again.
   */
  private async prefetch(claimed: readonly ClaimedJob[]): Promise<{ prefetched: Map<string, unknown>; parsed: Map<string, unknown> }> {
    const out = new Map<string, unknown>();
    const parsed = new Map<string, unknown>();
    const byKind = new Map<string, unknown[]>();
    for (const j of claimed) {
      const kind = this.kinds.get(j.kind)!;
      if (!kind.prefetch) continue;
      let payload: unknown;
      try {
        payload = kind.parse(j.payload);
      } catch {
        continue; // its run parses it again, and marks it dead
      }
      parsed.set(j.id, payload);
      const list = byKind.get(j.kind);
      if (list) list.push(payload);
      else byKind.set(j.kind, [payload]);
    }
    for (const [name, payloads] of byKind) {
      try {
        out.set(name, await this.kinds.get(name)!.prefetch!(this.db, payloads));
      } catch (err) {
        this.log.warn({ err: (err as Error).message, job: name }, 'job prefetch failed; each run reads for itself');
      }
    }
    return { prefetched: out, parsed };
  }

  /**
   * Waits for the kind's turn when it has a rate: runs start at least 1000 / perSecond ms apart, counted
   * from the previous run's actual start (a timer that fired late never lets the next run start sooner).
   * The lanes of a batch take their turns one after another.
   */
  private async paced(kind: JobKind<unknown>): Promise<void> {
    const rate = kind.perSecond;
    if (!rate || rate <= 0) return;
    const before = this.turn.get(kind.kind) ?? Promise.resolve();
    let done!: () => void;
    this.turn.set(kind.kind, new Promise<void>((r) => (done = r)));
    try {
      await before;
      const now = performance.now();
      const at = this.nextStart.get(kind.kind) ?? 0;
      if (at > now) await new Promise((r) => setTimeout(r, at - now));
      this.nextStart.set(kind.kind, performance.now() + 1000 / rate);
    } finally {
      done();
    }
  }

  /** Writes the unit with the other finishes of the batch (FinishGather), after at most gatherMs. */
  private gathered(unit: WriteUnit): Promise<boolean> {
    const p = this.gather.apply(unit);
    this.releaseWhenAllWait();
    return p;
  }

  /** No job of the batch left to start and every one still running waiting to finish: write them now. */
  private releaseWhenAllWait(): void {
    const b = this.batchNow;
    if (this.gather.size > 0 && (!b || (!b.unstarted() && this.gather.size >= b.running))) this.gather.release();
  }

  private async runJob(j: ClaimedJob, prefetched: unknown, parsed?: ReadonlyMap<string, unknown>): Promise<boolean> {
    const kind = this.kinds.get(j.kind)!;
    await this.paced(kind);
    const log = this.log.child({ job: j.kind, jobId: j.id, attempt: j.attempts });
    const limits = { ...DEFAULTS, ...definedOnly(kind) };
    const w = { relaxed: kind.redoable === true };
    let payload: unknown;
    try {
      payload = parsed?.has(j.id) ? parsed.get(j.id) : kind.parse(j.payload);
    } catch (err) {
      await this.db.write((trx) => markJobFailed(trx, j.id, this.id, `payload refused: ${(err as Error).message}`, this.clock(), true), w);
      log.error({ err: (err as Error).message }, 'job payload refused; marked dead');
      return false;
    }
    const ctl = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // set once the run's last write committed with the done mark (ctx.finish)
    let finished = false;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const e = new Error(`job timed out after ${limits.timeoutMs} ms`);
          ctl.abort(e);
          reject(e);
        }, limits.timeoutMs);
      });
      const run = kind.run(
        {
          db: this.db,
          now: this.clock(),
          log,
          signal: ctl.signal,
          progress: j.progress,
          attempt: j.attempts,
          jobId: j.id,
          prefetched,
          saveProgress: (p, write) =>
            this.db.write(async (trx) => {
              if (write) await write(trx);
              await saveJobProgress(trx, j.id, this.id, p);
            }, w),
          finish: async (write) => {
            await this.db.write(async (trx) => {
              await write(trx);
              await markJobDone(trx, j.id, this.id, this.clock());
            }, w);
            finished = true;
          },
          finishWith: async (parts) => {
            const unit: WriteUnit = { primary: jobDonePart(j.id, this.id, this.clock()), then: parts, relaxed: w.relaxed };
            // gathered only where batch-mates cannot change the same rows: on PostgreSQL they may share a
            // statement, so only a job with an ordering key (the claim takes one job per key at a time)
            const gather = w.relaxed && this.o.gatherMs > 0 && (this.db.dialect.unitMode === 'stepwise' || j.orderingKey !== null);
            const held = gather ? await this.gathered(unit) : await this.db.apply(unit);
            finished = true;
            // another worker took the job over after this one's lease ended: it runs it again, and records it
            if (!held) log.warn('job finished after its lease was taken over; its records are left to the new holder');
          },
        },
        payload,
      );
      await Promise.race([run, timeout]);
    } catch (err) {
      // its last write and done mark committed: what came after cannot undo them
      if (finished) {
        log.warn({ err: (err as Error).message }, 'job failed after it finished; it stays done');
        return true;
      }
      const dead = j.attempts >= limits.maxAttempts;
      const next = new Date(this.clock().getTime() + backoffMs(j.attempts, limits.baseBackoffMs, limits.maxBackoffMs));
      await this.db.write((trx) => markJobFailed(trx, j.id, this.id, (err as Error).message ?? String(err), next, dead), w);
      (dead ? log.error : log.warn).call(log, { err: (err as Error).message, next: next.toISOString(), dead }, 'job failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
    if (!finished) await this.db.write((trx) => markJobDone(trx, j.id, this.id, this.clock()), w);
    log.debug('job done');
    return true;
  }
}

function definedOnly(k: JobKind<unknown>): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  if (k.maxAttempts !== undefined) out.maxAttempts = k.maxAttempts;
  if (k.baseBackoffMs !== undefined) out.baseBackoffMs = k.baseBackoffMs;
  if (k.maxBackoffMs !== undefined) out.maxBackoffMs = k.maxBackoffMs;
  if (k.timeoutMs !== undefined) out.timeoutMs = k.timeoutMs;
  return out;
}

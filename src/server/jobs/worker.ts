// The outbox worker: polls for due messages, claims a few under a lease, sends each through the
// provider with a timeout, marks it sent or schedules a retry with exponential backoff, and polls again
// after a short pause while it finds full batches. At least once:
// a message leaves the table as `sent` only after the provider accepted it. Never twice to the person:
// the dedup key stops a repeated event at enqueue, and a row is claimed by one worker at a time (the
// lease outlasts the send timeout, so a slow send is never picked up by a second worker meanwhile).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/create-db.ts';
import type { Clock } from '../context.ts';
import { claimDue, markFailed, markSent, type OutboxMessage } from './outbox.repository.ts';
import type { NotificationProvider } from './providers.ts';

export interface WorkerOptions {
  /** the wait after a poll that found the queue drained (a short batch) */
  pollMs?: number;
  /**
   * the wait after a full batch before the next: the worker drains a backlog at up to about
   * batch × 1000 / drainPauseMs messages a second (200 with the defaults: 9 times a peak hour's 22, twice
   * the 4× margin's 88) while leaving the event loop to the requests it shares the process with
   */
  drainPauseMs?: number;
  batch?: number;
  sendTimeoutMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** after this many attempts the message is marked dead (visible, not silently lost) */
  maxAttempts?: number;
  /** extra periodic duties (window-closing reminders, sort-key backfill); errors are logged */
  tasks?: Array<(now: Date) => Promise<void>>;
  taskEveryMs?: number;
}

/** Exponential backoff with full jitter capped at max: attempt 1 → ~base, 2 → ~2·base … */
export function backoffMs(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function withTimeout(p: (signal: AbortSignal) => Promise<void>, ms: number): Promise<void> {
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort(new Error(`provider timed out after ${ms} ms`));
      reject(new Error(`provider timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([p(ctl.signal), timeout]).finally(() => clearTimeout(timer));
}

export class OutboxWorker {
  readonly id = `w-${process.pid}-${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private lastTasks = 0;
  private readonly o: Required<Omit<WorkerOptions, 'tasks'>> & { tasks: NonNullable<WorkerOptions['tasks']> };

  constructor(
    private readonly db: Db,
    private readonly provider: NotificationProvider,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: WorkerOptions = {},
  ) {
    this.o = {
      pollMs: opts.pollMs ?? 1000,
      drainPauseMs: opts.drainPauseMs ?? 100,
      batch: opts.batch ?? 20,
      sendTimeoutMs: opts.sendTimeoutMs ?? 10_000,
      baseBackoffMs: opts.baseBackoffMs ?? 5_000,
      maxBackoffMs: opts.maxBackoffMs ?? 60 * 60_000,
      maxAttempts: opts.maxAttempts ?? 50,
      tasks: opts.tasks ?? [],
      taskEveryMs: opts.taskEveryMs ?? 60_000,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      // a full batch means more are due: the next poll comes after a short pause (drainPauseMs), not the
      // poll interval (waiting pollMs after every batch of 20 capped a worker at 20 messages a second,
      // below a peak hour's 22); a short batch means the queue is drained, and the worker waits pollMs
      let more = false;
      this.running = this.runOnce()
        .then((r) => {
          more = r.claimed >= this.o.batch;
        })
        .catch((err) => this.log.warn({ err }, 'outbox poll failed; retrying'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, more ? this.o.drainPauseMs : this.o.pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the sends in flight to finish (or time out). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One poll: claim, send, record. Returns how many were sent and how many failed. */
  async runOnce(): Promise<{ sent: number; failed: number; claimed: number }> {
    const now = this.clock();
    if (this.o.tasks.length > 0 && now.getTime() - this.lastTasks >= this.o.taskEveryMs) {
      this.lastTasks = now.getTime();
      for (const t of this.o.tasks) await t(now).catch((err) => this.log.warn({ err }, 'periodic task failed'));
    }
    // the lease outlasts the send timeout by a margin, so no second worker picks a row mid-send
    const lease = new Date(now.getTime() + this.o.sendTimeoutMs * 2 + 5_000);
    const claimed = await this.db.write((trx) => claimDue(trx, this.db.dialect.name, this.id, now, lease, this.o.batch));
    let sent = 0;
    let failed = 0;
    // every send and its record settle before the poll ends (stop() waits for this), even when one of
    // the records fails to write: that message stays leased and is tried again when its lease ends
    const outcomes = await Promise.allSettled(
      claimed.map(async (m) => {
        if (await this.deliver(m)) sent++;
        else failed++;
      }),
    );
    for (const o of outcomes) if (o.status === 'rejected') this.log.warn({ err: o.reason as Error }, 'outbox: recording a delivery failed; the message is retried after its lease');
    return { sent, failed, claimed: claimed.length };
  }

  private async deliver(m: OutboxMessage): Promise<boolean> {
    const log = this.log.child({ job: 'outbox', messageId: m.id, kind: m.kind, channel: m.channel, attempt: m.attempts });
    try {
      await withTimeout((signal) => this.provider.send(m, { signal }), this.o.sendTimeoutMs);
    } catch (err) {
      const dead = m.attempts >= this.o.maxAttempts;
      const next = new Date(this.clock().getTime() + backoffMs(m.attempts, this.o.baseBackoffMs, this.o.maxBackoffMs));
      await this.db.write((trx) => markFailed(trx, m.id, this.id, (err as Error).message ?? String(err), next, dead));
      (dead ? log.error : log.warn).call(log, { err: (err as Error).message, next: next.toISOString(), dead }, 'notification not delivered');
      return false;
    }
    await this.db.write((trx) => markSent(trx, m.id, this.clock()));
    log.debug('notification delivered');
    return true;
  }
}

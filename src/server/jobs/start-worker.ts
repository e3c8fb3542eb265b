// Starts the outbox worker in this process (SERVICES includes 'worker'): deliveries through the
// configured provider, plus its periodic duties (window-closing reminders, sort keys a bulk load left
// empty, idempotency keys past their day). Returns the stop function for a clean shutdown.
import type { Services } from '../context.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';
import { fillMissingSortKeys } from '../verification/verification.repository.ts';
import { enqueueClosingReminders } from './notifications.ts';
import { purgeIdempotencyKeys } from '../http/idempotency.ts';
import { providerFor } from './providers.ts';
import { OutboxWorker } from './worker.ts';

const PURGE_BATCH = 5000;

export function startOutboxWorker(s: Services): () => Promise<void> {
  const worker = new OutboxWorker(s.db, providerFor(s.config.NOTIFY_PROVIDER, s.config.DATA_DIR), s.clock, s.log.child({ role: 'worker' }), {
    // beside the web service a backlog drains at a bounded pace (about 200 a second), leaving the event
    // loop to requests; a process that is only the worker (SERVICES=worker) drains faster: at full speed
    // on PostgreSQL, and on SQLite with a short pause, so the web processes' writers get the file lock
    drainPauseMs: s.config.SERVICES.includes('web') ? 100 : s.db.dialect.name === 'sqlite' ? 10 : 0,
    tasks: [
      async (now) => {
        const year = await currentExamYear(s.db.read);
        if (year) await enqueueClosingReminders(s.db, year, now);
      },
      async () => {
        await fillMissingSortKeys(s.db, {}, 50_000);
      },
      // idempotency keys older than a day: a few thousand per write until none is left
      async (now) => {
        for (let i = 0; i < 100 && (await s.db.write((trx) => purgeIdempotencyKeys(trx, now, PURGE_BATCH))) === PURGE_BATCH; i++);
      },
    ],
  });
  worker.start();
  s.log.info({ provider: s.config.NOTIFY_PROVIDER, worker: worker.id }, 'outbox worker started');
  return () => worker.stop();
}

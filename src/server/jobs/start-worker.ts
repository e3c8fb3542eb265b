// Starts the job worker in this process (SERVICES includes 'worker'): the kinds of job it runs and its
// periodic duties are listed here, as data. Returns the stop function for a clean shutdown.
import path from 'node:path';
import type { Services } from '../context.ts';
import { fillMissingSortKeys } from '../verification/verification.repository.ts';
import { closingRemindersKind, closingRemindersTask, notifyKind, renderedMessageKind } from '../notifications/notify.ts';
import { providerFor } from '../notifications/providers.ts';
import { IDEMPOTENCY_TTL_MS } from '../http/idempotency.ts';
import { purgeKeysBefore } from '../idempotency/idempotency.repository.ts';
import { fillMissingDossierCodes } from '../dossiers/maintenance.ts';
import { exportAnchor } from '../audit/chain.ts';
import { purgeDoneJobs } from './jobs.repository.ts';
import { purgeKnownDevicesBefore } from '../mfa/known-devices.repository.ts';
import { linkJobKinds } from '../integrations/pipeline.ts';
import { paymentsTask } from '../payments/payments-task.ts';
import { paymentGateway, type PaymentGateway } from '../payments/gateway-client.ts';
import type { JobKind, PeriodicTask } from './job.ts';
import { JobWorker, eventLoopLag } from './worker.ts';
import { admissionRunKindWith } from '../admission/run-job.ts';

const PURGE_BATCH = 5000;
/** Done jobs are kept a week for the operations page and for tracing a complaint, then dropped. */
const DONE_JOBS_KEPT_MS = 7 * 24 * 3600_000;
/** Ended known devices are kept a month (the owner may ask why a browser stopped being known) */
export const ENDED_DEVICES_KEPT_MS = 30 * 24 * 3600_000;

/** Every kind of job a worker of this configuration runs. */
export function jobKinds(s: Services): Array<JobKind<any>> {
  const provider = providerFor(s.config.NOTIFY_PROVIDER, s.config.DATA_DIR);
  return [notifyKind(provider), renderedMessageKind(provider), closingRemindersKind, ...linkJobKinds(s)];
}

/** The worker's periodic duties. */
export function periodicTasks(opts: { dataDir?: string; gateway?: PaymentGateway | null } = {}): PeriodicTask[] {
  return [
    // the audit chain's head, once a day (and at start), to a file the operator copies off the machine
    ...(opts.dataDir
      ? [{ name: 'audit-anchor', everyMs: 24 * 3600_000, run: async ({ db, now }: { db: Services['db']; now: Date }) => void (await exportAnchor(db.read, path.join(opts.dataDir!, 'anchors'), now)) }]
      : []),
    closingRemindersTask,
    // admission fees: yesterday's statement reconciled, closed payment groups' unpaid wishes marked
    paymentsTask(opts.gateway ?? null),
    // sort keys and dossier codes a bulk load left empty
    { name: 'sort-keys', everyMs: 60_000, run: async ({ db }) => void (await fillMissingSortKeys(db, {}, 50_000)) },
    { name: 'dossier-codes', everyMs: 60_000, run: async ({ db }) => void (await fillMissingDossierCodes(db, 50_000)) },
    {
      // idempotency keys older than a day, done jobs older than a week, known devices ended (expired or
      // revoked) over a month ago: a few thousand per write until none is left
      name: 'purge',
      everyMs: 60_000,
      run: async ({ db, now }) => {
        const keysBefore = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
        for (let i = 0; i < 100 && (await db.write((trx) => purgeKeysBefore(trx, keysBefore, PURGE_BATCH))) === PURGE_BATCH; i++);
        const jobsBefore = new Date(now.getTime() - DONE_JOBS_KEPT_MS);
        for (let i = 0; i < 100 && (await db.write((trx) => purgeDoneJobs(trx, jobsBefore, PURGE_BATCH))) === PURGE_BATCH; i++);
        const devicesBefore = new Date(now.getTime() - ENDED_DEVICES_KEPT_MS);
        for (let i = 0; i < 100 && (await db.write((trx) => purgeKnownDevicesBefore(trx, devicesBefore, PURGE_BATCH))) === PURGE_BATCH; i++);
      },
    },
  ];
}

export function startJobWorker(s: Services): () => Promise<void> {
  const c = s.config;
  const besideWeb = c.SERVICES.includes('web');
  // beside the web service the worker yields to requests: two jobs at a time, and a pause between full
  // batches that grows while the event loop lags (the web's requests are waiting) and shrinks back when
  // it does not, up to a second (a batch a second still drains 20 jobs a second); a process that is only the worker (SERVICES=worker) has no requests to yield to
  const lag = besideWeb && c.JOB_YIELD_LAG_MS > 0 ? eventLoopLag() : null;
  const worker = new JobWorker(s.db, jobKinds(s), periodicTasks({ dataDir: c.DATA_DIR, gateway: paymentGateway(c) }), s.clock, s.log.child({ role: 'worker' }), {
    // beside the web service a backlog drains at a bounded pace, leaving the event loop to requests; a
    // worker-only process drains faster: at full speed where several writers claim at once, and with a
    // short pause where one file lock serves everyone
    drainPauseMs: besideWeb ? 100 : s.db.dialect.unitMode === 'stepwise' ? 10 : 0,
    ...(c.JOB_CONCURRENCY > 0 ? { concurrency: c.JOB_CONCURRENCY } : besideWeb ? { concurrency: 2 } : {}),
    ...(lag ? { lagMs: lag.read, lagThresholdMs: c.JOB_YIELD_LAG_MS, maxPauseMs: 1_000 } : {}),
    // a batch's finishes commit together: one group commit on SQLite, one statement on PostgreSQL
    gatherMs: c.JOB_GATHER_MS,
  });
  worker.start();
  // national admission runs (minutes of CPU each, one at a time) have a worker of their own: a lease long
  // enough for a run would otherwise hold every other job a crashed worker had claimed for as long
  const runs = new JobWorker(s.db, [admissionRunKindWith({ threads: s.config.ADMISSION_RUN_THREADS })], [], s.clock, s.log.child({ role: 'worker', jobs: 'admission-runs' }), { batch: 1, concurrency: 1, pollMs: 1000 });
  runs.start();
  s.log.info({ provider: c.NOTIFY_PROVIDER, worker: worker.id }, 'job worker started');
  return async () => {
    await Promise.all([worker.stop(), runs.stop()]);
    lag?.close();
  };
}

// The national admission run as a job (issue 24, item 3): the ministry's request records the run queued and
// this job beside it; the worker runs it off the request path (runs.ts, performAdmissionRun). Its own worker
// (start-worker.ts) claims one run at a time, so a run's long lease is not every other job's.
import { z } from 'zod';
import { jobKind, type JobKind } from '../jobs/job.ts';
import { ADMISSION_RUN_JOB, performAdmissionRun } from './runs.ts';

const Payload = z.object({ runId: z.string().min(1) });

/** A national run takes minutes at most; a run cut short by a crash is started again from nothing. */
export const ADMISSION_RUN_TIMEOUT_MS = 30 * 60_000;

export const admissionRunKind: JobKind<z.infer<typeof Payload>> = jobKind({
  kind: ADMISSION_RUN_JOB,
  parse: (p) => Payload.parse(p),
  run: (ctx, p) => performAdmissionRun(ctx, p.runId),
  maxAttempts: 3,
  baseBackoffMs: 10_000,
  timeoutMs: ADMISSION_RUN_TIMEOUT_MS,
});

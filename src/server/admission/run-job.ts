// The national admission run as a job (issue 24, item 3): the ministry's request records the run queued and
// this job beside it; the worker runs it off the request path (runs.ts, performAdmissionRun). Its own worker
// (start-worker.ts) claims one run at a time, so a run's long lease is not every other job's. A run after a
// publication carries its policy (protect-published or recompute) in its stored row, not in the payload: the
// job runs whatever the ministry asked for, and a retry cannot change it.
import { z } from 'zod';
import { jobKind, type JobKind } from '../jobs/job.ts';
import { ADMISSION_RUN_JOB, ADMISSION_RUN_TIMEOUT_MS, performAdmissionRun } from './runs.ts';

const Payload = z.object({ runId: z.string().min(1) });

export { ADMISSION_RUN_TIMEOUT_MS };

/** The run's job; `threads`: reading and hashing threads (config ADMISSION_RUN_THREADS; 0 reads on the run's own). */
export function admissionRunKindWith(o: { threads?: number } = {}): JobKind<z.infer<typeof Payload>> {
  return jobKind({
    kind: ADMISSION_RUN_JOB,
    parse: (p) => Payload.parse(p),
    // the job's signal stops the run at its time limit (the run then records itself failed, nothing kept)
    run: (ctx, p) => performAdmissionRun(ctx, p.runId, o.threads === undefined ? {} : { threads: o.threads }),
    maxAttempts: 3,
    baseBackoffMs: 10_000,
    timeoutMs: ADMISSION_RUN_TIMEOUT_MS,
  });
}

export const admissionRunKind: JobKind<z.infer<typeof Payload>> = admissionRunKindWith();

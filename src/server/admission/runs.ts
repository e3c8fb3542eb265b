// The ministry's admission runs (issue 24, item 4): start a provisional run over the year's paid, eligible
// wishes, publish it (the run published before is superseded, never deleted), list the runs and what a run
// changed against the one it follows. Nothing published is taken back without a new run whose reason is
// recorded; every start, publication, failure and refusal is audited.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { authorize } from '../policy/policy.ts';
import { requireYear } from '../dossiers/access.ts';
import { newId } from '../ids.ts';
import { checkPublishable, checkRunReason } from '../../domain/admission/run-state.ts';
import { DEFAULT_SECOND_RUN_POLICY, type SecondRunPolicy } from '../../domain/admission/second-run.ts';
import { AdmissionRulesSchema, type AdmissionRules } from '../../domain/admission-score.ts';
import type { Finding } from '../../domain/messages.ts';
import { AdmissionInputError } from '../../domain/admission/validate.ts';
import { executeRun, type ExecuteRunOptions } from './execute-run.ts';
import { deleteRunResults, failRun, findRun, finishRun, insertRun, listRuns, markPublished, markRunning, publishedRun, runChanges, runToFollow, runningRun, type ChangeRow, type RunRecord } from './run.repository.ts';
import type { Logger } from 'pino';
import type { Db } from '../db/create-db.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { findExamYear } from '../exam-years/exam-years.repository.ts';

const ANY_INSTITUTION = { type: 'national' } as const;

function ministryOnly(ctx: Ctx): void {
  // the ministry decides runs: the policy gives 'admission.run' to the ministry alone
  authorize(ctx.actor, 'admission.run', ANY_INSTITUTION);
}

/**
 * The year's admission rules and enrolment deadline (exam_years.rules.admission, whose full schema the
 * catalogue's contract owns: AdmissionConfigSchema); read here by the fields the run needs, so that a
 * configuration the run does not use cannot stop it. Absent: the regulation's defaults, no deadline.
 */
export function admissionRulesOf(rules: Record<string, unknown>): AdmissionRules & { enrolmentDeadline: string | null } {
  const raw = (rules['admission'] ?? null) as Record<string, unknown> | null;
  const parsed = AdmissionRulesSchema.safeParse(raw ?? {});
  const deadline = raw && typeof raw['enrolmentDeadline'] === 'string' && !Number.isNaN(Date.parse(raw['enrolmentDeadline'])) ? new Date(raw['enrolmentDeadline']).toISOString() : null;
  return {
    wishCap: parsed.success ? parsed.data.wishCap : null,
    teacherTrainingMaxPosition: parsed.success ? parsed.data.teacherTrainingMaxPosition : null,
    combinationFloor: parsed.success ? parsed.data.combinationFloor : null,
    enrolmentDeadline: deadline,
  };
}

function refused(f: Finding, status: 'CONFLICT' | 'VALIDATION' = 'CONFLICT', details?: Record<string, unknown>): AppError {
  if (status === 'VALIDATION') return new AppError('VALIDATION_FAILED', f.vi, f.en, { code: f.code, fields: [f] });
  return new AppError('CONFLICT', f.vi, f.en, { code: f.code, ...(details ? { details } : {}) });
}

/** The job kind of a national run (run-job.ts): one job per run, keyed by the run. */
export const ADMISSION_RUN_JOB = 'admission.run';

/** A national run takes under a minute (docs/capacity.md); past this the job's signal stops it. */
export const ADMISSION_RUN_TIMEOUT_MS = 30 * 60_000;

/**
 * Asks for a run: checks it may start, records it queued with the job that will run it (in one write), and
 * returns it at once; the job worker reads, matches, hashes and stores it (performAdmissionRun), and the
 * ministry's page follows its state. One run at a time a year. After a publication a reason is required.
 */
export async function startAdmissionRun(ctx: Ctx, input: { reason?: string | null | undefined; policy?: SecondRunPolicy | undefined }): Promise<RunRecord> {
  ministryOnly(ctx);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  const year = await requireYear(ctx.db);
  const reason = input.reason?.trim() || null;
  const published = await publishedRun(ctx.db.read, year.year);
  // a policy only means something once a result is published: it says what the new run may do to it
  const policy = published ? (input.policy ?? DEFAULT_SECOND_RUN_POLICY) : null;
  const missing = checkRunReason(published !== null, reason, policy ?? undefined);
  if (missing) {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'admission.run_refused', actor, targetType: 'admission_run', targetId: published?.id ?? null, ip: ctx.ip, details: { reason: 'reason_required', policy } }, ctx.now));
    throw refused(missing, 'VALIDATION');
  }
  const follows = await runToFollow(ctx.db.read, year.year);
  const id = newId();
  await ctx.db.write(async (trx) => {
    // one run at a time: checked in the write that starts it
    const busy = await runningRun(trx, year.year);
    if (busy) {
      throw new AppError('CONFLICT', 'Một lần chạy xét tuyển đang diễn ra; hãy chờ nó kết thúc.', 'An admission run is under way; wait for it to finish.', { code: 'ADMISSION_RUN_BUSY', details: { runId: busy.id } });
    }
    await insertRun(trx, { id, examYear: year.year, startedBy: actor.userId, startedAt: ctx.now.toISOString(), previousRunId: follows?.id ?? null, reason, policy });
    await enqueueJobs(trx, [{ kind: ADMISSION_RUN_JOB, payload: { runId: id }, dedupKey: `admission-run:${id}` }], ctx.now);
    await appendAudit(trx, { action: 'admission.run_started', actor, targetType: 'admission_run', targetId: id, ip: ctx.ip, details: { examYear: year.year, follows: follows?.id ?? null, reason, policy } }, ctx.now);
  });
  return (await findRun(ctx.db.read, id))!;
}

/**
 * Runs a queued run to its end (the job worker calls it): reads, matches, hashes and stores it, and marks it
 * provisional; or failed, with the reason, when its input is refused or the run breaks. A run a crashed
 * attempt left running starts again from nothing. Returns without doing anything for a run already ended.
 */
export async function performAdmissionRun(c: { db: Db; now: Date; log: Logger; signal?: AbortSignal }, runId: string, opts: Omit<ExecuteRunOptions, 'signal'> = {}): Promise<void> {
  const run = await findRun(c.db.read, runId);
  if (!run || (run.kind !== 'queued' && run.kind !== 'running')) return;
  // the worker acts for nobody: the entries name the run's starter in their details
  const actor = null;
  const taken = await c.db.write(async (trx) => {
    // what an attempt that died part-way wrote goes first
    if (run.kind === 'running') await deleteRunResults(trx, runId);
    return markRunning(trx, runId);
  });
  if (!taken) return;
  const t0 = performance.now();
  try {
    const year = await findExamYear(c.db.read, run.examYear);
    if (!year) throw new Error(`exam year ${run.examYear} is gone`);
    // a run asked for after a publication follows that published run under its policy (part of its hashed input)
    const follows = run.policy && run.previousRunId ? await findRun(c.db.read, run.previousRunId) : null;
    if (run.policy && (!follows || !follows.resultHash)) throw new Error(`run ${runId} follows a published run ${run.previousRunId ?? '?'} that has no stored result`);
    const policy = follows && run.policy ? { policy: run.policy, runId: follows.id, resultHash: follows.resultHash! } : undefined;
    const f = await executeRun(c.db, runId, run.examYear, admissionRulesOf(year.rules), run.previousRunId, { ...opts, ...(c.signal ? { signal: c.signal } : {}), ...(policy ? { follows: policy } : {}) });
    // the job's clock reading plus the run's own duration (the clock is injected: tests stand still)
    const finishedAt = new Date(c.now.getTime() + Math.round(performance.now() - t0)).toISOString();
    await c.db.write(async (trx) => {
      await finishRun(trx, runId, { ...f, finishedAt });
      await appendAudit(
        trx,
        {
          action: 'admission.run_finished',
          actor,
          targetType: 'admission_run',
          targetId: runId,
          ip: null,
          details: { startedBy: run.startedBy, inputHash: f.inputHash, resultHash: f.resultHash, candidates: f.candidates, wishes: f.wishes, admitted: f.admitted, changed: f.changed, timings: f.timings },
        },
        c.now,
      );
    });
    c.log.info({ runId, wishes: f.wishes, timings: f.timings }, 'admission run finished');
  } catch (e) {
    const input = e instanceof AdmissionInputError;
    // stopped by its signal (the job's time limit): said as such, not as a fault
    const timedOut = !input && c.signal?.aborted === true;
    const minutes = Math.round(ADMISSION_RUN_TIMEOUT_MS / 60_000);
    const message = input
      ? `Dữ liệu xét tuyển không hợp lệ, lần chạy đã dừng: ${e.findings.slice(0, 5).map((x) => x.vi).join(' ')} / The admission input is not valid; the run stopped: ${e.findings.slice(0, 5).map((x) => x.en).join(' ')}`
      : timedOut
        ? `Lần chạy vượt quá thời hạn (${minutes} phút) nên đã dừng; không giữ lại kết quả nào của nó. Hãy chạy lại. / The run passed its time limit (${minutes} min) and was stopped; none of its results were kept. Start it again.`
        : 'Lần chạy gặp lỗi và đã dừng; hãy chạy lại. / The run failed and stopped; start it again.';
    if (timedOut) c.log.warn({ runId, reason: String(c.signal?.reason) }, 'admission run stopped at its time limit');
    else if (!input) c.log.error({ err: e, runId }, 'admission run failed');
    await c.db.write(async (trx) => {
      await deleteRunResults(trx, runId);
      await failRun(trx, runId, new Date(c.now.getTime() + Math.round(performance.now() - t0)).toISOString(), {}, message);
      await appendAudit(trx, { action: 'admission.run_failed', actor, targetType: 'admission_run', targetId: runId, ip: null, details: { startedBy: run.startedBy, error: input ? 'input' : timedOut ? 'time_limit' : 'internal', ...(input ? { findings: e.findings.slice(0, 20).map((x) => x.code) } : {}) } }, c.now);
    });
  }
}

/** Publishes a provisional run; the published run before it becomes superseded (its reason was given at the start). */
export async function publishAdmissionRun(ctx: Ctx, runId: string): Promise<{ run: RunRecord; superseded: string | null }> {
  ministryOnly(ctx);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  const year = await requireYear(ctx.db);
  const run = await findRun(ctx.db.read, runId);
  if (!run || run.examYear !== year.year) throw AppError.notFound('admission run');
  const bad = checkPublishable(run.kind);
  if (bad) throw refused(bad, 'CONFLICT', { kind: run.kind });
  const out = await ctx.db.write(async (trx) => {
    const before = await publishedRun(trx, year.year);
    // a run started before the last publication follows an older run: its difference would not be the one
    // candidates see; it must be run again
    if (before && run.previousRunId !== before.id) {
      throw new AppError('CONFLICT', 'Lần chạy này không xuất phát từ kết quả đang công bố; hãy chạy lại.', 'This run does not follow the published result; start a new run.', { code: 'ADMISSION_RUN_STALE', details: { published: before.id, follows: run.previousRunId } });
    }
    // a run that may take published admissions back (a recompute, or one from before policies) needs its reason
    const missing = before ? checkRunReason(true, run.reason, run.policy ?? 'recompute') : null;
    if (missing) throw refused(missing, 'VALIDATION');
    const m = await markPublished(trx, run.id, year.year, actor.userId, ctx.now.toISOString());
    if (!m.ok) throw refused(checkPublishable('published')!, 'CONFLICT', { kind: 'published' });
    await appendAudit(
      trx,
      {
        action: 'admission.run_published',
        actor,
        targetType: 'admission_run',
        targetId: run.id,
        ip: ctx.ip,
        details: { examYear: year.year, inputHash: run.inputHash, resultHash: run.resultHash, supersedes: m.superseded, reason: run.reason, policy: run.policy, changed: run.changed },
      },
      ctx.now,
    );
    return m.superseded;
  });
  return { run: (await findRun(ctx.db.read, run.id))!, superseded: out };
}

export async function listAdmissionRuns(ctx: Ctx): Promise<{ examYear: number; runs: RunRecord[] }> {
  ministryOnly(ctx);
  const year = await requireYear(ctx.db);
  return { examYear: year.year, runs: await listRuns(ctx.db.read, year.year) };
}

export const MAX_CHANGES_SHOWN = 5000;

/** What a run changed against the run it follows, candidate by candidate (staff read of personal results: audited). */
export async function admissionRunChanges(ctx: Ctx, runId: string): Promise<{ run: RunRecord; changes: ChangeRow[]; truncated: boolean }> {
  ministryOnly(ctx);
  const run = await findRun(ctx.db.read, runId);
  if (!run) throw AppError.notFound('admission run');
  const changes = await runChanges(ctx.db.read, runId, MAX_CHANGES_SHOWN + 1);
  await ctx.db.write((trx) => appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'admission_run', targetId: runId, ip: ctx.ip, details: { document: 'admission_run_changes', rows: Math.min(changes.length, MAX_CHANGES_SHOWN) } }, ctx.now));
  return { run, changes: changes.slice(0, MAX_CHANGES_SHOWN), truncated: changes.length > MAX_CHANGES_SHOWN };
}

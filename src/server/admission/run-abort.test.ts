// A run past its time limit stops (issue 24, item 3): the job's signal reaches the run, which stops at its
// next step, keeps none of what it wrote, records itself failed with the reason said plainly, and is audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { YEAR, makeCandidates, makeDossier, seedStructure, P1 } from '../verification/back-office.fixtures.ts';
import { JobWorker } from '../jobs/worker.ts';
import { jobKind } from '../jobs/job.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { admissionRunKind } from './run-job.ts';
import { ADMISSION_RUN_JOB, performAdmissionRun } from './runs.ts';
import { deleteRunResults, findRun, insertRun } from './run.repository.ts';

const AT = '2026-08-17T03:00:00.000Z';
const NOW = new Date(AT);
const log = pino({ level: 'silent' });

async function season(db: Db): Promise<void> {
  await seedStructure(db);
  await db.write((trx) =>
    trx
      .insertInto('admission_programmes')
      .values({ id: 'P', exam_year: YEAR, institution_id: 'i', institution_code: 'QHI', code: 'P', method: '100', name: 'P', search_name: 'p', combinations: JSON.stringify([{ code: 'A00' }]), scoring: 'sum', quota: 1, min_score_centi: null, teacher_training: 0, tie_policy: '{"kind":"break-by-rule","criteria":[{"by":"wish-order"}]}', status: 'published', import_id: null, created_at: AT, updated_at: AT, published_at: AT, published_by: null })
      .execute(),
  );
  const made = await makeCandidates(db, P1, ['Thí Sinh A', 'Thí Sinh B', 'Thí Sinh C']);
  for (const [i, c] of made.entries()) {
    await makeDossier(db, c, 'verified');
    await db.write(async (trx) => {
      for (const s of ['TOAN', 'LI', 'HOA']) await trx.insertInto('exam_marks').values({ exam_year: YEAR, candidate_id: c.candidateId, subject: s, department_code: c.departmentCode, kind: 'score', score_centi: 700 + i * 50, sanction: null, version: 1, updated_at: AT }).execute();
      await trx.insertInto('admission_wishes').values({ id: `${c.candidateId}-1`, exam_year: YEAR, candidate_id: c.candidateId, position: 1, programme_id: 'P', combination: 'A00', fee_status: 'paid', paid_at: AT, payment_id: null, created_at: AT, updated_at: AT }).execute();
    });
  }
}

const resultsOf = async (db: Db, runId: string) => ({
  candidates: (await db.read.selectFrom('admission_run_candidates').select('candidate_id').where('run_id', '=', runId).execute()).length,
  programmes: (await db.read.selectFrom('admission_run_programmes').select('programme_id').where('run_id', '=', runId).execute()).length,
  admitted: (await db.read.selectFrom('admission_run_admitted').select('candidate_id').where('run_id', '=', runId).execute()).length,
});

describeEachDb('admission run: a run past its time limit stops and keeps nothing', (get) => {
  test('stopped after its programmes were stored: failed, said so, audited, no result rows left', async () => {
    const db = get().db;
    await season(db);
    await db.write((trx) => insertRun(trx, { id: 'R1', examYear: YEAR, startedBy: 'u-ministry', startedAt: AT, previousRunId: null, reason: null }));
    const ac = new AbortController();
    let stored = -1;
    await performAdmissionRun({ db, now: NOW, log, signal: ac.signal }, 'R1', {
      // the moment the limit passes: the programmes' rows are written, the candidates' not yet
      afterPhase: (phase) => {
        if (phase !== 'programmes-stored') return;
        stored = 1;
        ac.abort(new Error('job timed out after 1800000 ms'));
      },
    });
    assert.equal(stored, 1, 'the run reached its store');
    const run = await findRun(db.read, 'R1');
    assert.equal(run?.kind, 'failed');
    assert.match(run?.message ?? '', /time limit \(30 min\)/);
    assert.match(run?.message ?? '', /thời hạn/);
    assert.equal(run?.resultHash, null);
    assert.deepEqual(await resultsOf(db, 'R1'), { candidates: 0, programmes: 0, admitted: 0 });
    const audit = await db.read.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', 'R1').where('action', '=', 'admission.run_failed').execute();
    assert.equal(audit.length, 1);
    assert.equal(JSON.parse(audit[0]!.details as string).error, 'time_limit');
  });

  test('the clean-up a stopped run uses removes every result table, the institutions\' lists included', async () => {
    const db = get().db;
    await db.write((trx) => insertRun(trx, { id: 'R3', examYear: YEAR, startedBy: 'u-ministry', startedAt: AT, previousRunId: null, reason: null }));
    await performAdmissionRun({ db, now: NOW, log }, 'R3');
    const written = await resultsOf(db, 'R3');
    assert.ok(written.candidates > 0 && written.programmes > 0 && written.admitted > 0, JSON.stringify(written));
    await db.write((trx) => deleteRunResults(trx, 'R3'));
    assert.deepEqual(await resultsOf(db, 'R3'), { candidates: 0, programmes: 0, admitted: 0 });
  });

  test('through the job worker: the job times out, its signal stops the run, which ends failed with nothing kept', async () => {
    const db = get().db;
    await db.write(async (trx) => {
      await insertRun(trx, { id: 'R2', examYear: YEAR, startedBy: 'u-ministry', startedAt: AT, previousRunId: null, reason: null });
      await enqueueJobs(trx, [{ kind: ADMISSION_RUN_JOB, payload: { runId: 'R2' }, dedupKey: 'admission-run:R2' }], NOW);
    });
    // the same job with a limit the run cannot meet
    const hurried = jobKind({ ...admissionRunKind, timeoutMs: 1 });
    const out = await new JobWorker(db, [hurried], [], () => NOW, log, { batch: 1 }).runOnce();
    assert.equal(out.failed, 1);
    // the job is answered at its limit; the run stops at its next step and records why
    let run = await findRun(db.read, 'R2');
    for (let i = 0; i < 200 && run?.kind !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = await findRun(db.read, 'R2');
    }
    assert.equal(run?.kind, 'failed');
    assert.match(run?.message ?? '', /time limit/);
    assert.deepEqual(await resultsOf(db, 'R2'), { candidates: 0, programmes: 0, admitted: 0 });
  });
});

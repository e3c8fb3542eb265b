// The seed's admission season is one the national run can admit from: a small season seeded (marks
// published, most wishes paid) and run end to end by the job's own function, on SQLite and, when
// TEST_DATABASE_URL is set, on PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDb, type Db } from '../db/create-db.ts';
import { migrate } from '../db/migrate.ts';
import { loadReferenceData } from '../reference/reference.repository.ts';
import { publishedVersion } from '../results/results.repository.ts';
import { insertRun, findRun } from '../admission/run.repository.ts';
import { performAdmissionRun } from '../admission/runs.ts';
import { COMBINATION_PAPERS, MARK_DISTRIBUTION } from './admission.ts';
import { resetYear, runSeed } from './run-seed.ts';
import { emptyDatabase } from '../../../test/helpers/db.ts';

const YEAR = 2025;
const N = 3_000;
// few programmes for the candidates (fewer places than candidates), so that programmes fill and quotas bind
const ADM = { candidates: 2_000, institutions: 3, programmes: 12 };

async function scenario(db: Db): Promise<void> {
  await migrate(db.writer, db.dialect);
  await loadReferenceData(db.writer, new Date('2025-07-01T00:00:00Z'));
  await resetYear(db.writer, YEAR);
  const r = await runSeed(db, { candidates: N, seed: 7, year: YEAR, batchSize: 700, admission: ADM });
  const a = r.admission!;
  // about 95 % of the candidates paid, every wish of theirs
  assert.equal(a.paidShare, 0.95);
  assert.ok(a.paidCandidates > ADM.candidates * 0.92 && a.paidCandidates < ADM.candidates * 0.98, `paid candidates ${a.paidCandidates}`);
  const fees = await db.read
    .selectFrom('admission_wishes')
    .select(['fee_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('exam_year', '=', YEAR)
    .groupBy('fee_status')
    .execute();
  assert.equal(Number(fees.find((f) => f.fee_status === 'paid')?.n ?? 0), a.paidWishes);
  assert.equal(fees.reduce((s, f) => s + Number(f.n), 0), a.wishes);

  // every filing candidate has mathematics and literature, marks in quarter points, means near the national ones
  const marks = await db.read
    .selectFrom('exam_marks')
    .select(['subject', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.avg<number>('score_centi').as('mean'), (eb) => eb.fn.max('score_centi').as('hi')])
    .where('exam_year', '=', YEAR)
    .groupBy('subject')
    .execute();
  assert.equal(marks.reduce((s, m) => s + Number(m.n), 0), a.marks);
  assert.equal(Number(marks.find((m) => m.subject === 'TOAN')!.n), ADM.candidates);
  assert.equal(Number(marks.find((m) => m.subject === 'VAN')!.n), ADM.candidates);
  for (const m of marks) {
    const want = MARK_DISTRIBUTION[m.subject]!.mean;
    assert.ok(Math.abs(Number(m.mean) / 100 - want) < 0.3, `${m.subject}: mean ${Number(m.mean) / 100}, about ${want}`);
    assert.ok(Number(m.hi) <= 1000);
  }
  const offQuarter = await db.read.selectFrom('exam_marks').select((eb) => eb.fn.countAll<number>().as('n')).where('exam_year', '=', YEAR).where(({ eb }) => eb(eb('score_centi', '%', 25), '!=', 0)).executeTakeFirstOrThrow();
  assert.equal(Number(offQuarter.n), 0);
  // each department that has marks has published them: its council's version is the marks' version
  const deps = await db.read.selectFrom('exam_marks').select(['department_code', 'version']).distinct().where('exam_year', '=', YEAR).execute();
  assert.ok(deps.length > 1);
  for (const d of deps) assert.equal(await publishedVersion(db.read, YEAR, d.department_code), d.version);
  assert.equal(a.publications, new Set(deps.map((d) => d.department_code)).size);

  // the run as the job runs it
  const id = 'seed-run-1';
  const now = new Date('2025-07-20T03:00:00Z');
  await db.write((trx) => insertRun(trx, { id, examYear: YEAR, startedBy: 'test', startedAt: now.toISOString(), previousRunId: null, reason: null }));
  await performAdmissionRun({ db, now, log: pino({ level: 'silent' }) }, id);
  const run = (await findRun(db.read, id))!;
  assert.equal(run.kind, 'provisional', run.message ?? '');
  assert.match(run.inputHash ?? '', /^[0-9a-f]{64}$/);
  assert.match(run.resultHash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(run.candidates, ADM.candidates);
  assert.equal(run.wishes, a.wishes);
  assert.ok(run.unpaid > 0 && run.unpaid < a.wishes * 0.1, `unpaid wishes ${run.unpaid}`);
  assert.ok(run.admitted > ADM.candidates * 0.3, `admitted ${run.admitted} of ${ADM.candidates}`);

  // quotas hold: a programme admits at most its quota, beyond it only candidates tied at the cut-off
  const progs = await db.read.selectFrom('admission_run_programmes').selectAll().where('run_id', '=', id).execute();
  // (a reused PostgreSQL database may keep other institutions' programmes of the year: they take part too)
  assert.ok(progs.length >= ADM.programmes);
  const admitted = await db.read.selectFrom('admission_run_candidates').select(['programme_id', 'score_centi']).where('run_id', '=', id).where('programme_id', 'is not', null).execute();
  assert.equal(admitted.length, run.admitted);
  const paid = new Set((await db.read.selectFrom('admission_wishes').select('candidate_id').where('exam_year', '=', YEAR).where('fee_status', '=', 'paid').execute()).map((w) => w.candidate_id));
  const admittedIds = await db.read.selectFrom('admission_run_candidates').select('candidate_id').where('run_id', '=', id).where('programme_id', 'is not', null).execute();
  assert.ok(admittedIds.every((c) => paid.has(c.candidate_id)), 'only paying candidates are admitted');
  for (const p of progs) {
    const here = admitted.filter((c) => c.programme_id === p.programme_id);
    assert.equal(here.length, p.admitted);
    if (here.length > p.quota) {
      const lowest = Math.min(...here.map((c) => c.score_centi ?? 0));
      const above = here.filter((c) => (c.score_centi ?? 0) > lowest).length;
      assert.ok(above < p.quota, `${p.programme_id}: ${here.length} admitted over ${p.quota}, and not by a tie at the cut-off`);
    }
  }
  assert.ok(progs.some((p) => p.full === 1), 'some programmes fill');
  await resetYear(db.writer, YEAR);
}

test('the combinations the seed uses are the reference ones', () => {
  const ref = JSON.parse(fs.readFileSync(new URL('../../../reference/combinations.json', import.meta.url), 'utf8')) as { combinations: Array<{ code: string; subjects: string[] }> };
  for (const [code, papers] of Object.entries(COMBINATION_PAPERS)) assert.deepEqual(ref.combinations.find((c) => c.code === code)?.subjects, papers, code);
});

test('the seeded admission season runs end to end on SQLite: candidates admitted, quotas held, hashes stored', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-seed-run-'));
  const db = await createDb({ url: `sqlite:${path.join(dir, 'seed.sqlite')}` });
  try {
    await scenario(db);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the seeded admission season runs end to end on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL not set' }, async () => {
  // a database of its own: another suite seeding the same year at the same time would share its ids
  const pgdb = await emptyDatabase('postgres');
  const db = await createDb({ url: pgdb.url, poolSize: 4 });
  try {
    await scenario(db);
  } finally {
    await db.close();
    await pgdb.destroy();
  }
});

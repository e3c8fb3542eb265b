// All SQL of the admission run (issue 24, items 3 and 4): the programmes and wishes it reads (adm-catalogue's
// tables, a candidate per row in keyset batches so a national season is never one result set), the marks and dossiers
// behind each score, and the runs, their results, changes and enrolment confirmations it writes.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Db } from '../db/create-db.ts';
import type { BulkTarget } from '../db/dialects/bulk.ts';
import { joinedText } from '../db/dialects/string-agg.ts';
import type { AdmissionRunKind } from '../../domain/admission/run-state.ts';
import type { SecondRunPolicy } from '../../domain/admission/second-run.ts';
import type { AdmissionRunTable } from './tables.ts';
import { REVISION_SUFFIX } from './catalogue.repository.ts';
import './tables.ts';

// ---- what the run reads ----

export interface ProgrammeRow {
  id: string;
  institutionId: string;
  institutionCode: string;
  code: string;
  method: string;
  name: string;
  combinations: Array<{ code: string; weights?: Record<string, number> }>;
  scoring: 'sum' | 'weighted-30';
  quota: number;
  minScoreCenti: number | null;
  teacherTraining: boolean;
  tiePolicy: unknown;
  published: boolean;
}

const parseJson = <T>(s: string | null | undefined, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

/**
 * Every programme-method of the year (a draft one takes no part, but a wish to it keeps its number). A
 * revision waiting beside its published programme is not one: no wish names it, and the run's cut-offs
 * and the institutions' lists would show the programme twice.
 */
export async function yearProgrammes(db: Kysely<DB>, examYear: number): Promise<ProgrammeRow[]> {
  const rows = await db
    .selectFrom('admission_programmes')
    .selectAll()
    .where('exam_year', '=', examYear)
    .where('id', 'not like', `%${REVISION_SUFFIX}`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    institutionId: r.institution_id,
    institutionCode: r.institution_code,
    code: r.code,
    method: r.method,
    name: r.name,
    combinations: parseJson(r.combinations, []),
    scoring: r.scoring === 'weighted-30' ? 'weighted-30' : 'sum',
    quota: r.quota,
    minScoreCenti: r.min_score_centi,
    teacherTraining: r.teacher_training === 1,
    tiePolicy: parseJson(r.tie_policy, null),
    published: r.status === 'published',
  }));
}

/** The separator of the joined lists below: a control character no id, code or mark contains. */
export const LIST_SEPARATOR = '\u001f';

/**
 * One candidate's part of the season, joined by the database: their wishes' positions, programmes,
 * combinations (each list joined by LIST_SEPARATOR, in the same order), fee states ('p' paid, 'u' not,
 * one letter a wish), their published marks as `SUBJECT:centi` and their registration dossier's data.
 */
export type SeasonRow = [candidateId: string, positions: string, programmes: string, combinations: string, paid: string, marks: string | null, dossier: string | null];

/**
 * The year's wishes a candidate at a time, in candidate order, `batch` candidates per read (keyset on the
 * candidate id: no OFFSET, no cursor held open). One row per candidate, its lists joined by the database
 * from the covering index admission_wishes_run (migration 051) and its marks and dossier looked up by its
 * id, so a national season is about 850,000 rows of a few strings instead of 7.6 M row objects and two
 * more queries per batch.
 */
export async function* seasonBatches(db: Kysely<DB>, examYear: number, batch: number): AsyncGenerator<SeasonRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await seasonRows(db, examYear, after, null, batch);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]![0];
  }
}

/**
 * The candidates with an id above `after` (null: from the first) and up to `upTo` included (null: to the
 * last), in id order, `limit` of them at most (null: all in the range): one row each, as seasonBatches.
 */
export async function seasonRows(db: Kysely<DB>, examYear: number, after: string | null, upTo: string | null, limit: number | null): Promise<SeasonRow[]> {
  const sep = LIST_SEPARATOR;
  let q = db
    .selectFrom('admission_wishes as w')
    .select((eb) => [
      'w.candidate_id',
      joinedText(db, eb.ref('w.position'), sep).as('positions'),
      joinedText(db, eb.ref('w.programme_id'), sep).as('programmes'),
      joinedText(db, eb.ref('w.combination'), sep).as('combinations'),
      joinedText(db, sql`case when w.fee_status = 'paid' then 'p' else 'u' end`, '').as('paid'),
      eb
        .selectFrom('exam_marks as m')
        .select(joinedText(db, sql`m.subject || ':' || m.score_centi`, sep).as('marks'))
        .where('m.exam_year', '=', examYear)
        .whereRef('m.candidate_id', '=', 'w.candidate_id')
        .where('m.kind', '=', 'score')
        .where('m.score_centi', 'is not', null)
        .as('marks'),
      eb.selectFrom('dossiers as d').select('d.data').where('d.exam_year', '=', examYear).whereRef('d.candidate_id', '=', 'w.candidate_id').where('d.is_trial', '=', 0).limit(1).as('dossier'),
    ])
    .where('w.exam_year', '=', examYear);
  if (after !== null) q = q.where('w.candidate_id', '>', after);
  if (upTo !== null) q = q.where('w.candidate_id', '<=', upTo);
  let g = q.groupBy('w.candidate_id').orderBy('w.candidate_id');
  if (limit !== null) g = g.limit(limit);
  const rows = await g.execute();
  return rows.map((r) => [r.candidate_id, String(r.positions), r.programmes, r.combinations, r.paid, r.marks ?? null, r.dossier ?? null]);
}

/**
 * The candidate whose wishes end about `wishes` wishes past `after` (null: from the first): the upper end
 * of a range of whole candidates that parallel readers take one at a time. Null when fewer wishes remain
 * (the range then runs to the last candidate). An index-only step over the covering index (migration 051).
 */
export async function seasonBoundary(db: Kysely<DB>, examYear: number, after: string | null, wishes: number): Promise<string | null> {
  let q = db.selectFrom('admission_wishes').select('candidate_id').where('exam_year', '=', examYear);
  if (after !== null) q = q.where('candidate_id', '>', after);
  const r = await q.orderBy('exam_year').orderBy('candidate_id').limit(1).offset(Math.max(0, wishes - 1)).executeTakeFirst();
  return r?.candidate_id ?? null;
}

export interface SchoolAreaRow {
  department_code: string;
  province_code: string;
  code: string;
  area: 'KV1' | 'KV2-NT' | 'KV2' | 'KV3';
  residence_based: number;
}

export async function schoolAreas(db: Kysely<DB>): Promise<SchoolAreaRow[]> {
  return db.selectFrom('schools').select(['department_code', 'province_code', 'code', 'area', 'residence_based']).execute();
}

export async function examYearRules(db: Kysely<DB>, year: number): Promise<string | null> {
  const r = await db.selectFrom('exam_years').select('rules').where('year', '=', year).executeTakeFirst();
  return r?.rules ?? null;
}

// ---- the runs ----

export interface RunRecord {
  id: string;
  examYear: number;
  kind: AdmissionRunKind;
  inputHash: string | null;
  resultHash: string | null;
  algorithm: string | null;
  programmes: number;
  candidates: number;
  wishes: number;
  considered: number;
  admitted: number;
  unpaid: number;
  ineligible: number;
  changed: number | null;
  timings: Record<string, number>;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  previousRunId: string | null;
  reason: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  supersededByRun: string | null;
  supersededAt: string | null;
  message: string | null;
  /** the policy of a run that follows a published run; null for one that follows none */
  policy: SecondRunPolicy | null;
}

const toRun = (r: AdmissionRunTable): RunRecord => ({
  id: r.id,
  examYear: r.exam_year,
  kind: r.kind,
  inputHash: r.input_hash,
  resultHash: r.result_hash,
  algorithm: r.algorithm,
  programmes: r.programmes,
  candidates: r.candidates,
  wishes: r.wishes,
  considered: r.considered,
  admitted: r.admitted,
  unpaid: r.unpaid,
  ineligible: r.ineligible,
  changed: r.changed,
  timings: parseJson(r.timings, {}),
  startedBy: r.started_by,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  previousRunId: r.previous_run_id,
  reason: r.reason,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
  supersededByRun: r.superseded_by_run,
  supersededAt: r.superseded_at,
  message: r.message ?? null,
  policy: r.policy === 'protect-published' || r.policy === 'recompute' ? r.policy : null,
});

export async function listRuns(db: Kysely<DB>, examYear: number): Promise<RunRecord[]> {
  const rows = await db.selectFrom('admission_runs').selectAll().where('exam_year', '=', examYear).orderBy('started_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toRun);
}

export async function findRun(db: Kysely<DB>, id: string): Promise<RunRecord | null> {
  const r = await db.selectFrom('admission_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : null;
}

export async function publishedRun(db: Kysely<DB>, examYear: number): Promise<RunRecord | null> {
  const r = await db.selectFrom('admission_runs').selectAll().where('exam_year', '=', examYear).where('kind', '=', 'published').executeTakeFirst();
  return r ? toRun(r) : null;
}

/** The run a new one follows: the published one, else the latest finished provisional one. */
export async function runToFollow(db: Kysely<DB>, examYear: number): Promise<RunRecord | null> {
  const pub = await publishedRun(db, examYear);
  if (pub) return pub;
  const r = await db.selectFrom('admission_runs').selectAll().where('exam_year', '=', examYear).where('kind', '=', 'provisional').orderBy('finished_at', 'desc').executeTakeFirst();
  return r ? toRun(r) : null;
}

/** The year's run waiting for the worker or under way, if any (one at a time). */
export async function runningRun(db: Kysely<DB>, examYear: number): Promise<RunRecord | null> {
  const r = await db.selectFrom('admission_runs').selectAll().where('exam_year', '=', examYear).where('kind', 'in', ['queued', 'running']).executeTakeFirst();
  return r ? toRun(r) : null;
}

export async function insertRun(trx: Kysely<DB>, r: { id: string; examYear: number; startedBy: string; startedAt: string; previousRunId: string | null; reason: string | null; policy?: SecondRunPolicy | null }): Promise<void> {
  await trx
    .insertInto('admission_runs')
    .values({ id: r.id, exam_year: r.examYear, kind: 'queued', started_by: r.startedBy, started_at: r.startedAt, previous_run_id: r.previousRunId, reason: r.reason, policy: r.policy ?? null, timings: '{}', programmes: 0, candidates: 0, wishes: 0, considered: 0, admitted: 0, unpaid: 0, ineligible: 0 })
    .execute();
}

export async function finishRun(
  trx: Kysely<DB>,
  id: string,
  f: { inputHash: string; resultHash: string; algorithm: string; programmes: number; candidates: number; wishes: number; considered: number; admitted: number; unpaid: number; ineligible: number; changed: number | null; timings: Record<string, number>; finishedAt: string },
): Promise<void> {
  await trx
    .updateTable('admission_runs')
    .set({
      kind: 'provisional',
      input_hash: f.inputHash,
      result_hash: f.resultHash,
      algorithm: f.algorithm,
      programmes: f.programmes,
      candidates: f.candidates,
      wishes: f.wishes,
      considered: f.considered,
      admitted: f.admitted,
      unpaid: f.unpaid,
      ineligible: f.ineligible,
      changed: f.changed,
      timings: JSON.stringify(f.timings),
      finished_at: f.finishedAt,
    })
    .where('id', '=', id)
    .where('kind', '=', 'running')
    .execute();
}

/** The worker takes a queued run (or one a crashed attempt left running): true when it is the worker's to run. */
export async function markRunning(trx: Kysely<DB>, id: string): Promise<boolean> {
  const r = await trx.updateTable('admission_runs').set({ kind: 'running' }).where('id', '=', id).where('kind', 'in', ['queued', 'running']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function failRun(trx: Kysely<DB>, id: string, at: string, timings: Record<string, number>, message: string): Promise<void> {
  await trx.updateTable('admission_runs').set({ kind: 'failed', finished_at: at, timings: JSON.stringify(timings), message }).where('id', '=', id).where('kind', 'in', ['queued', 'running']).execute();
}

/** Marks the run published, and the one published before it superseded; false when the run was not provisional. */
export async function markPublished(trx: Kysely<DB>, id: string, examYear: number, by: string, at: string): Promise<{ ok: boolean; superseded: string | null }> {
  const before = await trx.selectFrom('admission_runs').select('id').where('exam_year', '=', examYear).where('kind', '=', 'published').executeTakeFirst();
  const r = await trx.updateTable('admission_runs').set({ kind: 'published', published_by: by, published_at: at }).where('id', '=', id).where('kind', '=', 'provisional').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return { ok: false, superseded: null };
  if (before && before.id !== id) await trx.updateTable('admission_runs').set({ kind: 'superseded', superseded_by_run: id, superseded_at: at }).where('id', '=', before.id).execute();
  return { ok: true, superseded: before && before.id !== id ? before.id : null };
}

// ---- the results, written in bulk ----

export interface CandidateResultRow {
  run_id: string;
  candidate_id: string;
  programme_id: string | null;
  wish: number | null;
  score_centi: number | null;
  not_obtained: string;
}

export interface ProgrammeResultRow {
  run_id: string;
  programme_id: string;
  quota: number;
  admitted: number;
  full: number;
  cutoff_centi: number | null;
  lowest_admitted_centi: number | null;
  applicants: number;
  by_wish: string;
  by_combination: string;
  /** the candidate at its last place, for a run that follows this one (null: it turned nobody away) */
  last_place_candidate_id: string | null;
}

/** A candidate's result row as values in column order (a national run writes 850,000: no object each). */
export type CandidateResultValues = [runId: string, candidateId: string, programmeId: string | null, wish: number | null, scoreCenti: number | null, notObtained: string];

const CANDIDATE_TARGET: BulkTarget<CandidateResultValues> = {
  table: 'admission_run_candidates',
  columns: ['run_id', 'candidate_id', 'programme_id', 'wish', 'score_centi', 'not_obtained'],
  pgTypes: { wish: 'int4', score_centi: 'int4' },
  rowOf: ([run_id, candidate_id, programme_id, wish, score_centi, not_obtained]) => ({ run_id, candidate_id, programme_id, wish, score_centi, not_obtained }),
  valuesOf: (v) => v,
};

/** An admitted candidate as values in the key order of admission_run_admitted (migration 055). */
export type AdmittedValues = [runId: string, programmeId: string, scoreCenti: number, candidateId: string, wish: number];

const ADMITTED_TARGET: BulkTarget<AdmittedValues> = {
  table: 'admission_run_admitted',
  columns: ['run_id', 'programme_id', 'score_centi', 'candidate_id', 'wish'],
  pgTypes: { score_centi: 'int4', wish: 'int4' },
  rowOf: ([run_id, programme_id, score_centi, candidate_id, wish]) => ({ run_id, programme_id, score_centi, candidate_id, wish }),
  valuesOf: (v) => v,
};

const PROGRAMME_TARGET: BulkTarget<ProgrammeResultRow> = {
  table: 'admission_run_programmes',
  columns: ['run_id', 'programme_id', 'quota', 'admitted', 'full', 'cutoff_centi', 'lowest_admitted_centi', 'applicants', 'by_wish', 'by_combination', 'last_place_candidate_id'],
  pgTypes: { quota: 'int4', admitted: 'int4', full: 'int4', cutoff_centi: 'int4', lowest_admitted_centi: 'int4', applicants: 'int4' },
  rowOf: (r) => r,
};

/** Writes the candidates' results in large batches of one transaction each (the dialect's fastest bulk path). */
export async function storeCandidateResults(db: Db, rows: Iterator<CandidateResultValues>, total: number): Promise<number> {
  // two batches at once on PostgreSQL (the server's two cores); SQLite has one writer
  return db.dialect.bulkLoad(db.writer, [CANDIDATE_TARGET as BulkTarget<unknown>], rows as Iterator<unknown>, { batchSize: 100_000, total, parallel: 2 });
}

/**
 * Writes the admitted candidates per programme; given in the table's key order (programme, score, candidate),
 * every insert lands at the end of its key range instead of at a random place in a large B-tree.
 */
export async function storeAdmitted(db: Db, rows: Iterator<AdmittedValues>, total: number): Promise<number> {
  return db.dialect.bulkLoad(db.writer, [ADMITTED_TARGET as BulkTarget<unknown>], rows as Iterator<unknown>, { batchSize: 100_000, total, parallel: 2 });
}

export async function storeProgrammeResults(db: Db, rows: ProgrammeResultRow[]): Promise<number> {
  return db.dialect.bulkLoad(db.writer, [PROGRAMME_TARGET as BulkTarget<unknown>], rows[Symbol.iterator]() as Iterator<unknown>, { batchSize: 5_000, total: rows.length });
}

/** Deletes what a failed run wrote. */
export async function deleteRunResults(trx: Kysely<DB>, runId: string): Promise<void> {
  await trx.deleteFrom('admission_run_candidates').where('run_id', '=', runId).execute();
  await trx.deleteFrom('admission_run_admitted').where('run_id', '=', runId).execute();
  await trx.deleteFrom('admission_run_programmes').where('run_id', '=', runId).execute();
  await trx.deleteFrom('admission_run_changes').where('run_id', '=', runId).execute();
}

// ---- the difference against the run it follows ----

export interface ChangedPair {
  candidateId: string;
  before: CandidateResultRow | null;
  after: CandidateResultRow | null;
}

/** Candidates whose admission differs between two runs (in either, or only one of them). */
export async function changedCandidates(db: Kysely<DB>, beforeRun: string, afterRun: string): Promise<ChangedPair[]> {
  const changed = await db
    .selectFrom('admission_run_candidates as a')
    .leftJoin('admission_run_candidates as b', (j) => j.onRef('b.candidate_id', '=', 'a.candidate_id').on('b.run_id', '=', beforeRun))
    .select([
      'a.candidate_id',
      'a.programme_id as a_programme',
      'a.wish as a_wish',
      'a.score_centi as a_score',
      'a.not_obtained as a_not',
      'b.candidate_id as b_id',
      'b.programme_id as b_programme',
      'b.wish as b_wish',
      'b.score_centi as b_score',
      'b.not_obtained as b_not',
    ])
    .where('a.run_id', '=', afterRun)
    .where((eb) =>
      eb.or([
        eb('b.candidate_id', 'is', null),
        eb(sql`coalesce(a.programme_id, '')`, '!=', sql`coalesce(b.programme_id, '')`),
        eb(sql`coalesce(a.wish, 0)`, '!=', sql`coalesce(b.wish, 0)`),
      ]),
    )
    .execute();
  const gone = await db
    .selectFrom('admission_run_candidates as b')
    .leftJoin('admission_run_candidates as a', (j) => j.onRef('a.candidate_id', '=', 'b.candidate_id').on('a.run_id', '=', afterRun))
    .selectAll('b')
    .where('b.run_id', '=', beforeRun)
    .where('a.candidate_id', 'is', null)
    .execute();
  const out: ChangedPair[] = changed.map((r) => ({
    candidateId: r.candidate_id,
    after: { run_id: afterRun, candidate_id: r.candidate_id, programme_id: r.a_programme, wish: r.a_wish, score_centi: r.a_score, not_obtained: r.a_not },
    before: r.b_id === null ? null : { run_id: beforeRun, candidate_id: r.candidate_id, programme_id: r.b_programme, wish: r.b_wish, score_centi: r.b_score, not_obtained: r.b_not ?? '[]' },
  }));
  for (const g of gone) out.push({ candidateId: g.candidate_id, before: g, after: null });
  return out;
}

export interface ChangeRow {
  run_id: string;
  candidate_id: string;
  before_programme_id: string | null;
  before_wish: number | null;
  after_programme_id: string | null;
  after_wish: number | null;
  why: string;
  detail: string;
}

export async function insertChanges(trx: Kysely<DB>, rows: ChangeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('admission_run_changes').values(rows.slice(i, i + 500)).execute();
}

/** What run `runId` changed for one candidate against the run it follows, if anything. */
export async function candidateChange(db: Kysely<DB>, runId: string, candidateId: string): Promise<ChangeRow | null> {
  return (await db.selectFrom('admission_run_changes').selectAll().where('run_id', '=', runId).where('candidate_id', '=', candidateId).executeTakeFirst()) ?? null;
}

export async function runChanges(db: Kysely<DB>, runId: string, limit: number): Promise<ChangeRow[]> {
  return db.selectFrom('admission_run_changes').selectAll().where('run_id', '=', runId).orderBy('candidate_id').limit(limit).execute();
}

// ---- reading a run's results ----

/**
 * What a later run protects of a published run: its admitted candidates' programmes and scores, in keyset
 * batches (850,000 rows at national size, never one result set), and each programme's cut-off, last place and
 * whether it filled.
 */
export async function* publishedAdmissionBatches(db: Kysely<DB>, runId: string, batch = 50_000): AsyncGenerator<Array<{ candidateId: string; programmeId: string | null; score: number | null }>> {
  let after: string | null = null;
  for (;;) {
    let q = db.selectFrom('admission_run_candidates').select(['candidate_id', 'programme_id', 'score_centi']).where('run_id', '=', runId).where('programme_id', 'is not', null);
    if (after !== null) q = q.where('candidate_id', '>', after);
    const rows = await q.orderBy('candidate_id').limit(batch).execute();
    yield rows.map((r) => ({ candidateId: r.candidate_id, programmeId: r.programme_id, score: r.score_centi }));
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.candidate_id;
  }
}

export async function publishedProgrammes(db: Kysely<DB>, runId: string): Promise<Array<{ programmeId: string; full: boolean; cutoff: number | null; lastPlace: string | null }>> {
  const rows = await db.selectFrom('admission_run_programmes').select(['programme_id', 'full', 'cutoff_centi', 'last_place_candidate_id']).where('run_id', '=', runId).execute();
  return rows.map((r) => ({ programmeId: r.programme_id, full: r.full === 1, cutoff: r.cutoff_centi, lastPlace: r.last_place_candidate_id ?? null }));
}

export async function candidateResult(db: Kysely<DB>, runId: string, candidateId: string): Promise<CandidateResultRow | null> {
  return (await db.selectFrom('admission_run_candidates').selectAll().where('run_id', '=', runId).where('candidate_id', '=', candidateId).executeTakeFirst()) ?? null;
}

export async function programmeResults(db: Kysely<DB>, runId: string, programmeIds?: readonly string[]): Promise<ProgrammeResultRow[]> {
  let q = db.selectFrom('admission_run_programmes').selectAll().where('run_id', '=', runId);
  if (programmeIds) {
    if (programmeIds.length === 0) return [];
    q = q.where('programme_id', 'in', programmeIds);
  }
  return q.orderBy('programme_id').execute();
}

export interface AdmittedRow {
  candidateId: string;
  programmeId: string;
  wish: number;
  scoreCenti: number;
  fullName: string | null;
  dateOfBirth: string | null;
  idNumber: string | null;
  number: string | null;
  confirmedAt: string | null;
}

/** The candidates a run admitted to the given programmes, best score first, with what the list prints. */
export async function admittedTo(db: Kysely<DB>, runId: string, examYear: number, programmeIds: readonly string[]): Promise<AdmittedRow[]> {
  if (programmeIds.length === 0) return [];
  const rows = await db
    .selectFrom('admission_run_admitted as r')
    .leftJoin('candidates as c', 'c.id', 'r.candidate_id')
    .leftJoin('candidate_numbers as n', (j) => j.onRef('n.candidate_id', '=', 'r.candidate_id').on('n.exam_year', '=', examYear))
    .leftJoin('admission_enrolments as e', (j) => j.onRef('e.candidate_id', '=', 'r.candidate_id').on('e.exam_year', '=', examYear).onRef('e.programme_id', '=', 'r.programme_id'))
    .select(['r.candidate_id', 'r.programme_id', 'r.wish', 'r.score_centi', 'c.full_name', 'c.date_of_birth', 'c.id_number', 'n.number', 'e.confirmed_at'])
    .where('r.run_id', '=', runId)
    .where('r.programme_id', 'in', programmeIds)
    .orderBy('r.programme_id')
    .orderBy('r.score_centi', 'desc')
    .orderBy('r.candidate_id')
    .execute();
  return rows.map((r) => ({
    candidateId: r.candidate_id,
    programmeId: r.programme_id,
    wish: r.wish,
    scoreCenti: r.score_centi,
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    idNumber: r.id_number,
    number: r.number,
    confirmedAt: r.confirmed_at,
  }));
}

/** The candidate record behind a user account, for the year. */
export async function candidateOfUser(db: Kysely<DB>, userId: string, examYear: number): Promise<{ id: string } | null> {
  return (await db.selectFrom('candidates').select('id').where('user_id', '=', userId).where('exam_year', '=', examYear).executeTakeFirst()) ?? null;
}

export async function programmeNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, { name: string; institutionCode: string; code: string; method: string; institutionId: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('admission_programmes').select(['id', 'name', 'institution_code', 'code', 'method', 'institution_id']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, institutionCode: r.institution_code, code: r.code, method: r.method, institutionId: r.institution_id }]));
}

export async function institutionProgrammeIds(db: Kysely<DB>, examYear: number, institutionId: string): Promise<string[]> {
  return (await db.selectFrom('admission_programmes').select('id').where('exam_year', '=', examYear).where('institution_id', '=', institutionId).orderBy('id').execute()).map((r) => r.id);
}

export async function orgUnitOf(db: Kysely<DB>, id: string): Promise<{ id: string; kind: string; code: string; name: string } | null> {
  return (await db.selectFrom('org_units').select(['id', 'kind', 'code', 'name']).where('id', '=', id).executeTakeFirst()) ?? null;
}

// ---- enrolment ----

export async function enrolmentOf(db: Kysely<DB>, examYear: number, candidateId: string): Promise<{ runId: string; programmeId: string; confirmedAt: string } | null> {
  const r = await db.selectFrom('admission_enrolments').select(['run_id', 'programme_id', 'confirmed_at']).where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).executeTakeFirst();
  return r ? { runId: r.run_id, programmeId: r.programme_id, confirmedAt: r.confirmed_at } : null;
}

export async function upsertEnrolment(trx: Kysely<DB>, e: { examYear: number; candidateId: string; runId: string; programmeId: string; at: string; by: string }): Promise<void> {
  await trx
    .insertInto('admission_enrolments')
    .values({ exam_year: e.examYear, candidate_id: e.candidateId, run_id: e.runId, programme_id: e.programmeId, confirmed_at: e.at, confirmed_by: e.by })
    .onConflict((oc) => oc.columns(['exam_year', 'candidate_id']).doUpdateSet({ run_id: e.runId, programme_id: e.programmeId, confirmed_at: e.at, confirmed_by: e.by }))
    .execute();
}

/** Confirmations per programme for a run's programmes (those confirmed for the programme the run admits them to). */
export async function enrolmentCounts(db: Kysely<DB>, runId: string, examYear: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('admission_enrolments as e')
    .innerJoin('admission_run_candidates as r', (j) => j.onRef('r.candidate_id', '=', 'e.candidate_id').onRef('r.programme_id', '=', 'e.programme_id').on('r.run_id', '=', runId))
    .select(['e.programme_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('e.exam_year', '=', examYear)
    .groupBy('e.programme_id')
    .execute();
  return new Map(rows.map((r) => [r.programme_id, Number(r.n)]));
}

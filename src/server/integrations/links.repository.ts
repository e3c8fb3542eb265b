// SQL for the national links' pipeline: what a job reads about a candidate and their dossier when it runs
// (so no personal data waits in the job queue), the identity flags a point resolves, where a long command
// got to (link_runs), and the backlog per job kind. Reads only on the dossier module's tables.
import { sql, type Kysely, type QueryCreator, type RawBuilder, type SqlBool } from 'kysely';
import { insertRowsPart } from '../db/insert-rows.ts';
import { runPart, type Arg, type UnitPart } from '../db/write-unit.ts';
import type { DB, IdentityFlagTable } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';
import type { IdentityCheckResult } from './population/population.ts';

export interface CandidateForLinks {
  candidateId: string;
  userId: string;
  examYear: number;
  idKind: 'cccd' | 'personal' | 'passport' | 'assigned';
  idNumber: string;
  fullName: string;
  dateOfBirth: string;
  className: string | null;
  candidateType: 'current' | 'free';
  point: { id: string; code: string; name: string; departmentCode: string };
  /** the candidate's dossier of the year (the real one, never a trial), when there is one */
  dossier: { id: string; code: string | null; version: number; status: 'draft' | 'submitted' | 'returned' | 'verified'; data: string; submittedAt: string | null; verifiedAt: string | null; createdAt: string } | null;
}

/** The candidate, their point and their real dossier of the year, read in one statement. */
function candidateForLinksQuery(db: Kysely<DB>) {
  return db
    .selectFrom('candidates as c')
    .innerJoin('org_units as p', 'p.id', 'c.point_id')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').onRef('d.exam_year', '=', 'c.exam_year').on('d.is_trial', '=', 0))
    .select([
      'c.id',
      'c.user_id',
      'c.exam_year',
      'c.id_kind',
      'c.id_number',
      'c.full_name',
      'c.date_of_birth',
      'c.class_name',
      'c.candidate_type',
      'p.id as point_id',
      'p.code as point_code',
      'p.name as point_name',
      'c.department_code',
      'd.id as d_id',
      'd.code as d_code',
      'd.version as d_version',
      'd.status as d_status',
      'd.data as d_data',
      'd.submitted_at as d_submitted_at',
      'd.verified_at as d_verified_at',
      'd.created_at as d_created_at',
    ]);
}

type CandidateForLinksRow = NonNullable<Awaited<ReturnType<ReturnType<typeof candidateForLinksQuery>['executeTakeFirst']>>>;

function candidateForLinksOf(r: CandidateForLinksRow): CandidateForLinks {
  return {
    candidateId: r.id,
    userId: r.user_id,
    examYear: r.exam_year,
    idKind: r.id_kind,
    idNumber: r.id_number,
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    className: r.class_name,
    candidateType: r.candidate_type,
    point: { id: r.point_id, code: r.point_code, name: r.point_name, departmentCode: r.department_code },
    dossier:
      r.d_id !== null && r.d_version !== null && r.d_status !== null && r.d_data !== null && r.d_created_at !== null
        ? { id: r.d_id, code: r.d_code, version: r.d_version, status: r.d_status, data: r.d_data, submittedAt: r.d_submitted_at, verifiedAt: r.d_verified_at, createdAt: r.d_created_at }
        : null,
  };
}

const byCandidate = prepared<{ id: string }, CandidateForLinksRow>((db, p) => candidateForLinksQuery(db).where('c.id', '=', p('id')));
const byDossier = prepared<{ id: string }, CandidateForLinksRow>((db, p) => candidateForLinksQuery(db).where('d.id', '=', p('id')));

/** The candidate, their point and their real dossier of the year (one statement: a job reads it per run). */
export async function candidateForLinks(db: Kysely<DB>, candidateId: string): Promise<CandidateForLinks | undefined> {
  const r = (await byCandidate(db, { id: candidateId })).rows[0];
  return r ? candidateForLinksOf(r) : undefined;
}

/** How many ids an IN list of a batch read holds at most (a worker's batch is 20 by default). */
const IN_LIST_MAX = 200;

async function inChunks(ids: readonly string[], read: (chunk: string[]) => Promise<CandidateForLinksRow[]>): Promise<CandidateForLinksRow[]> {
  const unique = [...new Set(ids)];
  const rows: CandidateForLinksRow[] = [];
  for (let i = 0; i < unique.length; i += IN_LIST_MAX) rows.push(...(await read(unique.slice(i, i + IN_LIST_MAX))));
  return rows;
}

/**
 * Several candidates as candidateForLinks reads one, in one statement (a job batch's prefetch): by
 * candidate id; an id not in the map is not in the database.
 */
export async function candidatesForLinks(db: Kysely<DB>, candidateIds: readonly string[]): Promise<Map<string, CandidateForLinks>> {
  const rows = await inChunks(candidateIds, (chunk) => candidateForLinksQuery(db).where('c.id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.id, candidateForLinksOf(r)]));
}

/** The same by dossier id, as candidateForLinksOfDossier reads one: an id not in the map is no real dossier. */
export async function candidatesForLinksOfDossiers(db: Kysely<DB>, dossierIds: readonly string[]): Promise<Map<string, CandidateForLinks>> {
  const rows = await inChunks(dossierIds, (chunk) => candidateForLinksQuery(db).where('d.id', 'in', chunk).execute());
  return new Map(rows.filter((r) => r.d_id !== null).map((r) => [r.d_id!, candidateForLinksOf(r)]));
}

/** The same, found by the dossier (a portal update's): undefined unless it is the candidate's real dossier of the year. */
export async function candidateForLinksOfDossier(db: Kysely<DB>, dossierId: string): Promise<CandidateForLinks | undefined> {
  const r = (await byDossier(db, { id: dossierId })).rows[0];
  return r ? candidateForLinksOf(r) : undefined;
}

// ---- identity flags ----

export interface IdentityFlag {
  id: string;
  candidateId: string;
  dossierId: string | null;
  pointId: string;
  departmentCode: string;
  examYear: number;
  checkId: string;
  outcome: IdentityFlagTable['outcome'];
  mismatches: IdentityCheckResult['mismatches'];
  status: IdentityFlagTable['status'];
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

function flagOf(r: IdentityFlagTable): IdentityFlag {
  return {
    id: r.id,
    candidateId: r.candidate_id,
    dossierId: r.dossier_id,
    pointId: r.point_id,
    departmentCode: r.department_code,
    examYear: r.exam_year,
    checkId: r.check_id,
    outcome: r.outcome,
    mismatches: r.mismatches ? (JSON.parse(r.mismatches) as IdentityFlag['mismatches']) : [],
    status: r.status,
    note: r.note,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    createdAt: r.created_at,
  };
}

const FLAG_COLUMNS = {
  id: 'text',
  candidate_id: 'text',
  dossier_id: 'text',
  point_id: 'text',
  department_code: 'text',
  exam_year: 'integer',
  check_id: 'text',
  outcome: 'text',
  mismatches: 'text',
  status: 'text',
  note: 'text',
  resolved_by: 'text',
  resolved_at: 'text',
  created_at: 'text',
} as const;

/** The candidate's open flags ended with `status` (a write unit's part, gated when in a unit). */
function endOpenFlagsPart(candidateId: string, status: 'superseded' | 'cleared', note: string | null, now: Date): UnitPart<Record<string, unknown>> {
  const args = { candidate_id: candidateId, status, note, resolved_at: now.toISOString() };
  return {
    shape: `flags-end:${note === null ? 'keep-note' : 'note'}`,
    args,
    build(qc: QueryCreator<DB>, arg: Arg<Record<string, unknown>>, gate: RawBuilder<SqlBool> | undefined) {
      const set: Record<string, RawBuilder<unknown>> = { status: sql`cast(${arg('status')} as text)`, resolved_at: sql`cast(${arg('resolved_at')} as text)` };
      if (note !== null) set['note'] = sql`cast(${arg('note')} as text)`;
      let q = qc
        .updateTable('identity_flags')
        .set(set as never)
        .where('candidate_id', '=', arg('candidate_id') as string)
        .where('status', '=', 'open');
      if (gate) q = q.where(gate);
      return q;
    },
  };
}

/**
 * A check that disagreed (or did not know the number): a new open flag in the point's queue, superseding
 * the candidate's open one. Two parts of the check job's write unit; `id` is the new flag's.
 */
export function raiseFlagParts(id: string, f: Pick<IdentityFlag, 'candidateId' | 'dossierId' | 'pointId' | 'departmentCode' | 'examYear' | 'checkId' | 'outcome' | 'mismatches'>, now: Date): Array<UnitPart<Record<string, unknown>>> {
  const ts = now.toISOString();
  const row = {
    id,
    candidate_id: f.candidateId,
    dossier_id: f.dossierId,
    point_id: f.pointId,
    department_code: f.departmentCode,
    exam_year: f.examYear,
    check_id: f.checkId,
    outcome: f.outcome,
    mismatches: f.mismatches.length ? JSON.stringify(f.mismatches) : null,
    status: 'open',
    note: null,
    resolved_by: null,
    resolved_at: null,
    created_at: ts,
  };
  // on PostgreSQL both run in one statement on the same snapshot: the update never sees the new row
  return [endOpenFlagsPart(f.candidateId, 'superseded', null, now), insertRowsPart('identity_flags', FLAG_COLUMNS, [row], { shape: 'flag' })];
}

/** The same, step by step inside a write the caller runs; returns the new flag's id. */
export async function raiseFlag(trx: Kysely<DB>, f: Pick<IdentityFlag, 'candidateId' | 'dossierId' | 'pointId' | 'departmentCode' | 'examYear' | 'checkId' | 'outcome' | 'mismatches'>, now: Date): Promise<string> {
  const id = newId();
  for (const part of raiseFlagParts(id, f, now)) await runPart(trx, part);
  return id;
}

/** A check that matched: an open flag is cleared (the dossier was corrected, or the register was). */
export function clearFlagsPart(candidateId: string, now: Date): UnitPart<Record<string, unknown>> {
  return endOpenFlagsPart(candidateId, 'cleared', 'Kiểm tra lại: khớp CSDL dân cư', now);
}

export async function findFlag(db: Kysely<DB>, id: string): Promise<IdentityFlag | undefined> {
  const r = await db.selectFrom('identity_flags').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? flagOf(r) : undefined;
}

export async function flagsOfCandidate(db: Kysely<DB>, candidateId: string): Promise<IdentityFlag[]> {
  const rows = await db.selectFrom('identity_flags').selectAll().where('candidate_id', '=', candidateId).orderBy('created_at').orderBy('id').execute();
  return rows.map(flagOf);
}

export interface FlagLine extends IdentityFlag {
  fullName: string;
  idNumber: string;
  dossierCode: string | null;
  dossierVersion: number | null;
}

/** A point's flags (open first by default), with who they are about; limited to the point. */
export async function listFlagsOfPoint(db: Kysely<DB>, pointId: string, status: IdentityFlagTable['status'] | 'all', limit: number): Promise<FlagLine[]> {
  let q = db
    .selectFrom('identity_flags as f')
    .innerJoin('candidates as c', 'c.id', 'f.candidate_id')
    .leftJoin('dossiers as d', 'd.id', 'f.dossier_id')
    // a flag raised when the class list was imported has no dossier of its own; the candidate's dossier made
    // since is named on it, or the point reads "no dossier yet" above a dossier it has in the queue
    .leftJoin('dossiers as later', (j) => j.onRef('later.candidate_id', '=', 'f.candidate_id').on('later.is_trial', '=', 0))
    .selectAll('f')
    .select((eb) => ['c.full_name', 'c.id_number', eb.fn.coalesce('d.code', 'later.code').as('dossier_code'), 'd.version as dossier_version'])
    .where('f.point_id', '=', pointId);
  if (status !== 'all') q = q.where('f.status', '=', status);
  const rows = await q.orderBy('f.created_at', 'desc').orderBy('f.id').limit(limit).execute();
  return rows.map((r) => ({ ...flagOf(r), fullName: r.full_name, idNumber: r.id_number, dossierCode: r.dossier_code, dossierVersion: r.dossier_version }));
}

/** Closes an open flag; false when it was not open any more. */
export async function resolveFlagRow(trx: Kysely<DB>, id: string, status: 'corrected' | 'confirmed', note: string, by: string, now: Date): Promise<boolean> {
  const r = await trx.updateTable('identity_flags').set({ status, note, resolved_by: by, resolved_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countFlags(db: Kysely<DB>, examYear: number): Promise<Record<IdentityFlagTable['status'], number>> {
  const rows = await db.selectFrom('identity_flags').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('exam_year', '=', examYear).groupBy('status').execute();
  const out = { open: 0, corrected: 0, confirmed: 0, cleared: 0, superseded: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

// ---- long commands: where they got to ----

export interface LinkRun {
  name: string;
  cursor: string;
  queued: number;
  startedAt: string;
  finishedAt: string | null;
}

export async function findRun(db: Kysely<DB>, name: string): Promise<LinkRun | undefined> {
  const r = await db.selectFrom('link_runs').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? { name: r.name, cursor: r.cursor, queued: r.queued, startedAt: r.started_at, finishedAt: r.finished_at } : undefined;
}

export async function saveRun(trx: Kysely<DB>, run: LinkRun, now: Date): Promise<void> {
  const v = { cursor: run.cursor, queued: run.queued, started_at: run.startedAt, finished_at: run.finishedAt, updated_at: now.toISOString() };
  await trx
    .insertInto('link_runs')
    .values({ name: run.name, ...v })
    .onConflict((oc) => oc.column('name').doUpdateSet(v))
    .execute();
}

/** The year's candidates after `afterId`, in id order: a page of the re-check. */
export async function candidateIdsPage(db: Kysely<DB>, examYear: number, afterId: string, limit: number): Promise<Array<{ id: string; idKind: string }>> {
  const rows = await db.selectFrom('candidates').select(['id', 'id_kind']).where('exam_year', '=', examYear).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, idKind: r.id_kind }));
}

/** The year's real dossiers the portal should know (a code, past the draft), after `afterId`. */
export async function portalDossiersPage(db: Kysely<DB>, examYear: number, afterId: string, limit: number): Promise<Array<{ id: string; code: string; version: number; status: string }>> {
  const rows = await db
    .selectFrom('dossiers')
    .select(['id', 'code', 'version', 'status'])
    .where('exam_year', '=', examYear)
    .where('is_trial', '=', 0)
    .where('status', '!=', 'draft')
    .where('code', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code!, version: r.version, status: r.status }));
}

/** Outcomes of the checks made for one reason since an instant (a re-check's report). */
export async function checkOutcomesSince(db: Kysely<DB>, reason: string, since: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('identity_checks')
    .select(['outcome', (eb) => eb.fn.count<number>(sql`distinct candidate_id`).as('n')])
    .where('reason', '=', reason)
    .where('checked_at', '>=', since)
    .groupBy('outcome')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
}


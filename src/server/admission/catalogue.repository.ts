// SQL of the admission catalogue (issue 23, deliverable 1): institutions with their counts of draft and
// published programmes, an institution's programmes, the uploads with their reports, replacing an
// institution's drafts with an import, publishing them, and the ministry's return of them.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CatalogueProgramme } from '../../domain/admission-catalogue.ts';
import { searchKey } from '../../domain/admission-wishes.ts';
import type { ProgrammeRow } from './admission.repository.ts';

export interface AdmissionCatalogueReturnTable {
  exam_year: number;
  institution_id: string;
  reason: string;
  drafts: number;
  returned_by: string;
  returned_at: string;
}

declare module '../db/schema.ts' {
  interface DB {
    admission_catalogue_returns: AdmissionCatalogueReturnTable;
  }
}

export interface InstitutionRow {
  id: string;
  code: string;
  name: string;
  provinceCode: string | null;
  active: boolean;
  drafts: number;
  published: number;
  returned: { reason: string; returnedAt: string; drafts: number } | null;
  lastImportAt: string | null;
}

/** Institutions (all, or the one asked), each with its programmes of the year by status and its latest return and import. */
export async function institutionsWithCounts(db: Kysely<DB>, examYear: number, onlyId?: string): Promise<InstitutionRow[]> {
  let q = db.selectFrom('org_units').select(['id', 'code', 'name', 'department_code', 'active']).where('kind', '=', 'institution');
  if (onlyId !== undefined) q = q.where('id', '=', onlyId);
  const units = await q.orderBy('code').execute();
  if (units.length === 0) return [];
  const ids = units.map((u) => u.id);
  const [counts, returns, imports] = await Promise.all([
    db
      .selectFrom('admission_programmes')
      .select(['institution_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('exam_year', '=', examYear)
      .where('institution_id', 'in', ids)
      .groupBy(['institution_id', 'status'])
      .execute(),
    db.selectFrom('admission_catalogue_returns').selectAll().where('exam_year', '=', examYear).where('institution_id', 'in', ids).execute(),
    db
      .selectFrom('admission_programme_imports')
      .select(['institution_id', (eb) => eb.fn.max('created_at').as('at')])
      .where('exam_year', '=', examYear)
      .where('institution_id', 'in', ids)
      .groupBy('institution_id')
      .execute(),
  ]);
  return units.map((u) => {
    const r = returns.find((x) => x.institution_id === u.id);
    const n = (status: string) => Number(counts.find((c) => c.institution_id === u.id && c.status === status)?.n ?? 0);
    return {
      id: u.id,
      code: u.code,
      name: u.name,
      provinceCode: u.department_code,
      active: u.active === 1,
      drafts: n('draft'),
      published: n('published'),
      returned: r ? { reason: r.reason, returnedAt: r.returned_at, drafts: r.drafts } : null,
      lastImportAt: (imports.find((i) => i.institution_id === u.id)?.at as string | null | undefined) ?? null,
    };
  });
}

export async function institutionProgrammes(db: Kysely<DB>, examYear: number, institutionId: string, status?: 'draft' | 'published'): Promise<ProgrammeRow[]> {
  let q = db.selectFrom('admission_programmes').selectAll().where('exam_year', '=', examYear).where('institution_id', '=', institutionId);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('code').orderBy('method').execute();
}

export interface CatalogueFindingRow {
  row: number;
  programme?: string;
  field: string;
  code: string;
  severity: 'error' | 'warning';
  vi: string;
  en: string;
}

export interface StoredCatalogueImport {
  id: string;
  examYear: number;
  institutionId: string;
  institutionCode: string;
  fileName: string;
  status: 'validated' | 'committed' | 'discarded';
  totalRows: number;
  validRows: number;
  errorRows: number;
  unchangedRows: number;
  createdBy: string;
  createdAt: string;
  importedRows: number | null;
}

export async function insertCatalogueImport(
  trx: Kysely<DB>,
  i: StoredCatalogueImport & { rows: Array<CatalogueProgramme & { row: number }>; findings: CatalogueFindingRow[]; failedRows: Array<{ row: number; cells: Record<string, string> }> },
): Promise<void> {
  await trx
    .insertInto('admission_programme_imports')
    .values({
      id: i.id,
      exam_year: i.examYear,
      institution_id: i.institutionId,
      institution_code: i.institutionCode,
      file_name: i.fileName,
      status: i.status,
      total_rows: i.totalRows,
      valid_rows: i.validRows,
      error_rows: i.errorRows,
      rows: JSON.stringify(i.rows),
      report: JSON.stringify({ findings: i.findings, failedRows: i.failedRows, unchangedRows: i.unchangedRows }),
      created_by: i.createdBy,
      created_at: i.createdAt,
      committed_by: null,
      committed_at: null,
      imported_rows: null,
    })
    .execute();
}

export async function findCatalogueImport(
  db: Kysely<DB>,
  id: string,
): Promise<
  | (StoredCatalogueImport & { rows: Array<CatalogueProgramme & { row: number }>; findings: CatalogueFindingRow[]; failedRows: Array<{ row: number; cells: Record<string, string> }> })
  | undefined
> {
  const r = await db.selectFrom('admission_programme_imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const report = JSON.parse(r.report) as { findings: CatalogueFindingRow[]; failedRows?: Array<{ row: number; cells: Record<string, string> }>; unchangedRows?: number };
  return {
    id: r.id,
    examYear: r.exam_year,
    institutionId: r.institution_id,
    institutionCode: r.institution_code,
    fileName: r.file_name,
    status: r.status,
    totalRows: r.total_rows,
    validRows: r.valid_rows,
    errorRows: r.error_rows,
    unchangedRows: report.unchangedRows ?? 0,
    createdBy: r.created_by,
    createdAt: r.created_at,
    importedRows: r.imported_rows,
    rows: JSON.parse(r.rows) as Array<CatalogueProgramme & { row: number }>,
    findings: report.findings,
    failedRows: report.failedRows ?? [],
  };
}

/**
 * A programme-method's id is `QHI-7480201-100` (as the demo's and the run's fixtures spell it); the same
 * programme of another year already holds that id, so a later year's row takes the year as a suffix.
 */
export const programmeIdOf = (institutionCode: string, p: Pick<CatalogueProgramme, 'code' | 'method'>): string => `${institutionCode}-${p.code}-${p.method}`;

async function idsTakenByOtherYears(trx: Kysely<DB>, ids: readonly string[], examYear: number): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx.selectFrom('admission_programmes').select('id').where('id', 'in', ids.slice(i, i + 500)).where('exam_year', '<>', examYear).execute();
    for (const r of rows) taken.add(r.id);
  }
  return taken;
}

/**
 * In the caller's transaction: marks the import committed (false when it was not 'validated' any more),
 * deletes the institution's drafts of the year and inserts the import's programmes as the new drafts.
 */
export async function replaceDrafts(
  trx: Kysely<DB>,
  imp: { id: string; examYear: number; institutionId: string; institutionCode: string },
  programmes: readonly CatalogueProgramme[],
  by: string,
  now: Date,
): Promise<{ committed: boolean; replaced: number }> {
  const at = now.toISOString();
  const marked = await trx
    .updateTable('admission_programme_imports')
    .set({ status: 'committed', committed_by: by, committed_at: at, imported_rows: programmes.length })
    .where('id', '=', imp.id)
    .where('status', '=', 'validated')
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) return { committed: false, replaced: 0 };
  const deleted = await trx.deleteFrom('admission_programmes').where('exam_year', '=', imp.examYear).where('institution_id', '=', imp.institutionId).where('status', '=', 'draft').executeTakeFirst();
  const taken = programmes.length > 0 ? await idsTakenByOtherYears(trx, programmes.map((p) => programmeIdOf(imp.institutionCode, p)), imp.examYear) : new Set<string>();
  // a revision of a published programme waits beside it under the published id with a suffix
  const publishedIds = new Map((await publishedKeys(trx, imp.examYear, imp.institutionId)).map((r) => [`${r.code}|${r.method}`, r.id]));
  const idOf = (p: CatalogueProgramme) => {
    const revised = publishedIds.get(`${p.code}|${p.method}`);
    if (revised !== undefined) return `${revised}${REVISION_SUFFIX}`;
    const base = programmeIdOf(imp.institutionCode, p);
    return taken.has(base) ? `${base}-${imp.examYear}` : base;
  };
  for (let i = 0; i < programmes.length; i += 200) {
    await trx
      .insertInto('admission_programmes')
      .values(
        programmes.slice(i, i + 200).map((p) => ({
          id: idOf(p),
          exam_year: imp.examYear,
          institution_id: imp.institutionId,
          institution_code: imp.institutionCode,
          code: p.code,
          method: p.method,
          name: p.name,
          search_name: searchKey(p.name),
          combinations: JSON.stringify(p.combinations),
          scoring: p.scoring,
          quota: p.quota,
          min_score_centi: p.minScoreCenti,
          teacher_training: p.teacherTraining ? 1 : 0,
          tie_policy: JSON.stringify(p.tiePolicy),
          status: 'draft' as const,
          import_id: imp.id,
          created_at: at,
          updated_at: at,
          published_at: null,
          published_by: null,
        })),
      )
      .execute();
  }
  // an import answers the ministry's return: the reason is no longer the last word
  await trx.deleteFrom('admission_catalogue_returns').where('exam_year', '=', imp.examYear).where('institution_id', '=', imp.institutionId).execute();
  return { committed: true, replaced: Number(deleted.numDeletedRows) };
}

/** Whether another import of the institution for the year was committed after `since` (a newer file won). */
export async function committedSince(db: Kysely<DB>, examYear: number, institutionId: string, since: string): Promise<boolean> {
  const r = await db
    .selectFrom('admission_programme_imports')
    .select('id')
    .where('exam_year', '=', examYear)
    .where('institution_id', '=', institutionId)
    .where('status', '=', 'committed')
    .where('committed_at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The id suffix of a draft revising a published programme (`QHI-7480201-100~draft`). */
export const REVISION_SUFFIX = '~draft';

async function publishedKeys(db: Kysely<DB>, examYear: number, institutionId: string): Promise<Array<{ id: string; code: string; method: string }>> {
  return db.selectFrom('admission_programmes').select(['id', 'code', 'method']).where('exam_year', '=', examYear).where('institution_id', '=', institutionId).where('status', '=', 'published').execute();
}

/** Drafts of the institution that revise one of its published programmes. */
export async function countRevisions(db: Kysely<DB>, examYear: number, institutionId: string): Promise<number> {
  const r = await db
    .selectFrom('admission_programmes as d')
    .innerJoin('admission_programmes as p', (j) => j.onRef('p.exam_year', '=', 'd.exam_year').onRef('p.institution_id', '=', 'd.institution_id').onRef('p.code', '=', 'd.code').onRef('p.method', '=', 'd.method'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('d.exam_year', '=', examYear)
    .where('d.institution_id', '=', institutionId)
    .where('d.status', '=', 'draft')
    .where('p.status', '=', 'published')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Publishes every draft of the institution for the year; the number published. A revision is written onto
 * its published row, which keeps its id (the wishes naming it stay as they are), and the draft goes.
 */
export async function publishDrafts(trx: Kysely<DB>, examYear: number, institutionId: string, by: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const publishedIds = new Map((await publishedKeys(trx, examYear, institutionId)).map((r) => [`${r.code}|${r.method}`, r.id]));
  let revised = 0;
  if (publishedIds.size > 0) {
    const drafts = await trx.selectFrom('admission_programmes').selectAll().where('exam_year', '=', examYear).where('institution_id', '=', institutionId).where('status', '=', 'draft').execute();
    for (const d of drafts) {
      const target = publishedIds.get(`${d.code}|${d.method}`);
      if (target === undefined) continue;
      await trx
        .updateTable('admission_programmes')
        .set({
          name: d.name,
          search_name: d.search_name,
          combinations: d.combinations,
          scoring: d.scoring,
          quota: d.quota,
          min_score_centi: d.min_score_centi,
          teacher_training: d.teacher_training,
          tie_policy: d.tie_policy,
          import_id: d.import_id,
          updated_at: at,
          published_at: at,
          published_by: by,
        })
        .where('id', '=', target)
        .execute();
      await trx.deleteFrom('admission_programmes').where('id', '=', d.id).execute();
      revised += 1;
    }
  }
  const r = await trx
    .updateTable('admission_programmes')
    .set({ status: 'published', published_at: at, published_by: by, updated_at: at })
    .where('exam_year', '=', examYear)
    .where('institution_id', '=', institutionId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  await trx.deleteFrom('admission_catalogue_returns').where('exam_year', '=', examYear).where('institution_id', '=', institutionId).execute();
  return revised + Number(r.numUpdatedRows);
}

export async function countDrafts(db: Kysely<DB>, examYear: number, institutionId: string): Promise<number> {
  const r = await db
    .selectFrom('admission_programmes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('exam_year', '=', examYear)
    .where('institution_id', '=', institutionId)
    .where('status', '=', 'draft')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Records the ministry's return of the drafts (the latest one per institution and year). */
export async function recordReturn(trx: Kysely<DB>, examYear: number, institutionId: string, reason: string, drafts: number, by: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await trx
    .insertInto('admission_catalogue_returns')
    .values({ exam_year: examYear, institution_id: institutionId, reason, drafts, returned_by: by, returned_at: at })
    .onConflict((oc) => oc.columns(['exam_year', 'institution_id']).doUpdateSet({ reason, drafts, returned_by: by, returned_at: at }))
    .execute();
}

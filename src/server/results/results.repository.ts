// All SQL of the results feature: the councils' versioned mark imports and their rows, the published
// marks, the school-year averages the points import, and the graduation results computed on publication.
// Dossiers, candidates and candidate numbers are only read here; their own modules write them.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Finding } from '../../domain/messages.ts';
import type { IncomingMark, MarkChange, StoredMark } from '../../domain/exam-marks.ts';

const CHUNK = 500;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

// ---- marks as columns ----

interface MarkColumns {
  kind: string | null;
  score_centi: number | null;
  sanction: string | null;
}

function toColumns(m: StoredMark | null): MarkColumns {
  if (!m) return { kind: null, score_centi: null, sanction: null };
  if (m.kind !== 'score') return { kind: m.kind, score_centi: null, sanction: null };
  return { kind: 'score', score_centi: m.centi, sanction: m.sanction };
}

function fromColumns(r: MarkColumns): StoredMark | null {
  if (r.kind === 'absent' || r.kind === 'suspended') return { kind: r.kind };
  if (r.kind === 'score' && r.score_centi !== null) return { kind: 'score', centi: r.score_centi, sanction: r.sanction === 'reprimand' || r.sanction === 'warning' ? r.sanction : null };
  return null;
}

// ---- who the rows name ----

export interface NumberedCandidate {
  candidateId: string;
  number: string;
  pointId: string;
}

/** The department's current (not withdrawn) candidate numbers among `numbers`. */
export async function candidatesByNumber(db: Kysely<DB>, examYear: number, departmentCode: string, numbers: readonly string[]): Promise<Map<string, NumberedCandidate>> {
  const out = new Map<string, NumberedCandidate>();
  for (const part of chunks([...new Set(numbers)])) {
    const rows = await db
      .selectFrom('candidate_numbers as n')
      .innerJoin('candidates as c', 'c.id', 'n.candidate_id')
      .select(['n.number', 'n.candidate_id', 'c.point_id'])
      .where('n.exam_year', '=', examYear)
      .where('n.department_code', '=', departmentCode)
      .where('n.withdrawn', '=', 0)
      .where('n.number', 'in', part)
      .execute();
    for (const r of rows) out.set(r.number, { candidateId: r.candidate_id, number: r.number, pointId: r.point_id });
  }
  return out;
}

/** The candidates' current numbers (a result row carries it for the look-up). */
export async function numbersOf(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(candidateIds)) {
    const rows = await db.selectFrom('candidate_numbers').select(['candidate_id', 'number']).where('exam_year', '=', examYear).where('withdrawn', '=', 0).where('candidate_id', 'in', part).execute();
    for (const r of rows) out.set(r.candidate_id, r.number);
  }
  return out;
}

export interface DossierOfCandidate {
  /** the dossier's declared sections (JSON as stored) */
  data: unknown;
  programme: string | null;
}

/** The verified dossiers of these candidates: what they registered to sit, their exemptions and points. */
export async function verifiedDossiers(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, DossierOfCandidate>> {
  const out = new Map<string, DossierOfCandidate>();
  for (const part of chunks(candidateIds)) {
    const rows = await db
      .selectFrom('dossiers')
      .select(['candidate_id', 'data', 'programme'])
      .where('exam_year', '=', examYear)
      .where('is_trial', '=', 0)
      .where('status', '=', 'verified')
      .where('candidate_id', 'in', part)
      .execute();
    for (const r of rows) {
      let data: unknown = {};
      try {
        data = JSON.parse(r.data);
      } catch {
        data = {};
      }
      out.set(r.candidate_id, { data, programme: r.programme });
    }
  }
  return out;
}

/** The sessions each candidate is seated for (what they sit when the dossier does not say it in full). */
export async function seatedSessions(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunks(candidateIds)) {
    const rows = await db.selectFrom('exam_seats').select(['candidate_id', 'session']).where('exam_year', '=', examYear).where('candidate_id', 'in', part).execute();
    for (const r of rows) out.set(r.candidate_id, [...(out.get(r.candidate_id) ?? []), r.session]);
  }
  return out;
}

// ---- imports ----

export interface ResultImport {
  id: string;
  examYear: number;
  departmentCode: string;
  version: number;
  status: 'staged' | 'published' | 'superseded';
  /** a council's file, or the changed marks of score reviews */
  kind: 'file' | 'review';
  fileName: string;
  subjects: string[];
  baseVersion: number;
  totalRows: number;
  validRows: number;
  errorRows: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  uploadedBy: string;
  uploadedAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
  resultsComputed: number | null;
}

export type RowFinding = Finding & { row: number };

type ImportRow = DB['result_imports'] extends infer T ? { [K in keyof T]: T[K] } : never;

function toImport(r: ImportRow): ResultImport {
  return {
    id: r.id,
    examYear: r.exam_year,
    departmentCode: r.department_code,
    version: r.version,
    status: r.status,
    kind: r.kind,
    fileName: r.file_name,
    subjects: JSON.parse(r.subjects) as string[],
    baseVersion: r.base_version,
    totalRows: r.total_rows,
    validRows: r.valid_rows,
    errorRows: r.error_rows,
    added: r.added,
    changed: r.changed,
    removed: r.removed,
    unchanged: r.unchanged,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
    resultsComputed: r.results_computed,
  };
}

/** The council's published version: the highest version published (0 before the first). */
export async function publishedVersion(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<number> {
  const r = await db
    .selectFrom('result_imports')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('exam_year', '=', examYear)
    .where('department_code', '=', departmentCode)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function nextImportVersion(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<number> {
  const r = await db.selectFrom('result_imports').select((eb) => eb.fn.max('version').as('v')).where('exam_year', '=', examYear).where('department_code', '=', departmentCode).executeTakeFirst();
  return Number(r?.v ?? 0) + 1;
}

/** The published marks of the department's papers `subjects`. */
export async function publishedMarks(db: Kysely<DB>, examYear: number, departmentCode: string, subjects: readonly string[]): Promise<IncomingMark[]> {
  if (subjects.length === 0) return [];
  const rows = await db
    .selectFrom('exam_marks')
    .select(['candidate_id', 'subject', 'kind', 'score_centi', 'sanction'])
    .where('exam_year', '=', examYear)
    .where('department_code', '=', departmentCode)
    .where('subject', 'in', [...subjects])
    .execute();
  return rows.flatMap((r) => {
    const mark = fromColumns(r);
    return mark ? [{ candidateId: r.candidate_id, subject: r.subject, mark }] : [];
  });
}

export interface StagedRow {
  row: number;
  number: string;
  change: MarkChange;
}

export async function insertResultImport(trx: Kysely<DB>, imp: Omit<ResultImport, 'publishedBy' | 'publishedAt' | 'resultsComputed'>, findings: readonly RowFinding[], rows: readonly StagedRow[]): Promise<void> {
  await trx
    .insertInto('result_imports')
    .values({
      id: imp.id,
      exam_year: imp.examYear,
      department_code: imp.departmentCode,
      version: imp.version,
      status: imp.status,
      kind: imp.kind,
      file_name: imp.fileName,
      subjects: JSON.stringify(imp.subjects),
      base_version: imp.baseVersion,
      total_rows: imp.totalRows,
      valid_rows: imp.validRows,
      error_rows: imp.errorRows,
      added: imp.added,
      changed: imp.changed,
      removed: imp.removed,
      unchanged: imp.unchanged,
      findings: JSON.stringify(findings),
      uploaded_by: imp.uploadedBy,
      uploaded_at: imp.uploadedAt,
    })
    .execute();
  const values = rows.map((r) => {
    const c = r.change;
    const now = toColumns(c.change === 'removed' ? null : c.mark);
    const old = toColumns(c.change === 'changed' || c.change === 'removed' ? c.old : null);
    return { import_id: imp.id, row: r.row, candidate_id: c.candidateId, number: r.number, subject: c.subject, change: c.change, ...now, old_kind: old.kind, old_score_centi: old.score_centi, old_sanction: old.sanction };
  });
  for (const part of chunks(values)) await trx.insertInto('result_import_rows').values(part).execute();
}

export async function findResultImport(db: Kysely<DB>, id: string): Promise<ResultImport | undefined> {
  const r = await db.selectFrom('result_imports').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toImport(r) : undefined;
}

export async function importFindings(db: Kysely<DB>, id: string): Promise<RowFinding[]> {
  const r = await db.selectFrom('result_imports').select('findings').where('id', '=', id).executeTakeFirst();
  return r ? (JSON.parse(r.findings) as RowFinding[]) : [];
}

export async function listResultImports(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<ResultImport[]> {
  const rows = await db.selectFrom('result_imports').selectAll().where('exam_year', '=', examYear).where('department_code', '=', departmentCode).orderBy('version', 'desc').execute();
  return rows.map(toImport);
}

export interface ChangeRow {
  row: number;
  number: string;
  candidateId: string;
  subject: string;
  change: 'added' | 'changed' | 'removed';
  mark: StoredMark | null;
  old: StoredMark | null;
}

/** What publishing the import changes (unchanged rows left out), in file order, removed rows last. */
export async function importChanges(db: Kysely<DB>, id: string, limit: number): Promise<ChangeRow[]> {
  const rows = await db
    .selectFrom('result_import_rows')
    .selectAll()
    .where('import_id', '=', id)
    .where('change', '!=', 'unchanged')
    .orderBy('row')
    .orderBy('number')
    .orderBy('subject')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    row: r.row,
    number: r.number,
    candidateId: r.candidate_id,
    subject: r.subject,
    change: r.change as ChangeRow['change'],
    mark: fromColumns(r),
    old: fromColumns({ kind: r.old_kind, score_centi: r.old_score_centi, sanction: r.old_sanction }),
  }));
}

/** Staged → published, once: false when it was not staged any more. */
export async function markImportPublished(trx: Kysely<DB>, id: string, by: string, now: Date): Promise<boolean> {
  const r = await trx.updateTable('result_imports').set({ status: 'published', published_by: by, published_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'staged').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setResultsComputed(trx: Kysely<DB>, id: string, n: number): Promise<void> {
  await trx.updateTable('result_imports').set({ results_computed: n }).where('id', '=', id).execute();
}

/** Other staged imports were checked against the version just replaced: they can no longer be published. */
export async function supersedeStaged(trx: Kysely<DB>, examYear: number, departmentCode: string): Promise<number> {
  const r = await trx.updateTable('result_imports').set({ status: 'superseded' }).where('exam_year', '=', examYear).where('department_code', '=', departmentCode).where('status', '=', 'staged').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Writes an import's changes to the published marks: added and changed rows upserted, removed rows
 * deleted; unchanged rows are not touched. Returns the candidates whose marks changed.
 */
export async function applyMarkChanges(trx: Kysely<DB>, imp: Pick<ResultImport, 'id' | 'examYear' | 'departmentCode' | 'version'>, now: Date): Promise<string[]> {
  const at = now.toISOString();
  const rows = await trx.selectFrom('result_import_rows').select(['candidate_id', 'subject', 'change', 'kind', 'score_centi', 'sanction']).where('import_id', '=', imp.id).where('change', '!=', 'unchanged').execute();
  const upserts = rows
    .filter((r) => r.change !== 'removed')
    .map((r) => ({ exam_year: imp.examYear, candidate_id: r.candidate_id, subject: r.subject, department_code: imp.departmentCode, kind: r.kind ?? '', score_centi: r.score_centi, sanction: r.sanction, version: imp.version, updated_at: at }));
  for (const part of chunks(upserts)) {
    await trx
      .insertInto('exam_marks')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['exam_year', 'candidate_id', 'subject']).doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          score_centi: eb.ref('excluded.score_centi'),
          sanction: eb.ref('excluded.sanction'),
          version: eb.ref('excluded.version'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  for (const r of rows.filter((x) => x.change === 'removed')) {
    await trx.deleteFrom('exam_marks').where('exam_year', '=', imp.examYear).where('candidate_id', '=', r.candidate_id).where('subject', '=', r.subject).execute();
  }
  return [...new Set(rows.map((r) => r.candidate_id))];
}

/** Every published mark of these candidates, by candidate and subject. */
export async function marksOf(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, Record<string, StoredMark>>> {
  const out = new Map<string, Record<string, StoredMark>>();
  for (const part of chunks(candidateIds)) {
    const rows = await db.selectFrom('exam_marks').select(['candidate_id', 'subject', 'kind', 'score_centi', 'sanction']).where('exam_year', '=', examYear).where('candidate_id', 'in', part).execute();
    for (const r of rows) {
      const m = fromColumns(r);
      if (!m) continue;
      const rec = out.get(r.candidate_id) ?? {};
      rec[r.subject] = m;
      out.set(r.candidate_id, rec);
    }
  }
  return out;
}

// ---- school-year averages ----

export interface SchoolAverageRow {
  candidateId: string;
  pointId: string;
  departmentCode: string;
  grade10: number | null;
  grade11: number | null;
  grade12: number | null;
  graduationGroups: string[];
}

export interface PointCandidate {
  candidateId: string;
  idNumber: string;
  fullName: string;
}

/** The point's candidates of the year by their ID number (what the school's file names). */
export async function candidatesOfPoint(db: Kysely<DB>, examYear: number, pointId: string): Promise<Map<string, PointCandidate>> {
  const rows = await db.selectFrom('candidates').select(['id', 'id_number', 'full_name']).where('exam_year', '=', examYear).where('point_id', '=', pointId).execute();
  return new Map(rows.map((r) => [r.id_number, { candidateId: r.id, idNumber: r.id_number, fullName: r.full_name }]));
}

export async function upsertAverages(trx: Kysely<DB>, examYear: number, rows: readonly SchoolAverageRow[], by: string, now: Date): Promise<void> {
  const at = now.toISOString();
  const values = rows.map((r) => ({
    exam_year: examYear,
    candidate_id: r.candidateId,
    point_id: r.pointId,
    department_code: r.departmentCode,
    grade10_centi: r.grade10,
    grade11_centi: r.grade11,
    grade12_centi: r.grade12,
    graduation_groups: r.graduationGroups.length > 0 ? r.graduationGroups.join(',') : null,
    updated_by: by,
    updated_at: at,
  }));
  for (const part of chunks(values)) {
    await trx
      .insertInto('school_averages')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['exam_year', 'candidate_id']).doUpdateSet((eb) => ({
          grade10_centi: eb.ref('excluded.grade10_centi'),
          grade11_centi: eb.ref('excluded.grade11_centi'),
          grade12_centi: eb.ref('excluded.grade12_centi'),
          graduation_groups: eb.ref('excluded.graduation_groups'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function averagesOf(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, SchoolAverageRow>> {
  const out = new Map<string, SchoolAverageRow>();
  for (const part of chunks(candidateIds)) {
    const rows = await db.selectFrom('school_averages').selectAll().where('exam_year', '=', examYear).where('candidate_id', 'in', part).execute();
    for (const r of rows) {
      out.set(r.candidate_id, {
        candidateId: r.candidate_id,
        pointId: r.point_id,
        departmentCode: r.department_code,
        grade10: r.grade10_centi,
        grade11: r.grade11_centi,
        grade12: r.grade12_centi,
        graduationGroups: r.graduation_groups ? r.graduation_groups.split(',') : [],
      });
    }
  }
  return out;
}

/** Candidates of the department with a result whose school averages arrived after it was computed. */
export async function resultsBehindAverages(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('exam_results as r')
    .innerJoin('school_averages as a', (j) => j.onRef('a.candidate_id', '=', 'r.candidate_id').onRef('a.exam_year', '=', 'r.exam_year'))
    .select('r.candidate_id')
    .where('r.exam_year', '=', examYear)
    .where('r.department_code', '=', departmentCode)
    .whereRef('a.updated_at', '>', 'r.computed_at')
    .execute();
  return rows.map((r) => r.candidate_id);
}

// ---- results ----

export interface ResultRow {
  candidateId: string;
  departmentCode: string;
  number: string;
  scheme: string;
  version: number;
  importId: string;
  status: 'passed' | 'failed' | 'incomplete' | 'not_applicable';
  scoreCenti: number | null;
  schoolAverageCenti: number | null;
  encouragementCenti: number;
  priorityCenti: number;
  divisor: number;
  detail: unknown;
  reasons: Finding[];
}

export async function upsertResults(trx: Kysely<DB>, examYear: number, rows: readonly ResultRow[], now: Date): Promise<void> {
  const at = now.toISOString();
  const values = rows.map((r) => ({
    exam_year: examYear,
    candidate_id: r.candidateId,
    department_code: r.departmentCode,
    number: r.number,
    scheme: r.scheme,
    version: r.version,
    import_id: r.importId,
    status: r.status,
    score_centi: r.scoreCenti,
    school_average_centi: r.schoolAverageCenti,
    encouragement_centi: r.encouragementCenti,
    priority_centi: r.priorityCenti,
    divisor: r.divisor,
    detail: JSON.stringify(r.detail),
    reasons: JSON.stringify(r.reasons),
    computed_at: at,
  }));
  for (const part of chunks(values, 200)) {
    await trx
      .insertInto('exam_results')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['exam_year', 'candidate_id']).doUpdateSet((eb) => ({
          department_code: eb.ref('excluded.department_code'),
          number: eb.ref('excluded.number'),
          scheme: eb.ref('excluded.scheme'),
          version: eb.ref('excluded.version'),
          import_id: eb.ref('excluded.import_id'),
          status: eb.ref('excluded.status'),
          score_centi: eb.ref('excluded.score_centi'),
          school_average_centi: eb.ref('excluded.school_average_centi'),
          encouragement_centi: eb.ref('excluded.encouragement_centi'),
          priority_centi: eb.ref('excluded.priority_centi'),
          divisor: eb.ref('excluded.divisor'),
          detail: eb.ref('excluded.detail'),
          reasons: eb.ref('excluded.reasons'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  }
}

export interface StoredResult extends ResultRow {
  computedAt: string;
}

/** A candidate's stored result (what the results morning will show). */
export async function findResult(db: Kysely<DB>, examYear: number, candidateId: string): Promise<StoredResult | undefined> {
  const r = await db.selectFrom('exam_results').selectAll().where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).executeTakeFirst();
  if (!r) return undefined;
  return {
    candidateId: r.candidate_id,
    departmentCode: r.department_code,
    number: r.number,
    scheme: r.scheme,
    version: r.version,
    importId: r.import_id,
    status: r.status,
    scoreCenti: r.score_centi,
    schoolAverageCenti: r.school_average_centi,
    encouragementCenti: r.encouragement_centi,
    priorityCenti: r.priority_centi,
    divisor: r.divisor,
    detail: JSON.parse(r.detail) as unknown,
    reasons: JSON.parse(r.reasons) as Finding[],
    computedAt: r.computed_at,
  };
}

export async function resultCounts(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<Record<ResultRow['status'], number>> {
  const rows = await db
    .selectFrom('exam_results')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('exam_year', '=', examYear)
    .where('department_code', '=', departmentCode)
    .groupBy('status')
    .execute();
  const out = { passed: 0, failed: 0, incomplete: 0, not_applicable: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

// ---- the results morning (item 5): read once per publication, never per look-up ----

/**
 * What changes when any council publishes: the count of published imports of the year and the last
 * publication instant. Cheap (an index range of result_imports); read at most once a second a process.
 */
export async function publicationStamp(db: Kysely<DB>, examYear: number): Promise<string> {
  const r = await db
    .selectFrom('result_imports')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('published_at').as('last')])
    .where('exam_year', '=', examYear)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return `${Number(r?.n ?? 0)}@${r?.last ?? ''}`;
}

export interface PublishedResultLine {
  number: string;
  departmentCode: string;
  status: ResultRow['status'];
  /** the stored detail JSON (parts and marks) */
  detail: string;
}

/** One page of the year's results in number order, after `afterNumber` (keyset: the snapshot's build). */
export async function resultsPage(db: Kysely<DB>, examYear: number, afterNumber: string, limit: number): Promise<PublishedResultLine[]> {
  const rows = await db
    .selectFrom('exam_results')
    .select(['number', 'department_code', 'status', 'detail'])
    .where('exam_year', '=', examYear)
    .where('number', '>', afterNumber)
    .orderBy('number')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ number: r.number, departmentCode: r.department_code, status: r.status, detail: r.detail }));
}

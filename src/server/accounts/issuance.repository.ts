// Class-list imports and account issuances: all SQL on account_imports and account_issuances.
import type { Kysely } from 'kysely';
import type { AccountImportTable, DB } from '../db/schema.ts';
import type { FailedRow, RowFinding, ValidRow } from './class-list-validate.ts';

export interface StoredImport {
  id: string;
  pointId: string;
  examYear: number;
  createdBy: string;
  createdAt: string;
  fileName: string;
  status: AccountImportTable['status'];
  totalRows: number;
  validRows: number;
  errorRows: number;
  importedRows: number | null;
}

const toImport = (r: Omit<AccountImportTable, 'rows' | 'report'>): StoredImport => ({
  id: r.id,
  pointId: r.point_id,
  examYear: r.exam_year,
  createdBy: r.created_by,
  createdAt: r.created_at,
  fileName: r.file_name,
  status: r.status,
  totalRows: r.total_rows,
  validRows: r.valid_rows,
  errorRows: r.error_rows,
  importedRows: r.imported_rows,
});

export async function insertImport(
  db: Kysely<DB>,
  i: Omit<StoredImport, 'status' | 'importedRows'> & { rows: ValidRow[]; findings: RowFinding[]; failedRows: FailedRow[] },
): Promise<void> {
  await db
    .insertInto('account_imports')
    .values({
      id: i.id,
      point_id: i.pointId,
      exam_year: i.examYear,
      created_by: i.createdBy,
      created_at: i.createdAt,
      file_name: i.fileName,
      status: 'validated',
      total_rows: i.totalRows,
      valid_rows: i.validRows,
      error_rows: i.errorRows,
      rows: JSON.stringify(i.rows),
      report: JSON.stringify({ findings: i.findings, failedRows: i.failedRows }),
      committed_at: null,
      committed_by: null,
      imported_rows: null,
    })
    .execute();
}

export async function findImport(db: Kysely<DB>, id: string): Promise<StoredImport | undefined> {
  const r = await db.selectFrom('account_imports').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toImport(r) : undefined;
}

export async function importContent(db: Kysely<DB>, id: string): Promise<{ rows: ValidRow[]; findings: RowFinding[]; failedRows: FailedRow[] }> {
  const r = await db.selectFrom('account_imports').select(['rows', 'report']).where('id', '=', id).executeTakeFirstOrThrow();
  // reports stored before the failed rows were kept are a bare list of findings
  const report = JSON.parse(r.report) as RowFinding[] | { findings: RowFinding[]; failedRows: FailedRow[] };
  const { findings, failedRows } = Array.isArray(report) ? { findings: report, failedRows: [] } : report;
  return { rows: JSON.parse(r.rows) as ValidRow[], findings, failedRows };
}

/** Marks an import committed, only if it still is 'validated' (two clicks commit once). */
export async function markImportCommitted(db: Kysely<DB>, id: string, by: string, imported: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('account_imports')
    .set({ status: 'committed', committed_at: now.toISOString(), committed_by: by, imported_rows: imported })
    .where('id', '=', id)
    .where('status', '=', 'validated')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface StoredIssuance {
  id: string;
  pointId: string;
  issuedBy: string;
  issuedAt: string;
  kind: 'initial' | 'reissue';
  count: number;
  sealed: string | null;
  documentsExpireAt: string;
}

export async function insertIssuance(db: Kysely<DB>, i: StoredIssuance): Promise<void> {
  await db
    .insertInto('account_issuances')
    .values({ id: i.id, point_id: i.pointId, issued_by: i.issuedBy, issued_at: i.issuedAt, kind: i.kind, count: i.count, sealed: i.sealed, documents_expire_at: i.documentsExpireAt })
    .execute();
}

export async function findIssuance(db: Kysely<DB>, id: string): Promise<StoredIssuance | undefined> {
  const r = await db.selectFrom('account_issuances').selectAll().where('id', '=', id).executeTakeFirst();
  return r
    ? { id: r.id, pointId: r.point_id, issuedBy: r.issued_by, issuedAt: r.issued_at, kind: r.kind, count: r.count, sealed: r.sealed, documentsExpireAt: r.documents_expire_at }
    : undefined;
}

/** Drops the sealed credentials of issuances whose documents have expired. */
export async function purgeExpiredIssuances(db: Kysely<DB>, now: Date): Promise<void> {
  await db.updateTable('account_issuances').set({ sealed: null }).where('documents_expire_at', '<=', now.toISOString()).where('sealed', 'is not', null).execute();
}

/** Sets a batch of one-time password hashes (a point issues up to a few thousand at once). */
export async function setIssuedPasswords(db: Kysely<DB>, list: Array<{ userId: string; hash: string }>, now: Date): Promise<void> {
  const ts = now.toISOString();
  for (const u of list) {
    await db
      .updateTable('users')
      .set({ password_hash: u.hash, must_change_password: 1, password_set_at: ts, updated_at: ts, status: 'active' })
      .where('id', '=', u.userId)
      .where('status', '!=', 'disabled')
      .execute();
  }
}

/** A point's classes for a year, with how many candidates each has and how many hold an issued account. */
export async function pointClasses(db: Kysely<DB>, pointId: string, examYear: number): Promise<{ className: string; candidates: number; issued: number; signedIn: number }[]> {
  const rows = await db
    .selectFrom('candidates as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select((eb) => [
      'c.class_name',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('u.status', '!=', 'not_issued').then(1).else(0).end()).as('issued'),
      eb.fn.sum<number>(eb.case().when('u.last_sign_in_at', 'is not', null).then(1).else(0).end()).as('signed_in'),
    ])
    .where('c.point_id', '=', pointId)
    .where('c.exam_year', '=', examYear)
    .where('c.class_name', 'is not', null)
    .groupBy('c.class_name')
    .execute();
  const collator = new Intl.Collator('vi', { numeric: true });
  return rows
    .map((r) => ({ className: r.class_name!, candidates: Number(r.n), issued: Number(r.issued), signedIn: Number(r.signed_in) }))
    .sort((a, b) => collator.compare(a.className, b.className));
}

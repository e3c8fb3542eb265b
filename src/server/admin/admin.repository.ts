// All SQL of the configuration API: writing exam years (reads go through exam-years.repository.ts) and
// the organisation tree's departments and points.
import type { Kysely } from 'kysely';
import type { DB, OrgUnitTable } from '../db/schema.ts';
import type { ExamYearWindows, SchemeCode } from '../../domain/exam-year.ts';
import { orgIdForCode } from '../org/org.repository.ts';

export async function insertDraftYear(trx: Kysely<DB>, y: { year: number; scheme: SchemeCode; windows: ExamYearWindows; rules: Record<string, unknown> }, now: Date): Promise<boolean> {
  const ts = now.toISOString();
  const r = await trx
    .insertInto('exam_years')
    .values({ year: y.year, scheme: y.scheme, windows: JSON.stringify(y.windows), status: 'draft', rules: JSON.stringify(y.rules), published_at: null, created_at: ts, updated_at: ts })
    .onConflict((oc) => oc.column('year').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Updates a year only if it is still in the status the caller decided on (a publish racing an edit). */
export async function updateYearIfStatus(
  trx: Kysely<DB>,
  year: number,
  status: 'draft' | 'published',
  patch: { scheme?: SchemeCode; windows?: ExamYearWindows; rules?: Record<string, unknown> },
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('exam_years')
    .set({
      updated_at: now.toISOString(),
      ...(patch.scheme !== undefined ? { scheme: patch.scheme } : {}),
      ...(patch.windows !== undefined ? { windows: JSON.stringify(patch.windows) } : {}),
      ...(patch.rules !== undefined ? { rules: JSON.stringify(patch.rules) } : {}),
    })
    .where('year', '=', year)
    .where('status', '=', status)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function publishYearIfDraft(trx: Kysely<DB>, year: number, now: Date): Promise<boolean> {
  const ts = now.toISOString();
  const r = await trx.updateTable('exam_years').set({ status: 'published', published_at: ts, updated_at: ts }).where('year', '=', year).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- organisation ----

export interface OrgRow {
  id: string;
  kind: OrgUnitTable['kind'];
  code: string;
  name: string;
  parentId: string | null;
  departmentCode: string | null;
  pointKind: OrgUnitTable['point_kind'];
  address: string | null;
  active: boolean;
}

const orgOf = (r: OrgUnitTable): OrgRow => ({
  id: r.id,
  kind: r.kind,
  code: r.code,
  name: r.name,
  parentId: r.parent_id,
  departmentCode: r.department_code,
  pointKind: r.point_kind,
  address: r.address,
  active: r.active === 1,
});

export async function findMinistry(db: Kysely<DB>): Promise<OrgRow | undefined> {
  const r = await db.selectFrom('org_units').selectAll().where('kind', '=', 'ministry').limit(1).executeTakeFirst();
  return r ? orgOf(r) : undefined;
}

export async function findOrg(db: Kysely<DB>, id: string): Promise<OrgRow | undefined> {
  const r = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? orgOf(r) : undefined;
}

export async function findDepartment(db: Kysely<DB>, code: string): Promise<OrgRow | undefined> {
  const r = await db.selectFrom('org_units').selectAll().where('kind', '=', 'department').where('code', '=', code).executeTakeFirst();
  return r ? orgOf(r) : undefined;
}

export async function listDepartments(db: Kysely<DB>, onlyCode?: string): Promise<OrgRow[]> {
  let q = db.selectFrom('org_units').selectAll().where('kind', '=', 'department');
  if (onlyCode !== undefined) q = q.where('code', '=', onlyCode);
  return (await q.orderBy('code').execute()).map(orgOf);
}

export async function listPoints(db: Kysely<DB>, departmentCode: string): Promise<OrgRow[]> {
  const rows = await db.selectFrom('org_units').selectAll().where('kind', '=', 'point').where('department_code', '=', departmentCode).orderBy('code').execute();
  return rows.map(orgOf);
}

/** Inserts a node; false when its code (hence its id) exists already. */
export async function insertOrg(
  trx: Kysely<DB>,
  u: { kind: 'department' | 'point' | 'institution'; code: string; name: string; parentId: string; departmentCode: string; pointKind: 'school' | 'free' | null; address: string | null },
  now: Date,
): Promise<OrgRow | undefined> {
  const ts = now.toISOString();
  const row: OrgUnitTable = {
    id: orgIdForCode(u.code),
    kind: u.kind,
    code: u.code,
    name: u.name,
    parent_id: u.parentId,
    department_code: u.departmentCode,
    point_kind: u.pointKind,
    address: u.address,
    active: 1,
    created_at: ts,
    updated_at: ts,
  };
  const r = await trx.insertInto('org_units').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1 ? orgOf(row) : undefined;
}

export async function updateOrg(trx: Kysely<DB>, id: string, patch: { name?: string; active?: boolean; address?: string | null }, now: Date): Promise<void> {
  await trx
    .updateTable('org_units')
    .set({
      updated_at: now.toISOString(),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      ...(patch.address !== undefined ? { address: patch.address } : {}),
    })
    .where('id', '=', id)
    .execute();
}

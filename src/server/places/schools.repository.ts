// SQL for the schools table (030): a department's import replaces its rows one by one, and a province's
// list is read for the pickers and the priority-area lookup.
import type { Kysely } from 'kysely';
import type { DB, SchoolTable } from '../db/schema.ts';

export type SchoolRow = SchoolTable;

export async function upsertSchools(trx: Kysely<DB>, rows: SchoolRow[]): Promise<void> {
  for (const r of rows) {
    await trx
      .insertInto('schools')
      .values(r)
      .onConflict((oc) =>
        oc.columns(['department_code', 'code']).doUpdateSet({
          name: r.name,
          name_folded: r.name_folded,
          province_code: r.province_code,
          commune_code: r.commune_code,
          area: r.area,
          residence_based: r.residence_based,
          updated_at: r.updated_at,
        }),
      )
      .execute();
  }
}

export function schoolsInProvince(db: Kysely<DB>, provinceCode: string): Promise<SchoolRow[]> {
  return db.selectFrom('schools').selectAll().where('province_code', '=', provinceCode).orderBy('name_folded').execute();
}

/** One school by its department and code (a form prints its name). */
export function findSchool(db: Kysely<DB>, departmentCode: string, code: string): Promise<Pick<SchoolRow, 'name'> | undefined> {
  return db.selectFrom('schools').select('name').where('department_code', '=', departmentCode).where('code', '=', code).executeTakeFirst();
}

/** Every school (a few thousand nationally), for the priority-area lookup. */
export function allSchools(db: Kysely<DB>): Promise<Array<Pick<SchoolRow, 'department_code' | 'code' | 'area' | 'residence_based'>>> {
  return db.selectFrom('schools').select(['department_code', 'code', 'area', 'residence_based']).execute();
}

/** A cheap fingerprint of the list: changes whenever an import changes it (verdicts computed before go stale). */
export async function schoolsVersion(db: Kysely<DB>): Promise<string> {
  const r = await db.selectFrom('schools').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')]).executeTakeFirst();
  return `${Number(r?.n ?? 0)}@${r?.at ?? ''}`;
}

// 030: the schools each department imports (code, name, commune, priority area), so candidates pick their
// schools by name and the priority area is computed from them. Keyed by the exam department code the
// school belonged to (pre-merger provinces keep their codes, so a grade-10 school in a merged province is
// still found) and the school's code within it; name_folded is the name without diacritics for search.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schools')
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_folded', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('commune_code', 'text')
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('residence_based', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('schools_pk', ['department_code', 'code'])
    .execute();
  await db.schema.createIndex('schools_province').on('schools').columns(['province_code', 'name_folded']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('schools').execute();
}

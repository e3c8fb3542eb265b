// 041: university admission registration (issue 23). admission_programmes is each institution's catalogue
// of programme-methods for a year (draft when imported, published by the ministry); admission_programme_imports
// every upload of a catalogue with its row-by-row report; admission_wish_lists one row per candidate and year
// carrying the list's version (If-Match) and when it was frozen; admission_wishes the ranked wishes, each
// with its fee state (set by the payment side; only 'paid' wishes take part in the matching run).
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admission_programme_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('institution_id', 'text', (c) => c.notNull())
    .addColumn('institution_code', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('validated','committed','discarded')`))
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('valid_rows', 'integer', (c) => c.notNull())
    .addColumn('error_rows', 'integer', (c) => c.notNull())
    /** JSON: the parsed, normalised programmes that passed */
    .addColumn('rows', 'text', (c) => c.notNull())
    /** JSON: the findings, row by row, with the original cells of the rows that failed */
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_by', 'text')
    .addColumn('committed_at', 'text')
    .addColumn('imported_rows', 'integer')
    .execute();
  await db.schema
    .createIndex('admission_programme_imports_institution')
    .on('admission_programme_imports')
    .columns(['institution_id', 'exam_year', 'created_at'])
    .execute();

  await db.schema
    .createTable('admission_programmes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('institution_id', 'text', (c) => c.notNull())
    .addColumn('institution_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    /** lower case, diacritics folded (đ → d), for search */
    .addColumn('search_name', 'text', (c) => c.notNull())
    /** JSON: [{ code, weights?: { subject: weight } }] */
    .addColumn('combinations', 'text', (c) => c.notNull())
    .addColumn('scoring', 'text', (c) => c.notNull().check(sql`scoring in ('sum','weighted-30')`))
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addColumn('min_score_centi', 'integer')
    .addColumn('teacher_training', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON: the matching engine's TiePolicy */
    .addColumn('tie_policy', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published')`))
    .addColumn('import_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .execute();
  await db.schema
    .createIndex('admission_programmes_natural')
    .on('admission_programmes')
    .columns(['exam_year', 'institution_code', 'code', 'method'])
    .unique()
    .execute();
  await db.schema.createIndex('admission_programmes_search').on('admission_programmes').columns(['exam_year', 'search_name']).execute();
  await db.schema
    .createIndex('admission_programmes_institution')
    .on('admission_programmes')
    .columns(['institution_id', 'exam_year', 'status'])
    .execute();

  await db.schema
    .createTable('admission_wish_lists')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('frozen_at', 'text')
    .addPrimaryKeyConstraint('admission_wish_lists_pk', ['exam_year', 'candidate_id'])
    .execute();

  await db.schema
    .createTable('admission_wishes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('combination', 'text', (c) => c.notNull())
    .addColumn('fee_status', 'text', (c) => c.notNull().defaultTo('unpaid').check(sql`fee_status in ('unpaid','pending','paid','refunded')`))
    .addColumn('paid_at', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admission_wishes_position')
    .on('admission_wishes')
    .columns(['exam_year', 'candidate_id', 'position'])
    .unique()
    .execute();
  await db.schema
    .createIndex('admission_wishes_programme_unique')
    .on('admission_wishes')
    .columns(['exam_year', 'candidate_id', 'programme_id'])
    .unique()
    .execute();
  await db.schema.createIndex('admission_wishes_programme').on('admission_wishes').columns(['exam_year', 'programme_id', 'position']).execute();
  await db.schema.createIndex('admission_wishes_fee').on('admission_wishes').columns(['exam_year', 'fee_status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['admission_wishes', 'admission_wish_lists', 'admission_programmes', 'admission_programme_imports']) {
    await db.schema.dropTable(t).execute();
  }
}

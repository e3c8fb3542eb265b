// 041: the shared admission schema of issue 23 (notes/admission-schema.md): programmes (one per
// institution, programme and admission method), their imports, each candidate's wish list (its If-Match
// version and when it froze) and the ranked wishes with their fee state, which the payments set and the
// matching run reads. Written from that description so the payments stand on their own; the catalogue's
// branch owns this migration (where both exist, its version is the one kept).
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
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_by', 'text')
    .addColumn('committed_at', 'text')
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
    .addColumn('search_name', 'text', (c) => c.notNull())
    .addColumn('combinations', 'text', (c) => c.notNull())
    .addColumn('scoring', 'text', (c) => c.notNull().check(sql`scoring in ('sum','weighted-30')`))
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addColumn('min_score_centi', 'integer')
    .addColumn('teacher_training', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tie_policy', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published')`))
    .addColumn('import_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .execute();
  await db.schema.createIndex('admission_programmes_code').on('admission_programmes').columns(['exam_year', 'institution_code', 'code', 'method']).unique().execute();
  await db.schema.createIndex('admission_programmes_search').on('admission_programmes').columns(['exam_year', 'search_name']).execute();

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
  await db.schema.createIndex('admission_wishes_position').on('admission_wishes').columns(['exam_year', 'candidate_id', 'position']).unique().execute();
  await db.schema.createIndex('admission_wishes_programme_once').on('admission_wishes').columns(['exam_year', 'candidate_id', 'programme_id']).unique().execute();
  await db.schema.createIndex('admission_wishes_programme').on('admission_wishes').columns(['exam_year', 'programme_id', 'position']).execute();
  await db.schema.createIndex('admission_wishes_fee').on('admission_wishes').columns(['exam_year', 'fee_status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['admission_wishes', 'admission_wish_lists', 'admission_programmes', 'admission_programme_imports']) await db.schema.dropTable(t).ifExists().execute();
}

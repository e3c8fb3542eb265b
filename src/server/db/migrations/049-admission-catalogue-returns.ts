// 049: the ministry's answer to an institution's draft catalogue when it is not published: returned with a
// reason, which the institution's officers read beside their drafts until they import again or the
// ministry publishes. One row per institution and year (the latest return); the audit log keeps them all.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admission_catalogue_returns')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('institution_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('drafts', 'integer', (c) => c.notNull())
    .addColumn('returned_by', 'text', (c) => c.notNull())
    .addColumn('returned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_catalogue_returns_pk', ['exam_year', 'institution_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('admission_catalogue_returns').execute();
}

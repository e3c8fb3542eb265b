// 022: what the identity checks leave for people. identity_flags holds each dossier the population
// database disagreed with (a field that differs, with both values, or a number it does not know), in its
// point's queue until the point resolves it: corrected through the dossier module, or the card confirmed
// with a note; a newer check supersedes an open flag. link_runs keeps where a long command (the yearly
// re-check, the portal reconciliation) got to, so a stopped run resumes there.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text')
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('mismatches', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identity_flags_point').on('identity_flags').columns(['point_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('identity_flags_candidate').on('identity_flags').columns(['candidate_id', 'status']).execute();

  await db.schema
    .createTable('link_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('queued', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('link_runs').execute();
  await db.schema.dropTable('identity_flags').execute();
}

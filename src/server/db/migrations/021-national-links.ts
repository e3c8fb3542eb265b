// 021: what the national links' jobs record. identity_checks keeps every answer of the population
// database (or the refusal of a request it would never accept) with its time; portal_sync the last
// version of each dossier and of its progress the portal acknowledged, for reconciliation;
// population_give_backs the last version of each candidate's record given back to the database.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('mismatches', 'text')
    .addColumn('permanent_residence', 'text')
    .addColumn('error', 'text')
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identity_checks_candidate').on('identity_checks').columns(['candidate_id', 'checked_at']).execute();

  await db.schema
    .createTable('portal_sync')
    .addColumn('dossier_code', 'text', (c) => c.primaryKey())
    .addColumn('dossier_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dossier_status_code', 'integer')
    .addColumn('dossier_outcome', 'text')
    .addColumn('progress_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_outcome', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('population_give_backs')
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('population_give_backs_pk', ['candidate_id', 'exam_year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('population_give_backs').execute();
  await db.schema.dropTable('portal_sync').execute();
  await db.schema.dropTable('identity_checks').execute();
}

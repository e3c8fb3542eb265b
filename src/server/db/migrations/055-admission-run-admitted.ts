// 055: a run's admitted candidates per programme move from an index on admission_run_candidates
// (run_id, programme_id, score_centi) to a narrow table of their own, keyed in that order. A national run
// writes its 850,000 candidate rows in candidate order; the index took them in programme order, one random
// B-tree insert each, and cost about two thirds of the run's store on SQLite. The new table is written in
// its own key order (sequential inserts) and carries what an institution's admitted list reads.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admission_run_admitted')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('score_centi', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('wish', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_run_admitted_pk', ['run_id', 'programme_id', 'score_centi', 'candidate_id'])
    .execute();
  await sql`insert into admission_run_admitted (run_id, programme_id, score_centi, candidate_id, wish)
    select run_id, programme_id, score_centi, candidate_id, wish from admission_run_candidates where programme_id is not null`.execute(db);
  await db.schema.dropIndex('admission_run_candidates_programme').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('admission_run_candidates_programme').on('admission_run_candidates').columns(['run_id', 'programme_id', 'score_centi']).execute();
  await db.schema.dropTable('admission_run_admitted').execute();
}

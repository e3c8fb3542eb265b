// 051: the national admission run at scale, off the request path (issue 24, item 3).
// admission_wishes_run holds every column the run reads of a wish, in (candidate, position) order, so that
// read is an index-only scan: the table itself, with its ids, payment references and timestamps, is never
// visited. It costs each wish write one more index entry.
// admission_runs.message says why a run failed (or what it is doing), since the run now goes on in the job
// worker after the ministry's request has been answered; a run waiting for the worker is kind 'queued'.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('admission_wishes_run')
    .on('admission_wishes')
    .columns(['exam_year', 'candidate_id', 'position', 'programme_id', 'combination', 'fee_status'])
    .execute();
  await db.schema.alterTable('admission_runs').addColumn('message', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admission_runs').dropColumn('message').execute();
  await db.schema.dropIndex('admission_wishes_run').execute();
}

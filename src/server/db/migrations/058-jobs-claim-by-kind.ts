// 058: the worker claims each kind's due jobs by their own index: (kind, status, next_attempt_at) read in
// order from the first due row, so a claim reads about as many rows as it takes. Before, one claim over
// every kind sorted all due jobs by time: with a backlog of 100,000 portal updates on PostgreSQL each
// claim read and sorted them all (0.4–0.9 s of the database's CPU a batch), and a notification queued now
// waited behind every older portal update.
// The claim must have no other index to choose: jobs_due (status, next_attempt_at) was one, and SQLite,
// with statistics taken while the queue was short, walked it for a kind with nothing due through a
// backlog of another kind's 100,000 due rows, on every claim, holding the write lock. It is replaced by
// (status, done_at), which is what its other readers want: the purge of done jobs by age and the queue's
// depth (pending and dead). jobs_kind_status is replaced too: the new index's prefix serves its counts.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_kind_status_due').on('jobs').columns(['kind', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('jobs_status_done').on('jobs').columns(['status', 'done_at']).execute();
  await db.schema.dropIndex('jobs_kind_status').execute();
  await db.schema.dropIndex('jobs_due').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('jobs_kind_status').on('jobs').columns(['kind', 'status']).execute();
  await db.schema.dropIndex('jobs_status_done').execute();
  await db.schema.dropIndex('jobs_kind_status_due').execute();
}

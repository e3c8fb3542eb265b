// 058: the worker claims each kind's due jobs by their own index: (kind, status, next_attempt_at) read in
// order from the first due row, so a claim reads about as many rows as it takes. Before, one claim over
// every kind sorted all due jobs by time: with a backlog of 100,000 portal updates on PostgreSQL each
// claim read and sorted them all (0.4–0.9 s of the database's CPU a batch), and a notification queued now
// waited behind every older portal update. Replaces jobs_kind_status (its prefix serves the same counts).
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_kind_status_due').on('jobs').columns(['kind', 'status', 'next_attempt_at']).execute();
  await db.schema.dropIndex('jobs_kind_status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_kind_status').on('jobs').columns(['kind', 'status']).execute();
  await db.schema.dropIndex('jobs_kind_status_due').execute();
}

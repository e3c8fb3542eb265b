// 006: the dossier core rebuilt.
// - dossiers.code: the readable dossier code (CC-YY-NNNNNN-K, src/domain/dossier-code.ts), given at the first
//   save and kept for life; serials come from dossier_code_counters, reserved by processes in blocks.
// - dossiers.summary_key / findings / tasks: the rules' verdict on this version, stored with it (as JSON text,
//   in the answer's shape), valid while the year's rules and the local day are those of summary_key; a read
//   then splices them into its answer instead of checking the dossier again.
// - jobs: the one queue of work that leaves a transaction (notifications, national links): declared as data,
//   written in the transaction of the change that causes it, run by the worker with retries and backoff.
//   ordering_key + order_no keep one record's jobs in order (a dossier's portal updates never overtake).
//   What the old outbox still held undelivered moves over, already rendered.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('code', 'text').execute();
  await db.schema.alterTable('dossiers').addColumn('summary_key', 'text').execute();
  await db.schema.alterTable('dossiers').addColumn('findings', 'text').execute();
  await db.schema.alterTable('dossiers').addColumn('tasks', 'text').execute();
  await db.schema.createIndex('dossiers_code').on('dossiers').column('code').unique().execute();

  await db.schema
    .createTable('dossier_code_counters')
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('is_trial', 'integer', (c) => c.notNull())
    /** the first serial not yet handed out */
    .addColumn('next_serial', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_code_counters_pk', ['department_code', 'exam_year', 'is_trial'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    /** one job per event and purpose: a repeated enqueue with the same key inserts nothing */
    .addColumn('dedup_key', 'text', (c) => c.unique())
    .addColumn('ordering_key', 'text')
    .addColumn('order_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload', 'text', (c) => c.notNull())
    /** what a job with several steps has done so far (an e-mail sent, its SMS not yet) */
    .addColumn('progress', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','done','dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('jobs_ordering').on('jobs').columns(['ordering_key', 'order_no', 'id']).where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('jobs_kind_status').on('jobs').columns(['kind', 'status']).execute();

  // undelivered notifications of the old outbox, as rendered messages of the new queue
  const left = await db.selectFrom('outbox').selectAll().where('status', '<>', 'sent').execute();
  for (const m of left as Array<Record<string, any>>) {
    await db
      .insertInto('jobs')
      .values({
        id: m['id'],
        kind: 'notify.message',
        dedup_key: m['dedup_key'],
        ordering_key: null,
        order_no: 0,
        payload: JSON.stringify({ channel: m['channel'], address: m['address'], message: JSON.parse(m['payload']) }),
        progress: null,
        status: m['status'] === 'dead' ? 'dead' : 'pending',
        attempts: m['attempts'],
        next_attempt_at: m['next_attempt_at'],
        locked_until: null,
        locked_by: null,
        last_error: m['last_error'],
        created_at: m['created_at'],
        done_at: null,
      })
      .execute();
  }
  await db.schema.dropTable('outbox').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.dropTable('dossier_code_counters').execute();
  await db.schema.dropIndex('dossiers_code').execute();
  for (const c of ['tasks', 'findings', 'summary_key', 'code']) await db.schema.alterTable('dossiers').dropColumn(c).execute();
}

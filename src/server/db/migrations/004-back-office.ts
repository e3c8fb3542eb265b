// 004: the back office. The candidates' Vietnamese sort key and the indexes the verification queue
// pages on; maintained statistics counters; the notification outbox; support-desk calls; form-number
// sequences per point. (The queue's dossier filters are the columns 003 added to dossiers.)
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // [0-9a-z] only, so byte order is the same under every collation (see src/domain/sort-key.ts).
  await db.schema.alterTable('candidates').addColumn('sort_key', 'text').execute();
  await db.schema.createIndex('candidates_point_sort').on('candidates').columns(['point_id', 'exam_year', 'sort_key', 'id']).execute();
  await db.schema.createIndex('candidates_department_sort').on('candidates').columns(['department_code', 'exam_year', 'sort_key', 'id']).execute();
  // Rows written by a path that did not compute the key (bulk loads) are found and filled cheaply.
  await db.schema.createIndex('candidates_sort_key_missing').on('candidates').columns(['point_id']).where(sql.ref('sort_key'), 'is', null).execute();
  await db.schema.createIndex('candidates_name_dob').on('candidates').columns(['name_folded', 'date_of_birth']).execute();
  await db.schema.createIndex('candidates_id_number').on('candidates').columns(['id_number']).execute();

  // Counters: one row per (year, level, unit, metric, shard). Point rows use shard 0; department and
  // national rows are spread over shards so concurrent transactions on PostgreSQL do not queue on one row.
  await db.schema
    .createTable('stat_counters')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('point','department','national')`))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('value', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('stat_counters_pk', ['exam_year', 'level', 'unit', 'metric', 'shard'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    /** one message per person per event: a repeated event inserts nothing */
    .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email','sms')`))
    .addColumn('recipient_user_id', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','sent','dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('support_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('candidate_id', 'text')
    /** the department of the candidate (or of the agent when no candidate was found) */
    .addColumn('department_code', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('support_calls_open').on('support_calls').columns(['status', 'department_code', 'created_at']).execute();
  await db.schema.createIndex('support_calls_candidate').on('support_calls').columns(['candidate_id']).execute();

  await db.schema
    .createTable('form_number_sequences')
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('last_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('form_number_sequences_pk', ['point_id', 'exam_year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['form_number_sequences', 'support_calls', 'outbox', 'stat_counters']) {
    await db.schema.dropTable(t).execute();
  }
  for (const i of ['candidates_point_sort', 'candidates_department_sort', 'candidates_sort_key_missing', 'candidates_name_dob', 'candidates_id_number']) {
    await db.schema.dropIndex(i).execute();
  }
  await db.schema.alterTable('candidates').dropColumn('sort_key').execute();
}

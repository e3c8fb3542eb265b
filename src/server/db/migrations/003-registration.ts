// 003: registration. Idempotency keys (a retried submit returns the first result, enforced by a unique
// key so it holds across processes), the dossier's history (who, when, before and after), upload
// metadata, and denormalised filter columns on dossiers for the back office's lists.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    /** the dossier the operation touched, so a trial wipe can drop its keys */
    .addColumn('dossier_id', 'text')
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').columns(['created_at']).execute();
  await db.schema.createIndex('idempotency_keys_dossier').on('idempotency_keys').columns(['dossier_id']).execute();

  await db.schema
    .createTable('dossier_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    /** create, edit, submit, correct, desk_register, photo, evidence, return, verify … */
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    /** the dossier version after the event */
    .addColumn('version', 'integer', (c) => c.notNull())
    /** comma-separated section ids the event touched */
    .addColumn('sections', 'text')
    /** JSON of the touched sections before and after */
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('dossier_events_dossier').on('dossier_events').columns(['dossier_id', 'at']).execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('photo','evidence')`))
    /** evidence: what it proves, e.g. 'language_certificate' */
    .addColumn('purpose', 'text')
    /** relative to DATA_DIR/uploads */
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uploads_dossier').on('uploads').columns(['dossier_id', 'kind']).execute();

  // Filter and sort columns for the back office, kept in step with `data` by the same write.
  const add = async (name: string, type: 'text' | 'integer', def?: number) => {
    await db.schema
      .alterTable('dossiers')
      .addColumn(name, type, (c) => (def === undefined ? c : c.notNull().defaultTo(def)))
      .execute();
  };
  await add('subjects_combo', 'text'); // e.g. 'LI+NN' (electives, sorted) or 'KHTN'
  await add('purpose', 'text');
  await add('candidate_type', 'text');
  await add('programme', 'text');
  await add('cccd_mismatch', 'integer', 0);
  await add('photo_missing', 'integer', 1);
  await add('exemption_claimed', 'integer', 0);
  await add('priority_claimed', 'integer', 0);
  await add('errors_count', 'integer', 0);
  await add('warnings_count', 'integer', 0);
  /** desk registrations: JSON list of the documents the point checked, and its note */
  await add('desk_documents', 'text');
  await db.schema.createIndex('dossiers_year_trial').on('dossiers').columns(['exam_year', 'is_trial']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_year_trial').execute();
  for (const c of [
    'desk_documents',
    'warnings_count',
    'errors_count',
    'priority_claimed',
    'exemption_claimed',
    'photo_missing',
    'cccd_mismatch',
    'programme',
    'candidate_type',
    'purpose',
    'subjects_combo',
  ]) {
    await db.schema.alterTable('dossiers').dropColumn(c).execute();
  }
  for (const t of ['uploads', 'dossier_events', 'idempotency_keys']) await db.schema.dropTable(t).execute();
}

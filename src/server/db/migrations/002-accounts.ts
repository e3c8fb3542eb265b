// 002: sessions, sign-in throttles (when Redis is not used), class-list imports and account issuances.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Only the SHA-256 of the session token is stored: a copy of the table does not let anyone sign in.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    /** the absolute end, fixed at sign-in */
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'ended_at']).execute();

  // Failed sign-ins per key (an account, an account from one address, an address) in a fixed window.
  await db.schema
    .createTable('auth_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('account_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('point_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('validated','committed','discarded')`))
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('valid_rows', 'integer', (c) => c.notNull())
    .addColumn('error_rows', 'integer', (c) => c.notNull())
    /** JSON: the parsed, normalised rows that passed */
    .addColumn('rows', 'text', (c) => c.notNull())
    /** JSON: the findings, row by row */
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text')
    .addColumn('committed_by', 'text')
    .addColumn('imported_rows', 'integer')
    .execute();
  await db.schema.createIndex('account_imports_point').on('account_imports').columns(['point_id', 'created_at']).execute();

  // One batch of one-time passwords. The credentials for the slips and the teacher's list are kept only
  // sealed (AES-256-GCM) under a key the issuer received and the server did not keep, and only for a day.
  await db.schema
    .createTable('account_issuances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('point_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('issued_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('initial','reissue')`))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('sealed', 'text')
    .addColumn('documents_expire_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_issuances_point').on('account_issuances').columns(['point_id', 'issued_at']).execute();
  await db.schema.createIndex('audit_log_department_at').on('audit_log').columns(['department_code', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_department_at').execute();
  for (const t of ['account_issuances', 'account_imports', 'auth_throttles', 'sessions']) await db.schema.dropTable(t).execute();
}

// 020: sign-in with VNeID. A candidate record says where its identity was verified (identity_source,
// identity_verified_at) so the dossier can lock those fields; external_identities links a VNeID identity
// (keyed by its personal number) to the one account of that person, with the claims as VNeID gave them;
// oidc_sign_ins holds each sign-in attempt's state, nonce and PKCE verifier server-side, used once.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('candidates').addColumn('identity_source', 'text').execute();
  await db.schema.alterTable('candidates').addColumn('identity_verified_at', 'text').execute();

  await db.schema
    .createTable('external_identities')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('ethnicity_code', 'text')
    .addColumn('permanent_residence', 'text')
    .addColumn('current_residence', 'text')
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_identities_pk', ['provider', 'subject'])
    .addUniqueConstraint('external_identities_provider_user', ['provider', 'user_id'])
    .execute();

  await db.schema
    .createTable('oidc_sign_ins')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    // SHA-256 of a cookie set on the browser that started: the callback must come back on that browser
    .addColumn('browser_binding', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('oidc_sign_ins_expires').on('oidc_sign_ins').columns(['expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_sign_ins').execute();
  await db.schema.dropTable('external_identities').execute();
  await db.schema.alterTable('candidates').dropColumn('identity_verified_at').execute();
  await db.schema.alterTable('candidates').dropColumn('identity_source').execute();
}

// 054: known devices kept on the server (issue 19, security.md V6.3). Each known-device cookie names one
// row: whose it is, when it was made and last used, until when it counts, a short summary of the browser
// (never the whole user-agent string) and, once revoked, when and why. The owner lists and revokes them;
// a second-factor reset or a password reset revokes them all. A cookie whose row is revoked or missing no
// longer moves its holder onto the device's own sign-in counter.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('known_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('known_devices_user').on('known_devices').columns(['user_id', 'revoked_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('known_devices').execute();
}

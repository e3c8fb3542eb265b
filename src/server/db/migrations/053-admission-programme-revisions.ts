// 053: an institution may send a corrected version of a published programme before the wish window opens:
// it waits as a draft beside the published row (same institution, code and method, status 'draft') until
// the ministry compares and publishes it. The natural key becomes unique per status, so one draft and one
// published row of a programme can stand together, never two of either.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('admission_programmes_natural').execute();
  await db.schema
    .createIndex('admission_programmes_natural')
    .on('admission_programmes')
    .columns(['exam_year', 'institution_code', 'code', 'method', 'status'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('admission_programmes').where('status', '=', 'draft').execute();
  await db.schema.dropIndex('admission_programmes_natural').execute();
  await db.schema.createIndex('admission_programmes_natural').on('admission_programmes').columns(['exam_year', 'institution_code', 'code', 'method']).unique().execute();
}

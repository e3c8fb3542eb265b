// 040: candidate numbers, exam sites and rooms (issue 22, item 1). exam_councils holds each department's
// seating settings and the highest serial ever issued; exam_sites and exam_site_points the sites and the
// registration points mapped to them; candidate_numbers every number issued (withdrawn ones kept, so a
// number is never issued twice); exam_seats one row per candidate and subject session.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('exam_councils')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('council_code', 'text', (c) => c.notNull())
    .addColumn('room_size', 'integer', (c) => c.notNull())
    .addColumn('last_room_max', 'integer', (c) => c.notNull())
    .addColumn('first_serial', 'integer', (c) => c.notNull())
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .addColumn('plan_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('planned_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_councils_pk', ['exam_year', 'department_code'])
    .execute();

  await db.schema
    .createTable('exam_sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exam_sites_code').on('exam_sites').columns(['exam_year', 'department_code', 'code']).unique().execute();

  await db.schema
    .createTable('exam_site_points')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_site_points_pk', ['exam_year', 'point_id'])
    .execute();

  await db.schema
    .createTable('candidate_numbers')
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('candidate_numbers_pk', ['exam_year', 'candidate_id'])
    .execute();
  await db.schema.createIndex('candidate_numbers_number').on('candidate_numbers').columns(['exam_year', 'number']).unique().execute();
  await db.schema.createIndex('candidate_numbers_department').on('candidate_numbers').columns(['exam_year', 'department_code', 'serial']).execute();

  await db.schema
    .createTable('exam_seats')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('session', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('room', 'integer', (c) => c.notNull())
    .addColumn('seat', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_seats_pk', ['exam_year', 'candidate_id', 'session'])
    .execute();
  await db.schema.createIndex('exam_seats_room').on('exam_seats').columns(['exam_year', 'site_id', 'session', 'room', 'seat']).unique().execute();
  await db.schema.createIndex('exam_seats_department').on('exam_seats').columns(['exam_year', 'department_code']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('exam_seats').execute();
  await db.schema.dropTable('candidate_numbers').execute();
  await db.schema.dropTable('exam_site_points').execute();
  await db.schema.dropTable('exam_sites').execute();
  await db.schema.dropTable('exam_councils').execute();
}

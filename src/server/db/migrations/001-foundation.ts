// 001: reference data, the organisation tree, exam years, accounts, candidates, dossiers, the audit log.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reference_data')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('org_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ministry','department','point')`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('department_code', 'text')
    .addColumn('point_kind', 'text', (c) => c.check(sql`point_kind is null or point_kind in ('school','free')`))
    .addColumn('address', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_units_parent').on('org_units').columns(['parent_id']).execute();
  await db.schema.createIndex('org_units_department').on('org_units').columns(['department_code', 'kind']).execute();

  await db.schema
    .createTable('exam_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('scheme', 'text', (c) => c.notNull().check(sql`scheme in ('CT2006','CT2018')`))
    .addColumn('windows', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published')`))
    .addColumn('rules', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('ministry_admin','department_officer','point_officer','support_agent','candidate')`),
    )
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('not_issued','active','disabled')`))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('password_set_at', 'text')
    .addColumn('last_sign_in_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_org_unit').on('users').columns(['org_unit_id', 'role']).execute();

  await db.schema
    .createTable('candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('exam_year', 'integer', (c) => c.notNull().references('exam_years.year'))
    .addColumn('point_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('id_kind', 'text', (c) => c.notNull().check(sql`id_kind in ('cccd','personal','passport','assigned')`))
    .addColumn('id_number', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('name_folded', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull().check(sql`gender in ('M','F')`))
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('birth_province', 'text')
    .addColumn('class_name', 'text')
    .addColumn('candidate_type', 'text', (c) => c.notNull().check(sql`candidate_type in ('current','free')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('candidates_year_id_number', ['exam_year', 'id_number'])
    .execute();
  // The lookup indexes (by point, department, name) come with the Vietnamese sort key in 004: each index
  // on a table of a million rows costs every bulk load and every insert, so only those that queries use.

  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('is_trial', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','submitted','returned','verified')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('point_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('form_number', 'text')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('online').check(sql`channel in ('online','desk')`))
    .addColumn('submitted_at', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('returned_at', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dossiers_candidate_trial', ['candidate_id', 'is_trial'])
    .execute();
  await db.schema.createIndex('dossiers_point_status').on('dossiers').columns(['point_id', 'status']).execute();
  await db.schema.createIndex('dossiers_department_status').on('dossiers').columns(['department_code', 'status']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('department_code', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'dossiers', 'candidates', 'users', 'exam_years', 'org_units', 'reference_data']) {
    await db.schema.dropTable(t).execute();
  }
}

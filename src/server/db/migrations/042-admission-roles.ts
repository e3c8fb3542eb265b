// 042: institutions (universities and colleges) become org units of kind 'institution' (parent the
// ministry, `code` the institution code, `department_code` the province of their seat) and their staff
// get the role 'admissions_officer', scoped to their institution. Both are CHECK constraints from 001.
// PostgreSQL drops and re-adds them. SQLite cannot alter a CHECK, so the two tables are rebuilt from their
// own stored definition with only the CHECK's list changed. Foreign keys cannot be switched off inside
// the migration's transaction, and renaming a table rewrites the other tables' REFERENCES to follow it,
// so the rows are copied to a temporary table, the table dropped and created again under its own name,
// the rows put back, and its indexes recreated. With defer_foreign_keys the references broken by the
// drop are counted and then resolved by the rows put back: the commit fails if any is left broken.
// Frozen in time: this file never imports application code; later changes are new migrations.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const ORG_KINDS_OLD = "kind in ('ministry','department','point')";
const ORG_KINDS_NEW = "kind in ('ministry','department','point','institution')";
const ROLES_OLD = "role in ('ministry_admin','department_officer','point_officer','support_agent','candidate')";
const ROLES_NEW = "role in ('ministry_admin','department_officer','point_officer','support_agent','candidate','admissions_officer')";

async function pgReplaceCheck(db: Kysely<any>, table: string, column: string, check: string): Promise<void> {
  const rows = await sql<{ conname: string }>`
    select c.conname from pg_constraint c join pg_class t on t.oid = c.conrelid
    where t.relname = ${table} and c.contype = 'c' and pg_get_constraintdef(c.oid) like ${`%${column}%`}
      and t.relnamespace = (select oid from pg_namespace where nspname = current_schema())`.execute(db);
  for (const r of rows.rows) await sql.raw(`alter table ${table} drop constraint "${r.conname}"`).execute(db);
  await sql.raw(`alter table ${table} add constraint ${table}_${column}_check check (${check})`).execute(db);
}

async function sqliteRebuild(db: Kysely<any>, table: string, from: string, to: string): Promise<void> {
  const def = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db)).rows[0]?.sql;
  if (!def) throw new Error(`table ${table} not found`);
  if (!def.includes(from)) throw new Error(`table ${table}: the expected check (${from}) is not in its definition`);
  const indexes = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db)).rows;
  const triggers = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and tbl_name = ${table}`.execute(db)).rows;
  const copy = `${table}__042`;
  await sql.raw(`create temp table "${copy}" as select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(def.replace(from, to)).execute(db);
  await sql.raw(`insert into "${table}" select * from temp."${copy}"`).execute(db);
  await sql.raw(`drop table temp."${copy}"`).execute(db);
  for (const i of indexes) await sql.raw(i.sql).execute(db);
  for (const t of triggers) await sql.raw(t.sql).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await pgReplaceCheck(db, 'org_units', 'kind', ORG_KINDS_NEW);
    await pgReplaceCheck(db, 'users', 'role', ROLES_NEW);
    return;
  }
  await sql`pragma defer_foreign_keys = on`.execute(db);
  await sqliteRebuild(db, 'org_units', ORG_KINDS_OLD, ORG_KINDS_NEW);
  await sqliteRebuild(db, 'users', ROLES_OLD, ROLES_NEW);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await pgReplaceCheck(db, 'org_units', 'kind', ORG_KINDS_OLD);
    await pgReplaceCheck(db, 'users', 'role', ROLES_OLD);
    return;
  }
  await sql`pragma defer_foreign_keys = on`.execute(db);
  await sqliteRebuild(db, 'org_units', ORG_KINDS_NEW, ORG_KINDS_OLD);
  await sqliteRebuild(db, 'users', ROLES_NEW, ROLES_OLD);
}

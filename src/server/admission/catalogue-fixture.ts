// Test fixture: the catalogue's programme and wish tables (migration 041, branch adm-catalogue) with the
// columns the run reads, created only where that migration has not run. Once it is merged the tables
// exist and this does nothing.
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';

export async function ensureCatalogueTables(db: Db): Promise<void> {
  const exists = await sql`select 1 from admission_programmes where 1 = 0`
    .execute(db.read)
    .then(() => true)
    .catch(() => false);
  if (exists) return;
  await db.write(async (trx) => {
    await sql`create table admission_programmes (id text primary key, exam_year integer not null, institution_id text not null, institution_code text not null, code text not null, method text not null, name text not null, search_name text not null, combinations text not null, scoring text not null, quota integer not null, min_score_centi integer, teacher_training integer not null default 0, tie_policy text not null, status text not null, import_id text, created_at text not null, updated_at text not null, published_at text, published_by text)`.execute(trx);
    await sql`create table admission_wish_lists (exam_year integer not null, candidate_id text not null, version integer not null, updated_at text not null, frozen_at text, primary key (exam_year, candidate_id))`.execute(trx);
    await sql`create table admission_wishes (id text primary key, exam_year integer not null, candidate_id text not null, position integer not null, programme_id text not null, combination text not null, fee_status text not null default 'unpaid', paid_at text, payment_id text, created_at text not null, updated_at text not null)`.execute(trx);
    await sql`create unique index admission_wishes_position on admission_wishes (exam_year, candidate_id, position)`.execute(trx);
  });
}

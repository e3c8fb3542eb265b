// 012: the audit log hash-chained. Every entry carries its place (seq), the hash of the entry before it
// and its own hash over a canonical form of its fields; audit_head holds the chain's end. The chain is
// extended by a trigger, because it is the one place every writer passes through (a single append, a
// batch, and the dossier's one-statement write units on PostgreSQL) and because it must be serialised:
// on PostgreSQL the trigger's UPDATE of the single head row takes that row's lock, so two transactions
// appending at once queue on it and the second one chains onto the first one's committed entry (no fork);
// SQLite has one writer. The trigger also refuses UPDATE and DELETE of a chained entry: the application
// never needs either, and whoever bypasses it is caught by `npm run audit:verify`.
// Canonical form, hashed as UTF-8 with SHA-256, hex (src/server/audit/chain.ts computes the same):
//   prev_hash|seq|f(id)|f(at)|f(actor_id)|f(actor_role)|f(action)|f(target_type)|f(target_id)|f(department_code)|f(ip)|f(details)
//   where f(x) = '~' for NULL, otherwise the lowercase hex of x's UTF-8 bytes.
// Frozen in time: this file never imports application code.
import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const GENESIS = '0'.repeat(64);
const FIELDS = ['id', 'at', 'actor_id', 'actor_role', 'action', 'target_type', 'target_id', 'department_code', 'ip', 'details'] as const;

function hashOf(prev: string, seq: number, r: Record<string, unknown>): string {
  const f = (v: unknown) => (v === null || v === undefined ? '~' : Buffer.from(String(v), 'utf8').toString('hex'));
  return createHash('sha256')
    .update([prev, String(seq), ...FIELDS.map((c) => f(r[c]))].join('|'), 'utf8')
    .digest('hex');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('audit_log').addColumn('seq', 'bigint').execute();
  await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute();
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text')
    .execute();

  // the entries already there, chained in the order they were written
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('at').orderBy('id').execute();
  let prev = GENESIS;
  let seq = 0;
  let at: string | null = null;
  for (const r of rows) {
    seq++;
    const hash = hashOf(prev, seq, r);
    await db.updateTable('audit_log').set({ seq, prev_hash: prev, hash }).where('id', '=', r.id).execute();
    prev = hash;
    at = r.at as string;
  }
  await db.insertInto('audit_head').values({ id: 1, seq, hash: prev, at }).execute();
  await db.schema.createIndex('audit_log_seq').on('audit_log').column('seq').unique().execute();

  if (pg) {
    const f = (c: string) => `coalesce(encode(convert_to(new.${c}, 'UTF8'), 'hex'), '~')`;
    await sql
      .raw(
        `create function audit_chain() returns trigger language plpgsql as $$
declare h record;
begin
  update audit_head set seq = seq + 1 where id = 1 returning seq, hash into h;
  new.seq := h.seq;
  new.prev_hash := h.hash;
  new.hash := encode(sha256(convert_to(h.hash || '|' || h.seq::text || '|' || ${FIELDS.map(f).join(" || '|' || ")}, 'UTF8')), 'hex');
  update audit_head set hash = new.hash, at = new.at where id = 1;
  return new;
end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger audit_chain before insert on audit_log for each row execute function audit_chain()`).execute(db);
    await sql
      .raw(
        `create function audit_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger audit_immutable before update or delete on audit_log for each row execute function audit_immutable()`).execute(db);
  } else {
    // sha256_hex is registered on every connection by the SQLite adapter (dialects/sqlite.ts)
    const f = (c: string) => `case when new.${c} is null then '~' else lower(hex(new.${c})) end`;
    await sql
      .raw(
        `create trigger audit_chain after insert on audit_log begin
  update audit_head set seq = seq + 1 where id = 1;
  update audit_log set
    seq = (select seq from audit_head where id = 1),
    prev_hash = (select hash from audit_head where id = 1),
    hash = sha256_hex((select hash || '|' || seq from audit_head where id = 1) || '|' || ${FIELDS.map(f).join(" || '|' || ")})
  where id = new.id;
  update audit_head set hash = (select hash from audit_log where id = new.id), at = new.at where id = 1;
end`,
      )
      .execute(db);
    await sql.raw(`create trigger audit_immutable_u before update on audit_log when old.hash is not null begin select raise(abort, 'audit_log is append-only'); end`).execute(db);
    await sql.raw(`create trigger audit_immutable_d before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql.raw('drop trigger audit_chain on audit_log').execute(db);
    await sql.raw('drop trigger audit_immutable on audit_log').execute(db);
    await sql.raw('drop function audit_chain()').execute(db);
    await sql.raw('drop function audit_immutable()').execute(db);
  } else {
    for (const t of ['audit_chain', 'audit_immutable_u', 'audit_immutable_d']) await sql.raw(`drop trigger ${t}`).execute(db);
  }
  await db.schema.dropIndex('audit_log_seq').execute();
  await db.schema.dropTable('audit_head').execute();
  for (const c of ['hash', 'prev_hash', 'seq']) await db.schema.alterTable('audit_log').dropColumn(c).execute();
}

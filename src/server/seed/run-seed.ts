// Writes the synthetic country into a migrated database: the organisation tree and the exam year
// (skipping rows that already exist, so it can run on top of the demo), then the candidates and their
// accounts in batches, never holding more than one batch in memory. Bulk loading is the one place that
// needs to know which database it is on: SQLite gets a prepared multi-row statement on its own
// connection, PostgreSQL array-parameter inserts (unnest) pipelined with the generation.
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { CandidateSortKeyColumn, CandidateTable, DB, UserTable } from '../db/schema.ts';
import { generateCandidates, planCountry, plannedCandidates, type CountryPlan, type SeedOptions, type SeedRow } from './generate.ts';

export interface RunSeedOptions extends SeedOptions {
  /** delete the year's candidates (and their accounts and dossiers) first */
  reset?: boolean;
  /** rows per transaction */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  candidates: number;
  users: number;
  orgUnitsInserted: number;
  examYearCreated: boolean;
  /** candidates deleted by --reset */
  deleted: number;
}

/** The year already holds candidates and no reset was asked for. */
export class SeedRefusedError extends Error {
  constructor(readonly year: number, readonly existing: number) {
    super(
      `Năm thi ${year} đã có ${existing} thí sinh trong cơ sở dữ liệu; chạy lại với --reset để xoá thí sinh (và tài khoản) của năm này trước. / ` +
        `Exam year ${year} already has ${existing} candidates in this database; run again with --reset to delete that year's candidates (and their accounts) first.`,
    );
    this.name = 'SeedRefusedError';
  }
}

export const USER_COLUMNS = [
  'id', 'username', 'role', 'org_unit_id', 'display_name', 'password_hash', 'status', 'must_change_password',
  'password_set_at', 'last_sign_in_at', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof UserTable>;

export const CANDIDATE_COLUMNS = [
  'id', 'user_id', 'exam_year', 'point_id', 'department_code', 'id_kind', 'id_number', 'full_name', 'family_name',
  'middle_name', 'given_name', 'name_folded', 'gender', 'date_of_birth', 'birth_province', 'class_name',
  'candidate_type', 'created_at', 'updated_at', 'sort_key',
] as const satisfies ReadonlyArray<keyof (CandidateTable & CandidateSortKeyColumn)>;

export async function countYearCandidates(db: Kysely<DB>, year: number): Promise<number> {
  const r = await db
    .selectFrom('candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('exam_year', '=', year)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Deletes a year's dossiers, candidates and the candidates' accounts. Returns the candidates deleted. */
export async function resetYear(db: Kysely<DB>, year: number): Promise<number> {
  if (!Number.isInteger(year)) throw new RangeError('year must be an integer');
  return db.transaction().execute(async (trx) => {
    const n = await countYearCandidates(trx, year);
    await trx.deleteFrom('dossiers').where('exam_year', '=', year).execute();
    // Candidates reference their account, so remember the accounts before the candidates go.
    // (A literal: CREATE TABLE AS takes no bind parameters on PostgreSQL; `year` is checked above.)
    await sql`create temp table seed_reset_users as select user_id from candidates where exam_year = ${sql.lit(year)}`.execute(trx);
    await trx.deleteFrom('candidates').where('exam_year', '=', year).execute();
    await sql`delete from users where id in (select user_id from seed_reset_users)`.execute(trx);
    await sql`drop table seed_reset_users`.execute(trx);
    return n;
  });
}

async function writeStructure(db: Kysely<DB>, plan: CountryPlan): Promise<{ inserted: number; yearCreated: boolean }> {
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    // Parents first: the plan lists the ministry, then each department followed by its points.
    for (let i = 0; i < plan.orgUnits.length; i += 500) {
      const chunk = plan.orgUnits.slice(i, i + 500);
      // Do nothing on any conflict: the demo loader may already hold the ministry, the departments
      // and a few points under the same ids (org-<code>); their rows win.
      const r = await trx.insertInto('org_units').values(chunk).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    // A point whose code is taken by a unit with another id would leave candidates pointing nowhere.
    const ids = plan.orgUnits.map((u) => u.id);
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await trx.selectFrom('org_units').select('id').where('id', 'in', ids.slice(i, i + 1000)).execute();
      for (const r of rows) found.add(r.id);
    }
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new Error(
        `Mã đơn vị đã được dùng cho đơn vị khác / org unit codes already used by other units: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`,
      );
    }
    const y = await trx.insertInto('exam_years').values(plan.examYear).onConflict((oc) => oc.column('year').doNothing()).executeTakeFirst();
    return { inserted, yearCreated: Number(y.numInsertedOrUpdatedRows ?? 0) > 0 };
  });
}

export async function runSeed(db: Db, opts: RunSeedOptions): Promise<SeedResult> {
  const plan = planCountry(opts);
  const existing = await countYearCandidates(db.writer, opts.year);
  let deleted = 0;
  if (existing > 0) {
    if (!opts.reset) throw new SeedRefusedError(opts.year, existing);
    deleted = await resetYear(db.writer, opts.year);
  }
  const structure = await writeStructure(db.writer, plan);
  const total = plannedCandidates(plan);
  const rows = generateCandidates(plan);
  const batchSize = opts.batchSize ?? 20_000;
  const written =
    db.dialect.name === 'sqlite'
      ? await bulkSqlite(db, rows, batchSize, total, opts.onProgress)
      : await bulkPostgres(db.writer, rows, Math.min(batchSize, 10_000), total, opts.onProgress);
  return { candidates: written, users: written, orgUnitsInserted: structure.inserted, examYearCreated: structure.yearCreated, deleted };
}

// ---- SQLite --------------------------------------------------------------------------------------

/** Rows per INSERT statement: 100 × 19 candidate columns stays far below SQLite's 32,766 parameters. */
const SQLITE_ROWS_PER_STATEMENT = 100;

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: rows }, () => one).join(',')}`;
}

async function bulkSqlite(
  db: Db,
  rows: Generator<SeedRow, void, undefined>,
  batchSize: number,
  total: number,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const main = (await sql<{ name: string; file: string }>`pragma database_list`.execute(db.writer)).rows.find((r) => r.name === 'main');
  if (!main?.file) throw new Error('cannot find the SQLite database file');
  // Our own connection to the same file, to use better-sqlite3's prepared statements directly. The app's
  // connections stay idle meanwhile. synchronous=NORMAL in WAL mode can lose the last transactions on a
  // power cut but never corrupts the file; acceptable here because the seed is re-runnable (--reset).
  const conn = new Database(main.file, { timeout: 10_000 });
  try {
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
    conn.pragma('foreign_keys = ON');
    conn.pragma('cache_size = -262144'); // 256 MiB: the indexes on users and candidates stay in memory
    conn.pragma('temp_store = MEMORY');
    const R = SQLITE_ROWS_PER_STATEMENT;
    const usersMany = conn.prepare(insertSql('users', USER_COLUMNS, R));
    const candidatesMany = conn.prepare(insertSql('candidates', CANDIDATE_COLUMNS, R));
    const usersOne = conn.prepare(insertSql('users', USER_COLUMNS, 1));
    const candidatesOne = conn.prepare(insertSql('candidates', CANDIDATE_COLUMNS, 1));
    const uParams: unknown[] = [];
    const cParams: unknown[] = [];

    const push = (r: SeedRow): void => {
      const u = r.user;
      uParams.push(u.id, u.username, u.role, u.org_unit_id, u.display_name, u.password_hash, u.status, u.must_change_password, u.password_set_at, u.last_sign_in_at, u.created_at, u.updated_at);
      const c = r.candidate;
      cParams.push(
        c.id, c.user_id, c.exam_year, c.point_id, c.department_code, c.id_kind, c.id_number, c.full_name, c.family_name,
        c.middle_name, c.given_name, c.name_folded, c.gender, c.date_of_birth, c.birth_province, c.class_name,
        c.candidate_type, c.created_at, c.updated_at, c.sort_key,
      );
    };

    /** Inserts up to `batchSize` rows in one transaction; returns how many, 0 when the stream is done. */
    const batch = conn.transaction((): number => {
      let n = 0;
      let pending = 0;
      for (; n < batchSize; n++) {
        const next = rows.next();
        if (next.done) break;
        push(next.value);
        pending += 1;
        if (pending === R) {
          usersMany.run(uParams);
          candidatesMany.run(cParams);
          uParams.length = 0;
          cParams.length = 0;
          pending = 0;
        }
      }
      for (let i = 0; i < pending; i++) {
        usersOne.run(uParams.slice(i * USER_COLUMNS.length, (i + 1) * USER_COLUMNS.length));
        candidatesOne.run(cParams.slice(i * CANDIDATE_COLUMNS.length, (i + 1) * CANDIDATE_COLUMNS.length));
      }
      uParams.length = 0;
      cParams.length = 0;
      return n;
    });

    let done = 0;
    for (;;) {
      const n = batch.immediate();
      if (n === 0) break;
      done += n;
      onProgress?.(done, total);
      // let signals and timers run between transactions
      await new Promise((r) => setImmediate(r));
    }
    conn.pragma('wal_checkpoint(TRUNCATE)');
    return done;
  } finally {
    conn.close();
  }
}

// ---- PostgreSQL ----------------------------------------------------------------------------------

const PG_TYPES: Partial<Record<string, string>> = { exam_year: 'int4', must_change_password: 'int4' };

/** insert … select * from unnest($1::text[], …): one parameter per column whatever the row count. */
async function insertUnnest<T extends object>(db: Kysely<DB>, table: string, columns: ReadonlyArray<keyof T & string>, rows: T[]): Promise<void> {
  const arrays = columns.map((col) => rows.map((r) => r[col as keyof T]));
  const casts = columns.map((col, i) => sql`${arrays[i]}::${sql.raw(PG_TYPES[col] ?? 'text')}[]`);
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(casts)})`.execute(db);
}

async function bulkPostgres(
  db: Kysely<DB>,
  rows: Generator<SeedRow, void, undefined>,
  batchSize: number,
  total: number,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  let done = 0;
  let inFlight: Promise<void> | null = null;
  for (;;) {
    const users: UserTable[] = [];
    const candidates: Array<CandidateTable & CandidateSortKeyColumn> = [];
    for (let i = 0; i < batchSize; i++) {
      const next = rows.next();
      if (next.done) break;
      users.push(next.value.user);
      candidates.push(next.value.candidate);
    }
    // The previous batch was inserting while this one was generated: wait for it before the next.
    if (inFlight) await inFlight;
    inFlight = null;
    if (users.length === 0) break;
    const p: Promise<void> = db.transaction().execute(async (trx) => {
      await insertUnnest(trx, 'users', USER_COLUMNS, users);
      await insertUnnest(trx, 'candidates', CANDIDATE_COLUMNS, candidates);
    });
    p.catch(() => {}); // handled when awaited above; keeps a failure from being reported as unhandled
    inFlight = p.then(() => {
      done += users.length;
      onProgress?.(done, total);
    });
    inFlight.catch(() => {});
  }
  return done;
}

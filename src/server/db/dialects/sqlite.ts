// SQLite through better-sqlite3: WAL so readers never wait for the writer, synchronous=FULL so an
// acknowledged write survives a power loss, foreign keys on, a busy timeout for several processes.
// Two connections: one writer (all writes go through the group-commit queue), one reader.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { SqliteDialect, type Dialect, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { DialectAdapter } from './types.ts';
import { bulkLoadSqlite } from './bulk-sqlite.ts';

export interface SqliteOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  /**
   * Checkpoint the WAL on a thread of its own every this many ms instead of in the committing request
   * (checkpointer.mjs); 0 or unset: SQLite's own automatic checkpoints (short-lived tools and tests)
   */
  checkpointEveryMs?: number;
}

/** The WAL's checkpoints on a thread of their own (checkpointer.mjs); stop() ends it and closes its connection. */
function startCheckpointer(file: string, intervalMs: number, synchronous: string): { stop(): Promise<void> } {
  const thread = new Worker(new URL('./checkpointer.mjs', import.meta.url), { workerData: { file, intervalMs, synchronous } });
  thread.unref();
  let exited = false;
  thread.once('exit', () => (exited = true));
  // a thread that fails (the file gone) must not take the process with it: the next start checkpoints
  thread.on('error', () => {});
  return {
    async stop() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => void thread.terminate().then(() => resolve()), 2000);
        thread.once('message', () => {
          clearTimeout(t);
          void thread.terminate().then(() => resolve());
        });
        thread.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        thread.postMessage('stop');
      });
    },
  };
}

// One level at a time: fs.mkdirSync's recursive mode can spin forever on some virtual file systems.
// Folders made here hold people's data: only the service's own user may enter them.
function makeDirs(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeDirs(parent);
  fs.mkdirSync(dir, { mode: 0o700 });
}

/**
 * The database file readable and writable by the service's user alone (0600), made so before SQLite opens
 * it: SQLite gives its -wal and -shm files the main file's permissions. An existing file that others could
 * read is narrowed too (a database from before, or copied in with a loose umask).
 */
export function ownerOnly(file: string): void {
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    if ((fs.fstatSync(fd).mode & 0o077) !== 0) fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
  for (const side of [`${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(side) && (fs.statSync(side).mode & 0o077) !== 0) fs.chmodSync(side, 0o600);
  }
}

function open(file: string, opts: SqliteOptions, readonly: boolean): Database.Database {
  const db = new Database(file, { readonly: false, fileMustExist: readonly, timeout: opts.busyTimeoutMs });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536'); // 64 MiB page cache per connection
  db.pragma('temp_store = MEMORY');
  // the audit chain's trigger (migration 012) hashes with it; PostgreSQL has sha256() built in
  db.function('sha256_hex', { deterministic: true }, (v: unknown) => createHash('sha256').update(String(v), 'utf8').digest('hex'));
  // No mmap: under a steady stream of commits a memory-mapped reader pays more for every change it
  // notices than the read() calls it saves (a point lookup 55 µs against 22 µs with 25-row commits
  // between every twenty reads, on the 1.2 M country; 17 µs with no writes at all). The bench's read,
  // save and mix scenarios each cost 12–20% less CPU without it.
  if (readonly) db.pragma('query_only = ON');
  return db;
}

/**
 * Kysely prepares every query it runs; preparing is most of the cost of a small SQLite query. This keeps
 * the prepared statements by SQL text (a bounded number: the application's queries are a fixed set, plus
 * IN-lists of a few lengths). A statement still iterating (a streamed export) is busy, so a second use
 * of the same SQL meanwhile gets a statement of its own.
 */
function withStatementCache(db: Database.Database, max = 2000): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const hit = cache.get(source);
    if (hit && !hit.busy) return hit;
    const stmt = db.prepare(source);
    if (!hit) {
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(source, stmt);
    }
    return stmt;
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * Planner statistics are kept as row counts per index (sqlite_stat1), without the value samples ANALYZE
 * also writes (sqlite_stat4). With samples, SQLite re-plans a statement each time a bound value changes
 * whenever that value might change the plan, and for a join that is on every call: the candidate's
 * dossier (findCandidateDossierByUser, two tables by user id) took 61 µs instead of 24 and a session
 * (three tables by token hash) 28 µs instead of 14, on the 1.2 M country with its dossiers analysed.
 * The application's queries are written for their indexes; row counts are all the planner needs to
 * choose among them. Runs before the reader opens (a connection loads statistics when it first reads
 * the schema and keeps them), so both connections plan without samples.
 */
export function dropValueSamples(writer: Database.Database): void {
  const hasTable = writer.prepare("select 1 from sqlite_master where type = 'table' and name = 'sqlite_stat4'").get();
  if (hasTable && writer.prepare('select 1 from sqlite_stat4 limit 1').get()) writer.exec('delete from sqlite_stat4');
}

/**
 * A reader of its own to a database another connection writes (a worker thread's): it neither creates the
 * file nor switches its journal, and closing it checkpoints nothing.
 */
export function sqliteReaderDialect(file: string, busyTimeoutMs: number): Dialect {
  return new SqliteDialect({ database: open(file, { file, synchronous: 'NORMAL', busyTimeoutMs }, true) });
}

export function sqliteAdapter(opts: SqliteOptions): DialectAdapter {
  if (opts.file !== ':memory:') {
    const dir = path.dirname(path.resolve(opts.file));
    try {
      makeDirs(dir);
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (e) {
      throw new Error(
        `Không ghi được vào thư mục cơ sở dữ liệu / the database folder is not writable: ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      );
    }
  }
  if (opts.file === ':memory:') throw new Error('SQLite in memory is not supported: use a file (the reader and writer share it)');
  ownerOnly(opts.file);
  // The writer opens first: it creates the file and switches it to WAL before the reader opens it.
  const writer = open(opts.file, opts, false);
  dropValueSamples(writer);
  const reader = open(opts.file, opts, true);
  const every = opts.checkpointEveryMs ?? 0;
  if (every > 0) writer.pragma('wal_autocheckpoint = 0');
  const checkpointer = every > 0 ? startCheckpointer(opts.file, every, opts.synchronous) : null;
  return {
    name: 'sqlite',
    writeDialect: new SqliteDialect({ database: withStatementCache(writer) }),
    readDialect: new SqliteDialect({ database: withStatementCache(reader) }),
    async init(_read: Kysely<DB>, _write: Kysely<DB>) {
      writer.prepare('select 1').get();
      reader.prepare('select 1').get();
    },
    isUniqueViolation(err) {
      const code = (err as { code?: string } | null)?.code;
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },
    isBusy(err) {
      const code = (err as { code?: string } | null)?.code;
      return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
    },
    async close() {
      await checkpointer?.stop();
      // Kysely's destroy() closes both; this checkpoints so the -wal file does not grow without end.
      try {
        if (writer.open) writer.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* another process may hold the database; the next checkpoint catches up */
      }
    },
    unitMode: 'stepwise',
    embedded: true,
    setWriterBusyTimeout(ms) {
      writer.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
    },
    lockSkipping: (q) => q,
    poolStats: () => ({ total: 2, idle: 2, waiting: 0 }),
    // the single writer connection already serialises migrations
    async lockMigrations() {},
    bulkLoad: bulkLoadSqlite,
  };
}

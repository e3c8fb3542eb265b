// SQLite's bulk load: a connection of its own to the same file, with prepared multi-row statements,
// one immediate transaction per batch. synchronous=NORMAL in WAL mode can lose the last transactions on
// a power cut but never corrupts the file; acceptable for the loads that use it (the seed re-runs).
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { BulkOptions, BulkTarget } from './bulk.ts';

/** Rows per INSERT statement: 100 × ~20 columns stays far below SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 100;

function insertSql(table: string, columns: ReadonlyArray<string>, rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: rows }, () => one).join(',')}`;
}

export async function bulkLoadSqlite<T>(write: Kysely<DB>, targets: ReadonlyArray<BulkTarget<T>>, items: Iterator<T>, o: BulkOptions): Promise<number> {
  const main = (await sql<{ name: string; file: string }>`pragma database_list`.execute(write)).rows.find((r) => r.name === 'main');
  if (!main?.file) throw new Error('cannot find the SQLite database file');
  const conn = new Database(main.file, { timeout: 10_000 });
  try {
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
    conn.pragma('foreign_keys = ON');
    conn.pragma('cache_size = -262144'); // 256 MiB: the indexes being filled stay in memory
    conn.pragma('temp_store = MEMORY');
    const R = ROWS_PER_STATEMENT;
    const many = targets.map((t) => conn.prepare(insertSql(t.table, t.columns, R)));
    const one = targets.map((t) => conn.prepare(insertSql(t.table, t.columns, 1)));
    const params: unknown[][] = targets.map(() => []);

    const batch = conn.transaction((): number => {
      let n = 0;
      let pending = 0;
      for (; n < o.batchSize; n++) {
        const next = items.next();
        if (next.done) break;
        targets.forEach((t, i) => {
          const row = t.rowOf(next.value) as Readonly<Record<string, unknown>>;
          for (const c of t.columns) params[i]!.push(row[c]);
        });
        pending += 1;
        if (pending === R) {
          many.forEach((s, i) => s.run(params[i]!));
          for (const p of params) p.length = 0;
          pending = 0;
        }
      }
      for (let r = 0; r < pending; r++) {
        one.forEach((s, i) => {
          const w = targets[i]!.columns.length;
          s.run(params[i]!.slice(r * w, (r + 1) * w));
        });
      }
      for (const p of params) p.length = 0;
      return n;
    });

    let done = 0;
    for (;;) {
      const n = batch.immediate();
      if (n === 0) break;
      done += n;
      o.onProgress?.(done, o.total);
      // let signals and timers run between transactions
      await new Promise((r) => setImmediate(r));
    }
    conn.pragma('wal_checkpoint(TRUNCATE)');
    return done;
  } finally {
    conn.close();
  }
}

// SQLite's bulk load: a connection of its own to the same file, with prepared multi-row statements,
// one immediate transaction per batch. synchronous=NORMAL in WAL mode can lose the last transactions on
// a power cut but never corrupts the file; acceptable for the loads that use it (the seed re-runs).
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { BulkOptions, BulkTarget } from './bulk.ts';

/**
 * Rows per INSERT statement: about 3,000 values a statement (100 rows of ~20 columns, 500 of 6), far below
 * SQLite's 32,766 parameters; fewer, longer statements cost fewer calls into the driver.
 */
const rowsPerStatement = (targets: ReadonlyArray<BulkTarget<unknown>>): number => Math.max(1, Math.min(500, Math.floor(3000 / Math.max(...targets.map((t) => t.columns.length)))));

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
    const R = rowsPerStatement(targets as ReadonlyArray<BulkTarget<unknown>>);
    const many = targets.map((t) => conn.prepare(insertSql(t.table, t.columns, R)));
    const one = targets.map((t) => conn.prepare(insertSql(t.table, t.columns, 1)));
    const params: unknown[][] = targets.map(() => []);

    const batch = conn.transaction((): number => {
      let n = 0;
      let pending = 0;
      for (; n < o.batchSize; n++) {
        const next = items.next();
        if (next.done) break;
        for (let i = 0; i < targets.length; i++) {
          const t = targets[i]!;
          const out = params[i]!;
          if (t.valuesOf) {
            for (const v of t.valuesOf(next.value)) out.push(v);
          } else {
            const row = t.rowOf(next.value) as Readonly<Record<string, unknown>>;
            for (const c of t.columns) out.push(row[c]);
          }
        }
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

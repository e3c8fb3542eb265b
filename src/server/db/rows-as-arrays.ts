// Rows as arrays for the few queries that return many rows at once (a point's list of 1,000). Building
// one object per row is most of what the driver spends on such a page, PostgreSQL's driver above all
// (it measured 13.5 ms of CPU per page of 1,000, against 7.7 on SQLite). A query run through
// `arrayRows` carries a mark at the head of its SQL text; both dialect adapters see the mark and ask
// their driver for arrays (node-postgres `rowMode: 'array'`, better-sqlite3 `raw(true)`), in the order
// of the query's select list.
import type { CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema.ts';

const MARK = '/* rows as arrays */ ';

/** Whether `sql` asks its driver for rows as arrays. */
export function wantsArrayRows(sql: string): boolean {
  return sql.startsWith(MARK);
}

/** Runs `query` and returns its rows as arrays, the columns in the order of its select list. */
export async function arrayRows(db: Kysely<DB>, query: { compile(db: Kysely<DB>): CompiledQuery<unknown> }): Promise<unknown[][]> {
  const compiled = query.compile(db);
  const result = await db.executeQuery({ ...compiled, sql: MARK + compiled.sql });
  return result.rows as unknown[][];
}

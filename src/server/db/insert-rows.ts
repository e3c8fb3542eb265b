// An INSERT of a few rows as a part of a write unit (write-unit.ts), written once for both databases:
//   insert into <table> (<columns>)
//   select * from (select cast(? as text) as a, … union all select …) as v where <gate>
//   [on conflict …]
// Every value is cast to its column's type, which PostgreSQL needs inside a WITH and SQLite accepts; the
// SELECT always has a WHERE (SQLite reads `SELECT … ON CONFLICT` ambiguously without one). Repositories use
// it for their own tables; the number of rows is part of the statement's shape.
import { sql, type InsertQueryBuilder, type OnConflictBuilder, type OnConflictDatabase, type OnConflictTables, type OnConflictUpdateBuilder, type QueryCreator, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from './schema.ts';
import type { Arg, UnitPart } from './write-unit.ts';

export type ColumnType = 'text' | 'integer';

type ConflictFn<T extends keyof DB & string> = (oc: OnConflictBuilder<DB, T>) => OnConflictUpdateBuilder<OnConflictDatabase<DB, T>, OnConflictTables<T>> | ReturnType<OnConflictBuilder<DB, T>['doNothing']>;

export function insertRowsPart<T extends keyof DB & string>(
  table: T,
  columns: Readonly<Record<string, ColumnType>>,
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  opts: { shape: string; onConflict?: ConflictFn<T>; returning?: boolean },
): UnitPart<Record<string, unknown>> {
  const names = Object.keys(columns);
  const args: Record<string, unknown> = {};
  rows.forEach((r, i) => {
    for (const c of names) {
      const v = r[c];
      // undefined is "no value given": store NULL (a missing argument would be a bug in the caller)
      args[`r${i}_${c}`] = v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
  });
  return {
    shape: `${table}:${opts.shape}:${rows.length}`,
    args,
    build(qc: QueryCreator<DB>, arg: Arg<Record<string, unknown>>, gate: RawBuilder<SqlBool> | undefined) {
      const selects = rows.map((_, i) => sql`select ${sql.join(names.map((c) => sql`cast(${arg(`r${i}_${c}`)} as ${sql.raw(columns[c]!)}) as ${sql.id(c)}`))}`);
      const source = sql`select * from (${sql.join(selects, sql` union all `)}) as v where ${gate ?? sql`1 = 1`}`;
      let q = qc.insertInto(table).columns(names as never).expression(source as never) as unknown as InsertQueryBuilder<DB, T, unknown>;
      if (opts.onConflict) q = q.onConflict(opts.onConflict as never) as never;
      if (opts.returning) q = q.returning(sql<number>`1`.as('one') as never) as never;
      return q;
    },
  };
}

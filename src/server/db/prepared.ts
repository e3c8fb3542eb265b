// Compile-once queries for the hot paths (a candidate's session, dossier reads and writes). Kysely builds
// an operation tree and compiles it to SQL on every call, which costs the app more CPU than SQLite takes
// to answer a point lookup; on the last afternoon that CPU is the limit. A prepared query is written with
// the same type-safe builder, built ONCE per dialect with named placeholders, and each call only puts the
// values in their slots. The SQL text is then identical on every call, so the SQLite statement cache and
// PostgreSQL's plan for it are reused too.
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { DB } from './schema.ts';

/**
 * SQL texts of prepared queries: a fixed, small set. The PostgreSQL adapter runs these as named
 * statements, parsed and planned once per connection; any other text stays unnamed (an IN-list of every
 * length would otherwise pile up statements on each connection).
 */
const reusableTexts = new Map<string, string>();

/** The statement name for `sql` when it is a prepared query's text, else undefined. */
export function statementNameFor(sql: string): string | undefined {
  return reusableTexts.get(sql);
}

/** A value stands for a named placeholder while the query is built; no real value looks like it. */
const MARK = '\u0000prepared-param\u0000';

type Slot = { name: string } | { value: unknown };

interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  slots: Slot[];
}

/** Placeholder for the argument `name` (typed as the argument, so the builder checks it as a value). */
export type Placeholder<A> = <K extends keyof A & string>(name: K) => A[K];

export interface PreparedQuery<A, O> {
  (db: Kysely<DB>, args: A): Promise<QueryResult<O>>;
  /** the SQL text for the dialect of `db` (tests and EXPLAIN) */
  sqlFor(db: Kysely<DB>): string;
}

/**
 * `build` must use every argument as a value only (where, values, set), never to choose the query's
 * shape: the shape is fixed at the first call. Queries whose shape varies are several prepared queries.
 */
export function prepared<A extends object, O>(build: (db: Kysely<DB>, p: Placeholder<A>) => Compilable<O>): PreparedQuery<A, O> {
  // by dialect adapter class: the read handle, the writer and every transaction of a dialect share it
  const cache = new Map<unknown, Compiled>();
  const compiledFor = (db: Kysely<DB>): Compiled => {
    const key = db.getExecutor().adapter.constructor;
    let c = cache.get(key);
    if (!c) {
      const q = build(db, ((name: string) => `${MARK}${name}`) as Placeholder<A>).compile();
      const slots: Slot[] = q.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { value: v }));
      c = { sql: q.sql, query: q.query, slots };
      cache.set(key, c);
      if (!reusableTexts.has(q.sql)) reusableTexts.set(q.sql, `ghidanh_${reusableTexts.size + 1}`);
    }
    return c;
  };
  const run = async (db: Kysely<DB>, args: A): Promise<QueryResult<O>> => {
    const c = compiledFor(db);
    const parameters = c.slots.map((s) => {
      if (!('name' in s)) return s.value;
      const v = (args as Record<string, unknown>)[s.name];
      if (v === undefined) throw new Error(`prepared query: no value for "${s.name}"`);
      return v;
    });
    const compiled: CompiledQuery<O> = { sql: c.sql, query: c.query, queryId: createQueryId(), parameters };
    return db.executeQuery(compiled);
  };
  return Object.assign(run, { sqlFor: (db: Kysely<DB>) => compiledFor(db).sql });
}

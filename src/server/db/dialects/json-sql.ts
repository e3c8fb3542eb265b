// JSON built by the database, for lists whose lines go to the client as they are (a point's list of a
// thousand candidates): the driver then hands over one string per line instead of a value per column,
// and the app builds no object per line. The two databases spell it differently; this file is the only
// place that knows how.
import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema.ts';

/** A JSON value built in SQL: an object, a boolean, or a plain column (string, number or null). */
export type JsonSql = Expression<unknown>;

/** Whether `db` speaks PostgreSQL (for the few statements the two databases spell differently). */
export function onPostgres(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `{ key: value, … }` as a JSON object (nested objects stay objects). */
export function jsonObject(db: Kysely<DB>, entries: ReadonlyArray<readonly [string, JsonSql]>): RawBuilder<unknown> {
  const args = sql.join(entries.map(([k, v]) => sql`${sql.lit(k)}, ${v}`));
  return onPostgres(db) ? sql`json_build_object(${args})` : sql`json_object(${args})`;
}

/** `object`, or JSON null when `isNull` holds. */
export function jsonObjectOrNull(isNull: Expression<unknown>, object: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`case when ${isNull} then null else ${object} end`;
}

/** true or false: whether the integer flag `flag` is 1. */
export function jsonFlag(db: Kysely<DB>, flag: Expression<unknown>): RawBuilder<unknown> {
  return onPostgres(db) ? sql`(${flag} = 1)` : sql`json(case when ${flag} = 1 then 'true' else 'false' end)`;
}

/** The JSON text of `value` (a string column in the result, not a parsed value). */
export function jsonText(db: Kysely<DB>, value: RawBuilder<unknown>): RawBuilder<string> {
  return onPostgres(db) ? sql<string>`${value}::text` : sql<string>`${value}`;
}

/**
 * The JSON text of an array of `element`, one per row of the enclosing (sub)query, in `orderBy` order;
 * `[]` when there is no row. For a short list carried along with the row it belongs to (a dossier's
 * uploads), so that one query answers instead of two.
 */
export function jsonArrayText(db: Kysely<DB>, element: RawBuilder<unknown>, orderBy: RawBuilder<unknown>): RawBuilder<string> {
  return onPostgres(db)
    ? sql<string>`coalesce(json_agg(${element} order by ${orderBy}), '[]'::json)::text`
    : sql<string>`json_group_array(${element} order by ${orderBy})`;
}

// Strings joined by the database across a group's rows (one row per candidate instead of one per wish):
// the driver then hands over a few strings per group and the app splits them, which costs far less than
// a row object per line. The two databases spell it differently; this file is the only place that knows.
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema.ts';
import { onPostgres } from './json-sql.ts';

/**
 * The group's values of `value` (text) joined by `separator`, in the order the rows reach the aggregate:
 * callers that need an order carry a key along (joined the same way) and check it, since neither database
 * promises the order without an ORDER BY in the aggregate, which costs a sort per group.
 */
export function joinedText(db: Kysely<DB>, value: Expression<unknown>, separator: string): RawBuilder<string> {
  return onPostgres(db) ? sql<string>`string_agg((${value})::text, ${sql.lit(separator)})` : sql<string>`group_concat(${value}, ${sql.lit(separator)})`;
}

// PostgreSQL's bulk load: `insert … select * from unnest($1::text[], …)`, one parameter per column
// whatever the row count, one transaction per batch, the next batch generated while the last inserts.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { BulkOptions, BulkTarget } from './bulk.ts';

async function insertUnnest(db: Kysely<DB>, t: BulkTarget<unknown>, rows: ReadonlyArray<object>): Promise<void> {
  // rows are objects by column name, or value arrays in column order (a target with valuesOf)
  const casts = t.columns.map((col, j) => sql`${rows.map((r) => (Array.isArray(r) ? (r[j] as unknown) : (r as Readonly<Record<string, unknown>>)[col]))}::${sql.raw(t.pgTypes?.[col] ?? 'text')}[]`);
  await sql`insert into ${sql.table(t.table)} (${sql.join(t.columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(casts)})`.execute(db);
}

export async function bulkLoadPostgres<T>(write: Kysely<DB>, targets: ReadonlyArray<BulkTarget<T>>, items: Iterator<T>, o: BulkOptions): Promise<number> {
  const batchSize = Math.min(o.batchSize, 10_000);
  // batches in flight at once (each its own transaction on its own connection of the pool)
  const parallel = Math.max(1, o.parallel ?? 1);
  let done = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  for (;;) {
    const rows: object[][] = targets.map(() => []);
    let n = 0;
    try {
      for (; n < batchSize; n++) {
        const next = items.next();
        if (next.done) break;
        targets.forEach((t, i) => rows[i]!.push(t.valuesOf ? t.valuesOf(next.value) : t.rowOf(next.value)));
      }
    } catch (e) {
      // the items stopped (a run past its time limit): what is in flight commits or fails before the caller
      // deletes what was written, so nothing lands after the delete
      await Promise.allSettled(inFlight);
      throw e;
    }
    // the batches before were inserting while this one was generated: wait for room before the next
    while (inFlight.size >= (n === 0 ? 1 : parallel)) await Promise.race(inFlight);
    if (failure) throw failure;
    if (n === 0) break;
    const p: Promise<void> = write
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < targets.length; i++) await insertUnnest(trx, targets[i] as BulkTarget<unknown>, rows[i]!);
      })
      .then(
        () => {
          done += n;
          o.onProgress?.(done, o.total);
        },
        (e: unknown) => {
          failure ??= e;
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  if (failure) throw failure;
  return done;
}

// Work a write hands to the end of its transaction, merged with the same kind of work from the other
// writes committed with it. The statistics counters are the case: every dossier change adds a few
// deltas to the same national and department rows; in a group commit of 200 submits, 200 upserts of
// the same rows become one. A write that fails (its savepoint rolled back) takes its share with it.
// Outside a transaction that collects (a maintenance script on the raw writer), the work runs at once.
// On PostgreSQL, where every statement is a round trip, a transaction's kinds of work that can each be
// said as one statement go as ONE statement (all but the last in a WITH): a submit's outbox messages and
// its counters cost one round trip, not two.
import { sql, type Compilable, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface EndOfTransactionWork<T> {
  /** one entry per kind of work in a transaction */
  readonly name: string;
  merge(into: T, more: T): T;
  flush(trx: Kysely<DB>, value: T): Promise<void>;
  /**
   * The same work as one data-changing statement whose result nobody reads (an insert), so that it can
   * join the others in one WITH; undefined when there is nothing to do or it does not fit one statement.
   */
  statement?(trx: Kysely<DB>, value: T): Compilable<unknown> | 'nothing' | undefined;
}

type Pending = Map<string, { work: EndOfTransactionWork<unknown>; value: unknown }>;

/** A transaction's collected work: what the running write added, and what the committed writes added. */
export class TransactionScope {
  private committed: Pending = new Map();
  private current: Pending = new Map();

  /** `combine`: send the work that can be one statement as one statement (PostgreSQL) */
  constructor(readonly combine = false) {}

  add<T>(work: EndOfTransactionWork<T>, value: T): void {
    const had = this.current.get(work.name);
    this.current.set(work.name, { work: work as EndOfTransactionWork<unknown>, value: had ? work.merge(had.value as T, value) : value });
  }

  /** the running write succeeded: its work joins the transaction's */
  keep(): void {
    for (const [name, e] of this.current) {
      const had = this.committed.get(name);
      this.committed.set(name, had ? { work: e.work, value: e.work.merge(had.value, e.value) } : e);
    }
    this.current = new Map();
  }

  /** the running write was rolled back to its savepoint: so is its work */
  drop(): void {
    this.current = new Map();
  }

  /** runs the kept work, in the transaction, just before COMMIT */
  async flush(trx: Kysely<DB>): Promise<void> {
    this.keep();
    const all = [...this.committed.values()];
    this.committed = new Map();
    if (!this.combine) {
      for (const e of all) await e.work.flush(trx, e.value);
      return;
    }
    const statements: Array<Compilable<unknown>> = [];
    for (const e of all) {
      const one = e.work.statement?.(trx, e.value);
      if (one === 'nothing') continue;
      if (one) statements.push(one);
      else await e.work.flush(trx, e.value);
    }
    if (statements.length === 0) return;
    const last = statements.pop()!;
    if (statements.length === 0) {
      await trx.executeQuery(last.compile());
      return;
    }
    const ctes = sql.join(statements.map((q, i) => sql`${sql.id(`w${i}`)} as (${q as never})`));
    await sql`with ${ctes} ${last as never}`.execute(trx);
  }
}

const scopes = new WeakMap<Kysely<DB>, TransactionScope>();

export function openScope(trx: Kysely<DB>, opts: { combine?: boolean } = {}): TransactionScope {
  const s = new TransactionScope(opts.combine === true);
  scopes.set(trx, s);
  return s;
}

export function closeScope(trx: Kysely<DB>): void {
  scopes.delete(trx);
}

/** Adds `value` to the end-of-transaction work of `trx`, or runs it now when `trx` collects none. */
export async function atEndOfTransaction<T>(trx: Kysely<DB>, work: EndOfTransactionWork<T>, value: T): Promise<void> {
  const s = scopes.get(trx);
  if (s) s.add(work, value);
  else await work.flush(trx, value);
}

/**
 * For work worth deferring only where it joins the others in one statement (PostgreSQL): added to the
 * transaction's end there, run now elsewhere (on SQLite it then stays inside its own write's savepoint,
 * so a failure fails that write alone).
 */
export async function atEndOfTransactionWhereCombined<T>(trx: Kysely<DB>, work: EndOfTransactionWork<T>, value: T): Promise<void> {
  const s = scopes.get(trx);
  if (s?.combine) s.add(work, value);
  else await work.flush(trx, value);
}

// A write described as data: one compare-and-set (the primary statement) and the statements that must run
// with it exactly when it changed a row (a dossier's event, its jobs, its counters, an audit entry, the
// Idempotency-Key's record). Each repository writes its own statements with the query builder; the
// dialect adapter decides how the unit reaches the database:
//   - PostgreSQL: ONE statement, the primary in a WITH and every other part gated on it
//     (`where exists (select 1 from p)`), sent as a named statement with no BEGIN or COMMIT: a save or a
//     submit is one round trip after its read;
//   - SQLite: the parts one after another inside the group commit (its savepoint), the later ones only
//     when the primary changed a row.
// Statements are compiled once per shape (src/server/db/prepared.ts's way): a call only fills the values.
import { createQueryId, sql, type Compilable, type CompiledQuery, type Kysely, type QueryCreator, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from './schema.ts';
import { atEndOfTransaction, type EndOfTransactionWork } from './end-of-transaction.ts';

/** The value of argument `name` of a part (typed as the argument, used as a value in the builder). */
export type Arg<A> = <K extends keyof A & string>(name: K) => A[K];

/** One statement of a unit, with the values of this call. */
export interface UnitPart<A extends object = Record<string, unknown>> {
  /**
   * Identifies the statement's text: two parts with the same shape must build the same SQL (only the
   * values in `args` differ). A shape that varies (a number of rows) names the variant: `counters:12`.
   */
  readonly shape: string;
  readonly args: A;
  /**
   * Builds the statement. `gate`, when given, must be ANDed into its WHERE (an INSERT … SELECT … WHERE
   * gate): the part then runs only when the primary changed a row. The primary returns one row per row
   * it changed.
   */
  build(qc: QueryCreator<DB>, arg: Arg<A>, gate: RawBuilder<SqlBool> | undefined): Compilable<unknown>;
}

/** Work merged with the same kind from the other writes of a commit (counters), with this write's value. */
export interface CommitWork<T = unknown> {
  readonly work: EndOfTransactionWork<T> & {
    /** the same work as a gated part, for a dialect that sends the unit as one statement */
    asPart(value: T): UnitPart<any> | null;
  };
  readonly value: T;
}

export interface WriteUnit {
  readonly primary: UnitPart<any>;
  readonly then: ReadonlyArray<UnitPart<any>>;
  readonly atCommit?: ReadonlyArray<CommitWork<any>>;
  /**
   * The unit records work that is done again, harmlessly, if the record is lost (a national link's job
   * finishing: the job runs again, its message is an idempotent upsert). Its commit then need not wait for
   * the disk: a crash of the database machine may lose the last fraction of a second of such commits, whole,
   * never half of one and never a durable commit's data (the log is written in order: a durable commit made
   * later flushes it too). Never for what a person was told is saved.
   */
  readonly relaxed?: boolean;
}

// ---- compiling a statement once per shape ----

const MARK = '\u0000unit-arg\u0000';
type Slot = { name: string } | { value: unknown };
interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  slots: Slot[];
}

/** SQL texts of unit statements, for the PostgreSQL adapter's named statements (a bounded set of shapes). */
const reusable = new Map<string, string>();
export function unitStatementNameFor(text: string): string | undefined {
  return reusable.get(text);
}

const markArg = (prefix: string) => ((name: string) => `${MARK}${prefix}${name}`) as Arg<any>;

function compileOnce(cache: Map<string, Compiled>, key: string, make: () => CompiledQuery): Compiled {
  let c = cache.get(key);
  if (!c) {
    const q = make();
    const slots: Slot[] = q.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { value: v }));
    c = { sql: q.sql, query: q.query, slots };
    cache.set(key, c);
    if (!reusable.has(q.sql)) reusable.set(q.sql, `ghidanh_u${reusable.size + 1}`);
  }
  return c;
}

function bind(c: Compiled, lookup: (name: string) => unknown): CompiledQuery {
  const parameters = c.slots.map((s) => ('name' in s ? lookup(s.name) : s.value));
  return { sql: c.sql, query: c.query, queryId: createQueryId(), parameters };
}

function valueOf(args: object, name: string, shape: string): unknown {
  const v = (args as Record<string, unknown>)[name];
  if (v === undefined) throw new Error(`write unit ${shape}: no value for "${name}"`);
  return v;
}

// by dialect (adapter class) and shape
const single = new Map<unknown, Map<string, Compiled>>();
const combined = new Map<unknown, Map<string, Compiled>>();
function cacheFor(m: Map<unknown, Map<string, Compiled>>, db: Kysely<DB>): Map<string, Compiled> {
  const key = db.getExecutor().adapter.constructor;
  let c = m.get(key);
  if (!c) m.set(key, (c = new Map()));
  return c;
}

const affected = (r: { numAffectedRows?: bigint; rows: unknown[] }): number => (r.rows.length > 0 ? r.rows.length : Number(r.numAffectedRows ?? 0n));

/** Runs one part on its own (no gate). Returns the rows it changed. */
export async function runPart(trx: Kysely<DB>, part: UnitPart<any>): Promise<number> {
  const c = compileOnce(cacheFor(single, trx), part.shape, () => part.build(trx, markArg(''), undefined).compile());
  const r = await trx.executeQuery(bind(c, (n) => valueOf(part.args, n, part.shape)));
  return affected(r);
}

/** The parts one after another: the later ones only when the primary changed a row (SQLite, inside a write). */
export async function applyUnitStepwise(trx: Kysely<DB>, unit: WriteUnit, deferCommitWork: (w: CommitWork) => Promise<void>): Promise<boolean> {
  if ((await runPart(trx, unit.primary)) === 0) return false;
  for (const p of unit.then) await runPart(trx, p);
  for (const w of unit.atCommit ?? []) await deferCommitWork(w);
  return true;
}

/** The statement text's identity of a unit: its parts' shapes, and whether it is relaxed. */
export function unitKey(unit: WriteUnit): string {
  return [unit.primary, ...unit.then].map((p) => p.shape).join('|') + (unit.atCommit?.length ? `|atCommit:${unit.atCommit.length}` : '') + (unit.relaxed ? '|relaxed' : '');
}

/**
 * The unit as ONE statement (PostgreSQL): `with p as (primary), t0 as (part where exists (select 1 from p)), …
 * select count(*) from p`. Data-changing WITHs all run, to the end, whether or not the final SELECT reads
 * them, and see the same snapshot; the gate makes every part depend on the primary's outcome.
 */
export async function applyUnitCombined(db: Kysely<DB>, unit: WriteUnit): Promise<boolean> {
  return (await applyUnitsCombined(db, [unit]))[0]!;
}

/**
 * Several units of one shape (unitKey) as ONE statement (PostgreSQL): each unit's primary and its parts
 * gated on it, as above, side by side (`with p0 as (…), t0_0 as (… where exists (select 1 from p0)), p1 as …`);
 * each unit is written or not on its own primary's outcome, and all of them commit together. The units must
 * change different rows (PostgreSQL changes a row once in a statement, whichever WITH comes first), so
 * units with work merged at commit (counters, shared by every write) are refused: send those alone.
 */
export async function applyUnitsCombined(db: Kysely<DB>, units: readonly WriteUnit[]): Promise<boolean[]> {
  if (units.length === 0) return [];
  const one = units.length === 1;
  if (!one && units.some((u) => u.atCommit?.length)) throw new Error('write units with work at commit are combined one per statement');
  const partsOf = units.map((unit) => [unit.primary, ...unit.then, ...(unit.atCommit ?? []).map((w) => w.work.asPart(w.value)).filter((p): p is UnitPart<any> => p !== null)]);
  const shapes = partsOf.map((parts) => parts.map((p) => p.shape).join('|'));
  const relaxed = units[0]!.relaxed === true;
  if (shapes.some((sh, u) => sh !== shapes[0] || (units[u]!.relaxed === true) !== relaxed)) throw new Error('write units combined in one statement must share their shape');
  const key = (one ? '' : `${units.length}×`) + shapes[0] + (relaxed ? '|relaxed' : '');
  const primaryName = (u: number) => (one ? 'p' : `p${u}`);
  const c = compileOnce(cacheFor(combined, db), key, () => {
    let q: { with: Kysely<DB>['with'] } | null = null;
    const addWith = (name: string, build: (qc: QueryCreator<DB>) => unknown) => {
      q = (q ? q.with(name, build as never) : db.with(name, build as never)) as unknown as { with: Kysely<DB>['with'] };
    };
    partsOf.forEach((parts, u) => {
      const gate = sql<SqlBool>`exists (select 1 from ${sql.table(primaryName(u))})`;
      addWith(primaryName(u), (qc) => parts[0]!.build(qc, markArg(`${u}.0:`), undefined));
      parts.slice(1).forEach((part, i) => addWith(one ? `t${i}` : `t${u}_${i}`, (qc) => part.build(qc, markArg(`${u}.${i + 1}:`), gate)));
    });
    const counts = units.map((_, u) => sql<number>`(select count(*) from ${sql.table(primaryName(u))})::int`.as(one ? 'changed' : `changed${u}`));
    // a relaxed unit: this statement's own transaction commits without waiting for the WAL's flush
    // (SET LOCAL synchronous_commit for one transaction; the setting ends with it)
    const select = relaxed ? [...counts, sql<string>`set_config('synchronous_commit', 'off', true)`.as('relaxed')] : counts;
    return (q! as unknown as Kysely<DB>).selectNoFrom(select).compile();
  });
  const r = await db.executeQuery<Record<string, number>>(
    bind(c, (n) => {
      const dot = n.indexOf('.');
      const colon = n.indexOf(':');
      const parts = partsOf[Number(n.slice(0, dot))]!;
      const part = parts[Number(n.slice(dot + 1, colon))]!;
      return valueOf(part.args, n.slice(colon + 1), part.shape);
    }),
  );
  const row = r.rows[0] ?? {};
  return units.map((_, u) => (row[one ? 'changed' : `changed${u}`] ?? 0) > 0);
}

/**
 * A unit inside a write the caller already runs (a desk registration that also creates the account):
 * statement by statement, on either database; its work at commit joins the write's.
 */
export function applyUnitInWrite(trx: Kysely<DB>, unit: WriteUnit): Promise<boolean> {
  return applyUnitStepwise(trx, unit, (w) => atEndOfTransaction(trx, w.work, w.value));
}

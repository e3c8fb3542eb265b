// All SQL on the statistics counters: adding deltas (an upsert that adds), reading a level, the full
// recount that rebuilds them from the dossiers and accounts.
import { createQueryId, sql, type CompiledQuery, type Kysely } from 'kysely';
import type { DB, StatCounterTable } from '../db/schema.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import type { UnitPart } from '../db/write-unit.ts';
import { atEndOfTransaction, type EndOfTransactionWork } from '../db/end-of-transaction.ts';

export interface CounterDelta {
  examYear: number;
  level: StatCounterTable['level'];
  unit: string;
  metric: string;
  shard: number;
  value: number;
}

/** A change to one point's counters: what a dossier or account change produces (the department and national rows follow). */
export interface PointDelta {
  examYear: number;
  pointId: string;
  departmentCode: string;
  metric: string;
  value: number;
}

/** Department and national rows are spread over shards so PostgreSQL writers do not queue on one row. */
export const DEPARTMENT_SHARDS = 4;
export const NATIONAL_SHARDS = 8;

const keyOf = (d: CounterDelta) => `${d.examYear}\u0000${d.level}\u0000${d.unit}\u0000${d.metric}\u0000${d.shard}`;

/**
 * The three rows a commit adds for its point deltas: the point's, its department's and the nation's. The
 * commit's deltas are first merged per point and metric (a group commit of 200 submits at one school adds
 * to the same rows), then rolled up; a commit takes one department shard and one national shard.
 */
export function rolledUp(deltas: readonly PointDelta[], random = Math.random): CounterDelta[] {
  const dShard = Math.floor(random() * DEPARTMENT_SHARDS);
  const nShard = Math.floor(random() * NATIONAL_SHARDS);
  const out: CounterDelta[] = [];
  for (const d of deltas) {
    if (d.value === 0) continue;
    out.push({ examYear: d.examYear, level: 'point', unit: d.pointId, metric: d.metric, shard: 0, value: d.value });
    out.push({ examYear: d.examYear, level: 'department', unit: d.departmentCode, metric: d.metric, shard: dShard, value: d.value });
    out.push({ examYear: d.examYear, level: 'national', unit: '', metric: d.metric, shard: nShard, value: d.value });
  }
  return out;
}

/**
 * Adds point deltas to the counters in `trx`'s write. Inside db.write they are merged with the other
 * writes' of the same commit and written once, just before it commits (see end-of-transaction.ts).
 */
export async function addPointDeltas(trx: Kysely<DB>, deltas: PointDelta[]): Promise<void> {
  if (deltas.length > 0) await atEndOfTransaction(trx, COUNTER_WORK, deltas);
}

/** Adds rows as they are (a rebuild from a recount), merged with the commit's other counter work. */
export async function addCounterRows(trx: Kysely<DB>, rows: CounterDelta[]): Promise<void> {
  await writeCounterRows(trx, rows);
}

const COUNTER_COLUMNS = { exam_year: 'integer', level: 'text', unit: 'text', metric: 'text', shard: 'integer', value: 'integer' } as const;

/** The counters' end-of-commit work: point deltas merged, rolled up to the three levels, upserted in key order. */
export const COUNTER_WORK: EndOfTransactionWork<PointDelta[]> & { asPart(value: PointDelta[]): UnitPart<any> | null } = {
  name: 'stat_counters',
  merge: (into, more) => {
    for (const d of more) into.push(d);
    return into;
  },
  flush: (trx, deltas) => writeCounterRows(trx, rolledUp(mergedPoints(deltas))),
  asPart(deltas) {
    const rows = counterRows(rolledUp(mergedPoints(deltas)));
    if (rows.length === 0) return null;
    return insertRowsPart('stat_counters', COUNTER_COLUMNS, rows, {
      shape: 'counters',
      onConflict: (oc) => oc.columns(['exam_year', 'level', 'unit', 'metric', 'shard']).doUpdateSet({ value: sql<number>`stat_counters.value + excluded.value` }),
    });
  },
};

function mergedPoints(deltas: readonly PointDelta[]): PointDelta[] {
  const m = new Map<string, PointDelta>();
  for (const d of deltas) {
    const k = `${d.examYear}\u0000${d.pointId}\u0000${d.metric}`;
    const had = m.get(k);
    if (had) had.value += d.value;
    else m.set(k, { ...d });
  }
  return [...m.values()].filter((d) => d.value !== 0);
}

const UPSERT_ROWS = 500;

function upsertCounters(trx: Kysely<DB>, rows: ReturnType<typeof counterRows>) {
  return trx
    .insertInto('stat_counters')
    .values(rows)
    .onConflict((oc) => oc.columns(['exam_year', 'level', 'unit', 'metric', 'shard']).doUpdateSet({ value: sql<number>`stat_counters.value + excluded.value` }));
}

/**
 * A commit's counter rows are few (three per metric a change moves: a submit writes some thirty), and
 * Kysely built and compiled their upsert on every commit. Up to this many rows the upsert is compiled once
 * per row count (and dialect), and a call only lines the rows' values up in the statement's parameter
 * order; a larger batch (a recount's rebuild) is built as before.
 */
const COMPILED_MAX_ROWS = 64;
type CounterRow = ReturnType<typeof counterRows>[number];
const COUNTER_NAMES = Object.keys(COUNTER_COLUMNS) as Array<keyof CounterRow>;
/** a parameter's origin: a row's column, or a value the statement holds itself */
type CounterSlot = { row: number; column: keyof CounterRow } | { value: unknown };
interface CompiledUpsert {
  sql: string;
  query: CompiledQuery['query'];
  slots: CounterSlot[];
}
const MARK = '\u0000counter-row\u0000';
// by dialect (adapter class), then row count
const compiledUpserts = new Map<unknown, Map<number, CompiledUpsert>>();

function compiledUpsert(db: Kysely<DB>, n: number): CompiledUpsert {
  const dialect = db.getExecutor().adapter.constructor;
  let byCount = compiledUpserts.get(dialect);
  if (!byCount) compiledUpserts.set(dialect, (byCount = new Map()));
  let c = byCount.get(n);
  if (!c) {
    const marked = Array.from({ length: n }, (_, i) => Object.fromEntries(COUNTER_NAMES.map((col) => [col, `${MARK}${i}:${col}`])) as unknown as CounterRow);
    const q = upsertCounters(db, marked).compile();
    const slots = q.parameters.map((v): CounterSlot => {
      if (typeof v !== 'string' || !v.startsWith(MARK)) return { value: v };
      const [row, column] = v.slice(MARK.length).split(':');
      return { row: Number(row), column: column as keyof CounterRow };
    });
    c = { sql: q.sql, query: q.query, slots };
    byCount.set(n, c);
  }
  return c;
}

async function writeCounterRows(trx: Kysely<DB>, deltas: CounterDelta[]): Promise<void> {
  const rows = counterRows(deltas);
  if (rows.length > 0 && rows.length <= COMPILED_MAX_ROWS) {
    const c = compiledUpsert(trx, rows.length);
    const parameters = c.slots.map((s) => ('row' in s ? rows[s.row]![s.column] : s.value));
    await trx.executeQuery({ sql: c.sql, query: c.query, queryId: createQueryId(), parameters });
    return;
  }
  for (let i = 0; i < rows.length; i += UPSERT_ROWS) await upsertCounters(trx, rows.slice(i, i + UPSERT_ROWS)).execute();
}

/**
 * The rows of an upsert: same keys merged first (PostgreSQL refuses to touch a row twice in one upsert)
 * and in key order, so two transactions lock counter rows in the same order and cannot deadlock.
 */
function counterRows(deltas: CounterDelta[]) {
  const merged = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const k = keyOf(d);
    const m = merged.get(k);
    if (m) m.value += d.value;
    else merged.set(k, { ...d });
  }
  return [...merged.entries()]
    .filter(([, d]) => d.value !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => ({ exam_year: d.examYear, level: d.level, unit: d.unit, metric: d.metric, shard: d.shard, value: d.value }));
}

const departmentOfPoint = new Map<string, string>();

/** The department of a point (points never change department; cached per process). */
export async function pointDepartment(db: Kysely<DB>, pointId: string): Promise<string> {
  const hit = departmentOfPoint.get(pointId);
  if (hit !== undefined) return hit;
  const r = await db.selectFrom('org_units').select('department_code').where('id', '=', pointId).executeTakeFirst();
  const code = r?.department_code ?? '';
  if (r) departmentOfPoint.set(pointId, code);
  return code;
}

/** Summed counters of one unit: metric → value. */
export async function readCounters(db: Kysely<DB>, examYear: number, level: StatCounterTable['level'], unit: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('stat_counters')
    .select(['metric', (eb) => eb.fn.sum<number>('value').as('v')])
    .where('exam_year', '=', examYear)
    .where('level', '=', level)
    .where('unit', '=', unit)
    .groupBy('metric')
    .execute();
  return new Map(rows.map((r) => [r.metric, Number(r.v)]));
}

/** A few metrics for each child unit: departments of the nation, or points of a department. */
export async function readBreakdown(
  db: Kysely<DB>,
  examYear: number,
  parent: { level: 'national' } | { level: 'department'; departmentCode: string },
  metrics: string[],
): Promise<Array<{ unit: string; metric: string; value: number }>> {
  let q = db
    .selectFrom('stat_counters as s')
    .select(['s.unit', 's.metric', (eb) => eb.fn.sum<number>('s.value').as('v')])
    .where('s.exam_year', '=', examYear)
    .where('s.metric', 'in', metrics);
  if (parent.level === 'national') q = q.where('s.level', '=', 'department');
  else {
    const code = parent.departmentCode;
    q = q.where('s.level', '=', 'point').where('s.unit', 'in', (eb) => eb.selectFrom('org_units').select('id').where('department_code', '=', code).where('kind', '=', 'point'));
  }
  const rows = await q.groupBy(['s.unit', 's.metric']).execute();
  return rows.map((r) => ({ unit: r.unit, metric: r.metric, value: Number(r.v) }));
}

/** Pages through a year's candidate accounts. */
export async function* yearAccounts(
  db: Kysely<DB>,
  examYear: number,
  page = 5000,
): AsyncGenerator<{ userId: string; examYear: number; pointId: string; status: 'not_issued' | 'active' | 'disabled'; signedIn: boolean }> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('candidates as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select(['c.id', 'u.id as user_id', 'c.point_id', 'u.status', 'u.last_sign_in_at'])
      .where('c.exam_year', '=', examYear)
      .where('c.id', '>', after)
      .orderBy('c.id')
      .limit(page)
      .execute();
    for (const r of rows) yield { userId: r.user_id, examYear, pointId: r.point_id, status: r.status, signedIn: r.last_sign_in_at !== null };
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Every counter row of a year, summed over shards: `${level}|${unit}|${metric}` → value (non-zero only). */
export async function allCounters(db: Kysely<DB>, examYear: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('stat_counters')
    .select(['level', 'unit', 'metric', (eb) => eb.fn.sum<number>('value').as('v')])
    .where('exam_year', '=', examYear)
    .groupBy(['level', 'unit', 'metric'])
    .execute();
  const m = new Map<string, number>();
  for (const r of rows) if (Number(r.v) !== 0) m.set(`${r.level}|${r.unit}|${r.metric}`, Number(r.v));
  return m;
}

/** A year's trial counters deleted, as a part of the wipe's write. */
export function trialCountersDeletedPart(examYear: number): UnitPart<Record<string, unknown>> {
  return {
    shape: 'counters-trial-deleted',
    args: { examYear, pattern: 'trial.%' },
    build: (qc, arg) => qc.deleteFrom('stat_counters').where('exam_year', '=', arg('examYear') as number).where('metric', 'like', arg('pattern') as string),
  };
}

export async function deleteCounters(trx: Kysely<DB>, examYear: number, metricPrefix?: string): Promise<void> {
  let q = trx.deleteFrom('stat_counters').where('exam_year', '=', examYear);
  if (metricPrefix) q = q.where('metric', 'like', `${metricPrefix}%`);
  await q.execute();
}

// Exam years (kỳ thi): stored as rows with the windows as JSON; the rest of the code sees domain ExamYear.
import type { Kysely } from 'kysely';
import type { DB, ExamYearTable } from '../db/schema.ts';
import type { ExamYear, ExamYearWindows, SchemeCode } from '../../domain/exam-year.ts';

export interface StoredExamYear extends ExamYear {
  rules: Record<string, unknown>;
  publishedAt: string | null;
  /** when the year's configuration last changed: what was computed from its rules is valid until then */
  updatedAt?: string;
}

function toDomain(r: ExamYearTable): StoredExamYear {
  return {
    year: r.year,
    scheme: r.scheme,
    windows: JSON.parse(r.windows) as ExamYearWindows,
    published: r.status === 'published',
    rules: JSON.parse(r.rules) as Record<string, unknown>,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
  };
}

export async function findExamYear(db: Kysely<DB>, year: number): Promise<StoredExamYear | undefined> {
  const r = await db.selectFrom('exam_years').selectAll().where('year', '=', year).executeTakeFirst();
  return r ? toDomain(r) : undefined;
}

/** The newest published year: the one candidates register for. */
export async function currentExamYear(db: Kysely<DB>): Promise<StoredExamYear | undefined> {
  const r = await db.selectFrom('exam_years').selectAll().where('status', '=', 'published').orderBy('year', 'desc').limit(1).executeTakeFirst();
  return r ? toDomain(r) : undefined;
}

// The current year is read by every candidate request; it changes a few times a year. Each process
// keeps it for a second (a publish or a window change reaches every process within that second, and
// at once in the process that made it: see forgetCurrentExamYear).
export const CURRENT_TTL_MS = 1000;
const currentCache = new WeakMap<Kysely<DB>, { at: number; value: Promise<StoredExamYear | undefined> }>();

export async function currentExamYearCached(db: Kysely<DB>): Promise<StoredExamYear | undefined> {
  const hit = currentCache.get(db);
  const t = Date.now();
  if (hit && t - hit.at < CURRENT_TTL_MS) return hit.value;
  const value = currentExamYear(db);
  currentCache.set(db, { at: t, value });
  // a miss is not kept: the year published a moment later must be seen at once
  value.then((v) => v === undefined && currentCache.get(db)?.value === value && currentCache.delete(db)).catch(() => currentCache.delete(db));
  return value;
}

/** Called after this process changes an exam year, so its own next request sees the change. */
export function forgetCurrentExamYear(db: Kysely<DB>): void {
  currentCache.delete(db);
}

export async function listExamYears(db: Kysely<DB>): Promise<StoredExamYear[]> {
  const rows = await db.selectFrom('exam_years').selectAll().orderBy('year', 'desc').execute();
  return rows.map(toDomain);
}

export async function insertExamYear(
  db: Kysely<DB>,
  y: { year: number; scheme: SchemeCode; windows: ExamYearWindows; published: boolean; rules?: Record<string, unknown> },
  now: Date,
): Promise<void> {
  const ts = now.toISOString();
  await db
    .insertInto('exam_years')
    .values({
      year: y.year,
      scheme: y.scheme,
      windows: JSON.stringify(y.windows),
      status: y.published ? 'published' : 'draft',
      rules: JSON.stringify(y.rules ?? {}),
      published_at: y.published ? ts : null,
      created_at: ts,
      updated_at: ts,
    })
    .execute();
}

/** Replaces one key of the year's rules (read, change, write inside the caller's transaction). */
export async function setYearRule(trx: Kysely<DB>, year: number, key: string, value: unknown, now: Date): Promise<boolean> {
  const r = await trx.selectFrom('exam_years').select('rules').where('year', '=', year).executeTakeFirst();
  if (!r) return false;
  const rules = JSON.parse(r.rules) as Record<string, unknown>;
  rules[key] = value;
  await trx.updateTable('exam_years').set({ rules: JSON.stringify(rules), updated_at: now.toISOString() }).where('year', '=', year).execute();
  return true;
}

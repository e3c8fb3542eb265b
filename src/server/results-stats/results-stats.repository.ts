// All SQL of the results' statistics: the one scan of a council's published marks and results when it
// publishes (grouped in the database, a few hundred rows back), the small per-council rows the dashboards
// read, and the score reviews' counts once that feature has its table.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface PaperCounts {
  /** counts per exact score in hundredths */
  scores: Record<string, number>;
  absent: number;
  suspended: number;
}

export interface GraduationTally {
  passed: number;
  failed: number;
  incomplete: number;
  notApplicable: number;
}

export interface CouncilStats {
  departmentCode: string;
  version: number;
  marks: Record<string, PaperCounts>;
  /** by candidate type ('current' | 'free') */
  graduation: Record<string, GraduationTally>;
  computedAt: string;
}

export const emptyTally = (): GraduationTally => ({ passed: 0, failed: 0, incomplete: 0, notApplicable: 0 });

/** Counts a council's published marks and results (the publication's transaction calls it). */
export async function countCouncil(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<Pick<CouncilStats, 'marks' | 'graduation'>> {
  const [marks, results] = await Promise.all([
    db
      .selectFrom('exam_marks')
      .select(['subject', 'kind', 'score_centi', (eb) => eb.fn.countAll<number>().as('n')])
      .where('exam_year', '=', examYear)
      .where('department_code', '=', departmentCode)
      .groupBy(['subject', 'kind', 'score_centi'])
      .execute(),
    db
      .selectFrom('exam_results as r')
      .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
      .select(['r.status', 'c.candidate_type', (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.exam_year', '=', examYear)
      .where('r.department_code', '=', departmentCode)
      .groupBy(['r.status', 'c.candidate_type'])
      .execute(),
  ]);
  const out: Pick<CouncilStats, 'marks' | 'graduation'> = { marks: {}, graduation: {} };
  for (const r of marks) {
    const p = (out.marks[r.subject] ??= { scores: {}, absent: 0, suspended: 0 });
    const n = Number(r.n);
    if (r.kind === 'absent') p.absent += n;
    else if (r.kind === 'suspended') p.suspended += n;
    else if (r.kind === 'score' && r.score_centi !== null) p.scores[String(r.score_centi)] = (p.scores[String(r.score_centi)] ?? 0) + n;
  }
  for (const r of results) {
    const t = (out.graduation[r.candidate_type] ??= emptyTally());
    const n = Number(r.n);
    if (r.status === 'passed') t.passed += n;
    else if (r.status === 'failed') t.failed += n;
    else if (r.status === 'incomplete') t.incomplete += n;
    else t.notApplicable += n;
  }
  return out;
}

export async function saveCouncilStats(trx: Kysely<DB>, examYear: number, s: CouncilStats): Promise<void> {
  const row = { exam_year: examYear, department_code: s.departmentCode, version: s.version, marks: JSON.stringify(s.marks), graduation: JSON.stringify(s.graduation), computed_at: s.computedAt };
  await trx
    .insertInto('result_stats')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['exam_year', 'department_code']).doUpdateSet((eb) => ({
        version: eb.ref('excluded.version'),
        marks: eb.ref('excluded.marks'),
        graduation: eb.ref('excluded.graduation'),
        computed_at: eb.ref('excluded.computed_at'),
      })),
    )
    .execute();
}

/** The stored statistics of the year's councils (one of them, or all). */
export async function readCouncilStats(db: Kysely<DB>, examYear: number, departmentCode: string | null): Promise<CouncilStats[]> {
  let q = db.selectFrom('result_stats').selectAll().where('exam_year', '=', examYear);
  if (departmentCode !== null) q = q.where('department_code', '=', departmentCode);
  const rows = await q.orderBy('department_code').execute();
  return rows.map((r) => ({
    departmentCode: r.department_code,
    version: r.version,
    marks: JSON.parse(r.marks) as Record<string, PaperCounts>,
    graduation: JSON.parse(r.graduation) as Record<string, GraduationTally>,
    computedAt: r.computed_at,
  }));
}

/** Each council's published version of the year (councils that have published nothing are absent). */
export async function publishedVersions(db: Kysely<DB>, examYear: number, departmentCode: string | null): Promise<Map<string, number>> {
  let q = db
    .selectFrom('result_imports')
    .select(['department_code', (eb) => eb.fn.max('version').as('v')])
    .where('exam_year', '=', examYear)
    .where('status', '=', 'published');
  if (departmentCode !== null) q = q.where('department_code', '=', departmentCode);
  const rows = await q.groupBy('department_code').execute();
  return new Map(rows.map((r) => [r.department_code, Number(r.v)]));
}

// ---- score reviews (phúc khảo) ----

export interface ReviewTally {
  requested: number;
  decided: number;
  changed: number;
  bySubject: Record<string, { requested: number; changed: number }>;
}

/**
 * The review counts (phúc khảo) from the review feature's tables: one item per paper asked for, in a
 * request not withdrawn; decided once an outcome is recorded, changed when the outcome changed the mark.
 * Read by (exam_year, department_code, outcome), the feature's own index.
 */
export async function countScoreReviews(db: Kysely<DB>, examYear: number, departmentCode: string | null): Promise<ReviewTally> {
  let q = db
    .selectFrom('review_items as i')
    .innerJoin('review_requests as r', 'r.id', 'i.request_id')
    .select([
      'i.subject',
      (eb) => eb.fn.countAll<number>().as('requested'),
      sql<number>`sum(case when i.outcome is not null then 1 else 0 end)`.as('decided'),
      sql<number>`sum(case when i.outcome = 'changed' then 1 else 0 end)`.as('changed'),
    ])
    .where('i.exam_year', '=', examYear)
    .where('r.status', '<>', 'withdrawn');
  if (departmentCode !== null) q = q.where('i.department_code', '=', departmentCode);
  const rows = await q.groupBy('i.subject').execute();
  const out: ReviewTally = { requested: 0, decided: 0, changed: 0, bySubject: {} };
  for (const r of rows) {
    out.requested += Number(r.requested);
    out.decided += Number(r.decided ?? 0);
    out.changed += Number(r.changed ?? 0);
    out.bySubject[r.subject] = { requested: Number(r.requested), changed: Number(r.changed ?? 0) };
  }
  return out;
}


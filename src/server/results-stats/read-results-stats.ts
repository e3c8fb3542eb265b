// The published results' figures for a dashboard: the councils' small statistics rows added up (the nation
// is the sum of its councils; a median and a mode survive because the rows keep counts per exact score),
// never a scan of the marks. A ministry reads the nation and any province; a department its own.
import type { z } from 'zod';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorizeScope, can } from '../policy/policy.ts';
import { findOrgUnit, listChildren, orgIdForCode } from '../org/org.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { getReference } from '../reference/reference.repository.ts';
import { distribution, graduationRate, mergeScoreCounts } from '../../domain/score-distribution.ts';
import type { graduationStats, paperStats, resultsStatsResponse } from '../../contracts/results-stats.ts';
import { countScoreReviews, emptyTally, publishedVersions, readCouncilStats, type CouncilStats, type GraduationTally } from './results-stats.repository.ts';
import { refreshCouncilStats } from './refresh.ts';

type Level = 'national' | 'department';

async function checkUnit(ctx: Ctx, level: Level, unit: string | undefined): Promise<{ code: string | null; name: string }> {
  authorizeScope(ctx.actor, 'results.stats');
  if (level === 'national') {
    if (!can(ctx.actor, 'results.stats', { type: 'national' })) throw AppError.forbidden();
    return { code: null, name: '' };
  }
  if (!unit) throw new AppError('BAD_REQUEST', 'Thiếu đơn vị.', 'The unit is missing.', { code: 'UNIT_REQUIRED' });
  if (!can(ctx.actor, 'results.stats', { type: 'org', orgUnitId: orgIdForCode(unit), orgKind: 'department', departmentCode: unit })) throw AppError.forbidden();
  return { code: unit, name: (await findOrgUnit(ctx.db.read, orgIdForCode(unit)))?.name ?? unit };
}

/** The councils' rows, each brought up to its published version first when it lags (once per version). */
async function currentStats(ctx: Ctx, examYear: number, departmentCode: string | null): Promise<CouncilStats[]> {
  const [published, stored] = await Promise.all([publishedVersions(ctx.db.read, examYear, departmentCode), readCouncilStats(ctx.db.read, examYear, departmentCode)]);
  const have = new Map(stored.map((s) => [s.departmentCode, s.version]));
  const lagging = [...published].filter(([d, v]) => have.get(d) !== v);
  if (lagging.length === 0) return stored.filter((s) => published.has(s.departmentCode));
  for (const [d] of lagging) {
    await ctx.db.write(async (trx) => {
      // the version read again inside the transaction: a publication may have landed meanwhile
      const v = (await publishedVersions(trx, examYear, d)).get(d);
      if (v !== undefined) await refreshCouncilStats(trx, examYear, d, v, ctx.now);
    });
  }
  const again = await readCouncilStats(ctx.db.read, examYear, departmentCode);
  return again.filter((s) => published.has(s.departmentCode));
}

const addTally = (a: GraduationTally, b: GraduationTally): GraduationTally => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, incomplete: a.incomplete + b.incomplete, notApplicable: a.notApplicable + b.notApplicable });

const presentTally = (t: GraduationTally): z.infer<typeof graduationStats> => ({ ...t, rate: graduationRate(t) });

function papersOf(rows: readonly CouncilStats[], order: readonly string[]): Array<z.infer<typeof paperStats>> {
  const subjects = new Set(rows.flatMap((r) => Object.keys(r.marks)));
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...subjects]
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map((subject) => {
      const parts = rows.flatMap((r) => (r.marks[subject] ? [r.marks[subject]] : []));
      const d = distribution(mergeScoreCounts(parts.map((p) => p.scores)));
      return { subject, absent: parts.reduce((n, p) => n + p.absent, 0), suspended: parts.reduce((n, p) => n + p.suspended, 0), ...d };
    });
}

function graduationOf(rows: readonly CouncilStats[]): { total: GraduationTally; byType: Record<string, GraduationTally> } {
  const byType: Record<string, GraduationTally> = { current: emptyTally(), free: emptyTally() };
  let total = emptyTally();
  for (const r of rows)
    for (const [type, t] of Object.entries(r.graduation)) {
      byType[type] = addTally(byType[type] ?? emptyTally(), t);
      total = addTally(total, t);
    }
  return { total, byType };
}

export async function resultsStats(ctx: Ctx, level: Level, unit?: string, yearNo?: number): Promise<z.infer<typeof resultsStatsResponse>> {
  const { code, name } = await checkUnit(ctx, level, unit);
  const year = await requireYear(ctx.db, yearNo);
  const [rows, subjects, reviews] = await Promise.all([
    currentStats(ctx, year.year, code),
    getReference<{ subjects: Array<{ code: string }> }>(ctx.db.read, 'subjects'),
    countScoreReviews(ctx.db.read, year.year, code),
  ]);
  const order = subjects.subjects.map((s) => s.code);
  const g = graduationOf(rows);
  let provinces: z.infer<typeof resultsStatsResponse>['provinces'] = [];
  if (level === 'national') {
    const byCode = new Map(rows.map((r) => [r.departmentCode, r]));
    const departments = (await listChildren(ctx.db.read, orgIdForCode('BGD'))).filter((c) => c.kind === 'department').sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    provinces = departments.map((d) => {
      const r = byCode.get(d.code);
      return {
        unit: d.code,
        code: d.code,
        name: d.name,
        version: r?.version ?? null,
        graduation: presentTally(r ? graduationOf([r]).total : emptyTally()),
        means: r ? Object.fromEntries(papersOf([r], order).map((p) => [p.subject, p.mean])) : {},
      };
    });
  }
  return {
    examYear: year.year,
    level,
    unit: code ?? '',
    unitName: name,
    councils: rows.map((r) => ({ departmentCode: r.departmentCode, version: r.version, computedAt: r.computedAt })),
    papers: papersOf(rows, order),
    graduation: { total: presentTally(g.total), byCandidateType: Object.fromEntries(Object.entries(g.byType).map(([k, t]) => [k, presentTally(t)])) },
    provinces,
    reviews,
  };
}

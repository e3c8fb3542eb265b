// The dashboard: counters of one unit (a point, a department, the nation) shaped for charts. Reads a
// few hundred counter rows, never the dossiers.
import { AppError } from '../http/errors.ts';
import { authorizeScope, can } from '../policy/policy.ts';
import { findOrgUnit } from '../org/org.repository.ts';
import { requireYear } from '../verification/commands.ts';
import type { Ctx } from '../context.ts';
import type { z } from 'zod';
import type { breakdownResponse, statsLevel, summaryResponse } from '../../contracts/stats.ts';
import { readBreakdown, readCounters } from './stats.repository.ts';

export type StatsLevel = z.infer<typeof statsLevel>;

function group(m: Map<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of m) if (k.startsWith(prefix) && v !== 0) out[k.slice(prefix.length)] = v;
  return out;
}

async function checkUnit(ctx: Ctx, level: StatsLevel, unit: string | undefined): Promise<string> {
  authorizeScope(ctx.actor, 'stats.read');
  if (level === 'national') {
    if (!can(ctx.actor, 'stats.read', { type: 'national' })) throw AppError.forbidden();
    return '';
  }
  if (!unit) throw new AppError('BAD_REQUEST', 'Thiếu đơn vị.', 'The unit is missing.', { code: 'UNIT_REQUIRED' });
  if (level === 'department') {
    if (!can(ctx.actor, 'stats.read', { type: 'org', orgUnitId: `org-${unit}`, orgKind: 'department', departmentCode: unit })) throw AppError.forbidden();
    return unit;
  }
  const p = await findOrgUnit(ctx.db.read, unit);
  if (!p || p.kind !== 'point' || !can(ctx.actor, 'stats.read', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode })) throw AppError.forbidden();
  return p.id;
}

export async function statsSummary(ctx: Ctx, level: StatsLevel, unit?: string, yearNo?: number): Promise<z.infer<typeof summaryResponse>> {
  const u = await checkUnit(ctx, level, unit);
  const year = await requireYear(ctx.db, yearNo);
  const m = await readCounters(ctx.db.read, year.year, level, u);
  const n = (k: string) => m.get(k) ?? 0;
  const registered = n('registered');
  const online = n('registered.channel.online');
  const perHour = Object.entries(group(m, 'registered.hour.'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([hour, count]) => ({ hour, count }));
  return {
    examYear: year.year,
    level,
    unit: u,
    accounts: { total: n('accounts'), issued: n('accounts.issued'), signedIn: n('accounts.signed_in') },
    dossiers: { total: n('dossiers'), draft: n('status.draft'), submitted: n('status.submitted'), returned: n('status.returned'), verified: n('status.verified') },
    registered: { total: registered, online, desk: n('registered.channel.desk'), onlineShare: registered === 0 ? null : Math.round((online / registered) * 10_000) / 100 },
    byPurpose: group(m, 'registered.purpose.'),
    byCombination: group(m, 'registered.combo.'),
    bySubject: group(m, 'registered.subject.'),
    byCandidateType: group(m, 'registered.type.'),
    priorityClaimed: n('registered.priority'),
    exemptionClaimed: n('registered.exemption'),
    trial: { dossiers: n('trial.dossiers'), registered: n('trial.registered') },
    perHour,
  };
}

const BREAKDOWN_METRICS = ['accounts', 'accounts.issued', 'accounts.signed_in', 'dossiers', 'registered', 'registered.channel.online', 'status.verified', 'status.returned'];

/** One row per child unit: departments of the nation, or points of a department. */
export async function statsBreakdown(ctx: Ctx, level: 'national' | 'department', unit?: string): Promise<z.infer<typeof breakdownResponse>> {
  const u = await checkUnit(ctx, level, unit);
  const year = await requireYear(ctx.db);
  const rows = await readBreakdown(ctx.db.read, year.year, level === 'national' ? { level } : { level, departmentCode: u }, BREAKDOWN_METRICS);
  const byUnit = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const e = byUnit.get(r.unit) ?? {};
    e[r.metric] = r.value;
    byUnit.set(r.unit, e);
  }
  return {
    examYear: year.year,
    items: [...byUnit.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([unitId, e]) => ({
        unit: unitId,
        accountsIssued: e['accounts.issued'] ?? 0,
        signedIn: e['accounts.signed_in'] ?? 0,
        dossiers: e['dossiers'] ?? 0,
        registered: e['registered'] ?? 0,
        online: e['registered.channel.online'] ?? 0,
        verified: e['status.verified'] ?? 0,
        returned: e['status.returned'] ?? 0,
      })),
  };
}

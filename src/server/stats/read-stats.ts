// The dashboard: counters of one unit (a point, a department, the nation) shaped for charts. Reads a
// few hundred counter rows, never the dossiers.
import { AppError } from '../http/errors.ts';
import { authorizeScope, can } from '../policy/policy.ts';
import { findOrgUnit, listChildren, orgIdForCode } from '../org/org.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import type { Ctx } from '../context.ts';
import type { z } from 'zod';
import type { breakdownResponse, statsLevel, summaryResponse } from '../../contracts/stats.ts';
import { readBreakdown, readCounters } from './stats.repository.ts';
import { getReference } from '../reference/reference.repository.ts';

export type StatsLevel = z.infer<typeof statsLevel>;

function group(m: Map<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of m) if (k.startsWith(prefix) && v !== 0) out[k.slice(prefix.length)] = v;
  return out;
}

interface DepartmentNames {
  /** exam department code → its name in the reference list (the year's departments until 2026's codes are published) */
  names: Map<string, string>;
  /** exam department code → the province (1 July 2025) its former province lies in */
  provinces: Map<string, { code: string; name: string }>;
}

/**
 * The exam departments by code, and the province each lies in since the merger. The 2026 exam codes are
 * not published: departments keep their 2002–2025 codes (reference/exam-departments.json), and the
 * merger's table (reference/provinces-2025.json) says which of the 34 provinces each belongs to.
 */
async function departmentNames(ctx: Ctx): Promise<DepartmentNames> {
  const [deps, provs] = await Promise.all([
    getReference<{ examDepartments: Array<{ code: string; name: string }> }>(ctx.db.read, 'exam-departments'),
    getReference<{ provinces: Array<{ statsCode: string; name: string; formerProvinces: Array<{ examCode: string }> }> }>(ctx.db.read, 'provinces-2025'),
  ]);
  const provinces = new Map<string, { code: string; name: string }>();
  for (const p of provs.provinces) for (const f of p.formerProvinces) provinces.set(f.examCode, { code: p.statsCode, name: p.name });
  return { names: new Map(deps.examDepartments.map((d) => [d.code, d.code === '65' ? d.name : `Sở GD&ĐT ${d.name}`])), provinces };
}

/** The unit asked for, within the actor's scope: its counter key and its name ('' for the nation). */
async function checkUnit(ctx: Ctx, level: StatsLevel, unit: string | undefined): Promise<{ key: string; name: string; parent?: { unit: string; name: string } }> {
  authorizeScope(ctx.actor, 'stats.read');
  if (level === 'national') {
    if (!can(ctx.actor, 'stats.read', { type: 'national' })) throw AppError.forbidden();
    return { key: '', name: '' };
  }
  if (!unit) throw new AppError('BAD_REQUEST', 'Thiếu đơn vị.', 'The unit is missing.', { code: 'UNIT_REQUIRED' });
  if (level === 'department') {
    if (!can(ctx.actor, 'stats.read', { type: 'org', orgUnitId: orgIdForCode(unit), orgKind: 'department', departmentCode: unit })) throw AppError.forbidden();
    // a department with candidates is named even without an organisation unit of its own
    return { key: unit, name: (await findOrgUnit(ctx.db.read, orgIdForCode(unit)))?.name ?? (await departmentNames(ctx)).names.get(unit) ?? `Sở GD&ĐT ${unit}` };
  }
  const p = await findOrgUnit(ctx.db.read, unit);
  if (!p || p.kind !== 'point' || !can(ctx.actor, 'stats.read', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode })) throw AppError.forbidden();
  const dept = p.departmentCode ? await findOrgUnit(ctx.db.read, orgIdForCode(p.departmentCode)) : undefined;
  return { key: p.id, name: p.name, ...(p.departmentCode ? { parent: { unit: p.departmentCode, name: dept?.name ?? p.departmentCode } } : {}) };
}

export async function statsSummary(ctx: Ctx, level: StatsLevel, unit?: string, yearNo?: number): Promise<z.infer<typeof summaryResponse>> {
  const { key: u, name, parent } = await checkUnit(ctx, level, unit);
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
    unitName: name,
    parent: parent ?? null,
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

/**
 * One row per child unit, every one of them (a province or a point with nothing yet shows its zeros):
 * the departments of the nation, or the points of a department, by code, each with its name.
 */
export async function statsBreakdown(ctx: Ctx, level: 'national' | 'department', unit?: string): Promise<z.infer<typeof breakdownResponse>> {
  const { key: u } = await checkUnit(ctx, level, unit);
  const year = await requireYear(ctx.db);
  const [rows, children, deps] = await Promise.all([
    readBreakdown(ctx.db.read, year.year, level === 'national' ? { level } : { level, departmentCode: u }, BREAKDOWN_METRICS),
    listChildren(ctx.db.read, orgIdForCode(level === 'national' ? 'BGD' : u)),
    level === 'national' ? departmentNames(ctx) : undefined,
  ]);
  // a department's counters are keyed by its code, a point's by its id
  const units = new Map<string, { code: string; name: string }>();
  for (const c of children) {
    if (c.kind !== (level === 'national' ? 'department' : 'point')) continue;
    units.set(level === 'national' ? c.code : c.id, { code: c.code, name: c.name });
  }
  const byUnit = new Map<string, Record<string, number>>([...units.keys()].map((k) => [k, {}]));
  for (const r of rows) {
    const e = byUnit.get(r.unit) ?? {};
    e[r.metric] = r.value;
    byUnit.set(r.unit, e);
  }
  const codeOf = (k: string) => units.get(k)?.code ?? k;
  // a unit with figures but no organisation unit (candidates counted under a department not set up) is
  // still named: from the reference list, else by its code in words
  const nameOf = (k: string) => units.get(k)?.name ?? (deps ? (deps.names.get(k) ?? `Sở GD&ĐT ${k}`) : k);
  return {
    examYear: year.year,
    items: [...byUnit.entries()]
      .sort(([a], [b]) => (codeOf(a) < codeOf(b) ? -1 : codeOf(a) > codeOf(b) ? 1 : 0))
      .map(([unitId, e]) => ({
        unit: unitId,
        code: codeOf(unitId),
        name: nameOf(unitId),
        accountsIssued: e['accounts.issued'] ?? 0,
        signedIn: e['accounts.signed_in'] ?? 0,
        dossiers: e['dossiers'] ?? 0,
        registered: e['registered'] ?? 0,
        online: e['registered.channel.online'] ?? 0,
        verified: e['status.verified'] ?? 0,
        returned: e['status.returned'] ?? 0,
        candidates: e['accounts'] ?? 0,
        province: deps?.provinces.get(codeOf(unitId)) ?? null,
      })),
  };
}

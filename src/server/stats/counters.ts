// Maintained statistics: every dossier and account change adds its difference to counters in the SAME
// transaction, so a dashboard reads a few hundred rows instead of scanning a million dossiers, and the
// numbers are never ahead of or behind the data. A change's effect is contributions(after) minus
// contributions(before); a full recount is the sum of contributions over all rows, so the two agree by
// construction (stats.test.ts hammers concurrent changes and compares them).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DossierSnapshot } from '../registration/events.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import { addCounterDeltas, pointDepartment, type CounterDelta } from './stats.repository.ts';

/** Department and national rows are spread over shards so PostgreSQL writers do not queue on one row. */
export const DEPARTMENT_SHARDS = 4;
export const NATIONAL_SHARDS = 8;

/** The local hour (Vietnam) of an instant, 'YYYY-MM-DDTHH': the bucket of the progress chart. */
export function localHour(iso: string): string {
  const l = instantToVietnamLocal(new Date(iso));
  return `${l.date}T${l.time.slice(0, 2)}`;
}

/** What one dossier counts for. Trial dossiers count apart (their data is wiped when the trial ends). */
export function dossierContributions(d: DossierSnapshot): string[] {
  if (d.isTrial) return ['trial.dossiers', ...(d.status !== 'draft' ? ['trial.registered'] : [])];
  const out = ['dossiers', `status.${d.status}`];
  // registered = submitted at least once: a returned or verified dossier is still a registration
  if (d.status !== 'draft') {
    out.push('registered', `registered.channel.${d.channel}`);
    if (d.purpose) out.push(`registered.purpose.${d.purpose}`);
    if (d.candidateType) out.push(`registered.type.${d.candidateType}`);
    if (d.subjectsCombo) {
      out.push(`registered.combo.${d.subjectsCombo}`);
      for (const s of new Set(d.subjectsCombo.split('+').filter(Boolean))) out.push(`registered.subject.${s}`);
    }
    if (d.flags.priorityClaimed) out.push('registered.priority');
    if (d.flags.exemptionClaimed) out.push('registered.exemption');
    if (d.submittedAt) out.push(`registered.hour.${localHour(d.submittedAt)}`);
  }
  return out;
}

/** What a candidate's account counts for. */
export interface AccountSnapshot {
  userId: string;
  examYear: number;
  pointId: string;
  status: 'not_issued' | 'active' | 'disabled';
  signedIn: boolean;
}

export function accountContributions(a: AccountSnapshot): string[] {
  const out = ['accounts'];
  if (a.status !== 'not_issued') out.push('accounts.issued');
  if (a.signedIn) out.push('accounts.signed_in');
  return out;
}

function diff(before: string[], after: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of after) m.set(k, (m.get(k) ?? 0) + 1);
  for (const k of before) m.set(k, (m.get(k) ?? 0) - 1);
  for (const [k, v] of m) if (v === 0) m.delete(k);
  return m;
}

function shardOf(id: string, shards: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % shards;
}

/** The rows to add for one record's change, at the three levels. */
export function deltasFor(
  recordId: string,
  where: Array<{ examYear: number; pointId: string; departmentCode: string; metrics: Map<string, number> }>,
): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (const w of where) {
    for (const [metric, value] of w.metrics) {
      out.push({ examYear: w.examYear, level: 'point', unit: w.pointId, metric, shard: 0, value });
      out.push({ examYear: w.examYear, level: 'department', unit: w.departmentCode, metric, shard: shardOf(recordId, DEPARTMENT_SHARDS), value });
      out.push({ examYear: w.examYear, level: 'national', unit: '', metric, shard: shardOf(recordId, NATIONAL_SHARDS), value });
    }
  }
  return out;
}

/** The dossier listener: registered once at start (registerStatsListeners). */
export async function countDossierChange(trx: Kysely<DB>, before: DossierSnapshot | null, after: DossierSnapshot | null): Promise<void> {
  const id = (after ?? before)!.id;
  const where: Parameters<typeof deltasFor>[1] = [];
  // A dossier moved to another point (or year) leaves its old place and joins the new one.
  if (before && after && (before.pointId !== after.pointId || before.examYear !== after.examYear)) {
    where.push({ examYear: before.examYear, pointId: before.pointId, departmentCode: before.departmentCode, metrics: diff(dossierContributions(before), []) });
    where.push({ examYear: after.examYear, pointId: after.pointId, departmentCode: after.departmentCode, metrics: diff([], dossierContributions(after)) });
  } else {
    const ref = (after ?? before)!;
    where.push({
      examYear: ref.examYear,
      pointId: ref.pointId,
      departmentCode: ref.departmentCode,
      metrics: diff(before ? dossierContributions(before) : [], after ? dossierContributions(after) : []),
    });
  }
  await addCounterDeltas(trx, deltasFor(id, where));
}

/**
 * For the accounts feature: call inside the transaction that issues, disables or signs in a candidate's
 * account (before = null for a new account, after = null for a deleted one).
 */
export async function onAccountChanged(trx: Kysely<DB>, before: AccountSnapshot | null, after: AccountSnapshot | null): Promise<void> {
  const ref = after ?? before;
  if (!ref) return;
  const where: Parameters<typeof deltasFor>[1] = [];
  if (before && after && (before.pointId !== after.pointId || before.examYear !== after.examYear)) {
    where.push({ examYear: before.examYear, pointId: before.pointId, departmentCode: await pointDepartment(trx, before.pointId), metrics: diff(accountContributions(before), []) });
    where.push({ examYear: after.examYear, pointId: after.pointId, departmentCode: await pointDepartment(trx, after.pointId), metrics: diff([], accountContributions(after)) });
  } else {
    const metrics = diff(before ? accountContributions(before) : [], after ? accountContributions(after) : []);
    if (metrics.size === 0) return;
    where.push({ examYear: ref.examYear, pointId: ref.pointId, departmentCode: await pointDepartment(trx, ref.pointId), metrics });
  }
  await addCounterDeltas(trx, deltasFor(ref.userId, where));
}

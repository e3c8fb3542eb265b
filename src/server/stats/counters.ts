// Maintained statistics: every dossier and account change adds its difference to counters in the SAME
// transaction, so a dashboard reads a few hundred rows instead of scanning a million dossiers, and the
// numbers are never ahead of or behind the data. A change's effect is contributions(after) minus
// contributions(before); a full recount is the sum of contributions over all rows, so the two agree by
// construction (stats.test.ts hammers concurrent changes and compares them).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DossierSnapshot } from '../dossiers/model.ts';
import type { DossierListener, TrialWipeListener } from '../dossiers/listeners.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import { addPointDeltas, COUNTER_WORK, pointDepartment, trialCountersDeletedPart, type PointDelta } from './stats.repository.ts';

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

/** The point deltas of one record's change (a move to another point leaves one and joins the other). */
export function pointDeltas(
  before: { examYear: number; pointId: string; departmentCode: string; metrics: string[] } | null,
  after: { examYear: number; pointId: string; departmentCode: string; metrics: string[] } | null,
): PointDelta[] {
  const out: PointDelta[] = [];
  const push = (w: { examYear: number; pointId: string; departmentCode: string }, m: Map<string, number>) => {
    for (const [metric, value] of m) out.push({ examYear: w.examYear, pointId: w.pointId, departmentCode: w.departmentCode, metric, value });
  };
  if (before && after && (before.pointId !== after.pointId || before.examYear !== after.examYear)) {
    push(before, diff(before.metrics, []));
    push(after, diff([], after.metrics));
  } else {
    const ref = (after ?? before)!;
    push(ref, diff(before?.metrics ?? [], after?.metrics ?? []));
  }
  return out;
}

const contributionsOf = (d: DossierSnapshot) => ({ examYear: d.examYear, pointId: d.pointId, departmentCode: d.departmentCode, metrics: dossierContributions(d) });

/** The dossier listener: the change's difference to its point's counters, rolled up and written at commit. */
export const countOnDossierChange: DossierListener = (before, after) => {
  const deltas = pointDeltas(before ? contributionsOf(before) : null, contributionsOf(after));
  return deltas.length > 0 ? { atCommit: [{ work: COUNTER_WORK, value: deltas }] } : null;
};

/** The trial's dossiers are deleted in bulk: its counters go with them. */
export const countOnTrialWiped: TrialWipeListener = (wiped) => ({ parts: [trialCountersDeletedPart(wiped.examYear)] });

/**
 * For the accounts feature: call inside the transaction that issues, disables or signs in a candidate's
 * account (before = null for a new account, after = null for a deleted one).
 */
export async function onAccountChanged(trx: Kysely<DB>, before: AccountSnapshot | null, after: AccountSnapshot | null): Promise<void> {
  const ref = after ?? before;
  if (!ref) return;
  const place = async (a: AccountSnapshot) => ({ examYear: a.examYear, pointId: a.pointId, departmentCode: await pointDepartment(trx, a.pointId), metrics: accountContributions(a) });
  await addPointDeltas(trx, pointDeltas(before ? await place(before) : null, after ? await place(after) : null));
}

/** Many accounts' changes at once (an import, an issuance): one department look-up per point, one delta list. */
export async function onAccountsChanged(trx: Kysely<DB>, changes: readonly { before: AccountSnapshot | null; after: AccountSnapshot | null }[]): Promise<void> {
  const departments = new Map<string, string>();
  const departmentOf = async (pointId: string) => {
    let d = departments.get(pointId);
    if (d === undefined) departments.set(pointId, (d = await pointDepartment(trx, pointId)));
    return d;
  };
  const place = async (a: AccountSnapshot) => ({ examYear: a.examYear, pointId: a.pointId, departmentCode: await departmentOf(a.pointId), metrics: accountContributions(a) });
  const deltas: PointDelta[] = [];
  for (const c of changes) {
    if (!c.before && !c.after) continue;
    deltas.push(...pointDeltas(c.before ? await place(c.before) : null, c.after ? await place(c.after) : null));
  }
  await addPointDeltas(trx, deltas);
}

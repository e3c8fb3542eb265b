// The registration point's decisions on a dossier: verify (one or many) and return for correction with a
// reason the candidate sees; and numbering the point's registered dossiers for signature. Each decision is a
// compare-and-set on the version with its history entry, audit entry, counters and notification in one write
// unit, so a candidate's edit racing a verification is decided by the version: the loser gets 412.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { versionConflict } from '../http/etag.ts';
import { newId } from '../ids.ts';
import { auditPart, appendAudit } from '../audit/audit.repository.ts';
import { authorize } from '../policy/policy.ts';
import { findOrgUnit } from '../org/org.repository.ts';
import { maskId } from '../../domain/cccd.ts';
import { transition, type DossierStatus } from '../../domain/lifecycle.ts';
import { actorKindOf, loadTarget, refusal, requireUser, requireYear, type Loaded } from './access.ts';
import { commit, snapshotOf, type DossierDeps } from './commit.ts';
import { dossierUpdatePart, dossiersWithoutFormNumber, findVersionAndData, reserveFormNumbers, setFormNumber } from './dossier.repository.ts';
import type { StoredDossier } from './model.ts';

export interface Decision {
  dossierId: string;
  status: DossierStatus;
  version: number;
}

async function conflict(ctx: Ctx, d: StoredDossier): Promise<AppError> {
  const cur = await findVersionAndData(ctx.db.read, d.id);
  return versionConflict(cur ?? d);
}

async function decide(ctx: Ctx, deps: DossierDeps, l: Loaded & { dossier: StoredDossier }, expectedVersion: number, event: 'verify' | 'return', reason?: string): Promise<Decision> {
  const d = l.dossier;
  const r = transition(d.status, event, { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official, ...(reason !== undefined ? { reason } : {}) });
  if (!r.ok) throw refusal(r.finding);
  if (expectedVersion !== d.version) throw await conflict(ctx, d);
  const ts = ctx.now.toISOString();
  const to = r.status;
  const after = { ...d, status: to, version: d.version + 1 };
  const written = await commit(ctx.db, deps, {
    primary: dossierUpdatePart(d.id, d.version, event === 'verify' ? { status: to, verifiedAt: ts } : { status: to, returnedAt: ts, returnReason: reason ?? null }, ctx.now),
    event: { id: newId(), dossierId: d.id, at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, event, fromStatus: d.status, toStatus: to, version: after.version, reason: reason ?? null },
    parts: [
      auditPart(
        {
          action: event === 'verify' ? 'dossier.verified' : 'dossier.returned',
          actor: l.actor,
          targetType: 'dossier',
          targetId: d.id,
          departmentCode: d.departmentCode,
          ip: ctx.ip,
          details: { candidate: maskId(l.candidate.idNumber), from: d.status, to, version: after.version, ...(reason ? { reason } : {}) },
        },
        ctx.now,
      ),
    ],
    before: snapshotOf(d),
    after: snapshotOf(after),
    change: { kind: event === 'verify' ? 'verified' : 'returned', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, candidateUserId: l.candidate.userId, reason: reason ?? null },
  });
  if (!written) throw await conflict(ctx, d);
  return { dossierId: d.id, status: to, version: after.version };
}

async function loadForDecision(ctx: Ctx, dossierId: string, action: 'dossier.verify' | 'dossier.return') {
  const l = await loadTarget(ctx, { kind: 'id', dossierId }, action);
  return l as Loaded & { dossier: StoredDossier };
}

export async function verifyDossier(ctx: Ctx, deps: DossierDeps, dossierId: string, expectedVersion: number): Promise<Decision> {
  return decide(ctx, deps, await loadForDecision(ctx, dossierId, 'dossier.verify'), expectedVersion, 'verify');
}

export async function returnDossier(ctx: Ctx, deps: DossierDeps, dossierId: string, expectedVersion: number, reason: string): Promise<Decision> {
  return decide(ctx, deps, await loadForDecision(ctx, dossierId, 'dossier.return'), expectedVersion, 'return', reason.normalize('NFC').trim());
}

export type BulkOutcome = (Decision & { ok: true }) | { ok: false; dossierId: string; code: string; status: number; vi: string; en: string; currentVersion?: number };

/** Verifies each item on its own: one stale or refused item does not stop the others. */
export async function verifyDossiers(ctx: Ctx, deps: DossierDeps, items: Array<{ dossierId: string; version: number }>): Promise<BulkOutcome[]> {
  return Promise.all(
    items.map(async (it): Promise<BulkOutcome> => {
      try {
        return { ok: true, ...(await verifyDossier(ctx, deps, it.dossierId, it.version)) };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const cur = e.details?.['version'];
        return { ok: false, dossierId: it.dossierId, code: e.code, status: e.status, vi: e.vi, en: e.en, ...(typeof cur === 'number' ? { currentVersion: cur } : {}) };
      }
    }),
  );
}

/**
 * Gives every registered dossier of a point that has none a form number, in Vietnamese name order:
 * `<point code>-<serial>` from the point's own sequence. Numbers are never reused.
 */
export async function assignFormNumbers(ctx: Ctx, pointId: string): Promise<{ assigned: number; first: string | null; last: string | null }> {
  const actor = requireUser(ctx);
  const point = await findOrgUnit(ctx.db.read, pointId);
  if (!point || point.kind !== 'point') throw AppError.notFound('point');
  authorize(actor, 'dossier.verify', { type: 'candidate', userId: '', pointId: point.id, departmentCode: point.departmentCode ?? '' });
  const year = await requireYear(ctx.db);
  return ctx.db.write(async (trx) => {
    const list = await dossiersWithoutFormNumber(trx, point.id, year.year);
    if (list.length === 0) return { assigned: 0, first: null, last: null };
    const start = await reserveFormNumbers(trx, point.id, year.year, list.length);
    const numbers = list.map((_, i) => `${point.code}-${String(start + i).padStart(5, '0')}`);
    for (let i = 0; i < list.length; i++) await setFormNumber(trx, list[i]!.id, numbers[i]!, ctx.now);
    await appendAudit(trx, { action: 'dossier.form_numbers_assigned', actor, targetType: 'org', targetId: point.id, departmentCode: point.departmentCode, ip: ctx.ip, details: { count: list.length, first: numbers[0], last: numbers[numbers.length - 1] } }, ctx.now);
    return { assigned: list.length, first: numbers[0]!, last: numbers[numbers.length - 1]! };
  });
}

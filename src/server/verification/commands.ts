// The registration point's commands on a dossier: verify (one or many), return for correction with a
// reason the candidate sees, correct personal data after the window (audited before and after), and
// assign form numbers. Each is a compare-and-set on the dossier's version inside one write transaction
// with its history, audit entry, counters and notifications (through registration's dossier hook), so a
// candidate's edit racing a verification is decided by the version: the loser gets 412.
import type { Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { versionConflict } from '../http/etag.ts';
import { authorize, authorizeScope, type Actor, type UserActor } from '../policy/policy.ts';
import { currentExamYearCached, findExamYear, type StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { phaseAt, type Phase } from '../../domain/exam-year.ts';
import { transition, pointMayCorrectSection, type ActorKind, type DossierEvent as LifecycleEvent, type DossierStatus } from '../../domain/lifecycle.ts';
import { SECTION_SCHEMAS, zodIssuesToFindings, type Dossier, type SectionId } from '../../domain/dossier.ts';
import { maskId } from '../../domain/cccd.ts';
import { normaliseName, foldDiacritics, splitName } from '../../domain/names.ts';
import { nameSortKey } from '../../domain/sort-key.ts';
import { newId } from '../ids.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findDossierById, insertDossierEvent, updateDossierIfVersion, type CandidateRef, type StoredDossier } from '../registration/registration.repository.ts';
import { onDossierChanged } from '../registration/events.ts';
import { snapshotOf } from '../registration/save-section.ts';
import { refusal } from '../registration/dossier-access.ts';
import { dossierContext } from '../registration/dossier-context.ts';
import { filtersOf, summarise } from '../registration/dossier-view.ts';
import { changeStatusIfVersion, currentVersion, dossiersWithoutFormNumber, reserveFormNumbers, setFormNumber } from './verification.repository.ts';
import { findOrgUnit } from '../org/org.repository.ts';

export interface BackOfficeCtx {
  db: Db;
  actor: Actor;
  now: Date;
  log: Logger;
}

const ACTOR_KIND: Partial<Record<UserActor['role'], ActorKind>> = { point_officer: 'point', department_officer: 'department', ministry_admin: 'ministry', support_agent: 'support' };

export async function requireYear(db: Db, year?: number): Promise<StoredExamYear> {
  const y = year === undefined ? await currentExamYearCached(db.read) : await findExamYear(db.read, year);
  if (!y) throw new AppError('NOT_FOUND', 'Chưa có kỳ thi nào được công bố.', 'No exam year has been published.', { code: 'NO_EXAM_YEAR' });
  return y;
}


interface LoadedDossier {
  actor: UserActor;
  year: StoredExamYear;
  phase: Phase;
  candidate: CandidateRef;
  dossier: StoredDossier;
}

/** Loads a dossier by id and checks `action` on its candidate: 404 before 403 never tells more than 403. */
async function load(ctx: BackOfficeCtx, dossierId: string, action: 'dossier.verify' | 'dossier.return' | 'dossier.correct'): Promise<LoadedDossier> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  authorizeScope(ctx.actor, action);
  const found = await findDossierById(ctx.db.read, dossierId);
  // another point's dossier answers exactly like a missing one: ids do not reveal what exists elsewhere
  if (!found) throw AppError.notFound('dossier');
  try {
    authorize(ctx.actor, action, { type: 'candidate', userId: found.candidate.userId, pointId: found.candidate.pointId, departmentCode: found.candidate.departmentCode });
  } catch (e) {
    if (e instanceof AppError && e.kind === 'FORBIDDEN') throw AppError.notFound('dossier');
    throw e;
  }
  const year = await requireYear(ctx.db, found.dossier.examYear);
  return { actor: ctx.actor, year, phase: phaseAt(year, ctx.now), candidate: found.candidate, dossier: found.dossier };
}

function decide(l: LoadedDossier, event: LifecycleEvent, reason?: string): DossierStatus {
  const actorKind = ACTOR_KIND[l.actor.role];
  if (!actorKind) throw AppError.forbidden();
  const r = transition(l.dossier.status, event, { actorKind, phase: l.phase, officialWindow: l.year.windows.official, ...(reason !== undefined ? { reason } : {}) });
  if (!r.ok) throw refusal(r.finding);
  return r.status;
}

async function conflict(db: Kysely<DB>, dossierId: string, fallback: StoredDossier): Promise<AppError> {
  const cur = await currentVersion(db, dossierId);
  return versionConflict({ version: cur?.version ?? fallback.version, data: { status: cur?.status ?? fallback.status } });
}

export interface StatusResult {
  dossierId: string;
  status: DossierStatus;
  version: number;
}

async function applyStatus(ctx: BackOfficeCtx, l: LoadedDossier, expectedVersion: number, to: DossierStatus, event: 'verify' | 'return', reason?: string): Promise<StatusResult> {
  const d = l.dossier;
  if (expectedVersion !== d.version) throw await conflict(ctx.db.read, d.id, d);
  const ts = ctx.now.toISOString();
  return ctx.db.write(async (trx) => {
    const ok = await changeStatusIfVersion(
      trx,
      d.id,
      expectedVersion,
      d.status,
      event === 'verify' ? { status: to, verifiedAt: ts } : { status: to, returnedAt: ts, returnReason: reason ?? null },
      ctx.now,
    );
    if (!ok) throw await conflict(trx, d.id, d);
    const version = expectedVersion + 1;
    await insertDossierEvent(trx, {
      id: newId(),
      dossierId: d.id,
      at: ctx.now,
      actorId: l.actor.userId,
      actorRole: l.actor.role,
      event,
      fromStatus: d.status,
      toStatus: to,
      version,
      reason: reason ?? null,
    });
    await appendAudit(
      trx,
      {
        action: event === 'verify' ? 'dossier.verified' : 'dossier.returned',
        actor: l.actor,
        targetType: 'dossier',
        targetId: d.id,
        departmentCode: d.departmentCode,
        details: { candidate: maskId(l.candidate.idNumber), from: d.status, to, version, ...(reason ? { reason } : {}) },
      },
      ctx.now,
    );
    const before = snapshotOf(d);
    await onDossierChanged(trx, before, { ...before, status: to, version }, { kind: event === 'verify' ? 'verified' : 'returned', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role });
    return { dossierId: d.id, status: to, version };
  });
}

export async function verifyDossier(ctx: BackOfficeCtx, dossierId: string, expectedVersion: number): Promise<StatusResult> {
  const l = await load(ctx, dossierId, 'dossier.verify');
  const to = decide(l, 'verify');
  return applyStatus(ctx, l, expectedVersion, to, 'verify');
}

export type BulkOutcome = (StatusResult & { ok: true }) | { ok: false; dossierId: string; code: string; status: number; vi: string; en: string; currentVersion?: number };

/** Verifies each item on its own: one stale or refused item does not stop the others. */
export async function verifyDossiers(ctx: BackOfficeCtx, items: Array<{ dossierId: string; version: number }>): Promise<BulkOutcome[]> {
  return Promise.all(
    items.map(async (it): Promise<BulkOutcome> => {
      try {
        return { ok: true, ...(await verifyDossier(ctx, it.dossierId, it.version)) };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const cur = e.details?.['version'];
        return { ok: false, dossierId: it.dossierId, code: e.code, status: e.status, vi: e.vi, en: e.en, ...(typeof cur === 'number' ? { currentVersion: cur } : {}) };
      }
    }),
  );
}

export async function returnDossier(ctx: BackOfficeCtx, dossierId: string, expectedVersion: number, reason: string): Promise<StatusResult> {
  const l = await load(ctx, dossierId, 'dossier.return');
  const clean = reason.normalize('NFC').trim();
  const to = decide(l, 'return', clean);
  return applyStatus(ctx, l, expectedVersion, to, 'return', clean);
}

export type CorrectableSection = 'personal' | 'contact' | 'residence' | 'priority';

/**
 * After the window: the point corrects personal data on the candidate's behalf. Each section is checked
 * with the shared schema; the history and the audit log keep the sections before and after.
 */
export async function correctDossier(
  ctx: BackOfficeCtx,
  dossierId: string,
  expectedVersion: number,
  patch: Partial<Record<CorrectableSection, unknown>>,
  reason: string,
): Promise<StatusResult> {
  const l = await load(ctx, dossierId, 'dossier.correct');
  decide(l, 'correct');
  const clean = reason.normalize('NFC').trim();
  if (clean === '') throw AppError.validation([{ code: 'REASON_REQUIRED', field: 'reason', severity: 'error', vi: 'Hãy ghi lý do điều chỉnh.', en: 'Give the reason for the correction.' }]);
  const sections = Object.keys(patch) as CorrectableSection[];
  if (sections.length === 0) throw AppError.validation([{ code: 'NOTHING_TO_CORRECT', field: 'sections', severity: 'error', vi: 'Không có mục nào để điều chỉnh.', en: 'Nothing to correct.' }]);
  const data: Partial<Dossier> = { ...l.dossier.data };
  const findings = [];
  for (const s of sections) {
    if (!pointMayCorrectSection(s, l.phase)) throw AppError.forbidden();
    const parsed = SECTION_SCHEMAS[s as SectionId].safeParse(patch[s]);
    if (!parsed.success) findings.push(...zodIssuesToFindings(s, parsed.error.issues, patch[s]));
    else (data as Record<string, unknown>)[s] = parsed.data;
  }
  if (findings.length > 0) throw AppError.validation(findings);
  if (expectedVersion !== l.dossier.version) throw await conflict(ctx.db.read, l.dossier.id, l.dossier);
  const dctx = await dossierContext(ctx.db.read, l.year, ctx.now);
  const summary = summarise(data, dctx);
  const blocking = summary.findings.filter((f) => f.severity === 'error' && sections.some((s) => f.field === s || f.field.startsWith(`${s}.`) || f.field.startsWith(`${s}[`)));
  if (blocking.length > 0) throw AppError.validation(blocking);
  const filters = filtersOf(data, summary, l.candidate, l.dossier.filters.photoMissing);
  const before = Object.fromEntries(sections.map((s) => [s, l.dossier.data[s as SectionId] ?? null]));
  const after = Object.fromEntries(sections.map((s) => [s, data[s as SectionId] ?? null]));
  return ctx.db.write(async (trx) => {
    const ok = await updateDossierIfVersion(trx, l.dossier.id, expectedVersion, { data, filters }, ctx.now);
    if (!ok) throw await conflict(trx, l.dossier.id, l.dossier);
    const version = expectedVersion + 1;
    // a corrected name must also re-sort and re-fold the candidate row the lists search and sort on
    const newName = data.personal?.fullName;
    if (newName && normaliseName(newName) !== l.candidate.fullName) {
      const full = normaliseName(newName);
      const parts = splitName(full);
      await trx
        .updateTable('candidates')
        .set({ full_name: full, family_name: parts.family, middle_name: parts.middle, given_name: parts.given, name_folded: foldDiacritics(full), sort_key: nameSortKey(full), updated_at: ctx.now.toISOString() })
        .where('id', '=', l.candidate.id)
        .execute();
    }
    await insertDossierEvent(trx, {
      id: newId(),
      dossierId: l.dossier.id,
      at: ctx.now,
      actorId: l.actor.userId,
      actorRole: l.actor.role,
      event: 'correct',
      fromStatus: l.dossier.status,
      toStatus: l.dossier.status,
      version,
      sections,
      before,
      after,
      reason: clean,
    });
    await appendAudit(
      trx,
      {
        action: 'dossier.corrected',
        actor: l.actor,
        targetType: 'dossier',
        targetId: l.dossier.id,
        departmentCode: l.dossier.departmentCode,
        // the full before/after lives in the dossier's history; the audit trail names what changed, masked
        details: { candidate: maskId(l.candidate.idNumber), sections, version, reason: clean },
      },
      ctx.now,
    );
    const snapBefore = snapshotOf(l.dossier);
    const snapAfter = snapshotOf({ ...l.dossier, version, filters });
    await onDossierChanged(trx, snapBefore, snapAfter, { kind: 'corrected', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, sections });
    return { dossierId: l.dossier.id, status: l.dossier.status, version };
  });
}

/**
 * Gives every registered dossier of a point that has none a form number, in Vietnamese name order:
 * `<point code>-<serial>` from the point's own sequence. Numbers are never reused.
 */
export async function assignFormNumbers(ctx: BackOfficeCtx, pointId: string): Promise<{ assigned: number; first: string | null; last: string | null }> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const point = await findOrgUnit(ctx.db.read, pointId);
  if (!point || point.kind !== 'point') throw AppError.notFound('point');
  authorize(ctx.actor, 'dossier.verify', { type: 'candidate', userId: '', pointId: point.id, departmentCode: point.departmentCode ?? '' });
  const year = await requireYear(ctx.db);
  const actor = ctx.actor;
  return ctx.db.write(async (trx) => {
    const list = await dossiersWithoutFormNumber(trx, point.id, year.year);
    if (list.length === 0) return { assigned: 0, first: null, last: null };
    const start = await reserveFormNumbers(trx, point.id, year.year, list.length);
    const numbers = list.map((_, i) => `${point.code}-${String(start + i).padStart(5, '0')}`);
    for (let i = 0; i < list.length; i++) await setFormNumber(trx, list[i]!.id, numbers[i]!, ctx.now);
    await appendAudit(trx, { action: 'dossier.form_numbers_assigned', actor, targetType: 'org', targetId: point.id, departmentCode: point.departmentCode, details: { count: list.length, first: numbers[0], last: numbers[numbers.length - 1] } }, ctx.now);
    return { assigned: list.length, first: numbers[0]!, last: numbers[numbers.length - 1]! };
  });
}

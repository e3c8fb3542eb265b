// Saving as you go: one or several sections of the dossier, written in ONE db.write with a compare-and-set
// on the version (If-Match), so a stale tab gets 412 and never overwrites silently. The rules run before
// the write, outside the transaction: the write itself is two statements and the change hook.
import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import { preconditionRequired, versionConflict } from '../http/etag.ts';
import { newId } from '../ids.ts';
import {
  SECTION_SCHEMAS,
  isSectionId,
  normaliseSection,
  validateSection,
  zodIssuesToFindings,
  type Dossier,
  type SectionId,
} from '../../domain/dossier.ts';
import { pointMayCorrectSection, transition, type DossierEvent } from '../../domain/lifecycle.ts';
import { hasErrors, type Finding } from '../../domain/messages.ts';
import { dossierContext } from './dossier-context.ts';
import { actorKindOf, loadTarget, refusal, type DossierTarget, type Loaded, type RegistrationCtx } from './dossier-access.ts';
import { filtersOf, rememberSummary, summarise, viewOf, type DossierView } from './dossier-view.ts';
import { findDossierById, findCandidateDossierByUser, insertDossier, insertDossierEvent, updateDossierWithEvent, type StoredDossier } from './registration.repository.ts';
import { onDossierChanged, type DossierSnapshot } from './events.ts';
import { appendAudit } from '../audit/audit.repository.ts';

const AnySections = z.strictObject(SECTION_SCHEMAS).partial();

export interface SaveInput {
  target: DossierTarget;
  /** section id → value, as sent */
  sections: unknown;
  /** the version from If-Match; undefined when the header was missing */
  ifMatch: number | undefined;
  /** corrections after the window: why (shown in the history and the audit log) */
  reason?: string;
}

export interface SaveResult {
  dossier: DossierView;
  saved: SectionId[];
  /** warnings about the saved sections (e.g. the CCCD cross-check): shown, never blocking */
  warnings: Finding[];
}

class Conflict extends Error {}

export function snapshotOf(d: StoredDossier): DossierSnapshot {
  return {
    id: d.id,
    candidateId: d.candidateId,
    examYear: d.examYear,
    isTrial: d.isTrial,
    status: d.status,
    version: d.version,
    pointId: d.pointId,
    departmentCode: d.departmentCode,
    channel: d.channel,
    subjectsCombo: d.filters.subjectsCombo,
    purpose: d.filters.purpose,
    candidateType: d.filters.candidateType,
    flags: {
      cccdMismatch: d.filters.cccdMismatch,
      photoMissing: d.filters.photoMissing,
      exemptionClaimed: d.filters.exemptionClaimed,
      priorityClaimed: d.filters.priorityClaimed,
    },
    submittedAt: d.submittedAt,
  };
}

/** The dossier's current version and data, for a 412 body. */
export async function currentState(ctx: RegistrationCtx, l: Pick<Loaded, 'candidate' | 'isTrial' | 'year'>, dossierId: string | null): Promise<{ version: number; data: Partial<Dossier> }> {
  const d = dossierId
    ? (await findDossierById(ctx.db.read, dossierId))?.dossier
    : ((await findCandidateDossierByUser(ctx.db.read, l.candidate.userId, l.year.year, l.isTrial))?.dossier ?? undefined);
  return d ? { version: d.version, data: d.data } : { version: 0, data: {} };
}

/** A dossier of another year, or a trial dossier once the trial is over, is no longer written to. */
export function assertWritableWindow(l: Loaded): void {
  if (l.dossier && l.dossier.examYear !== l.year.year) {
    throw new AppError('CONFLICT', 'Hồ sơ này thuộc kỳ thi năm khác.', 'This dossier belongs to another exam year.', { code: 'OTHER_EXAM_YEAR' });
  }
  if (l.dossier && l.dossier.isTrial && l.phase !== 'trial') {
    throw new AppError('CONFLICT', 'Đợt đăng ký thử đã kết thúc; hồ sơ thử không còn được sửa.', 'The trial is over; trial dossiers can no longer be changed.', {
      code: 'TRIAL_OVER',
    });
  }
}

/** Parses and checks the sections against the rules and the rest of the dossier; throws 400 with every finding. */
export function checkSections(
  body: unknown,
  existing: Partial<Dossier>,
  dctx: Parameters<typeof validateSection>[2],
): { merged: Partial<Dossier>; changed: SectionId[]; warnings: Finding[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw AppError.validation([{ code: 'INVALID_TYPE', field: '', severity: 'error', vi: 'Dữ liệu gửi lên phải là một đối tượng các mục hồ sơ.', en: 'The body must be an object of dossier sections.' }]);
  }
  const parsed = AnySections.safeParse(body);
  if (!parsed.success) throw AppError.validation(zodIssuesToFindings('', parsed.error.issues, body));
  const changed = Object.keys(parsed.data).filter(isSectionId);
  if (changed.length === 0) {
    throw AppError.validation([{ code: 'REQUIRED', field: '', severity: 'error', vi: 'Không có mục nào để lưu.', en: 'Nothing to save.' }]);
  }
  const merged: Partial<Dossier> = { ...existing, ...parsed.data };
  const findings: Finding[] = [];
  for (const id of changed) findings.push(...validateSection(id, merged[id], dctx, merged));
  if (hasErrors(findings)) throw AppError.validation(findings);
  const normalised: Partial<Dossier> = { ...existing };
  for (const id of changed) (normalised as Record<string, unknown>)[id] = normaliseSection(id, merged[id] as never);
  return { merged: normalised, changed, warnings: findings };
}

/**
 * The shared write: `edit` (candidates in their window, points typing in a paper form) or `correct`
 * (a point after the window: personal sections only, audited with before and after).
 */
export async function writeSections(ctx: RegistrationCtx, l: Loaded, input: SaveInput, event: Extract<DossierEvent, 'edit' | 'correct'>): Promise<SaveResult> {
  const current = l.dossier;
  if (input.ifMatch === undefined) throw preconditionRequired({ version: current?.version ?? 0 });
  assertWritableWindow(l);

  if (event === 'correct') {
    // frozen sections are refused before their content is even looked at
    const asked = input.sections && typeof input.sections === 'object' ? Object.keys(input.sections).filter(isSectionId) : [];
    const frozen = asked.filter((s) => !pointMayCorrectSection(s, l.phase));
    if (frozen.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        'Sau khi khóa đăng ký, điểm tiếp nhận chỉ sửa thông tin cá nhân, liên hệ, nơi thường trú và ưu tiên; môn thi và diện dự thi đã khóa.',
        'After the close a point corrects only personal, contact, residence and priority data; subjects and status are frozen.',
        { code: 'SECTION_FROZEN', details: { sections: frozen } },
      );
    }
    if (!current) throw AppError.notFound('dossier');
  }

  // who may write now (the window, the status) is decided before the content: at 17:00:00 the answer is
  // "the window closed", whatever the body holds
  const early = transition(current?.status ?? 'draft', event, { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official });
  if (!early.ok) throw refusal(early.finding);

  const dctx = await dossierContext(ctx.db.read, l.year, ctx.now);
  const { merged, changed, warnings } = checkSections(input.sections, current?.data ?? {}, dctx);

  const summary = summarise(merged, dctx);
  const from = current?.status ?? 'draft';
  const t = transition(from, event, { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official, dossierValid: summary.errors === 0 });
  if (!t.ok) throw refusal(t.finding, summary.findings.filter((f) => f.severity === 'error'));

  if (current && current.version !== input.ifMatch) throw versionConflict(current);
  if (!current && input.ifMatch !== 0) throw versionConflict({ version: 0, data: {} });

  const filters = filtersOf(merged, summary, l.candidate, current ? current.filters.photoMissing : true);
  const id = current?.id ?? newId();
  const nextVersion = (current?.version ?? 0) + 1;
  const reason = input.reason?.normalize('NFC').trim() || null;
  const before = Object.fromEntries(changed.map((s) => [s, current?.data[s] ?? null]));
  const after = Object.fromEntries(changed.map((s) => [s, merged[s] ?? null]));
  const stored: StoredDossier = current
    ? { ...current, status: t.status, version: nextVersion, data: merged, filters, updatedAt: ctx.now.toISOString() }
    : {
        id,
        candidateId: l.candidate.id,
        examYear: l.year.year,
        isTrial: l.isTrial,
        status: t.status,
        version: 1,
        data: merged,
        pointId: l.candidate.pointId,
        departmentCode: l.candidate.departmentCode,
        formNumber: null,
        channel: 'online',
        submittedAt: null,
        verifiedAt: null,
        returnedAt: null,
        returnReason: null,
        createdAt: ctx.now.toISOString(),
        updatedAt: ctx.now.toISOString(),
        filters,
        deskDocuments: null,
      };

  try {
    await ctx.db.write(async (trx) => {
      const record = {
        id: newId(),
        dossierId: id,
        at: ctx.now,
        actorId: l.actor.userId,
        actorRole: l.actor.role,
        event: current ? event : 'create',
        fromStatus: current?.status ?? null,
        toStatus: t.status,
        version: nextVersion,
        sections: changed,
        before,
        after,
        reason,
      };
      if (current) {
        if (!(await updateDossierWithEvent(trx, id, current.version, { status: t.status, data: merged, filters }, ctx.now, record))) throw new Conflict();
      } else {
        const ok = await insertDossier(
          trx,
          { id, candidateId: l.candidate.id, examYear: l.year.year, isTrial: l.isTrial, status: 'draft', data: merged, pointId: l.candidate.pointId, departmentCode: l.candidate.departmentCode, channel: 'online', submittedAt: null, filters },
          ctx.now,
        );
        if (!ok) throw new Conflict();
        await insertDossierEvent(trx, record);
      }
      if (event === 'correct') {
        // The audit trail names the fields, not their values (personal data stays in the dossier history).
        await appendAudit(
          trx,
          { action: 'dossier.correct', actor: l.actor, targetType: 'dossier', targetId: id, departmentCode: l.candidate.departmentCode, details: { sections: changed, version: nextVersion, reason } },
          ctx.now,
        );
      }
      await onDossierChanged(trx, current ? snapshotOf(current) : null, snapshotOf(stored), {
        kind: event === 'correct' ? 'corrected' : current ? 'edited' : 'created',
        at: ctx.now,
        actorId: l.actor.userId,
        actorRole: l.actor.role,
        sections: changed,
      });
    });
  } catch (e) {
    if (e instanceof Conflict) throw versionConflict(await currentState(ctx, l, current?.id ?? null));
    throw e;
  }
  // committed: this version's summary is known, the next read or submit need not validate again
  rememberSummary(id, nextVersion, dctx, summary);

  const view = viewOf(l.candidate, stored, summary, { examYear: l.year.year, isTrial: stored.isTrial, phase: l.phase, mayEdit: true });
  return { dossier: view, saved: changed, warnings: warnings.filter((f) => f.severity === 'warning') };
}

/** A candidate (or a point in the window) saves sections. After the window a point's save is a correction. */
export async function saveSections(ctx: RegistrationCtx, input: SaveInput): Promise<SaveResult> {
  const l = await loadTarget(ctx, input.target, (phase) => (phase === 'correction' && ctx.actor.kind === 'user' && ctx.actor.role !== 'candidate' ? 'dossier.correct' : 'dossier.edit'));
  const event = l.actor.role !== 'candidate' && l.phase === 'correction' ? 'correct' : 'edit';
  return writeSections(ctx, l, input, event);
}

/** One section: the body is the section's value. */
export async function saveSection(ctx: RegistrationCtx, input: Omit<SaveInput, 'sections'> & { sectionId: string; value: unknown }): Promise<SaveResult> {
  if (!isSectionId(input.sectionId)) {
    throw new AppError('NOT_FOUND', `Không có mục hồ sơ “${input.sectionId}”.`, `There is no dossier section “${input.sectionId}”.`, { code: 'UNKNOWN_SECTION' });
  }
  return saveSections(ctx, { target: input.target, ifMatch: input.ifMatch, reason: input.reason, sections: { [input.sectionId]: input.value } });
}

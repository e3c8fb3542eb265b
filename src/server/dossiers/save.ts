// Saving as you go, and correcting after the window. A save writes one or several sections with a
// compare-and-set on the version (If-Match), so a stale tab gets 412 and never overwrites silently; the
// rules run before the write and only on the sections the save can affect. A correction is the point's
// change of personal data after 17:00 on the closing day: only personal, contact, residence and priority,
// always with a reason (the domain's lifecycle says so), kept with before and after in the history and
// named in the audit log; a corrected name also re-sorts the candidate in every list. It is the one way a
// dossier changes after the window: a save in the correction phase is refused.
import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { preconditionRequired, versionConflict } from '../http/etag.ts';
import { newId } from '../ids.ts';
import { auditPart } from '../audit/audit.repository.ts';
import { maskId } from '../../domain/cccd.ts';
import { DOSSIER_SECTIONS, SECTION_SCHEMAS, checkParsedSection, holdsClaim, isSectionId, sectionApplies, normaliseSection, zodIssuesToFindings, type Dossier, type SectionId } from '../../domain/dossier.ts';
import { pointMayCorrectSection, transition, type DossierEvent as LifecycleEvent } from '../../domain/lifecycle.ts';
import { hasErrors, type Finding } from '../../domain/messages.ts';
import { foldDiacritics, normaliseName, splitName } from '../../domain/names.ts';
import { nameSortKey } from '../../domain/sort-key.ts';
import type { UnitPart } from '../db/write-unit.ts';
import { actorKindOf, assertWritable, loadTarget, refusal, type DossierTarget, type Loaded, type OwnRead } from './access.ts';
import { commit, snapshotOf, type DossierDeps } from './commit.ts';
import { candidateNamePart, dossierInsertPart, dossierUpdatePart, findVersionAndData } from './dossier.repository.ts';
import { filtersOf, rulesContext, storedSummary, verdictAfterSave, type RulesContext, type Summary } from './rules.ts';
import { mayEdit, savedJson } from './present.ts';
import { newStoredDossier, type StoredDossier } from './model.ts';

const AnySections = z.strictObject(SECTION_SCHEMAS).partial();

export interface SaveInput {
  target: DossierTarget;
  /** section id → value, as sent */
  sections: unknown;
  /** the version from If-Match; undefined when the header was missing */
  ifMatch: number | undefined;
}

/** The answer (contract: saveResponse) as JSON text, and the version written. */
export interface SaveOutcome {
  json: string;
  version: number;
}

class Moved extends Error {}

/** The dossier's current version and data, for a 412 body. */
async function conflictNow(ctx: Ctx, dossierId: string | null): Promise<AppError> {
  const cur = dossierId ? await findVersionAndData(ctx.db.read, dossierId) : undefined;
  return versionConflict(cur ? { version: cur.version, data: cur.data } : { version: 0, data: {} });
}

/** Parses and checks the sections against the rules and the rest of the dossier; throws 400 with every finding. */
function checkSections(body: unknown, existing: Partial<Dossier>, rctx: RulesContext): { merged: Partial<Dossier>; changed: SectionId[]; warnings: Finding[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw AppError.validation([{ code: 'INVALID_TYPE', field: '', severity: 'error', vi: 'Dữ liệu gửi lên phải là một đối tượng các mục hồ sơ.', en: 'The body must be an object of dossier sections.' }]);
  }
  const parsed = AnySections.safeParse(body);
  if (!parsed.success) throw AppError.validation(zodIssuesToFindings('', parsed.error.issues, body));
  const changed = Object.keys(parsed.data).filter(isSectionId);
  if (changed.length === 0) throw AppError.validation([{ code: 'REQUIRED', field: '', severity: 'error', vi: 'Không có mục nào để lưu.', en: 'Nothing to save.' }]);
  const merged: Partial<Dossier> = { ...existing, ...parsed.data };
  // a claim saved in a section this save made inapplicable (retained scores, then "current 12th-grader";
  // a language exemption, then no foreign language)
  // goes: the section is no longer asked, so the candidate could not clear it; an empty "none" may stay
  for (const { id } of DOSSIER_SECTIONS) {
    if (holdsClaim(merged[id]) && !changed.includes(id) && !sectionApplies(id, merged, rctx.account?.candidateType)) {
      delete merged[id];
      changed.push(id);
    }
  }
  const findings: Finding[] = [];
  // the body was parsed above: each changed section's rules run on it as it is, without parsing it again
  // (a section this save removed as no longer asked has nothing to check)
  for (const id of changed) if (merged[id] !== undefined) findings.push(...checkParsedSection(id, (parsed.data[id] ?? merged[id]) as never, rctx, merged));
  if (hasErrors(findings)) throw AppError.validation(findings);
  const normalised: Partial<Dossier> = { ...existing };
  for (const id of changed) {
    if (merged[id] === undefined) delete (normalised as Record<string, unknown>)[id];
    else (normalised as Record<string, unknown>)[id] = normaliseSection(id, merged[id] as never);
  }
  return { merged: normalised, changed, warnings: findings.filter((f) => f.severity === 'warning') };
}

interface Written {
  dossier: StoredDossier;
  summary: Summary;
  changed: SectionId[];
  warnings: Finding[];
}

/** The shared write of a save and a correction. */
async function writeSections(ctx: Ctx, deps: DossierDeps, l: Loaded, input: SaveInput, event: Extract<LifecycleEvent, 'edit' | 'correct'>, reason: string | null): Promise<Written> {
  const current = l.dossier;
  if (input.ifMatch === undefined) throw preconditionRequired({ version: current?.version ?? 0 });
  assertWritable(l);

  // who may write now (the window, the status, a correction's reason) is decided before the content: at
  // 17:00:00 the answer is "the window closed", whatever the body holds
  const lifecycle = { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official, ...(reason !== null ? { reason } : {}) };
  const early = transition(current?.status ?? 'draft', event, lifecycle);
  if (!early.ok) throw refusal(early.finding);
  if (event === 'correct') {
    // frozen sections are refused before their content is even looked at
    const asked = input.sections && typeof input.sections === 'object' ? Object.keys(input.sections).filter(isSectionId) : [];
    const frozen = asked.filter((s) => !pointMayCorrectSection(s, l.phase));
    if (frozen.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        'Sau khi khoá đăng ký, điểm tiếp nhận chỉ sửa thông tin cá nhân, liên hệ, nơi thường trú và ưu tiên; môn thi và diện dự thi đã khoá.',
        'After the close a point corrects only personal, contact, residence and priority data; subjects and status are frozen.',
        { code: 'SECTION_FROZEN', details: { sections: frozen } },
      );
    }
  }

  const rctx = await rulesContext(ctx.db.read, l.year, ctx.now, l.candidate);
  const { merged, changed, warnings } = checkSections(input.sections, current?.data ?? {}, rctx);
  const summary = verdictAfterSave(current, merged, changed, rctx);
  const t = transition(current?.status ?? 'draft', event, { ...lifecycle, dossierValid: summary.errors === 0 });
  if (!t.ok) throw refusal(t.finding, summary.findings.filter((f) => f.severity === 'error'));
  if (event === 'correct') {
    // a correction may leave other sections as they were, but must not break the ones it touches
    const blocking = summary.findings.filter((f) => f.severity === 'error' && changed.some((s) => f.field === s || f.field.startsWith(`${s}.`) || f.field.startsWith(`${s}[`)));
    if (blocking.length > 0) throw AppError.validation(blocking);
  }

  if (current && current.version !== input.ifMatch) throw versionConflict(current);
  if (!current && input.ifMatch !== 0) throw versionConflict({ version: 0, data: {} });

  const filters = filtersOf(merged, summary, l.candidate, current ? current.filters.photoMissing : true);
  const dataJson = JSON.stringify(merged);
  const nowIso = ctx.now.toISOString();
  const id = current?.id ?? newId();
  const code = current?.code ?? (await deps.codes.next(ctx.db, l.candidate.departmentCode, l.year.year, l.isTrial));
  const version = (current?.version ?? 0) + 1;
  const stored: StoredDossier = current
    ? { ...current, code, status: t.status, version, data: merged, dataJson, filters, updatedAt: nowIso, summary: { ...storedSummary(summary), findings: summary.findings } }
    : newStoredDossier(
        {
          id,
          code,
          candidateId: l.candidate.id,
          examYear: l.year.year,
          isTrial: l.isTrial,
          status: t.status,
          data: merged,
          dataJson,
          summary: { ...storedSummary(summary), findings: summary.findings },
          pointId: l.candidate.pointId,
          departmentCode: l.candidate.departmentCode,
          channel: 'online',
          submittedAt: null,
          filters,
          deskDocuments: null,
        },
        nowIso,
      );

  const parts: UnitPart<any>[] = [];
  if (event === 'correct') {
    // the audit trail names the fields, not their values (personal data stays in the dossier history)
    parts.push(
      auditPart(
        { action: 'dossier.corrected', actor: l.actor, targetType: 'dossier', targetId: id, departmentCode: l.candidate.departmentCode, ip: ctx.ip, details: { candidate: maskId(l.candidate.idNumber), sections: changed, version, reason } },
        ctx.now,
      ),
    );
    const name = merged.personal?.fullName;
    if (name && changed.includes('personal') && normaliseName(name) !== l.candidate.fullName) {
      const full = normaliseName(name);
      const p = splitName(full);
      parts.push(candidateNamePart(l.candidate.id, { fullName: full, family: p.family, middle: p.middle, given: p.given, folded: foldDiacritics(full), sortKey: nameSortKey(full) }, ctx.now));
    }
  }
  const primary = current
    ? dossierUpdatePart(id, current.version, { status: t.status, data: { json: dataJson, filters }, summary: storedSummary(summary), ...(current.code ? {} : { code }) }, ctx.now)
    : dossierInsertPart(
        { id, code, candidateId: l.candidate.id, examYear: l.year.year, isTrial: l.isTrial, status: t.status, dataJson, filters, summary: storedSummary(summary), pointId: l.candidate.pointId, departmentCode: l.candidate.departmentCode, channel: 'online', submittedAt: null },
        ctx.now,
      );
  const written = await commit(ctx.db, deps, {
    primary,
    event: {
      id: newId(),
      dossierId: id,
      at: ctx.now,
      actorId: l.actor.userId,
      actorRole: l.actor.role,
      event: current ? event : 'create',
      fromStatus: current?.status ?? null,
      toStatus: t.status,
      version,
      sections: changed,
      before: Object.fromEntries(changed.map((s) => [s, current?.data[s] ?? null])),
      after: Object.fromEntries(changed.map((s) => [s, merged[s] ?? null])),
      reason,
    },
    parts,
    before: current ? snapshotOf(current) : null,
    after: snapshotOf(stored),
    change: { kind: event === 'correct' ? 'corrected' : current ? 'edited' : 'created', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, candidateUserId: l.candidate.userId, sections: changed },
  });
  if (!written) throw new Moved();
  return { dossier: stored, summary, changed, warnings };
}

function saveJson(l: Loaded, w: Written): SaveOutcome {
  const saved = savedJson(w.dossier, w.changed, { findingsJson: w.summary.findingsJson, tasksJson: w.summary.tasksJson, readyToSubmit: w.summary.readyToSubmit }, mayEdit({ ...l, dossier: w.dossier }));
  return { json: `{"dossier":${saved},"saved":${JSON.stringify(w.changed)},"warnings":${JSON.stringify(w.warnings)}}`, version: w.dossier.version };
}

async function guarded(ctx: Ctx, dossierId: string | null, run: () => Promise<Written>): Promise<Written> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Moved) throw await conflictNow(ctx, dossierId);
    throw e;
  }
}

/**
 * A candidate saves sections in their window (or a point types a paper form in the official window). After
 * the window this is refused: a point corrects with correctDossier, with a reason.
 */
export async function saveSections(ctx: Ctx, deps: DossierDeps, input: SaveInput, pre?: OwnRead): Promise<SaveOutcome> {
  const l = await loadTarget(ctx, input.target, 'dossier.edit', 'none', pre);
  if (l.actor.role !== 'candidate' && l.phase === 'correction') {
    throw new AppError('FORBIDDEN', 'Sau khi khoá đăng ký, hãy dùng chức năng Điều chỉnh (ghi lý do).', 'After the close, use Correct (with a reason).', { code: 'USE_CORRECTION' });
  }
  const w = await guarded(ctx, l.dossier?.id ?? null, () => writeSections(ctx, deps, l, input, 'edit', null));
  return saveJson(l, w);
}

/** One section: the body is the section's value. */
export async function saveSection(ctx: Ctx, deps: DossierDeps, input: Omit<SaveInput, 'sections'> & { sectionId: string; value: unknown }, pre?: OwnRead): Promise<SaveOutcome> {
  if (!isSectionId(input.sectionId)) {
    throw new AppError('NOT_FOUND', `Không có mục hồ sơ “${input.sectionId}”.`, `There is no dossier section “${input.sectionId}”.`, { code: 'UNKNOWN_SECTION' });
  }
  return saveSections(ctx, deps, { target: input.target, ifMatch: input.ifMatch, sections: { [input.sectionId]: input.value } }, pre);
}

/** After the window: the point corrects personal data, with a reason (the one correction path). */
export async function correctDossier(ctx: Ctx, deps: DossierDeps, input: { dossierId: string; sections: unknown; reason: string; ifMatch: number | undefined }): Promise<SaveOutcome> {
  const l = await loadTarget(ctx, { kind: 'id', dossierId: input.dossierId }, 'dossier.correct');
  if (!l.dossier) throw AppError.notFound('dossier');
  const reason = input.reason.normalize('NFC').trim();
  const w = await guarded(ctx, l.dossier.id, () => writeSections(ctx, deps, l, { target: { kind: 'id', dossierId: input.dossierId }, sections: input.sections, ifMatch: input.ifMatch }, 'correct', reason));
  return saveJson(l, w);
}

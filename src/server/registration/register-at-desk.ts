// A free candidate registered at a registration point's desk: the point checks the papers in front of
// it, types the whole dossier, notes the documents it checked, and submits in one go (channel 'desk').
// The account is created unissued: the point can hand one out later and the candidate then follows the
// same dossier online like anyone else.
import { AppError } from '../http/errors.ts';
import { claimIdempotencyKey, completeIdempotentResult, findIdempotentResult, requestHash } from '../http/idempotency.ts';
import { authorize } from '../policy/policy.ts';
import { newId } from '../ids.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { DOSSIER_SECTIONS, DossierSchema, normaliseSection, validateDossier, zodIssuesToFindings, type Dossier } from '../../domain/dossier.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { transition } from '../../domain/lifecycle.ts';
import { hasErrors } from '../../domain/messages.ts';
import { classifyId } from '../../domain/cccd.ts';
import { dossierContext } from './dossier-context.ts';
import { refusal, requireUser, requireYear, type RegistrationCtx } from './dossier-access.ts';
import { filtersOf, summarise, viewOf, type DossierView } from './dossier-view.ts';
import { findCandidateByIdNumber, insertDossier, insertDossierEvent, type CandidateRef, type StoredDossier } from './registration.repository.ts';
import { snapshotOf } from './save-section.ts';
import { onDossierChanged } from './events.ts';

export const DESK_DOCUMENTS = ['id_card', 'birth_certificate', 'transcript', 'graduation_certificate', 'language_certificate', 'priority_papers', 'photo', 'other'] as const;

export interface DeskInput {
  dossier: unknown;
  documentsChecked: string[];
  note?: string;
  idempotencyKey?: string;
}

export interface DeskResult {
  statusCode: number;
  body: { dossier: DossierView; candidateId: string; username: string };
  replayed: boolean;
}

const OPERATION = 'dossier.register_desk';

export async function registerAtDesk(ctx: RegistrationCtx, input: DeskInput): Promise<DeskResult> {
  const actor = requireUser(ctx.actor);
  authorize(actor, 'dossier.register_desk', { type: 'org', orgUnitId: actor.orgUnitId, orgKind: 'point', departmentCode: actor.departmentCode });
  const hash = requestHash(OPERATION, actor.orgUnitId, { dossier: input.dossier, documentsChecked: input.documentsChecked, note: input.note ?? null });
  if (input.idempotencyKey) {
    const hit = await findIdempotentResult(ctx.db.read, actor.userId, input.idempotencyKey, hash);
    if (hit) return { ...(hit as { statusCode: number; body: DeskResult['body'] }), replayed: true };
  }
  const year = await requireYear(ctx);
  const phase = phaseAt(year, ctx.now);
  const dctx = await dossierContext(ctx.db.read, year, ctx.now);

  const parsed = DossierSchema.safeParse(input.dossier);
  if (!parsed.success) throw AppError.validation(zodIssuesToFindings('', parsed.error.issues, input.dossier).map((f) => ({ ...f, field: `dossier.${f.field}` })));
  const findings = validateDossier(parsed.data, dctx);
  if (hasErrors(findings)) throw AppError.validation(findings);
  const t = transition('draft', 'submit', { actorKind: 'point', phase, officialWindow: year.windows.official, dossierValid: true });
  if (!t.ok) throw refusal(t.finding);
  if (parsed.data.status.candidateType !== 'free') {
    throw new AppError('BAD_REQUEST', 'Tại quầy chỉ đăng ký thí sinh tự do; học sinh lớp 12 đăng ký qua trường.', 'Only free candidates register at the desk; 12th-graders register through their school.', {
      code: 'DESK_FREE_ONLY',
    });
  }
  const docs = [...new Set(input.documentsChecked)];
  if (docs.length === 0 || docs.some((d) => !(DESK_DOCUMENTS as readonly string[]).includes(d))) {
    throw AppError.validation([
      { code: 'INVALID_VALUE', field: 'documentsChecked', severity: 'error', vi: `Ghi các giấy tờ đã kiểm tra (${DESK_DOCUMENTS.join(', ')}).`, en: `List the documents checked (${DESK_DOCUMENTS.join(', ')}).` },
    ]);
  }

  const data = {} as Dossier;
  for (const { id } of DOSSIER_SECTIONS) (data as Record<string, unknown>)[id] = normaliseSection(id, parsed.data[id] as never);
  const idNumber = data.personal.idNumber;
  if (await findCandidateByIdNumber(ctx.db.read, year.year, idNumber)) {
    throw new AppError('CONFLICT', 'Thí sinh có số định danh này đã có hồ sơ năm nay: hãy mở hồ sơ đó.', 'A candidate with this ID number is already registered this year: open that dossier instead.', {
      code: 'CANDIDATE_EXISTS',
    });
  }
  const kind = classifyId(idNumber);
  const candidate: CandidateRef = {
    id: newId(),
    userId: newId(),
    examYear: year.year,
    pointId: actor.orgUnitId,
    departmentCode: actor.departmentCode ?? '',
    idKind: kind === 'cccd' ? 'cccd' : kind === 'passport' ? 'passport' : 'assigned',
    idNumber,
    fullName: data.personal.fullName,
    gender: data.personal.gender === 'male' ? 'M' : 'F',
    dateOfBirth: data.personal.dateOfBirth,
    birthProvince: data.personal.birthPlace.provinceCode ?? null,
    candidateType: 'free',
  };
  const summary = summarise(data, dctx);
  const filters = filtersOf(data, summary, candidate, true);
  const deskDocuments = { checked: docs, ...(input.note ? { note: input.note.normalize('NFC').trim().slice(0, 1000) } : {}), checkedBy: actor.userId, checkedAt: ctx.now.toISOString() };
  const dossier: StoredDossier = {
    id: newId(),
    candidateId: candidate.id,
    examYear: year.year,
    isTrial: phase === 'trial',
    status: 'submitted',
    version: 1,
    data,
    pointId: candidate.pointId,
    departmentCode: candidate.departmentCode,
    formNumber: null,
    channel: 'desk',
    submittedAt: ctx.now.toISOString(),
    verifiedAt: null,
    returnedAt: null,
    returnReason: null,
    createdAt: ctx.now.toISOString(),
    updatedAt: ctx.now.toISOString(),
    filters,
    deskDocuments,
  };
  const body = { dossier: viewOf(candidate, dossier, summary, { examYear: year.year, isTrial: dossier.isTrial, phase, mayEdit: true }), candidateId: candidate.id, username: idNumber };

  try {
    return await ctx.db.write(async (trx) => {
      if (input.idempotencyKey) {
        const first = await claimIdempotencyKey(trx, { actorId: actor.userId, key: input.idempotencyKey, operation: OPERATION, hash, dossierId: dossier.id, now: ctx.now });
        if (first) return { statusCode: first.statusCode, body: first.body as DeskResult['body'], replayed: true };
      }
      await insertUser(trx, { id: candidate.userId, username: idNumber, role: 'candidate', orgUnitId: candidate.pointId, displayName: candidate.fullName, passwordHash: null, mustChangePassword: true }, ctx.now);
      await insertCandidates(
        trx,
        [
          {
            id: candidate.id,
            userId: candidate.userId,
            examYear: year.year,
            pointId: candidate.pointId,
            departmentCode: candidate.departmentCode,
            idKind: candidate.idKind === 'passport' ? 'passport' : candidate.idKind,
            idNumber,
            fullName: candidate.fullName,
            gender: candidate.gender,
            dateOfBirth: candidate.dateOfBirth,
            birthProvince: candidate.birthProvince,
            className: null,
            candidateType: 'free',
          },
        ],
        ctx.now,
      );
      await insertDossier(trx, { ...dossier, status: 'submitted', deskDocuments }, ctx.now);
      await insertDossierEvent(trx, { id: newId(), dossierId: dossier.id, at: ctx.now, actorId: actor.userId, actorRole: actor.role, event: 'desk_register', fromStatus: null, toStatus: 'submitted', version: 1, sections: DOSSIER_SECTIONS.map((s) => s.id), reason: deskDocuments.note ?? null });
      await onDossierChanged(trx, null, snapshotOf(dossier), { kind: 'desk_registered', at: ctx.now, actorId: actor.userId, actorRole: actor.role });
      if (input.idempotencyKey) await completeIdempotentResult(trx, actor.userId, input.idempotencyKey, { statusCode: 201, body });
      return { statusCode: 201, body, replayed: false };
    });
  } catch (e) {
    if (ctx.db.dialect.isUniqueViolation(e)) {
      throw new AppError('CONFLICT', 'Số định danh này đã có tài khoản hoặc hồ sơ.', 'This ID number already has an account or a registration.', { code: 'CANDIDATE_EXISTS' });
    }
    throw e;
  }
}

// A free candidate registered at a registration point's desk: the point checks the papers in front of it,
// types the whole dossier, notes the documents it checked, and submits in one go (channel 'desk'). The
// account is created unissued: the point can hand one out later and the candidate then follows the same
// dossier online like anyone else.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { replayOf, requestHash } from '../http/idempotency.ts';
import { authorize } from '../policy/policy.ts';
import { newId } from '../ids.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { countingAccounts } from '../accounts/account-counts.ts';
import { claimKey, completeKeyRecord, findKeyRecord } from '../idempotency/idempotency.repository.ts';
import { applyUnitInWrite } from '../db/write-unit.ts';
import { DOSSIER_SECTIONS, DossierSchema, normaliseSection, zodIssuesToFindings, type Dossier } from '../../domain/dossier.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { transition } from '../../domain/lifecycle.ts';
import { classifyId } from '../../domain/cccd.ts';
import { DESK_DOCUMENTS } from '../../contracts/dossier.ts';
import type { z } from 'zod';
import type { deskResponse } from '../../contracts/dossier.ts';
import { refusal, requireUser, requireYear } from './access.ts';
import { snapshotOf, type DossierDeps } from './commit.ts';
import { effectsOf } from './listeners.ts';
import { dossierInsertPart, eventPart, findCandidateIdByIdNumber } from './dossier.repository.ts';
import { filtersOf, rulesContext, storedSummary, summarise } from './rules.ts';
import { mayEdit, viewObject } from './present.ts';
import { newStoredDossier, type CandidateRef } from './model.ts';

export interface DeskInput {
  dossier: unknown;
  documentsChecked: string[];
  note?: string;
  idempotencyKey?: string;
}

export type DeskResponse = z.infer<typeof deskResponse>;

export interface DeskOutcome {
  statusCode: number;
  body: DeskResponse;
  replayed: boolean;
}

const OPERATION = 'dossier.register_desk';

export async function registerAtDesk(ctx: Ctx, deps: DossierDeps, input: DeskInput): Promise<DeskOutcome> {
  const actor = requireUser(ctx);
  authorize(actor, 'dossier.register_desk', { type: 'org', orgUnitId: actor.orgUnitId, orgKind: 'point', departmentCode: actor.departmentCode });
  const hash = requestHash(OPERATION, actor.orgUnitId, { dossier: input.dossier, documentsChecked: input.documentsChecked, note: input.note ?? null });
  if (input.idempotencyKey) {
    const hit = replayOf(await findKeyRecord(ctx.db.read, actor.userId, input.idempotencyKey), hash);
    if (hit) return { statusCode: hit.statusCode, body: JSON.parse(hit.responseJson) as DeskResponse, replayed: true };
  }
  const year = await requireYear(ctx.db);
  const phase = phaseAt(year, ctx.now);
  const rctx = await rulesContext(ctx.db.read, year, ctx.now);

  const parsed = DossierSchema.safeParse(input.dossier);
  if (!parsed.success) throw AppError.validation(zodIssuesToFindings('', parsed.error.issues, input.dossier).map((f) => ({ ...f, field: `dossier.${f.field}` })));
  const data = {} as Dossier;
  for (const { id } of DOSSIER_SECTIONS) (data as Record<string, unknown>)[id] = normaliseSection(id, parsed.data[id] as never);
  const summary = summarise(data, rctx);
  if (summary.errors > 0) throw AppError.validation(summary.findings.filter((f) => f.severity === 'error'));
  const t = transition('draft', 'submit', { actorKind: 'point', phase, officialWindow: year.windows.official, dossierValid: true });
  if (!t.ok) throw refusal(t.finding);
  if (data.status.candidateType !== 'free') {
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
  const idNumber = data.personal.idNumber;
  if (await findCandidateIdByIdNumber(ctx.db.read, year.year, idNumber)) {
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
  const isTrial = phase === 'trial';
  const code = await deps.codes.next(ctx.db, candidate.departmentCode, year.year, isTrial);
  const filters = filtersOf(data, summary, candidate, true);
  const deskDocuments = { checked: docs, ...(input.note ? { note: input.note.normalize('NFC').trim().slice(0, 1000) } : {}), checkedBy: actor.userId, checkedAt: ctx.now.toISOString() };
  const nowIso = ctx.now.toISOString();
  const dataJson = JSON.stringify(data);
  const dossier = newStoredDossier(
    {
      id: newId(),
      code,
      candidateId: candidate.id,
      examYear: year.year,
      isTrial,
      status: 'submitted',
      data,
      dataJson,
      summary: { ...storedSummary(summary), findings: summary.findings },
      pointId: candidate.pointId,
      departmentCode: candidate.departmentCode,
      channel: 'desk',
      submittedAt: nowIso,
      filters,
      deskDocuments,
    },
    nowIso,
  );
  const loaded = { candidate, year, isTrial, phase };
  const body: DeskResponse = { dossier: viewObject(loaded, dossier, summary, mayEdit({ actor, dossier, phase })), candidateId: candidate.id, username: idNumber };
  const effects = effectsOf(deps.listeners, null, snapshotOf(dossier), { kind: 'desk_registered', at: ctx.now, actorId: actor.userId, actorRole: actor.role, candidateUserId: candidate.userId });

  try {
    return await ctx.db.write(async (trx) => {
      if (input.idempotencyKey) {
        const first = await claimKey(trx, { actorId: actor.userId, key: input.idempotencyKey, operation: OPERATION, requestHash: hash, dossierId: dossier.id, statusCode: 0, response: 'null', now: ctx.now });
        const hit = replayOf(first, hash);
        if (hit) return { statusCode: hit.statusCode, body: JSON.parse(hit.responseJson) as DeskResponse, replayed: true };
      }
      await countingAccounts(trx, [candidate.userId], async () => {
        await insertUser(trx, { id: candidate.userId, username: idNumber, role: 'candidate', orgUnitId: candidate.pointId, displayName: candidate.fullName, passwordHash: null, mustChangePassword: true }, ctx.now);
        await insertCandidates(
          trx,
          [{ id: candidate.id, userId: candidate.userId, examYear: year.year, pointId: candidate.pointId, departmentCode: candidate.departmentCode, idKind: candidate.idKind, idNumber, fullName: candidate.fullName, gender: candidate.gender, dateOfBirth: candidate.dateOfBirth, birthProvince: candidate.birthProvince, className: null, candidateType: 'free' }],
          ctx.now,
        );
      });
      const inserted = await applyUnitInWrite(trx, {
        primary: dossierInsertPart({ id: dossier.id, code, candidateId: candidate.id, examYear: year.year, isTrial, status: 'submitted', dataJson, filters, summary: storedSummary(summary), pointId: candidate.pointId, departmentCode: candidate.departmentCode, channel: 'desk', submittedAt: nowIso, deskDocuments }, ctx.now),
        then: [
          eventPart({ id: newId(), dossierId: dossier.id, at: ctx.now, actorId: actor.userId, actorRole: actor.role, event: 'desk_register', fromStatus: null, toStatus: 'submitted', version: 1, sections: DOSSIER_SECTIONS.map((s) => s.id), reason: deskDocuments.note ?? null }),
          ...effects.parts,
        ],
        atCommit: effects.atCommit,
      });
      if (!inserted) throw new Error('a new candidate already had a dossier');
      if (input.idempotencyKey) await completeKeyRecord(trx, actor.userId, input.idempotencyKey, 201, JSON.stringify(body));
      return { statusCode: 201, body, replayed: false };
    });
  } catch (e) {
    if (ctx.db.dialect.isUniqueViolation(e)) {
      throw new AppError('CONFLICT', 'Số định danh này đã có tài khoản hoặc hồ sơ.', 'This ID number already has an account or a registration.', { code: 'CANDIDATE_EXISTS' });
    }
    throw e;
  }
}

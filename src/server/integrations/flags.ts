// The identity flags in a point's queue: listing them (scoped to the point, the read audited) and resolving
// one: confirming the card with a note, or correcting the dossier through the dossier module's correction
// command (its rules, its audit, its history), then closing the flag. Both are audited here too.
import type { z } from 'zod';
import type { Ctx } from '../context.ts';
import type { DossierDeps } from '../dossiers/commit.ts';
import { correctDossier } from '../dossiers/save.ts';
import { findVersionAndData } from '../dossiers/dossier.repository.ts';
import { authorizePoint } from '../accounts/point-access.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { maskId } from '../logger.ts';
import { error } from '../../domain/messages.ts';
import type { identityFlag, resolveFlagBody } from '../../contracts/links.ts';
import { candidateForLinks, findFlag, listFlagsOfPoint, resolveFlagRow, type FlagLine } from './links.repository.ts';

type FlagView = z.infer<typeof identityFlag>;

function viewOf(f: FlagLine): FlagView {
  return {
    id: f.id,
    candidateId: f.candidateId,
    dossierId: f.dossierId,
    dossierCode: f.dossierCode,
    dossierVersion: f.dossierVersion,
    fullName: f.fullName,
    idNumber: f.idNumber,
    outcome: f.outcome,
    mismatches: f.mismatches,
    status: f.status,
    note: f.note,
    resolvedAt: f.resolvedAt,
    createdAt: f.createdAt,
  };
}

const LIST_LIMIT = 2000;

export async function listFlags(ctx: Ctx, pointId: string, status: FlagView['status'] | 'all'): Promise<FlagView[]> {
  const point = await authorizePoint(ctx, pointId, 'candidate.read');
  const lines = await listFlagsOfPoint(ctx.db.read, point.id, status, LIST_LIMIT);
  if (lines.length > 0) {
    await ctx.db.write((trx) =>
      appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'identity_flags', targetId: point.id, departmentCode: point.departmentCode, ip: ctx.ip, details: { status, rows: lines.length } }, ctx.now),
    );
  }
  return lines.map(viewOf);
}

function notFound(): AppError {
  return AppError.notFound('identity flag');
}

export async function resolveFlag(ctx: Ctx, deps: DossierDeps, flagId: string, body: z.infer<typeof resolveFlagBody>): Promise<{ flag: FlagView; dossierVersion: number | null }> {
  const flag = await findFlag(ctx.db.read, flagId);
  const cand = flag ? await candidateForLinks(ctx.db.read, flag.candidateId) : undefined;
  if (!flag || !cand) {
    authorize(ctx.actor, 'dossier.correct', { type: 'national' });
    throw notFound();
  }
  const resource = { type: 'candidate' as const, userId: cand.userId, pointId: flag.pointId, departmentCode: flag.departmentCode };
  authorize(ctx.actor, 'dossier.correct', resource);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  if (flag.status !== 'open') {
    throw new AppError('CONFLICT', 'Cảnh báo này đã được xử lý.', 'This flag has already been resolved.', { code: 'FLAG_NOT_OPEN', details: { status: flag.status } });
  }
  let dossierVersion: number | null = null;
  if (body.action === 'correct') {
    if (!flag.dossierId) {
      throw new AppError('CONFLICT', 'Thí sinh chưa có hồ sơ để điều chỉnh; hãy xác nhận kèm ghi chú.', 'The candidate has no dossier to correct yet; confirm with a note instead.', { code: 'FLAG_NO_DOSSIER' });
    }
    if (body.personal.fullName === undefined && body.personal.dateOfBirth === undefined) {
      throw AppError.validation([error('FIELD_REQUIRED', 'personal', 'Nhập họ tên hoặc ngày sinh cần sửa.', 'Enter the name or the date of birth to correct.')]);
    }
    const current = await findVersionAndData(ctx.db.read, flag.dossierId);
    if (!current) throw notFound();
    // the correction command takes the whole section: the fields sent replace those in the current one
    const personal = { ...((current.data as Record<string, unknown>)['personal'] as Record<string, unknown> | undefined), ...body.personal };
    const out = await correctDossier(ctx, deps, { dossierId: flag.dossierId, sections: { personal }, reason: `Đối chiếu CSDL dân cư: ${body.note}`, ifMatch: body.ifMatch });
    dossierVersion = out.version;
  }
  const status = body.action === 'correct' ? 'corrected' : 'confirmed';
  await ctx.db.write(async (trx) => {
    if (!(await resolveFlagRow(trx, flag.id, status, body.note, actor.userId, ctx.now))) {
      throw new AppError('CONFLICT', 'Cảnh báo này đã được xử lý.', 'This flag has already been resolved.', { code: 'FLAG_NOT_OPEN' });
    }
    await appendAudit(
      trx,
      { action: `identity_flag.${status}`, actor, targetType: 'identity_flag', targetId: flag.id, departmentCode: flag.departmentCode, ip: ctx.ip, details: { candidate: maskId(cand.idNumber), dossierId: flag.dossierId, fields: flag.mismatches.map((m) => m.field), note: body.note } },
      ctx.now,
    );
  });
  const [line] = (await listFlagsOfPoint(ctx.db.read, flag.pointId, 'all', LIST_LIMIT)).filter((f) => f.id === flag.id);
  return { flag: viewOf(line!), dossierVersion };
}

// A free candidate who came through VNeID chooses where to register (a point that takes free candidates)
// before the dossier: the candidate record is made then, from the verified identity, and marked so.
import type { Db } from '../../db/create-db.ts';
import { AppError } from '../../http/errors.ts';
import { appendAudit } from '../../audit/audit.repository.ts';
import { maskId } from '../../logger.ts';
import { newId } from '../../ids.ts';
import type { UserActor } from '../../policy/policy.ts';
import { currentExamYear } from '../../exam-years/exam-years.repository.ts';
import { insertCandidates, markIdentityVerified } from '../../candidates/candidates.repository.ts';
import { setUserOrgUnit } from '../../accounts/users.repository.ts';
import { countingAccounts } from '../../accounts/account-counts.ts';
import { findPersonAccount, identityOfUser, listFreePoints, type FreePoint } from './vneid.repository.ts';

export interface PointChoiceCtx {
  db: Db;
  actor: UserActor;
  now: Date;
  ip: string | null;
}

export interface PointOptions {
  needed: boolean;
  identity: { fullName: string; dateOfBirth: string; gender: 'M' | 'F' } | null;
  departments: Array<{ code: string; name: string; points: Array<Pick<FreePoint, 'id' | 'code' | 'name' | 'address'>> }>;
}

const notVneid = () =>
  new AppError('FORBIDDEN', 'Chỉ tài khoản đăng nhập bằng VNeID mới chọn điểm đăng ký ở đây.', 'Only an account signed in with VNeID chooses its registration point here.', { code: 'NOT_A_VNEID_ACCOUNT' });

export async function registrationPointOptions(ctx: PointChoiceCtx): Promise<PointOptions> {
  if (ctx.actor.role !== 'candidate') throw notVneid();
  const identity = await identityOfUser(ctx.db.read, ctx.actor.userId);
  if (!identity) throw notVneid();
  const person = await findPersonAccount(ctx.db.read, identity.personalNumber);
  const byDept = new Map<string, PointOptions['departments'][number]>();
  for (const p of await listFreePoints(ctx.db.read)) {
    const d = byDept.get(p.departmentCode) ?? { code: p.departmentCode, name: p.departmentName, points: [] };
    d.points.push({ id: p.id, code: p.code, name: p.name, address: p.address });
    byDept.set(p.departmentCode, d);
  }
  return { needed: !person?.candidateId, identity: { fullName: identity.fullName, dateOfBirth: identity.dateOfBirth, gender: identity.gender }, departments: [...byDept.values()] };
}

export async function chooseRegistrationPoint(ctx: PointChoiceCtx, pointId: string): Promise<{ pointId: string; pointCode: string; pointName: string; candidateId: string }> {
  if (ctx.actor.role !== 'candidate') throw notVneid();
  const identity = await identityOfUser(ctx.db.read, ctx.actor.userId);
  if (!identity) throw notVneid();
  const person = await findPersonAccount(ctx.db.read, identity.personalNumber);
  if (person?.candidateId) {
    throw new AppError('CONFLICT', 'Bạn đã chọn điểm đăng ký dự thi. Muốn đổi, vui lòng liên hệ điểm tiếp nhận.', 'You have already chosen a registration point. To change it, please contact the point.', {
      code: 'POINT_ALREADY_CHOSEN',
    });
  }
  const point = (await listFreePoints(ctx.db.read)).find((p) => p.id === pointId);
  if (!point) {
    throw new AppError('VALIDATION_FAILED', 'Hãy chọn một điểm tiếp nhận thí sinh tự do trong danh sách.', 'Choose a registration point for free candidates from the list.', {
      code: 'POINT_NOT_FOR_FREE_CANDIDATES',
      fields: [{ code: 'POINT_NOT_FOR_FREE_CANDIDATES', field: 'pointId', severity: 'error', vi: 'Hãy chọn một điểm tiếp nhận thí sinh tự do trong danh sách.', en: 'Choose a registration point for free candidates from the list.' }],
    });
  }
  const year = await currentExamYear(ctx.db.read);
  if (!year) throw new AppError('NOT_FOUND', 'Chưa có kỳ thi nào được công bố.', 'No exam year has been published.', { code: 'NO_EXAM_YEAR' });
  const candidateId = newId();
  const userId = ctx.actor.userId;
  await ctx.db.write((trx) => countingAccounts(trx, [userId], async () => {
    await insertCandidates(
      trx,
      [
        {
          id: candidateId,
          userId: ctx.actor.userId,
          examYear: year.year,
          pointId: point.id,
          departmentCode: point.departmentCode,
          idKind: 'cccd',
          idNumber: identity.personalNumber,
          fullName: identity.fullName,
          gender: identity.gender,
          dateOfBirth: identity.dateOfBirth,
          birthProvince: null,
          className: null,
          candidateType: 'free',
        },
      ],
      ctx.now,
    );
    await markIdentityVerified(trx, candidateId, 'vneid', ctx.now);
    await setUserOrgUnit(trx, ctx.actor.userId, point.id, ctx.now);
    await appendAudit(
      trx,
      {
        action: 'candidate.registration_point_chosen',
        actor: ctx.actor,
        targetType: 'candidate',
        targetId: candidateId,
        departmentCode: point.departmentCode,
        ip: ctx.ip,
        details: { pointCode: point.code, personalNumber: maskId(identity.personalNumber), identitySource: 'vneid' },
      },
      ctx.now,
    );
  }));
  return { pointId: point.id, pointCode: point.code, pointName: point.name, candidateId };
}

// Issuing accounts for a point: a one-time password for each chosen candidate (by default every candidate
// of the point without an account yet; re-issuing names them and invalidates their old password and
// sessions). Hashes run in parallel up to HASH_CONCURRENCY; all rows are written in one transaction. The
// plaintexts leave only sealed for the slips and the teacher's list (see seal.ts).
import { revokeDevicesOfUsers } from '../mfa/known-devices.repository.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit, type AuditEntry } from '../audit/audit.repository.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';
import { maskId } from '../logger.ts';
import { newId } from '../ids.ts';
import { hashPassword } from './password.ts';
import { generateOneTimePassword } from './one-time-password.ts';
import { listPointCandidates } from './users.repository.ts';
import { countingAccounts } from './account-counts.ts';
import { endUsersSessions } from './sessions.repository.ts';
import { findIssuance, insertIssuance, purgeExpiredIssuances, setIssuedPasswords } from './issuance.repository.ts';
import { resolvePointClass } from './point-classes.ts';
import { authorizePoint } from './point-access.ts';
import { seal, unseal } from './seal.ts';
import type { Credential } from './documents.ts';
import type { RenderPool } from '../render/pool.ts';
import type { Ctx } from '../context.ts';
import type { AccountsRuntime } from './runtime.ts';

export const DOCUMENTS_TTL_MS = 24 * 3600_000;

export interface IssueInput {
  userIds?: string[] | undefined;
  className?: string | undefined;
  reissue?: boolean | undefined;
}

export interface IssueResult {
  issuanceId: string;
  issued: number;
  skippedDisabled: number;
  downloadKey: string;
  documentsExpireAt: string;
}

export async function issueAccounts(ctx: Ctx, rt: AccountsRuntime, pointId: string, input: IssueInput): Promise<IssueResult> {
  const point = await authorizePoint(ctx, pointId, 'account.issue');
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  const year = await currentExamYear(ctx.db.read);
  if (!year) throw new AppError('CONFLICT', 'Chưa có kỳ thi nào được công bố.', 'No exam year is published yet.', { code: 'NO_EXAM_YEAR' });
  if (input.reissue && !input.userIds?.length && input.className === undefined) {
    throw AppError.validation([
      { code: 'REISSUE_NEEDS_TARGETS', field: 'userIds', severity: 'error', vi: 'Cấp lại mật khẩu cần chọn học sinh hoặc lớp.', en: 'Re-issuing needs the students or a class.' },
    ]);
  }
  // a class is named as the list has it, whatever the case or the Unicode form it is typed in ("12a2" is
  // 12A2); a class the point does not have is an error naming the field, never an empty success
  const className = input.className !== undefined ? await resolvePointClass(ctx.db.read, point.id, year.year, input.className) : undefined;
  const found = await listPointCandidates(ctx.db.read, point.id, year.year, {
    ...(input.userIds ? { userIds: input.userIds } : {}),
    ...(className !== undefined ? { className } : {}),
    onlyNotIssued: !input.reissue,
  });
  if (input.userIds && found.length !== new Set(input.userIds).size && !input.reissue) {
    // asked for someone outside the point or already issued: say so rather than silently skip
    throw new AppError('CONFLICT', 'Một số học sinh đã có tài khoản hoặc không thuộc điểm này; hãy dùng "cấp lại".', 'Some students already hold an account or are not at this point; use re-issue.', {
      code: 'NOT_ISSUABLE',
    });
  }
  if (input.userIds && input.reissue && found.length !== new Set(input.userIds).size) throw AppError.forbidden();
  const targets = found.filter((c) => c.status !== 'disabled');
  const now = ctx.now;
  const creds = targets.map((t) => ({ t, otp: generateOneTimePassword() }));
  const hashes = await rt.hashLimiter.map(creds, (c) => hashPassword(c.otp));
  const list: Credential[] = creds.map(({ t, otp }) => ({ username: t.username, fullName: t.fullName, className: t.className, dateOfBirth: t.dateOfBirth, oneTimePassword: otp }));
  const { sealed, key } = seal(JSON.stringify(list));
  const id = newId();
  const expires = new Date(now.getTime() + DOCUMENTS_TTL_MS).toISOString();
  await ctx.db.write(async (trx) => {
    await countingAccounts(trx, creds.map((c) => c.t.userId), () => setIssuedPasswords(trx, creds.map((c, i) => ({ userId: c.t.userId, hash: hashes[i]! })), now));
    if (input.reissue) {
      await endUsersSessions(trx, creds.map((c) => c.t.userId), 'password_reissued', now);
      await revokeDevicesOfUsers(trx, creds.map((c) => c.t.userId), now, 'password_reissued');
    }
    await insertIssuance(trx, { id, pointId: point.id, issuedBy: actor.userId, issuedAt: now.toISOString(), kind: input.reissue ? 'reissue' : 'initial', count: creds.length, sealed, documentsExpireAt: expires });
    await purgeExpiredIssuances(trx, now);
    const entries: AuditEntry[] = creds.map((c) => ({
      action: 'account.issued',
      actor,
      targetType: 'user',
      targetId: c.t.userId,
      departmentCode: point.departmentCode,
      ip: ctx.ip,
      details: { username: maskId(c.t.username), issuanceId: id, reissue: !!input.reissue },
    }));
    await appendAudit(trx, entries, now);
  });
  return { issuanceId: id, issued: creds.length, skippedDisabled: found.length - targets.length, downloadKey: key, documentsExpireAt: expires };
}

/** `publicUrl`: the address printed on the documents, where candidates sign in; drawn on a render thread. */
export async function issuanceDocument(ctx: Ctx, render: RenderPool, publicUrl: string, pointId: string, issuanceId: string, key: string, kind: 'slips' | 'teacher-list'): Promise<Buffer> {
  const point = await authorizePoint(ctx, pointId, 'account.issue');
  const iss = await findIssuance(ctx.db.read, issuanceId);
  if (!iss || iss.pointId !== point.id) throw AppError.notFound('issuance');
  if (!iss.sealed || Date.parse(iss.documentsExpireAt) <= ctx.now.getTime()) {
    throw new AppError('GONE', 'Phiếu của lần cấp này đã hết hạn tải (sau 24 giờ). Hãy cấp lại mật khẩu để in phiếu mới.', 'The documents of this issuance have expired (after 24 hours). Re-issue the passwords to print new ones.', {
      code: 'DOCUMENTS_EXPIRED',
    });
  }
  const plain = unseal(iss.sealed, key);
  if (plain === null) throw AppError.forbidden();
  const list = JSON.parse(plain) as Credential[];
  const docCtx = { pointName: point.name, url: publicUrl };
  const buf = await render.run(kind === 'slips' ? 'credential-slips' : 'teacher-list', { list, ctx: docCtx });
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      { action: 'personal_data.read', actor: ctx.actor, targetType: 'issuance', targetId: iss.id, departmentCode: point.departmentCode, ip: ctx.ip, details: { document: kind, accounts: list.length } },
      ctx.now,
    ),
  );
  return buf;
}

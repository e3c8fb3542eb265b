// Importing a class list: validate the file into a stored report (nothing imported yet), then commit it,
// either only when clean ('all') or the valid rows alone ('valid_rows'), creating the candidates and
// their accounts (not issued yet: no password until the point issues them).
import { randomBytes } from 'node:crypto';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';
import { getReference } from '../reference/reference.repository.ts';
import { insertCandidates, updateCandidateListing, type NewCandidate } from '../candidates/candidates.repository.ts';
import { systemCodeFromBytes } from '../../domain/cccd.ts';
import { newId } from '../ids.ts';
import { readClassList, type SheetReader } from './class-list-file.ts';
import { validateClassList, type FailedRow, type RowFinding } from './class-list-validate.ts';
import { existingAccounts, existingUsernames, insertUsers, type NewUser } from './users.repository.ts';
import { countingAccounts } from './account-counts.ts';
import { findImport, importContent, insertImport, markImportCommitted, type StoredImport } from './issuance.repository.ts';
import { authorizePoint } from './point-access.ts';
import { enqueueImportChecks } from '../integrations/pipeline.ts';
import type { Ctx } from '../context.ts';

export interface ImportReport extends StoredImport {
  encoding: string | null;
  findings: RowFinding[];
  /** students the point already has, corrected in this file: updated on import */
  updatedRows: number;
}

async function examYearOrFail(ctx: Ctx): Promise<number> {
  const y = await currentExamYear(ctx.db.read);
  if (!y) throw new AppError('CONFLICT', 'Chưa có kỳ thi nào được công bố.', 'No exam year is published yet.', { code: 'NO_EXAM_YEAR' });
  return y.year;
}

export async function validateImport(ctx: Ctx, pointId: string, file: { name: string; data: Buffer }, read: SheetReader = readClassList): Promise<ImportReport> {
  const point = await authorizePoint(ctx, pointId, 'account.issue');
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  const examYear = await examYearOrFail(ctx);
  const sheet = await read(file.data, file.name);
  const [prefixRef, provinceRef] = await Promise.all([
    getReference<{ prefixes: Array<{ prefix: string; province: string }> }>(ctx.db.read, 'cccd-prefixes'),
    getReference<{ provinces: Array<{ statsCode: string; formerProvinces: Array<{ name: string }> }> }>(ctx.db.read, 'provinces-2025'),
  ]);
  const prefixes = prefixRef.prefixes.map((p) => p.prefix);
  const report = await validateClassList(sheet.rows, { now: ctx.now, examYear, cccdPrefixes: prefixes, existing: (u) => existingAccounts(ctx.db.read, u, examYear), pointId: point.id });
  // The CCCD names the (pre-2025) province of birth registration; a candidate's birth place, which the
  // dossier pre-fills from it, is today's province code: the one that absorbed that old province.
  const today = new Map(provinceRef.provinces.flatMap((p) => p.formerProvinces.map((f) => [f.name.normalize('NFC'), p.statsCode] as const)));
  const provinceOfPrefix = new Map(prefixRef.prefixes.flatMap((p) => (today.has(p.province.normalize('NFC')) ? [[p.prefix, today.get(p.province.normalize('NFC'))!] as const] : [])));
  const validRows = report.validRows.map((r) => ({ ...r, birthProvince: r.birthProvince === null ? null : (provinceOfPrefix.get(r.birthProvince) ?? null) }));
  const stored: StoredImport = {
    id: newId(),
    pointId: point.id,
    examYear,
    createdBy: actor.userId,
    createdAt: ctx.now.toISOString(),
    fileName: file.name.normalize('NFC').slice(0, 200),
    status: 'validated',
    totalRows: report.totalRows,
    validRows: report.validRows.length,
    errorRows: report.errorRows,
    importedRows: null,
  };
  await ctx.db.write(async (trx) => {
    await insertImport(trx, { ...stored, rows: validRows, findings: report.findings, failedRows: report.failedRows });
    await appendAudit(
      trx,
      { action: 'account.import_validated', actor, targetType: 'import', targetId: stored.id, departmentCode: point.departmentCode, ip: ctx.ip, details: { rows: report.totalRows, errorRows: report.errorRows, encoding: sheet.encoding } },
      ctx.now,
    );
  });
  return { ...stored, encoding: sheet.encoding, findings: report.findings, updatedRows: report.updatedRows };
}

export async function getImportReport(ctx: Ctx, pointId: string, importId: string): Promise<ImportReport> {
  await authorizePoint(ctx, pointId, 'account.issue');
  const imp = await findImport(ctx.db.read, importId);
  if (!imp || imp.pointId !== pointId) throw AppError.notFound('import');
  const { findings, rows } = await importContent(ctx.db.read, importId);
  return { ...imp, encoding: null, findings, updatedRows: rows.filter((r) => r.update).length };
}

/**
 * The rows that will not be imported, as typed, with what is wrong in each: the officer corrects them and
 * uploads them again (rows already imported stay as they are). The access audit records the read.
 */
export async function importFailedRows(ctx: Ctx, pointId: string, importId: string): Promise<{ fileName: string; rows: Array<FailedRow & { problems: RowFinding[] }> }> {
  await authorizePoint(ctx, pointId, 'account.issue');
  const imp = await findImport(ctx.db.read, importId);
  if (!imp || imp.pointId !== pointId) throw AppError.notFound('import');
  const { findings, failedRows } = await importContent(ctx.db.read, importId);
  return { fileName: imp.fileName, rows: failedRows.map((r) => ({ ...r, problems: findings.filter((f) => f.row === r.row) })) };
}

export async function commitImport(ctx: Ctx, pointId: string, importId: string, mode: 'all' | 'valid_rows'): Promise<{ imported: number; updated: number; skipped: number }> {
  const point = await authorizePoint(ctx, pointId, 'account.issue');
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  const imp = await findImport(ctx.db.read, importId);
  if (!imp || imp.pointId !== pointId) throw AppError.notFound('import');
  if (imp.status !== 'validated') throw new AppError('CONFLICT', 'Tệp này đã được nhập rồi.', 'This file has already been imported.', { code: 'IMPORT_ALREADY_COMMITTED' });
  if (mode === 'all' && imp.errorRows > 0) {
    throw new AppError('CONFLICT', `Tệp còn ${imp.errorRows} dòng lỗi: sửa tệp và tải lại, hoặc chọn chỉ nhập các dòng hợp lệ.`, `The file still has ${imp.errorRows} rows with errors: fix and upload it again, or choose to import the valid rows only.`, {
      code: 'IMPORT_HAS_ERRORS',
      details: { errorRows: imp.errorRows },
    });
  }
  const { rows: all } = await importContent(ctx.db.read, importId);
  // students the point already has, corrected in this file: their listing is updated, no account made
  const updates = all.filter((r) => r.update);
  const rows = all.filter((r) => !r.update);
  // someone may have imported the same people since the check: those rows are skipped now
  const taken = await existingUsernames(ctx.db.read, rows.filter((r) => r.idNumber).map((r) => r.idNumber));
  if (mode === 'all' && taken.size > 0) {
    throw new AppError('CONFLICT', 'Một số học sinh vừa được nhập từ tệp khác; hãy kiểm tra lại tệp.', 'Some students were imported from another file meanwhile; please check the file again.', { code: 'IMPORT_STALE' });
  }
  const fresh = rows.filter((r) => !r.idNumber || !taken.has(r.idNumber));
  // a system-assigned code for everyone without an ID number, unique among existing usernames
  const needCodes = fresh.filter((r) => !r.idNumber).length;
  const codes = new Set<string>();
  while (codes.size < needCodes) {
    const batch = Array.from({ length: needCodes - codes.size }, () => systemCodeFromBytes(randomBytes(6)));
    const used = await existingUsernames(ctx.db.read, batch);
    for (const c of batch) if (!used.has(c)) codes.add(c);
  }
  const codeList = [...codes];
  const users: NewUser[] = [];
  const candidates: NewCandidate[] = [];
  for (const r of fresh) {
    const userId = newId();
    const username = r.idNumber || codeList.pop()!;
    users.push({ id: userId, username, role: 'candidate', orgUnitId: point.id, displayName: r.fullName, passwordHash: null, mustChangePassword: true });
    candidates.push({
      id: newId(),
      userId,
      examYear: imp.examYear,
      pointId: point.id,
      departmentCode: point.departmentCode ?? '',
      idKind: r.idKind,
      idNumber: username,
      fullName: r.fullName,
      gender: r.gender,
      dateOfBirth: r.dateOfBirth,
      birthProvince: r.birthProvince,
      className: r.className,
      candidateType: point.pointKind === 'free' ? 'free' : 'current',
    });
  }
  await ctx.db.write(async (trx) => {
    if (!(await markImportCommitted(trx, importId, actor.userId, users.length, ctx.now))) {
      throw new AppError('CONFLICT', 'Tệp này đã được nhập rồi.', 'This file has already been imported.', { code: 'IMPORT_ALREADY_COMMITTED' });
    }
    await countingAccounts(trx, users.map((u) => u.id), async () => {
      await insertUsers(trx, users, ctx.now);
      for (let i = 0; i < candidates.length; i += 200) await insertCandidates(trx, candidates.slice(i, i + 200), ctx.now);
    });
    for (const r of updates) {
      const f = new Set(r.update!.fields);
      await updateCandidateListing(
        trx,
        r.update!.candidateId,
        point.id,
        { ...(f.has('fullName') ? { fullName: r.fullName } : {}), ...(f.has('dateOfBirth') ? { dateOfBirth: r.dateOfBirth } : {}), ...(f.has('gender') ? { gender: r.gender } : {}), ...(f.has('className') ? { className: r.className } : {}) },
        ctx.now,
      );
    }
    // each new candidate's identity is checked against the population database, later, by the job worker
    await enqueueImportChecks(trx, importId, candidates, ctx.now);
    await appendAudit(
      trx,
      { action: 'account.import_committed', actor, targetType: 'import', targetId: importId, departmentCode: point.departmentCode, ip: ctx.ip, details: { mode, imported: users.length, updated: updates.length, skipped: rows.length - fresh.length } },
      ctx.now,
    );
  });
  return { imported: users.length, updated: updates.length, skipped: rows.length - fresh.length };
}

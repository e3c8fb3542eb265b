// The class list for signature as XLSX, streamed: rows are read in keyset pages of PAGE_SIZE and written
// through exceljs's streaming writer, waiting for the client between pages, so a province of 120,000
// candidates never sits in memory. Cells are formula-safe (accounts/xlsx-safe.ts).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findOrgUnit, orgIdForCode } from '../org/org.repository.ts';
import { getReference } from '../reference/reference.repository.ts';
import { requireYear } from '../verification/commands.ts';
import { fillMissingSortKeys } from '../verification/verification.repository.ts';
import { safeCell } from '../accounts/xlsx-safe.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { exportPage, type ExportRow, type ExportUnit } from './exports.repository.ts';

export const PAGE_SIZE = 2000;

export interface PreparedExport {
  fileName: string;
  /** writes the workbook to `out` and ends it; resolves with the number of candidate rows */
  write(out: Writable): Promise<number>;
}

async function drainedOrClosed(out: Writable): Promise<void> {
  const ac = new AbortController();
  await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]).finally(() => ac.abort());
}

function fileNameOf(parts: string[]): string {
  return `${parts.map((p) => foldDiacritics(p).replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')).filter(Boolean).join('-')}.xlsx`;
}

/** Resolves and authorizes the unit, audits the export, and returns the writer (nothing is read yet). */
export async function prepareCandidateList(
  ctx: Ctx,
  target: { pointId: string; className?: string | undefined } | { departmentCode: string },
  opts: { pageSize?: number; onPage?: (rows: number) => void } = {},
): Promise<PreparedExport> {
  let unit: ExportUnit;
  let title: string;
  let nameParts: string[];
  let departmentCode: string;
  const className = 'pointId' in target ? target.className : undefined;
  if ('pointId' in target) {
    const p = await findOrgUnit(ctx.db.read, target.pointId);
    if (!p || p.kind !== 'point' || !p.departmentCode) throw AppError.notFound('registration point');
    authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode });
    unit = { pointId: p.id };
    departmentCode = p.departmentCode;
    title = `${p.code} — ${p.name}${className ? ` — lớp ${className}` : ''}`;
    nameParts = ['danh-sach', p.code, ...(className ? [className] : [])];
  } else {
    const d = await findOrgUnit(ctx.db.read, orgIdForCode(target.departmentCode));
    if (!d || d.kind !== 'department') throw AppError.notFound('department');
    authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: d.id, orgKind: 'department', departmentCode: target.departmentCode });
    unit = { departmentCode: target.departmentCode };
    departmentCode = target.departmentCode;
    title = `${d.code} — ${d.name}`;
    nameParts = ['danh-sach-so', d.code];
  }
  const year = await requireYear(ctx.db);
  const isTrial = phaseAt(year, ctx.now) === 'trial';
  const withPoint = 'departmentCode' in unit;
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      { action: 'personal_data.read', actor: ctx.actor, targetType: 'export', targetId: 'pointId' in unit ? unit.pointId : `department:${departmentCode}`, departmentCode, ip: ctx.ip, details: { document: 'candidate_list_xlsx', examYear: year.year, ...(className ? { className } : {}) } },
      ctx.now,
    ),
  );
  const subjects = await getReference<{ subjects: Array<{ code: string; vi: string }> }>(ctx.db.read, 'subjects').catch(() => ({ subjects: [] }));
  const subjectName = new Map(subjects.subjects.map((s) => [s.code, s.vi]));
  const pageSize = opts.pageSize ?? PAGE_SIZE;

  return {
    fileName: fileNameOf([...nameParts, String(year.year)]),
    async write(out: Writable): Promise<number> {
      // bulk-loaded rows get their Vietnamese sort key first, the way the verification queue does
      await fillMissingSortKeys(ctx.db, unit);
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = 'ghidanh';
      const ws = wb.addWorksheet('Danh sách', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
      const columns: Array<{ header: string; width: number }> = [
        { header: 'STT', width: 6 },
        { header: 'Họ và tên', width: 28 },
        { header: 'Ngày sinh', width: 12 },
        { header: 'Giới tính', width: 9 },
        { header: 'CCCD', width: 15 },
        { header: 'Lớp', width: 8 },
        ...(withPoint ? [{ header: 'Điểm tiếp nhận', width: 10 }] : []),
        { header: 'Trạng thái hồ sơ', width: 16 },
        { header: 'Số phiếu', width: 13 },
        { header: 'Môn thi', width: 40 },
        { header: 'Chữ ký', width: 18 },
      ];
      ws.columns = columns.map((c) => ({ width: c.width }));
      ws.addRow([safeCell(`DANH SÁCH THÍ SINH ĐĂNG KÝ DỰ THI TỐT NGHIỆP THPT NĂM ${year.year} — ${title}`)]).commit();
      const header = ws.addRow(columns.map((c) => c.header));
      header.font = { bold: true };
      header.commit();
      const subjectsOf = (combo: string | null) => (combo ? combo.split('+').map((c) => subjectName.get(c) ?? c).join(', ') : '');
      const cells = (n: number, r: ExportRow) => [
        n,
        safeCell(r.fullName),
        formatVietnameseDate(r.dateOfBirth),
        r.gender === 'M' ? 'Nam' : 'Nữ',
        safeCell(r.idNumber),
        safeCell(r.className),
        ...(withPoint ? [safeCell(r.pointCode)] : []),
        r.status ? STATUS_LABELS[r.status].vi : 'Chưa đăng ký',
        safeCell(r.formNumber),
        safeCell(subjectsOf(r.subjectsCombo)),
        '',
      ];
      let n = 0;
      let after: { sortKey: string; id: string } | undefined;
      for (;;) {
        const rows = await exportPage(ctx.db.read, unit, { examYear: year.year, isTrial, className, after, limit: pageSize });
        opts.onPage?.(rows.length);
        for (const r of rows) ws.addRow(cells(++n, r)).commit();
        if (rows.length < pageSize) break;
        const last = rows[rows.length - 1]!;
        after = { sortKey: last.sortKey, id: last.candidateId };
        // let the zip stream catch up and wait for a slow client: at most about a page is buffered
        await new Promise((r) => setImmediate(r));
        if (out.writableNeedDrain) await drainedOrClosed(out);
        if (out.destroyed) throw new Error('export stream closed by the client');
      }
      ws.commit();
      await wb.commit();
      return n;
    },
  };
}

// The class list for signature as XLSX, written by a render thread (render/tasks.ts) through exceljs's
// streaming writer from pages of rows the main thread reads: a province of 120,000 candidates never sits
// in memory on either side. Cells are formula-safe (accounts/xlsx-safe.ts).
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { safeCell } from '../accounts/xlsx-safe.ts';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';
import type { ExportRow } from './exports.repository.ts';

export interface CandidateListInput {
  examYear: number;
  /** the unit in the title: "01001 — Trường … — lớp 12A1" */
  title: string;
  /** a province's list names each candidate's point */
  withPoint: boolean;
  /** subject code → Vietnamese name */
  subjectNames: ReadonlyMap<string, string>;
}

export async function writeCandidateList(i: CandidateListInput, pages: AsyncIterable<ExportRow[]>, out: Writable): Promise<number> {
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
    ...(i.withPoint ? [{ header: 'Điểm tiếp nhận', width: 10 }] : []),
    { header: 'Trạng thái hồ sơ', width: 16 },
    { header: 'Số phiếu', width: 13 },
    { header: 'Môn thi', width: 40 },
    { header: 'Chữ ký', width: 18 },
  ];
  ws.columns = columns.map((c) => ({ width: c.width }));
  ws.addRow([safeCell(`DANH SÁCH THÍ SINH ĐĂNG KÝ DỰ THI TỐT NGHIỆP THPT NĂM ${i.examYear} — ${i.title}`)]).commit();
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  const subjectsOf = (combo: string | null) => (combo ? combo.split('+').map((c) => i.subjectNames.get(c) ?? c).join(', ') : '');
  const cells = (n: number, r: ExportRow) => [
    n,
    safeCell(r.fullName),
    formatVietnameseDate(r.dateOfBirth),
    r.gender === 'M' ? 'Nam' : 'Nữ',
    safeCell(r.idNumber),
    safeCell(r.className),
    ...(i.withPoint ? [safeCell(r.pointCode)] : []),
    r.status ? STATUS_LABELS[r.status].vi : 'Chưa đăng ký',
    safeCell(r.formNumber),
    safeCell(subjectsOf(r.subjectsCombo)),
    '',
  ];
  let n = 0;
  for await (const rows of pages) {
    for (const r of rows) ws.addRow(cells(++n, r)).commit();
  }
  ws.commit();
  await wb.commit();
  return n;
}

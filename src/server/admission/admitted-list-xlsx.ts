// An institution's admitted list (danh sách trúng tuyển) as XLSX, drawn on a render thread (render/tasks.ts):
// a sheet of cut-offs per programme-method, then a sheet per programme with its admitted candidates, best
// score first (candidate number, name, date of birth, wish number, score, enrolment confirmed). A
// provisional run's list says so in its title. Cells are formula-safe.
import ExcelJS from 'exceljs';
import { safeCell } from '../accounts/xlsx-safe.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';

export interface AdmittedListInput {
  examYear: number;
  institution: { code: string; name: string };
  run: { id: string; kind: 'provisional' | 'published'; resultHash: string };
  programmes: Array<{ id: string; name: string; code: string; method: string; quota: number; admitted: number; cutoff: number | null }>;
  rows: Array<{ programmeId: string; number: string | null; fullName: string | null; dateOfBirth: string | null; wish: number; score: number; confirmedAt: string | null }>;
}

const points = (centi: number | null): string => (centi === null ? '' : (centi / 100).toFixed(2).replace('.', ','));

export async function admittedListXlsx(i: AdmittedListInput): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ghidanh';
  const status = i.run.kind === 'published' ? 'KẾT QUẢ CHÍNH THỨC' : 'KẾT QUẢ TẠM THỜI (chưa công bố)';
  const sum = wb.addWorksheet('Điểm chuẩn');
  sum.columns = [{ width: 22 }, { width: 40 }, { width: 10 }, { width: 10 }, { width: 12 }, { width: 12 }];
  sum.addRow([safeCell(`ĐIỂM CHUẨN VÀ SỐ TRÚNG TUYỂN NĂM ${i.examYear} — ${i.institution.code} ${i.institution.name} — ${status}`)]).font = { bold: true };
  sum.addRow([safeCell(`Lần chạy ${i.run.id}; mã băm kết quả SHA-256 ${i.run.resultHash}`)]);
  sum.addRow([]);
  const h = sum.addRow(['Mã ngành – phương thức', 'Tên ngành', 'Chỉ tiêu', 'Trúng tuyển', 'Điểm chuẩn', 'Xác nhận NH']);
  h.font = { bold: true };
  for (const p of i.programmes) {
    const confirmed = i.rows.filter((r) => r.programmeId === p.id && r.confirmedAt).length;
    sum.addRow([safeCell(p.id), safeCell(p.name), p.quota, p.admitted, points(p.cutoff), confirmed]);
  }
  const used = new Set<string>(['Điểm chuẩn']);
  for (const p of i.programmes) {
    let name = p.id.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
    for (let k = 2; used.has(name); k++) name = `${p.id.slice(0, 25)} ${k}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.columns = [{ width: 6 }, { width: 13 }, { width: 30 }, { width: 12 }, { width: 10 }, { width: 12 }, { width: 18 }];
    ws.addRow([safeCell(`DANH SÁCH TRÚNG TUYỂN — ${p.id} ${p.name} — ${status}`)]).font = { bold: true };
    ws.addRow([safeCell(`Chỉ tiêu ${p.quota}; trúng tuyển ${p.admitted}; điểm chuẩn ${points(p.cutoff) || '—'}`)]);
    const hh = ws.addRow(['STT', 'Số báo danh', 'Họ và tên', 'Ngày sinh', 'NV số', 'Điểm xét', 'Xác nhận nhập học']);
    hh.font = { bold: true };
    let n = 0;
    for (const r of i.rows) {
      if (r.programmeId !== p.id) continue;
      n += 1;
      ws.addRow([n, safeCell(r.number ?? ''), safeCell(r.fullName ?? ''), r.dateOfBirth ? formatVietnameseDate(r.dateOfBirth) : '', r.wish, points(r.score), r.confirmedAt ? 'Đã xác nhận' : '']);
    }
    ws.getColumn(2).numFmt = '@';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

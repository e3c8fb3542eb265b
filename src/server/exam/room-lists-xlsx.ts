// The room lists (danh sách phòng thi) as XLSX, written on a render thread through exceljs's streaming
// writer: a sheet per subject session, and in it a block per site and room (seat, candidate number,
// name, date of birth, a column to sign). Pages are one (site, session) group each, sent in session then
// site order, so a department's lists never sit in memory whole. Cells are formula-safe.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { safeCell } from '../accounts/xlsx-safe.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';
import type { RoomListRow } from './exam.repository.ts';

export interface RoomListsInput {
  examYear: number;
  /** the unit in the title: "Hội đồng thi 01 — Sở Hà Nội" or "Điểm tiếp nhận 01001 — THPT …" */
  title: string;
  /** a department's lists name each candidate's point; a point's carry only its own candidates */
  withPoint: boolean;
  /** printed under each block of a point's list: the room holds others too */
  partialNote: string | null;
}

export interface RoomGroupPage {
  site: { code: string; name: string; address: string };
  session: { code: string; name: string; when: string | null };
  rows: RoomListRow[];
}

export async function writeRoomLists(i: RoomListsInput, pages: AsyncIterable<RoomGroupPage>, out: Writable): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'ghidanh';
  const columns = [
    { header: 'STT', width: 6 },
    { header: 'Số báo danh', width: 13 },
    { header: 'Họ và tên', width: 30 },
    { header: 'Ngày sinh', width: 12 },
    ...(i.withPoint ? [{ header: 'Đơn vị ĐKDT', width: 12 }] : []),
    { header: 'Chữ ký', width: 18 },
    { header: 'Ghi chú', width: 14 },
  ];
  let ws: ExcelJS.Worksheet | undefined;
  let sheetSession = '';
  const used = new Set<string>();
  const sheetName = (name: string) => {
    // a sheet name: at most 31 characters, none of : \ / ? * [ ], unique in the workbook
    const base = name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
    let n = base;
    for (let k = 2; used.has(n); k++) n = `${base} ${k}`;
    used.add(n);
    return n;
  };
  let written = 0;
  for await (const g of pages) {
    if (!ws || sheetSession !== g.session.code) {
      ws?.commit();
      ws = wb.addWorksheet(sheetName(g.session.name), { pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
      ws.columns = columns.map((c) => ({ width: c.width }));
      sheetSession = g.session.code;
      ws.addRow([safeCell(`DANH SÁCH THÍ SINH THEO PHÒNG THI — KỲ THI TỐT NGHIỆP THPT NĂM ${i.examYear} — ${i.title}`)]).commit();
    }
    const rooms = new Map<number, RoomListRow[]>();
    for (const r of g.rows) rooms.set(r.room, [...(rooms.get(r.room) ?? []), r]);
    for (const [room, rows] of [...rooms.entries()].sort((a, b) => a[0] - b[0])) {
      ws.addRow([]).commit();
      const site = ws.addRow([safeCell(`Điểm thi: ${g.site.code} — ${g.site.name} — ${g.site.address}`)]);
      site.font = { bold: true };
      site.commit();
      const where = ws.addRow([safeCell(`Môn thi: ${g.session.name}${g.session.when ? ` — ${g.session.when}` : ''} — Phòng thi số ${room} (${rows.length} thí sinh)`)]);
      where.font = { bold: true };
      where.commit();
      const header = ws.addRow(columns.map((c) => c.header));
      header.font = { bold: true };
      header.commit();
      for (const r of rows) {
        ws.addRow([r.seat, safeCell(r.number), safeCell(r.fullName), formatVietnameseDate(r.dateOfBirth), ...(i.withPoint ? [safeCell(r.pointCode)] : []), '', '']).commit();
        written += 1;
      }
      if (i.partialNote) ws.addRow([safeCell(i.partialNote)]).commit();
    }
  }
  if (!ws) {
    ws = wb.addWorksheet('Danh sách phòng thi');
    ws.addRow([safeCell(`Chưa có thí sinh nào được xếp phòng thi — ${i.title}`)]).commit();
  }
  ws.commit();
  await wb.commit();
  return written;
}

// The documents a point prints and hands out: credential slips (PDF, A4, ten slips a page in two columns
// with dashed cut lines, DejaVu Sans embedded so every Vietnamese diacritic prints), the class teacher's
// list (XLSX) and the empty class-list template (XLSX). Every text cell written to a workbook goes through
// safeCell (formula injection).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import ExcelJS from 'exceljs';
import { compareVietnameseNames } from '../../domain/names.ts';
import { safeCell } from './xlsx-safe.ts';
import { TEMPLATE_COLUMNS } from './class-list-validate.ts';
import { rowsToFixXlsx, type FailedRowOut } from '../render/rows-to-fix-xlsx.ts';

export interface Credential {
  username: string;
  fullName: string;
  className: string | null;
  dateOfBirth: string;
  oneTimePassword: string;
}

const require = createRequire(import.meta.url);
let font: Buffer | undefined;
let fontBold: Buffer | undefined;
function fonts(): { regular: Buffer; bold: Buffer } {
  font ??= fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  fontBold ??= fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));
  return { regular: font, bold: fontBold };
}

/** Class, then the Vietnamese name order: how a teacher hands slips out. */
export function sortForClass<T extends { className: string | null; fullName: string }>(list: T[]): T[] {
  const collator = new Intl.Collator('vi', { numeric: true });
  return [...list].sort((a, b) => collator.compare(a.className ?? '', b.className ?? '') || compareVietnameseNames(a.fullName, b.fullName));
}

const dmy = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso);

export interface SlipContext {
  pointName: string;
  url: string;
}

/** One block of a slip: its text, style and where it sits (top and measured height, points from the slip's top). */
export interface SlipBlock {
  text: string;
  font: 'R' | 'B';
  size: number;
  color: string;
  spacing?: number;
  y: number;
  height: number;
}

/** The slip's content height available inside the cut lines: a fifth of A4 less the padding. */
export const SLIP_CONTENT_HEIGHT = 841.89 / 5 - 2 * 18;

/**
 * Lays a slip out top to bottom, each block placed under the one before at its MEASURED height (a long
 * point name, name or address wraps and pushes what follows down instead of printing over it). When the
 * whole does not fit the slip, the small print shrinks, then the gaps, until it does.
 */
export function layoutSlip(doc: PDFKit.PDFDocument, c: Credential, ctx: SlipContext, width: number): SlipBlock[] {
  const specs = (small: number): Array<Omit<SlipBlock, 'y' | 'height'> & { gap: number }> => [
    { text: 'PHIẾU TÀI KHOẢN ĐĂNG KÝ DỰ THI', font: 'B', size: 10, color: '#000000', gap: 1 },
    { text: `Account slip · ${ctx.pointName}`, font: 'R', size: 7.5, color: '#444444', gap: 4 },
    { text: c.fullName, font: 'B', size: 9, color: '#000000', gap: 2 },
    { text: `Ngày sinh / Date of birth: ${dmy(c.dateOfBirth)}    Lớp / Class: ${c.className ?? ''}`, font: 'R', size: 8, color: '#000000', gap: 3 },
    { text: 'Tên đăng nhập / Username:', font: 'R', size: 8, color: '#000000', gap: 0 },
    { text: c.username, font: 'B', size: 12, color: '#000000', spacing: 1, gap: 3 },
    { text: 'Mật khẩu lần đầu / One-time password:', font: 'R', size: 8, color: '#000000', gap: 0 },
    { text: c.oneTimePassword, font: 'B', size: 12, color: '#000000', spacing: 2, gap: 4 },
    { text: `Đăng nhập tại ${ctx.url} và đổi mật khẩu ngay lần đầu; không đưa phiếu cho người khác.`, font: 'R', size: small, color: '#333333', gap: 1 },
    { text: `Sign in at ${ctx.url} and change the password at once; keep this slip private.`, font: 'R', size: small, color: '#333333', gap: 0 },
  ];
  let out: SlipBlock[] = [];
  for (const [small, gapScale] of [[7, 1], [6.5, 0.5], [6, 0], [5.5, 0]] as const) {
    out = [];
    let y = 0;
    for (const b of specs(small)) {
      doc.font(b.font).fontSize(b.size);
      const height = doc.heightOfString(b.text, { width, ...(b.spacing ? { characterSpacing: b.spacing } : {}) });
      const { gap, ...rest } = b;
      out.push({ ...rest, y, height });
      y += height + gap * gapScale;
    }
    if (y <= SLIP_CONTENT_HEIGHT) break;
  }
  return out;
}

export function slipsPdf(list: Credential[], ctx: SlipContext): Promise<Buffer> {
  const { regular, bold } = fonts();
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: `Phiếu tài khoản - ${ctx.pointName}`, Author: 'ghidanh' } });
  doc.registerFont('R', regular);
  doc.registerFont('B', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const pageW = 595.28;
  const pageH = 841.89;
  const cols = 2;
  const rows = 5;
  const perPage = cols * rows;
  const w = pageW / cols;
  const h = pageH / rows;
  const pad = 18;
  sortForClass(list).forEach((c, i) => {
    const k = i % perPage;
    if (i > 0 && k === 0) doc.addPage();
    if (k === 0) {
      // cut lines for the whole page
      doc.save().lineWidth(0.5).dash(4, { space: 3 }).strokeColor('#888888');
      for (let x = 1; x < cols; x++) doc.moveTo(x * w, 0).lineTo(x * w, pageH).stroke();
      for (let y = 1; y < rows; y++) doc.moveTo(0, y * h).lineTo(pageW, y * h).stroke();
      doc.undash().restore();
    }
    const x = (k % cols) * w + pad;
    const y = Math.floor(k / cols) * h + pad;
    const tw = w - 2 * pad;
    for (const b of layoutSlip(doc, c, ctx, tw)) {
      doc.font(b.font).fontSize(b.size).fillColor(b.color);
      doc.text(b.text, x, y + b.y, { width: tw, height: b.height + 1, ellipsis: true, ...(b.spacing ? { characterSpacing: b.spacing } : {}) });
    }
  });
  if (list.length === 0) doc.font('R').fontSize(12).text('Không có tài khoản nào / No accounts', 50, 50);
  doc.end();
  return done;
}

export async function teacherListXlsx(list: Credential[], ctx: SlipContext): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ghidanh';
  const ws = wb.addWorksheet('Danh sách tài khoản');
  ws.columns = [
    { header: 'STT / No.', width: 8 },
    { header: 'Lớp / Class', width: 10 },
    { header: 'Họ và tên / Full name', width: 30 },
    { header: 'Ngày sinh / Date of birth', width: 14 },
    { header: 'Tên đăng nhập / Username', width: 18 },
    { header: 'Mật khẩu lần đầu / One-time password', width: 20 },
  ];
  ws.getRow(1).font = { bold: true };
  sortForClass(list).forEach((c, i) => {
    ws.addRow([i + 1, safeCell(c.className), safeCell(c.fullName), safeCell(dmy(c.dateOfBirth)), safeCell(c.username), safeCell(c.oneTimePassword)]);
  });
  // usernames and passwords are text: never let Excel turn a CCCD into 1.208E+09
  ws.getColumn(5).numFmt = '@';
  ws.getColumn(6).numFmt = '@';
  ws.addRow([]);
  ws.addRow(['', '', safeCell(`${ctx.pointName}: học sinh đăng nhập tại ${ctx.url} và đổi mật khẩu ngay lần đầu.`)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type { FailedRowOut };

/**
 * The rows of a class list that were not imported, in the template's columns (so the corrected file can be
 * uploaded as it is: the extra columns are ignored), with the row of the original file and what to fix.
 */
export async function failedRowsXlsx(input: { fileName: string; rows: FailedRowOut[] }): Promise<Buffer> {
  return rowsToFixXlsx(
    {
      sheetName: 'Dòng cần sửa',
      columns: TEMPLATE_COLUMNS.map((c) => ({ field: c.field, header: c.header, width: c.width, numbered: c.field === 'no', text: c.field === 'dateOfBirth' || c.field === 'idNumber' })),
      help: [
        'Sửa từng dòng theo cột "Cần sửa", rồi tải tệp này lên lại; các học sinh đã nhập được giữ nguyên. Fix each row as the "To fix" column says, then upload this file again; students already imported are left as they are.',
      ],
    },
    input,
  );
}

export async function templateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ghidanh';
  const ws = wb.addWorksheet('Danh sách lớp');
  ws.columns = TEMPLATE_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(TEMPLATE_COLUMNS.map((c) => safeCell(c.example)));
  ws.getColumn(3).numFmt = '@';
  ws.getColumn(5).numFmt = '@';
  const help = wb.addWorksheet('Hướng dẫn');
  for (const line of [
    'Mỗi dòng một học sinh; xoá dòng ví dụ. Each row is one student; delete the example row.',
    'Họ và tên viết đúng như giấy khai sinh, có dấu. Full name as on the birth certificate, with diacritics.',
    'Ngày sinh dạng dd/mm/yyyy. Date of birth as dd/mm/yyyy.',
    'Giới tính: Nam hoặc Nữ. Gender: Nam (male) or Nữ (female).',
    'Số định danh: 12 chữ số (CCCD); người nước ngoài ghi số hộ chiếu; để trống nếu không có, hệ thống sẽ cấp mã. ID: the 12-digit CCCD; foreigners the passport number; leave empty when there is none and the system assigns a code.',
    'Quốc tịch: VN nếu là công dân Việt Nam. Nationality: VN for Vietnamese citizens.',
    'Lưu tệp dạng .xlsx hoặc CSV UTF-8. Save as .xlsx or CSV UTF-8.',
  ]) help.addRow([line]);
  help.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

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
    // every line stays inside its slip (pdfkit would otherwise start a new page near the bottom edge)
    const line = { width: tw, lineBreak: false, ellipsis: true } as const;
    doc.fillColor('#000000').font('B').fontSize(10).text('PHIẾU TÀI KHOẢN ĐĂNG KÝ DỰ THI', x, y, line);
    doc.font('R').fontSize(7.5).fillColor('#444444').text(`Account slip · ${ctx.pointName}`, x, y + 12, line);
    doc.fillColor('#000000').font('B').fontSize(9).text(c.fullName, x, y + 26, line);
    doc.font('R').text(`Ngày sinh: ${dmy(c.dateOfBirth)}    Lớp: ${c.className ?? ''}`, x, y + 39, line);
    doc.text('Tên đăng nhập / Username:', x, y + 54, line);
    doc.font('B').fontSize(12).text(c.username, x, y + 65, { ...line, characterSpacing: 1 });
    doc.font('R').fontSize(9).text('Mật khẩu lần đầu / One-time password:', x, y + 84, line);
    doc.font('B').fontSize(12).text(c.oneTimePassword, x, y + 95, { ...line, characterSpacing: 2 });
    doc.font('R').fontSize(7).fillColor('#333333');
    doc.text(`Đăng nhập tại ${ctx.url} và đổi mật khẩu ngay lần đầu; không đưa phiếu cho người khác.`, x, y + 114, line);
    doc.text(`Sign in at ${ctx.url} and change the password at once; keep this slip private.`, x, y + 123, line);
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

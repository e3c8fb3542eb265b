// The exam notice (giấy báo dự thi) as an A4 page per candidate, drawn on a render thread (render/tasks.ts):
// one candidate's notice, or a class's notices one after another from pages the main thread reads. Pure
// drawing from the data sent (DejaVu fonts embedded, as for the registration form); the database and the
// photos are read by the caller (notices.ts).
import type { Writable } from 'node:stream';
import { newFormDocument } from '../dossiers/form-pdf.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';

export interface NoticeSession {
  /** the subject's Vietnamese name */
  name: string;
  /** null when the year's timetable does not place the session */
  date: string | null;
  start: string | null;
  end: string | null;
  minutes: number | null;
  room: number;
  seat: number;
}

export interface NoticeData {
  number: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  idNumber: string;
  className: string | null;
  pointName: string;
  site: { code: string; name: string; address: string };
  sessions: NoticeSession[];
  photo?: Uint8Array | undefined;
}

/** What every notice of a file shares. */
export interface NoticeCommon {
  title: string;
  examYear: number;
  departmentName: string;
  councilCode: string;
  /** the local date printed above the signature, YYYY-MM-DD */
  issuedOn: string;
  checkIn: { date: string; time: string } | null;
  rules: string[];
}

export interface NoticeInput extends NoticeCommon {
  notice: NoticeData;
}

export interface ClassNoticesInput extends NoticeCommon {
  /** printed alone when the class has no numbered candidate */
  emptyText: string;
  /** candidates of the class without a number: listed on a last page so nobody is silently missing */
  withoutNumbers: string[];
}

/** A few notices with their photos: what one message to the render thread carries. */
export type NoticePage = NoticeData[];

const asBuffer = (u: Uint8Array | undefined) => (u ? Buffer.from(u.buffer, u.byteOffset, u.byteLength) : undefined);
const LEFT = 50;

function drawNotice(doc: PDFKit.PDFDocument, c: NoticeCommon, n: NoticeData): void {
  const W = doc.page.width - 2 * LEFT;
  const half = W / 2;
  const top = doc.page.margins.top;
  doc.font('bold').fontSize(9).text(`SỞ GIÁO DỤC VÀ ĐÀO TẠO`, LEFT, top, { width: half - 10, align: 'center' });
  doc.font('regular').fontSize(9).text(c.departmentName.toLocaleUpperCase('vi'), { width: half - 10, align: 'center' });
  doc.text(`Hội đồng thi: ${c.councilCode}`, { width: half - 10, align: 'center' });
  doc.font('bold').fontSize(9).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', LEFT + half, top, { width: half, align: 'center' });
  doc.font('regular').fontSize(9).text('Độc lập - Tự do - Hạnh phúc', LEFT + half, doc.y, { width: half, align: 'center' });

  doc.font('bold').fontSize(16).text('GIẤY BÁO DỰ THI', LEFT, top + 52, { width: W, align: 'center' });
  doc.font('bold').fontSize(11).text(`KỲ THI TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG NĂM ${c.examYear}`, LEFT, doc.y + 2, { width: W, align: 'center' });

  // the photo box, top right, 3×4
  const boxW = 90;
  const boxH = 120;
  const boxX = LEFT + W - boxW;
  const boxY = top + 95;
  doc.rect(boxX, boxY, boxW, boxH).stroke();
  const photo = asBuffer(n.photo);
  if (photo) doc.image(photo, boxX + 1, boxY + 1, { fit: [boxW - 2, boxH - 2], align: 'center', valign: 'center' });
  else doc.font('regular').fontSize(8).text('Ảnh 3×4', boxX, boxY + boxH / 2 - 4, { width: boxW, align: 'center' });

  const textW = W - boxW - 15;
  doc.font('regular').fontSize(11).text('Số báo danh: ', LEFT, boxY, { width: textW, continued: true }).font('bold').fontSize(15).text(n.number);
  const line = (label: string, value: string) => {
    doc.font('regular').fontSize(10.5).text(`${label}: `, LEFT, doc.y + 3, { width: textW, continued: true }).font('bold').text(value || '—');
  };
  line('Họ và tên', n.fullName);
  line('Ngày sinh', formatVietnameseDate(n.dateOfBirth));
  line('Giới tính', n.gender === 'M' ? 'Nam' : 'Nữ');
  line('Số CCCD/định danh cá nhân', n.idNumber);
  line('Đơn vị đăng ký dự thi', n.className ? `${n.pointName} — lớp ${n.className}` : n.pointName);
  line('Điểm thi', `${n.site.name} (mã ${n.site.code})`);
  line('Địa chỉ điểm thi', n.site.address);

  let y = Math.max(doc.y, boxY + boxH) + 12;
  if (c.checkIn) {
    doc.font('bold').fontSize(10.5).text(`Làm thủ tục dự thi: ${c.checkIn.time} ngày ${formatVietnameseDate(c.checkIn.date)} tại điểm thi.`, LEFT, y, { width: W });
    y = doc.y + 8;
  }

  // the sessions: subject, date, start (and end), length, room, seat
  const cols = [
    { h: 'Môn thi', w: 0.27 },
    { h: 'Ngày thi', w: 0.15 },
    { h: 'Giờ làm bài', w: 0.18 },
    { h: 'Thời gian', w: 0.12 },
    { h: 'Phòng thi', w: 0.14 },
    { h: 'Số thứ tự', w: 0.14 },
  ].map((k) => ({ ...k, w: k.w * W }));
  const row = (cells: string[], bold: boolean) => {
    const h = 20;
    let x = LEFT;
    doc.font(bold ? 'bold' : 'regular').fontSize(9.5);
    cells.forEach((t, i) => {
      doc.rect(x, y, cols[i]!.w, h).stroke();
      doc.text(t, x + 3, y + 5, { width: cols[i]!.w - 6, align: i === 0 ? 'left' : 'center', lineBreak: false, ellipsis: true });
      x += cols[i]!.w;
    });
    y += h;
  };
  row(cols.map((k) => k.h), true);
  for (const s of n.sessions) {
    row(
      [
        s.name,
        s.date ? formatVietnameseDate(s.date) : 'Theo thông báo',
        s.start ? `${s.start}${s.end ? ` – ${s.end}` : ''}` : 'Theo thông báo',
        s.minutes ? `${s.minutes} phút` : '—',
        String(s.room),
        String(s.seat),
      ],
      false,
    );
  }
  doc.font('regular').fontSize(8.5).text('Giờ làm bài là giờ bắt đầu tính giờ làm bài; thí sinh có mặt tại phòng thi trước đó theo hướng dẫn của điểm thi.', LEFT, y + 4, { width: W });

  doc.font('bold').fontSize(10.5).text('QUY ĐỊNH ĐỐI VỚI THÍ SINH', LEFT, doc.y + 10, { width: W });
  doc.font('regular').fontSize(9);
  c.rules.forEach((r, i) => doc.text(`${i + 1}. ${r}`, LEFT, doc.y + 2, { width: W }));

  const sy = Math.min(doc.y + 16, doc.page.height - doc.page.margins.bottom - 90);
  doc.font('regular').fontSize(10).text(`Ngày ${formatVietnameseDate(c.issuedOn)}`, LEFT + half, sy, { width: half, align: 'center' });
  doc.font('bold').text('THỦ TRƯỞNG ĐƠN VỊ ĐĂNG KÝ DỰ THI', LEFT + half, sy + 15, { width: half, align: 'center' });
  doc.font('regular').fontSize(9).text('(Ký, ghi rõ họ tên, đóng dấu)', LEFT + half, sy + 30, { width: half, align: 'center' });
  doc.font('regular').fontSize(8.5).text('Thí sinh giữ Giấy báo dự thi đến hết kỳ thi.', LEFT, sy + 15, { width: half - 10 });
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

export function noticePdfFile(i: NoticeInput): Promise<Buffer> {
  const doc = newFormDocument(i.title);
  const done = collect(doc);
  drawNotice(doc, i, i.notice);
  doc.end();
  return done;
}

export async function writeClassNotices(i: ClassNoticesInput, pages: AsyncIterable<NoticePage>, out: Writable): Promise<number> {
  const doc = newFormDocument(i.title);
  doc.pipe(out);
  let drawn = 0;
  for await (const page of pages) {
    for (const n of page) {
      if (drawn > 0) doc.addPage();
      drawNotice(doc, i, n);
      drawn += 1;
    }
  }
  if (drawn === 0) doc.font('regular').fontSize(12).text(i.emptyText);
  if (i.withoutNumbers.length > 0) {
    if (drawn > 0) doc.addPage();
    doc.font('bold').fontSize(12).text(`Thí sinh của lớp chưa có số báo danh (${i.withoutNumbers.length})`, LEFT, doc.page.margins.top);
    doc.font('regular').fontSize(10).text('Hồ sơ chưa được duyệt hoặc Sở GD&ĐT chưa đánh số; không có giấy báo dự thi cho các thí sinh này.', { width: doc.page.width - 2 * LEFT });
    doc.moveDown(0.5);
    i.withoutNumbers.forEach((name, k) => doc.text(`${k + 1}. ${name}`));
  }
  doc.end();
  return drawn;
}

// The registration form (phiếu đăng ký dự thi) as an A4 PDF: every declared item, the form number the
// point assigned, the photo, and the signature lines. DejaVu Sans is embedded because it covers every
// Vietnamese letter and tone (the PDF standard fonts do not). Built on request, outside any transaction.
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/create-db.ts';
import { rulesContext, type StaticContext } from './rules.ts';
import { loadTarget, type DossierTarget, type Loaded } from './access.ts';
import { listUploads } from './dossier.repository.ts';
import { communesOf } from '../places/places.ts';
import { findSchool } from '../places/schools.repository.ts';
import { readStored } from './upload-storage.ts';
import { sectionApplies, type Dossier } from '../../domain/dossier.ts';
import type { RenderPool } from '../render/pool.ts';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
export const FONT_BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

const yesNo = (b: boolean | undefined) => (b ? 'Có' : 'Không');
const PURPOSE: Record<string, string> = { graduation: 'Xét công nhận tốt nghiệp THPT', admission: 'Xét tuyển sinh', both: 'Xét tốt nghiệp và xét tuyển sinh' };
const TRACK: Record<string, string> = { THPT: 'Trung học phổ thông', GDTX: 'Giáo dục thường xuyên', TC: 'Trung cấp' };

/** What one form shows: the year, the candidate, their dossier (if any) and its photo. */
export interface FormSubject {
  year: { year: number };
  candidate: Loaded['candidate'];
  dossier: Loaded['dossier'];
  /** the names of the dossier's communes and schools (formPlaceNames), so the form prints no codes */
  places?: Record<string, string>;
}

const communeKey = (province: string, commune: string) => `c:${province}:${commune}`;
const schoolKey = (department: string, school: string) => `s:${department}:${school.toUpperCase()}`;

/** The names of the communes and schools a dossier names, read by the caller (a render thread has no database). */
export async function formPlaceNames(db: Db, dossier: Loaded['dossier']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const r = dossier?.data.residence;
  if (!r) return out;
  for (const g of [r.grade10, r.grade11, r.grade12]) {
    if (!g) continue;
    if (g.provinceCode && g.communeCode) {
      const c = (await communesOf(db.read, g.provinceCode)).find((x) => x.code === g.communeCode);
      if (c) out[communeKey(g.provinceCode, g.communeCode)] = c.name;
    }
    if (g.schoolProvinceCode && g.schoolCode) {
      const s = await findSchool(db.read, g.schoolProvinceCode, g.schoolCode.toUpperCase());
      if (s) out[schoolKey(g.schoolProvinceCode, g.schoolCode)] = s.name;
    }
  }
  return out;
}

/** A new A4 document with the Vietnamese fonts registered, for one form or a class's forms. */
export function newFormDocument(title: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 40, bottom: 40, left: 50, right: 50 }, info: { Title: title, Author: 'ghidanh' } });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  return doc;
}

/** The code lists a form prints names from (what a render thread is sent, not the whole rule context). */
export type FormNames = Pick<StaticContext, 'provinceNames' | 'ethnicityNames' | 'subjectNames' | 'languageNames'>;

/** Draws one form on the current page of `doc` (a caller printing a class adds a page between forms). */
export function drawRegistrationForm(doc: PDFKit.PDFDocument, l: FormSubject, names: FormNames, photoBytes: Buffer | undefined, now: Date): void {
  const d: Partial<Dossier> = l.dossier?.data ?? {};
  const W = doc.page.width - 100;

  doc.font('bold').fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { align: 'center' });
  doc.font('regular').fontSize(10).text('Độc lập - Tự do - Hạnh phúc', { align: 'center' });
  doc.moveDown(0.8);
  doc.font('bold').fontSize(14).text(`PHIẾU ĐĂNG KÝ DỰ THI TỐT NGHIỆP THPT NĂM ${l.year.year}`, { align: 'center' });
  if (l.dossier?.isTrial) doc.font('regular').fontSize(10).text('(BẢN ĐĂNG KÝ THỬ - KHÔNG CÓ GIÁ TRỊ)', { align: 'center' });
  doc.moveDown(0.5);
  doc.font('regular').fontSize(10);
  doc.text(`Số phiếu: ${l.dossier?.formNumber ?? '……………… (điểm tiếp nhận ghi)'}`);
  doc.text(`Trạng thái: ${STATUS_LABELS[l.dossier?.status ?? 'draft'].vi}    Kênh: ${l.dossier?.channel === 'desk' ? 'Tại điểm tiếp nhận' : 'Trực tuyến'}`);
  doc.text(`Mã đơn vị ĐKDT (Sở GD&ĐT): ${l.candidate.departmentCode}`);

  // the photo box, top right: 3×4 proportion
  const boxX = doc.page.width - 50 - 90;
  const boxY = 110;
  doc.rect(boxX, boxY, 90, 120).stroke();
  if (photoBytes) doc.image(photoBytes, boxX + 1, boxY + 1, { fit: [88, 118], align: 'center', valign: 'center' });
  else doc.fontSize(8).text('Ảnh 4×6', boxX, boxY + 55, { width: 90, align: 'center' }).fontSize(10);
  doc.x = 50;
  doc.moveDown(1);

  let n = 0;
  const heading = (t: string) => {
    doc.moveDown(0.4);
    doc.font('bold').fontSize(11).text(t, 50, doc.y, { width: W - 100 });
    doc.font('regular').fontSize(10);
  };
  const item = (label: string, value: string | undefined) => {
    n += 1;
    doc.text(`${n}. ${label}: ${value && value !== '' ? value : '—'}`, 50, doc.y, { width: W - (doc.y < boxY + 125 ? 100 : 0) });
  };

  const p = d.personal;
  heading('I. THÔNG TIN CÁ NHÂN');
  item('Họ và tên (chữ in hoa có dấu)', p?.fullName);
  item('Giới tính', p ? (p.gender === 'male' ? 'Nam' : 'Nữ') : undefined);
  item('Ngày sinh', p?.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(p.dateOfBirth) ? formatVietnameseDate(p.dateOfBirth) : p?.dateOfBirth);
  item('Nơi sinh', p ? (p.birthPlace.provinceCode ? (names.provinceNames.get(p.birthPlace.provinceCode) ?? p.birthPlace.provinceCode) : (p.birthPlace.country ?? '')) : undefined);
  item('Dân tộc', p ? (names.ethnicityNames.get(p.ethnicityCode) ?? p.ethnicityCode) : undefined);
  item('Quốc tịch', p?.nationality === 'VN' ? 'Việt Nam' : p?.nationality);
  item('Số định danh cá nhân / CCCD', p?.idNumber);

  heading('II. NƠI THƯỜNG TRÚ VÀ TRƯỜNG HỌC');
  const r = d.residence;
  for (const g of ['grade10', 'grade11', 'grade12'] as const) {
    const x = r?.[g];
    // names as the candidate chose them; a code only for a place the lists no longer hold
    const commune = x ? (l.places?.[communeKey(x.provinceCode, x.communeCode)] ?? `xã ${x.communeCode}`) : '';
    const province = x ? (names.provinceNames.get(x.provinceCode) ?? `tỉnh ${x.provinceCode}`) : '';
    const school = x ? (l.places?.[schoolKey(x.schoolProvinceCode, x.schoolCode)] ?? `trường ${x.schoolProvinceCode}-${x.schoolCode}`) : '';
    item(`Lớp ${g.slice(5)}`, x ? `thường trú: ${commune}, ${province}; trường: ${school}${x.area ? ` (${x.area})` : ''}` : undefined);
  }
  item('Thường trú trên 18 tháng tại Khu vực 1', r ? yesNo(r.kv1Over18Months) : undefined);
  item('Thường trú trên 18 tháng tại xã đặc biệt khó khăn', r ? yesNo(r.disadvantagedCommuneOver18Months) : undefined);

  heading('III. LIÊN HỆ');
  item('Điện thoại', d.contact?.phone);
  item('Email', d.contact?.email);
  item('Địa chỉ liên hệ', d.contact?.address);

  heading('IV. DIỆN DỰ THI VÀ MỤC ĐÍCH');
  const s = d.status;
  item('Diện thí sinh', s ? (s.candidateType === 'current' ? 'Học sinh lớp 12 (đang học)' : 'Thí sinh tự do') : undefined);
  item('Đã tốt nghiệp THPT', s ? yesNo(s.graduated) : undefined);
  item('Chương trình', s ? `${s.programme === 'CT2018' ? 'GDPT 2018' : 'GDPT 2006'} — ${TRACK[s.track] ?? s.track}` : undefined);
  item('Mục đích dự thi', d.purpose ? PURPOSE[d.purpose] : undefined);

  heading('V. ĐĂNG KÝ MÔN THI');
  const sub = d.subjects;
  const subj = (c: string) => names.subjectNames.get(c)?.vi ?? c;
  item('Môn tự chọn', sub ? sub.electives.map(subj).join(', ') : undefined);
  if (sub?.combinations && sub.combinations.length > 0) item('Bài thi tổ hợp', sub.combinations.join(', '));
  item('Ngoại ngữ', sub?.foreignLanguage ? `${sub.foreignLanguage} — ${names.languageNames.get(sub.foreignLanguage)?.vi ?? ''}` : undefined);
  const ex = d.exemption;
  // a section not asked of this candidate is "no" on paper, not "not filled in"
  item('Miễn thi Ngoại ngữ', ex ? (ex.foreignLanguage ? `Có — chứng chỉ ${ex.certificate ?? ''} ${ex.result ?? ''}`.trim() : 'Không') : sectionApplies('exemption', d) ? undefined : 'Không');
  if (ex?.literature) item('Miễn thi Ngữ văn', `Có — tiếng Việt bậc ${ex.vietnameseLevel ?? ''}`);
  const rs = d.retainedScores;
  item('Bảo lưu điểm thi', rs && rs.length > 0 ? rs.map((x) => `${subj(x.subject)} ${x.score} (${x.year})`).join('; ') : 'Không');

  heading('VI. ƯU TIÊN, KHUYẾN KHÍCH');
  item('Đối tượng ưu tiên', d.priority?.object ?? 'Không');
  item('Điểm khuyến khích', d.priority?.encouragementPoints !== undefined ? String(d.priority.encouragementPoints) : 'Không');

  if (l.dossier?.deskDocuments) {
    heading('VII. ĐĂNG KÝ TẠI ĐIỂM TIẾP NHẬN');
    item('Giấy tờ đã kiểm tra', l.dossier.deskDocuments.checked.join(', '));
    if (l.dossier.deskDocuments.note) item('Ghi chú', l.dossier.deskDocuments.note);
  }

  doc.moveDown(0.6);
  doc.fontSize(9).text('Tôi xin cam đoan những lời khai trên là đúng sự thật. Nếu sai tôi xin chịu trách nhiệm.', 50, doc.y, { width: W });
  if (doc.y > doc.page.height - 160) doc.addPage();
  const today = instantToVietnamLocal(now).date;
  const y = doc.y + 14;
  const col = W / 2;
  doc.fontSize(10);
  doc.text(`Ngày ${formatVietnameseDate(today)}`, 50 + col, y, { width: col, align: 'center' });
  doc.font('bold').text('XÁC NHẬN CỦA ĐIỂM TIẾP NHẬN', 50, y + 16, { width: col, align: 'center' });
  doc.text('NGƯỜI ĐĂNG KÝ', 50 + col, y + 16, { width: col, align: 'center' });
  doc.font('regular').fontSize(9);
  doc.text('(Ký, ghi rõ họ tên, đóng dấu)', 50, y + 30, { width: col, align: 'center' });
  doc.text('(Ký và ghi rõ họ tên)', 50 + col, y + 30, { width: col, align: 'center' });
  doc.moveTo(70, y + 95).lineTo(50 + col - 20, y + 95).dash(2, { space: 2 }).stroke();
  doc.moveTo(70 + col, y + 95).lineTo(50 + W - 20, y + 95).stroke();
  doc.undash();
  if (p?.fullName) doc.fontSize(10).text(p.fullName, 50 + col, y + 100, { width: col, align: 'center' });
}

/** The photo of a dossier, if one was uploaded and is still stored. */
export async function formPhoto(db: Db, dataDir: string, dossierId: string | undefined): Promise<Buffer | undefined> {
  const photo = dossierId ? (await listUploads(db.read, dossierId, 'photo'))[0] : undefined;
  return photo ? await readStored(dataDir, photo.storagePath).catch(() => undefined) : undefined;
}

/** The form is drawn on a render thread (render/pool.ts): a PDF never holds up the event loop. */
export async function registrationFormPdf(ctx: Ctx, dataDir: string, target: DossierTarget, render: RenderPool): Promise<{ pdf: Buffer; fileName: string }> {
  const l = await loadTarget(ctx, target, 'candidate.read');
  const dctx = await rulesContext(ctx.db.read, l.year, ctx.now);
  const photo = await formPhoto(ctx.db, dataDir, l.dossier?.id);
  const { provinceNames, ethnicityNames, subjectNames, languageNames } = dctx.names;
  const pdf = await render.run('registration-form', {
    title: `Phiếu đăng ký dự thi ${l.year.year}`,
    subject: { year: { year: l.year.year }, candidate: l.candidate, dossier: l.dossier, places: await formPlaceNames(ctx.db, l.dossier) },
    names: { provinceNames, ethnicityNames, subjectNames, languageNames },
    photo,
    now: ctx.now.toISOString(),
  });
  return { pdf, fileName: `phieu-dkdt-${l.year.year}-${l.dossier?.formNumber ?? l.candidate.id}.pdf` };
}

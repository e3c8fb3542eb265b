// Uploaded files that could act rather than be looked at. Images are judged by their header before any
// pixel is decoded: a small file that inflates to a 100-megapixel picture is refused as too large (with that
// reason, not as a wrong type). PDFs are refused, with the reason named, when they carry JavaScript,
// automatic or launch actions, embedded files, forms or encryption (which hides the rest): the evidence a
// registration needs is a scan or a printed certificate, and a viewer that opens one with its scripts on
// is the attack. Refusing keeps the stored file byte for byte what its owner sent, which a re-written PDF
// would not; the candidate prints the document to a new PDF or sends a photo instead.
import zlib from 'node:zlib';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../http/errors.ts';

/** What a header may announce: no ID photo or scanned page needs more (an A4 page at 600 dpi is 35 M). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export type ImageHeader = { format: 'jpeg' | 'png'; width: number; height: number; orientation: number };

export function tooManyPixels(width: number, height: number): AppError {
  const mp = Math.round((width * height) / 1e6);
  return new AppError(
    'UNPROCESSABLE',
    `Ảnh quá lớn (${width}×${height} px, khoảng ${mp} triệu điểm ảnh): tối đa ${MAX_IMAGE_PIXELS / 1e6} triệu điểm ảnh. Xin chụp hoặc quét lại với độ phân giải thấp hơn.`,
    `The image is too large (${width}×${height} px, about ${mp} megapixels): at most ${MAX_IMAGE_PIXELS / 1e6} megapixels. Please take or scan it again at a lower resolution.`,
    { code: 'IMAGE_TOO_MANY_PIXELS', details: { width, height, maxPixels: MAX_IMAGE_PIXELS } },
  );
}

/**
 * The image's header, read without decoding a pixel; null when the bytes are no JPEG or PNG. Throws
 * IMAGE_TOO_MANY_PIXELS when the picture would decode to more than MAX_IMAGE_PIXELS.
 */
export async function readImageHeader(bytes: Buffer): Promise<ImageHeader | null> {
  let meta: Metadata;
  try {
    // the header only: the pixel limit is checked here, so sharp's own (which fails as an unreadable file) is off
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return null;
  }
  if ((meta.format !== 'jpeg' && meta.format !== 'png') || !meta.width || !meta.height) return null;
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) throw tooManyPixels(meta.width, meta.height);
  return { format: meta.format, width: meta.width, height: meta.height, orientation: meta.orientation ?? 1 };
}

/** PDF names that make a document act: run script, act on open or on events, launch, carry files or forms. */
const ACTIVE_NAMES: Record<string, string> = {
  JavaScript: 'JavaScript',
  JS: 'JavaScript',
  OpenAction: 'hành động tự chạy khi mở / an action run on opening',
  AA: 'hành động tự chạy / automatic actions',
  Launch: 'lệnh mở chương trình / a launch action',
  EmbeddedFile: 'tệp đính kèm / embedded files',
  EmbeddedFiles: 'tệp đính kèm / embedded files',
  FileAttachment: 'tệp đính kèm / embedded files',
  AcroForm: 'biểu mẫu / a form',
  XFA: 'biểu mẫu / a form',
  SubmitForm: 'biểu mẫu / a form',
  ImportData: 'biểu mẫu / a form',
  RichMedia: 'nội dung đa phương tiện / rich media',
  GoToE: 'liên kết tới tệp khác / links into other files',
  GoToR: 'liên kết tới tệp khác / links into other files',
  Encrypt: 'mã hoá (không kiểm tra được) / encryption (cannot be checked)',
};
const NAME_RE = new RegExp(`/(${Object.keys(ACTIVE_NAMES).join('|')})(?=[\\s/<>\\[\\]()%{}]|$)`, 'g');
/** Inflating stops here: a 10 MB upload that inflates beyond this is itself a bomb. */
const MAX_INFLATED = 64 * 1024 * 1024;

/** Names may be written with #xx escapes (/J#61vaScript is /JavaScript). */
const unescapeNames = (s: string): string => s.replace(/#([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * The active features a PDF carries (empty when none), looking into its compressed streams too: object
 * streams hide dictionaries there. A stream that will not inflate is skipped (image data in other codecs).
 */
export function pdfActiveContent(bytes: Buffer): string[] {
  const found = new Set<string>();
  const scan = (text: string) => {
    for (const m of unescapeNames(text).matchAll(NAME_RE)) found.add(m[1]!);
  };
  const raw = bytes.toString('latin1');
  scan(raw);
  let budget = MAX_INFLATED;
  const streamRe = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = streamRe.exec(raw)) !== null) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    streamRe.lastIndex = end + 9;
    if (budget <= 0) {
      found.add('TooLarge');
      break;
    }
    let inflated: Buffer;
    try {
      inflated = zlib.inflateSync(bytes.subarray(start, end), { maxOutputLength: budget, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') found.add('TooLarge');
      continue;
    }
    budget -= inflated.length;
    scan(inflated.toString('latin1'));
  }
  return [...found];
}

export function activePdf(found: string[]): AppError {
  const reasons = [...new Set(found.map((n) => ACTIVE_NAMES[n] ?? 'nội dung nén quá lớn / too much compressed content'))];
  return new AppError(
    'UNPROCESSABLE',
    `Tệp PDF có nội dung chủ động không được nhận: ${reasons.map((r) => r.split(' / ')[0]).join(', ')}. Xin in tài liệu ra một tệp PDF mới (Print → Save as PDF) hoặc gửi ảnh chụp.`,
    `The PDF carries active content, which is not accepted: ${reasons.map((r) => r.split(' / ')[1] ?? r).join(', ')}. Please print the document to a new PDF (Print → Save as PDF) or upload a photo of it.`,
    { code: 'PDF_ACTIVE_CONTENT', details: { found } },
  );
}

/** Refuses a PDF with active content (see pdfActiveContent). */
export function assertPassivePdf(bytes: Buffer): void {
  const found = pdfActiveContent(bytes);
  if (found.length) throw activePdf(found);
}

// Reading a class list file into rows of text cells: XLSX through exceljs, CSV decoded from UTF-8 (with or
// without BOM), UTF-16 (BOM, or the NUL pattern of a BOM-less UTF-16LE export) or Windows-1258 (what Excel
// on a Vietnamese Windows writes as "CSV"; Node's full ICU decodes it), then NFC-normalised. The CSV
// grammar (RFC 4180: quotes, doubled quotes, newlines inside quotes; the delimiter is the first of
// , ; TAB found in the header line) is small and exceljs's CSV reader would turn CCCDs into numbers and
// lose their leading zeros, so it is parsed here.
import ExcelJS from 'exceljs';
import { AppError } from '../http/errors.ts';

export type Cell = string;
export interface SheetRows {
  /** rows[i] is spreadsheet row i + 1 */
  rows: Cell[][];
  encoding: string;
  /** XLSX: the cells holding a formula, as [spreadsheet row, column index] (their cached values are in rows) */
  formulas?: Array<[number, number]>;
}

export const MAX_ROWS = 20_000;

/** Reads a sheet: `readClassList` here, or the same on a render thread (src/server/render/read-sheet.ts). */
export type SheetReader = (buf: Buffer, fileName: string, maxRows?: number) => Promise<SheetRows>;

function unreadable(en: string, vi: string, code = 'FILE_UNREADABLE'): AppError {
  return new AppError('UNPROCESSABLE', vi, en, { code });
}

export function decodeText(buf: Buffer): { text: string; encoding: string } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  // BOM-less UTF-16LE: ASCII text leaves every second byte NUL
  const sample = buf.subarray(0, 200);
  let oddNuls = 0;
  for (let i = 1; i < sample.length; i += 2) if (sample[i] === 0) oddNuls++;
  if (sample.length >= 4 && oddNuls > sample.length / 4) return { text: new TextDecoder('utf-16le').decode(buf), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    // not valid UTF-8: a legacy Vietnamese Windows export
    return { text: new TextDecoder('windows-1258').decode(buf), encoding: 'windows-1258' };
  }
}

export function parseCsv(text: string, maxRows = MAX_ROWS): Cell[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (rows.length > maxRows + 50) break;
    } else cell += c;
  }
  if (quoted) throw unreadable('The CSV file has an unclosed quotation mark.', 'Tệp CSV có dấu ngoặc kép chưa đóng.');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10); // exceljs gives dates as UTC midnight
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText((v.result ?? '') as ExcelJS.CellValue);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

/** `maxRows`: the most data rows the caller takes (other imports, such as a council's marks, take more). */
export async function readClassList(buf: Buffer, fileName: string, maxRows = MAX_ROWS): Promise<SheetRows> {
  const isZip = buf.length > 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  if (isZip || /\.xlsx$/i.test(fileName)) {
    if (!isZip) throw unreadable('The file is not a valid XLSX workbook.', 'Tệp không phải bảng tính XLSX hợp lệ.');
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw unreadable('The XLSX workbook could not be read (damaged, or another format renamed to .xlsx).', 'Không đọc được tệp XLSX (tệp hỏng hoặc định dạng khác đổi tên thành .xlsx).');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw unreadable('The workbook has no sheet.', 'Bảng tính không có trang nào.');
    if (ws.rowCount > maxRows + 50) throw tooManyRows(ws.rowCount, maxRows);
    const rows: Cell[][] = [];
    const formulas: Array<[number, number]> = [];
    ws.eachRow({ includeEmpty: true }, (r, n) => {
      const cells: Cell[] = [];
      r.eachCell({ includeEmpty: true }, (c, col) => {
        cells[col - 1] = cellText(c.value).normalize('NFC');
        const v = c.value;
        if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) formulas.push([n, col - 1]);
      });
      rows[n - 1] = Array.from(cells, (x) => x ?? '');
    });
    return { rows: Array.from(rows, (r) => r ?? []), encoding: 'xlsx', ...(formulas.length > 0 ? { formulas } : {}) };
  }
  if (/\.xls$/i.test(fileName) || (buf[0] === 0xd0 && buf[1] === 0xcf)) {
    throw unreadable('Old .xls workbooks are not read: save the file as .xlsx (or CSV UTF-8) and upload it again.', 'Không đọc tệp .xls cũ: hãy lưu lại thành .xlsx (hoặc CSV UTF-8) rồi tải lên.', 'FILE_FORMAT_XLS');
  }
  const { text, encoding } = decodeText(buf);
  if (text.includes('\u0000')) throw unreadable('The file is not text (binary content found).', 'Tệp không phải văn bản (có nội dung nhị phân).');
  return { rows: parseCsv(text.normalize('NFC'), maxRows).map((r) => r.map((c) => c.normalize('NFC'))), encoding };
}

export function tooManyRows(n: number, max = MAX_ROWS): AppError {
  return new AppError('UNPROCESSABLE', `Tệp có quá nhiều dòng (${n}); tối đa ${max} dòng mỗi lần.`, `The file has too many rows (${n}); at most ${max} per upload.`, {
    code: 'TOO_MANY_ROWS',
    details: { rows: n, max },
  });
}

/**
 * `readClassList` as a render-thread task: a council's marks workbook takes seconds to unzip and walk, which
 * must not stall other requests. The answer crosses the thread boundary as JSON bytes: the rows, or the
 * refusal (an AppError's parts, since a thrown error loses them on the way).
 */
export async function readSheetBytes(i: { data: Uint8Array; fileName: string; maxRows: number }): Promise<Uint8Array> {
  try {
    const sheet = await readClassList(Buffer.from(i.data.buffer, i.data.byteOffset, i.data.byteLength), i.fileName, i.maxRows);
    return Buffer.from(JSON.stringify({ sheet }));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return Buffer.from(JSON.stringify({ refused: { kind: e.kind, vi: e.vi, en: e.en, code: e.code, details: e.details } }));
  }
}

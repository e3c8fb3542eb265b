// Checking an uploaded catalogue row by row: which column is which (Vietnamese or English headers, any
// order), each row read by the domain's parseProgrammeRow, repeats within the file, and the institution's
// published programmes: one sent again unchanged is left as it is; one sent changed is, before the wish
// window opens, a revision waiting beside it for the ministry, and after it an error (a published
// programme never changes under candidates' wishes). Every finding names the row and the field.
import { CATALOGUE_FIELDS, parseProgrammeRow, sameProgramme, type CatalogueField, type CatalogueProgramme } from '../../domain/admission-catalogue.ts';
import type { CombinationsFile } from '../../domain/admission-score.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { error, warning, type Finding } from '../../domain/messages.ts';
import { AppError } from '../http/errors.ts';
import { tooManyRows, type Cell } from '../accounts/class-list-file.ts';
import type { CatalogueFindingRow } from './catalogue.repository.ts';

/** An institution has hundreds of programme-methods at most; a file with more is not a catalogue. */
export const MAX_CATALOGUE_ROWS = 2000;
const CELL_MAX = 500;

/** The template's header row (Vietnamese / English) in order, with an example row. */
export const CATALOGUE_COLUMNS: ReadonlyArray<{ field: CatalogueField; header: string; example: string; width: number }> = [
  { field: 'code', header: 'Mã ngành / Programme code', example: '7480201', width: 16 },
  { field: 'name', header: 'Tên ngành / Programme name', example: 'Công nghệ thông tin', width: 36 },
  { field: 'method', header: 'Mã phương thức / Method code', example: '100', width: 16 },
  { field: 'combinations', header: 'Tổ hợp / Combinations', example: 'A00;A01:TOAN=2', width: 24 },
  { field: 'quota', header: 'Chỉ tiêu / Quota', example: '120', width: 10 },
  { field: 'minScore', header: 'Ngưỡng điểm (thang 30) / Minimum score (on 30)', example: '22,5', width: 22 },
  { field: 'teacherTraining', header: 'Sư phạm / Teacher training', example: '', width: 14 },
  { field: 'tieBreak', header: 'Xét bằng điểm / Tie-break', example: 'break-by-rule: wish-order', width: 28 },
];

const HEADER_ALIASES: Record<CatalogueField, string[]> = {
  code: ['ma nganh', 'programme code', 'program code', 'ma xet tuyen'],
  name: ['ten nganh', 'programme name', 'program name', 'name'],
  method: ['ma phuong thuc', 'phuong thuc', 'method code', 'method'],
  combinations: ['to hop', 'to hop xet tuyen', 'combinations', 'combination'],
  quota: ['chi tieu', 'quota'],
  minScore: ['nguong diem', 'nguong dau vao', 'diem san', 'minimum score', 'min score'],
  teacherTraining: ['su pham', 'nganh su pham', 'teacher training'],
  tieBreak: ['xet bang diem', 'tieu chi phu', 'tie-break', 'tie break'],
};
const REQUIRED: CatalogueField[] = ['code', 'name', 'method', 'combinations', 'quota'];

function matchHeader(cell: string): CatalogueField | null {
  const folded = foldDiacritics(cell).replace(/[()*:.]/g, ' ').replace(/\s+/g, ' ').trim();
  const parts = [folded, ...folded.split('/').map((p) => p.trim())];
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as Array<[CatalogueField, string[]]>) {
    if (parts.some((p) => aliases.some((a) => p === a || p.startsWith(`${a} `)))) return field;
  }
  return null;
}

function findHeader(rows: Cell[][]): { index: number; columns: Map<CatalogueField, number> } {
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const columns = new Map<CatalogueField, number>();
    (rows[i] ?? []).forEach((c, col) => {
      const f = matchHeader(c);
      if (f && !columns.has(f)) columns.set(f, col);
    });
    if (columns.has('code') && columns.has('name')) return { index: i, columns };
  }
  throw new AppError(
    'UNPROCESSABLE',
    'Không tìm thấy dòng tiêu đề (cần các cột Mã ngành, Tên ngành, Mã phương thức, Tổ hợp, Chỉ tiêu). Hãy dùng tệp mẫu.',
    'No header row found (Programme code, Programme name, Method code, Combinations and Quota columns are needed). Please use the template.',
    { code: 'HEADER_NOT_FOUND' },
  );
}

export interface CatalogueReport {
  totalRows: number;
  validRows: Array<CatalogueProgramme & { row: number }>;
  errorRows: number;
  unchangedRows: number;
  findings: CatalogueFindingRow[];
  failedRows: Array<{ row: number; cells: Record<CatalogueField, string> }>;
}

/**
 * `formulas`: the cells of an XLSX holding a formula ([row, column]). A catalogue is data the ministry
 * publishes as typed: a cell computed by a formula is refused (its value could differ from what was read).
 */
export function validateCatalogue(
  rows: Cell[][],
  combos: Pick<CombinationsFile, 'combinations'>,
  published: readonly CatalogueProgramme[],
  formulas: ReadonlyArray<readonly [number, number]> = [],
  /** before the wish window opens a changed published programme is a revision for the ministry to publish; after, an error */
  opts: { revisions: boolean } = { revisions: false },
): CatalogueReport {
  const { index, columns } = findHeader(rows);
  const missing = REQUIRED.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw new AppError('UNPROCESSABLE', `Thiếu cột: ${missing.join(', ')}. Hãy dùng tệp mẫu.`, `Missing columns: ${missing.join(', ')}. Please use the template.`, { code: 'COLUMNS_MISSING', details: { missing } });
  }
  const findings: CatalogueFindingRow[] = [];
  const read: Array<{ row: number; cells: Record<CatalogueField, string>; programme: CatalogueProgramme | null }> = [];
  for (let i = index + 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue; // empty rows are skipped, not errors
    if (read.length >= MAX_CATALOGUE_ROWS) throw tooManyRows(rows.length - index - 1, MAX_CATALOGUE_ROWS);
    const rowNo = i + 1;
    const typed = Object.fromEntries(CATALOGUE_FIELDS.map((f) => [f, (cells[columns.get(f) ?? -1] ?? '').normalize('NFC').trim()])) as Record<CatalogueField, string>;
    const rowFindings: Finding[] = [];
    for (const f of CATALOGUE_FIELDS) {
      if (formulas.some(([r, col]) => r === rowNo && col === columns.get(f))) {
        rowFindings.push(error('CELL_FORMULA', f, 'Ô chứa công thức: hãy dán giá trị (Paste Values) thay cho công thức.', 'The cell holds a formula: paste its value instead (Paste Values).'));
      }
      if ([...typed[f]].length > CELL_MAX) rowFindings.push(error('FIELD_TOO_LONG', f, `Ô quá dài (tối đa ${CELL_MAX} ký tự).`, `The cell is too long (at most ${CELL_MAX} characters).`));
    }
    const parsed = rowFindings.length > 0 ? { programme: null, findings: [] } : parseProgrammeRow(typed, combos);
    rowFindings.push(...parsed.findings);
    for (const f of rowFindings) findings.push({ row: rowNo, ...(typed.code ? { programme: typed.code.slice(0, 20) } : {}), field: f.field, code: f.code, severity: f.severity, vi: f.vi, en: f.en });
    read.push({ row: rowNo, cells: Object.fromEntries(CATALOGUE_FIELDS.map((f) => [f, typed[f].slice(0, CELL_MAX)])) as Record<CatalogueField, string>, programme: parsed.programme });
  }
  if (read.length === 0) {
    throw new AppError('UNPROCESSABLE', 'Tệp không có dòng chương trình nào dưới dòng tiêu đề.', 'The file has no programme rows under its header.', { code: 'NO_ROWS' });
  }
  const firstRow = new Map<string, number>();
  const publishedByKey = new Map(published.map((p) => [`${p.code}|${p.method}`, p]));
  const bad = new Set<number>();
  const unchanged = new Set<number>();
  for (const r of read) {
    if (!r.programme) {
      bad.add(r.row);
      continue;
    }
    const key = `${r.programme.code}|${r.programme.method}`;
    const first = firstRow.get(key);
    const at = (f: Finding) => findings.push({ row: r.row, programme: r.programme!.code, field: f.field, code: f.code, severity: f.severity, vi: f.vi, en: f.en });
    if (first !== undefined) {
      bad.add(r.row);
      at(error('DUPLICATE_IN_FILE', 'code', `Ngành ${r.programme.code} phương thức ${r.programme.method} trùng với dòng ${first}.`, `Programme ${r.programme.code} with method ${r.programme.method} repeats row ${first}.`));
      continue;
    }
    firstRow.set(key, r.row);
    const pub = publishedByKey.get(key);
    if (pub && sameProgramme(pub, r.programme)) unchanged.add(r.row);
    else if (pub && opts.revisions) {
      at(
        warning(
          'PROGRAMME_REVISION',
          'code',
          `Ngành ${r.programme.code} phương thức ${r.programme.method} đã công bố: dòng này là bản sửa, chờ Bộ so sánh và công bố; đến khi đó thí sinh vẫn thấy bản đã công bố.`,
          `Programme ${r.programme.code} with method ${r.programme.method} is published: this row is a revision for the ministry to compare and publish; until then candidates see the published version.`,
        ),
      );
    } else if (pub) {
      bad.add(r.row);
      at(
        error(
          'PROGRAMME_PUBLISHED',
          'code',
          `Ngành ${r.programme.code} phương thức ${r.programme.method} đã được Bộ công bố; tệp không thể thay đổi nó. Hãy giữ nguyên như đã công bố hoặc bỏ dòng này, và liên hệ Bộ nếu cần sửa.`,
          `Programme ${r.programme.code} with method ${r.programme.method} is published by the ministry; an import cannot change it. Keep it as published or leave the row out, and ask the ministry if it needs correcting.`,
        ),
      );
    }
  }
  findings.sort((a, b) => a.row - b.row);
  return {
    totalRows: read.length,
    validRows: read.filter((r) => r.programme && !bad.has(r.row) && !unchanged.has(r.row)).map((r) => ({ ...r.programme!, row: r.row })),
    errorRows: bad.size,
    unchangedRows: unchanged.size,
    findings,
    failedRows: read.filter((r) => bad.has(r.row)).map((r) => ({ row: r.row, cells: r.cells })),
  };
}

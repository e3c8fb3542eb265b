// Checking a class list row by row: which column is which (Vietnamese or English headers, any order),
// each cell normalised (NFC, spaces) and validated with the domain rules (names, dates, CCCD/passport),
// duplicates within the file and against accounts already in the database. Every finding names the
// spreadsheet row and the field, in Vietnamese and English.
import { validateName, normaliseName, foldDiacritics } from '../../domain/names.ts';
import { validateDateOfBirth } from '../../domain/dates.ts';
import { crossCheckCccd, validateIdNumber } from '../../domain/cccd.ts';
import { error, warning, type Finding } from '../../domain/messages.ts';
import { MAX_ROWS, tooManyRows, type Cell } from './class-list-file.ts';
import { AppError } from '../http/errors.ts';

export type Field = 'fullName' | 'dateOfBirth' | 'gender' | 'idNumber' | 'nationality' | 'className';

/** The template's header row (Vietnamese / English) in order. */
export const TEMPLATE_COLUMNS: ReadonlyArray<{ field: Field | 'no'; header: string; example: string; width: number }> = [
  { field: 'no', header: 'STT / No.', example: '1', width: 8 },
  { field: 'fullName', header: 'Họ và tên / Full name', example: 'Nguyễn Văn An', width: 30 },
  { field: 'dateOfBirth', header: 'Ngày sinh / Date of birth (dd/mm/yyyy)', example: '14/03/2008', width: 22 },
  { field: 'gender', header: 'Giới tính / Gender (Nam/Nữ)', example: 'Nam', width: 16 },
  { field: 'idNumber', header: 'Số định danh (CCCD) hoặc hộ chiếu / ID or passport number', example: '001208012345', width: 28 },
  { field: 'nationality', header: 'Quốc tịch / Nationality', example: 'VN', width: 14 },
  { field: 'className', header: 'Lớp / Class', example: '12A1', width: 10 },
];

const HEADER_ALIASES: Record<Field, string[]> = {
  fullName: ['ho va ten', 'ho ten', 'full name', 'name', 'ten'],
  dateOfBirth: ['ngay sinh', 'date of birth', 'dob', 'birth date'],
  gender: ['gioi tinh', 'gender', 'sex'],
  idNumber: ['so dinh danh', 'cccd', 'so cccd', 'so dinh danh ca nhan', 'id number', 'id', 'ho chieu', 'passport', 'can cuoc'],
  nationality: ['quoc tich', 'nationality'],
  className: ['lop', 'class'],
};

const REQUIRED: Field[] = ['fullName', 'dateOfBirth', 'gender'];
export const CELL_MAX = 200;
const CLASS_MAX = 20;

export interface ValidRow {
  row: number;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  /** empty: the system assigns a code at import */
  idNumber: string;
  idKind: 'cccd' | 'passport' | 'assigned';
  nationality: string;
  className: string | null;
  birthProvince: string | null;
  /**
   * a student this point already has, corrected in the list sent again: the candidate to update and what
   * changes (absent for a new student)
   */
  update?: { candidateId: string; fields: UpdatedField[] };
}

export type UpdatedField = 'fullName' | 'dateOfBirth' | 'gender' | 'className';

export interface RowFinding extends Finding {
  row: number;
  /** the row's name as typed, so the report says whose row it is */
  name?: string;
}

/** A row that will not be imported, as it was typed, to hand back for correction. */
export interface FailedRow {
  row: number;
  cells: Record<Field, string>;
}

export interface ValidationReport {
  totalRows: number;
  validRows: ValidRow[];
  errorRows: number;
  /** students this point already has, the same in the file (a corrected list sent again): left as they are */
  unchangedRows: number;
  /** students this point already has, corrected in the file (among validRows: updated on import) */
  updatedRows: number;
  findings: RowFinding[];
  /** the rows with errors, their cells as typed (in file order) */
  failedRows: FailedRow[];
}

function matchHeader(cell: string): Field | null {
  // the part before " / " or "(" is the Vietnamese name; try the whole text and each part
  const folded = foldDiacritics(cell).replace(/[()*:.]/g, ' ').replace(/\s+/g, ' ').trim();
  const parts = [folded, ...folded.split('/').map((p) => p.trim())];
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as Array<[Field, string[]]>) {
    if (parts.some((p) => aliases.some((a) => p === a || p.startsWith(`${a} `)))) return field;
  }
  return null;
}

function findHeader(rows: Cell[][]): { index: number; columns: Map<Field, number> } {
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const columns = new Map<Field, number>();
    (rows[i] ?? []).forEach((c, col) => {
      const f = matchHeader(c);
      if (f && !columns.has(f)) columns.set(f, col);
    });
    if (columns.has('fullName')) return { index: i, columns };
  }
  throw new AppError(
    'UNPROCESSABLE',
    'Không tìm thấy dòng tiêu đề (cần ít nhất các cột Họ và tên, Ngày sinh, Giới tính). Hãy dùng tệp mẫu.',
    'No header row found (at least Full name, Date of birth and Gender columns are needed). Please use the template.',
    { code: 'HEADER_NOT_FOUND' },
  );
}

/** dd/mm/yyyy, d-m-yyyy, dd.mm.yyyy, yyyy-mm-dd, or an Excel serial day number → YYYY-MM-DD (unchecked). */
export function normaliseDate(raw: string): string {
  const v = raw.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  if (/^\d{5}$/.test(v)) {
    // Excel's serial day (1900 date system): day 25569 is 1970-01-01
    return new Date((Number(v) - 25569) * 86400_000).toISOString().slice(0, 10);
  }
  return v;
}

function parseGender(raw: string): 'M' | 'F' | null {
  const v = foldDiacritics(raw);
  if (['nam', 'm', 'male', 'trai'].includes(v)) return 'M';
  if (['nu', 'f', 'female', 'gai'].includes(v)) return 'F';
  return null;
}

function parseNationality(raw: string): string | null {
  const v = foldDiacritics(raw).toUpperCase();
  if (v === '' || v === 'VN' || v === 'VIET NAM' || v === 'VIETNAM' || v === 'VNM') return 'VN';
  return /^[A-Z]{2}$/.test(v) ? v : null;
}

export interface ValidateOptions {
  now: Date;
  examYear: number;
  cccdPrefixes: Iterable<string>;
  /** usernames already taken in the database, among those asked, with the student each belongs to this year (if any) */
  existing: (usernames: string[]) => Promise<Map<string, ExistingStudent | null>>;
  /** the point importing: a row that is a student it already has (same number, name and date) is not an error */
  pointId: string;
}

/** Who an ID number already belongs to: a candidate of the year (at a point), or null for another account. */
export interface ExistingStudent {
  candidateId: string;
  pointId: string;
  fullName: string;
  nameFolded: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  className: string | null;
  /** verified through VNeID: its name, date of birth and gender are the population record's, not the list's */
  identityVerified: boolean;
}

const FIELD_NAMES: Record<UpdatedField, { vi: string; en: string }> = {
  fullName: { vi: 'họ tên', en: 'name' },
  dateOfBirth: { vi: 'ngày sinh', en: 'date of birth' },
  gender: { vi: 'giới tính', en: 'gender' },
  className: { vi: 'lớp', en: 'class' },
};

/**
 * What a corrected row changes for a student the point already has. Only when it is the same person
 * (the same name but for diacritics, or the same date of birth): both different is more likely a
 * mistyped ID number than a correction, and would overwrite someone else's record.
 */
function correctionOf(was: ExistingStudent, row: Pick<ValidRow, 'fullName' | 'dateOfBirth' | 'gender' | 'className'>): UpdatedField[] | 'another_person' {
  const sameName = was.nameFolded === foldDiacritics(row.fullName);
  if (!sameName && was.dateOfBirth !== row.dateOfBirth) return 'another_person';
  const out: UpdatedField[] = [];
  if (!was.identityVerified) {
    if (was.fullName !== row.fullName) out.push('fullName');
    if (was.dateOfBirth !== row.dateOfBirth) out.push('dateOfBirth');
    if (was.gender !== row.gender) out.push('gender');
  }
  if ((was.className ?? '') !== (row.className ?? '')) out.push('className');
  return out;
}

export async function validateClassList(rows: Cell[][], o: ValidateOptions): Promise<ValidationReport> {
  const { index, columns } = findHeader(rows);
  const missing = REQUIRED.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw new AppError('UNPROCESSABLE', `Thiếu cột: ${missing.join(', ')}. Hãy dùng tệp mẫu.`, `Missing columns: ${missing.join(', ')}. Please use the template.`, {
      code: 'COLUMNS_MISSING',
      details: { missing },
    });
  }
  const prefixes = new Set(o.cccdPrefixes);
  const findings: RowFinding[] = [];
  const candidates: Array<ValidRow & { ok: boolean }> = [];
  const typed = new Map<number, Record<Field, string>>();
  let total = 0;
  for (let i = index + 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue; // empty rows are skipped, not errors
    total++;
    if (total > MAX_ROWS) throw tooManyRows(rows.length - index - 1);
    const rowNo = i + 1;
    const get = (f: Field) => {
      const col = columns.get(f);
      return col === undefined ? '' : (cells[col] ?? '').normalize('NFC').trim();
    };
    typed.set(rowNo, Object.fromEntries((Object.keys(HEADER_ALIASES) as Field[]).map((f) => [f, get(f).slice(0, CELL_MAX)])) as Record<Field, string>);
    const rowFindings: Finding[] = [];
    for (const f of Object.keys(HEADER_ALIASES) as Field[]) {
      if ([...get(f)].length > CELL_MAX) rowFindings.push(error('FIELD_TOO_LONG', f, `Ô quá dài (tối đa ${CELL_MAX} ký tự).`, `The cell is too long (at most ${CELL_MAX} characters).`, { max: CELL_MAX }));
    }
    const tooLong = new Set(rowFindings.map((f) => f.field));
    const fullName = normaliseName(get('fullName'));
    if (!tooLong.has('fullName')) rowFindings.push(...validateName(get('fullName'), 'fullName'));
    // a list typed without diacritics ("Nguyen Van An") prints wrong names on every slip, form and notice:
    // a warning to check against the student's papers (a few names really have none: "Mai Lan Anh")
    if (fullName.includes(' ') && /^[A-Z\s'.-]+$/.test(fullName)) {
      rowFindings.push(warning('NAME_NO_DIACRITICS', 'fullName', 'Họ tên không có dấu: hãy đối chiếu với giấy tờ của học sinh (tên sẽ in đúng như nhập).', 'The name has no diacritics: check it against the student’s papers (it is printed as typed).'));
    }
    const dob = normaliseDate(get('dateOfBirth'));
    if (!tooLong.has('dateOfBirth')) rowFindings.push(...validateDateOfBirth(dob, { now: o.now, examYear: o.examYear }, 'dateOfBirth'));
    const gender = parseGender(get('gender'));
    if (!gender) rowFindings.push(error('GENDER_INVALID', 'gender', 'Giới tính ghi "Nam" hoặc "Nữ".', 'Gender must be "Nam" (male) or "Nữ" (female).'));
    const nationality = parseNationality(get('nationality'));
    if (!nationality) rowFindings.push(error('NATIONALITY_INVALID', 'nationality', 'Quốc tịch ghi mã 2 chữ cái (VN, US…).', 'Nationality must be a 2-letter code (VN, US…).'));
    const className = get('className');
    if (className.length > CLASS_MAX && !tooLong.has('className')) {
      rowFindings.push(error('CLASS_TOO_LONG', 'className', `Tên lớp tối đa ${CLASS_MAX} ký tự.`, `The class name may be at most ${CLASS_MAX} characters.`));
    }
    let idNumber = '';
    let idKind: ValidRow['idKind'] = 'assigned';
    let birthProvince: string | null = null;
    const rawId = get('idNumber');
    if (rawId !== '' && !tooLong.has('idNumber')) {
      const r = validateIdNumber(rawId, nationality ?? 'VN', prefixes, 'idNumber');
      rowFindings.push(...r.findings);
      if (r.ok) {
        idNumber = r.value.value;
        idKind = r.value.kind === 'system' ? 'assigned' : r.value.kind;
        if (r.value.cccd) {
          birthProvince = r.value.cccd.provincePrefix;
          rowFindings.push(
            ...crossCheckCccd(r.value.cccd, { gender: gender === 'M' ? 'male' : gender === 'F' ? 'female' : undefined, dateOfBirth: dob }).map((f) => ({
              ...f,
              field: f.field.replace(/^personal\./, ''),
            })),
          );
        }
      }
    }
    for (const f of rowFindings) findings.push({ ...f, row: rowNo });
    candidates.push({
      row: rowNo,
      fullName,
      dateOfBirth: dob,
      gender: gender ?? 'M',
      idNumber,
      idKind,
      nationality: nationality ?? 'VN',
      className: className || null,
      birthProvince,
      ok: !rowFindings.some((f) => f.severity === 'error'),
    });
  }

  // duplicates within the file: every row after the first with the same number is an error
  const firstRow = new Map<string, number>();
  for (const c of candidates) {
    if (!c.idNumber) continue;
    const first = firstRow.get(c.idNumber);
    if (first === undefined) firstRow.set(c.idNumber, c.row);
    else {
      c.ok = false;
      findings.push({
        ...error('DUPLICATE_IN_FILE', 'idNumber', `Số định danh trùng với dòng ${first}.`, `The ID number repeats row ${first}.`, { otherRow: first }),
        row: c.row,
      });
    }
  }
  // and against accounts already in the database. A corrected list sent again holds the students imported
  // the first time: those (this point's, same name and date of birth) are left as they are, not errors, so
  // the report shows only what is really wrong.
  const taken = await o.existing([...firstRow.keys()]);
  let unchanged = 0;
  let updated = 0;
  const unchangedRows = new Set<number>();
  for (const c of candidates) {
    if (!c.idNumber || !taken.has(c.idNumber)) continue;
    const was = taken.get(c.idNumber) ?? null;
    const ours = was !== null && was.pointId === o.pointId;
    const change = ours ? correctionOf(was, c) : 'another_person';
    if (ours && change !== 'another_person') {
      // a row with its own errors stays one of them; a student left as they were is neither
      if (!c.ok) continue;
      if (change.length === 0) {
        c.ok = false;
        unchanged++;
        unchangedRows.add(c.row);
        continue;
      }
      updated++;
      c.update = { candidateId: was.candidateId, fields: change };
      const vi = change.map((f) => FIELD_NAMES[f].vi).join(', ');
      const en = change.map((f) => FIELD_NAMES[f].en).join(', ');
      findings.push({
        ...warning('ALREADY_IMPORTED_UPDATED', change[0]!, `Học sinh đã có từ lần nhập trước: sẽ cập nhật ${vi} theo tệp này.`, `Already imported: the ${en} will be updated from this file.`, { fields: change.join(',') }),
        row: c.row,
      });
      continue;
    }
    c.ok = false;
    findings.push(
      ours
        ? { ...error('ALREADY_IMPORTED_DIFFERENT', 'idNumber', 'Số định danh này là của một học sinh đã nhập với họ tên và ngày sinh đều khác: hãy kiểm tra lại số định danh.', 'This ID number belongs to a student imported with both another name and another date of birth: check the ID number.'), row: c.row }
        : { ...error('ALREADY_HAS_ACCOUNT', 'idNumber', 'Số định danh này đã có tài khoản ở nơi khác (điểm tiếp nhận khác hoặc kỳ thi khác).', 'This ID number already has an account elsewhere (another registration point or exam year).'), row: c.row },
    );
  }
  findings.sort((a, b) => a.row - b.row);
  const validRows = candidates.filter((c) => c.ok).map(({ ok: _ok, ...rest }) => rest);
  const failedRows = candidates.filter((c) => !c.ok && !unchangedRows.has(c.row)).map((c) => ({ row: c.row, cells: typed.get(c.row)! }));
  const named = findings.map((f) => {
    const name = typed.get(f.row)?.fullName;
    return name ? { ...f, name } : f;
  });
  return { totalRows: total, validRows, errorRows: candidates.length - validRows.length - unchanged, unchangedRows: unchanged, updatedRows: updated, findings: named, failedRows };
}

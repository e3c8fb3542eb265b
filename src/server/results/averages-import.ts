// A registration point (the school) imports its candidates' school-year averages (grade 10, 11, 12), which
// the CT2018 graduation score needs (the CT2006 one takes grade 12 alone), and the graduation priority
// groups the school attests (TN1, TN2: *assumption*, the dossier carries admission priority only). Same
// file handling and report as the class list: CSV or XLSX, headers in Vietnamese or English in any order,
// every finding naming the row and the field. Saved only when clean, or the valid rows alone when asked.
// The averages enter the results at the council's next publication (publish.ts), never in between.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { authorizePoint } from '../accounts/point-access.ts';
import { readClassList, tooManyRows, MAX_ROWS, type Cell, type SheetReader } from '../accounts/class-list-file.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { error } from '../../domain/messages.ts';
import { parseAverage } from '../../domain/exam-marks.ts';
import { priorityTableFor } from '../../domain/priority-object.ts';
import { graduationRefs } from './compute.ts';
import { candidatesOfPoint, upsertAverages, type RowFinding, type SchoolAverageRow } from './results.repository.ts';

type Field = 'fullName' | 'idNumber' | 'grade10' | 'grade11' | 'grade12' | 'groups';

export const AVERAGE_COLUMNS: ReadonlyArray<{ field: Field | 'no'; header: string; example: string }> = [
  { field: 'no', header: 'STT / No.', example: '1' },
  { field: 'fullName', header: 'Họ và tên / Full name', example: 'Nguyễn Văn An' },
  { field: 'idNumber', header: 'Số định danh (CCCD) / ID number', example: '001208012345' },
  { field: 'grade10', header: 'Điểm TB lớp 10 / Grade 10 average', example: '7,8' },
  { field: 'grade11', header: 'Điểm TB lớp 11 / Grade 11 average', example: '8,1' },
  { field: 'grade12', header: 'Điểm TB lớp 12 / Grade 12 average', example: '8,4' },
  { field: 'groups', header: 'Diện ưu tiên xét tốt nghiệp / Graduation priority group (TN1, TN2)', example: '' },
];

const ALIASES: Record<Field, string[]> = {
  fullName: ['ho va ten', 'ho ten', 'full name', 'name'],
  idNumber: ['so dinh danh', 'cccd', 'so cccd', 'id number', 'id', 'can cuoc'],
  grade10: ['diem tb lop 10', 'tb lop 10', 'lop 10', 'grade 10 average', 'grade 10'],
  grade11: ['diem tb lop 11', 'tb lop 11', 'lop 11', 'grade 11 average', 'grade 11'],
  grade12: ['diem tb lop 12', 'tb lop 12', 'lop 12', 'grade 12 average', 'grade 12'],
  groups: ['dien uu tien xet tot nghiep', 'dien uu tien', 'uu tien', 'graduation priority group', 'graduation priority'],
};

function matchHeader(cell: string): Field | null {
  const folded = foldDiacritics(cell).replace(/[()*:.]/g, ' ').replace(/\s+/g, ' ').trim();
  const parts = [folded, ...folded.split('/').map((p) => p.trim())];
  for (const [field, aliases] of Object.entries(ALIASES) as Array<[Field, string[]]>) {
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
    if (columns.has('idNumber') && columns.has('grade12')) return { index: i, columns };
  }
  throw new AppError('UNPROCESSABLE', 'Không tìm thấy dòng tiêu đề (cần ít nhất các cột Số định danh và Điểm TB lớp 12).', 'No header row found (at least the ID number and Grade 12 average columns are needed).', {
    code: 'HEADER_NOT_FOUND',
  });
}

export interface AveragesReport {
  examYear: number;
  totalRows: number;
  validRows: number;
  errorRows: number;
  /** rows written: 0 when the file had errors and mode was 'all' */
  saved: number;
  findings: RowFinding[];
}

export async function importSchoolAverages(ctx: Ctx, pointId: string, file: { name: string; data: Buffer }, mode: 'all' | 'valid_rows', read: SheetReader = readClassList): Promise<AveragesReport> {
  const point = await authorizePoint(ctx, pointId, 'results.averages');
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  const year = await requireYear(ctx.db);
  const sheet = await read(file.data, file.name);
  const { index, columns } = findHeader(sheet.rows);
  const [own, refs] = await Promise.all([candidatesOfPoint(ctx.db.read, year.year, point.id), graduationRefs(ctx.db.read)]);
  const groups = new Set(priorityTableFor(refs.priority, year.year)?.graduation.groups.map((g) => g.code) ?? []);

  const findings: RowFinding[] = [];
  const valid: SchoolAverageRow[] = [];
  const firstRow = new Map<string, number>();
  let total = 0;
  let errorRows = 0;
  for (let i = index + 1; i < sheet.rows.length; i++) {
    const cells = sheet.rows[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue;
    total++;
    if (total > MAX_ROWS) throw tooManyRows(sheet.rows.length - index - 1);
    const row = i + 1;
    const get = (f: Field) => {
      const col = columns.get(f);
      return col === undefined ? '' : (cells[col] ?? '').normalize('NFC').trim();
    };
    const rf: RowFinding[] = [];
    const add = (f: ReturnType<typeof error>) => rf.push({ ...f, row });
    const idNumber = get('idNumber').replace(/\s/g, '');
    const cand = own.get(idNumber);
    if (idNumber === '') add(error('REQUIRED', 'idNumber', 'Chưa có số định danh.', 'The ID number is missing.'));
    else if (!cand) add(error('CANDIDATE_UNKNOWN', 'idNumber', 'Không có thí sinh nào của điểm tiếp nhận này mang số định danh này.', 'No candidate of this registration point has this ID number.'));
    else {
      const name = get('fullName');
      if (name !== '' && foldDiacritics(name) !== foldDiacritics(cand.fullName)) {
        add(error('NAME_MISMATCH', 'fullName', 'Họ tên không khớp với thí sinh mang số định danh này.', 'The name does not match the candidate with this ID number.'));
      }
      const first = firstRow.get(cand.candidateId);
      if (first !== undefined) add(error('DUPLICATE_IN_FILE', 'idNumber', `Số định danh trùng với dòng ${first}.`, `The ID number repeats row ${first}.`, { otherRow: first }));
      else firstRow.set(cand.candidateId, row);
    }
    const grade = (f: 'grade10' | 'grade11' | 'grade12') => {
      const r = parseAverage(get(f), f);
      if (!r.ok) {
        rf.push({ ...r.finding, row });
        return null;
      }
      return r.centi;
    };
    const g10 = grade('grade10');
    const g11 = grade('grade11');
    const g12 = grade('grade12');
    if (get('grade12') === '') add(error('GRADE12_MISSING', 'grade12', 'Chưa có điểm trung bình cả năm lớp 12.', 'The grade 12 average is missing.'));
    const groupList = get('groups').toUpperCase().split(/[\s,;]+/).filter((x) => x !== '');
    for (const g of groupList) {
      if (!groups.has(g)) add(error('GROUP_UNKNOWN', 'groups', `Không có diện ưu tiên xét tốt nghiệp ${g.slice(0, 10)}.`, `There is no graduation priority group ${g.slice(0, 10)}.`, { group: g.slice(0, 10) }));
    }
    findings.push(...rf);
    if (rf.length > 0) {
      errorRows++;
      continue;
    }
    if (cand) valid.push({ candidateId: cand.candidateId, pointId: point.id, departmentCode: point.departmentCode ?? '', grade10: g10, grade11: g11, grade12: g12, graduationGroups: groupList });
  }
  const save = mode === 'valid_rows' || errorRows === 0 ? valid : [];
  await ctx.db.write(async (trx) => {
    if (save.length > 0) await upsertAverages(trx, year.year, save, actor.userId, ctx.now);
    await appendAudit(
      trx,
      { action: 'results.averages_imported', actor, targetType: 'org_unit', targetId: point.id, departmentCode: point.departmentCode, ip: ctx.ip, details: { mode, rows: total, errorRows, saved: save.length, encoding: sheet.encoding } },
      ctx.now,
    );
  });
  return { examYear: year.year, totalRows: total, validRows: valid.length, errorRows, saved: save.length, findings };
}

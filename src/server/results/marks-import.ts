// The council's marks (issue 22, item 3): an officer of the department uploads a CSV or XLSX file of
// marks (candidate number, paper, mark, optional sanction); each row is checked and the report names the
// row and the field in Vietnamese and English, as the class-list import does. The valid rows are staged
// as the council's next version together with what publishing them would change against the published
// marks (added, changed old → new, removed); nothing is published here (see publish.ts). Audited.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type Action } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { orgIdForCode } from '../org/org.repository.ts';
import { newId } from '../ids.ts';
import { readClassList, tooManyRows, type Cell, type SheetReader } from '../accounts/class-list-file.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { error } from '../../domain/messages.ts';
import { DEFAULT_MARK_STEP, diffMarks, parseMark, type IncomingMark } from '../../domain/exam-marks.ts';
import { graduationRuleFor } from '../../domain/graduation.ts';
import { registeredPapers } from '../../domain/graduation-candidate.ts';
import { graduationRefs } from './compute.ts';
import {
  candidatesByNumber, findResultImport, importChanges, importFindings, insertResultImport, listResultImports, nextImportVersion, numbersOf, publishedMarks, publishedVersion, seatedSessions, verifiedDossiers,
  type ChangeRow, type ResultImport, type RowFinding, type StagedRow,
} from './results.repository.ts';

/** A council uploads a paper (or several) at a time: up to this many rows a file. */
export const MAX_MARK_ROWS = 200_000;

type Field = 'number' | 'subject' | 'mark' | 'sanction';

/** The template's header row (Vietnamese / English). */
export const MARK_COLUMNS: ReadonlyArray<{ field: Field; header: string; example: string }> = [
  { field: 'number', header: 'Số báo danh / Candidate number', example: '01000001' },
  { field: 'subject', header: 'Mã môn / Subject code', example: 'TOAN' },
  { field: 'mark', header: 'Điểm / Mark', example: '7,25' },
  { field: 'sanction', header: 'Kỷ luật / Sanction (KT, CC)', example: '' },
];

const ALIASES: Record<Field, string[]> = {
  number: ['so bao danh', 'sbd', 'candidate number', 'number'],
  subject: ['ma mon', 'mon thi', 'mon', 'subject code', 'subject', 'paper'],
  mark: ['diem thi', 'diem', 'mark', 'score'],
  sanction: ['ky luat', 'hinh thuc ky luat', 'sanction'],
};

export const departmentResource = (departmentCode: string) => ({ type: 'org' as const, orgUnitId: orgIdForCode(departmentCode), orgKind: 'department' as const, departmentCode });

export function authorizeDepartment(ctx: Ctx, action: Action, departmentCode: string): void {
  authorize(ctx.actor, action, departmentResource(departmentCode));
}

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
    if (columns.has('number') && columns.has('subject') && columns.has('mark')) return { index: i, columns };
  }
  throw new AppError(
    'UNPROCESSABLE',
    'Không tìm thấy dòng tiêu đề (cần các cột Số báo danh, Mã môn, Điểm).',
    'No header row found (the Candidate number, Subject code and Mark columns are needed).',
    { code: 'HEADER_NOT_FOUND' },
  );
}

export interface MarksReport {
  import: ResultImport;
  findings: RowFinding[];
  changes: ChangeRow[];
}

/** How many changed rows a report lists (the counts always cover the whole file). */
export const CHANGES_SHOWN = 2000;

export async function stageMarksImport(ctx: Ctx, departmentCode: string, file: { name: string; data: Buffer }, read: SheetReader = readClassList): Promise<MarksReport> {
  authorizeDepartment(ctx, 'results.upload', departmentCode);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  const year = await requireYear(ctx.db);
  const sheet = await read(file.data, file.name, MAX_MARK_ROWS);
  const { index, columns } = findHeader(sheet.rows);
  const refs = await graduationRefs(ctx.db.read);
  const subjectCodes = new Map<string, string>();
  for (const s of refs.subjects) {
    subjectCodes.set(s.code.toLowerCase(), s.code);
    subjectCodes.set(foldDiacritics(s.vi), s.code);
  }
  const nameOf = (code: string) => refs.subjects.find((s) => s.code === code) ?? { vi: code, en: code };

  const raw: Array<{ row: number; number: string; subject: string; mark: string; sanction: string }> = [];
  for (let i = index + 1; i < sheet.rows.length; i++) {
    const cells = sheet.rows[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue;
    if (raw.length >= MAX_MARK_ROWS) throw tooManyRows(sheet.rows.length - index - 1, MAX_MARK_ROWS);
    const get = (f: Field) => {
      const col = columns.get(f);
      return col === undefined ? '' : (cells[col] ?? '').normalize('NFC').trim();
    };
    raw.push({ row: i + 1, number: get('number'), subject: get('subject'), mark: get('mark'), sanction: get('sanction') });
  }

  const known = await candidatesByNumber(ctx.db.read, year.year, departmentCode, raw.map((r) => r.number).filter((n) => /^\d{8}$/.test(n)));
  const ids = [...new Set([...known.values()].map((k) => k.candidateId))];
  const [dossiers, seats] = await Promise.all([verifiedDossiers(ctx.db.read, year.year, ids), seatedSessions(ctx.db.read, year.year, ids)]);
  const papersCache = new Map<string, { papers: Set<string>; step: number; steps: Record<string, number> }>();
  const papersOf = (candidateId: string) => {
    let p = papersCache.get(candidateId);
    if (!p) {
      const d = dossiers.get(candidateId);
      const programme = d?.programme === 'CT2006' || d?.programme === 'CT2018' ? d.programme : year.scheme;
      // the dossier says which papers; without it, the sessions the candidate is seated for
      const fromDossier = registeredPapers(refs, year.year, { dossier: d?.data ?? {}, programme });
      const rule = graduationRuleFor(refs.graduation, year.year, programme);
      p = { papers: new Set(fromDossier ?? seats.get(candidateId) ?? []), step: rule?.markStep ?? DEFAULT_MARK_STEP, steps: rule?.markStepBySubject ?? {} };
      papersCache.set(candidateId, p);
    }
    return p;
  };

  const findings: RowFinding[] = [];
  const incoming: Array<IncomingMark & { row: number; number: string }> = [];
  const held: Array<{ candidateId: string; subject: string }> = [];
  const firstRow = new Map<string, number>();
  let errorRows = 0;
  for (const r of raw) {
    const rowFindings: RowFinding[] = [];
    const add = (f: ReturnType<typeof error>) => rowFindings.push({ ...f, row: r.row });
    let candidateId: string | null = null;
    if (!/^\d{8}$/.test(r.number)) add(error('NUMBER_INVALID', 'number', 'Số báo danh gồm 8 chữ số.', 'A candidate number has 8 digits.'));
    else {
      const k = known.get(r.number);
      if (!k) add(error('NUMBER_UNKNOWN', 'number', `Không có thí sinh số báo danh ${r.number} của hội đồng thi này.`, `No candidate of this council has the number ${r.number}.`, { number: r.number }));
      else candidateId = k.candidateId;
    }
    const subject = subjectCodes.get(r.subject.toLowerCase()) ?? subjectCodes.get(foldDiacritics(r.subject)) ?? null;
    if (!subject) add(error('SUBJECT_UNKNOWN', 'subject', `Không có môn thi "${r.subject.slice(0, 30)}".`, `There is no subject "${r.subject.slice(0, 30)}".`));
    else if (candidateId && !papersOf(candidateId).papers.has(subject)) {
      const n = nameOf(subject);
      add(error('SUBJECT_NOT_REGISTERED', 'subject', `Thí sinh không đăng ký dự thi môn ${n.vi}.`, `The candidate did not register for ${n.en}.`, { subject }));
    }
    const own = candidateId ? papersOf(candidateId) : null;
    const step = own ? ((subject ? own.steps[subject] : undefined) ?? own.step) : DEFAULT_MARK_STEP;
    const m = parseMark(r.mark, r.sanction, step);
    if (!m.ok) for (const f of m.findings) add(f);
    if (candidateId && subject) {
      const key = `${candidateId}\u0000${subject}`;
      const first = firstRow.get(key);
      if (first !== undefined) add(error('DUPLICATE_IN_FILE', 'subject', `Điểm môn này của thí sinh đã có ở dòng ${first}.`, `This candidate's mark for this paper is already on row ${first}.`, { otherRow: first }));
      else firstRow.set(key, r.row);
    }
    findings.push(...rowFindings);
    if (rowFindings.length > 0) {
      errorRows++;
      if (candidateId && subject) held.push({ candidateId, subject });
      continue;
    }
    if (candidateId && subject && m.ok) incoming.push({ candidateId, subject, mark: m.mark, row: r.row, number: r.number });
  }

  const subjects = [...new Set(incoming.map((m) => m.subject))].sort();
  const id = newId();
  const stored = await ctx.db.write(async (trx) => {
    const base = await publishedVersion(trx, year.year, departmentCode);
    const published = await publishedMarks(trx, year.year, departmentCode, subjects);
    const diff = diffMarks(published, incoming, held);
    const rowOf = new Map(incoming.map((m) => [`${m.candidateId}\u0000${m.subject}`, m]));
    const removedIds = diff.filter((c) => c.change === 'removed').map((c) => c.candidateId);
    const removedNumbers = removedIds.length > 0 ? await numbersOf(trx, year.year, removedIds) : new Map<string, string>();
    const staged: StagedRow[] = diff.map((c) => {
      const inc = rowOf.get(`${c.candidateId}\u0000${c.subject}`);
      // a removed mark has no row in the file: it sorts after every row
      return { row: inc?.row ?? sheet.rows.length + 1, number: inc?.number ?? removedNumbers.get(c.candidateId) ?? '', change: c };
    });
    const count = (k: string) => diff.filter((c) => c.change === k).length;
    const imp: ResultImport = {
      id,
      examYear: year.year,
      departmentCode,
      version: await nextImportVersion(trx, year.year, departmentCode),
      status: 'staged',
      kind: 'file',
      fileName: file.name.normalize('NFC').slice(0, 200),
      subjects,
      baseVersion: base,
      totalRows: raw.length,
      validRows: incoming.length,
      errorRows,
      added: count('added'),
      changed: count('changed'),
      removed: count('removed'),
      unchanged: count('unchanged'),
      uploadedBy: actor.userId,
      uploadedAt: ctx.now.toISOString(),
      publishedBy: null,
      publishedAt: null,
      resultsComputed: null,
    };
    await insertResultImport(trx, imp, findings, staged);
    await appendAudit(
      trx,
      {
        action: 'results.import_staged',
        actor,
        targetType: 'result_import',
        targetId: id,
        departmentCode,
        ip: ctx.ip,
        details: { version: imp.version, baseVersion: base, subjects, rows: imp.totalRows, errorRows, added: imp.added, changed: imp.changed, removed: imp.removed, unchanged: imp.unchanged, encoding: sheet.encoding },
      },
      ctx.now,
    );
    return imp;
  });
  return { import: stored, findings, changes: await importChanges(ctx.db.read, id, CHANGES_SHOWN) };
}

/** The list of the council's imports, newest first. */
export async function listMarksImports(ctx: Ctx, departmentCode: string): Promise<{ examYear: number; publishedVersion: number; items: ResultImport[] }> {
  authorizeDepartment(ctx, 'results.upload', departmentCode);
  const year = await requireYear(ctx.db);
  const [items, v] = await Promise.all([listResultImports(ctx.db.read, year.year, departmentCode), publishedVersion(ctx.db.read, year.year, departmentCode)]);
  return { examYear: year.year, publishedVersion: v, items };
}

/** One import's report: its row findings and what publishing it changes. */
export async function getMarksReport(ctx: Ctx, departmentCode: string, importId: string): Promise<MarksReport> {
  authorizeDepartment(ctx, 'results.upload', departmentCode);
  const imp = await findResultImport(ctx.db.read, importId);
  if (!imp || imp.departmentCode !== departmentCode) throw AppError.notFound('result import');
  const [findings, changes] = await Promise.all([importFindings(ctx.db.read, importId), importChanges(ctx.db.read, importId, CHANGES_SHOWN)]);
  // candidates' numbers with their marks: a read of personal data, audited as such
  await ctx.db.write((trx) =>
    appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'result_import', targetId: importId, departmentCode, ip: ctx.ip, details: { what: 'results.import', changes: changes.length } }, ctx.now),
  );
  return { import: imp, findings, changes };
}

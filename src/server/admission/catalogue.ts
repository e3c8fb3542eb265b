// The admission catalogue's commands (issue 23, deliverable 1): the ministry creates institutions and
// reviews their catalogues (publish the drafts, or return them with a reason); an institution's admissions
// officers upload their programmes (a stored row-by-row report first, then the import, which replaces the
// institution's drafts of the year and only when no row is wrong). Published programmes are never changed
// by an import. Every change is audited; a refused request is audited by the access audit (403).
import { AppError } from '../http/errors.ts';
import { authorize, authorizeScope } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { currentExamYearCached } from '../exam-years/exam-years.repository.ts';
import { admissionConfigOf } from '../../contracts/admission.ts';
import { admissionWindowState } from '../../domain/admission-wishes.ts';
import { getReference } from '../reference/reference.repository.ts';
import { findDepartment, findMinistry, insertOrg } from '../admin/admin.repository.ts';
import { newId } from '../ids.ts';
import { checkInstitutionCode, type CatalogueProgramme } from '../../domain/admission-catalogue.ts';
import type { CombinationsFile } from '../../domain/admission-score.ts';
import type { TiePolicy } from '../../domain/admission/types.ts';
import { readClassList, type SheetReader } from '../accounts/class-list-file.ts';
import { MAX_CATALOGUE_ROWS, validateCatalogue } from './catalogue-sheet.ts';
import {
  committedSince,
  countDrafts,
  findCatalogueImport,
  institutionProgrammes,
  institutionsWithCounts,
  insertCatalogueImport,
  countRevisions,
  publishDrafts,
  recordReturn,
  replaceDrafts,
  type InstitutionRow,
  type StoredCatalogueImport,
  type CatalogueFindingRow,
} from './catalogue.repository.ts';
import { programmeOf, type Programme } from './wishes.ts';
import type { ProgrammeRow } from './admission.repository.ts';
import type { Ctx } from '../context.ts';

/**
 * Whether a published programme may still be revised: until the year's wish window opens (no window set
 * yet: yes). After it, candidates have filed wishes on what was published, which then stays as it is.
 */
async function revisionsOpen(ctx: Ctx): Promise<boolean> {
  const y = await currentExamYearCached(ctx.db.read);
  const config = y ? admissionConfigOf(y.rules) : null;
  return !config || admissionWindowState(config.window, ctx.now) === 'not_open';
}

async function yearOf(ctx: Ctx): Promise<number> {
  const y = await currentExamYearCached(ctx.db.read);
  if (!y) throw new AppError('CONFLICT', 'Chưa có kỳ thi nào được công bố.', 'No exam year is published yet.', { code: 'NO_EXAM_YEAR' });
  return y.year;
}

function userOf(ctx: Ctx): string {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  return ctx.actor.userId;
}

/** The policy first (403 for another institution's officer), then the record (404). */
async function institutionFor(ctx: Ctx, institutionId: string, action: 'admission.catalogue' | 'admission.publish'): Promise<{ year: number; institution: InstitutionRow }> {
  authorize(ctx.actor, action, { type: 'institution', institutionId });
  const year = await yearOf(ctx);
  const [institution] = await institutionsWithCounts(ctx.db.read, year, institutionId);
  if (!institution) throw AppError.notFound('institution');
  return { year, institution };
}

export async function listInstitutions(ctx: Ctx): Promise<{ examYear: number; items: InstitutionRow[] }> {
  const scope = authorizeScope(ctx.actor, 'admission.publish');
  if (!('all' in scope)) throw AppError.forbidden();
  const year = await yearOf(ctx);
  return { examYear: year, items: await institutionsWithCounts(ctx.db.read, year) };
}

export async function createInstitution(ctx: Ctx, input: { code: string; name: string; provinceCode: string }): Promise<InstitutionRow> {
  authorize(ctx.actor, 'org.manage', { type: 'org', orgUnitId: '(new)', orgKind: 'institution', departmentCode: input.provinceCode });
  const code = input.code.trim();
  const findings = checkInstitutionCode(code, 'code');
  const [province, ministry] = await Promise.all([findDepartment(ctx.db.read, input.provinceCode), findMinistry(ctx.db.read)]);
  if (!province) findings.push({ code: 'PROVINCE_UNKNOWN', field: 'provinceCode', severity: 'error', vi: `Không có tỉnh/Sở mã ${input.provinceCode}.`, en: `There is no province (department) ${input.provinceCode}.` });
  if (findings.length > 0) throw AppError.validation(findings);
  if (!ministry) throw AppError.notFound('ministry');
  const name = input.name.normalize('NFC').replace(/\s+/g, ' ').trim();
  const year = await yearOf(ctx);
  const created = await ctx.db.write(async (trx) => {
    const row = await insertOrg(trx, { kind: 'institution', code, name, parentId: ministry.id, departmentCode: input.provinceCode, pointKind: null, address: null }, ctx.now);
    if (row) await appendAudit(trx, { action: 'admission.institution_created', actor: ctx.actor, targetType: 'institution', targetId: row.id, ip: ctx.ip, details: { code, name, provinceCode: input.provinceCode } }, ctx.now);
    return row;
  });
  if (!created) throw new AppError('CONFLICT', `Mã ${code} đã được dùng.`, `The code ${code} is taken.`, { code: 'ORG_CODE_TAKEN', details: { field: 'code' } });
  const [out] = await institutionsWithCounts(ctx.db.read, year, created.id);
  return out!;
}

export interface CatalogueProgrammeView extends Programme {
  status: 'draft' | 'published';
  tiePolicy: TiePolicy;
  publishedAt: string | null;
}

const viewOf = (r: ProgrammeRow): CatalogueProgrammeView => ({ ...programmeOf(r), status: r.status, tiePolicy: JSON.parse(r.tie_policy) as TiePolicy, publishedAt: r.published_at });

export async function getCatalogue(ctx: Ctx, institutionId: string): Promise<{ examYear: number; institution: InstitutionRow; programmes: Array<CatalogueProgrammeView & { revises: string | null }> }> {
  const { year, institution } = await institutionFor(ctx, institutionId, 'admission.catalogue');
  const rows = await institutionProgrammes(ctx.db.read, year, institutionId);
  const publishedId = new Map(rows.filter((r) => r.status === 'published').map((r) => [`${r.code}|${r.method}`, r.id]));
  const revises = (r: ProgrammeRow) => (r.status === 'draft' ? (publishedId.get(`${r.code}|${r.method}`) ?? null) : null);
  return { examYear: year, institution, programmes: rows.map((r) => ({ ...viewOf(r), revises: revises(r) })) };
}

/** May the actor download the template for this institution? (the file itself is the same for all) */
export async function authorizeCatalogue(ctx: Ctx, institutionId: string): Promise<void> {
  await institutionFor(ctx, institutionId, 'admission.catalogue');
}

const catalogueOf = (r: ProgrammeRow): CatalogueProgramme => ({
  code: r.code,
  method: r.method,
  name: r.name,
  combinations: JSON.parse(r.combinations) as CatalogueProgramme['combinations'],
  scoring: r.scoring,
  quota: r.quota,
  minScoreCenti: r.min_score_centi,
  teacherTraining: r.teacher_training === 1,
  tiePolicy: JSON.parse(r.tie_policy) as TiePolicy,
});

export interface CatalogueImportReport extends StoredCatalogueImport {
  findings: CatalogueFindingRow[];
}

export async function uploadCatalogue(ctx: Ctx, institutionId: string, file: { name: string; data: Buffer }, read: SheetReader = readClassList): Promise<CatalogueImportReport> {
  const { year, institution } = await institutionFor(ctx, institutionId, 'admission.catalogue');
  const by = userOf(ctx);
  const sheet = await read(file.data, file.name, MAX_CATALOGUE_ROWS);
  const [combos, published] = await Promise.all([getReference<CombinationsFile>(ctx.db.read, 'combinations'), institutionProgrammes(ctx.db.read, year, institutionId, 'published')]);
  const report = validateCatalogue(sheet.rows, combos, published.map(catalogueOf), sheet.formulas, { revisions: await revisionsOpen(ctx) });
  const stored: StoredCatalogueImport = {
    id: newId(),
    examYear: year,
    institutionId,
    institutionCode: institution.code,
    fileName: file.name.normalize('NFC').slice(0, 200),
    status: 'validated',
    totalRows: report.totalRows,
    validRows: report.validRows.length,
    errorRows: report.errorRows,
    unchangedRows: report.unchangedRows,
    createdBy: by,
    createdAt: ctx.now.toISOString(),
    importedRows: null,
  };
  await ctx.db.write(async (trx) => {
    await insertCatalogueImport(trx, { ...stored, rows: report.validRows, findings: report.findings, failedRows: report.failedRows });
    await appendAudit(
      trx,
      { action: 'admission.catalogue_uploaded', actor: ctx.actor, targetType: 'institution', targetId: institutionId, ip: ctx.ip, details: { importId: stored.id, rows: report.totalRows, errorRows: report.errorRows, encoding: sheet.encoding } },
      ctx.now,
    );
  });
  return { ...stored, findings: report.findings };
}

async function importOf(ctx: Ctx, institutionId: string, importId: string) {
  const imp = await findCatalogueImport(ctx.db.read, importId);
  if (!imp || imp.institutionId !== institutionId) throw AppError.notFound('import');
  return imp;
}

export async function getCatalogueImport(ctx: Ctx, institutionId: string, importId: string): Promise<CatalogueImportReport> {
  await institutionFor(ctx, institutionId, 'admission.catalogue');
  const { rows: _rows, failedRows: _failed, ...imp } = await importOf(ctx, institutionId, importId);
  return imp;
}

/**
 * The rows of an uploaded catalogue that cannot be imported, as typed, each with what to fix (its errors,
 * Vietnamese and English): the officer corrects them and uploads the whole catalogue again.
 */
export async function catalogueImportRowsToFix(ctx: Ctx, institutionId: string, importId: string): Promise<{ fileName: string; rows: Array<{ row: number; cells: Record<string, string>; problems: string[] }> }> {
  await institutionFor(ctx, institutionId, 'admission.catalogue');
  const imp = await importOf(ctx, institutionId, importId);
  return {
    fileName: imp.fileName,
    rows: imp.failedRows.map((r) => ({
      row: r.row,
      cells: r.cells,
      problems: imp.findings.filter((f) => f.row === r.row && f.severity === 'error').map((f) => `${f.field}: ${f.vi} / ${f.en}`),
    })),
  };
}

export async function commitCatalogueImport(ctx: Ctx, institutionId: string, importId: string): Promise<{ imported: number; replacedDrafts: number }> {
  const { year, institution } = await institutionFor(ctx, institutionId, 'admission.catalogue');
  const by = userOf(ctx);
  const imp = await importOf(ctx, institutionId, importId);
  const already = () => new AppError('CONFLICT', 'Tệp này đã được nhập rồi.', 'This file has already been imported.', { code: 'IMPORT_ALREADY_COMMITTED' });
  if (imp.status !== 'validated') throw already();
  if (imp.errorRows > 0) {
    throw new AppError('CONFLICT', `Tệp còn ${imp.errorRows} dòng lỗi: sửa tệp và tải lại; chưa có chương trình nào được nhập.`, `The file still has ${imp.errorRows} rows with errors: fix it and upload it again; nothing has been imported.`, {
      code: 'IMPORT_HAS_ERRORS',
      details: { errorRows: imp.errorRows },
    });
  }
  if (imp.examYear !== year) throw new AppError('CONFLICT', 'Tệp này thuộc kỳ tuyển sinh trước.', 'This file belongs to an earlier admission year.', { code: 'IMPORT_STALE' });
  // a file checked before another was imported would bring back what the newer one replaced
  if (await committedSince(ctx.db.read, year, institutionId, imp.createdAt)) {
    throw new AppError('CONFLICT', 'Một tệp mới hơn đã được nhập sau khi tệp này được kiểm tra; hãy tải tệp lên lại nếu vẫn muốn dùng nó.', 'A newer file was imported after this one was checked; upload it again if it is still the one to use.', { code: 'IMPORT_STALE' });
  }
  // the ministry may have published programmes since the check: a row that is now published becomes a
  // revision while revisions are open, and is refused once the wish window has opened
  const published = new Set((await institutionProgrammes(ctx.db.read, year, institutionId, 'published')).map((p) => `${p.code}|${p.method}`));
  if (imp.rows.some((p) => published.has(`${p.code}|${p.method}`)) && !(await revisionsOpen(ctx))) {
    throw new AppError('CONFLICT', 'Một số chương trình trong tệp vừa được Bộ công bố; hãy tải tệp lên lại để kiểm tra.', 'Some programmes in the file were published meanwhile; upload the file again to check it.', { code: 'IMPORT_STALE' });
  }
  const out = await ctx.db.write(async (trx) => {
    const r = await replaceDrafts(trx, { id: imp.id, examYear: year, institutionId, institutionCode: institution.code }, imp.rows, by, ctx.now);
    if (!r.committed) throw already();
    await appendAudit(trx, { action: 'admission.catalogue_imported', actor: ctx.actor, targetType: 'institution', targetId: institutionId, ip: ctx.ip, details: { importId, imported: imp.rows.length, replacedDrafts: r.replaced } }, ctx.now);
    return r;
  });
  return { imported: imp.rows.length, replacedDrafts: out.replaced };
}

function noDrafts(): AppError {
  return new AppError('CONFLICT', 'Cơ sở đào tạo này không có chương trình nào đang chờ duyệt.', 'This institution has no draft programmes waiting for review.', { code: 'NO_DRAFTS' });
}

export async function publishCatalogue(ctx: Ctx, institutionId: string): Promise<{ published: number }> {
  const { year } = await institutionFor(ctx, institutionId, 'admission.publish');
  const by = userOf(ctx);
  const open = await revisionsOpen(ctx);
  const published = await ctx.db.write(async (trx) => {
    // a revision published after the wish window opened would change a programme under candidates' wishes
    if (!open && (await countRevisions(trx, year, institutionId)) > 0) {
      throw new AppError(
        'CONFLICT',
        'Đăng ký nguyện vọng đã mở: không thể công bố bản sửa của chương trình đã công bố; hãy trả lại để cơ sở bỏ các dòng đó.',
        'Wish registration has opened: a revision of a published programme cannot be published; return the drafts so the institution leaves those rows out.',
        { code: 'REVISIONS_CLOSED' },
      );
    }
    const n = await publishDrafts(trx, year, institutionId, by, ctx.now);
    if (n === 0) throw noDrafts();
    await appendAudit(trx, { action: 'admission.catalogue_published', actor: ctx.actor, targetType: 'institution', targetId: institutionId, ip: ctx.ip, details: { examYear: year, published: n } }, ctx.now);
    return n;
  });
  return { published };
}

export async function returnCatalogue(ctx: Ctx, institutionId: string, reason: string): Promise<{ returned: number }> {
  const { year } = await institutionFor(ctx, institutionId, 'admission.publish');
  const by = userOf(ctx);
  const text = reason.normalize('NFC').trim();
  const returned = await ctx.db.write(async (trx) => {
    const n = await countDrafts(trx, year, institutionId);
    if (n === 0) throw noDrafts();
    await recordReturn(trx, year, institutionId, text, n, by, ctx.now);
    await appendAudit(trx, { action: 'admission.catalogue_returned', actor: ctx.actor, targetType: 'institution', targetId: institutionId, ip: ctx.ip, details: { examYear: year, drafts: n, reason: text } }, ctx.now);
    return n;
  });
  return { returned };
}


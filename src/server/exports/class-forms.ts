// All registration forms of a class in one PDF, for the point to print, have signed and file: the same
// form the candidate downloads, one after another in Vietnamese name order, drawn on a render thread
// (forms-pdf.ts) from pages of a few forms read here, and streamed as it is drawn.
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findOrgUnit } from '../org/org.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { fillMissingSortKeys } from '../verification/verification.repository.ts';
import { findDossierById } from '../dossiers/dossier.repository.ts';
import { staticContext } from '../dossiers/rules.ts';
import { formPhoto, formPlaceNames } from '../dossiers/form-pdf.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { exportPage } from './exports.repository.ts';
import { resolvePointClass } from '../accounts/point-classes.ts';
import type { Ctx } from '../context.ts';
import type { RenderPool } from '../render/pool.ts';
import type { PreparedExport } from './export-list.ts';
import type { ClassFormsInput, FormPage } from './forms-pdf.ts';

/** A class is a few dozen candidates; a request for more is a mistake (or a whole school), refused. */
export const MAX_FORMS = 120;
/** forms read and sent to the render thread at a time: a few photos' worth of memory */
const FORMS_PER_PAGE = 10;

/** `dataDir`: where the uploaded photos are (DATA_DIR), printed on each form. */
export async function prepareClassForms(ctx: Ctx, render: RenderPool, dataDir: string, target: { pointId: string; className: string }): Promise<PreparedExport> {
  const p = await findOrgUnit(ctx.db.read, target.pointId);
  if (!p || p.kind !== 'point' || !p.departmentCode) throw AppError.notFound('registration point');
  authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode });
  const year = await requireYear(ctx.db);
  const isTrial = phaseAt(year, ctx.now) === 'trial';
  await fillMissingSortKeys(ctx.db, { pointId: p.id });
  target = { ...target, className: await resolvePointClass(ctx.db.read, p.id, year.year, target.className) };
  const rows = await exportPage(ctx.db.read, { pointId: p.id }, { examYear: year.year, isTrial, className: target.className, limit: MAX_FORMS + 1 });
  if (rows.length > MAX_FORMS) {
    throw new AppError('BAD_REQUEST', `Lớp có hơn ${MAX_FORMS} thí sinh: hãy kiểm tra tên lớp.`, `More than ${MAX_FORMS} candidates in this class: check the class name.`, { code: 'CLASS_TOO_LARGE' });
  }
  const withForms = rows.filter((r) => r.dossierId !== null);
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      { action: 'personal_data.read', actor: ctx.actor, targetType: 'export', targetId: p.id, departmentCode: p.departmentCode, ip: ctx.ip, details: { document: 'class_forms_pdf', examYear: year.year, className: target.className, forms: withForms.length } },
      ctx.now,
    ),
  );
  const { provinceNames, ethnicityNames, subjectNames, languageNames } = await staticContext(ctx.db.read);
  const slug = foldDiacritics(target.className).replace(/[^a-z0-9]+/gi, '-');
  const input: ClassFormsInput = {
    title: `Phiếu đăng ký dự thi ${year.year} — ${p.code} — lớp ${target.className}`,
    names: { provinceNames, ethnicityNames, subjectNames, languageNames },
    now: ctx.now.toISOString(),
    emptyText: `Lớp ${target.className} chưa có phiếu đăng ký nào. / No registration forms in class ${target.className} yet.`,
  };
  async function* pages(): AsyncGenerator<FormPage> {
    for (let i = 0; i < withForms.length; i += FORMS_PER_PAGE) {
      const page: FormPage = [];
      for (const r of withForms.slice(i, i + FORMS_PER_PAGE)) {
        const found = await findDossierById(ctx.db.read, r.dossierId!);
        if (!found) continue;
        page.push({ subject: { year: { year: year.year }, candidate: found.candidate, dossier: found.dossier, places: await formPlaceNames(ctx.db, found.dossier) }, photo: await formPhoto(ctx.db, dataDir, found.dossier.id) });
      }
      if (page.length > 0) yield page;
    }
  }
  return {
    fileName: `phieu-dkdt-${p.code}-${slug}-${year.year}.pdf`,
    write: (out) => render.stream('class-forms', input, pages(), out),
  };
}

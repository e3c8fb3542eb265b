// All registration forms of a class in one PDF, for the point to print, have signed and file: the same
// form the candidate downloads, one after another in Vietnamese name order, streamed as it is drawn.
import type { Writable } from 'node:stream';
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findOrgUnit } from '../org/org.repository.ts';
import { requireYear } from '../verification/commands.ts';
import { fillMissingSortKeys } from '../verification/verification.repository.ts';
import { findDossierById } from '../registration/registration.repository.ts';
import { staticContext } from '../registration/dossier-context.ts';
import { drawRegistrationForm, formPhoto, newFormDocument } from '../registration/registration-form-pdf.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { exportPage } from './exports.repository.ts';
import type { Ctx } from '../context.ts';
import type { PreparedExport } from './export-list.ts';

/** A class is a few dozen candidates; a request for more is a mistake (or a whole school), refused. */
export const MAX_FORMS = 120;

/** `dataDir`: where the uploaded photos are (DATA_DIR), printed on each form. */
export async function prepareClassForms(ctx: Ctx, dataDir: string, target: { pointId: string; className: string }): Promise<PreparedExport> {
  const p = await findOrgUnit(ctx.db.read, target.pointId);
  if (!p || p.kind !== 'point' || !p.departmentCode) throw AppError.notFound('registration point');
  authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode });
  const year = await requireYear(ctx.db);
  const isTrial = phaseAt(year, ctx.now) === 'trial';
  await fillMissingSortKeys(ctx.db, { pointId: p.id });
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
  const names = await staticContext(ctx.db.read);
  const slug = foldDiacritics(target.className).replace(/[^a-z0-9]+/gi, '-');
  return {
    fileName: `phieu-dkdt-${p.code}-${slug}-${year.year}.pdf`,
    async write(out: Writable): Promise<number> {
      const doc = newFormDocument(`Phiếu đăng ký dự thi ${year.year} — ${p.code} — lớp ${target.className}`);
      doc.pipe(out);
      if (withForms.length === 0) {
        doc.font('regular').fontSize(12).text(`Lớp ${target.className} chưa có phiếu đăng ký nào. / No registration forms in class ${target.className} yet.`);
      }
      let drawn = 0;
      for (const r of withForms) {
        const found = await findDossierById(ctx.db.read, r.dossierId!);
        if (!found) continue;
        if (drawn > 0) doc.addPage();
        drawRegistrationForm(doc, { year, candidate: found.candidate, dossier: found.dossier }, names, await formPhoto(ctx.db, dataDir, found.dossier.id), ctx.now);
        drawn += 1;
      }
      doc.end();
      return drawn;
    },
  };
}

// The ministry's admission settings of a year (issue 23): read as the form edits them, saved after the
// domain's check (src/domain/admission-settings.ts, the same the browser runs) into the year's rules under
// `admission`, keeping what the form does not edit (the enrolment deadline). A change to settings that
// exist needs a reason; every save is audited with the before and the after.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorizeScope } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findExamYear, forgetCurrentExamYear, setYearRule } from '../exam-years/exam-years.repository.ts';
import { listDepartments } from '../admin/admin.repository.ts';
import { provinces as provinces2025 } from '../places/places.ts';
import { admissionConfigOf } from '../../contracts/admission.ts';
import {
  checkAdmissionSettings,
  checkSettingsChange,
  instantsToSettings,
  settingsToInstants,
  type AdmissionSettings,
  type SettingsContext,
} from '../../domain/admission-settings.ts';
import { hasErrors, type Finding } from '../../domain/messages.ts';

export interface SettingsView {
  year: number;
  settings: AdmissionSettings | null;
  suggested: AdmissionSettings;
  provinces: Array<{ code: string; name: string }>;
  warnings: Finding[];
  updatedAt: string | null;
}

function requireMinistry(ctx: Ctx): void {
  const scope = authorizeScope(ctx.actor, 'exam_year.manage');
  if (!('all' in scope)) throw AppError.forbidden();
}

/** The 2026 rules (Circular 06/2026) on the year's days: wishes 2–14 July, fees from 15 July, one group. */
export function suggestedSettings(year: number, provinceCodes: string[]): AdmissionSettings {
  return {
    wishCap: 15,
    teacherTrainingMaxPosition: 5,
    combinationFloor: 15,
    window: { from: `${year}-07-02`, to: `${year}-07-14` },
    feePerWishVnd: 15000,
    paymentGroups: [{ code: 'N1', name: 'Nhóm 1', provinceCodes, from: `${year}-07-15`, to: `${year}-07-21` }],
  };
}

async function checkContext(ctx: Ctx, year: number): Promise<{ context: SettingsContext; provinces: Array<{ code: string; name: string }> }> {
  const [deps, provs] = await Promise.all([listDepartments(ctx.db.read), provinces2025(ctx.db.read).catch(() => [])]);
  const provinceOf = new Map<string, string>();
  for (const p of provs) for (const f of p.formerProvinces as Array<{ examCode?: string }>) if (f.examCode) provinceOf.set(f.examCode, p.code);
  const known = new Set([...provs.map((p) => p.code), ...deps.map((d) => d.code)]);
  return {
    context: { year, knownProvinceCodes: known, departments: deps.map((d) => ({ code: d.code, provinceCode: provinceOf.get(d.code) ?? null })) },
    // today's provinces are what a group names; the exam departments answer for the candidates registered under their old codes
    provinces: provs.map((p) => ({ code: p.code, name: p.name })),
  };
}

async function view(ctx: Ctx, year: number): Promise<SettingsView> {
  const y = await findExamYear(ctx.db.read, year);
  if (!y) throw AppError.notFound('exam year');
  const config = admissionConfigOf(y.rules);
  const { context, provinces } = await checkContext(ctx, year);
  const settings = config ? instantsToSettings(config) : null;
  return {
    year,
    settings,
    suggested: suggestedSettings(year, provinces.map((p) => p.code)),
    provinces,
    warnings: settings ? checkAdmissionSettings(settings, context).filter((f) => f.severity === 'warning') : [],
    updatedAt: config ? (y.updatedAt ?? null) : null,
  };
}

export async function getAdmissionSettings(ctx: Ctx, year: number): Promise<SettingsView> {
  requireMinistry(ctx);
  return view(ctx, year);
}

function refuse(findings: Finding[]): AppError {
  return new AppError('UNPROCESSABLE', 'Thiết lập xét tuyển chưa hợp lệ, chưa thể lưu.', 'The admission settings are not valid and cannot be saved.', {
    code: 'ADMISSION_SETTINGS_INVALID',
    fields: findings,
  });
}

export async function saveAdmissionSettings(ctx: Ctx, year: number, input: AdmissionSettings & { reason?: string | undefined }): Promise<SettingsView> {
  requireMinistry(ctx);
  const { reason: rawReason, ...fields } = input;
  const settings: AdmissionSettings = {
    ...fields,
    paymentGroups: fields.paymentGroups.map((g) => ({ ...g, name: g.name.normalize('NFC').trim(), provinceCodes: g.provinceCodes.map((p) => p.trim()).filter((p) => p !== '') })),
  };
  const reason = rawReason?.normalize('NFC').trim() ?? '';
  const { context } = await checkContext(ctx, year);
  const findings = checkAdmissionSettings(settings, context);
  if (hasErrors(findings)) throw refuse(findings.filter((f) => f.severity === 'error'));
  await ctx.db.write(async (trx) => {
    // the before is the row this transaction changes
    const y = await findExamYear(trx, year);
    if (!y) throw AppError.notFound('exam year');
    const raw = (y.rules['admission'] ?? null) as Record<string, unknown> | null;
    const current = admissionConfigOf(y.rules);
    if (current) {
      if (reason.length < 5) {
        throw new AppError('BAD_REQUEST', 'Thay đổi thiết lập đã có: cần ghi lý do.', 'Changing existing settings: a reason is required.', {
          code: 'REASON_REQUIRED',
          fields: [{ code: 'REASON_REQUIRED', field: 'reason', severity: 'error', vi: 'Cần ghi lý do thay đổi (ít nhất 5 ký tự).', en: 'A reason for the change is required (at least 5 characters).' }],
        });
      }
      const locked = checkSettingsChange(instantsToSettings(current), settings, ctx.now, current);
      if (locked.length > 0) throw refuse(locked);
    }
    // what the form does not edit stays (the enrolment deadline, keys a later issue adds)
    const after = { ...(raw ?? {}), ...settingsToInstants(settings) };
    await setYearRule(trx, year, 'admission', after, ctx.now);
    await appendAudit(
      trx,
      {
        action: current ? 'admission.settings_changed' : 'admission.settings_set',
        actor: ctx.actor,
        targetType: 'exam_year',
        targetId: String(year),
        ip: ctx.ip,
        details: { ...(reason ? { reason } : {}), before: raw, after },
      },
      ctx.now,
    );
  });
  // the current year's cached row carries the rules the wishes and fees read
  forgetCurrentExamYear(ctx.db.read);
  return view(ctx, year);
}

// The ministry's exam-year commands: create a draft, edit it, check it, publish it. A published year's
// windows and rules change only with a reason, checked again, and audited with the before and after.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorizeScope } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findExamYear, listExamYears, type StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { checkExamYear, type ExamYearWindows, type SchemeCode } from '../../domain/exam-year.ts';
import { checkReviewSettings, type ReviewSettings } from '../../domain/score-review.ts';
import { forgetCurrentExamYear } from '../exam-years/exam-years.repository.ts';
import type { Finding } from '../../domain/messages.ts';
import { insertDraftYear, publishYearIfDraft, updateYearIfStatus } from './admin.repository.ts';

function requireMinistry(ctx: Ctx): void {
  const scope = authorizeScope(ctx.actor, 'exam_year.manage');
  if (!('all' in scope)) throw AppError.forbidden();
}

async function loadYear(ctx: Ctx, year: number): Promise<StoredExamYear> {
  const y = await findExamYear(ctx.db.read, year);
  if (!y) throw AppError.notFound('exam year');
  return y;
}

export function findingsOf(y: { year: number; windows: ExamYearWindows }): Finding[] {
  return checkExamYear(y).map((p) => ({ code: p.code, field: p.field, severity: 'error' as const, vi: p.vi, en: p.en }));
}

function refuseFindings(findings: Finding[], action: 'publish' | 'change'): AppError {
  return new AppError(
    'UNPROCESSABLE',
    action === 'publish' ? 'Kỳ thi còn mâu thuẫn, chưa thể công bố.' : 'Khung thời gian mới còn mâu thuẫn, chưa thể lưu.',
    action === 'publish' ? 'The exam year has contradictions and cannot be published.' : 'The new windows contradict each other and cannot be saved.',
    { code: 'EXAM_YEAR_CHECK_FAILED', fields: findings },
  );
}

export async function listYears(ctx: Ctx): Promise<StoredExamYear[]> {
  requireMinistry(ctx);
  return listExamYears(ctx.db.read);
}

export async function getYear(ctx: Ctx, year: number): Promise<StoredExamYear> {
  requireMinistry(ctx);
  return loadYear(ctx, year);
}

export async function createYear(ctx: Ctx, input: { year: number; scheme: SchemeCode; windows: ExamYearWindows; rules?: Record<string, unknown> | undefined }): Promise<StoredExamYear> {
  requireMinistry(ctx);
  const created = await ctx.db.write(async (trx) => {
    const ok = await insertDraftYear(trx, { year: input.year, scheme: input.scheme, windows: input.windows, rules: input.rules ?? {} }, ctx.now);
    if (ok) await appendAudit(trx, { action: 'exam_year.created', actor: ctx.actor, targetType: 'exam_year', targetId: String(input.year), ip: ctx.ip, details: { scheme: input.scheme, windows: input.windows } }, ctx.now);
    return ok;
  });
  if (!created) throw new AppError('CONFLICT', `Kỳ thi năm ${input.year} đã có.`, `The exam year ${input.year} exists already.`, { code: 'EXAM_YEAR_EXISTS' });
  return loadYear(ctx, input.year);
}

export async function checkYear(ctx: Ctx, year: number): Promise<Finding[]> {
  requireMinistry(ctx);
  return findingsOf(await loadYear(ctx, year));
}

/** Parts of a year's rules edited only through their own checked settings (admission settings, reviews in `reviews`). */
const OWN_SETTINGS = ['admission', 'reviews'] as const;

/**
 * A draft changes freely (audited). A published year: the scheme never changes (candidates registered
 * under it), the windows and rules only with a reason, only if the result still passes the check, and
 * the audit entry holds the before and the after.
 */
export async function editYear(
  ctx: Ctx,
  year: number,
  patch: { scheme?: SchemeCode | undefined; windows?: ExamYearWindows | undefined; rules?: Record<string, unknown> | undefined; reviews?: ReviewSettings | undefined; reason?: string | undefined },
): Promise<StoredExamYear> {
  requireMinistry(ctx);
  const before = await loadYear(ctx, year);
  if (patch.reviews !== undefined) {
    // checked on every save, draft or published: a bad fee or window would reach the candidates
    const findings = checkReviewSettings(year, patch.reviews, (patch.windows ?? before.windows).correction);
    if (findings.length > 0)
      throw new AppError('UNPROCESSABLE', 'Cấu hình phúc khảo chưa hợp lệ, chưa thể lưu.', 'The score review settings are not valid and cannot be saved.', { code: 'REVIEW_SETTINGS_INVALID', fields: findings });
  }
  if (patch.rules !== undefined) {
    // the admission settings and the score-review settings have their own checked edits (frozen once the
    // wishes open, refused field by field): the raw rules may carry them only unchanged
    for (const key of OWN_SETTINGS) {
      if (JSON.stringify(patch.rules[key] ?? null) !== JSON.stringify(before.rules[key] ?? null)) {
        throw new AppError(
          'CONFLICT',
          `Phần "${key}" của quy định kỳ thi được sửa ở trang cấu hình riêng của nó, không qua quy định chung.`,
          `The "${key}" part of the year's rules is changed through its own settings, not the raw rules.`,
          { code: 'RULES_HAVE_OWN_SETTINGS', fields: [{ code: 'RULES_HAVE_OWN_SETTINGS', field: `rules.${key}`, severity: 'error', vi: `Sửa "${key}" ở trang cấu hình riêng.`, en: `Change "${key}" through its own settings.` }] },
        );
      }
    }
  }
  const status = before.published ? 'published' : 'draft';
  const reason = patch.reason?.normalize('NFC').trim();
  if (before.published) {
    if (!reason) {
      throw new AppError('BAD_REQUEST', 'Kỳ thi đã công bố: cần ghi lý do thay đổi.', 'The exam year is published: a reason for the change is required.', {
        code: 'REASON_REQUIRED',
        fields: [{ code: 'REASON_REQUIRED', field: 'reason', severity: 'error', vi: 'Cần ghi lý do thay đổi.', en: 'A reason is required.' }],
      });
    }
    if (patch.scheme !== undefined && patch.scheme !== before.scheme) {
      throw new AppError('CONFLICT', 'Không thể đổi chương trình thi của kỳ thi đã công bố.', 'The scheme of a published exam year cannot change.', { code: 'SCHEME_LOCKED' });
    }
    if (patch.windows !== undefined) {
      const findings = findingsOf({ year, windows: patch.windows });
      if (findings.length > 0) throw refuseFindings(findings, 'change');
    }
  }
  await ctx.db.write(async (trx) => {
    // the before of the audit entry is the row this transaction changes, not an earlier read
    const cur = await findExamYear(trx, year);
    const rules = patch.reviews !== undefined ? withReviewSettings(patch.rules ?? cur?.rules ?? {}, patch.reviews) : patch.rules;
    const changes = {
      ...(patch.scheme !== undefined ? { scheme: patch.scheme } : {}),
      ...(patch.windows !== undefined ? { windows: patch.windows } : {}),
      ...(rules !== undefined ? { rules } : {}),
    };
    if (!cur || cur.published !== before.published || !(await updateYearIfStatus(trx, year, status, changes, ctx.now))) {
      throw new AppError('PRECONDITION_FAILED', 'Kỳ thi vừa được công bố bởi người khác; hãy tải lại.', 'The exam year was published meanwhile; please reload.', { code: 'EXAM_YEAR_CHANGED' });
    }
    const beforeShown = { scheme: cur.scheme, windows: cur.windows, rules: cur.rules };
    await appendAudit(
      trx,
      {
        action: before.published ? 'exam_year.changed_after_publish' : 'exam_year.edited',
        actor: ctx.actor,
        targetType: 'exam_year',
        targetId: String(year),
        ip: ctx.ip,
        details: { ...(reason ? { reason } : {}), before: beforeShown, after: { ...beforeShown, ...changes } },
      },
      ctx.now,
    );
  });
  forgetCurrentExamYear(ctx.db.read);
  return loadYear(ctx, year);
}

/** The rules with the review settings merged into rules.reviews (its other keys kept; no window: none stored). */
function withReviewSettings(rules: Record<string, unknown>, s: ReviewSettings): Record<string, unknown> {
  const old = rules['reviews'] && typeof rules['reviews'] === 'object' ? (rules['reviews'] as Record<string, unknown>) : {};
  const { window: _drop, ...kept } = old;
  const window = s.window ? { from: s.window.from, to: s.window.to, ...(s.window.opensAt ? { opensAt: s.window.opensAt } : {}), ...(s.window.closesAt ? { closesAt: s.window.closesAt } : {}) } : null;
  return { ...rules, reviews: { ...kept, ...(window ? { window } : {}), days: s.days, feePerPaperVnd: s.feePerPaperVnd, payment: s.payment } };
}

export async function publishYear(ctx: Ctx, year: number): Promise<StoredExamYear> {
  requireMinistry(ctx);
  await ctx.db.write(async (trx) => {
    // checked on the row as the transaction sees it, so an edit racing the publish cannot slip through unchecked
    const y = await findExamYear(trx, year);
    if (!y) throw AppError.notFound('exam year');
    if (y.published) throw new AppError('CONFLICT', 'Kỳ thi đã được công bố.', 'The exam year is already published.', { code: 'ALREADY_PUBLISHED' });
    const findings = findingsOf(y);
    if (findings.length > 0) throw refuseFindings(findings, 'publish');
    if (!(await publishYearIfDraft(trx, year, ctx.now))) throw new AppError('CONFLICT', 'Kỳ thi đã được công bố.', 'The exam year is already published.', { code: 'ALREADY_PUBLISHED' });
    await appendAudit(trx, { action: 'exam_year.published', actor: ctx.actor, targetType: 'exam_year', targetId: String(year), ip: ctx.ip, details: { scheme: y.scheme, windows: y.windows } }, ctx.now);
  });
  return loadYear(ctx, year);
}

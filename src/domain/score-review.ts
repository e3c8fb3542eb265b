// Score reviews (phúc khảo, issue 22 item 6): the review window, which papers a candidate may ask to be
// reviewed, the fee, and what a paper's review outcome does to its mark. Pure: the clock, the published
// marks and the year's configuration come in as arguments.
//
// Assumptions (named; DOMAIN.md gives the 2025 dates only):
// - the window is the year's `rules.reviews.window` when set; otherwise it opens on the local day the
//   candidate's council first published its marks and lasts `days` days (10, as 16–25 Jul 2025), closing
//   at 17:00 on the last day as the registration windows do;
// - the fee is `feePerPaperVnd` a paper (30,000 VND unless the year says otherwise: provinces set their
//   own); with `payment: 'online'` (the default) and the payment gateway configured, it is paid online
//   through the same gateway as the admission fees, within the review window, and the department starts a
//   request only once it is paid; otherwise (`'at_point'`, the year's explicit choice, or no gateway) it
//   is owed and paid at the point;
// - the essay papers are `essayPapers` (Ngữ văn: VAN); every other paper is multiple-choice;
// - an essay's reviewed mark may be given in hundredths (the review board's mark before rounding); the
//   mark changes only when it differs from the original by at least `essayThresholdCenti` (0.25), and
//   then takes the reviewed mark. A multiple-choice paper re-marked against the scan takes the
//   re-marked value whenever it differs, and must be on the paper's mark step.
// - a sanction (KT/CC) on the original mark stays on the reviewed one.
import { z } from 'zod';
import { error, type Finding } from './messages.ts';
import { isWithin, windowBounds, type LocalWindow } from './exam-year.ts';
import { instantToVietnamLocal } from './time.ts';
import type { StoredMark } from './exam-marks.ts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const localTime = z.string().regex(/^\d{2}:\d{2}$/);

/** `rules.reviews` of an exam year. */
export const ReviewConfigSchema = z.object({
  window: z.object({ from: localDate, to: localDate, opensAt: localTime.optional(), closesAt: localTime.optional() }).optional(),
  days: z.number().int().min(1).max(60).default(10),
  closesAt: localTime.default('17:00'),
  feePerPaperVnd: z.number().int().min(0).max(10_000_000).default(30_000),
  /** how the fee is paid: online through the payment gateway (when one is configured, else at the point), or at the point */
  payment: z.enum(['online', 'at_point']).default('online'),
  essayPapers: z.array(z.string().min(1)).default(['VAN']),
  essayThresholdCenti: z.number().int().min(1).max(1000).default(25),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

/** The year's review configuration from its rules (defaults for what it does not say; a bad value is ignored). */
export function reviewConfigOf(rules: Record<string, unknown>): ReviewConfig {
  const parsed = ReviewConfigSchema.safeParse(rules['reviews'] ?? {});
  return parsed.success ? parsed.data : ReviewConfigSchema.parse({});
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The review window of a council: the configured one, or `days` days from the local day its marks were
 * first published; null while nothing is published (and nothing configured).
 */
export function reviewWindow(cfg: ReviewConfig, firstPublishedAt: Date | null): LocalWindow | null {
  if (cfg.window) return cfg.window;
  if (!firstPublishedAt) return null;
  const from = instantToVietnamLocal(firstPublishedAt).date;
  return { from, to: addDays(from, cfg.days - 1), opensAt: instantToVietnamLocal(firstPublishedAt).time.slice(0, 5), closesAt: cfg.closesAt };
}

export type WindowState = 'not_open' | 'open' | 'closed';

export function reviewWindowState(w: LocalWindow | null, now: Date): WindowState {
  if (!w) return 'not_open';
  if (isWithin(w, now)) return 'open';
  return now.getTime() < windowBounds(w).start.getTime() ? 'not_open' : 'closed';
}

export type PaperKind = 'essay' | 'multiple_choice';

export const paperKind = (cfg: Pick<ReviewConfig, 'essayPapers'>, subject: string): PaperKind => (cfg.essayPapers.includes(subject) ? 'essay' : 'multiple_choice');

export const reviewFee = (cfg: Pick<ReviewConfig, 'feePerPaperVnd'>, papers: number): number => cfg.feePerPaperVnd * papers;

/**
 * How a new request's fee is paid: online when the year pays online and a payment gateway is configured
 * (and there is something to pay), otherwise at the point.
 */
export const reviewPaymentMode = (cfg: Pick<ReviewConfig, 'payment' | 'feePerPaperVnd'>, gatewayConfigured: boolean, papers = 1): 'online' | 'at_point' =>
  cfg.payment === 'online' && gatewayConfigured && reviewFee(cfg, papers) > 0 ? 'online' : 'at_point';

/** What the ministry edits of a year's reviews (the exam-year page); the rest of `rules.reviews` is kept. */
export interface ReviewSettings {
  /** null: the window opens when the council first publishes its marks and lasts `days` days */
  window: LocalWindow | null;
  days: number;
  feePerPaperVnd: number;
  payment: 'online' | 'at_point';
}

export const reviewSettingsOf = (cfg: ReviewConfig): ReviewSettings => ({ window: cfg.window ?? null, days: cfg.days, feePerPaperVnd: cfg.feePerPaperVnd, payment: cfg.payment });

export const MAX_REVIEW_FEE_VND = 10_000_000;

/**
 * The problems of a year's review settings (fields `reviews.*`): a window that is no date, ends before it
 * starts, lies outside the exam year, closes at an odd hour or opens before registration's correction
 * window has ended; a number of days outside 1–60; a fee that is not a whole number of dong up to 10
 * million.
 */
export function checkReviewSettings(year: number, s: ReviewSettings, registrationEnds?: LocalWindow): Finding[] {
  const out: Finding[] = [];
  const w = s.window;
  if (w) {
    const time = /^([01]\d|2[0-3]):[0-5]\d$/;
    const date = /^\d{4}-\d{2}-\d{2}$/;
    const realDate = (d: string) => date.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
    let ok = true;
    if (!realDate(w.from)) {
      ok = false;
      out.push(error('REVIEW_WINDOW_INVALID', 'reviews.window.from', 'Ngày bắt đầu nhận đơn phúc khảo không hợp lệ.', 'The first day of the review window is not a valid date.'));
    }
    if (!realDate(w.to)) {
      ok = false;
      out.push(error('REVIEW_WINDOW_INVALID', 'reviews.window.to', 'Ngày kết thúc nhận đơn phúc khảo không hợp lệ.', 'The last day of the review window is not a valid date.'));
    }
    for (const k of ['opensAt', 'closesAt'] as const) {
      const v = w[k];
      if (v !== undefined && !time.test(v)) {
        ok = false;
        out.push(error('REVIEW_WINDOW_TIME_INVALID', `reviews.window.${k}`, 'Giờ phải theo dạng HH:MM, ví dụ 17:00.', 'The time must be HH:MM, e.g. 17:00.'));
      }
    }
    if (ok) {
      const b = windowBounds(w);
      if (b.end.getTime() <= b.start.getTime())
        out.push(error('REVIEW_WINDOW_EMPTY', 'reviews.window.to', 'Hạn cuối nhận đơn phúc khảo phải sau lúc bắt đầu.', 'The review window must end after it starts.'));
      if (!w.from.startsWith(String(year)) || !w.to.startsWith(String(year)))
        out.push(error('REVIEW_WINDOW_WRONG_YEAR', 'reviews.window.from', `Thời gian phúc khảo phải nằm trong năm ${year}.`, `The review window must lie in ${year}.`, { year }));
      if (w.closesAt) {
        const hour = Number(w.closesAt.slice(0, 2));
        if (hour < 8 || hour > 22)
          out.push(error('REVIEW_WINDOW_ODD_CLOSING_HOUR', 'reviews.window.closesAt', 'Giờ hết hạn nên nằm trong khoảng 08:00–22:00.', 'The closing time should fall between 08:00 and 22:00.'));
      }
      if (registrationEnds) {
        let end: Date | null = null;
        try {
          end = windowBounds(registrationEnds).end;
        } catch {
          end = null;
        }
        if (end && b.start.getTime() < end.getTime())
          out.push(error('REVIEW_WINDOW_TOO_EARLY', 'reviews.window.from', 'Thời gian phúc khảo phải bắt đầu sau khi kết thúc rà soát, điều chỉnh hồ sơ đăng ký.', 'The review window must start after registration’s correction window has ended.'));
      }
    }
  }
  if (!Number.isInteger(s.days) || s.days < 1 || s.days > 60)
    out.push(error('REVIEW_DAYS_INVALID', 'reviews.days', 'Số ngày nhận đơn phúc khảo phải là số nguyên từ 1 đến 60.', 'The number of days for review requests must be a whole number from 1 to 60.'));
  if (!Number.isInteger(s.feePerPaperVnd) || s.feePerPaperVnd < 0 || s.feePerPaperVnd > MAX_REVIEW_FEE_VND)
    out.push(
      error('REVIEW_FEE_INVALID', 'reviews.feePerPaperVnd', 'Lệ phí một bài thi phải là số đồng nguyên, từ 0 đến 10.000.000.', 'The fee per paper must be a whole number of dong from 0 to 10,000,000.', { max: MAX_REVIEW_FEE_VND }),
    );
  return out;
}

/**
 * The problems of a request for `subjects` (field `subjects.N`): the window, a paper without a published
 * score (not sat, absent or suspended), a paper named twice, a paper already under an open request.
 */
export function checkReviewRequest(input: {
  subjects: readonly string[];
  window: WindowState;
  /** the candidate's published marks by subject */
  marks: Readonly<Record<string, StoredMark>>;
  /** papers of the candidate's requests that are not withdrawn */
  alreadyRequested: ReadonlySet<string>;
}): Finding[] {
  const out: Finding[] = [];
  if (input.window !== 'open') {
    out.push(
      input.window === 'closed'
        ? error('REVIEW_WINDOW_CLOSED', 'subjects', 'Đã hết hạn nộp đơn phúc khảo.', 'The period for requesting a score review has ended.')
        : error('REVIEW_WINDOW_NOT_OPEN', 'subjects', 'Chưa đến thời gian nộp đơn phúc khảo.', 'Score review requests are not open yet.'),
    );
    return out;
  }
  if (input.subjects.length === 0) out.push(error('REVIEW_NO_PAPER', 'subjects', 'Hãy chọn ít nhất một bài thi để phúc khảo.', 'Choose at least one paper to be reviewed.'));
  const seen = new Set<string>();
  input.subjects.forEach((s, i) => {
    const field = `subjects.${i}`;
    const m = input.marks[s];
    if (seen.has(s)) out.push(error('REVIEW_DUPLICATE_PAPER', field, `Bài thi ${s} được chọn hai lần.`, `The paper ${s} is chosen twice.`, { subject: s }));
    else if (!m || m.kind !== 'score') out.push(error('REVIEW_PAPER_NOT_SAT', field, `Bạn không có điểm bài thi ${s} đã công bố để phúc khảo.`, `You have no published score on the paper ${s} to be reviewed.`, { subject: s }));
    else if (input.alreadyRequested.has(s)) out.push(error('REVIEW_ALREADY_REQUESTED', field, `Bài thi ${s} đã có đơn phúc khảo.`, `A review of the paper ${s} has already been requested.`, { subject: s }));
    seen.add(s);
  });
  return out;
}

export type ReviewOutcome = { changed: false; mark: StoredMark } | { changed: true; mark: StoredMark; deltaCenti: number };

/**
 * What a review does to a paper's published score: an essay changes only when the reviewed mark differs by
 * at least the threshold; a multiple-choice paper takes the re-marked value whenever it differs.
 */
export function reviewOutcome(kind: PaperKind, original: Extract<StoredMark, { kind: 'score' }>, reviewedCenti: number, thresholdCenti = 25): ReviewOutcome {
  const delta = reviewedCenti - original.centi;
  const differs = kind === 'essay' ? Math.abs(delta) >= thresholdCenti : delta !== 0;
  if (!differs) return { changed: false, mark: original };
  return { changed: true, mark: { kind: 'score', centi: reviewedCenti, sanction: original.sanction }, deltaCenti: delta };
}

/** The reviewed mark as entered (0–10, dot or comma, at most 2 decimals); a re-marked multiple-choice paper must be on its step. */
export function parseReviewedMark(raw: string, kind: PaperKind, stepCenti: number, field = 'reviewedMark'): { ok: true; centi: number } | { ok: false; finding: Finding } {
  const v = raw.trim();
  const m = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(v);
  const centi = m ? Number(m[1]) * 100 + Number(((m[2] ?? '') + '00').slice(0, 2)) : NaN;
  if (!m || centi > 1000) return { ok: false, finding: error('REVIEW_MARK_INVALID', field, 'Điểm phúc khảo phải là số từ 0 đến 10, tối đa 2 chữ số thập phân.', 'The reviewed mark must be a number from 0 to 10 with at most 2 decimals.') };
  if (kind === 'multiple_choice' && centi % stepCenti !== 0) {
    const step = String(stepCenti / 100);
    return { ok: false, finding: error('MARK_STEP', field, `Điểm chấm lại bài trắc nghiệm phải là bội của ${step.replace('.', ',')}.`, `A re-marked multiple-choice paper's mark must be a multiple of ${step}.`, { step: stepCenti / 100 }) };
  }
  return { ok: true, centi };
}

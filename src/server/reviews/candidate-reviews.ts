// A candidate's score reviews (phúc khảo): what they may ask for (papers with a published score, inside
// their council's review window), the request with its fee (paid online through the payment gateway,
// review-fees.ts, or owed and paid at the point), and withdrawing it before the department starts it (and
// before its fee is paid online). Every request, refusal and withdrawal
// is audited. The rules are src/domain/score-review.ts.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type UserActor } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { findCandidateOfUser } from '../exam/exam.repository.ts';
import { newId } from '../ids.ts';
import type { StoredExamYear } from '../exam-years/exam-years.repository.ts';
import type { StoredMark } from '../../domain/exam-marks.ts';
import { checkReviewRequest, paperKind, reviewConfigOf, reviewFee, reviewPaymentMode, reviewWindow, reviewWindowState, type ReviewConfig, type WindowState } from '../../domain/score-review.ts';
import type { LocalWindow } from '../../domain/exam-year.ts';
import { marksOf } from '../results/results.repository.ts';
import { openOrderOf } from '../payments/payments.repository.ts';
import { REVIEW_OPEN_KEY } from './review-fees.ts';
import { findRequest, firstPublishedAt, insertRequest, numberedCandidate, openSubjects, requestsOfCandidate, withdrawRequest, type ReviewRequest } from './reviews.repository.ts';

export interface OwnReviews {
  examYear: number;
  number: string | null;
  window: LocalWindow | null;
  windowState: WindowState;
  config: ReviewConfig;
  /** how the fee of a request made now is paid */
  payment: 'online' | 'at_point';
  papers: Array<{ subject: string; mark: StoredMark; kind: 'essay' | 'multiple_choice'; requested: boolean }>;
  requests: ReviewRequest[];
  /** the candidate's open review order (a payment started and not yet confirmed), with its request */
  openOrder: { id: string; requestId: string } | null;
}

export interface Me {
  actor: UserActor;
  year: StoredExamYear;
  candidateId: string;
  pointId: string;
  departmentCode: string;
}

/** The signed-in candidate asking about their own reviews (and paying for them: review-fees.ts). */
export async function me(ctx: Ctx): Promise<Me> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (ctx.actor.role !== 'candidate') throw AppError.forbidden();
  const year = await requireYear(ctx.db);
  const c = await findCandidateOfUser(ctx.db.read, year.year, ctx.actor.userId);
  if (!c) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'review.request', { type: 'candidate', userId: ctx.actor.userId, pointId: c.pointId, departmentCode: c.departmentCode });
  return { actor: ctx.actor, year, candidateId: c.id, pointId: c.pointId, departmentCode: c.departmentCode };
}

export async function ownReviews(ctx: Ctx, opts: { online: boolean } = { online: false }): Promise<OwnReviews> {
  const m = await me(ctx);
  const config = reviewConfigOf(m.year.rules);
  const n = await numberedCandidate(ctx.db.read, m.year.year, m.candidateId);
  const [first, marks, open, requests, order] = await Promise.all([
    n ? firstPublishedAt(ctx.db.read, m.year.year, n.departmentCode) : Promise.resolve(null),
    marksOf(ctx.db.read, m.year.year, [m.candidateId]),
    openSubjects(ctx.db.read, m.year.year, m.candidateId),
    requestsOfCandidate(ctx.db.read, m.year.year, m.candidateId),
    openOrderOf(ctx.db.read, m.year.year, m.candidateId, REVIEW_OPEN_KEY),
  ]);
  const [orderRequest] = order ? (JSON.parse(order.wish_ids) as string[]) : [];
  const window = reviewWindow(config, first);
  const own = marks.get(m.candidateId) ?? {};
  return {
    examYear: m.year.year,
    number: n?.number ?? null,
    window,
    windowState: reviewWindowState(window, ctx.now),
    config,
    payment: reviewPaymentMode(config, opts.online),
    papers: Object.entries(own)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([subject, mark]) => ({ subject, mark, kind: paperKind(config, subject), requested: open.has(subject) })),
    requests,
    openOrder: order && orderRequest ? { id: order.id, requestId: orderRequest } : null,
  };
}

/**
 * A review request of chosen papers. Its fee is paid online (review-fees.ts) when the year says so and the
 * payment gateway is configured (`online`), else owed and paid at the point.
 */
export async function requestReview(ctx: Ctx, subjects: readonly string[], opts: { online: boolean } = { online: false }): Promise<ReviewRequest> {
  const m = await me(ctx);
  const config = reviewConfigOf(m.year.rules);
  const n = await numberedCandidate(ctx.db.read, m.year.year, m.candidateId);
  const first = n ? await firstPublishedAt(ctx.db.read, m.year.year, n.departmentCode) : null;
  const state = reviewWindowState(reviewWindow(config, first), ctx.now);
  const id = newId();
  const refused = async (findings: ReturnType<typeof checkReviewRequest>, code: string) => {
    await ctx.db.write((trx) =>
      appendAudit(trx, { action: 'review.request_refused', actor: m.actor, targetType: 'candidate', targetId: m.candidateId, departmentCode: m.departmentCode, ip: ctx.ip, details: { subjects, codes: findings.map((f) => f.code) } }, ctx.now),
    );
    if (code === 'REVIEW_WINDOW_CLOSED' || code === 'REVIEW_WINDOW_NOT_OPEN') {
      const f = findings[0]!;
      throw new AppError('CONFLICT', f.vi, f.en, { code, fields: findings });
    }
    throw AppError.validation(findings);
  };
  // checked on a read; the unique index on open papers settles a race between two requests
  const marks = (await marksOf(ctx.db.read, m.year.year, [m.candidateId])).get(m.candidateId) ?? {};
  const open = await openSubjects(ctx.db.read, m.year.year, m.candidateId);
  const findings = checkReviewRequest({ subjects, window: n ? state : 'not_open', marks, alreadyRequested: open });
  if (findings.length > 0 || !n) return refused(findings, findings[0]?.code ?? 'REVIEW_WINDOW_NOT_OPEN');
  const payment: ReviewRequest['payment'] = reviewPaymentMode(config, opts.online, subjects.length);
  return ctx.db.write(async (trx) => {
    const items = subjects.map((s) => {
      const mark = marks[s] as Extract<StoredMark, { kind: 'score' }>;
      return { subject: s, paperKind: paperKind(config, s), originalCenti: mark.centi, originalSanction: mark.sanction };
    });
    const req = {
      id,
      examYear: m.year.year,
      candidateId: m.candidateId,
      userId: m.actor.userId,
      departmentCode: n.departmentCode,
      pointId: n.pointId,
      number: n.number,
      status: 'requested' as const,
      feePerPaperVnd: config.feePerPaperVnd,
      feeTotalVnd: reviewFee(config, items.length),
      payment,
      feeStatus: payment === 'online' ? ('unpaid' as const) : ('at_point' as const),
      requestedAt: ctx.now.toISOString(),
    };
    await insertRequest(trx, req, items);
    await appendAudit(
      trx,
      { action: 'review.requested', actor: m.actor, targetType: 'review_request', targetId: id, departmentCode: n.departmentCode, ip: ctx.ip, details: { subjects, feeTotalVnd: req.feeTotalVnd, payment } },
      ctx.now,
    );
    const stored = await findRequest(trx, id);
    if (!stored) throw AppError.notFound('review request');
    return stored;
  });
}

export async function withdrawReview(ctx: Ctx, requestId: string): Promise<ReviewRequest> {
  const m = await me(ctx);
  const r = await findRequest(ctx.db.read, requestId);
  if (!r || r.candidateId !== m.candidateId) throw AppError.notFound('review request');
  return ctx.db.write(async (trx) => {
    if (!(await withdrawRequest(trx, requestId, ctx.now))) {
      if (r.feeStatus === 'paid')
        throw new AppError('CONFLICT', 'Đơn phúc khảo đã nộp lệ phí nên đã chuyển đến Sở GD&ĐT: không rút được nữa.', 'The request’s fee is paid, so it has gone to the department: it can no longer be withdrawn.', { code: 'REVIEW_NOT_WITHDRAWABLE', details: { status: r.status, feeStatus: r.feeStatus } });
      throw new AppError('CONFLICT', 'Đơn phúc khảo đã được Sở GD&ĐT tiếp nhận xử lý hoặc đã rút: không rút được nữa.', 'The department has started this review, or it was withdrawn already: it can no longer be withdrawn.', {
        code: 'REVIEW_NOT_WITHDRAWABLE',
        details: { status: r.status },
      });
    }
    await appendAudit(trx, { action: 'review.withdrawn', actor: m.actor, targetType: 'review_request', targetId: requestId, departmentCode: r.departmentCode, ip: ctx.ip, details: { subjects: r.items.map((i) => i.subject) } }, ctx.now);
    return (await findRequest(trx, requestId))!;
  });
}

// A score review's fee paid online (issue 22 item 6), through the same gateway, orders, notifications,
// reconciliation and refunds as the admission fees (src/server/payments): an order of purpose 'review'
// pays one request's papers (fee per paper × papers), within the council's review window. The request is
// 'pending' while an order is open and 'paid' only on the gateway's verified word (its notification, the
// query API or the day's statement), never on the browser's; the department starts a request only once it
// is paid. A payment for a request already paid, or withdrawn meanwhile, is kept for the ministry to refund.
import type { Kysely } from 'kysely';
import type { Ctx } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { newId } from '../ids.ts';
import { windowBounds } from '../../domain/exam-year.ts';
import { reviewConfigOf, reviewWindow, reviewWindowState } from '../../domain/score-review.ts';
import type { PaymentGateway } from '../payments/gateway-client.ts';
import * as payments from '../payments/payments.repository.ts';
import type { OrderRow } from '../payments/payments.repository.ts';
import { findRequest, firstPublishedAt, markFeePaid, markFeePending, markFeeUnpaid, type ReviewRequest } from './reviews.repository.ts';
import { me } from './candidate-reviews.ts';
import { REVIEW_PAYMENT_GROUP } from '../../contracts/payments.ts';

/** the group code of review orders and payments (the admission fees' groups are the year's province groups) */
export const REVIEW_GROUP = REVIEW_PAYMENT_GROUP;
/** a review order's open_key while open: one open review order per candidate, beside one admission order */
export const REVIEW_OPEN_KEY = 'open-review';
const PAY_URL_MINUTES = 15;

/** The instant the request's council's review window closes (null: no window, so nothing is late). */
async function windowCloseOf(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<Date | null> {
  const y = await db.selectFrom('exam_years').select('rules').where('year', '=', examYear).executeTakeFirst();
  if (!y) return null;
  const rules = typeof y.rules === 'string' ? (JSON.parse(y.rules) as Record<string, unknown>) : (y.rules as Record<string, unknown>);
  const w = reviewWindow(reviewConfigOf(rules), await firstPublishedAt(db, examYear, departmentCode));
  return w ? new Date(windowBounds(w).end) : null;
}

export interface PayTarget {
  /** a payment for it now would pay twice (paid already, or the request withdrawn): kept to refund */
  alreadyPaid: boolean;
  /** when paying stops (a payment made at or after it is kept to refund) */
  closesAt: string | null;
  markPaid(trx: Kysely<DB>, paidAt: string, txnId: string, now: Date): Promise<void>;
}

/** What a verified payment of a review order does (called by the payments service inside its transaction). */
export async function reviewPayTarget(trx: Kysely<DB>, o: OrderRow): Promise<PayTarget> {
  const [requestId] = JSON.parse(o.wish_ids) as string[];
  const r = requestId ? await findRequest(trx, requestId) : undefined;
  const close = r ? await windowCloseOf(trx, r.examYear, r.departmentCode) : null;
  return {
    alreadyPaid: !r || r.feeStatus === 'paid' || r.status === 'withdrawn' || o.status === 'paid',
    closesAt: close ? close.toISOString() : null,
    markPaid: async (t, paidAt, txnId) => {
      if (r) await markFeePaid(t, r.id, paidAt, txnId);
    },
  };
}

const conflict = (code: string, vi: string, en: string) => new AppError('CONFLICT', vi, en, { code });

/**
 * The order paying a review request's fee and its pay URL: the open review order again while it is for the
 * same request and amount (idempotent), otherwise a new one (the old one superseded, its request unpaid again).
 */
export async function payReviewFee(ctx: Ctx, gateway: PaymentGateway | null, requestId: string): Promise<{ order: OrderRow; payUrl: string; request: ReviewRequest }> {
  const m = await me(ctx);
  const r = await findRequest(ctx.db.read, requestId);
  if (!r || r.candidateId !== m.candidateId) {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'review.payment_denied', actor: m.actor, targetType: 'review_request', targetId: requestId, ip: ctx.ip, details: { exists: r !== undefined } }, ctx.now));
    throw AppError.notFound('review request');
  }
  const refuse = async (code: string, vi: string, en: string): Promise<never> => {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'review.payment_refused', actor: m.actor, targetType: 'review_request', targetId: r.id, departmentCode: r.departmentCode, ip: ctx.ip, details: { code } }, ctx.now));
    throw conflict(code, vi, en);
  };
  if (r.payment !== 'online') return refuse('REVIEW_FEE_AT_POINT', 'Lệ phí phúc khảo của đơn này nộp tại điểm tiếp nhận.', 'This request’s review fee is paid at the registration point.');
  if (r.feeStatus === 'paid') return refuse('NOTHING_TO_PAY', 'Đơn phúc khảo này đã nộp lệ phí.', 'This review request’s fee is paid.');
  if (r.status !== 'requested') return refuse('REVIEW_WRONG_STATUS', 'Đơn phúc khảo đã rút hoặc đã được xử lý: không nộp lệ phí được nữa.', 'The request was withdrawn or is being handled: its fee can no longer be paid.');
  if (!gateway) return refuse('PAYMENTS_NOT_OPEN', 'Thanh toán trực tuyến chưa mở.', 'Online payment is not open.');
  const window = reviewWindow(reviewConfigOf(m.year.rules), await firstPublishedAt(ctx.db.read, r.examYear, r.departmentCode));
  if (reviewWindowState(window, ctx.now) !== 'open' || !window)
    return refuse('REVIEW_WINDOW_CLOSED', 'Đã hết thời gian phúc khảo: không nộp lệ phí được nữa.', 'The review window has closed: the fee can no longer be paid.');
  const closesAt = new Date(windowBounds(window).end);
  const order = await ctx.db.write(async (trx) => {
    const open = await payments.openOrderOf(trx, r.examYear, m.candidateId, REVIEW_OPEN_KEY);
    if (open && open.amount_vnd === r.feeTotalVnd && open.wish_ids === JSON.stringify([r.id])) return open;
    if (open) {
      await payments.closeOrder(trx, open.id, 'superseded', ctx.now);
      const [was] = JSON.parse(open.wish_ids) as string[];
      if (was && was !== r.id) await markFeeUnpaid(trx, was);
    }
    const at = ctx.now.toISOString();
    const o: OrderRow = {
      id: newId().replace(/-/g, ''),
      exam_year: r.examYear,
      candidate_id: m.candidateId,
      user_id: m.actor.userId,
      department_code: r.departmentCode,
      group_code: REVIEW_GROUP,
      wish_ids: JSON.stringify([r.id]),
      wish_count: r.items.length,
      fee_per_wish_vnd: r.feePerPaperVnd,
      amount_vnd: r.feeTotalVnd,
      status: 'open',
      open_key: REVIEW_OPEN_KEY,
      created_at: at,
      updated_at: at,
      paid_at: null,
      txn_id: null,
      purpose: 'review',
    };
    await payments.insertOrder(trx, o);
    await markFeePending(trx, r.id);
    await appendAudit(
      trx,
      { action: 'payment.order_created', actor: m.actor, targetType: 'payment_order', targetId: o.id, departmentCode: r.departmentCode, ip: ctx.ip, details: { purpose: 'review', requestId: r.id, papers: o.wish_count, amountVnd: o.amount_vnd, ...(open ? { supersedes: open.id } : {}) } },
      ctx.now,
    );
    return o;
  });
  const expiresAt = new Date(Math.min(ctx.now.getTime() + PAY_URL_MINUTES * 60_000, closesAt.getTime()));
  const payUrl = gateway.payUrl({ orderId: order.id, amountVnd: order.amount_vnd, info: `Le phi phuc khao ${order.wish_count} bai thi ${r.number}`, ip: ctx.ip, now: ctx.now, expiresAt, returnPath: '/candidate/reviews/return' });
  return { order, payUrl, request: (await findRequest(ctx.db.read, r.id))! };
}

// Admission fees paid online (issue 23 item 3). A candidate pays the fee of their wishes not yet paid
// (feePerWishVnd × their number) within their province group's payment window, through the gateway: an
// order (one open at a time; the same while the wishes to pay are the same, a new one when they change),
// its signed pay URL, and the gateway's signed notification (IPN) that alone — or the query API, or the
// day's statement — marks the wishes paid. The browser's return is shown, never trusted. A notification
// repeated or late changes nothing twice (the gateway's transaction number is unique); a second payment of
// paid wishes, or one made after the window, is kept to be refunded by the ministry. Rules:
// src/domain/admission-fees.ts; wire protocol: gateway-protocol.ts.
import type { Kysely } from 'kysely';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/create-db.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { authorize, authorizeScope, type UserActor } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { findCandidateOfUser } from '../exam/exam.repository.ts';
import { provinces } from '../places/places.ts';
import { newId } from '../ids.ts';
import type { StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { feeConfigOf, type FeeConfig } from './fee-config.ts';
import { feeFor, paymentEffect, paymentGroupOf, paymentWindowState, type PaymentGroup, type PaymentWindowState } from '../../domain/admission-fees.ts';
import { IPN_ANSWERS, fromVnpDate, vnpDate, type IpnAnswer } from './gateway-protocol.ts';
import { GatewayError, type GatewayPayment, type PaymentGateway } from './gateway-client.ts';
import * as repo from './payments.repository.ts';
import { REVIEW_GROUP, reviewPayTarget, type PayTarget } from '../reviews/review-fees.ts';
import type { FeeWish, OrderRow, TxnRow } from './payments.repository.ts';

/** how long a pay URL stays valid at the gateway (never past the group's close) */
const PAY_URL_MINUTES = 15;

export type FeesState = 'no_config' | 'gateway_off' | 'no_group' | 'not_open' | 'closed' | 'nothing_to_pay' | 'due' | 'paid';

export interface OwnFees {
  examYear: number;
  state: FeesState;
  config: FeeConfig | null;
  group: PaymentGroup | null;
  wishes: FeeWish[];
  toPay: FeeWish[];
  amountDueVnd: number;
  openOrder: OrderRow | null;
  receipts: TxnRow[];
}

export type OrderState = 'open' | 'confirming' | 'paid' | 'declined' | 'closed';
export interface OrderView {
  order: OrderRow;
  state: OrderState;
  receipt: TxnRow | null;
}

/** the local (Vietnam) day of an instant, YYYY-MM-DD: the statement a payment belongs to */
export function localDay(d: Date): string {
  const s = vnpDate(d);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Today's (2025) province of each exam department code: a merged province covers its old codes. */
async function provinceOfDepartment(db: Kysely<DB>): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const p of await provinces(db)) for (const f of p.formerProvinces as Array<{ examCode: string }>) m.set(f.examCode, p.code);
  return m;
}

/** The payment group of each exam department code (null: in none), the provinces read once. */
export async function groupsOfDepartments(db: Kysely<DB>, groups: readonly PaymentGroup[], departmentCodes: readonly string[]): Promise<Map<string, PaymentGroup | null>> {
  const byDep = await provinceOfDepartment(db).catch(() => new Map<string, string>());
  return new Map(departmentCodes.map((d) => [d, paymentGroupOf(groups, { provinceCode: byDep.get(d) ?? null, departmentCode: d })]));
}

export async function groupOfDepartment(db: Kysely<DB>, groups: readonly PaymentGroup[], departmentCode: string): Promise<PaymentGroup | null> {
  return (await groupsOfDepartments(db, groups, [departmentCode])).get(departmentCode) ?? null;
}

// ---- the candidate ----

interface Me {
  actor: UserActor;
  year: StoredExamYear;
  candidateId: string;
  departmentCode: string;
}

async function me(ctx: Ctx): Promise<Me> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (ctx.actor.role !== 'candidate') throw AppError.forbidden();
  const year = await requireYear(ctx.db);
  const c = await findCandidateOfUser(ctx.db.read, year.year, ctx.actor.userId);
  if (!c) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'payment.pay', { type: 'candidate', userId: ctx.actor.userId, pointId: c.pointId, departmentCode: c.departmentCode });
  return { actor: ctx.actor, year, candidateId: c.id, departmentCode: c.departmentCode };
}

async function feesOf(ctx: Ctx, m: Me, gateway: PaymentGateway | null): Promise<OwnFees> {
  const config = feeConfigOf(m.year.rules);
  const [wishes, open, receipts] = await Promise.all([repo.wishesOf(ctx.db.read, m.year.year, m.candidateId), repo.openOrderOf(ctx.db.read, m.year.year, m.candidateId), repo.txnsOfCandidate(ctx.db.read, m.year.year, m.candidateId)]);
  const group = config ? await groupOfDepartment(ctx.db.read, config.paymentGroups, m.departmentCode) : null;
  const toPay = wishes.filter((w) => w.feeStatus === 'unpaid' || w.feeStatus === 'pending');
  const amountDueVnd = config ? feeFor(config.feePerWishVnd, toPay.length) : 0;
  let state: FeesState;
  if (!config) state = 'no_config';
  else if (wishes.length > 0 && toPay.length === 0) state = 'paid';
  else if (toPay.length === 0) state = 'nothing_to_pay';
  else if (!group) state = 'no_group';
  else {
    const w: PaymentWindowState = paymentWindowState(group, ctx.now);
    state = w === 'open' ? (gateway ? 'due' : 'gateway_off') : w;
  }
  return { examYear: m.year.year, state, config, group, wishes, toPay, amountDueVnd, openOrder: open ?? null, receipts };
}

export async function ownFees(ctx: Ctx, gateway: PaymentGateway | null): Promise<OwnFees> {
  return feesOf(ctx, await me(ctx), gateway);
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

function refusal(state: FeesState): AppError {
  const m: Record<string, [string, string, string]> = {
    no_config: ['PAYMENTS_NOT_CONFIGURED', 'Kỳ tuyển sinh năm nay chưa có cấu hình lệ phí.', 'This year’s admission fees are not set yet.'],
    gateway_off: ['PAYMENTS_NOT_OPEN', 'Thanh toán trực tuyến chưa mở.', 'Online payment is not open.'],
    no_group: ['PAYMENT_GROUP_MISSING', 'Tỉnh của bạn chưa được xếp vào nhóm thanh toán nào.', 'Your province is in no payment group yet.'],
    not_open: ['PAYMENT_WINDOW_NOT_OPEN', 'Chưa đến thời gian nộp lệ phí của nhóm tỉnh bạn.', 'Your province group’s payment window has not opened yet.'],
    closed: ['PAYMENT_WINDOW_CLOSED', 'Đã hết thời gian nộp lệ phí của nhóm tỉnh bạn.', 'Your province group’s payment window has closed.'],
    nothing_to_pay: ['NOTHING_TO_PAY', 'Bạn không có nguyện vọng nào cần nộp lệ phí.', 'You have no wish whose fee is due.'],
    paid: ['NOTHING_TO_PAY', 'Bạn đã nộp đủ lệ phí các nguyện vọng.', 'The fees of all your wishes are paid.'],
  };
  const [code, vi, en] = m[state] ?? ['CONFLICT', 'Không thể thanh toán lúc này.', 'Payment is not possible now.'];
  return new AppError('CONFLICT', vi, en, { code });
}

/**
 * The order for the wishes to pay, and its pay URL: the open order again while it covers the same wishes
 * (idempotent), otherwise a new one (the old one superseded). Its wishes go 'pending'.
 */
export async function createOrder(ctx: Ctx, gateway: PaymentGateway | null): Promise<{ order: OrderRow; payUrl: string }> {
  const m = await me(ctx);
  const f = await feesOf(ctx, m, gateway);
  if (f.state !== 'due' || !gateway || !f.group || !f.config) {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'payment.order_refused', actor: m.actor, targetType: 'candidate', targetId: m.candidateId, departmentCode: m.departmentCode, ip: ctx.ip, details: { state: f.state } }, ctx.now));
    throw refusal(f.state);
  }
  const group = f.group;
  const wishIds = f.toPay.map((w) => w.id);
  const amount = f.amountDueVnd;
  const order = await ctx.db.write(async (trx) => {
    const open = await repo.openOrderOf(trx, m.year.year, m.candidateId);
    if (open && open.amount_vnd === amount && sameSet(JSON.parse(open.wish_ids) as string[], wishIds)) return open;
    if (open) await repo.closeOrder(trx, open.id, 'superseded', ctx.now);
    const at = ctx.now.toISOString();
    const o: OrderRow = {
      id: newId().replace(/-/g, ''),
      exam_year: m.year.year,
      candidate_id: m.candidateId,
      user_id: m.actor.userId,
      department_code: m.departmentCode,
      group_code: group.code,
      wish_ids: JSON.stringify(wishIds),
      wish_count: wishIds.length,
      fee_per_wish_vnd: f.config!.feePerWishVnd,
      amount_vnd: amount,
      status: 'open',
      open_key: 'open',
      created_at: at,
      updated_at: at,
      paid_at: null,
      txn_id: null,
      purpose: 'admission',
    };
    await repo.insertOrder(trx, o);
    await repo.markPending(trx, wishIds, ctx.now);
    await appendAudit(
      trx,
      { action: 'payment.order_created', actor: m.actor, targetType: 'payment_order', targetId: o.id, departmentCode: m.departmentCode, ip: ctx.ip, details: { wishes: o.wish_count, amountVnd: o.amount_vnd, group: o.group_code, ...(open ? { supersedes: open.id } : {}) } },
      ctx.now,
    );
    return o;
  });
  const expiresAt = new Date(Math.min(ctx.now.getTime() + PAY_URL_MINUTES * 60_000, Date.parse(group.closesAt)));
  const payUrl = gateway.payUrl({ orderId: order.id, amountVnd: order.amount_vnd, info: `Le phi xet tuyen ${order.wish_count} nguyen vong ${m.year.year}`, ip: ctx.ip, now: ctx.now, expiresAt });
  return { order, payUrl };
}

async function viewOf(db: Kysely<DB>, o: OrderRow): Promise<OrderView> {
  const txns = await repo.txnsOfOrder(db, o.id);
  const receipt = txns.find((t) => t.id === o.txn_id) ?? txns[txns.length - 1] ?? null;
  let state: OrderState;
  if (o.status === 'paid') state = 'paid';
  else if (o.status !== 'open') state = 'closed';
  else state = (await repo.returnedSuccess(db, o.id)) ? 'confirming' : 'open';
  return { order: o, state, receipt };
}

/** One of the candidate's orders; another's is "not found" (and the attempt audited). */
async function ownOrderRow(ctx: Ctx, m: Me, orderId: string): Promise<OrderRow> {
  const o = await repo.findOrder(ctx.db.read, orderId);
  if (!o || o.candidate_id !== m.candidateId) {
    await ctx.db.write((trx) =>
      appendAudit(trx, { action: 'payment.order_denied', actor: m.actor, targetType: 'payment_order', targetId: orderId, departmentCode: m.departmentCode, ip: ctx.ip, details: { exists: o !== undefined } }, ctx.now),
    );
    throw AppError.notFound('payment order');
  }
  return o;
}

export async function ownOrder(ctx: Ctx, orderId: string): Promise<OrderView> {
  const m = await me(ctx);
  return viewOf(ctx.db.read, await ownOrderRow(ctx, m, orderId));
}

/** The browser back from the gateway: the signature is checked and the return noted; nothing is applied. */
export async function gatewayReturn(ctx: Ctx, gateway: PaymentGateway | null, params: Record<string, string>): Promise<{ orderId: string | null; signatureValid: boolean; gatewaySays: 'success' | 'declined' | 'unknown'; view: OrderView | null }> {
  const m = await me(ctx);
  const signatureValid = gateway ? gateway.verify(params) : false;
  const orderId = params['vnp_TxnRef'] ?? null;
  if (!signatureValid || !orderId || !/^[0-9a-f]{32}$/.test(orderId)) return { orderId, signatureValid: false, gatewaySays: 'unknown', view: null };
  const o = await ownOrderRow(ctx, m, orderId);
  const gatewaySays = params['vnp_ResponseCode'] === '00' && params['vnp_TransactionStatus'] === '00' ? 'success' : 'declined';
  await ctx.db.write((trx) => repo.insertEvent(trx, { orderId, txnNo: params['vnp_TransactionNo'] ?? null, kind: 'return', outcome: gatewaySays }, ctx.now));
  const view = await viewOf(ctx.db.read, o);
  return { orderId, signatureValid, gatewaySays, view: gatewaySays === 'declined' && view.state === 'open' ? { ...view, state: 'declined' } : view };
}

/** Asks the gateway (query API) about an open order and applies a verified payment. */
export async function checkOwnOrder(ctx: Ctx, gateway: PaymentGateway | null, orderId: string): Promise<OrderView> {
  const m = await me(ctx);
  const o = await ownOrderRow(ctx, m, orderId);
  if (o.status === 'open' && gateway) {
    let p: GatewayPayment | null;
    try {
      p = await gateway.query({ orderId: o.id, createdAt: new Date(o.created_at), now: ctx.now });
    } catch (e) {
      ctx.log.warn({ err: (e as Error).message }, 'payment gateway query failed');
      throw new AppError('UNAVAILABLE', 'Chưa hỏi được cổng thanh toán, xin thử lại sau ít phút.', 'The payment gateway could not be asked; please try again in a few minutes.', { code: 'PAYMENT_GATEWAY_UNAVAILABLE' });
    }
    if (p && p.success && p.type === '01') await ctx.db.write((trx) => applyPayment(trx, o, p, 'query', ctx.now));
    else await ctx.db.write((trx) => repo.insertEvent(trx, { orderId: o.id, txnNo: p?.transactionNo ?? null, kind: 'query', outcome: p ? 'not_paid' : 'not_found' }, ctx.now));
  }
  return viewOf(ctx.db.read, (await repo.findOrder(ctx.db.read, orderId))!);
}

// ---- a verified payment, from whichever source ----

export type ApplyOutcome = 'applied' | 'duplicate' | 'after_window' | 'already' | 'amount_mismatch';

async function groupOfOrder(db: Kysely<DB>, o: OrderRow): Promise<PaymentGroup | null> {
  const y = await db.selectFrom('exam_years').select('rules').where('year', '=', o.exam_year).executeTakeFirst();
  const cfg = y ? feeConfigOf(y.rules) : null;
  return cfg?.paymentGroups.find((g) => g.code === o.group_code) ?? null;
}

/** What a verified payment of an admission order does: its wishes paid (and another open order of the same wishes closed). */
async function admissionPayTarget(trx: Kysely<DB>, o: OrderRow): Promise<PayTarget> {
  const wishIds = JSON.parse(o.wish_ids) as string[];
  const alreadyPaid = o.status === 'paid' || (wishIds.length > 0 && (await repo.paidCountOf(trx, wishIds)) === wishIds.length);
  const group = await groupOfOrder(trx, o);
  return {
    alreadyPaid,
    closesAt: group?.closesAt ?? null,
    markPaid: async (t, paidAt, txnId, now) => {
      await repo.markPaid(t, wishIds, paidAt, txnId, now);
      // another open order of the same wishes (opened meanwhile) has nothing left to pay
      const open = await repo.openOrderOf(t, o.exam_year, o.candidate_id);
      if (open && open.id !== o.id) {
        const ids = JSON.parse(open.wish_ids) as string[];
        if ((await repo.paidCountOf(t, ids)) === ids.length) await repo.closeOrder(t, open.id, 'superseded', now);
      }
    },
  };
}

/**
 * Records a payment the gateway made for an order, once (its transaction number is unique): applied to the
 * wishes (paid, with the pay date and the payment's id, the order paid), or kept as a duplicate or a
 * payment after the window for a refund. Inside the caller's write transaction, with its audit entry.
 */
export async function applyPayment(trx: Kysely<DB>, o: OrderRow, p: GatewayPayment, source: TxnRow['source'], now: Date): Promise<{ outcome: ApplyOutcome; txn: TxnRow | null }> {
  const had = await repo.findTxnByNo(trx, p.transactionNo);
  if (had) {
    await repo.insertEvent(trx, { orderId: o.id, txnNo: p.transactionNo, kind: source, outcome: 'already_recorded' }, now);
    return { outcome: 'already', txn: had };
  }
  if (p.amountVnd !== o.amount_vnd) {
    await repo.insertEvent(trx, { orderId: o.id, txnNo: p.transactionNo, kind: source, outcome: 'amount_mismatch', details: { gatewayVnd: p.amountVnd, orderVnd: o.amount_vnd } }, now);
    await appendAudit(trx, { action: 'payment.amount_mismatch', actor: null, targetType: 'payment_order', targetId: o.id, details: { source, gatewayVnd: p.amountVnd, orderVnd: o.amount_vnd, transactionNo: p.transactionNo } }, now);
    return { outcome: 'amount_mismatch', txn: null };
  }
  const current = (await repo.findOrder(trx, o.id)) ?? o;
  const target = current.purpose === 'review' ? await reviewPayTarget(trx, current) : await admissionPayTarget(trx, current);
  const effect = paymentEffect({ payDate: p.payDate, group: target.closesAt ? { closesAt: target.closesAt } : null, alreadyPaid: target.alreadyPaid });
  const late = target.closesAt !== null && now.getTime() >= Date.parse(target.closesAt);
  const txn: TxnRow = {
    id: newId(),
    exam_year: current.exam_year,
    order_id: current.id,
    candidate_id: current.candidate_id,
    group_code: current.group_code,
    gateway_txn_no: p.transactionNo,
    amount_vnd: p.amountVnd,
    bank_code: p.bankCode,
    pay_date: p.payDate.toISOString(),
    pay_day: localDay(p.payDate),
    status: effect === 'apply' ? 'applied' : effect,
    source,
    late: late ? 1 : 0,
    received_at: now.toISOString(),
    refunded_at: null,
    refunded_by: null,
    refund_reason: null,
    refund_gateway: null,
  };
  await repo.insertTxn(trx, txn);
  if (effect === 'apply') {
    await target.markPaid(trx, txn.pay_date, txn.id, now);
    await repo.closeOrder(trx, current.id, 'paid', now, { paidAt: txn.pay_date, txnId: txn.id });
  }
  await repo.insertEvent(trx, { orderId: current.id, txnNo: p.transactionNo, kind: source, outcome: txn.status, ...(late ? { details: { late: true } } : {}) }, now);
  await appendAudit(
    trx,
    { action: `payment.${txn.status}`, actor: null, targetType: 'payment_order', targetId: current.id, departmentCode: current.department_code, details: { source, purpose: current.purpose, transactionNo: p.transactionNo, amountVnd: p.amountVnd, items: current.wish_count, late } },
    now,
  );
  return { outcome: effect === 'apply' ? 'applied' : effect, txn };
}

/**
 * The gateway's notification (IPN): signature, merchant, order and amount checked; a successful payment
 * applied once; answered with the gateway's codes (00 confirmed, 02 already confirmed, 01 order not found,
 * 04 invalid amount, 97 invalid signature, 99 error). Every notification is kept as an event.
 */
export async function handleIpn(db: Db, gateway: PaymentGateway | null, params: Record<string, string>, now: Date, opts: { recordRefusal?: () => boolean } = {}): Promise<IpnAnswer> {
  const orderId = params['vnp_TxnRef'] ?? '';
  const txnNo = params['vnp_TransactionNo'] ?? null;
  const note = (outcome: string, details?: Record<string, unknown>) => db.write((trx) => repo.insertEvent(trx, { orderId: /^[0-9a-f]{32}$/.test(orderId) ? orderId : null, txnNo, kind: 'ipn', outcome, ...(details ? { details } : {}) }, now));
  if (!gateway || !gateway.verify(params) || params['vnp_TmnCode'] !== gateway.merchant) {
    // an address sending forged notifications over and over is answered without a write each time
    if (opts.recordRefusal && !opts.recordRefusal()) return IPN_ANSWERS.badSignature;
    await note('bad_signature');
    await db.write((trx) => appendAudit(trx, { action: 'payment.ipn_refused', actor: null, targetType: 'payment_order', targetId: orderId.slice(0, 64) || null, details: { reason: 'signature' } }, now));
    return IPN_ANSWERS.badSignature;
  }
  const o = /^[0-9a-f]{32}$/.test(orderId) ? await repo.findOrder(db.read, orderId) : undefined;
  if (!o) {
    await note('order_not_found');
    return IPN_ANSWERS.notFound;
  }
  const amount = Number(params['vnp_Amount']);
  if (!Number.isInteger(amount) || amount !== o.amount_vnd * 100) {
    await db.write(async (trx) => {
      await repo.insertEvent(trx, { orderId, txnNo, kind: 'ipn', outcome: 'amount_mismatch', details: { gatewayAmount: params['vnp_Amount'] ?? null, orderVnd: o.amount_vnd } }, now);
      await appendAudit(trx, { action: 'payment.amount_mismatch', actor: null, targetType: 'payment_order', targetId: orderId, details: { source: 'ipn', gatewayAmount: params['vnp_Amount'] ?? null, orderVnd: o.amount_vnd } }, now);
    });
    return IPN_ANSWERS.badAmount;
  }
  const payDate = fromVnpDate(params['vnp_PayDate'] ?? '');
  if (!txnNo || !payDate) {
    await note('incomplete');
    return IPN_ANSWERS.error;
  }
  if (params['vnp_ResponseCode'] !== '00' || params['vnp_TransactionStatus'] !== '00') {
    // a declined or failed payment: noted; the order stays open for another try
    await note('not_paid', { responseCode: params['vnp_ResponseCode'] ?? null });
    return o.status === 'open' ? IPN_ANSWERS.ok : IPN_ANSWERS.alreadyConfirmed;
  }
  const p: GatewayPayment = { txnRef: orderId, transactionNo: txnNo, amountVnd: amount / 100, payDate, bankCode: params['vnp_BankCode'] || null, success: true, type: '01' };
  const run = () => db.write((trx) => applyPayment(trx, o, p, 'ipn', now));
  let r: Awaited<ReturnType<typeof run>>;
  try {
    r = await run();
  } catch (e) {
    // two copies of one notification at once: the second meets the first's unique transaction number
    if (!db.dialect.isUniqueViolation(e)) throw e;
    r = await run();
  }
  if (r.outcome === 'applied') return IPN_ANSWERS.ok;
  if (r.outcome === 'amount_mismatch') return IPN_ANSWERS.badAmount;
  // already recorded, a duplicate payment (kept for a refund) or one after the window: nothing more to do
  return IPN_ANSWERS.alreadyConfirmed;
}

// ---- the ministry ----

function ministry(ctx: Ctx): UserActor {
  const scope = authorizeScope(ctx.actor, 'payment.manage');
  if (!('all' in scope)) throw AppError.forbidden();
  return ctx.actor as UserActor;
}

export interface PaymentsSummary {
  examYear: number;
  config: FeeConfig | null;
  groups: Array<PaymentGroup & { windowState: PaymentWindowState; paidCandidates: number; paidWishes: number; collectedVnd: number; pendingOrders: number; pendingVnd: number; closedAt: string | null; unpaidWishesAtClose: number | null }>;
  toRefund: TxnRow[];
  refunded: TxnRow[];
  refundedVnd: number;
  reconciliations: Awaited<ReturnType<typeof repo.recentReconciliations>>;
  /** score reviews' fees paid online (their own group, kept out of the admission groups and totals) */
  reviewFees: { paidRequests: number; paidPapers: number; collectedVnd: number; pendingOrders: number; pendingVnd: number };
}

export async function paymentsSummary(ctx: Ctx): Promise<PaymentsSummary> {
  ministry(ctx);
  const year = await requireYear(ctx.db);
  const config = feeConfigOf(year.rules);
  const db = ctx.db.read;
  const [paid, open, closures, toRefund, refunded, refundedVnd, reconciliations] = await Promise.all([
    repo.paidTotalsByGroup(db, year.year),
    repo.openTotalsByGroup(db, year.year),
    repo.closuresOf(db, year.year),
    repo.txnsByStatus(db, year.year, ['duplicate', 'after_window']),
    repo.txnsByStatus(db, year.year, ['refunded']),
    repo.refundedTotal(db, year.year),
    repo.recentReconciliations(db),
  ]);
  const groups = (config?.paymentGroups ?? []).map((g) => {
    const p = paid.find((x) => x.group_code === g.code);
    const o = open.find((x) => x.group_code === g.code);
    const c = closures.find((x) => x.group_code === g.code);
    return {
      ...g,
      windowState: paymentWindowState(g, ctx.now),
      paidCandidates: Number(p?.candidates ?? 0),
      paidWishes: Number(p?.wishes ?? 0),
      collectedVnd: Number(p?.amount ?? 0),
      pendingOrders: Number(o?.orders ?? 0),
      pendingVnd: Number(o?.amount ?? 0),
      closedAt: c?.closed_at ?? null,
      unpaidWishesAtClose: c ? c.unpaid_wishes : null,
    };
  });
  const rp = paid.find((x) => x.group_code === REVIEW_GROUP);
  const ro = open.find((x) => x.group_code === REVIEW_GROUP);
  // one paid order pays one request: its orders are the requests, its "wishes" the papers
  const reviewFees = { paidRequests: Number(rp?.orders ?? 0), paidPapers: Number(rp?.wishes ?? 0), collectedVnd: Number(rp?.amount ?? 0), pendingOrders: Number(ro?.orders ?? 0), pendingVnd: Number(ro?.amount ?? 0) };
  return { examYear: year.year, config, groups, toRefund, refunded, refundedVnd, reconciliations, reviewFees };
}

/** The ministry refunds a duplicate payment or one made after the window: the gateway told, recorded, audited. */
export async function refundPayment(ctx: Ctx, gateway: PaymentGateway | null, txnId: string, reason: string): Promise<TxnRow> {
  const actor = ministry(ctx);
  const t = await repo.findTxn(ctx.db.read, txnId);
  if (!t) throw AppError.notFound('payment');
  if (t.status !== 'duplicate' && t.status !== 'after_window') {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'payment.refund_refused', actor, targetType: 'payment', targetId: txnId, ip: ctx.ip, details: { status: t.status } }, ctx.now));
    throw new AppError('CONFLICT', 'Chỉ hoàn tiền khoản nộp trùng hoặc nộp sau hạn chưa hoàn.', 'Only a duplicate payment, or one made after the window, not yet refunded, can be refunded.', { code: 'PAYMENT_NOT_REFUNDABLE', details: { status: t.status } });
  }
  let sent = 'not_sent';
  if (gateway) {
    try {
      const r = await gateway.refund({ orderId: t.order_id, transactionNo: t.gateway_txn_no, amountVnd: t.amount_vnd, payDate: new Date(t.pay_date), by: actor.userId, now: ctx.now });
      if (!r.ok) throw new GatewayError(`refund refused (${r.code} ${r.message})`);
      sent = 'done';
    } catch (e) {
      await ctx.db.write((trx) => appendAudit(trx, { action: 'payment.refund_failed', actor, targetType: 'payment', targetId: txnId, ip: ctx.ip, details: { error: (e as Error).message } }, ctx.now));
      throw new AppError('UNAVAILABLE', 'Cổng thanh toán chưa nhận lệnh hoàn tiền; chưa có gì thay đổi, xin thử lại.', 'The payment gateway did not take the refund; nothing changed, please try again.', { code: 'PAYMENT_REFUND_FAILED' });
    }
  }
  return ctx.db.write(async (trx) => {
    if (!(await repo.markRefunded(trx, txnId, actor.userId, reason, sent, ctx.now))) throw new AppError('CONFLICT', 'Khoản này vừa được hoàn.', 'This payment was just refunded.', { code: 'PAYMENT_NOT_REFUNDABLE' });
    await appendAudit(trx, { action: 'payment.refunded', actor, targetType: 'payment', targetId: txnId, ip: ctx.ip, details: { orderId: t.order_id, transactionNo: t.gateway_txn_no, amountVnd: t.amount_vnd, was: t.status, reason, gateway: sent } }, ctx.now);
    return (await repo.findTxn(trx, txnId))!;
  });
}

export interface Difference {
  kind: 'missing_here' | 'missing_at_gateway' | 'amount_mismatch' | 'unknown_order' | 'refund_missing_here';
  orderId: string | null;
  transactionNo: string | null;
  gatewayAmountVnd: number | null;
  localAmountVnd: number | null;
  action: 'applied' | 'flagged';
  vi: string;
  en: string;
}

/**
 * A day's payments compared with the gateway's statement: a payment the gateway made that is missing here is
 * applied (a notification that never came), an amount that differs, an order unknown here, a payment here
 * the gateway does not list, a refund not recorded here are flagged. The run is recorded and audited.
 */
export async function reconcileDay(db: Db, gateway: PaymentGateway, day: string, now: Date, by: UserActor | null = null): Promise<DB['admission_payment_reconciliations']> {
  const lines = await gateway.statement(day, now);
  const local = await repo.txnsOfDay(db.read, day);
  const byNo = new Map(local.map((t) => [t.gateway_txn_no, t]));
  const diffs: Difference[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    if (l.type === '02') {
      const paidNo = l.transactionNo.replace(/^R/, '');
      const t = await repo.findTxnByNo(db.read, paidNo);
      if (!t || t.status !== 'refunded')
        diffs.push({ kind: 'refund_missing_here', orderId: l.txnRef, transactionNo: l.transactionNo, gatewayAmountVnd: l.amountVnd, localAmountVnd: t?.amount_vnd ?? null, action: 'flagged', vi: 'Cổng đã hoàn tiền nhưng ở đây chưa ghi nhận hoàn.', en: 'The gateway refunded a payment not recorded here as refunded.' });
      continue;
    }
    if (!l.success) continue;
    seen.add(l.transactionNo);
    const t = byNo.get(l.transactionNo) ?? (await repo.findTxnByNo(db.read, l.transactionNo));
    if (t) {
      if (t.amount_vnd !== l.amountVnd)
        diffs.push({ kind: 'amount_mismatch', orderId: t.order_id, transactionNo: l.transactionNo, gatewayAmountVnd: l.amountVnd, localAmountVnd: t.amount_vnd, action: 'flagged', vi: 'Số tiền ở cổng khác số tiền đã ghi nhận.', en: 'The gateway’s amount differs from the one recorded here.' });
      continue;
    }
    const o = /^[0-9a-f]{32}$/.test(l.txnRef) ? await repo.findOrder(db.read, l.txnRef) : undefined;
    if (!o) {
      diffs.push({ kind: 'unknown_order', orderId: l.txnRef, transactionNo: l.transactionNo, gatewayAmountVnd: l.amountVnd, localAmountVnd: null, action: 'flagged', vi: 'Cổng có giao dịch của một đơn không có ở đây.', en: 'The gateway lists a payment of an order unknown here.' });
      continue;
    }
    if (o.amount_vnd !== l.amountVnd) {
      diffs.push({ kind: 'amount_mismatch', orderId: o.id, transactionNo: l.transactionNo, gatewayAmountVnd: l.amountVnd, localAmountVnd: o.amount_vnd, action: 'flagged', vi: 'Số tiền ở cổng khác số tiền của đơn: không ghi nhận, cần kiểm tra.', en: 'The gateway’s amount differs from the order’s: not applied, to be checked.' });
      continue;
    }
    const r = await db.write((trx) => applyPayment(trx, o, l, 'reconcile', now));
    diffs.push({ kind: 'missing_here', orderId: o.id, transactionNo: l.transactionNo, gatewayAmountVnd: l.amountVnd, localAmountVnd: o.amount_vnd, action: 'applied', vi: `Khoản nộp thiếu thông báo: đã ghi nhận (${r.outcome}).`, en: `A payment whose notification never came: recorded (${r.outcome}).` });
  }
  for (const t of local)
    if (!seen.has(t.gateway_txn_no))
      diffs.push({ kind: 'missing_at_gateway', orderId: t.order_id, transactionNo: t.gateway_txn_no, gatewayAmountVnd: null, localAmountVnd: t.amount_vnd, action: 'flagged', vi: 'Khoản ghi nhận ở đây không có trong sao kê của cổng.', en: 'A payment recorded here is not in the gateway’s statement.' });
  const row: DB['admission_payment_reconciliations'] = {
    id: newId(),
    statement_day: day,
    run_at: now.toISOString(),
    run_by: by?.userId ?? null,
    gateway_lines: lines.length,
    fixed: diffs.filter((d) => d.action === 'applied').length,
    flagged: diffs.filter((d) => d.action === 'flagged').length,
    differences: JSON.stringify(diffs),
  };
  await db.write(async (trx) => {
    await repo.insertReconciliation(trx, row);
    await appendAudit(trx, { action: 'payment.reconciled', actor: by, targetType: 'payment_statement', targetId: day, details: { lines: row.gateway_lines, fixed: row.fixed, flagged: row.flagged } }, now);
  });
  return row;
}

export async function reconcileAsMinistry(ctx: Ctx, gateway: PaymentGateway | null, day: string) {
  const actor = ministry(ctx);
  if (!gateway) throw refusal('gateway_off');
  try {
    return await reconcileDay(ctx.db, gateway, day, ctx.now, actor);
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    throw new AppError('UNAVAILABLE', 'Chưa lấy được sao kê của cổng thanh toán, xin thử lại sau.', 'The gateway’s statement could not be fetched; please try again later.', { code: 'PAYMENT_GATEWAY_UNAVAILABLE' });
  }
}

/**
 * After a group's window closes: its open orders expire and its pending wishes are unpaid (the matching run
 * takes only paid wishes). Once per group (a closure row); a payment made in time whose notification comes
 * later is still applied. Returns what each group closed with.
 */
export async function markUnpaid(db: Db, now: Date, year?: number): Promise<Array<{ group: string; unpaidWishes: number; expiredOrders: number; already: boolean }>> {
  const y = await requireYear(db, year);
  const config = feeConfigOf(y.rules);
  if (!config) return [];
  const deps = await repo.departmentsOfYear(db.read, y.year);
  const out: Array<{ group: string; unpaidWishes: number; expiredOrders: number; already: boolean }> = [];
  for (const g of config.paymentGroups) {
    if (paymentWindowState(g, now) !== 'closed') continue;
    const mine: string[] = [];
    for (const d of deps) if ((await groupOfDepartment(db.read, config.paymentGroups, d))?.code === g.code) mine.push(d);
    const r = await db.write(async (trx) => {
      const x = await repo.closeGroup(trx, y.year, g.code, mine, now);
      if (!x.already) await appendAudit(trx, { action: 'payment.group_closed', actor: null, targetType: 'payment_group', targetId: g.code, details: { unpaidWishes: x.unpaidWishes, expiredOrders: x.expiredOrders } }, now);
      return x;
    });
    out.push({ group: g.code, ...r });
  }
  return out;
}

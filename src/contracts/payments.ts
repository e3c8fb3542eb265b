// Admission fees paid online (issue 23 item 3): the candidate's fees (wishes, amount, their group's
// window, the open order, receipts), a payment order and its gateway URL, the return from the gateway
// (shown as "confirming" until the notification or a query confirms), the gateway's server-to-server
// notification (IPN), and the ministry's payments page (totals per group, pending, reconciliation
// differences, duplicates to refund). Shared by the server, the browser and the OpenAPI document.
import { z } from 'zod';
import { id } from './common.ts';
import { operation } from './operation.ts';

const tags = ['payments'] as const;

/** The payment group of score-review fees (the admission fees' groups are the year's province groups). */
export const REVIEW_PAYMENT_GROUP = 'PK';

export const feeStatus = z.enum(['unpaid', 'pending', 'paid', 'refunded']);
export const orderStatus = z.enum(['open', 'paid', 'superseded', 'expired', 'failed']);
export const txnStatus = z.enum(['applied', 'duplicate', 'after_window', 'refunded']);
const bilingual = z.object({ vi: z.string(), en: z.string() });

export const feeWishShape = z.object({
  id: z.string(),
  position: z.number().int(),
  programmeId: z.string(),
  programmeName: z.string().nullable(),
  feeStatus,
  paidAt: z.string().nullable(),
  paymentId: z.string().nullable(),
});

export const paymentGroupShape = z.object({ code: z.string(), name: z.string(), opensAt: z.string(), closesAt: z.string() });

export const orderShape = z.object({
  id: z.string(),
  status: orderStatus,
  wishCount: z.number().int(),
  feePerWishVnd: z.number().int(),
  amountVnd: z.number().int(),
  groupCode: z.string(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  /** what it pays for: the wishes' admission fees, or a score review request's fee (wishCount: its papers) */
  purpose: z.enum(['admission', 'review']),
});

export const receiptShape = z.object({
  txnId: z.string(),
  orderId: z.string(),
  transactionNo: z.string(),
  amountVnd: z.number().int(),
  bankCode: z.string().nullable(),
  payDate: z.string(),
  status: txnStatus,
  late: z.boolean(),
  refundedAt: z.string().nullable(),
});

/**
 * The state the page shows: no_config (the year has no admission fees set), gateway_off (payments are not
 * open: no gateway configured), no_group (the province is in no payment group), not_open / closed (the
 * group's window), nothing_to_pay, due (a payment can be made), paid (every wish paid).
 */
export const feesState = z.enum(['no_config', 'gateway_off', 'no_group', 'not_open', 'closed', 'nothing_to_pay', 'due', 'paid']);

export const ownFeesResponse = z.object({
  examYear: z.number().int(),
  state: feesState,
  message: bilingual.nullable(),
  feePerWishVnd: z.number().int(),
  group: paymentGroupShape.nullable(),
  wishes: z.array(feeWishShape),
  wishesToPay: z.number().int(),
  amountDueVnd: z.number().int(),
  openOrder: orderShape.nullable(),
  receipts: z.array(receiptShape),
});

export const createdOrderResponse = z.object({ order: orderShape, payUrl: z.string() });
export const orderParams = z.strictObject({ orderId: z.string().regex(/^[0-9a-f]{32}$/) });

/** `confirming`: the gateway sent the browser back but no verified notification or query has confirmed yet */
export const orderView = z.object({ order: orderShape, state: z.enum(['open', 'confirming', 'paid', 'declined', 'closed']), receipt: receiptShape.nullable() });

const vnpQuery = z.record(z.string(), z.string().max(2000));

export const returnResponse = z.object({
  orderId: z.string().nullable(),
  /** the return's parameters carried the gateway's signature (they prove nothing more: the IPN or a query confirms) */
  signatureValid: z.boolean(),
  gatewaySays: z.enum(['success', 'declined', 'unknown']),
  view: orderView.nullable(),
});

export const ipnAnswer = z.object({ RspCode: z.string(), Message: z.string() });

export const groupTotalShape = z.object({
  code: z.string(),
  name: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  windowState: z.enum(['not_open', 'open', 'closed']),
  paidCandidates: z.number().int(),
  paidWishes: z.number().int(),
  collectedVnd: z.number().int(),
  pendingOrders: z.number().int(),
  pendingVnd: z.number().int(),
  closedAt: z.string().nullable(),
  unpaidWishesAtClose: z.number().int().nullable(),
});

export const differenceShape = z.object({
  kind: z.enum(['missing_here', 'missing_at_gateway', 'amount_mismatch', 'unknown_order', 'refund_missing_here']),
  orderId: z.string().nullable(),
  transactionNo: z.string().nullable(),
  gatewayAmountVnd: z.number().int().nullable(),
  localAmountVnd: z.number().int().nullable(),
  action: z.enum(['applied', 'flagged']),
  vi: z.string(),
  en: z.string(),
});

export const reconciliationShape = z.object({
  id: z.string(),
  statementDay: z.string(),
  runAt: z.string(),
  runBy: z.string().nullable(),
  gatewayLines: z.number().int(),
  fixed: z.number().int(),
  flagged: z.number().int(),
  differences: z.array(differenceShape),
});

export const ministryTxnShape = receiptShape.extend({ candidateId: z.string(), groupCode: z.string(), refundedBy: z.string().nullable(), refundReason: z.string().nullable(), refundGateway: z.string().nullable() });

export const paymentsSummary = z.object({
  examYear: z.number().int(),
  configured: z.boolean(),
  feePerWishVnd: z.number().int(),
  totals: z.object({ collectedVnd: z.number().int(), paidCandidates: z.number().int(), paidWishes: z.number().int(), pendingOrders: z.number().int(), refundedVnd: z.number().int() }),
  groups: z.array(groupTotalShape),
  /** payments to refund (a second payment of paid wishes, a payment after the window) and those refunded */
  toRefund: z.array(ministryTxnShape),
  refunded: z.array(ministryTxnShape),
  reconciliations: z.array(reconciliationShape),
  /** score reviews' fees paid online: their own group, not in the admission totals above (refunds excepted: refundedVnd counts both) */
  reviewFees: z.object({ paidRequests: z.number().int(), paidPapers: z.number().int(), collectedVnd: z.number().int(), pendingOrders: z.number().int(), pendingVnd: z.number().int() }),
});

export const refundParams = z.strictObject({ txnId: id });
export const refundBody = z.strictObject({ reason: z.string().trim().min(3).max(500) });
export const reconcileBody = z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export const getOwnFees = operation({ method: 'GET', path: '/api/admission/fees/own', tags, summary: 'The signed-in candidate’s wishes with their fee state, the amount due, their payment group’s window, the open order and receipts', responses: { 200: ownFeesResponse } });
export const createOrder = operation({
  method: 'POST',
  path: '/api/admission/fees/own/orders',
  tags,
  summary: 'A payment order for the wishes not yet paid, and the gateway URL to pay it (the same open order while the amount is the same; a new one when the wish count changes)',
  responses: { 201: createdOrderResponse },
});
export const getOwnOrder = operation({ method: 'GET', path: '/api/admission/fees/own/orders/:orderId', tags, summary: 'One of the candidate’s own orders and whether it is confirmed (another’s: 404, audited)', params: orderParams, responses: { 200: orderView } });
export const checkOwnOrder = operation({
  method: 'POST',
  path: '/api/admission/fees/own/orders/:orderId/check',
  tags,
  summary: 'Ask the gateway (query API) whether an open order was paid, and apply a verified payment',
  params: orderParams,
  responses: { 200: orderView },
});
export const gatewayReturn = operation({
  method: 'GET',
  path: '/api/admission/fees/return',
  tags,
  summary: 'The gateway’s return parameters checked (signature, order of this candidate): never applied, only shown',
  query: vnpQuery,
  responses: { 200: returnResponse },
});
export const ipn = operation({
  method: 'GET',
  path: '/api/payments/vnpay/ipn',
  tags,
  summary: 'The gateway’s signed notification of a payment (IPN): HMAC verified, order and amount checked, applied once; answered with the gateway’s codes',
  query: vnpQuery,
  responses: { 200: ipnAnswer },
});
export const getPaymentsSummary = operation({ method: 'GET', path: '/api/admission/payments', tags, summary: 'Fees collected per payment group, pending orders, reconciliation differences, payments to refund (ministry)', responses: { 200: paymentsSummary } });
export const refundTxn = operation({
  method: 'POST',
  path: '/api/admission/payments/txns/:txnId/refund',
  tags,
  summary: 'Refund a duplicate payment or one made after the window: the gateway is told, the refund recorded and audited (ministry)',
  params: refundParams,
  body: refundBody,
  responses: { 200: ministryTxnShape },
});
export const reconcileDay = operation({
  method: 'POST',
  path: '/api/admission/payments/reconcile',
  tags,
  summary: 'Compare a day’s payments with the gateway’s statement: apply a payment missed here, flag what differs (ministry, audited)',
  body: reconcileBody,
  responses: { 200: reconciliationShape },
});

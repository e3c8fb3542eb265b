// The admission fees API (issue 23 item 3): thin handlers over payments.service.ts, registered from
// src/contracts/payments.ts, each answer an explicit mapping. The gateway (PAYMENT_* configuration) is
// built once for the process; without it the candidates' pay button says payments are not open.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/payments.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { paymentGateway, type PaymentGateway } from './gateway-client.ts';
import { checkOwnOrder, createOrder, gatewayReturn, handleIpn, ownFees, ownOrder, paymentsSummary, reconcileAsMinistry, refundPayment, type FeesState, type OrderView } from './payments.service.ts';
import type { OrderRow, TxnRow } from './payments.repository.ts';
import type { DB } from '../db/schema.ts';
import { MemoryThrottleStore } from '../accounts/throttle.ts';
import '../http/route-access.ts';

/** refused notifications recorded (event and audit entry) per address a minute; beyond, answered 97 alone */
const REFUSED_IPN_RULE = { prefix: 'ipn', limit: 30, windowMs: 60_000 };

export const presentOrder = (o: OrderRow): z.infer<typeof c.orderShape> => ({
  id: o.id,
  status: o.status,
  wishCount: o.wish_count,
  feePerWishVnd: o.fee_per_wish_vnd,
  amountVnd: o.amount_vnd,
  groupCode: o.group_code,
  createdAt: o.created_at,
  paidAt: o.paid_at,
  purpose: o.purpose,
});

const presentReceipt = (t: TxnRow): z.infer<typeof c.receiptShape> => ({
  txnId: t.id,
  orderId: t.order_id,
  transactionNo: t.gateway_txn_no,
  amountVnd: t.amount_vnd,
  bankCode: t.bank_code,
  payDate: t.pay_date,
  status: t.status,
  late: t.late === 1,
  refundedAt: t.refunded_at,
});

const presentMinistryTxn = (t: TxnRow): z.infer<typeof c.ministryTxnShape> => ({
  ...presentReceipt(t),
  candidateId: t.candidate_id,
  groupCode: t.group_code,
  refundedBy: t.refunded_by,
  refundReason: t.refund_reason,
  refundGateway: t.refund_gateway,
});

const presentView = (v: OrderView): z.infer<typeof c.orderView> => ({ order: presentOrder(v.order), state: v.state, receipt: v.receipt ? presentReceipt(v.receipt) : null });

const presentReconciliation = (r: DB['admission_payment_reconciliations']): z.infer<typeof c.reconciliationShape> => ({
  id: r.id,
  statementDay: r.statement_day,
  runAt: r.run_at,
  runBy: r.run_by,
  gatewayLines: r.gateway_lines,
  fixed: r.fixed,
  flagged: r.flagged,
  differences: JSON.parse(r.differences) as z.infer<typeof c.differenceShape>[],
});

const STATE_MESSAGES: Partial<Record<FeesState, { vi: string; en: string }>> = {
  no_config: { vi: 'Kỳ tuyển sinh năm nay chưa có cấu hình lệ phí.', en: 'This year’s admission fees are not set yet.' },
  gateway_off: { vi: 'Thanh toán trực tuyến chưa mở.', en: 'Online payment is not open yet.' },
  no_group: { vi: 'Tỉnh của bạn chưa được xếp vào nhóm thanh toán nào; xin liên hệ Sở GD&ĐT.', en: 'Your province is in no payment group yet; please contact your department of education.' },
  not_open: { vi: 'Chưa đến thời gian nộp lệ phí của nhóm tỉnh bạn.', en: 'Your province group’s payment window has not opened yet.' },
  closed: { vi: 'Đã hết thời gian nộp lệ phí: các nguyện vọng chưa nộp lệ phí không được xét.', en: 'The payment window has closed: wishes whose fee is unpaid are not considered.' },
  nothing_to_pay: { vi: 'Bạn chưa có nguyện vọng nào.', en: 'You have no wishes yet.' },
  paid: { vi: 'Bạn đã nộp đủ lệ phí các nguyện vọng.', en: 'The fees of all your wishes are paid.' },
};

export async function paymentsRoutes(app: FastifyInstance, s: Services, gateway: PaymentGateway | null = paymentGateway(s.config)): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const pay = { access: 'action', action: 'payment.pay' } as const;
  const manage = { access: 'action', action: 'payment.manage' } as const;

  r.route({
    ...routeOf(c.getOwnFees),
    config: pay,
    handler: async (req) => {
      const f = await ownFees(ctxOf(s, req), gateway);
      return {
        examYear: f.examYear,
        state: f.state,
        message: STATE_MESSAGES[f.state] ?? null,
        feePerWishVnd: f.config?.feePerWishVnd ?? 0,
        group: f.group ? { code: f.group.code, name: f.group.name, opensAt: f.group.opensAt, closesAt: f.group.closesAt } : null,
        wishes: f.wishes.map((w) => ({ id: w.id, position: w.position, programmeId: w.programmeId, programmeName: w.programmeName, feeStatus: w.feeStatus, paidAt: w.paidAt, paymentId: w.paymentId })),
        wishesToPay: f.toPay.length,
        amountDueVnd: f.amountDueVnd,
        openOrder: f.openOrder ? presentOrder(f.openOrder) : null,
        receipts: f.receipts.map(presentReceipt),
      };
    },
  });
  r.route({
    ...routeOf(c.createOrder),
    config: pay,
    handler: async (req, reply) => {
      const o = await createOrder(ctxOf(s, req), gateway);
      return reply.status(201).send({ order: presentOrder(o.order), payUrl: o.payUrl });
    },
  });
  r.route({ ...routeOf(c.getOwnOrder), config: pay, handler: async (req) => presentView(await ownOrder(ctxOf(s, req), req.params.orderId)) });
  r.route({ ...routeOf(c.checkOwnOrder), config: pay, handler: async (req) => presentView(await checkOwnOrder(ctxOf(s, req), gateway, req.params.orderId)) });
  r.route({
    ...routeOf(c.gatewayReturn),
    config: pay,
    handler: async (req) => {
      const x = await gatewayReturn(ctxOf(s, req), gateway, req.query);
      return { orderId: x.orderId, signatureValid: x.signatureValid, gatewaySays: x.gatewaySays, view: x.view ? presentView(x.view) : null };
    },
  });
  // the gateway's server calls this: public, its signature is the authentication
  const refused = new MemoryThrottleStore();
  app.addHook('onClose', async () => refused.close());
  r.route({
    ...routeOf(c.ipn),
    config: { access: 'public' },
    handler: async (req) => {
      const now = s.clock();
      return handleIpn(s.db, gateway, req.query, now, { recordRefusal: () => refused.take({ key: req.ip, rule: REFUSED_IPN_RULE }, now) === 0 });
    },
  });

  r.route({
    ...routeOf(c.getPaymentsSummary),
    config: manage,
    handler: async (req) => {
      const x = await paymentsSummary(ctxOf(s, req));
      const sum = (k: 'collectedVnd' | 'paidCandidates' | 'paidWishes' | 'pendingOrders') => x.groups.reduce((a, g) => a + g[k], 0);
      return {
        examYear: x.examYear,
        configured: gateway !== null,
        feePerWishVnd: x.config?.feePerWishVnd ?? 0,
        totals: { collectedVnd: sum('collectedVnd'), paidCandidates: sum('paidCandidates'), paidWishes: sum('paidWishes'), pendingOrders: sum('pendingOrders'), refundedVnd: x.refundedVnd },
        groups: x.groups.map((g) => ({
          code: g.code,
          name: g.name,
          opensAt: g.opensAt,
          closesAt: g.closesAt,
          windowState: g.windowState,
          paidCandidates: g.paidCandidates,
          paidWishes: g.paidWishes,
          collectedVnd: g.collectedVnd,
          pendingOrders: g.pendingOrders,
          pendingVnd: g.pendingVnd,
          closedAt: g.closedAt,
          unpaidWishesAtClose: g.unpaidWishesAtClose,
        })),
        toRefund: x.toRefund.map(presentMinistryTxn),
        refunded: x.refunded.map(presentMinistryTxn),
        reviewFees: x.reviewFees,
        reconciliations: x.reconciliations.map(presentReconciliation),
      };
    },
  });
  r.route({ ...routeOf(c.refundTxn), config: manage, handler: async (req) => presentMinistryTxn(await refundPayment(ctxOf(s, req), gateway, req.params.txnId, req.body.reason)) });
  r.route({ ...routeOf(c.reconcileDay), config: manage, handler: async (req) => presentReconciliation(await reconcileAsMinistry(ctxOf(s, req), gateway, req.body.date)) });
}

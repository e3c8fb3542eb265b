// The app's side of the payment gateway: the signed pay URL of an order, and the merchant API (querydr,
// refund, the daily statement), each answer's signature checked. Configured from PAYMENT_URL,
// PAYMENT_MERCHANT_CODE and PAYMENT_SECRET; without them there is no gateway (paymentGateway → null).
import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import {
  API_FIELDS,
  GATEWAY_PATHS,
  VNP_VERSION,
  fromVnpDate,
  signApi,
  signParams,
  toQuery,
  verifyApi,
  verifyParams,
  vnpDate,
  type StatementLine,
} from './gateway-protocol.ts';

export class GatewayError extends Error {
  constructor(message: string) {
    super(`payment gateway: ${message}`);
    this.name = 'GatewayError';
  }
}

export interface GatewayPayment {
  txnRef: string;
  transactionNo: string;
  amountVnd: number;
  payDate: Date;
  bankCode: string | null;
  success: boolean;
  type: '01' | '02';
}

export interface PaymentGateway {
  readonly merchant: string;
  /** `returnPath`: where the browser comes back to, on the configured return URL's origin (default: that URL) */
  payUrl(o: { orderId: string; amountVnd: number; info: string; ip: string | null; now: Date; expiresAt: Date; returnPath?: string }): string;
  /** the parameters of a return or an IPN, signature checked: null when the signature is wrong */
  verify(params: Record<string, string>): boolean;
  query(o: { orderId: string; createdAt: Date; now: Date }): Promise<GatewayPayment | null>;
  refund(o: { orderId: string; transactionNo: string; amountVnd: number; payDate: Date; by: string; now: Date }): Promise<{ ok: boolean; code: string; message: string }>;
  statement(day: string, now: Date): Promise<GatewayPayment[]>;
}

export interface GatewaySettings {
  url: string;
  merchant: string;
  secret: string;
  returnUrl: string;
  timeoutMs: number;
}

export function gatewaySettings(c: Config): GatewaySettings | null {
  if (!c.PAYMENT_URL || !c.PAYMENT_MERCHANT_CODE || !c.PAYMENT_SECRET) return null;
  return { url: c.PAYMENT_URL, merchant: c.PAYMENT_MERCHANT_CODE, secret: c.PAYMENT_SECRET, returnUrl: c.PAYMENT_RETURN_URL ?? `${c.PUBLIC_URL}/candidate/fees/return`, timeoutMs: c.PAYMENT_TIMEOUT_MS };
}

export function paymentGateway(c: Config): PaymentGateway | null {
  const s = gatewaySettings(c);
  return s ? httpGateway(s) : null;
}

function paymentOf(a: Record<string, string>): GatewayPayment {
  const payDate = fromVnpDate(a['vnp_PayDate'] ?? '');
  const amount = Number(a['vnp_Amount']);
  if (!payDate || !Number.isInteger(amount)) throw new GatewayError('an answer without a pay date or an amount');
  return {
    txnRef: a['vnp_TxnRef'] ?? '',
    transactionNo: a['vnp_TransactionNo'] ?? '',
    amountVnd: Math.round(amount / 100),
    payDate,
    bankCode: a['vnp_BankCode'] || null,
    success: a['vnp_TransactionStatus'] === '00',
    type: a['vnp_TransactionType'] === '02' ? '02' : '01',
  };
}

export function httpGateway(s: GatewaySettings): PaymentGateway {
  const post = async (path: string, body: Record<string, string>): Promise<Record<string, string>> => {
    let res: Response;
    try {
      res = await fetch(new URL(path, s.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(s.timeoutMs) });
    } catch (e) {
      throw new GatewayError(`no answer (${(e as Error).name})`);
    }
    if (!res.ok) throw new GatewayError(`HTTP ${res.status}`);
    const data = (await res.json().catch(() => null)) as Record<string, string> | null;
    if (!data || typeof data !== 'object') throw new GatewayError('an answer that is not JSON');
    return data;
  };
  const base = (command: string, now: Date) => ({ vnp_RequestId: crypto.randomUUID().replace(/-/g, ''), vnp_Version: VNP_VERSION, vnp_Command: command, vnp_TmnCode: s.merchant, vnp_CreateDate: vnpDate(now) });
  return {
    merchant: s.merchant,
    payUrl(o) {
      const p = signParams(
        {
          vnp_Version: VNP_VERSION,
          vnp_Command: 'pay',
          vnp_TmnCode: s.merchant,
          vnp_Amount: String(o.amountVnd * 100),
          vnp_CurrCode: 'VND',
          vnp_TxnRef: o.orderId,
          vnp_OrderInfo: o.info,
          vnp_OrderType: 'other',
          vnp_Locale: 'vn',
          vnp_ReturnUrl: o.returnPath ? new URL(o.returnPath, s.returnUrl).toString() : s.returnUrl,
          vnp_IpAddr: o.ip ?? '127.0.0.1',
          vnp_CreateDate: vnpDate(o.now),
          vnp_ExpireDate: vnpDate(o.expiresAt),
        },
        s.secret,
      );
      return `${new URL(GATEWAY_PATHS.pay, s.url).toString()}?${toQuery(p)}`;
    },
    verify: (params) => verifyParams(params, s.secret),
    async query(o) {
      const body: Record<string, string> = { ...base('querydr', o.now), vnp_TxnRef: o.orderId, vnp_TransactionDate: vnpDate(o.createdAt), vnp_IpAddr: '127.0.0.1', vnp_OrderInfo: `querydr ${o.orderId}` };
      body['vnp_SecureHash'] = signApi(API_FIELDS.querydr, body, s.secret);
      const a = await post(GATEWAY_PATHS.api, body);
      if (!verifyApi(API_FIELDS.answer, a, s.secret)) throw new GatewayError('an answer with a wrong signature');
      if (a['vnp_ResponseCode'] === '91') return null;
      if (a['vnp_ResponseCode'] !== '00') throw new GatewayError(`query refused (${a['vnp_ResponseCode']})`);
      return paymentOf(a);
    },
    async refund(o) {
      const body: Record<string, string> = {
        ...base('refund', o.now),
        vnp_TransactionType: '02',
        vnp_TxnRef: o.orderId,
        vnp_Amount: String(o.amountVnd * 100),
        vnp_TransactionNo: o.transactionNo,
        vnp_TransactionDate: vnpDate(o.payDate),
        vnp_CreateBy: o.by,
        vnp_IpAddr: '127.0.0.1',
        vnp_OrderInfo: `Hoan tien ${o.orderId}`,
      };
      body['vnp_SecureHash'] = signApi(API_FIELDS.refund, body, s.secret);
      const a = await post(GATEWAY_PATHS.api, body);
      if (!verifyApi(API_FIELDS.answer, a, s.secret)) throw new GatewayError('an answer with a wrong signature');
      return { ok: a['vnp_ResponseCode'] === '00', code: a['vnp_ResponseCode'] ?? '', message: a['vnp_Message'] ?? '' };
    },
    async statement(day, now) {
      const body: Record<string, string> = { ...base('statement', now), vnp_StatementDate: day.replace(/-/g, '') };
      body['vnp_SecureHash'] = signApi(API_FIELDS.statement, body, s.secret);
      const a = await post(GATEWAY_PATHS.statement, body);
      if (a['vnp_ResponseCode'] !== '00') throw new GatewayError(`statement refused (${a['vnp_ResponseCode']} ${a['vnp_Message'] ?? ''})`);
      if (!verifyApi(['vnp_ResponseCode', 'vnp_TmnCode', 'vnp_StatementDate', 'vnp_Lines'], a, s.secret)) throw new GatewayError('a statement with a wrong signature');
      const lines = JSON.parse(a['vnp_Lines'] ?? '[]') as StatementLine[];
      return lines.map((l) => paymentOf({ ...l }));
    },
  };
}

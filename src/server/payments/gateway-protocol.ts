// The payment gateway's wire protocol, in the shape of Vietnam's payment gateways (VNPAY 2.1.0): a signed
// redirect URL with vnp_ parameters, the same parameters signed back on the return URL and in the
// server-to-server notification (IPN, answered with RspCode/Message), a query / refund API taking JSON
// signed over '|'-joined fields, and a daily statement. Shared by the app (src/server/payments) and the
// simulator (src/sims/payment), so both sign and check the same way. HMAC-SHA512, hex, with the merchant's
// secret; comparisons in constant time.
import crypto from 'node:crypto';

export const VNP_VERSION = '2.1.0';
export const GATEWAY_PATHS = {
  pay: '/paymentv2/vpcpay.html',
  confirm: '/paymentv2/confirm',
  api: '/merchant_webapi/api/transaction',
  statement: '/merchant_webapi/api/statement',
} as const;

/** The answers an IPN endpoint gives the gateway (the gateway retries on anything but 00 and 02). */
export const IPN_ANSWERS = {
  ok: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  badAmount: { RspCode: '04', Message: 'invalid amount' },
  badSignature: { RspCode: '97', Message: 'Invalid signature' },
  error: { RspCode: '99', Message: 'Unknown error' },
} as const;
export type IpnAnswer = { RspCode: string; Message: string };

export function hmacSha512(secret: string, data: string): string {
  return crypto.createHmac('sha512', secret).update(data, 'utf8').digest('hex');
}

/** VNPAY's encoding of a value in the signed data: form encoding (spaces as '+'). */
function enc(v: string): string {
  return encodeURIComponent(v).replace(/%20/g, '+');
}

/** The data signed for a redirect, a return or an IPN: vnp_ keys sorted, `k=v` joined with '&', hash fields left out. */
export function signedData(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType' && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k]!)}`)
    .join('&');
}

export function signParams(params: Record<string, string>, secret: string): Record<string, string> {
  return { ...params, vnp_SecureHash: hmacSha512(secret, signedData(params)) };
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** true when the parameters carry a hash made with this secret over exactly these values. */
export function verifyParams(params: Record<string, string>, secret: string): boolean {
  const sent = params['vnp_SecureHash'];
  if (typeof sent !== 'string' || !/^[0-9a-fA-F]{128}$/.test(sent)) return false;
  return sameHex(sent, hmacSha512(secret, signedData(params)));
}

/** A query string of signed parameters (the redirect and the return URL). */
export function toQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

export function paramsOf(search: URLSearchParams | Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = search instanceof URLSearchParams ? [...search.entries()] : Object.entries(search);
  for (const [k, v] of entries) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The API's signed fields, in order, for each command and for each answer ('|'-joined, as VNPAY's merchant API). */
export const API_FIELDS = {
  querydr: ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo'],
  refund: ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TransactionType', 'vnp_TxnRef', 'vnp_Amount', 'vnp_TransactionNo', 'vnp_TransactionDate', 'vnp_CreateBy', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo'],
  statement: ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_StatementDate', 'vnp_CreateDate'],
  answer: ['vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_Amount', 'vnp_BankCode', 'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType', 'vnp_TransactionStatus', 'vnp_OrderInfo', 'vnp_Body'],
} as const;

export function signApi(fields: readonly string[], body: Record<string, string>, secret: string): string {
  return hmacSha512(secret, fields.map((f) => body[f] ?? '').join('|'));
}

export function verifyApi(fields: readonly string[], body: Record<string, string>, secret: string): boolean {
  const sent = body['vnp_SecureHash'];
  return typeof sent === 'string' && /^[0-9a-fA-F]{128}$/.test(sent) && sameHex(sent, signApi(fields, body, secret));
}

/** yyyyMMddHHmmss in Vietnam's time (GMT+7), as the gateway writes every date. */
export function vnpDate(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return t.slice(0, 19).replace(/[-T:]/g, '');
}

/** The instant of a gateway date (GMT+7), or null when it is not one. */
export function fromVnpDate(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** One line of the daily statement (a payment '01' or a refund '02'), signed as a whole with the answer. */
export interface StatementLine {
  vnp_TxnRef: string;
  vnp_TransactionNo: string;
  vnp_Amount: string;
  vnp_PayDate: string;
  vnp_TransactionType: '01' | '02';
  vnp_TransactionStatus: string;
  vnp_BankCode: string;
}

// The payment gateway simulator (in the shape of VNPAY): the merchant's signed redirect opens a small pay
// page where the tester approves or declines; the gateway then sends the signed server-to-server
// notification (IPN) to the merchant's IPN URL and sends the browser back to the return URL, signed too. It
// answers the merchant API (querydr, refund) and serves a daily statement. Everything it recorded is kept
// in its data folder (a journal), so a restart keeps the day's transactions.
//   node --import tsx src/sims/payment/main.ts --port 0 --data-dir /tmp/pay --merchant GHIDANH01 [--secret S | env PAYMENT_SIM_SECRET] [--ipn-url URL]
// Test-only routes: GET /__received (transactions, refunds, notifications sent and their answers);
// POST /__ipn { mode: 'normal' | 'twice' | 'late' | 'none', delayMs? } how the next notifications are sent;
// POST /__ipn/resend { txnRef } send the notification of a transaction again now; POST /__merchant
// { ipnUrl } where notifications go; POST /__clock { offsetMs } the gateway's clock moved (pay dates);
// POST /__approve { url, decision } what the pay page does, answered as JSON.
import crypto from 'node:crypto';
import { z } from 'zod';
import { HttpError, escapeHtml, parseSimArgs, readBody, readJson, runSim, sendHtml, sendJson, startMain } from '../shared/sim-server.ts';
import { Journal } from '../shared/journal.ts';
import {
  API_FIELDS,
  GATEWAY_PATHS,
  VNP_VERSION,
  paramsOf,
  signApi,
  signParams,
  toQuery,
  verifyApi,
  verifyParams,
  vnpDate,
  type StatementLine,
} from '../../server/payments/gateway-protocol.ts';

interface Txn {
  txnRef: string;
  transactionNo: string;
  amount: string; // VND × 100, as the gateway writes it
  payDate: string;
  type: '01' | '02';
  status: '00' | '02';
  responseCode: string;
  bankCode: string;
  orderInfo: string;
  returnUrl: string;
}
type Entry = { kind: 'txn'; txn: Txn } | { kind: 'ipn'; at: string; txnRef: string; transactionNo: string; answer: unknown; status: number | null };

const ipnMode = z.strictObject({ mode: z.enum(['normal', 'twice', 'late', 'none']), delayMs: z.number().int().min(0).max(600_000).optional() });

async function main(): Promise<void> {
  const args = parseSimArgs(process.argv.slice(2));
  const merchant = args.extra['merchant'] ?? 'GHIDANH01';
  // the secret comes from the environment (PAYMENT_SIM_SECRET) so it is not on the command line; --secret for a test
  const secret = args.extra['secret'] ?? process.env['PAYMENT_SIM_SECRET'] ?? 'demo-secret-0123456789';
  let ipnUrl: string | null = args.extra['ipn-url'] ?? null;
  let ipn: z.infer<typeof ipnMode> = { mode: 'normal' };
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const journal = new Journal<Entry>(args.dataDir, 'payment');
  const txns: Txn[] = [];
  const notices: Array<Extract<Entry, { kind: 'ipn' }>> = [];
  for (const e of journal.replay()) {
    if (e.kind === 'txn') txns.push(e.txn);
    else notices.push(e);
  }
  let seq = txns.length;

  function checkPayUrl(params: Record<string, string>): void {
    if (!verifyParams(params, secret)) throw new HttpError(400, { error: 'invalid signature', vnp_ResponseCode: '97' });
    if (params['vnp_TmnCode'] !== merchant) throw new HttpError(400, { error: 'unknown merchant', vnp_ResponseCode: '02' });
    for (const k of ['vnp_TxnRef', 'vnp_Amount', 'vnp_ReturnUrl', 'vnp_OrderInfo']) if (!params[k]) throw new HttpError(400, { error: `${k} missing`, vnp_ResponseCode: '03' });
    if (!/^\d+$/.test(params['vnp_Amount']!)) throw new HttpError(400, { error: 'invalid amount', vnp_ResponseCode: '03' });
  }

  function resultParams(t: Txn): Record<string, string> {
    return signParams(
      {
        vnp_Amount: t.amount,
        vnp_BankCode: t.bankCode,
        vnp_BankTranNo: `VNP${t.transactionNo}`,
        vnp_CardType: 'ATM',
        vnp_OrderInfo: t.orderInfo,
        vnp_PayDate: t.payDate,
        vnp_ResponseCode: t.responseCode,
        vnp_TmnCode: merchant,
        vnp_TransactionNo: t.transactionNo,
        vnp_TransactionStatus: t.status,
        vnp_TxnRef: t.txnRef,
      },
      secret,
    );
  }

  async function sendIpn(t: Txn): Promise<void> {
    if (!ipnUrl) return;
    let answer: unknown = null;
    let status: number | null = null;
    try {
      const res = await fetch(`${ipnUrl}?${toQuery(resultParams(t))}`, { signal: AbortSignal.timeout(10_000) });
      status = res.status;
      answer = await res.json().catch(() => null);
    } catch (e) {
      answer = { error: (e as Error).message };
    }
    const entry: Entry = { kind: 'ipn', at: new Date().toISOString(), txnRef: t.txnRef, transactionNo: t.transactionNo, answer, status };
    journal.append(entry);
    notices.push(entry);
  }

  /** sends the notification as told: once, twice, after a delay, or not at all (the test then resends) */
  async function notify(t: Txn): Promise<void> {
    const mode = ipn;
    if (mode.mode === 'none') return;
    if (mode.mode === 'late') {
      setTimeout(() => void sendIpn(t), mode.delayMs ?? 2000).unref();
      return;
    }
    await sendIpn(t);
    if (mode.mode === 'twice') await sendIpn(t);
  }

  async function pay(params: Record<string, string>, decision: 'approve' | 'decline'): Promise<{ returnUrl: string; txn: Txn }> {
    checkPayUrl(params);
    const approved = decision === 'approve';
    const t: Txn = {
      txnRef: params['vnp_TxnRef']!,
      transactionNo: String(14_000_000 + ++seq),
      amount: params['vnp_Amount']!,
      payDate: vnpDate(now()),
      type: '01',
      status: approved ? '00' : '02',
      responseCode: approved ? '00' : '24',
      bankCode: params['vnp_BankCode'] || 'NCB',
      orderInfo: params['vnp_OrderInfo']!,
      returnUrl: params['vnp_ReturnUrl']!,
    };
    journal.append({ kind: 'txn', txn: t });
    txns.push(t);
    await notify(t);
    return { returnUrl: `${t.returnUrl}${t.returnUrl.includes('?') ? '&' : '?'}${toQuery(resultParams(t))}`, txn: t };
  }

  function payPage(params: Record<string, string>): string {
    const vnd = Number(params['vnp_Amount']) / 100;
    const hidden = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cổng thanh toán (mô phỏng)</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:16px;max-width:480px}h1{font-size:1.3rem}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{color:#555}button{font-size:1.1rem;padding:12px;margin:8px 0;width:100%}.ok{background:#005ea5;color:#fff;border:0}.no{background:#fff;border:2px solid #b10e1e;color:#b10e1e}</style></head>
<body><h1>Cổng thanh toán (mô phỏng) / Payment gateway (simulator)</h1>
<dl><dt>Đơn vị / Merchant</dt><dd>${escapeHtml(merchant)}</dd><dt>Mã đơn / Order</dt><dd data-testid="gw-order">${escapeHtml(params['vnp_TxnRef'] ?? '')}</dd>
<dt>Nội dung / For</dt><dd>${escapeHtml(params['vnp_OrderInfo'] ?? '')}</dd><dt>Số tiền / Amount</dt><dd data-testid="gw-amount">${vnd.toLocaleString('vi-VN')} VND</dd></dl>
<form method="post" action="${GATEWAY_PATHS.confirm}">${hidden}
<button class="ok" name="decision" value="approve" type="submit">Thanh toán / Pay</button>
<button class="no" name="decision" value="decline" type="submit">Hủy giao dịch / Decline</button></form></body></html>`;
  }

  function apiAnswer(body: Record<string, string>, t: Txn | null, code: string, message: string): Record<string, string> {
    const a: Record<string, string> = {
      vnp_ResponseId: crypto.randomUUID(),
      vnp_Command: body['vnp_Command'] ?? '',
      vnp_ResponseCode: code,
      vnp_Message: message,
      vnp_TmnCode: merchant,
      vnp_TxnRef: t?.txnRef ?? body['vnp_TxnRef'] ?? '',
      vnp_Amount: t?.amount ?? '',
      vnp_BankCode: t?.bankCode ?? '',
      vnp_PayDate: t?.payDate ?? '',
      vnp_TransactionNo: t?.transactionNo ?? '',
      vnp_TransactionType: t?.type ?? '',
      vnp_TransactionStatus: t?.status ?? '',
      vnp_OrderInfo: t?.orderInfo ?? '',
      vnp_Body: '',
    };
    return a;
  }
  const signed = (a: Record<string, string>) => ({ ...a, vnp_SecureHash: signApi(API_FIELDS.answer, a, secret) });

  function merchantApi(body: Record<string, string>): Record<string, string> {
    const cmd = body['vnp_Command'];
    if (cmd !== 'querydr' && cmd !== 'refund') return signed(apiAnswer(body, null, '02', 'Invalid command'));
    if (body['vnp_TmnCode'] !== merchant) return signed(apiAnswer(body, null, '02', 'Merchant is not valid'));
    if (!verifyApi(API_FIELDS[cmd], body, secret)) return signed(apiAnswer(body, null, '97', 'Invalid checksum'));
    if (cmd === 'querydr') {
      // the latest payment of the order (a successful one first)
      const mine = txns.filter((t) => t.txnRef === body['vnp_TxnRef'] && t.type === '01');
      const t = mine.filter((x) => x.status === '00').pop() ?? mine.pop() ?? null;
      if (!t) return signed(apiAnswer(body, null, '91', 'Transaction not found'));
      return signed(apiAnswer(body, t, '00', 'Query success'));
    }
    const paid = txns.find((t) => t.type === '01' && t.status === '00' && t.transactionNo === body['vnp_TransactionNo'] && t.txnRef === body['vnp_TxnRef']);
    if (!paid) return signed(apiAnswer(body, null, '91', 'Transaction not found'));
    if (txns.some((t) => t.type === '02' && t.status === '00' && t.transactionNo === `R${paid.transactionNo}`)) return signed(apiAnswer(body, null, '94', 'Refund already requested'));
    if (body['vnp_Amount'] !== paid.amount) return signed(apiAnswer(body, null, '03', 'Invalid amount'));
    const r: Txn = { ...paid, transactionNo: `R${paid.transactionNo}`, type: '02', status: '00', responseCode: '00', payDate: vnpDate(now()) };
    journal.append({ kind: 'txn', txn: r });
    txns.push(r);
    return signed(apiAnswer(body, r, '00', 'Refund success'));
  }

  function statement(body: Record<string, string>): unknown {
    if (body['vnp_TmnCode'] !== merchant) return { vnp_ResponseCode: '02', vnp_Message: 'Merchant is not valid' };
    if (!verifyApi(API_FIELDS.statement, body, secret)) return { vnp_ResponseCode: '97', vnp_Message: 'Invalid checksum' };
    const day = body['vnp_StatementDate'] ?? '';
    if (!/^\d{8}$/.test(day)) return { vnp_ResponseCode: '03', vnp_Message: 'Invalid date' };
    const lines: StatementLine[] = txns
      .filter((t) => t.payDate.startsWith(day))
      .map((t) => ({ vnp_TxnRef: t.txnRef, vnp_TransactionNo: t.transactionNo, vnp_Amount: t.amount, vnp_PayDate: t.payDate, vnp_TransactionType: t.type, vnp_TransactionStatus: t.status, vnp_BankCode: t.bankCode }));
    const text = JSON.stringify(lines);
    const a = { vnp_ResponseCode: '00', vnp_Message: 'Success', vnp_TmnCode: merchant, vnp_StatementDate: day, vnp_Lines: text };
    return { ...a, vnp_SecureHash: signApi(['vnp_ResponseCode', 'vnp_TmnCode', 'vnp_StatementDate', 'vnp_Lines'], a, secret) };
  }

  await runSim(args, async () => ({
    name: 'payment',
    handler: async (req, res, url) => {
      if (req.method === 'GET' && url.pathname === GATEWAY_PATHS.pay) {
        const params = paramsOf(url.searchParams);
        try {
          checkPayUrl(params);
        } catch (e) {
          const why = e instanceof HttpError ? JSON.stringify(e.body) : 'error';
          return sendHtml(res, 400, `<!doctype html><meta charset="utf-8"><h1>Giao dịch không hợp lệ / Invalid transaction</h1><p>${escapeHtml(why)}</p>`);
        }
        return sendHtml(res, 200, payPage(params));
      }
      if (req.method === 'POST' && url.pathname === GATEWAY_PATHS.confirm) {
        const form = paramsOf(new URLSearchParams(await readBody(req)));
        const decision = form['decision'] === 'approve' ? 'approve' : 'decline';
        delete form['decision'];
        const r = await pay(form, decision);
        res.writeHead(302, { location: r.returnUrl, 'cache-control': 'no-store' });
        return void res.end();
      }
      if (req.method === 'POST' && url.pathname === GATEWAY_PATHS.api) return sendJson(res, 200, merchantApi(paramsOf(await readJson(req, z.record(z.string(), z.unknown())))));
      if (req.method === 'POST' && url.pathname === GATEWAY_PATHS.statement) return sendJson(res, 200, statement(paramsOf(await readJson(req, z.record(z.string(), z.unknown())))));
      throw new HttpError(404, { error: 'not found' });
    },
    controlRoutes: async (req, res, url) => {
      if (req.method === 'GET' && url.pathname === '/__received') return sendJson(res, 200, { ipnUrl, ipn, offsetMs, transactions: txns, notifications: notices });
      if (req.method === 'POST' && url.pathname === '/__ipn') {
        ipn = await readJson(req, ipnMode);
        return sendJson(res, 200, ipn);
      }
      if (req.method === 'POST' && url.pathname === '/__ipn/resend') {
        const b = await readJson(req, z.strictObject({ txnRef: z.string(), transactionNo: z.string().optional() }));
        const t = txns.filter((x) => x.txnRef === b.txnRef && x.type === '01' && (!b.transactionNo || x.transactionNo === b.transactionNo)).pop();
        if (!t) throw new HttpError(404, { error: 'no such transaction' });
        await sendIpn(t);
        return sendJson(res, 200, notices[notices.length - 1]);
      }
      if (req.method === 'POST' && url.pathname === '/__merchant') {
        ipnUrl = (await readJson(req, z.strictObject({ ipnUrl: z.url() }))).ipnUrl;
        return sendJson(res, 200, { ipnUrl });
      }
      if (req.method === 'POST' && url.pathname === '/__clock') {
        offsetMs = (await readJson(req, z.strictObject({ offsetMs: z.number().int() }))).offsetMs;
        return sendJson(res, 200, { offsetMs, now: now().toISOString() });
      }
      if (req.method === 'POST' && url.pathname === '/__approve') {
        const b = await readJson(req, z.strictObject({ url: z.string(), decision: z.enum(['approve', 'decline']).default('approve') }));
        const r = await pay(paramsOf(new URL(b.url).searchParams), b.decision);
        return sendJson(res, 200, { returnUrl: r.returnUrl, transactionNo: r.txn.transactionNo, version: VNP_VERSION });
      }
      throw new HttpError(404, { error: 'not found' });
    },
  }));
}

startMain(main);

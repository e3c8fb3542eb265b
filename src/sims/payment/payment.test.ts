// The payment gateway simulator as a real process: the signed redirect opens the pay page (a wrong
// signature does not), approving sends the signed IPN (once, twice, late or not at all, as told) and the
// signed return; the query and refund API and the daily statement, each signed; its faults.
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { httpGateway } from '../../server/payments/gateway-client.ts';
import { paramsOf, verifyParams } from '../../server/payments/gateway-protocol.ts';

const SECRET = 'sim-test-secret-0123456789';
const ORDER = '0193a0b1c2d34e5f8a9b0c1d2e3f4a5b';

describe('payment gateway simulator', () => {
  let sim: TestSim;
  let ipnServer: http.Server;
  const received: Array<Record<string, string>> = [];
  let ipnUrl = '';
  before(async () => {
    ipnServer = http.createServer((req, res) => {
      received.push(paramsOf(new URL(req.url ?? '/', 'http://x').searchParams));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ RspCode: '00', Message: 'Confirm Success' }));
    });
    await new Promise<void>((r) => ipnServer.listen(0, '127.0.0.1', r));
    ipnUrl = `http://127.0.0.1:${(ipnServer.address() as { port: number }).port}/ipn`;
    sim = await startSim('payment', { args: ['--merchant', 'TESTM001', '--secret', SECRET, '--ipn-url', ipnUrl] });
  });
  after(async () => {
    await sim?.stop();
    ipnServer?.close();
  });

  const gw = () => httpGateway({ url: sim.url, merchant: 'TESTM001', secret: SECRET, returnUrl: 'http://127.0.0.1:1/candidate/fees/return', timeoutMs: 5000 });
  const payUrl = (amountVnd = 45_000, orderId = ORDER) => gw().payUrl({ orderId, amountVnd, info: 'Le phi xet tuyen 3 nguyen vong', ip: '127.0.0.1', now: new Date(), expiresAt: new Date(Date.now() + 900_000) });

  test('the pay page opens from a signed URL, and not from a tampered one', async () => {
    const ok = await fetch(payUrl());
    assert.equal(ok.status, 200);
    const html = await ok.text();
    assert.match(html, /45\.000 VND/);
    assert.match(html, /name="decision" value="approve"/);
    const bad = await fetch(payUrl().replace('vnp_Amount=4500000', 'vnp_Amount=100'));
    assert.equal(bad.status, 400);
  });

  test('approving at the page: the IPN is sent signed, then the browser goes back to the return URL signed', async () => {
    received.length = 0;
    const url = new URL(payUrl());
    const form = new URLSearchParams([...url.searchParams.entries(), ['decision', 'approve']]);
    const res = await fetch(`${sim.url}/paymentv2/confirm`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.pathname, '/candidate/fees/return');
    const ret = paramsOf(back.searchParams);
    assert.equal(verifyParams(ret, SECRET), true);
    assert.equal(ret['vnp_ResponseCode'], '00');
    assert.equal(received.length, 1);
    assert.equal(verifyParams(received[0]!, SECRET), true);
    assert.equal(received[0]!['vnp_Amount'], '4500000');
    assert.equal(received[0]!['vnp_TxnRef'], ORDER);
  });

  test('told to: the IPN twice, not at all (then resent), and the query API answers either way', async () => {
    received.length = 0;
    await sim.seed('/__ipn', { mode: 'twice' });
    await sim.seed('/__approve', { url: payUrl(30_000, '1'.repeat(32)) });
    assert.equal(received.length, 2);
    assert.equal(received[0]!['vnp_TransactionNo'], received[1]!['vnp_TransactionNo']);
    await sim.seed('/__ipn', { mode: 'none' });
    const r = await sim.seed<{ transactionNo: string }>('/__approve', { url: payUrl(15_000, '2'.repeat(32)) });
    assert.equal(received.length, 2);
    const q = await gw().query({ orderId: '2'.repeat(32), createdAt: new Date(), now: new Date() });
    assert.equal(q?.transactionNo, r.transactionNo);
    assert.equal(q?.amountVnd, 15_000);
    assert.equal(q?.success, true);
    assert.equal(await gw().query({ orderId: '3'.repeat(32), createdAt: new Date(), now: new Date() }), null);
    await sim.seed('/__ipn/resend', { txnRef: '2'.repeat(32) });
    assert.equal(received.length, 3);
    await sim.seed('/__ipn', { mode: 'normal' });
  });

  test('declining: a signed failure (24), no payment', async () => {
    received.length = 0;
    const r = await sim.seed<{ returnUrl: string }>('/__approve', { url: payUrl(15_000, '4'.repeat(32)), decision: 'decline' });
    const ret = paramsOf(new URL(r.returnUrl).searchParams);
    assert.equal(ret['vnp_ResponseCode'], '24');
    assert.equal(ret['vnp_TransactionStatus'], '02');
    assert.equal(received[0]!['vnp_TransactionStatus'], '02');
  });

  test('a refund is taken once, and the statement lists payments and refunds of the day', async () => {
    const q = (await gw().query({ orderId: ORDER, createdAt: new Date(), now: new Date() }))!;
    const r1 = await gw().refund({ orderId: ORDER, transactionNo: q.transactionNo, amountVnd: 45_000, payDate: q.payDate, by: 'ministry', now: new Date() });
    assert.equal(r1.ok, true);
    const r2 = await gw().refund({ orderId: ORDER, transactionNo: q.transactionNo, amountVnd: 45_000, payDate: q.payDate, by: 'ministry', now: new Date() });
    assert.equal(r2.ok, false);
    const vn = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const lines = await gw().statement(vn, new Date());
    assert.ok(lines.some((l) => l.txnRef === ORDER && l.type === '01' && l.success && l.amountVnd === 45_000));
    assert.ok(lines.some((l) => l.txnRef === ORDER && l.type === '02'));
    assert.ok(lines.some((l) => l.txnRef === '4'.repeat(32) && !l.success));
    await assert.rejects(httpGateway({ url: sim.url, merchant: 'TESTM001', secret: 'wrong-secret-0123456789', returnUrl: 'http://x/', timeoutMs: 5000 }).statement(vn, new Date()), /statement refused \(97/);
  });

  test('told to fail or vanish, its API does', async () => {
    await sim.control({ mode: 'fail' });
    await assert.rejects(gw().query({ orderId: ORDER, createdAt: new Date(), now: new Date() }), /HTTP 503/);
    await sim.control({ mode: 'down' });
    await assert.rejects(gw().query({ orderId: ORDER, createdAt: new Date(), now: new Date() }), /no answer/);
    await sim.control({ mode: 'ok' });
    assert.ok(await gw().query({ orderId: ORDER, createdAt: new Date(), now: new Date() }));
  });
});

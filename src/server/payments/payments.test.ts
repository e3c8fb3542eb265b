// Admission fees through the gateway simulator (a real process) on both databases: orders (idempotent, a new
// one when the wishes change), the IPN verified (a bad signature, a wrong amount refused; a repeated one
// applied once; a late one recorded and flagged), the return never trusted alone, reconciliation applying a
// missed notification, a double payment refunded by the ministry (audited), the unpaid wishes marked at the
// close, and a candidate kept away from another's order (404/403, audited).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P3, makeCandidates, ministry, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import { registerAccessAudit } from '../audit/access-audit.ts';
import { paymentsRoutes } from './routes.ts';
import { httpGateway } from './gateway-client.ts';
import { paramsOf, signParams, toQuery } from './gateway-protocol.ts';
import { markUnpaid } from './payments.service.ts';
import { FEE, addWishes, setAdmissionConfig, wishStates } from './payments.fixtures.ts';

const SECRET = 'server-test-secret-0123456789';
const MERCHANT = 'GHIDANHT1';
const candidate = (c: MadeCandidate): Actor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });

describeEachDb('admission fees: orders, IPN, return, reconciliation, refunds, closing, scope', (get) => {
  let app: FastifyInstance;
  let sim: TestSim;
  let an: MadeCandidate, binh: MadeCandidate, chi: MadeCandidate, dung: MadeCandidate, em: MadeCandidate;
  let now: Date | null = null;
  const opensAt = new Date(Date.now() - 86_400_000);
  const closesAt = new Date(Date.now() + 86_400_000);

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [an, binh, chi, dung] = (await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Chí', 'Phạm Thị Dung'])) as MadeCandidate[] as [MadeCandidate, MadeCandidate, MadeCandidate, MadeCandidate];
    [em] = (await makeCandidates(db, P3, ['Võ Văn Em'])) as [MadeCandidate];
    await setAdmissionConfig(db, opensAt, closesAt);
    await addWishes(db, an.candidateId, 3);
    await addWishes(db, binh.candidateId, 2);
    await addWishes(db, chi.candidateId, 1);
    await addWishes(db, dung.candidateId, 2);
    await addWishes(db, em.candidateId, 4);
    sim = await startSim('payment', { args: ['--merchant', MERCHANT, '--secret', SECRET] });
    const gateway = httpGateway({ url: sim.url, merchant: MERCHANT, secret: SECRET, returnUrl: 'http://127.0.0.1:9/candidate/fees/return', timeoutMs: 5000 });
    app = await backOfficeTestApp(db, () => now ?? new Date(), [async (a, s) => registerAccessAudit(a, s), (a, s) => paymentsRoutes(a, s, gateway)]);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    await sim.seed('/__merchant', { ipnUrl: `${address}/api/payments/vnpay/ipn` });
  });
  after(async () => {
    await app?.close();
    await sim?.stop();
  });

  const fees = async (c: MadeCandidate) => {
    const r = await app.inject({ method: 'GET', url: '/api/admission/fees/own', headers: as(candidate(c)) });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };
  const order = async (c: MadeCandidate) => {
    const r = await app.inject({ method: 'POST', url: '/api/admission/fees/own/orders', headers: as(candidate(c)) });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { order: { id: string; amountVnd: number; wishCount: number }; payUrl: string };
  };
  const approve = (payUrl: string, decision: 'approve' | 'decline' = 'approve') => sim.seed<{ returnUrl: string; transactionNo: string }>('/__approve', { url: payUrl, decision });
  const ipnVia = (params: Record<string, string>) => app.inject({ method: 'GET', url: `/api/payments/vnpay/ipn?${toQuery(params)}` });
  const audits = (action: string) => get().db.read.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
  const txns = (candidateId: string) => get().db.read.selectFrom('admission_payment_txns').selectAll().where('candidate_id', '=', candidateId).orderBy('received_at').execute();

  test('the fees page: the wishes, the amount, the group by province (HCMC\'s exam code 02 is province 79)', async () => {
    const f = await fees(an);
    assert.equal(f.state, 'due');
    assert.equal(f.amountDueVnd, 3 * FEE);
    assert.equal(f.group.code, 'N1');
    assert.equal(f.wishes.length, 3);
    assert.equal((await fees(em)).group.code, 'N2');
  });

  test('an IPN with a bad signature is refused (97) and changes nothing', async () => {
    const o = await order(an);
    const params = signParams({ vnp_Amount: String(o.order.amountVnd * 100), vnp_TmnCode: MERCHANT, vnp_TxnRef: o.order.id, vnp_TransactionNo: '99000001', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_PayDate: '20260715100000' }, 'not-the-secret-0123456789');
    const r = await ipnVia(params);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { RspCode: '97', Message: 'Invalid signature' });
    const forged = { ...signParams({ vnp_Amount: String(o.order.amountVnd * 100), vnp_TmnCode: MERCHANT, vnp_TxnRef: o.order.id, vnp_TransactionNo: '99000001', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_PayDate: '20260715100000' }, SECRET), vnp_Amount: '100' };
    assert.equal((await ipnVia(forged)).json().RspCode, '97');
    assert.deepEqual((await wishStates(get().db, an.candidateId)).map((w) => w.fee_status), ['pending', 'pending', 'pending']);
    assert.equal((await txns(an.candidateId)).length, 0);
    assert.ok((await audits('payment.ipn_refused')).length >= 2);
  });

  test('forged notifications sent over and over from one address: all refused (97), only the first few written', async () => {
    const before = await get().db.read.selectFrom('admission_payment_events').select((eb) => eb.fn.countAll<number>().as('n')).where('outcome', '=', 'bad_signature').executeTakeFirstOrThrow();
    for (let i = 0; i < 40; i++) {
      const r = await ipnVia(signParams({ vnp_Amount: '100', vnp_TmnCode: MERCHANT, vnp_TxnRef: '0'.repeat(32), vnp_TransactionNo: String(i) }, 'forger-secret-0123456789'));
      assert.equal(r.json().RspCode, '97');
    }
    const afterN = await get().db.read.selectFrom('admission_payment_events').select((eb) => eb.fn.countAll<number>().as('n')).where('outcome', '=', 'bad_signature').executeTakeFirstOrThrow();
    assert.ok(Number(afterN.n) - Number(before.n) <= 30, `${Number(afterN.n) - Number(before.n)} refusals written`);
  });

  test('the order is the same while the wishes are; paid through the gateway with the IPN sent twice, applied once', async () => {
    const a = await order(an);
    const b = await order(an);
    assert.equal(a.order.id, b.order.id);
    assert.equal(a.order.amountVnd, 45_000);
    assert.match(a.payUrl, /vnp_SecureHash=[0-9a-f]{128}/);
    await sim.seed('/__ipn', { mode: 'twice' });
    const paid = await approve(a.payUrl);
    await sim.seed('/__ipn', { mode: 'normal' });
    const seen = await sim.inspect<{ notifications: Array<{ transactionNo: string; answer: { RspCode: string } }> }>('/__received');
    const mine = seen.notifications.filter((n) => n.transactionNo === paid.transactionNo).map((n) => n.answer.RspCode);
    assert.deepEqual(mine, ['00', '02']);
    const ws = await wishStates(get().db, an.candidateId);
    const t = await txns(an.candidateId);
    assert.equal(t.length, 1);
    assert.equal(t[0]!.status, 'applied');
    assert.ok(ws.every((w) => w.fee_status === 'paid' && w.payment_id === t[0]!.id && w.paid_at === t[0]!.pay_date));
    const f = await fees(an);
    assert.equal(f.state, 'paid');
    assert.equal(f.receipts.length, 1);
    // the same notification again, much later: nothing changes twice
    const again = await sim.seed<{ answer: { RspCode: string } }>('/__ipn/resend', { txnRef: a.order.id });
    assert.equal(again.answer.RspCode, '02');
    assert.equal((await txns(an.candidateId)).length, 1);
    assert.equal((await audits('payment.applied')).filter((x) => x.target_id === a.order.id).length, 1);
    const v = await app.inject({ method: 'GET', url: `/api/admission/fees/own/orders/${a.order.id}`, headers: as(candidate(an)) });
    assert.equal(v.json().state, 'paid');
  });

  test('an IPN whose amount differs from the order is refused (04) and not applied', async () => {
    const o = await order(binh);
    const params = signParams({ vnp_Amount: String((o.order.amountVnd - 1000) * 100), vnp_TmnCode: MERCHANT, vnp_TxnRef: o.order.id, vnp_TransactionNo: '99000002', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_PayDate: '20260715100000', vnp_BankCode: 'NCB' }, SECRET);
    const r = await ipnVia(params);
    assert.deepEqual(r.json(), { RspCode: '04', Message: 'invalid amount' });
    assert.equal((await txns(binh.candidateId)).length, 0);
    assert.ok((await wishStates(get().db, binh.candidateId)).every((w) => w.fee_status === 'pending'));
    assert.equal((await audits('payment.amount_mismatch')).length, 1);
  });

  test('a new order when the wish count changes (the old one superseded)', async () => {
    const first = await order(binh);
    await addWishes(get().db, binh.candidateId, 1, 3);
    const second = await order(binh);
    assert.notEqual(second.order.id, first.order.id);
    assert.equal(second.order.wishCount, 3);
    assert.equal(second.order.amountVnd, 3 * FEE);
    const old = await get().db.read.selectFrom('admission_payment_orders').select('status').where('id', '=', first.order.id).executeTakeFirstOrThrow();
    assert.equal(old.status, 'superseded');
  });

  test('the return alone is never trusted: "confirming" until the reconciliation finds the missed IPN and applies it', async () => {
    const o = await order(binh);
    await sim.seed('/__ipn', { mode: 'none' });
    const paid = await approve(o.payUrl);
    await sim.seed('/__ipn', { mode: 'normal' });
    const ret = paramsOf(new URL(paid.returnUrl).searchParams);
    const r = await app.inject({ method: 'GET', url: `/api/admission/fees/return?${toQuery(ret)}`, headers: as(candidate(binh)) });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().signatureValid, true);
    assert.equal(r.json().gatewaySays, 'success');
    assert.equal(r.json().view.state, 'confirming');
    assert.ok((await wishStates(get().db, binh.candidateId)).every((w) => w.fee_status === 'pending'));
    // a forged return (amount changed) is not even shown as confirming
    const forged = await app.inject({ method: 'GET', url: `/api/admission/fees/return?${toQuery({ ...ret, vnp_Amount: '1' })}`, headers: as(candidate(binh)) });
    assert.equal(forged.json().signatureValid, false);
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const rec = await app.inject({ method: 'POST', url: '/api/admission/payments/reconcile', headers: as(ministry), payload: { date: day } });
    assert.equal(rec.statusCode, 200, rec.body);
    const missing = rec.json().differences.filter((d: { kind: string; transactionNo: string }) => d.kind === 'missing_here' && d.transactionNo === paid.transactionNo);
    assert.equal(missing.length, 1);
    assert.equal(missing[0].action, 'applied');
    assert.ok((await wishStates(get().db, binh.candidateId)).every((w) => w.fee_status === 'paid'));
    assert.equal((await txns(binh.candidateId))[0]!.source, 'reconcile');
    const v = await app.inject({ method: 'GET', url: `/api/admission/fees/own/orders/${o.order.id}`, headers: as(candidate(binh)) });
    assert.equal(v.json().state, 'paid');
    // run again: nothing left to fix
    const rec2 = await app.inject({ method: 'POST', url: '/api/admission/payments/reconcile', headers: as(ministry), payload: { date: day } });
    assert.equal(rec2.json().differences.filter((d: { kind: string }) => d.kind === 'missing_here').length, 0);
    assert.equal((await txns(binh.candidateId)).length, 1);
  });

  test('a candidate who pays twice: the second payment is kept as a duplicate and refunded by the ministry (audited, the gateway told)', async () => {
    const o = await order(chi);
    await approve(o.payUrl);
    const second = await approve(o.payUrl);
    const t = await txns(chi.candidateId);
    assert.deepEqual(t.map((x) => x.status), ['applied', 'duplicate']);
    const sum = await app.inject({ method: 'GET', url: '/api/admission/payments', headers: as(ministry) });
    assert.equal(sum.statusCode, 200, sum.body);
    const dup = sum.json().toRefund.find((x: { transactionNo: string }) => x.transactionNo === second.transactionNo);
    assert.ok(dup);
    const bad = await app.inject({ method: 'POST', url: `/api/admission/payments/txns/${t[0]!.id}/refund`, headers: as(ministry), payload: { reason: 'thử hoàn khoản hợp lệ' } });
    assert.equal(bad.statusCode, 409);
    const r = await app.inject({ method: 'POST', url: `/api/admission/payments/txns/${dup.txnId}/refund`, headers: as(ministry), payload: { reason: 'Thí sinh nộp hai lần' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'refunded');
    assert.equal(r.json().refundGateway, 'done');
    const a = await audits('payment.refunded');
    assert.equal(a.length, 1);
    assert.equal(a[0]!.actor_id, ministry.kind === 'user' ? ministry.userId : '');
    const gw = await sim.inspect<{ transactions: Array<{ type: string; transactionNo: string }> }>('/__received');
    assert.ok(gw.transactions.some((x) => x.type === '02' && x.transactionNo === `R${second.transactionNo}`));
    assert.ok((await wishStates(get().db, chi.candidateId)).every((w) => w.fee_status === 'paid'));
    const again = await app.inject({ method: 'POST', url: `/api/admission/payments/txns/${dup.txnId}/refund`, headers: as(ministry), payload: { reason: 'lần nữa' } });
    assert.equal(again.statusCode, 409);
  });

  test('another candidate can neither see nor check someone else\'s order (404, audited); staff cannot pay, candidates cannot manage (403, audited)', async () => {
    const anOrder = (await get().db.read.selectFrom('admission_payment_orders').select('id').where('candidate_id', '=', an.candidateId).executeTakeFirstOrThrow()).id;
    const r = await app.inject({ method: 'GET', url: `/api/admission/fees/own/orders/${anOrder}`, headers: as(candidate(dung)) });
    assert.equal(r.statusCode, 404);
    const c = await app.inject({ method: 'POST', url: `/api/admission/fees/own/orders/${anOrder}/check`, headers: as(candidate(dung)) });
    assert.equal(c.statusCode, 404);
    const denied = await audits('payment.order_denied');
    assert.ok(denied.filter((x) => x.actor_id === dung.userId && x.target_id === anOrder).length >= 2);
    const m = await app.inject({ method: 'POST', url: '/api/admission/fees/own/orders', headers: as(ministry) });
    assert.equal(m.statusCode, 403);
    const s = await app.inject({ method: 'GET', url: '/api/admission/payments', headers: as(candidate(dung)) });
    assert.equal(s.statusCode, 403);
    assert.ok((await audits('access.denied')).length >= 2);
  });

  test('a late IPN after the window: recorded and flagged; a payment made in time counts, one made after the close is kept to refund', async () => {
    const od = await order(dung);
    const oe = await order(em);
    await sim.seed('/__ipn', { mode: 'none' });
    const paidD = await approve(od.payUrl);
    await sim.seed('/__ipn', { mode: 'normal' });
    now = new Date(closesAt.getTime() + 3600_000);
    const late = await sim.seed<{ answer: { RspCode: string } }>('/__ipn/resend', { txnRef: od.order.id });
    assert.equal(late.answer.RspCode, '00');
    const td = await txns(dung.candidateId);
    assert.equal(td.length, 1);
    assert.equal(td[0]!.gateway_txn_no, paidD.transactionNo);
    assert.equal(td[0]!.late, 1);
    assert.equal(td[0]!.status, 'applied');
    assert.ok((await wishStates(get().db, dung.candidateId)).every((w) => w.fee_status === 'paid'));
    // Em pays at the gateway after the close (its clock past it): recorded, not applied, to be refunded
    await sim.seed('/__clock', { offsetMs: closesAt.getTime() - Date.now() + 7200_000 });
    const r = await approve(oe.payUrl);
    await sim.seed('/__clock', { offsetMs: 0 });
    const te = await txns(em.candidateId);
    assert.equal(te.length, 1);
    assert.equal(te[0]!.gateway_txn_no, r.transactionNo);
    assert.equal(te[0]!.status, 'after_window');
    assert.equal(te[0]!.late, 1);
    assert.ok((await wishStates(get().db, em.candidateId)).every((w) => w.fee_status === 'pending'));
    const f = await fees(em);
    assert.equal(f.state, 'closed');
    const refused = await app.inject({ method: 'POST', url: '/api/admission/fees/own/orders', headers: as(candidate(em)) });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'PAYMENT_WINDOW_CLOSED');
  });

  test('after the close: unpaid wishes marked (pending back to unpaid), open orders expired, paid ones kept; once per group', async () => {
    const at = new Date(closesAt.getTime() + 3600_000);
    const r = await markUnpaid(get().db, at);
    const n1 = r.find((g) => g.group === 'N1')!;
    const n2 = r.find((g) => g.group === 'N2')!;
    assert.equal(n1.already, false);
    assert.equal(n1.unpaidWishes, 0);
    assert.equal(n2.unpaidWishes, 4);
    assert.equal(n2.expiredOrders, 1);
    assert.ok((await wishStates(get().db, em.candidateId)).every((w) => w.fee_status === 'unpaid'));
    assert.ok((await wishStates(get().db, an.candidateId)).every((w) => w.fee_status === 'paid'));
    const paid = await get().db.read.selectFrom('admission_wishes').select((eb) => eb.fn.countAll<number>().as('n')).where('fee_status', '=', 'paid').executeTakeFirstOrThrow();
    assert.equal(Number(paid.n), 3 + 3 + 1 + 2);
    const again = await markUnpaid(get().db, at);
    assert.ok(again.every((g) => g.already));
    const sum = await app.inject({ method: 'GET', url: '/api/admission/payments', headers: as(ministry) });
    const g2 = sum.json().groups.find((g: { code: string }) => g.code === 'N2');
    assert.equal(g2.unpaidWishesAtClose, 4);
    assert.equal(sum.json().totals.collectedVnd, (3 + 3 + 1 + 2) * FEE);
  });
});

// A score review's fee paid online through the payment gateway simulator (a real process), on both
// databases: the request owes the fee online, the department cannot start it unpaid, the order is the same
// while it is for the same request, another candidate is kept away (404, audited), the gateway's
// notification (not the browser) marks it paid, a paid request cannot be withdrawn and goes to the
// department, and a payment for a request withdrawn meanwhile is kept for the ministry to refund.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { startSim, type TestSim } from '../../../test/helpers/sims.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, YEAR, dept01, makeCandidates, makeDossier, ministry, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import type { Db } from '../db/create-db.ts';
import { upsertAverages } from '../results/results.repository.ts';
import { resultsRoutes } from '../results/routes.ts';
import { paymentsRoutes } from '../payments/routes.ts';
import { httpGateway } from '../payments/gateway-client.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import { forgetCurrentExamYear } from '../exam-years/exam-years.repository.ts';
import { reviewsRoutes } from './routes.ts';

const SECRET = 'review-test-secret-0123456789';
const MERCHANT = 'GHIDANHT2';
const dept01b: Actor = { ...dept01, userId: 'u-department_officer-01-second' };
const candidate = (c: MadeCandidate): Actor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });

function upload(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const b = 'reviewfeesboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

async function number(db: Db, c: MadeCandidate, n: string): Promise<void> {
  await db.write((trx) =>
    trx.insertInto('candidate_numbers').values({ candidate_id: c.candidateId, exam_year: YEAR, department_code: c.departmentCode, number: n, serial: Number(n.slice(2)), site_id: 'site', withdrawn: 0, assigned_at: 'x', updated_at: 'x' }).execute(),
  );
}

describeEachDb('score review fees paid online through the gateway', (get) => {
  let app: FastifyInstance;
  let sim: TestSim;
  let an: MadeCandidate;
  let binh: MadeCandidate;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [an, binh] = (await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình'])) as [MadeCandidate, MadeCandidate];
    for (const c of [an, binh]) {
      await makeDossier(db, c, 'verified');
      await db.write((trx) =>
        trx
          .updateTable('dossiers')
          .set({ data: JSON.stringify({ contact: { phone: '0912345678', address: 'Hà Nội' }, status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' }, purpose: 'both', subjects: { electives: ['LI', 'NN'], foreignLanguage: 'N1' } }), programme: 'CT2018' })
          .where('candidate_id', '=', c.candidateId)
          .execute(),
      );
    }
    await number(db, an, '01000001');
    await number(db, binh, '01000002');
    await db.write((trx) => upsertAverages(trx, YEAR, [an, binh].map((c) => ({ candidateId: c.candidateId, pointId: c.pointId, departmentCode: '01', grade10: 700, grade11: 700, grade12: 700, graduationGroups: [] })), 'test', new Date()));
    // the review window around today (the gateway's pay dates are the real clock's)
    const day = (n: number) => instantToVietnamLocal(new Date(Date.now() + n * 86_400_000)).date;
    const y = await db.read.selectFrom('exam_years').select('rules').where('year', '=', YEAR).executeTakeFirstOrThrow();
    const rules = (typeof y.rules === 'string' ? JSON.parse(y.rules) : y.rules) as Record<string, unknown>;
    // no payment mode named: a year pays online by default when the gateway is configured
    rules['reviews'] = { window: { from: day(-1), to: day(1), closesAt: '17:00' }, feePerPaperVnd: 30_000 };
    await db.write((trx) => trx.updateTable('exam_years').set({ rules: JSON.stringify(rules) }).where('year', '=', YEAR).execute());

    sim = await startSim('payment', { args: ['--merchant', MERCHANT, '--secret', SECRET] });
    const gateway = httpGateway({ url: sim.url, merchant: MERCHANT, secret: SECRET, returnUrl: 'http://127.0.0.1:9/candidate/fees/return', timeoutMs: 5000 });
    app = await backOfficeTestApp(db, () => new Date(), [resultsRoutes, (a, s) => reviewsRoutes(a, s, gateway), (a, s) => paymentsRoutes(a, s, gateway)]);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    await sim.seed('/__merchant', { ipnUrl: `${address}/api/payments/vnpay/ipn` });
    const csv = ['SBD,Môn thi,Điểm thi', '01000001,TOAN,7', '01000001,VAN,6', '01000001,LI,8', '01000001,NN,7', '01000002,TOAN,5', '01000002,VAN,6', '01000002,LI,7', '01000002,NN,7'].join('\n');
    const up = upload('diem.csv', csv);
    const staged = await app.inject({ method: 'POST', url: '/api/results/departments/01/imports', payload: up.payload, headers: { ...up.headers, ...as(dept01) } });
    assert.equal(staged.statusCode, 201, staged.body);
    const pub = await app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${staged.json().import.id}/publish`, headers: as(dept01b) });
    assert.equal(pub.statusCode, 200, pub.body);
  });
  after(async () => {
    await app?.close();
    await sim?.stop();
  });

  const ask = (c: MadeCandidate, subjects: string[]) => app.inject({ method: 'POST', url: '/api/reviews/own', payload: { subjects }, headers: as(candidate(c)) });
  const pay = (c: MadeCandidate, id: string) => app.inject({ method: 'POST', url: `/api/reviews/own/${id}/pay`, headers: as(candidate(c)) });
  const requestOf = async (c: MadeCandidate, id: string) => ((await app.inject({ method: 'GET', url: '/api/reviews/own', headers: as(candidate(c)) })).json().requests as Array<{ id: string; feeStatus: string; status: string; paidAt: string | null }>).find((r) => r.id === id)!;
  const start = (id: string) => app.inject({ method: 'POST', url: `/api/reviews/departments/01/requests/${id}/start`, headers: as(dept01) });
  const approve = (payUrl: string) => sim.seed<{ returnUrl: string; transactionNo: string }>('/__approve', { url: payUrl, decision: 'approve' });
  const audits = (action: string) => get().db.read.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

  const own = async (c: MadeCandidate) => (await app.inject({ method: 'GET', url: '/api/reviews/own', headers: as(candidate(c)) })).json() as { payment: string; openOrder: { id: string; requestId: string } | null };

  let anRequest = '';
  test('the request owes its fee online; the department cannot start it unpaid', async () => {
    assert.deepEqual([(await own(an)).payment, (await own(an)).openOrder], ['online', null]);
    const r = await ask(an, ['VAN', 'LI']);
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().payment, r.json().feeStatus, r.json().feeTotalVnd, r.json().paidAt], ['online', 'unpaid', 60_000, null]);
    anRequest = r.json().id;
    const list = await app.inject({ method: 'GET', url: '/api/reviews/departments/01/requests', headers: as(dept01) });
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.json().windowState, 'open');
    const s = await start(anRequest);
    assert.equal(s.statusCode, 409, s.body);
    assert.equal(s.json().error.code, 'REVIEW_FEE_UNPAID');
    assert.ok(s.json().error.vi.length > 0 && s.json().error.en.length > 0);
  });

  test('the order is the same while it is for the same request; another candidate cannot pay or see it (404, audited)', async () => {
    const a = await pay(an, anRequest);
    assert.equal(a.statusCode, 201, a.body);
    const b = await pay(an, anRequest);
    assert.equal(b.json().order.id, a.json().order.id);
    assert.deepEqual([a.json().order.purpose, a.json().order.amountVnd, a.json().order.wishCount, a.json().request.feeStatus], ['review', 60_000, 2, 'pending']);
    assert.match(a.json().payUrl, /vnp_ReturnUrl=[^&]*%2Fcandidate%2Freviews%2Freturn/);
    // the reviews page names the payment under way, for its "see its state" link
    assert.deepEqual((await own(an)).openOrder, { id: a.json().order.id, requestId: anRequest });
    assert.equal((await own(binh)).openOrder, null);
    assert.equal((await pay(binh, anRequest)).statusCode, 404);
    assert.equal((await audits('review.payment_denied')).length, 1);
    const seen = await app.inject({ method: 'GET', url: `/api/admission/fees/own/orders/${a.json().order.id}`, headers: as(candidate(binh)) });
    assert.equal(seen.statusCode, 404);
    // the admission fees have nothing to do with it: no admission order is open
    const fees = await get().db.read.selectFrom('admission_payment_orders').select(['purpose', 'open_key']).where('candidate_id', '=', an.candidateId).execute();
    assert.deepEqual(fees, [{ purpose: 'review', open_key: 'open-review' }]);
  });

  test("the gateway's notification marks it paid (never the browser); then it cannot be withdrawn and the department starts it", async () => {
    const a = await pay(an, anRequest);
    const paid = await approve(a.json().payUrl);
    const r = await requestOf(an, anRequest);
    assert.equal(r.feeStatus, 'paid');
    assert.ok(r.paidAt);
    assert.equal((await own(an)).openOrder, null);
    // the review return page asks the same return check as the admission fees' one: the signed return of a
    // review order shows it paid (on the notification's word), and a tampered return shows nothing
    const back = new URL(paid.returnUrl);
    assert.equal(back.pathname, '/candidate/reviews/return');
    const ret = await app.inject({ method: 'GET', url: `/api/admission/fees/return${back.search}`, headers: as(candidate(an)) });
    assert.equal(ret.statusCode, 200, ret.body);
    assert.deepEqual([ret.json().signatureValid, ret.json().view.state, ret.json().view.order.purpose, ret.json().view.receipt.amountVnd], [true, 'paid', 'review', 60_000]);
    back.searchParams.set('vnp_Amount', '100');
    const forged = await app.inject({ method: 'GET', url: `/api/admission/fees/return${back.search}`, headers: as(candidate(an)) });
    assert.deepEqual([forged.json().signatureValid, forged.json().view], [false, null]);
    // another candidate sent the same return learns nothing (404)
    const other = await app.inject({ method: 'GET', url: `/api/admission/fees/return${new URL(paid.returnUrl).search}`, headers: as(candidate(binh)) });
    assert.equal(other.statusCode, 404);
    const txn = await get().db.read.selectFrom('admission_payment_txns').selectAll().where('gateway_txn_no', '=', paid.transactionNo).executeTakeFirstOrThrow();
    assert.deepEqual([txn.status, txn.group_code, txn.amount_vnd], ['applied', 'PK', 60_000]);
    assert.equal((await pay(an, anRequest)).json().error.code, 'NOTHING_TO_PAY');
    const w = await app.inject({ method: 'POST', url: `/api/reviews/own/${anRequest}/withdraw`, headers: as(candidate(an)) });
    assert.equal(w.statusCode, 409);
    assert.equal(w.json().error.code, 'REVIEW_NOT_WITHDRAWABLE');
    const s = await start(anRequest);
    assert.equal(s.statusCode, 200, s.body);
    assert.equal(s.json().status, 'in_review');
    // the ministry's payments page counts the review fees apart from the admission fees
    const sum = await app.inject({ method: 'GET', url: '/api/admission/payments', headers: as(ministry) });
    assert.equal(sum.statusCode, 200, sum.body);
    assert.deepEqual(sum.json().reviewFees, { paidRequests: 1, paidPapers: 2, collectedVnd: 60_000, pendingOrders: 0, pendingVnd: 0 });
    assert.equal(sum.json().totals.collectedVnd, 0, 'not in the admission totals');
  });

  test('a payment for a request withdrawn meanwhile is kept for the ministry to refund', async () => {
    const r = await ask(binh, ['TOAN']);
    assert.equal(r.statusCode, 201, r.body);
    const o = await pay(binh, r.json().id);
    assert.equal(o.statusCode, 201, o.body);
    const w = await app.inject({ method: 'POST', url: `/api/reviews/own/${r.json().id}/withdraw`, headers: as(candidate(binh)) });
    assert.equal(w.statusCode, 200, w.body);
    const paid = await approve(o.json().payUrl);
    const txn = await get().db.read.selectFrom('admission_payment_txns').selectAll().where('gateway_txn_no', '=', paid.transactionNo).executeTakeFirstOrThrow();
    assert.equal(txn.status, 'duplicate');
    assert.equal((await requestOf(binh, r.json().id)).status, 'withdrawn');
    const sum = await app.inject({ method: 'GET', url: '/api/admission/payments', headers: as(ministry) });
    assert.equal(sum.statusCode, 200, sum.body);
    assert.ok(sum.json().toRefund.some((t: { transactionNo: string }) => t.transactionNo === paid.transactionNo));
    const refund = await app.inject({ method: 'POST', url: `/api/admission/payments/txns/${txn.id}/refund`, headers: as(ministry), payload: { reason: 'Thí sinh rút đơn phúc khảo' } });
    assert.equal(refund.statusCode, 200, refund.body);
    assert.equal(refund.json().status, 'refunded');
  });

  test("a year that chooses 'at_point' keeps the fee at the point even with the gateway: nothing to pay online, the department starts it", async () => {
    const db = get().db;
    const y = await db.read.selectFrom('exam_years').select('rules').where('year', '=', YEAR).executeTakeFirstOrThrow();
    const rules = (typeof y.rules === 'string' ? JSON.parse(y.rules) : y.rules) as Record<string, Record<string, unknown>>;
    rules['reviews'] = { ...rules['reviews'], payment: 'at_point' };
    await db.write((trx) => trx.updateTable('exam_years').set({ rules: JSON.stringify(rules) }).where('year', '=', YEAR).execute());
    forgetCurrentExamYear(db.read);
    assert.equal((await own(binh)).payment, 'at_point');
    const r = await ask(binh, ['VAN']);
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().payment, r.json().feeStatus], ['at_point', 'at_point']);
    const p = await pay(binh, r.json().id);
    assert.equal(p.statusCode, 409);
    assert.equal(p.json().error.code, 'REVIEW_FEE_AT_POINT');
    const s = await start(r.json().id);
    assert.equal(s.statusCode, 200, s.body);
  });
});

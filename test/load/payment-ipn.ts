// The bench's payment notification row (i-payment-ipn): open orders for candidates of the synthetic
// country, each with two wishes, written straight into its working copy; then the gateway's signed IPN for
// each order, one after another over the connections (the first notification of an order is applied: the
// wishes paid, the order closed, the payment, its event and its audit entry in one transaction). When the
// orders run out the next notifications are repeats, answered "already confirmed" (02): the note says how
// many of each the run made.
import { sql } from 'kysely';
import { createDb } from '../../src/server/db/create-db.ts';
import { signParams, toQuery, vnpDate } from '../../src/server/payments/gateway-protocol.ts';
import { runLoad, type LoadResult } from './run-load.ts';

export const BENCH_PAYMENT_ENV = { PAYMENT_URL: 'http://127.0.0.1:9', PAYMENT_MERCHANT_CODE: 'BENCHM01', PAYMENT_SECRET: 'bench-payment-secret-0123456789' };
const FEE = 15_000;

let prepared: string[] = [];

export async function preparePaymentIpn(dbUrl: string, orders: number, log: (s: string) => void): Promise<void> {
  const db = await createDb({ url: dbUrl, poolSize: 1 });
  const started = Date.now();
  try {
    const y = await db.writer.selectFrom('exam_years').select(['year', 'rules']).where('status', '=', 'published').orderBy('year', 'desc').executeTakeFirstOrThrow();
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const codes = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, '0'));
    const admission = {
      wishCap: 15,
      teacherTrainingMaxPosition: 5,
      combinationFloor: 15,
      window: { opensAt: iso(now - 20 * 86_400_000), closesAt: iso(now - 86_400_000) },
      feePerWishVnd: FEE,
      paymentGroups: [{ code: 'ALL', name: 'Cả nước', provinceCodes: codes, opensAt: iso(now - 3600_000), closesAt: iso(now + 86_400_000) }],
    };
    const candidates = await db.writer.selectFrom('candidates').select(['id', 'user_id', 'department_code']).where('exam_year', '=', y.year).orderBy('id').limit(orders).execute();
    const at = iso(now);
    await db.write(async (trx) => {
      await trx.updateTable('exam_years').set({ rules: JSON.stringify({ ...(JSON.parse(y.rules) as Record<string, unknown>), admission }) }).where('year', '=', y.year).execute();
      await sql`delete from admission_payment_orders`.execute(trx);
      await sql`delete from admission_wishes`.execute(trx);
      await sql`delete from admission_programmes where id like 'BENCH-%'`.execute(trx);
      for (const p of ['BENCH-1', 'BENCH-2'])
        await trx
          .insertInto('admission_programmes')
          .values({ id: p, exam_year: y.year, institution_id: 'org-bench', institution_code: 'BENCH', code: p, method: '100', name: p, search_name: p.toLowerCase(), combinations: '[{"code":"A00"}]', scoring: 'sum', quota: 1000, min_score_centi: null, teacher_training: 0, tie_policy: '{"kind":"none"}', status: 'published', import_id: null, created_at: at, updated_at: at, published_at: at, published_by: null })
          .execute();
    });
    prepared = [];
    for (let i = 0; i < candidates.length; i += 400) {
      const chunk = candidates.slice(i, i + 400);
      const wishes = chunk.flatMap((c, j) => [1, 2].map((pos) => ({ id: `bw-${i + j}-${pos}`, exam_year: y.year, candidate_id: c.id, position: pos, programme_id: `BENCH-${pos}`, combination: 'A00', fee_status: 'pending' as const, paid_at: null, payment_id: null, created_at: at, updated_at: at })));
      const os = chunk.map((c, j) => ({
        id: `b${String(i + j).padStart(31, '0')}`,
        exam_year: y.year,
        candidate_id: c.id,
        user_id: c.user_id,
        department_code: c.department_code,
        group_code: 'ALL',
        wish_ids: JSON.stringify([`bw-${i + j}-1`, `bw-${i + j}-2`]),
        wish_count: 2,
        fee_per_wish_vnd: FEE,
        amount_vnd: 2 * FEE,
        status: 'open' as const,
        open_key: 'open',
        created_at: at,
        updated_at: at,
        paid_at: null,
        txn_id: null,
        purpose: 'admission' as const,
      }));
      await db.write(async (trx) => {
        await trx.insertInto('admission_wishes').values(wishes).execute();
        await trx.insertInto('admission_payment_orders').values(os).execute();
      });
      for (const o of os) {
        const n = prepared.length;
        const p = signParams(
          { vnp_Amount: String(o.amount_vnd * 100), vnp_BankCode: 'NCB', vnp_OrderInfo: 'Le phi xet tuyen 2 nguyen vong', vnp_PayDate: vnpDate(new Date()), vnp_ResponseCode: '00', vnp_TmnCode: BENCH_PAYMENT_ENV.PAYMENT_MERCHANT_CODE, vnp_TransactionNo: String(50_000_000 + n), vnp_TransactionStatus: '00', vnp_TxnRef: o.id },
          BENCH_PAYMENT_ENV.PAYMENT_SECRET,
        );
        prepared.push(`/api/payments/vnpay/ipn?${toQuery(p)}`);
      }
    }
    log(`${prepared.length.toLocaleString('en')} open payment orders written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

export async function paymentIpnLoad(url: string, durationSeconds: number): Promise<LoadResult & { note: string }> {
  if (prepared.length === 0) throw new Error('no payment orders prepared');
  let next = 0;
  const codes: Record<string, number> = {};
  const r = await runLoad({
    url,
    connections: 20,
    durationSeconds,
    next: () => ({ path: prepared[next++ % prepared.length]! }),
    onResponse: (_st, body) => {
      const code = /"RspCode":"(\d+)"/.exec(body)?.[1] ?? '?';
      codes[code] = (codes[code] ?? 0) + 1;
    },
  });
  const first = codes['00'] ?? 0;
  const repeats = codes['02'] ?? 0;
  return { ...r, note: `${first} first notifications applied (00), ${repeats} repeats answered 02, ${prepared.length} orders prepared; other codes ${JSON.stringify(Object.fromEntries(Object.entries(codes).filter(([k]) => k !== '00' && k !== '02')))}` };
}

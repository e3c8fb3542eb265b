// SQL of the admission fees: the wishes' fee columns (admission_wishes, shared with the catalogue and the
// matching run), payment orders, the gateway's payments, the events received, reconciliations and the
// groups' closures. Nothing here decides: the service (payments.service.ts) does.
import type { Kysely } from 'kysely';
import type { AdmissionPaymentOrderTable, AdmissionPaymentTxnTable, DB } from '../db/schema.ts';
import { newId } from '../ids.ts';

export type OrderRow = AdmissionPaymentOrderTable;
export type TxnRow = AdmissionPaymentTxnTable;

export interface FeeWish {
  id: string;
  position: number;
  programmeId: string;
  programmeName: string | null;
  feeStatus: 'unpaid' | 'pending' | 'paid' | 'refunded';
  paidAt: string | null;
  paymentId: string | null;
}

export async function wishesOf(db: Kysely<DB>, year: number, candidateId: string): Promise<FeeWish[]> {
  const rows = await db
    .selectFrom('admission_wishes as w')
    .leftJoin('admission_programmes as p', 'p.id', 'w.programme_id')
    .select(['w.id', 'w.position', 'w.programme_id', 'p.name', 'w.fee_status', 'w.paid_at', 'w.payment_id'])
    .where('w.exam_year', '=', year)
    .where('w.candidate_id', '=', candidateId)
    .orderBy('w.position')
    .execute();
  return rows.map((r) => ({ id: r.id, position: r.position, programmeId: r.programme_id, programmeName: r.name ?? null, feeStatus: r.fee_status, paidAt: r.paid_at, paymentId: r.payment_id }));
}

export async function findOrder(db: Kysely<DB>, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('admission_payment_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The candidate's open order of a purpose: open_key 'open' (admission fees) or 'open-review' (a review's fee). */
export async function openOrderOf(db: Kysely<DB>, year: number, candidateId: string, openKey = 'open'): Promise<OrderRow | undefined> {
  return db.selectFrom('admission_payment_orders').selectAll().where('exam_year', '=', year).where('candidate_id', '=', candidateId).where('open_key', '=', openKey).executeTakeFirst();
}

export async function insertOrder(trx: Kysely<DB>, o: OrderRow): Promise<void> {
  await trx.insertInto('admission_payment_orders').values(o).execute();
}

export async function closeOrder(trx: Kysely<DB>, id: string, status: 'paid' | 'superseded' | 'expired' | 'failed', now: Date, paid?: { paidAt: string; txnId: string }): Promise<void> {
  await trx
    .updateTable('admission_payment_orders')
    .set({ status, open_key: id, updated_at: now.toISOString(), ...(paid ? { paid_at: paid.paidAt, txn_id: paid.txnId } : {}) })
    .where('id', '=', id)
    .execute();
}

/** The order's wishes go 'pending' (those not paid). */
export async function markPending(trx: Kysely<DB>, wishIds: string[], now: Date): Promise<void> {
  if (wishIds.length === 0) return;
  await trx.updateTable('admission_wishes').set({ fee_status: 'pending', updated_at: now.toISOString() }).where('id', 'in', wishIds).where('fee_status', 'in', ['unpaid', 'pending']).execute();
}

/** The wishes a verified payment covers are paid, with when and by which payment (those not paid already). */
export async function markPaid(trx: Kysely<DB>, wishIds: string[], paidAt: string, paymentId: string, now: Date): Promise<number> {
  if (wishIds.length === 0) return 0;
  const r = await trx
    .updateTable('admission_wishes')
    .set({ fee_status: 'paid', paid_at: paidAt, payment_id: paymentId, updated_at: now.toISOString() })
    .where('id', 'in', wishIds)
    .where('fee_status', '!=', 'paid')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function paidCountOf(db: Kysely<DB>, wishIds: string[]): Promise<number> {
  if (wishIds.length === 0) return 0;
  const r = await db.selectFrom('admission_wishes').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', wishIds).where('fee_status', '=', 'paid').executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function findTxnByNo(db: Kysely<DB>, no: string): Promise<TxnRow | undefined> {
  return db.selectFrom('admission_payment_txns').selectAll().where('gateway_txn_no', '=', no).executeTakeFirst();
}

export async function findTxn(db: Kysely<DB>, id: string): Promise<TxnRow | undefined> {
  return db.selectFrom('admission_payment_txns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTxn(trx: Kysely<DB>, t: TxnRow): Promise<void> {
  await trx.insertInto('admission_payment_txns').values(t).execute();
}

export async function txnsOfCandidate(db: Kysely<DB>, year: number, candidateId: string): Promise<TxnRow[]> {
  return db.selectFrom('admission_payment_txns').selectAll().where('exam_year', '=', year).where('candidate_id', '=', candidateId).orderBy('pay_date').execute();
}

export async function txnsOfOrder(db: Kysely<DB>, orderId: string): Promise<TxnRow[]> {
  return db.selectFrom('admission_payment_txns').selectAll().where('order_id', '=', orderId).orderBy('pay_date').execute();
}

export async function txnsOfDay(db: Kysely<DB>, day: string): Promise<TxnRow[]> {
  return db.selectFrom('admission_payment_txns').selectAll().where('pay_day', '=', day).execute();
}

export async function txnsByStatus(db: Kysely<DB>, year: number, statuses: TxnRow['status'][], limit = 500): Promise<TxnRow[]> {
  return db.selectFrom('admission_payment_txns').selectAll().where('exam_year', '=', year).where('status', 'in', statuses).orderBy('received_at').limit(limit).execute();
}

export async function markRefunded(trx: Kysely<DB>, id: string, by: string, reason: string, gateway: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('admission_payment_txns')
    .set({ status: 'refunded', refunded_at: now.toISOString(), refunded_by: by, refund_reason: reason, refund_gateway: gateway })
    .where('id', '=', id)
    .where('status', 'in', ['duplicate', 'after_window'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertEvent(trx: Kysely<DB>, e: { orderId: string | null; txnNo: string | null; kind: 'ipn' | 'return' | 'query' | 'reconcile'; outcome: string; details?: Record<string, unknown> }, now: Date): Promise<void> {
  await trx
    .insertInto('admission_payment_events')
    .values({ id: newId(), order_id: e.orderId, gateway_txn_no: e.txnNo, kind: e.kind, outcome: e.outcome, details: e.details ? JSON.stringify(e.details) : null, at: now.toISOString() })
    .execute();
}

/** true when the browser came back from the gateway with a verified "success" for this order */
export async function returnedSuccess(db: Kysely<DB>, orderId: string): Promise<boolean> {
  const r = await db.selectFrom('admission_payment_events').select('id').where('order_id', '=', orderId).where('kind', '=', 'return').where('outcome', '=', 'success').limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function insertReconciliation(trx: Kysely<DB>, r: DB['admission_payment_reconciliations']): Promise<void> {
  await trx.insertInto('admission_payment_reconciliations').values(r).execute();
}

export async function recentReconciliations(db: Kysely<DB>, limit = 10) {
  return db.selectFrom('admission_payment_reconciliations').selectAll().orderBy('run_at', 'desc').limit(limit).execute();
}

export async function reconciledDay(db: Kysely<DB>, day: string): Promise<boolean> {
  return (await db.selectFrom('admission_payment_reconciliations').select('id').where('statement_day', '=', day).limit(1).executeTakeFirst()) !== undefined;
}

// ---- the ministry's totals ----

export async function paidTotalsByGroup(db: Kysely<DB>, year: number) {
  return db
    .selectFrom('admission_payment_orders')
    .select((eb) => ['group_code', eb.fn.count<number>('candidate_id').distinct().as('candidates'), eb.fn.countAll<number>().as('orders'), eb.fn.sum<number>('wish_count').as('wishes'), eb.fn.sum<number>('amount_vnd').as('amount')])
    .where('exam_year', '=', year)
    .where('status', '=', 'paid')
    .groupBy('group_code')
    .execute();
}

export async function openTotalsByGroup(db: Kysely<DB>, year: number) {
  return db
    .selectFrom('admission_payment_orders')
    .select((eb) => ['group_code', eb.fn.countAll<number>().as('orders'), eb.fn.sum<number>('amount_vnd').as('amount')])
    .where('exam_year', '=', year)
    .where('status', '=', 'open')
    .groupBy('group_code')
    .execute();
}

export async function refundedTotal(db: Kysely<DB>, year: number): Promise<number> {
  const r = await db.selectFrom('admission_payment_txns').select((eb) => eb.fn.sum<number>('amount_vnd').as('s')).where('exam_year', '=', year).where('status', '=', 'refunded').executeTakeFirst();
  return Number(r?.s ?? 0);
}

export async function closuresOf(db: Kysely<DB>, year: number) {
  return db.selectFrom('admission_payment_closures').selectAll().where('exam_year', '=', year).execute();
}

// ---- a group's close ----

/** The exam department codes that have candidates this year (each is placed in a payment group). */
export async function departmentsOfYear(db: Kysely<DB>, year: number): Promise<string[]> {
  const rows = await db.selectFrom('candidates').select('department_code').distinct().where('exam_year', '=', year).execute();
  return rows.map((r) => r.department_code);
}

export async function closeGroup(trx: Kysely<DB>, year: number, groupCode: string, departments: string[], now: Date): Promise<{ unpaidWishes: number; expiredOrders: number; already: boolean }> {
  const had = await trx.selectFrom('admission_payment_closures').selectAll().where('exam_year', '=', year).where('group_code', '=', groupCode).executeTakeFirst();
  if (had) return { unpaidWishes: had.unpaid_wishes, expiredOrders: had.expired_orders, already: true };
  const at = now.toISOString();
  const expired = await trx
    .updateTable('admission_payment_orders')
    .set((eb) => ({ status: 'expired', open_key: eb.ref('id'), updated_at: at }))
    .where('exam_year', '=', year)
    .where('group_code', '=', groupCode)
    .where('status', '=', 'open')
    .executeTakeFirst();
  let unpaid = 0;
  if (departments.length > 0) {
    const inGroup = (eb: any) => eb.selectFrom('candidates').select('id').where('exam_year', '=', year).where('department_code', 'in', departments);
    await trx.updateTable('admission_wishes').set({ fee_status: 'unpaid', updated_at: at }).where('exam_year', '=', year).where('fee_status', '=', 'pending').where('candidate_id', 'in', inGroup).execute();
    const r = await trx
      .selectFrom('admission_wishes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('exam_year', '=', year)
      .where('fee_status', '=', 'unpaid')
      .where('candidate_id', 'in', inGroup)
      .executeTakeFirst();
    unpaid = Number(r?.n ?? 0);
  }
  const expiredOrders = Number(expired.numUpdatedRows);
  await trx.insertInto('admission_payment_closures').values({ exam_year: year, group_code: groupCode, closed_at: at, unpaid_wishes: unpaid, expired_orders: expiredOrders }).execute();
  return { unpaidWishes: unpaid, expiredOrders, already: false };
}

// 043: admission fees paid online (issue 23 item 3). admission_payment_orders is one order a candidate
// pays at the gateway (its id is the gateway's vnp_TxnRef): the wishes it covers, their count and the
// amount, the payment group, open → paid | superseded | expired | failed. open_key is 'open' while an
// order is open (the order's id otherwise), so a unique index allows one open order per candidate on both
// databases. admission_payment_txns is one payment the gateway made (its transaction number is unique):
// applied to the wishes, a duplicate to refund, paid after the window, refunded; every notification
// received, repeated or not, is an event. admission_payment_reconciliations is a day's comparison with the
// gateway's statement; admission_payment_closures records each group's unpaid wishes marked at its close.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admission_payment_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    /** JSON: the ids of the wishes it pays for */
    .addColumn('wish_ids', 'text', (c) => c.notNull())
    .addColumn('wish_count', 'integer', (c) => c.notNull())
    .addColumn('fee_per_wish_vnd', 'integer', (c) => c.notNull())
    .addColumn('amount_vnd', 'integer', (c) => c.notNull())
    /** 'open' | 'paid' | 'superseded' | 'expired' | 'failed' */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('open_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    /** the transaction that paid it */
    .addColumn('txn_id', 'text')
    .execute();
  await db.schema.createIndex('admission_payment_orders_open').on('admission_payment_orders').columns(['exam_year', 'candidate_id', 'open_key']).unique().execute();
  await db.schema.createIndex('admission_payment_orders_group').on('admission_payment_orders').columns(['exam_year', 'group_code', 'status']).execute();

  await db.schema
    .createTable('admission_payment_txns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('gateway_txn_no', 'text', (c) => c.notNull().unique())
    .addColumn('amount_vnd', 'integer', (c) => c.notNull())
    .addColumn('bank_code', 'text')
    /** when the gateway took the money (ISO) */
    .addColumn('pay_date', 'text', (c) => c.notNull())
    /** the local day of pay_date (YYYY-MM-DD, Vietnam), the statement it belongs to */
    .addColumn('pay_day', 'text', (c) => c.notNull())
    /** 'applied' | 'duplicate' | 'after_window' | 'refunded' */
    .addColumn('status', 'text', (c) => c.notNull())
    /** 'ipn' | 'query' | 'reconcile' */
    .addColumn('source', 'text', (c) => c.notNull())
    /** 1: the notification came after the group's window had closed */
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('refunded_at', 'text')
    .addColumn('refunded_by', 'text')
    .addColumn('refund_reason', 'text')
    /** the gateway's answer to the refund: 'done' | 'not_sent' | 'failed: …' */
    .addColumn('refund_gateway', 'text')
    .execute();
  await db.schema.createIndex('admission_payment_txns_order').on('admission_payment_txns').columns(['order_id']).execute();
  await db.schema.createIndex('admission_payment_txns_year').on('admission_payment_txns').columns(['exam_year', 'status', 'group_code']).execute();
  await db.schema.createIndex('admission_payment_txns_day').on('admission_payment_txns').columns(['pay_day']).execute();

  await db.schema
    .createTable('admission_payment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text')
    .addColumn('gateway_txn_no', 'text')
    /** 'ipn' | 'return' | 'query' | 'reconcile' */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** the answer given ('00', '02', '04', '97' …) or what was done */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admission_payment_events_order').on('admission_payment_events').columns(['order_id', 'at']).execute();

  await db.schema
    .createTable('admission_payment_reconciliations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('statement_day', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('run_by', 'text')
    .addColumn('gateway_lines', 'integer', (c) => c.notNull())
    .addColumn('fixed', 'integer', (c) => c.notNull())
    .addColumn('flagged', 'integer', (c) => c.notNull())
    /** JSON: the differences found and what was done with each */
    .addColumn('differences', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admission_payment_reconciliations_day').on('admission_payment_reconciliations').columns(['statement_day', 'run_at']).execute();

  await db.schema
    .createTable('admission_payment_closures')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('unpaid_wishes', 'integer', (c) => c.notNull())
    .addColumn('expired_orders', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_payment_closures_pk', ['exam_year', 'group_code'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['admission_payment_closures', 'admission_payment_reconciliations', 'admission_payment_events', 'admission_payment_txns', 'admission_payment_orders']) await db.schema.dropTable(t).ifExists().execute();
}

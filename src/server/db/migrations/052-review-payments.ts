// 052: score-review fees paid online through the same gateway as admission fees (issue 22 item 6).
// admission_payment_orders gets its purpose ('admission' for the wishes' fees, 'review' for a review
// request's: wish_ids then holds the request's id, wish_count its papers, fee_per_wish_vnd the fee per
// paper, group_code 'PK'); a review order is open under open_key 'open-review', so the unique index keeps one
// open order of each purpose per candidate. review_requests gets fee_status ('at_point' when the fee is
// paid at the point, as before; 'unpaid' → 'pending' → 'paid' when paid online), with when and by which
// payment it was paid.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admission_payment_orders').addColumn('purpose', 'text', (c) => c.notNull().defaultTo('admission')).execute();
  await db.schema.alterTable('review_requests').addColumn('fee_status', 'text', (c) => c.notNull().defaultTo('at_point')).execute();
  await db.schema.alterTable('review_requests').addColumn('paid_at', 'text').execute();
  await db.schema.alterTable('review_requests').addColumn('payment_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('review_requests').dropColumn('payment_id').execute();
  await db.schema.alterTable('review_requests').dropColumn('paid_at').execute();
  await db.schema.alterTable('review_requests').dropColumn('fee_status').execute();
  await db.schema.alterTable('admission_payment_orders').dropColumn('purpose').execute();
}

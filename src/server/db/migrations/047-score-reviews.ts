// 047: score reviews (phúc khảo, issue 22 item 6). review_requests is a candidate's request (the papers
// chosen together, the fee owed, requested → withdrawn, or in review → done); review_items one paper of it
// with the mark it had when asked, the reviewed mark, the outcome and, for a changed mark, the result
// import (kind 'review') that carries it through the same staged → published path as the council's files.
// open_key is 'open' for a paper under a request that is not withdrawn (the request's id once withdrawn),
// so the unique index allows one open request per paper on both databases without a partial index.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('result_imports').addColumn('kind', 'text', (c) => c.notNull().defaultTo('file')).execute();

  await db.schema
    .createTable('review_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('point_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    /** 'requested' | 'withdrawn' | 'in_review' | 'done' */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('papers', 'integer', (c) => c.notNull())
    .addColumn('fee_per_paper_vnd', 'integer', (c) => c.notNull())
    .addColumn('fee_total_vnd', 'integer', (c) => c.notNull())
    /** how the fee is paid: 'at_point' until a payment link exists */
    .addColumn('payment', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('review_requests_department').on('review_requests').columns(['exam_year', 'department_code', 'status', 'requested_at']).execute();
  await db.schema.createIndex('review_requests_candidate').on('review_requests').columns(['candidate_id', 'exam_year']).execute();

  await db.schema
    .createTable('review_items')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    /** 'essay' | 'multiple_choice' */
    .addColumn('paper_kind', 'text', (c) => c.notNull())
    .addColumn('open_key', 'text', (c) => c.notNull())
    /** the published mark when the review was asked for */
    .addColumn('original_score_centi', 'integer', (c) => c.notNull())
    .addColumn('original_sanction', 'text')
    .addColumn('reviewed_score_centi', 'integer')
    /** null until recorded; 'unchanged' | 'changed' */
    .addColumn('outcome', 'text')
    .addColumn('new_score_centi', 'integer')
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'text')
    /** the review import carrying a changed mark (the latest one staged) */
    .addColumn('import_id', 'text')
    .addColumn('published_at', 'text')
    /** the graduation result before and after the changed mark was published */
    .addColumn('result_before', 'text')
    .addColumn('result_after', 'text')
    .addPrimaryKeyConstraint('review_items_pk', ['request_id', 'subject'])
    .execute();
  await db.schema.createIndex('review_items_open').on('review_items').columns(['exam_year', 'candidate_id', 'subject', 'open_key']).unique().execute();
  await db.schema.createIndex('review_items_department').on('review_items').columns(['exam_year', 'department_code', 'outcome']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('review_items').execute();
  await db.schema.dropTable('review_requests').execute();
  await db.schema.alterTable('result_imports').dropColumn('kind').execute();
}

// All SQL of score reviews (phúc khảo): the candidates' requests and their papers, each paper's outcome and
// the review import that carries a changed mark. Marks and results are only read here; the results feature
// writes them (through a review-kind import and its publication).
import type { Kysely } from 'kysely';
import type { DB, ReviewItemTable, ReviewRequestTable } from '../db/schema.ts';

export type RequestStatus = ReviewRequestTable['status'];

export interface ReviewItem {
  requestId: string;
  candidateId: string;
  subject: string;
  paperKind: 'essay' | 'multiple_choice';
  originalCenti: number;
  originalSanction: 'reprimand' | 'warning' | null;
  reviewedCenti: number | null;
  outcome: 'unchanged' | 'changed' | null;
  newCenti: number | null;
  recordedBy: string | null;
  recordedAt: string | null;
  importId: string | null;
  publishedAt: string | null;
  resultBefore: string | null;
  resultAfter: string | null;
}

export interface ReviewRequest {
  id: string;
  examYear: number;
  candidateId: string;
  userId: string;
  departmentCode: string;
  pointId: string;
  number: string;
  status: RequestStatus;
  feePerPaperVnd: number;
  feeTotalVnd: number;
  /** how the fee is paid: at the point, or online through the payment gateway */
  payment: 'at_point' | 'online';
  /** 'at_point' when paid at the point; online 'unpaid' → 'pending' (an order at the gateway) → 'paid' */
  feeStatus: 'at_point' | 'unpaid' | 'pending' | 'paid';
  paidAt: string | null;
  requestedAt: string;
  withdrawnAt: string | null;
  startedBy: string | null;
  startedAt: string | null;
  completedAt: string | null;
  items: ReviewItem[];
}

const sanctionOf = (s: string | null) => (s === 'reprimand' || s === 'warning' ? s : null);

function toItem(r: ReviewItemTable): ReviewItem {
  return {
    requestId: r.request_id,
    candidateId: r.candidate_id,
    subject: r.subject,
    paperKind: r.paper_kind,
    originalCenti: r.original_score_centi,
    originalSanction: sanctionOf(r.original_sanction),
    reviewedCenti: r.reviewed_score_centi,
    outcome: r.outcome,
    newCenti: r.new_score_centi,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    importId: r.import_id,
    publishedAt: r.published_at,
    resultBefore: r.result_before,
    resultAfter: r.result_after,
  };
}

function toRequest(r: ReviewRequestTable, items: ReviewItem[]): ReviewRequest {
  return {
    id: r.id,
    examYear: r.exam_year,
    candidateId: r.candidate_id,
    userId: r.user_id,
    departmentCode: r.department_code,
    pointId: r.point_id,
    number: r.number,
    status: r.status,
    feePerPaperVnd: r.fee_per_paper_vnd,
    feeTotalVnd: r.fee_total_vnd,
    payment: r.payment,
    feeStatus: r.fee_status,
    paidAt: r.paid_at,
    requestedAt: r.requested_at,
    withdrawnAt: r.withdrawn_at,
    startedBy: r.started_by,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    items,
  };
}

async function withItems(db: Kysely<DB>, rows: ReviewRequestTable[]): Promise<ReviewRequest[]> {
  if (rows.length === 0) return [];
  const items = await db
    .selectFrom('review_items')
    .selectAll()
    .where(
      'request_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('subject')
    .execute();
  const by = new Map<string, ReviewItem[]>();
  for (const i of items) by.set(i.request_id, [...(by.get(i.request_id) ?? []), toItem(i)]);
  return rows.map((r) => toRequest(r, by.get(r.id) ?? []));
}

/** When the council's marks were first published (the review window counts from it). */
export async function firstPublishedAt(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<Date | null> {
  const r = await db
    .selectFrom('result_imports')
    .select((eb) => eb.fn.min('published_at').as('at'))
    .where('exam_year', '=', examYear)
    .where('department_code', '=', departmentCode)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return r?.at ? new Date(String(r.at)) : null;
}

/** The candidate's current number, point and department (null when not numbered). */
export async function numberedCandidate(db: Kysely<DB>, examYear: number, candidateId: string): Promise<{ number: string; pointId: string; departmentCode: string; userId: string } | undefined> {
  return db
    .selectFrom('candidate_numbers as n')
    .innerJoin('candidates as c', 'c.id', 'n.candidate_id')
    .select(['n.number as number', 'c.point_id as pointId', 'n.department_code as departmentCode', 'c.user_id as userId'])
    .where('n.exam_year', '=', examYear)
    .where('n.candidate_id', '=', candidateId)
    .where('n.withdrawn', '=', 0)
    .executeTakeFirst();
}

/** The papers of the candidate under a request that is not withdrawn. */
export async function openSubjects(db: Kysely<DB>, examYear: number, candidateId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('review_items').select('subject').where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).where('open_key', '=', 'open').execute();
  return new Set(rows.map((r) => r.subject));
}

export async function insertRequest(trx: Kysely<DB>, r: Omit<ReviewRequest, 'items' | 'withdrawnAt' | 'startedBy' | 'startedAt' | 'completedAt' | 'paidAt'>, items: ReadonlyArray<Pick<ReviewItem, 'subject' | 'paperKind' | 'originalCenti' | 'originalSanction'>>): Promise<void> {
  await trx
    .insertInto('review_requests')
    .values({
      id: r.id,
      exam_year: r.examYear,
      candidate_id: r.candidateId,
      user_id: r.userId,
      department_code: r.departmentCode,
      point_id: r.pointId,
      number: r.number,
      status: r.status,
      papers: items.length,
      fee_per_paper_vnd: r.feePerPaperVnd,
      fee_total_vnd: r.feeTotalVnd,
      payment: r.payment,
      fee_status: r.feeStatus,
      paid_at: null,
      payment_id: null,
      requested_at: r.requestedAt,
    })
    .execute();
  await trx
    .insertInto('review_items')
    .values(
      items.map((i) => ({
        request_id: r.id,
        exam_year: r.examYear,
        candidate_id: r.candidateId,
        department_code: r.departmentCode,
        subject: i.subject,
        paper_kind: i.paperKind,
        open_key: 'open',
        original_score_centi: i.originalCenti,
        original_sanction: i.originalSanction,
      })),
    )
    .execute();
}

export async function findRequest(db: Kysely<DB>, id: string): Promise<ReviewRequest | undefined> {
  const r = await db.selectFrom('review_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? (await withItems(db, [r]))[0] : undefined;
}

export async function requestsOfCandidate(db: Kysely<DB>, examYear: number, candidateId: string): Promise<ReviewRequest[]> {
  const rows = await db.selectFrom('review_requests').selectAll().where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).orderBy('requested_at', 'desc').orderBy('id').execute();
  return withItems(db, rows);
}

/** The department's requests, oldest first, optionally of one status, a page at a time. */
export async function listRequests(db: Kysely<DB>, examYear: number, departmentCode: string, opts: { status?: RequestStatus; offset: number; limit: number }): Promise<{ total: number; items: ReviewRequest[] }> {
  let q = db.selectFrom('review_requests').where('exam_year', '=', examYear).where('department_code', '=', departmentCode);
  if (opts.status) q = q.where('status', '=', opts.status);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    q.selectAll().orderBy('requested_at').orderBy('id').offset(opts.offset).limit(opts.limit).execute(),
  ]);
  return { total: Number(count?.n ?? 0), items: await withItems(db, rows) };
}

/**
 * requested → withdrawn (only before the department starts it, and not once its fee is paid online: a paid
 * request goes to the department); its papers may be asked for again.
 */
export async function withdrawRequest(trx: Kysely<DB>, id: string, now: Date): Promise<boolean> {
  const r = await trx.updateTable('review_requests').set({ status: 'withdrawn', withdrawn_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'requested').where('fee_status', '!=', 'paid').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await trx.updateTable('review_items').set({ open_key: id }).where('request_id', '=', id).execute();
  return true;
}

/** requested → in_review, once its fee is paid (at the point, or online): the candidate can no longer withdraw it. */
export async function startRequest(trx: Kysely<DB>, id: string, by: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('review_requests')
    .set({ status: 'in_review', started_by: by, started_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .where('fee_status', 'in', ['at_point', 'paid'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An online fee: an order opened at the gateway (unpaid → pending). */
export async function markFeePending(trx: Kysely<DB>, id: string): Promise<void> {
  await trx.updateTable('review_requests').set({ fee_status: 'pending' }).where('id', '=', id).where('fee_status', 'in', ['unpaid', 'pending']).execute();
}

/** An online fee whose order was superseded by another request's (pending → unpaid). */
export async function markFeeUnpaid(trx: Kysely<DB>, id: string): Promise<void> {
  await trx.updateTable('review_requests').set({ fee_status: 'unpaid' }).where('id', '=', id).where('fee_status', '=', 'pending').execute();
}

/** An online fee paid (a verified payment): once; false when it was paid already or is not online. */
export async function markFeePaid(trx: Kysely<DB>, id: string, paidAt: string, paymentId: string): Promise<boolean> {
  const r = await trx.updateTable('review_requests').set({ fee_status: 'paid', paid_at: paidAt, payment_id: paymentId }).where('id', '=', id).where('fee_status', 'in', ['unpaid', 'pending']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A paper's outcome, once. */
export async function recordOutcome(trx: Kysely<DB>, requestId: string, subject: string, o: { reviewedCenti: number; outcome: 'unchanged' | 'changed'; newCenti: number; by: string; now: Date }): Promise<boolean> {
  const r = await trx
    .updateTable('review_items')
    .set({ reviewed_score_centi: o.reviewedCenti, outcome: o.outcome, new_score_centi: o.newCenti, recorded_by: o.by, recorded_at: o.now.toISOString() })
    .where('request_id', '=', requestId)
    .where('subject', '=', subject)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** in_review → done once every paper is unchanged or its changed mark published. */
export async function completeIfDone(trx: Kysely<DB>, requestId: string, now: Date): Promise<boolean> {
  const items = await trx.selectFrom('review_items').select(['outcome', 'published_at']).where('request_id', '=', requestId).execute();
  const done = items.length > 0 && items.every((i) => i.outcome === 'unchanged' || (i.outcome === 'changed' && i.published_at !== null));
  if (!done) return false;
  const r = await trx.updateTable('review_requests').set({ status: 'done', completed_at: now.toISOString() }).where('id', '=', requestId).where('status', '=', 'in_review').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface PendingChange {
  requestId: string;
  candidateId: string;
  number: string;
  subject: string;
  newCenti: number;
}

/** Changed marks of the department not yet published and not in a staged import (never staged, or superseded). */
export async function pendingChanges(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<PendingChange[]> {
  const rows = await db
    .selectFrom('review_items as i')
    .innerJoin('review_requests as r', 'r.id', 'i.request_id')
    .leftJoin('result_imports as m', 'm.id', 'i.import_id')
    .select(['i.request_id', 'i.candidate_id', 'r.number', 'i.subject', 'i.new_score_centi'])
    .where('i.exam_year', '=', examYear)
    .where('i.department_code', '=', departmentCode)
    .where('i.outcome', '=', 'changed')
    .where('i.published_at', 'is', null)
    .where((eb) => eb.or([eb('i.import_id', 'is', null), eb('m.status', '=', 'superseded')]))
    .orderBy('r.number')
    .orderBy('i.subject')
    .execute();
  return rows.map((r) => ({ requestId: r.request_id, candidateId: r.candidate_id, number: r.number, subject: r.subject, newCenti: r.new_score_centi ?? 0 }));
}

export async function setItemsImport(trx: Kysely<DB>, keys: ReadonlyArray<{ requestId: string; subject: string }>, importId: string): Promise<void> {
  for (const k of keys) await trx.updateTable('review_items').set({ import_id: importId }).where('request_id', '=', k.requestId).where('subject', '=', k.subject).execute();
}

export async function itemsOfImport(db: Kysely<DB>, importId: string): Promise<Array<ReviewItem & { userId: string }>> {
  const rows = await db.selectFrom('review_items as i').innerJoin('review_requests as r', 'r.id', 'i.request_id').selectAll('i').select('r.user_id').where('i.import_id', '=', importId).execute();
  return rows.map((r) => ({ ...toItem(r), userId: r.user_id }));
}

export async function markItemPublished(trx: Kysely<DB>, requestId: string, subject: string, at: { now: Date; before: string | null; after: string | null }): Promise<void> {
  await trx
    .updateTable('review_items')
    .set({ published_at: at.now.toISOString(), result_before: at.before, result_after: at.after })
    .where('request_id', '=', requestId)
    .where('subject', '=', subject)
    .execute();
}

/** The graduation status of each candidate (what a review changed is shown before → after). */
export async function resultStatuses(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, string>> {
  if (candidateIds.length === 0) return new Map();
  const rows = await db.selectFrom('exam_results').select(['candidate_id', 'status']).where('exam_year', '=', examYear).where('candidate_id', 'in', [...candidateIds]).execute();
  return new Map(rows.map((r) => [r.candidate_id, r.status]));
}

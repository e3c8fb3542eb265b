// Score reviews (phúc khảo, issue 22 item 6): a candidate asks for a review of chosen papers within the
// council's review window and may withdraw it until the department starts it; the department lists the
// requests, records each paper's reviewed mark and sends the changed marks for checking as a review import
// (published by a second officer through the results API). Shared by the server, the browser and the
// OpenAPI document.
import { z } from 'zod';
import { id } from './common.ts';
import { operation } from './operation.ts';
import { markShape } from './results.ts';
import { orderShape } from './payments.ts';

const tags = ['reviews'] as const;

const subject = z.string().trim().min(1).max(20);
export const requestStatus = z.enum(['requested', 'withdrawn', 'in_review', 'done']);

export const reviewItemShape = z.object({
  subject: z.string(),
  paperKind: z.enum(['essay', 'multiple_choice']),
  /** the published mark when the review was asked for */
  original: markShape,
  /** the mark the review board gave (null until recorded) */
  reviewedScore: z.number().nullable(),
  /** null: not yet reviewed; unchanged; changed (published once publishedAt is set) */
  outcome: z.enum(['unchanged', 'changed']).nullable(),
  /** the mark after review (null until recorded) */
  new: markShape,
  recordedBy: z.string().nullable(),
  recordedAt: z.string().nullable(),
  importId: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** the graduation result before and after the changed mark was published */
  resultBefore: z.string().nullable(),
  resultAfter: z.string().nullable(),
});

export const reviewRequestShape = z.object({
  id: z.string(),
  examYear: z.number().int(),
  number: z.string(),
  status: requestStatus,
  feePerPaperVnd: z.number().int(),
  feeTotalVnd: z.number().int(),
  /** online: paid through the payment gateway (the department starts it once paid); at_point: paid at the point */
  payment: z.enum(['online', 'at_point']),
  /** at_point; or, online: unpaid → pending (an order open at the gateway) → paid (on the gateway's verified word) */
  feeStatus: z.enum(['at_point', 'unpaid', 'pending', 'paid']),
  paidAt: z.string().nullable(),
  requestedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  items: z.array(reviewItemShape),
});

export const ownReviewsResponse = z.object({
  examYear: z.number().int(),
  number: z.string().nullable(),
  window: z.object({ from: z.string(), to: z.string(), opensAt: z.string().nullable(), closesAt: z.string().nullable() }).nullable(),
  windowState: z.enum(['not_open', 'open', 'closed']),
  feePerPaperVnd: z.number().int(),
  /** how the fee of a request sent now is paid: online (the year pays online and the gateway is configured) or at the point */
  payment: z.enum(['online', 'at_point']),
  papers: z.array(z.object({ subject: z.string(), mark: markShape, kind: z.enum(['essay', 'multiple_choice']), reviewable: z.boolean(), requested: z.boolean() })),
  requests: z.array(reviewRequestShape),
  /** a payment started at the gateway and not yet confirmed: its order (for the return page) and request */
  openOrder: z.object({ id: z.string(), requestId: z.string() }).nullable(),
});

export const requestReviewBody = z.strictObject({ subjects: z.array(subject).min(1).max(10) });
export const requestParams = z.strictObject({ requestId: id });
export const departmentParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/) });
export const departmentRequestParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/), requestId: id });
export const outcomeParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/), requestId: id, subject: z.string().min(1).max(20) });
export const outcomeBody = z.strictObject({ reviewedMark: z.string().trim().min(1).max(10) });
export const listQuery = z.strictObject({ status: requestStatus.optional(), page: z.coerce.number().int().min(1).max(100_000).optional() });

export const departmentRequestShape = reviewRequestShape.extend({ candidateId: z.string(), pointId: z.string(), startedBy: z.string().nullable() });
export const listResponse = z.object({
  examYear: z.number().int(),
  /** the council's review window now: once closed, a request whose fee was not paid online is not handled */
  windowState: z.enum(['not_open', 'open', 'closed']),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(departmentRequestShape),
});
export const stagedResponse = z.object({ importId: z.string(), version: z.number().int(), changed: z.number().int() });

export const getOwnReviews = operation({ method: 'GET', path: '/api/reviews/own', tags, summary: 'The signed-in candidate’s papers, the review window and fee, and their review requests', responses: { 200: ownReviewsResponse } });
export const requestReview = operation({
  method: 'POST',
  path: '/api/reviews/own',
  tags,
  summary: 'Ask for a review of chosen papers (each with a published score, one open request per paper, within the window); the fee is then paid online (POST …/pay) when the year pays online (its default) and the payment gateway is configured, else owed and paid at the point (audited)',
  body: requestReviewBody,
  responses: { 201: reviewRequestShape },
});
export const payReviewResponse = z.object({ order: orderShape, payUrl: z.string(), request: reviewRequestShape });
export const payReview = operation({
  method: 'POST',
  path: '/api/reviews/own/:requestId/pay',
  tags,
  summary: 'The payment order for a review request’s fee and the gateway URL to pay it, within the review window (the same open order while it is for the same request; audited). The request is paid only on the gateway’s verified notification.',
  params: requestParams,
  responses: { 201: payReviewResponse },
});
export const withdrawReview = operation({
  method: 'POST',
  path: '/api/reviews/own/:requestId/withdraw',
  tags,
  summary: 'Withdraw a request the department has not started and whose fee is not paid online (audited)',
  params: requestParams,
  responses: { 200: reviewRequestShape },
});
export const listRequests = operation({
  method: 'GET',
  path: '/api/reviews/departments/:departmentCode/requests',
  tags,
  summary: 'The council’s review requests, oldest first, by status, 50 a page (audited as a read of personal data)',
  params: departmentParams,
  query: listQuery,
  responses: { 200: listResponse },
});
export const startReview = operation({
  method: 'POST',
  path: '/api/reviews/departments/:departmentCode/requests/:requestId/start',
  tags,
  summary: 'Start a request: the candidate can no longer withdraw it (audited)',
  params: departmentRequestParams,
  responses: { 200: departmentRequestShape },
});
export const recordOutcome = operation({
  method: 'POST',
  path: '/api/reviews/departments/:departmentCode/requests/:requestId/papers/:subject/outcome',
  tags,
  summary: 'Record a paper’s reviewed mark: an essay changes at a difference of 0.25 or more, a multiple-choice paper whenever the re-mark differs; an unchanged mark is told to the candidate at once (audited)',
  params: outcomeParams,
  body: outcomeBody,
  responses: { 200: departmentRequestShape },
});
export const stageChanges = operation({
  method: 'POST',
  path: '/api/reviews/departments/:departmentCode/stage',
  tags,
  summary: 'Send the changed marks for checking: staged as the council’s next version (a review import) for a second officer to publish through the results API, which recomputes graduation and tells the candidates (audited)',
  params: departmentParams,
  responses: { 201: stagedResponse },
});

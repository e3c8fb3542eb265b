// The score reviews API (issue 22, item 6): thin handlers over candidate-reviews.ts and
// department-reviews.ts, registered from src/contracts/reviews.ts, each answer an explicit mapping.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/reviews.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { formatMark, type StoredMark } from '../../domain/exam-marks.ts';
import { ownReviews, requestReview, withdrawReview } from './candidate-reviews.ts';
import { listReviewRequests, recordReviewOutcome, stageReviewChanges, startReview } from './department-reviews.ts';
import type { ReviewItem, ReviewRequest } from './reviews.repository.ts';
import { payReviewFee } from './review-fees.ts';
import { paymentGateway, type PaymentGateway } from '../payments/gateway-client.ts';
import { presentOrder } from '../payments/routes.ts';
import '../http/route-access.ts';

const presentMark = (m: StoredMark | null): z.infer<typeof c.reviewItemShape>['original'] =>
  m === null ? null : { kind: m.kind, score: m.kind === 'score' ? m.centi / 100 : null, sanction: m.kind === 'score' ? m.sanction : null, ...formatMark(m) };
const score = (centi: number, sanction: ReviewItem['originalSanction']): StoredMark => ({ kind: 'score', centi, sanction });

const presentItem = (i: ReviewItem): z.infer<typeof c.reviewItemShape> => ({
  subject: i.subject,
  paperKind: i.paperKind,
  original: presentMark(score(i.originalCenti, i.originalSanction)),
  reviewedScore: i.reviewedCenti === null ? null : i.reviewedCenti / 100,
  outcome: i.outcome,
  new: i.newCenti === null ? null : presentMark(score(i.newCenti, i.originalSanction)),
  recordedBy: i.recordedBy,
  recordedAt: i.recordedAt,
  importId: i.importId,
  publishedAt: i.publishedAt,
  resultBefore: i.resultBefore,
  resultAfter: i.resultAfter,
});

const presentRequest = (r: ReviewRequest): z.infer<typeof c.reviewRequestShape> => ({
  id: r.id,
  examYear: r.examYear,
  number: r.number,
  status: r.status,
  feePerPaperVnd: r.feePerPaperVnd,
  feeTotalVnd: r.feeTotalVnd,
  payment: r.payment,
  feeStatus: r.feeStatus,
  paidAt: r.paidAt,
  requestedAt: r.requestedAt,
  withdrawnAt: r.withdrawnAt,
  startedAt: r.startedAt,
  completedAt: r.completedAt,
  items: r.items.map(presentItem),
});
const presentForDepartment = (r: ReviewRequest): z.infer<typeof c.departmentRequestShape> => ({ ...presentRequest(r), candidateId: r.candidateId, pointId: r.pointId, startedBy: r.startedBy });

export async function reviewsRoutes(app: FastifyInstance, s: Services, gateway: PaymentGateway | null = paymentGateway(s.config)): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const own = { access: 'action', action: 'review.request' } as const;
  const manage = { access: 'action', action: 'review.manage' } as const;

  r.route({
    ...routeOf(c.getOwnReviews),
    config: own,
    handler: async (req) => {
      const o = await ownReviews(ctxOf(s, req), { online: gateway !== null });
      return {
        examYear: o.examYear,
        number: o.number,
        window: o.window ? { from: o.window.from, to: o.window.to, opensAt: o.window.opensAt ?? null, closesAt: o.window.closesAt ?? null } : null,
        windowState: o.windowState,
        feePerPaperVnd: o.config.feePerPaperVnd,
        payment: o.payment,
        papers: o.papers.map((p) => ({ subject: p.subject, mark: presentMark(p.mark), kind: p.kind, reviewable: p.mark.kind === 'score' && !p.requested, requested: p.requested })),
        requests: o.requests.map(presentRequest),
        openOrder: o.openOrder,
      };
    },
  });
  r.route({ ...routeOf(c.requestReview), config: own, handler: async (req, reply) => reply.status(201).send(presentRequest(await requestReview(ctxOf(s, req), req.body.subjects, { online: gateway !== null }))) });
  r.route({
    ...routeOf(c.payReview),
    config: own,
    handler: async (req, reply) => {
      const x = await payReviewFee(ctxOf(s, req), gateway, req.params.requestId);
      return reply.status(201).send({ order: presentOrder(x.order), payUrl: x.payUrl, request: presentRequest(x.request) });
    },
  });
  r.route({ ...routeOf(c.withdrawReview), config: own, handler: async (req) => presentRequest(await withdrawReview(ctxOf(s, req), req.params.requestId)) });

  r.route({
    ...routeOf(c.listRequests),
    config: manage,
    handler: async (req) => {
      const o = await listReviewRequests(ctxOf(s, req), req.params.departmentCode, { ...(req.query.status ? { status: req.query.status } : {}), page: req.query.page ?? 1 });
      return { examYear: o.examYear, windowState: o.windowState, total: o.total, page: o.page, pageSize: o.pageSize, items: o.items.map(presentForDepartment) };
    },
  });
  r.route({ ...routeOf(c.startReview), config: manage, handler: async (req) => presentForDepartment(await startReview(ctxOf(s, req), req.params.departmentCode, req.params.requestId)) });
  r.route({
    ...routeOf(c.recordOutcome),
    config: manage,
    handler: async (req) => presentForDepartment(await recordReviewOutcome(ctxOf(s, req), req.params.departmentCode, req.params.requestId, req.params.subject, req.body.reviewedMark)),
  });
  r.route({
    ...routeOf(c.stageChanges),
    config: manage,
    handler: async (req, reply) => {
      const imp = await stageReviewChanges(ctxOf(s, req), req.params.departmentCode);
      return reply.status(201).send({ importId: imp.id, version: imp.version, changed: imp.changed });
    },
  });
}

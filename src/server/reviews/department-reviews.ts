// The department's side of score reviews (phúc khảo): the council's requests by status, starting one (the
// candidate can no longer withdraw it), recording each paper's reviewed mark (the outcome rule is
// src/domain/score-review.ts), and sending the changed marks for checking as a review-kind result import.
// A changed mark reaches exam_marks only when a second officer publishes that import (results/publish.ts,
// four eyes), which recomputes graduation and calls finishReviewedMarks below. Everything is audited.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { newId } from '../ids.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { notifyJob } from '../notifications/notify.ts';
import { DEFAULT_MARK_STEP, formatMark, type StoredMark } from '../../domain/exam-marks.ts';
import { graduationRuleFor } from '../../domain/graduation.ts';
import { parseReviewedMark, reviewConfigOf, reviewOutcome, reviewWindow, reviewWindowState, type WindowState } from '../../domain/score-review.ts';
import { authorizeDepartment } from '../results/marks-import.ts';
import { graduationRefs } from '../results/compute.ts';
import { insertResultImport, marksOf, nextImportVersion, publishedVersion, verifiedDossiers, type ResultImport, type StagedRow } from '../results/results.repository.ts';
import {
  completeIfDone, findRequest, firstPublishedAt, itemsOfImport, listRequests, markItemPublished, pendingChanges, recordOutcome, resultStatuses, setItemsImport, startRequest,
  type RequestStatus, type ReviewRequest,
} from './reviews.repository.ts';

export const PAGE_SIZE = 50;

export async function listReviewRequests(
  ctx: Ctx,
  departmentCode: string,
  opts: { status?: RequestStatus; page: number },
): Promise<{ examYear: number; windowState: WindowState; total: number; page: number; pageSize: number; items: ReviewRequest[] }> {
  authorizeDepartment(ctx, 'review.manage', departmentCode);
  const year = await requireYear(ctx.db);
  const [out, first] = await Promise.all([
    listRequests(ctx.db.read, year.year, departmentCode, { ...(opts.status ? { status: opts.status } : {}), offset: (opts.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    firstPublishedAt(ctx.db.read, year.year, departmentCode),
  ]);
  const windowState = reviewWindowState(reviewWindow(reviewConfigOf(year.rules), first), ctx.now);
  if (out.items.length > 0) {
    // candidate numbers and marks of named candidates: a read of personal data
    await ctx.db.write((trx) =>
      appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'review_requests', targetId: departmentCode, departmentCode, ip: ctx.ip, details: { document: 'review_requests', status: opts.status ?? null, page: opts.page, count: out.items.length } }, ctx.now),
    );
  }
  return { examYear: year.year, windowState, total: out.total, page: opts.page, pageSize: PAGE_SIZE, items: out.items };
}

async function requestOf(ctx: Ctx, departmentCode: string, requestId: string): Promise<ReviewRequest> {
  authorizeDepartment(ctx, 'review.manage', departmentCode);
  const r = await findRequest(ctx.db.read, requestId);
  if (!r || r.departmentCode !== departmentCode) throw AppError.notFound('review request');
  return r;
}

const notStatus = (r: ReviewRequest, want: string) =>
  new AppError('CONFLICT', `Đơn phúc khảo không ở trạng thái phù hợp (${r.status}).`, `The review request is not in the right state (${r.status}; expected ${want}).`, { code: 'REVIEW_WRONG_STATUS', details: { status: r.status } });

export async function startReview(ctx: Ctx, departmentCode: string, requestId: string): Promise<ReviewRequest> {
  const r = await requestOf(ctx, departmentCode, requestId);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  if (r.status === 'requested' && r.payment === 'online' && r.feeStatus !== 'paid')
    throw new AppError('CONFLICT', 'Thí sinh chưa nộp lệ phí phúc khảo trực tuyến: chưa xử lý được đơn.', 'The candidate has not paid the review fee online yet: the request cannot be started.', { code: 'REVIEW_FEE_UNPAID', details: { feeStatus: r.feeStatus } });
  return ctx.db.write(async (trx) => {
    if (!(await startRequest(trx, requestId, actor.userId, ctx.now))) throw notStatus(r, 'requested');
    await appendAudit(trx, { action: 'review.started', actor, targetType: 'review_request', targetId: requestId, departmentCode, ip: ctx.ip, details: { subjects: r.items.map((i) => i.subject) } }, ctx.now);
    return (await findRequest(trx, requestId))!;
  });
}

const fmt = (centi: number, sanction: Extract<StoredMark, { kind: 'score' }>['sanction']) => formatMark({ kind: 'score', centi, sanction });

async function subjectNames(db: Kysely<DB>): Promise<Map<string, { vi: string; en: string }>> {
  const refs = await graduationRefs(db);
  return new Map(refs.subjects.map((s) => [s.code, { vi: s.vi, en: s.en }]));
}

/** A paper's reviewed mark: unchanged (the candidate is told) or changed (awaiting the review import). */
export async function recordReviewOutcome(ctx: Ctx, departmentCode: string, requestId: string, subject: string, reviewedMark: string): Promise<ReviewRequest> {
  const r = await requestOf(ctx, departmentCode, requestId);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  if (r.status !== 'in_review') throw notStatus(r, 'in_review');
  const item = r.items.find((i) => i.subject === subject);
  if (!item) throw AppError.notFound('paper of the review request');
  if (item.outcome !== null) {
    throw new AppError('CONFLICT', 'Kết quả phúc khảo bài thi này đã được ghi.', 'The outcome of this paper has already been recorded.', { code: 'REVIEW_OUTCOME_RECORDED' });
  }
  const config = reviewConfigOf((await requireYear(ctx.db)).rules);
  // the paper's mark step (a re-marked multiple-choice paper lands on it)
  const dossier = (await verifiedDossiers(ctx.db.read, r.examYear, [r.candidateId])).get(r.candidateId);
  const refs = await graduationRefs(ctx.db.read);
  const programme = dossier?.programme === 'CT2006' ? 'CT2006' : 'CT2018';
  const rule = graduationRuleFor(refs.graduation, r.examYear, programme);
  const step = Math.round((rule?.markStepBySubject?.[subject] ?? rule?.markStep ?? DEFAULT_MARK_STEP) * 100);
  const parsed = parseReviewedMark(reviewedMark, item.paperKind, step);
  if (!parsed.ok) throw AppError.validation([parsed.finding]);
  const original = { kind: 'score' as const, centi: item.originalCenti, sanction: item.originalSanction };
  const o = reviewOutcome(item.paperKind, original, parsed.centi, config.essayThresholdCenti);
  const newCenti = o.mark.kind === 'score' ? o.mark.centi : item.originalCenti;
  const names = o.changed ? null : await subjectNames(ctx.db.read);
  return ctx.db.write(async (trx) => {
    if (!(await recordOutcome(trx, requestId, subject, { reviewedCenti: parsed.centi, outcome: o.changed ? 'changed' : 'unchanged', newCenti, by: actor.userId, now: ctx.now }))) {
      throw new AppError('CONFLICT', 'Kết quả phúc khảo bài thi này đã được ghi.', 'The outcome of this paper has already been recorded.', { code: 'REVIEW_OUTCOME_RECORDED' });
    }
    await appendAudit(
      trx,
      {
        action: 'review.outcome_recorded',
        actor,
        targetType: 'review_request',
        targetId: requestId,
        departmentCode,
        ip: ctx.ip,
        details: { subject, paperKind: item.paperKind, originalCenti: item.originalCenti, reviewedCenti: parsed.centi, outcome: o.changed ? 'changed' : 'unchanged', newCenti },
      },
      ctx.now,
    );
    if (!o.changed) {
      const name = names?.get(subject);
      const old = fmt(item.originalCenti, item.originalSanction);
      await enqueueJobs(trx, [notifyJob('review.outcome', r.userId, `${requestId}:${subject}`, { subject: name?.vi ?? subject, subjectEn: name?.en ?? subject, old: old.vi, changed: 'no' })], ctx.now);
      await completeIfDone(trx, requestId, ctx.now);
    }
    return (await findRequest(trx, requestId))!;
  });
}

/**
 * The changed marks not yet on their way, as the council's next version (kind 'review'): one row per
 * paper, old → new against the published mark, staged for a second officer to publish.
 */
export async function stageReviewChanges(ctx: Ctx, departmentCode: string): Promise<ResultImport> {
  authorizeDepartment(ctx, 'review.manage', departmentCode);
  authorizeDepartment(ctx, 'results.upload', departmentCode);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  const year = await requireYear(ctx.db);
  return ctx.db.write(async (trx) => {
    const pending = await pendingChanges(trx, year.year, departmentCode);
    const marks = await marksOf(
      trx,
      year.year,
      pending.map((p) => p.candidateId),
    );
    const rows: StagedRow[] = [];
    const carried: Array<{ requestId: string; subject: string }> = [];
    for (const p of pending) {
      const old = marks.get(p.candidateId)?.[p.subject];
      if (!old || old.kind !== 'score') continue; // the mark left the council's file since: nothing to change
      carried.push({ requestId: p.requestId, subject: p.subject });
      if (old.centi === p.newCenti) continue;
      rows.push({ row: rows.length + 1, number: p.number, change: { change: 'changed', candidateId: p.candidateId, subject: p.subject, old, mark: { kind: 'score', centi: p.newCenti, sanction: old.sanction } } });
    }
    if (rows.length === 0) {
      throw new AppError('CONFLICT', 'Không có điểm phúc khảo thay đổi nào đang chờ gửi kiểm tra.', 'No changed review marks are waiting to be sent for checking.', { code: 'REVIEW_NOTHING_TO_STAGE' });
    }
    const base = await publishedVersion(trx, year.year, departmentCode);
    const imp: ResultImport = {
      id: newId(),
      examYear: year.year,
      departmentCode,
      version: await nextImportVersion(trx, year.year, departmentCode),
      status: 'staged',
      kind: 'review',
      fileName: `phuc-khao-${year.year}-${departmentCode}`,
      subjects: [...new Set(rows.map((r) => r.change.subject))].sort(),
      baseVersion: base,
      totalRows: rows.length,
      validRows: rows.length,
      errorRows: 0,
      added: 0,
      changed: rows.length,
      removed: 0,
      unchanged: 0,
      uploadedBy: actor.userId,
      uploadedAt: ctx.now.toISOString(),
      publishedBy: null,
      publishedAt: null,
      resultsComputed: null,
    };
    await insertResultImport(trx, imp, [], rows);
    await setItemsImport(trx, carried, imp.id);
    await appendAudit(trx, { action: 'results.import_staged', actor, targetType: 'result_import', targetId: imp.id, departmentCode, ip: ctx.ip, details: { kind: 'review', version: imp.version, changed: rows.length } }, ctx.now);
    return imp;
  });
}

/**
 * Inside the publication of a review import (results/publish.ts), after the marks are written and the
 * results recomputed: each paper it carried is marked published with the graduation result before and
 * after, the candidate is told (one job per paper), and requests with every paper settled are done.
 */
export async function finishReviewedMarks(trx: Kysely<DB>, imp: Pick<ResultImport, 'id' | 'examYear'>, before: ReadonlyMap<string, string>, now: Date): Promise<number> {
  const items = await itemsOfImport(trx, imp.id);
  if (items.length === 0) return 0;
  const after = await resultStatuses(
    trx,
    imp.examYear,
    items.map((i) => i.candidateId),
  );
  const names = await subjectNames(trx);
  const jobs = [];
  for (const i of items) {
    await markItemPublished(trx, i.requestId, i.subject, { now, before: before.get(i.candidateId) ?? null, after: after.get(i.candidateId) ?? null });
    const name = names.get(i.subject);
    jobs.push(
      notifyJob('review.outcome', i.userId, `${i.requestId}:${i.subject}`, {
        subject: name?.vi ?? i.subject,
        subjectEn: name?.en ?? i.subject,
        old: fmt(i.originalCenti, i.originalSanction).vi,
        new: fmt(i.newCenti ?? i.originalCenti, i.originalSanction).vi,
        changed: 'yes',
      }),
    );
  }
  await enqueueJobs(trx, jobs, now);
  for (const id of new Set(items.map((i) => i.requestId))) await completeIfDone(trx, id, now);
  return items.length;
}

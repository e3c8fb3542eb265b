// Publishing a staged import of the council's marks: the four-eyes rule (a second officer of the
// department, never the one who uploaded it), then only the rows that differ from the published marks are
// written, and the graduation results of every candidate they touch (and of those whose school averages
// arrived since their result) are computed and stored with the new version, in one transaction. An import
// staged against an older version cannot be published: the difference it showed is no longer true.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { authorizeDepartment } from './marks-import.ts';
import { computeResults, type ComputeSummary } from './compute.ts';
import { finishReviewedMarks } from '../reviews/department-reviews.ts';
import { resultStatuses } from '../reviews/reviews.repository.ts';
import { refreshCouncilStats } from '../results-stats/refresh.ts';
import { forgetResultsMorning } from './morning.ts';
import { applyMarkChanges, findResultImport, markImportPublished, publishedVersion, resultsBehindAverages, setResultsComputed, supersedeStaged } from './results.repository.ts';

export interface PublishOutcome {
  version: number;
  added: number;
  changed: number;
  removed: number;
  /** other staged imports, now out of date */
  superseded: number;
  results: ComputeSummary;
}

function notStaged(status: string): AppError {
  return new AppError('CONFLICT', 'Bản điểm này đã được công bố hoặc đã bị thay thế.', 'This import has already been published or was superseded.', { code: 'RESULTS_NOT_STAGED', details: { status } });
}

export async function publishMarksImport(ctx: Ctx, departmentCode: string, importId: string): Promise<PublishOutcome> {
  authorizeDepartment(ctx, 'results.publish', departmentCode);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const actor = ctx.actor;
  const year = await requireYear(ctx.db);
  const imp = await findResultImport(ctx.db.read, importId);
  if (!imp || imp.departmentCode !== departmentCode || imp.examYear !== year.year) throw AppError.notFound('result import');
  if (imp.status !== 'staged') throw notStaged(imp.status);
  if (imp.uploadedBy === actor.userId) {
    // the refusal is recorded: the four-eyes rule is the control an auditor asks about
    await ctx.db.write((trx) =>
      appendAudit(trx, { action: 'results.publish_refused', actor, targetType: 'result_import', targetId: imp.id, departmentCode, ip: ctx.ip, details: { version: imp.version, reason: 'uploader' } }, ctx.now),
    );
    throw new AppError('FORBIDDEN', 'Người tải tệp điểm lên không được tự công bố: cần một cán bộ khác của sở kiểm tra và công bố.', 'The officer who uploaded the marks may not publish them: another officer of the department must check and publish them.', {
      code: 'FOUR_EYES_REQUIRED',
    });
  }
  const out = await ctx.db.write(async (trx) => {
    const current = await publishedVersion(trx, year.year, departmentCode);
    if (current !== imp.baseVersion) {
      throw new AppError('CONFLICT', 'Đã có bản điểm khác được công bố sau khi tệp này được tải lên: hãy tải lại tệp để xem lại thay đổi.', 'Another import was published after this one was uploaded: upload the file again to see the changes afresh.', {
        code: 'RESULTS_STALE',
        details: { baseVersion: imp.baseVersion, publishedVersion: current },
      });
    }
    if (!(await markImportPublished(trx, imp.id, actor.userId, ctx.now))) throw notStaged('published');
    const superseded = await supersedeStaged(trx, year.year, departmentCode);
    const touched = await applyMarkChanges(trx, imp, ctx.now);
    const behind = await resultsBehindAverages(trx, year.year, departmentCode);
    const affected = [...new Set([...touched, ...behind])];
    // a review import (phúc khảo) keeps each candidate's result before the change beside the reviewed paper
    const before = imp.kind === 'review' ? await resultStatuses(trx, year.year, touched) : null;
    const results = await computeResults(trx, { examYear: year.year, departmentCode, yearScheme: year.scheme, version: imp.version, importId: imp.id }, affected, ctx.now);
    await setResultsComputed(trx, imp.id, results.computed);
    const reviewed = before ? await finishReviewedMarks(trx, imp, before, ctx.now) : 0;
    // the dashboards' figures (score distributions, graduation rates) counted once, with the version
    await refreshCouncilStats(trx, year.year, departmentCode, imp.version, ctx.now);
    await appendAudit(
      trx,
      {
        action: 'results.published',
        actor,
        targetType: 'result_import',
        targetId: imp.id,
        departmentCode,
        ip: ctx.ip,
        details: { version: imp.version, kind: imp.kind, reviewed, uploadedBy: imp.uploadedBy, added: imp.added, changed: imp.changed, removed: imp.removed, superseded, ...results },
      },
      ctx.now,
    );
    return { version: imp.version, added: imp.added, changed: imp.changed, removed: imp.removed, superseded, results };
  });
  // this process's look-ups see the new version at once; the others' within a second
  forgetResultsMorning(ctx.db);
  return out;
}

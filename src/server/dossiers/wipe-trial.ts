// When the trial ends its data is deleted: candidates re-enter everything in the official window. This
// removes the year's trial dossiers with their history, uploads (rows and files), idempotency keys and code
// serials, and nothing else: official dossiers, candidates and accounts stay as they are.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { runPart } from '../db/write-unit.ts';
import { atEndOfTransaction } from '../db/end-of-transaction.ts';
import { windowBounds } from '../../domain/exam-year.ts';
import { findExamYear } from '../exam-years/exam-years.repository.ts';
import { requireUser } from './access.ts';
import type { DossierDeps } from './commit.ts';
import { deleteTrialDossiers, listTrialUploadPaths } from './dossier.repository.ts';
import { removeStored } from './upload-storage.ts';

export async function wipeTrial(ctx: Ctx, deps: DossierDeps, input: { examYear: number }): Promise<{ examYear: number; dossiers: number; files: number }> {
  authorize(requireUser(ctx), 'exam_year.manage', { type: 'national' });
  const year = await findExamYear(ctx.db.read, input.examYear);
  if (!year) throw AppError.notFound('exam year');
  if (ctx.now.getTime() < windowBounds(year.windows.trial).end.getTime()) {
    throw new AppError('CONFLICT', 'Đợt đăng ký thử chưa kết thúc: chưa thể xoá dữ liệu thử.', 'The trial has not ended yet: its data cannot be wiped.', { code: 'TRIAL_NOT_OVER' });
  }
  const files = await listTrialUploadPaths(ctx.db.read, year.year);
  const dossiers = await ctx.db.write(async (trx) => {
    const n = await deleteTrialDossiers(trx, year.year);
    for (const l of deps.listeners.trialWiped) {
      const e = l({ examYear: year.year, dossiers: n, at: ctx.now });
      for (const p of e?.parts ?? []) await runPart(trx, p);
      for (const w of e?.atCommit ?? []) await atEndOfTransaction(trx, w.work, w.value);
    }
    return n;
  });
  await removeStored(deps.dataDir, files);
  ctx.log.info({ examYear: year.year, dossiers, files: files.length }, 'trial data wiped');
  return { examYear: year.year, dossiers, files: files.length };
}

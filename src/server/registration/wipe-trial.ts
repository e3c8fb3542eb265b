// When the trial ends its data is deleted: candidates re-enter everything in the official window. This
// removes the year's trial dossiers with their history, uploads (rows and files) and idempotency keys,
// and nothing else: official dossiers, candidates and accounts stay as they are.
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { windowBounds } from '../../domain/exam-year.ts';
import { findExamYear } from '../exam-years/exam-years.repository.ts';
import { requireUser, type RegistrationCtx } from './dossier-access.ts';
import { deleteTrialDossiers, listTrialUploadPaths } from './registration.repository.ts';
import { removeStored } from './upload-storage.ts';
import { onTrialWiped } from './events.ts';

export async function wipeTrial(ctx: RegistrationCtx & { dataDir: string }, input: { examYear: number }): Promise<{ examYear: number; dossiers: number; files: number }> {
  authorize(requireUser(ctx.actor), 'exam_year.manage', { type: 'national' });
  const year = await findExamYear(ctx.db.read, input.examYear);
  if (!year) throw AppError.notFound('exam year');
  if (ctx.now.getTime() < windowBounds(year.windows.trial).end.getTime()) {
    throw new AppError('CONFLICT', 'Đợt đăng ký thử chưa kết thúc: chưa thể xóa dữ liệu thử.', 'The trial has not ended yet: its data cannot be wiped.', { code: 'TRIAL_NOT_OVER' });
  }
  const files = await listTrialUploadPaths(ctx.db.read, year.year);
  const dossiers = await ctx.db.write(async (trx) => {
    const n = await deleteTrialDossiers(trx, year.year);
    await onTrialWiped(trx, { examYear: year.year, dossiers: n, at: ctx.now });
    return n;
  });
  await removeStored(ctx.dataDir, files);
  ctx.log.info({ examYear: year.year, dossiers, files: files.length }, 'trial data wiped');
  return { examYear: year.year, dossiers, files: files.length };
}

// After 17:00 on the closing day the candidate can no longer edit; the registration point corrects
// personal data (identity, contact, residence, priority) with the candidate's papers in front of it.
// Subjects and status stay frozen. Each correction is recorded with before and after in the dossier's
// history and named in the audit log.
import { AppError } from '../http/errors.ts';
import { loadTarget, type RegistrationCtx } from './dossier-access.ts';
import { writeSections, type SaveResult } from './save-section.ts';

export const CORRECTION_REASON_MAX = 1000;

export async function correctAfterWindow(
  ctx: RegistrationCtx,
  input: { dossierId: string; sections: unknown; ifMatch: number | undefined; reason: string },
): Promise<SaveResult> {
  const l = await loadTarget(ctx, { kind: 'id', dossierId: input.dossierId }, 'dossier.correct');
  const reason = input.reason.normalize('NFC').trim();
  if (reason === '' || [...reason].length > CORRECTION_REASON_MAX) {
    throw AppError.validation([
      {
        code: reason === '' ? 'REQUIRED' : 'TOO_LONG',
        field: 'reason',
        severity: 'error',
        vi: reason === '' ? 'Hãy ghi lý do điều chỉnh (ví dụ: theo giấy khai sinh).' : `Lý do dài tối đa ${CORRECTION_REASON_MAX} ký tự.`,
        en: reason === '' ? 'Give the reason for the correction (e.g. as on the birth certificate).' : `The reason may be at most ${CORRECTION_REASON_MAX} characters.`,
      },
    ]);
  }
  return writeSections(ctx, l, { target: { kind: 'id', dossierId: input.dossierId }, sections: input.sections, ifMatch: input.ifMatch, reason }, 'correct');
}

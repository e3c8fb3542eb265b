// Evidence for a claim (a language certificate for an exemption, papers for a priority object): a PDF,
// or a JPEG/PNG image re-encoded like the photo. Type from the bytes; size-capped; a few per dossier.
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { insertDossierEvent, insertUpload, listUploads, type StoredUpload } from './registration.repository.ts';
import { sha256, storeFile, unsupportedType } from './upload-storage.ts';
import { loadForUpload, MAX_INPUT_PIXELS, uploadInfo, type UploadCtx } from './upload-photo.ts';
import { snapshotOf } from './save-section.ts';
import { onDossierChanged } from './events.ts';
import type { DossierTarget } from './dossier-access.ts';
import type { UploadInfo } from './get-dossier.ts';

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 10;
export const EVIDENCE_PURPOSES = ['language_certificate', 'vietnamese_certificate', 'priority', 'retained_scores', 'other'] as const;
export type EvidencePurpose = (typeof EVIDENCE_PURPOSES)[number];

const isPdf = (b: Buffer): boolean => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-';

export async function uploadEvidence(ctx: UploadCtx, input: { target: DossierTarget; bytes: Buffer; purpose: EvidencePurpose; originalName?: string }): Promise<UploadInfo> {
  const l = await loadForUpload(ctx, input.target);
  const existing = await listUploads(ctx.db.read, l.dossierId, 'evidence');
  if (existing.length >= EVIDENCE_MAX_FILES) {
    throw new AppError('CONFLICT', `Tối đa ${EVIDENCE_MAX_FILES} tệp minh chứng cho một hồ sơ.`, `At most ${EVIDENCE_MAX_FILES} evidence files per dossier.`, { code: 'TOO_MANY_FILES' });
  }
  let data: Buffer;
  let mime: string;
  let ext: string;
  let width: number | null = null;
  let height: number | null = null;
  if (isPdf(input.bytes)) {
    // Kept as sent: staff open it in a PDF viewer as an attachment, never inline in the site's origin.
    data = input.bytes;
    mime = 'application/pdf';
    ext = 'pdf';
  } else {
    try {
      const meta = await sharp(input.bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
      if (meta.format !== 'jpeg' && meta.format !== 'png') throw new Error('type');
      const out = await sharp(input.bytes, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize({ width: 2480, height: 3508, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 85 })
        .toBuffer({ resolveWithObject: true });
      data = out.data;
      width = out.info.width;
      height = out.info.height;
    } catch {
      throw unsupportedType('PDF, JPEG, PNG');
    }
    mime = 'image/jpeg';
    ext = 'jpg';
  }
  const id = newId();
  const upload: StoredUpload = {
    id,
    dossierId: l.dossierId,
    kind: 'evidence',
    purpose: input.purpose,
    storagePath: `${l.year.year}/${l.dossierId}/${id}.${ext}`,
    mime,
    bytes: data.length,
    width,
    height,
    sha256: sha256(data),
    originalName: input.originalName?.normalize('NFC').slice(0, 200) ?? null,
    createdAt: ctx.now.toISOString(),
  };
  await storeFile(ctx.dataDir, upload.storagePath, data);
  const dossier = l.dossier!;
  await ctx.db.write(async (trx) => {
    await insertUpload(trx, { ...upload, createdBy: l.actor.userId });
    await insertDossierEvent(trx, {
      id: newId(),
      dossierId: l.dossierId,
      at: ctx.now,
      actorId: l.actor.userId,
      actorRole: l.actor.role,
      event: 'evidence',
      fromStatus: dossier.status,
      toStatus: dossier.status,
      version: dossier.version,
      reason: input.purpose,
    });
    await onDossierChanged(trx, snapshotOf(dossier), snapshotOf(dossier), { kind: 'evidence', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role });
  });
  return uploadInfo(upload);
}

// Reading an uploaded file back, only for those the policy lets read the candidate's record.
import { AppError } from '../http/errors.ts';
import { loadTarget, type DossierTarget } from './dossier-access.ts';
import { findUpload, listUploads, type StoredUpload } from './registration.repository.ts';
import { readStored } from './upload-storage.ts';
import type { UploadCtx } from './upload-photo.ts';

export async function getUploadFile(ctx: UploadCtx, input: { target: DossierTarget; uploadId?: string; kind?: 'photo' }): Promise<{ upload: StoredUpload; bytes: Buffer }> {
  const l = await loadTarget(ctx, input.target, 'candidate.read');
  if (!l.dossier) throw AppError.notFound('file');
  let upload: StoredUpload | undefined;
  if (input.uploadId) {
    upload = await findUpload(ctx.db.read, input.uploadId);
    // an id from another dossier is simply not found here: no hint that it exists
    if (upload && upload.dossierId !== l.dossier.id) upload = undefined;
  } else {
    upload = (await listUploads(ctx.db.read, l.dossier.id, 'photo'))[0];
  }
  if (!upload) throw AppError.notFound('file');
  return { upload, bytes: await readStored(ctx.dataDir, upload.storagePath) };
}

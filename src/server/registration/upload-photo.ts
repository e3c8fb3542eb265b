// The candidate's ID photo: JPEG or PNG judged from the bytes (never the file name or the declared
// type), at least 400×600 px, size-capped, re-encoded to JPEG by sharp (which also drops EXIF, GPS
// and any payload riding in the original), stored outside the served folders.
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { transition } from '../../domain/lifecycle.ts';
import { actorKindOf, loadTarget, refusal, type DossierTarget, type Loaded, type RegistrationCtx } from './dossier-access.ts';
import { assertWritableWindow, snapshotOf } from './save-section.ts';
import { deleteUploads, insertDossierEvent, insertUpload, listUploads, setPhotoMissing, type StoredUpload } from './registration.repository.ts';
import { removeStored, sha256, storeFile, unsupportedType } from './upload-storage.ts';
import { onDossierChanged } from './events.ts';
import type { UploadInfo } from './get-dossier.ts';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_MIN = { width: 400, height: 600 } as const;
/** Stored photos are scaled down to fit this box: enough for print at 4×6 cm, small to serve. */
const PHOTO_STORE_BOX = { width: 800, height: 1200 } as const;
/** A decompression bomb guard: no real ID photo has more pixels than this. */
export const MAX_INPUT_PIXELS = 50_000_000;

export type UploadCtx = RegistrationCtx & { dataDir: string };

/** The write checks of an upload: the same window and lifecycle rules as editing the dossier. */
export async function loadForUpload(ctx: RegistrationCtx, target: DossierTarget): Promise<Loaded & { dossierId: string }> {
  const l = await loadTarget(ctx, target, (phase) => (phase === 'correction' && ctx.actor.kind === 'user' && ctx.actor.role !== 'candidate' ? 'dossier.correct' : 'dossier.edit'));
  const event = l.actor.role !== 'candidate' && l.phase === 'correction' ? 'correct' : 'edit';
  const t = transition(l.dossier?.status ?? 'draft', event, { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official });
  if (!t.ok) throw refusal(t.finding);
  assertWritableWindow(l);
  if (!l.dossier) {
    throw new AppError('CONFLICT', 'Hãy lưu thông tin cá nhân trước khi tải ảnh hoặc minh chứng.', 'Save your personal details before uploading a photo or evidence.', {
      code: 'DOSSIER_NOT_STARTED',
    });
  }
  return { ...l, dossierId: l.dossier.id };
}

export function uploadInfo(u: StoredUpload): UploadInfo {
  return { id: u.id, kind: u.kind, purpose: u.purpose, mime: u.mime, bytes: u.bytes, width: u.width, height: u.height, createdAt: u.createdAt };
}

export async function uploadPhoto(ctx: UploadCtx, input: { target: DossierTarget; bytes: Buffer; originalName?: string }): Promise<UploadInfo> {
  const l = await loadForUpload(ctx, input.target);
  let meta: Metadata;
  try {
    meta = await sharp(input.bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    throw unsupportedType('JPEG, PNG');
  }
  if (meta.format !== 'jpeg' && meta.format !== 'png') throw unsupportedType('JPEG, PNG');
  // EXIF orientation 5–8 turns the picture a quarter: judge the size as it will be seen.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  if (width < PHOTO_MIN.width || height < PHOTO_MIN.height) {
    throw new AppError(
      'UNPROCESSABLE',
      `Ảnh quá nhỏ (${width}×${height} px): cần tối thiểu ${PHOTO_MIN.width}×${PHOTO_MIN.height} px.`,
      `The photo is too small (${width}×${height} px): at least ${PHOTO_MIN.width}×${PHOTO_MIN.height} px.`,
      { code: 'PHOTO_TOO_SMALL', details: { width, height, minWidth: PHOTO_MIN.width, minHeight: PHOTO_MIN.height } },
    );
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(input.bytes, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ ...PHOTO_STORE_BOX, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 88 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw unsupportedType('JPEG, PNG');
  }

  const id = newId();
  const upload: StoredUpload = {
    id,
    dossierId: l.dossierId,
    kind: 'photo',
    purpose: null,
    storagePath: `${l.year.year}/${l.dossierId}/${id}.jpg`,
    mime: 'image/jpeg',
    bytes: out.data.length,
    width: out.info.width,
    height: out.info.height,
    sha256: sha256(out.data),
    originalName: input.originalName?.normalize('NFC').slice(0, 200) ?? null,
    createdAt: ctx.now.toISOString(),
  };
  await storeFile(ctx.dataDir, upload.storagePath, out.data);
  const old = await listUploads(ctx.db.read, l.dossierId, 'photo');
  const dossier = l.dossier!;
  await ctx.db.write(async (trx) => {
    await insertUpload(trx, { ...upload, createdBy: l.actor.userId });
    await deleteUploads(trx, old.map((o) => o.id));
    await setPhotoMissing(trx, l.dossierId, false, ctx.now);
    await insertDossierEvent(trx, {
      id: newId(),
      dossierId: l.dossierId,
      at: ctx.now,
      actorId: l.actor.userId,
      actorRole: l.actor.role,
      event: 'photo',
      fromStatus: dossier.status,
      toStatus: dossier.status,
      version: dossier.version,
    });
    const after = snapshotOf({ ...dossier, filters: { ...dossier.filters, photoMissing: false } });
    await onDossierChanged(trx, snapshotOf(dossier), after, { kind: 'photo', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role });
  });
  await removeStored(ctx.dataDir, old.map((o) => o.storagePath));
  return uploadInfo(upload);
}

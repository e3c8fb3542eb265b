// The candidate's ID photo and their evidence (certificates, priority papers). Files are judged from their
// bytes (never the name or the declared type), size-capped, re-encoded (which also drops EXIF, GPS and any
// payload riding in the original), stored outside the served folders, and read back only through routes
// that check the policy. The rows (and the photo flag, and a history entry) are one write unit; the file is
// written before its row commits, so a row never names a missing file (an orphan file is harmless).
import { PHOTO_MIN, photoProblems } from '../../domain/photo.ts';
import sharp, { type OutputInfo } from 'sharp';
import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { transition } from '../../domain/lifecycle.ts';
import type { uploadInfo } from '../../contracts/dossier.ts';
import type { EVIDENCE_PURPOSES } from '../../contracts/dossier.ts';
import { actorKindOf, assertWritable, loadTarget, refusal, type DossierTarget, type Loaded } from './access.ts';
import { commit, snapshotOf, type DossierDeps } from './commit.ts';
import { dossierUpdatePart, findUpload, listUploads, replacedUploadsPart, uploadPart } from './dossier.repository.ts';
import { readStored, removeStored, sha256, storeFile, unsupportedType } from './upload-storage.ts';
import type { StoredDossier, StoredUpload } from './model.ts';
import { assertPassivePdf, MAX_IMAGE_PIXELS, readImageHeader } from '../security/active-content.ts';
import { appendAudit } from '../audit/audit.repository.ts';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 10;
export { PHOTO_MIN };
/** Stored photos are scaled down to fit this box: enough for print at 4×6 cm, small to serve. */
const PHOTO_STORE_BOX = { width: 800, height: 1200 } as const;
/** A decompression bomb guard: no real ID photo has more pixels than this. */
export const MAX_INPUT_PIXELS = MAX_IMAGE_PIXELS;

export type UploadInfo = z.infer<typeof uploadInfo>;
export type EvidencePurpose = (typeof EVIDENCE_PURPOSES)[number];

export function uploadInfoOf(u: StoredUpload): UploadInfo {
  return { id: u.id, kind: u.kind, purpose: u.purpose, mime: u.mime, bytes: u.bytes, width: u.width, height: u.height, createdAt: u.createdAt };
}

/** The write checks of an upload: the same window and lifecycle rules as editing the dossier. */
async function loadForUpload(ctx: Ctx, target: DossierTarget): Promise<Loaded & { dossier: StoredDossier }> {
  const l = await loadTarget(ctx, target, (phase, actor) => (phase === 'correction' && actor.role !== 'candidate' ? 'dossier.correct' : 'dossier.edit'));
  const t = transition(l.dossier?.status ?? 'draft', 'attach', { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official });
  if (!t.ok) throw refusal(t.finding);
  assertWritable(l);
  if (!l.dossier) {
    throw new AppError('CONFLICT', 'Hãy lưu thông tin cá nhân trước khi tải ảnh hoặc minh chứng.', 'Save your personal details before uploading a photo or evidence.', { code: 'DOSSIER_NOT_STARTED' });
  }
  return l as Loaded & { dossier: StoredDossier };
}

async function record(ctx: Ctx, deps: DossierDeps, l: Loaded & { dossier: StoredDossier }, upload: StoredUpload, event: 'photo' | 'evidence'): Promise<void> {
  const d = l.dossier;
  const after = event === 'photo' ? { ...d, filters: { ...d.filters, photoMissing: false } } : d;
  const written = await commit(ctx.db, deps, {
    primary: dossierUpdatePart(d.id, d.version, event === 'photo' ? { photoMissing: false } : {}, ctx.now, { anyVersion: true }),
    event: { id: newId(), dossierId: d.id, at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, event, fromStatus: d.status, toStatus: d.status, version: d.version, reason: upload.purpose },
    parts: [uploadPart(upload, l.actor.userId), ...(event === 'photo' ? [replacedUploadsPart(d.id, 'photo', upload.id)] : [])],
    before: snapshotOf(d),
    after: snapshotOf(after),
    change: { kind: event, at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, candidateUserId: l.candidate.userId },
  });
  if (!written) throw AppError.notFound('dossier');
}

export async function uploadPhoto(ctx: Ctx, deps: DossierDeps, input: { target: DossierTarget; bytes: Buffer; originalName?: string }): Promise<UploadInfo> {
  const l = await loadForUpload(ctx, input.target);
  // the header alone: a decompression bomb is refused by its pixel count before anything is decoded
  const meta = await readImageHeader(input.bytes);
  if (!meta) throw unsupportedType('JPEG, PNG');
  // EXIF orientation 5–8 turns the picture a quarter: judge the size as it will be seen
  const turned = meta.orientation >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  // upright, 3×4 or 4×6, large enough: the real reason in words (src/domain/photo.ts, the page runs it too)
  const problem = photoProblems(width, height)[0];
  if (problem) {
    throw new AppError('UNPROCESSABLE', problem.vi, problem.en, { code: problem.code, details: { width, height, minWidth: PHOTO_MIN.width, minHeight: PHOTO_MIN.height } });
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
    dossierId: l.dossier.id,
    kind: 'photo',
    purpose: null,
    storagePath: `${l.year.year}/${l.dossier.id}/${id}.jpg`,
    mime: 'image/jpeg',
    bytes: out.data.length,
    width: out.info.width,
    height: out.info.height,
    sha256: sha256(out.data),
    originalName: input.originalName?.normalize('NFC').slice(0, 200) ?? null,
    createdAt: ctx.now.toISOString(),
  };
  await storeFile(deps.dataDir, upload.storagePath, out.data);
  const old = await listUploads(ctx.db.read, l.dossier.id, 'photo');
  await record(ctx, deps, l, upload, 'photo');
  await removeStored(deps.dataDir, old.map((o) => o.storagePath));
  return uploadInfoOf(upload);
}

const isPdf = (b: Buffer): boolean => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-';

export async function uploadEvidence(ctx: Ctx, deps: DossierDeps, input: { target: DossierTarget; bytes: Buffer; purpose: EvidencePurpose; originalName?: string }): Promise<UploadInfo> {
  const l = await loadForUpload(ctx, input.target);
  const existing = await listUploads(ctx.db.read, l.dossier.id, 'evidence');
  if (existing.length >= EVIDENCE_MAX_FILES) {
    throw new AppError('CONFLICT', `Tối đa ${EVIDENCE_MAX_FILES} tệp minh chứng cho một hồ sơ.`, `At most ${EVIDENCE_MAX_FILES} evidence files per dossier.`, { code: 'TOO_MANY_FILES' });
  }
  let data: Buffer;
  let mime: string;
  let ext: string;
  let width: number | null = null;
  let height: number | null = null;
  if (isPdf(input.bytes)) {
    // kept as sent once it is known to be passive (no script, actions, files or forms: security/active-content.ts);
    // staff open it in a PDF viewer as an attachment, never inline in the site's origin
    assertPassivePdf(input.bytes);
    data = input.bytes;
    mime = 'application/pdf';
    ext = 'pdf';
  } else {
    if (!(await readImageHeader(input.bytes))) throw unsupportedType('PDF, JPEG, PNG');
    try {
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
    dossierId: l.dossier.id,
    kind: 'evidence',
    purpose: input.purpose,
    storagePath: `${l.year.year}/${l.dossier.id}/${id}.${ext}`,
    mime,
    bytes: data.length,
    width,
    height,
    sha256: sha256(data),
    originalName: input.originalName?.normalize('NFC').slice(0, 200) ?? null,
    createdAt: ctx.now.toISOString(),
  };
  await storeFile(deps.dataDir, upload.storagePath, data);
  await record(ctx, deps, l, upload, 'evidence');
  return uploadInfoOf(upload);
}

/** A file of a dossier, for those the policy lets read the candidate's record. */
export async function getUploadFile(ctx: Ctx, deps: Pick<DossierDeps, 'dataDir'>, input: { target: DossierTarget; uploadId?: string }): Promise<{ upload: StoredUpload; bytes: Buffer }> {
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
  const bytes = await readStored(deps.dataDir, upload.storagePath);
  // staff opening a candidate's evidence leave a trace (the candidate's own reads do not)
  if (upload.kind === 'evidence' && l.actor.role !== 'candidate') {
    const u = upload;
    await ctx.db.write((trx) =>
      appendAudit(
        trx,
        { action: 'personal_data.read', actor: ctx.actor, targetType: 'upload', targetId: u.id, departmentCode: l.candidate.departmentCode, ip: ctx.ip, details: { document: 'evidence', purpose: u.purpose, dossierId: u.dossierId } },
        ctx.now,
      ),
    );
  }
  return { upload, bytes };
}

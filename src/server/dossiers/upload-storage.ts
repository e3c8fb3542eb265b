// Where uploaded files live: DATA_DIR/uploads/<year>/<dossier>/<upload>.<ext>, outside any folder the
// server serves statically; they are read back only through routes that check the policy. A file is
// written (temp + rename) before the row that names it commits, and an orphan file is harmless.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { AppError } from '../http/errors.ts';

export function uploadsRoot(dataDir: string): string {
  return path.resolve(dataDir, 'uploads');
}

export function resolveStored(dataDir: string, storagePath: string): string {
  const root = uploadsRoot(dataDir);
  const full = path.resolve(root, storagePath);
  // storage paths are generated here, but never let one escape the uploads folder
  if (!full.startsWith(root + path.sep)) throw new Error('upload path outside the uploads folder');
  return full;
}

export async function storeFile(dataDir: string, storagePath: string, bytes: Buffer): Promise<void> {
  const full = resolveStored(dataDir, storagePath);
  await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o700 });
  const tmp = `${full}.${process.pid}.tmp`;
  await fs.writeFile(tmp, bytes, { mode: 0o600 });
  await fs.rename(tmp, full);
}

export async function readStored(dataDir: string, storagePath: string): Promise<Buffer> {
  try {
    return await fs.readFile(resolveStored(dataDir, storagePath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound('file');
    throw e;
  }
}

export async function removeStored(dataDir: string, storagePaths: readonly string[]): Promise<void> {
  await Promise.all(storagePaths.map((p) => fs.rm(resolveStored(dataDir, p), { force: true }).catch(() => {})));
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function tooLarge(maxBytes: number): AppError {
  const mb = Math.round(maxBytes / (1024 * 1024));
  const vi = `Tệp quá lớn: tối đa ${mb} MB.`;
  const en = `The file is too large: at most ${mb} MB.`;
  return new AppError('PAYLOAD_TOO_LARGE', vi, en, { code: 'FILE_TOO_LARGE', details: { maxBytes }, fields: [{ code: 'FILE_TOO_LARGE', field: 'file', severity: 'error', vi, en }] });
}

export function unsupportedType(allowed: string): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `Định dạng tệp không được chấp nhận. Chỉ nhận: ${allowed}.`, `This file type is not accepted. Accepted: ${allowed}.`, {
    code: 'FILE_TYPE_NOT_ACCEPTED',
  });
}

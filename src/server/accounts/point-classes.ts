// A class named by an officer (issuing accounts, exporting a list or a class's forms) resolved against the
// point's own classes: any case or Unicode form matches ("12a2" is 12A2); a class the point does not have
// is an error naming the field, never an empty success or a silent empty file.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { pointClasses } from './issuance.repository.ts';

export async function resolvePointClass(db: Kysely<DB>, pointId: string, examYear: number, className: string): Promise<string> {
  const key = (s: string) => s.normalize('NFC').trim().toLocaleUpperCase('vi');
  const hit = (await pointClasses(db, pointId, examYear)).find((k) => key(k.className) === key(className));
  if (hit) return hit.className;
  const vi = `Điểm này không có lớp “${className}”. Hãy chọn một lớp trong danh sách.`;
  const en = `This point has no class “${className}”. Choose a class from the list.`;
  throw new AppError('VALIDATION_FAILED', vi, en, { code: 'CLASS_NOT_FOUND', fields: [{ code: 'CLASS_NOT_FOUND', field: 'className', severity: 'error', vi, en }] });
}

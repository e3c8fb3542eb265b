// The verification queue of a point (or a province, or the nation for a CCCD look-up): scoped by the
// policy, filtered, searched without diacritics, in Vietnamese name order, keyset-paged.
import { AppError } from '../http/errors.ts';
import { authorizeScope, can } from '../policy/policy.ts';
import { findOrgUnitCached } from '../org/org.repository.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { foldDiacritics } from '../../domain/names.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import { parseDossierCode } from '../../domain/dossier-code.ts';
import type { Ctx } from '../context.ts';
import { MAX_PAGE } from '../../contracts/dossier.ts';
import { requireYear } from '../dossiers/access.ts';
import { fillMissingSortKeys, listQueue, type QueueFlag } from './verification.repository.ts';


export interface QueueInput {
  pointId?: string;
  departmentCode?: string;
  status?: DossierStatus | 'not_started';
  className?: string;
  subject?: string;
  combination?: string;
  purpose?: string;
  flags?: QueueFlag[];
  q?: string;
  cursor?: string;
  limit: number;
}

export function encodeCursor(sortKey: string, candidateId: string): string {
  return Buffer.from(JSON.stringify([sortKey, candidateId])).toString('base64url');
}

function decodeCursor(c: string): { sortKey: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[0].length < 400 && v[1].length < 100) return { sortKey: v[0], id: v[1] };
  } catch {}
  throw new AppError('BAD_REQUEST', 'Con trỏ trang không hợp lệ.', 'Invalid page cursor.', { code: 'CURSOR_INVALID' });
}

/**
 * A unit found without unkeyed rows is not asked again for a few seconds: officers page through their
 * list a request after another, and rows without a sort key come only from a bulk load outside the app
 * (the app keys every row it writes; the worker keys the rest within a minute).
 */
const KEYED_FOR_MS = 10_000;
const keyedAtByDb = new WeakMap<object, Map<string, number>>();

async function keyUnitOnce(ctx: Ctx, unit: { pointId: string } | { departmentCode: string }): Promise<void> {
  let keyedAt = keyedAtByDb.get(ctx.db);
  if (!keyedAt) keyedAtByDb.set(ctx.db, (keyedAt = new Map()));
  const key = 'pointId' in unit ? `p:${unit.pointId}` : `d:${unit.departmentCode}`;
  const t = Date.now();
  const at = keyedAt.get(key);
  if (at !== undefined && t - at < KEYED_FOR_MS) return;
  if ((await fillMissingSortKeys(ctx.db, unit, 200_000)) === 0) {
    if (keyedAt.size >= 10_000) keyedAt.clear();
    keyedAt.set(key, t);
  }
}

/** The page: `lines` is the JSON text of the lines (QueueItem), joined by commas, to be sent as it is. */
export async function listVerificationQueue(ctx: Ctx, input: QueueInput): Promise<{ lines: string; count: number; nextCursor: string | null; examYear: number }> {
  const scope = authorizeScope(ctx.actor, 'candidate.read');
  if (input.limit > MAX_PAGE || input.limit < 1) throw new AppError('BAD_REQUEST', `Mỗi trang tối đa ${MAX_PAGE} dòng.`, `At most ${MAX_PAGE} rows a page.`, { code: 'PAGE_TOO_LARGE' });
  // A unit asked for must lie inside the actor's scope: another point's list is refused, not emptied.
  if (input.pointId !== undefined) {
    const p = await findOrgUnitCached(ctx.db.read, input.pointId);
    if (!p || p.kind !== 'point' || !can(ctx.actor, 'candidate.read', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode })) throw AppError.forbidden();
  }
  if (input.departmentCode !== undefined && !('all' in scope) && !('departmentCode' in scope && scope.departmentCode === input.departmentCode)) throw AppError.forbidden();
  const year = await requireYear(ctx.db);
  const isTrial = phaseAt(year, ctx.now) === 'trial';
  const q = (input.q ?? '').normalize('NFC').trim();
  // a dossier code (read aloud, typed with or without dashes) finds its dossier; else digits are a personal number
  const dossierCode = parseDossierCode(q) ?? undefined;
  const compact = q.replace(/[\s.-]/g, '');
  const digits = dossierCode === undefined && /^[0-9]{3,12}$/.test(compact) ? compact : undefined;
  const nameFolded = dossierCode === undefined && digits === undefined && q !== '' ? foldDiacritics(q) : undefined;
  if ('all' in scope && input.pointId === undefined && input.departmentCode === undefined && digits === undefined && dossierCode === undefined) {
    throw new AppError('BAD_REQUEST', 'Hãy chọn một Sở hoặc một điểm tiếp nhận, hoặc tìm theo số định danh.', 'Choose a department or a point, or search by personal number.', { code: 'UNIT_REQUIRED' });
  }
  // rows a bulk load left without a sort key are keyed before the list is read (cheap when none)
  const unit = input.pointId ? { pointId: input.pointId } : 'pointId' in scope ? { pointId: scope.pointId } : input.departmentCode ? { departmentCode: input.departmentCode } : 'departmentCode' in scope ? { departmentCode: scope.departmentCode } : null;
  if (unit) await keyUnitOnce(ctx, unit);
  const page = await listQueue(ctx.db.read, scope, {
    examYear: year.year,
    isTrial,
    ...(input.pointId !== undefined ? { pointId: input.pointId } : {}),
    ...(input.departmentCode !== undefined ? { departmentCode: input.departmentCode } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.className !== undefined ? { className: input.className } : {}),
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.combination !== undefined ? { combination: input.combination } : {}),
    ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
    ...(input.flags !== undefined ? { flags: input.flags } : {}),
    ...(digits !== undefined ? { idNumber: digits } : {}),
    ...(dossierCode !== undefined ? { dossierCode } : {}),
    ...(nameFolded !== undefined ? { nameFolded } : {}),
    ...(input.cursor ? { after: decodeCursor(input.cursor) } : {}),
    limit: input.limit,
  });
  return { lines: page.json, count: page.count, nextCursor: page.next ? encodeCursor(page.next.sortKey, page.next.id) : null, examYear: year.year };
}

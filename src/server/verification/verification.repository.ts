// All SQL of the verification queue: the scoped, filtered, keyset-paged list of a point's (or a
// province's) candidates with their dossier; the status changes a point makes (compare-and-set on the
// version); form-number sequences; filling missing sort keys.
import { sql, type Kysely, type SqlBool, type ExpressionBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Scope } from '../policy/policy.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import { nameSortKey } from '../../domain/sort-key.ts';

/** `text` for a LIKE pattern: %, _ and the escape itself match literally (with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type QueueFlag = 'cccd_mismatch' | 'photo_missing' | 'exemption' | 'priority';
const FLAG_COLUMN: Record<QueueFlag, 'd.cccd_mismatch' | 'd.photo_missing' | 'd.exemption_claimed' | 'd.priority_claimed'> = {
  cccd_mismatch: 'd.cccd_mismatch',
  photo_missing: 'd.photo_missing',
  exemption: 'd.exemption_claimed',
  priority: 'd.priority_claimed',
};

export interface QueueQuery {
  examYear: number;
  isTrial: boolean;
  pointId?: string;
  departmentCode?: string;
  status?: DossierStatus | 'not_started';
  className?: string;
  subject?: string;
  combination?: string;
  purpose?: string;
  flags?: QueueFlag[];
  /** a personal number (exact or leading digits) */
  idNumber?: string;
  /** folded (no diacritics, lower case): matched anywhere in the folded full name */
  nameFolded?: string;
  after?: { sortKey: string; id: string };
  limit: number;
}

export interface QueueRow {
  candidateId: string;
  userId: string;
  pointId: string;
  departmentCode: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  className: string | null;
  idNumber: string;
  candidateType: 'current' | 'free';
  sortKey: string;
  dossier: null | {
    id: string;
    status: DossierStatus;
    version: number;
    channel: 'online' | 'desk';
    formNumber: string | null;
    purpose: string | null;
    subjectsCombo: string | null;
    flags: { cccdMismatch: boolean; photoMissing: boolean; exemptionClaimed: boolean; priorityClaimed: boolean };
    submittedAt: string | null;
    returnReason: string | null;
    errorsCount: number;
  };
}

function scopeWhere(scope: Scope) {
  return (eb: ExpressionBuilder<DB & { c: DB['candidates'] }, 'c'>) => {
    if ('all' in scope) return eb.lit(true) as unknown as ReturnType<typeof eb.and>;
    if ('pointId' in scope) return eb('c.point_id', '=', scope.pointId);
    if ('departmentCode' in scope) return eb('c.department_code', '=', scope.departmentCode);
    return eb('c.user_id', '=', scope.userId);
  };
}

/** The queue page. The scope is ANDed into the query itself, whatever the filters ask for. */
export async function listQueue(db: Kysely<DB>, scope: Scope, q: QueueQuery): Promise<QueueRow[]> {
  let query = db
    .selectFrom('candidates as c')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', q.isTrial ? 1 : 0))
    .select([
      'c.id as c_id', 'c.user_id', 'c.point_id', 'c.department_code', 'c.full_name', 'c.date_of_birth', 'c.gender', 'c.class_name',
      'c.id_number', 'c.candidate_type', 'c.sort_key as c_sort_key',
      'd.id as d_id', 'd.status', 'd.version', 'd.channel', 'd.form_number', 'd.purpose', 'd.subjects_combo', 'd.cccd_mismatch',
      'd.photo_missing', 'd.exemption_claimed', 'd.priority_claimed', 'd.submitted_at', 'd.return_reason', 'd.errors_count',
    ])
    .where('c.exam_year', '=', q.examYear)
    .where(scopeWhere(scope));
  if (q.pointId !== undefined) query = query.where('c.point_id', '=', q.pointId);
  if (q.departmentCode !== undefined) query = query.where('c.department_code', '=', q.departmentCode);
  if (q.status === 'not_started') query = query.where('d.id', 'is', null);
  else if (q.status !== undefined) query = query.where('d.status', '=', q.status);
  if (q.className !== undefined) query = query.where('c.class_name', '=', q.className);
  if (q.purpose !== undefined) query = query.where('d.purpose', '=', q.purpose);
  if (q.combination !== undefined) query = query.where('d.subjects_combo', '=', q.combination);
  if (q.subject !== undefined) {
    const pattern = `%+${escapeLike(q.subject)}+%`;
    query = query.where(sql<SqlBool>`('+' || ${sql.ref('d.subjects_combo')} || '+') like ${pattern} escape '\\'`);
  }
  for (const f of q.flags ?? []) query = query.where(FLAG_COLUMN[f], '=', 1);
  if (q.idNumber !== undefined) {
    // a full number is an exact, indexed match; leading digits a prefix match
    if (q.idNumber.length >= 12) query = query.where('c.id_number', '=', q.idNumber);
    else query = query.where(sql<SqlBool>`${sql.ref('c.id_number')} like ${`${escapeLike(q.idNumber)}%`} escape '\\'`);
  }
  if (q.nameFolded !== undefined && q.nameFolded !== '') {
    const last = q.nameFolded.at(-1) ?? '';
    if (q.nameFolded.includes(' ') && last >= 'a' && last < 'z') {
      // Several words ("nguyen van an") are the start of a full name: an index range on name_folded
      // ('nguyen van an' ≤ name < 'nguyen van ao', letters only, so any collation agrees) finds them
      // without reading the whole province, whatever its size.
      const upper = q.nameFolded.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1);
      query = query.where('c.name_folded', '>=', q.nameFolded).where('c.name_folded', '<', upper);
    } else {
      // one word (a given name, a family name) may sit anywhere in the name
      query = query.where(sql<SqlBool>`${sql.ref('c.name_folded')} like ${`%${escapeLike(q.nameFolded)}%`} escape '\\'`);
    }
  }
  if (q.after) {
    const { sortKey, id } = q.after;
    query = query.where((eb) => eb.or([eb('c.sort_key', '>', sortKey), eb.and([eb('c.sort_key', '=', sortKey), eb('c.id', '>', id)])]));
  }
  const rows = await query.orderBy('c.sort_key').orderBy('c.id').limit(q.limit).execute();
  return rows.map((r) => ({
    candidateId: r.c_id,
    userId: r.user_id,
    pointId: r.point_id,
    departmentCode: r.department_code,
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    gender: r.gender,
    className: r.class_name,
    idNumber: r.id_number,
    candidateType: r.candidate_type,
    sortKey: r.c_sort_key ?? '',
    dossier:
      r.d_id === null
        ? null
        : {
            id: r.d_id,
            status: r.status!,
            version: r.version!,
            channel: r.channel!,
            formNumber: r.form_number,
            purpose: r.purpose,
            subjectsCombo: r.subjects_combo,
            flags: { cccdMismatch: r.cccd_mismatch === 1, photoMissing: r.photo_missing === 1, exemptionClaimed: r.exemption_claimed === 1, priorityClaimed: r.priority_claimed === 1 },
            submittedAt: r.submitted_at,
            returnReason: r.return_reason,
            errorsCount: r.errors_count ?? 0,
          },
  }));
}

/**
 * Fills sort keys that a bulk load left empty, within a point or department (or everywhere), a page at a
 * time. Returns how many it filled. Cheap when there are none: a partial index holds only the empty ones.
 */
export async function fillMissingSortKeys(
  db: { read: Kysely<DB>; write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> },
  where: { pointId?: string; departmentCode?: string } = {},
  maxRows = Number.POSITIVE_INFINITY,
): Promise<number> {
  let filled = 0;
  while (filled < maxRows) {
    let q = db.read.selectFrom('candidates').select(['id', 'full_name']).where('sort_key', 'is', null);
    if (where.pointId) q = q.where('point_id', '=', where.pointId);
    if (where.departmentCode) q = q.where('department_code', '=', where.departmentCode);
    const rows = await q.limit(2000).execute();
    if (rows.length === 0) break;
    await db.write(async (trx) => {
      for (const r of rows) await trx.updateTable('candidates').set({ sort_key: nameSortKey(r.full_name) }).where('id', '=', r.id).where('sort_key', 'is', null).execute();
    });
    filled += rows.length;
    if (rows.length < 2000) break;
  }
  return filled;
}

export async function setCandidateSortKey(trx: Kysely<DB>, candidateId: string, fullName: string): Promise<void> {
  await trx.updateTable('candidates').set({ sort_key: nameSortKey(fullName) }).where('id', '=', candidateId).execute();
}

export interface StatusChange {
  status: DossierStatus;
  verifiedAt?: string;
  returnedAt?: string;
  returnReason?: string | null;
}

/** Compare-and-set: moves the dossier only if it is still at `version` and `fromStatus`. */
export async function changeStatusIfVersion(trx: Kysely<DB>, id: string, version: number, fromStatus: DossierStatus, c: StatusChange, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('dossiers')
    .set({
      status: c.status,
      version: version + 1,
      updated_at: now.toISOString(),
      ...(c.verifiedAt !== undefined ? { verified_at: c.verifiedAt } : {}),
      ...(c.returnedAt !== undefined ? { returned_at: c.returnedAt } : {}),
      ...(c.returnReason !== undefined ? { return_reason: c.returnReason } : {}),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', fromStatus)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function currentVersion(db: Kysely<DB>, id: string): Promise<{ version: number; status: DossierStatus } | undefined> {
  return db.selectFrom('dossiers').select(['version', 'status']).where('id', '=', id).executeTakeFirst();
}

/** A point's registered dossiers still without a form number, in Vietnamese name order. */
export async function dossiersWithoutFormNumber(trx: Kysely<DB>, pointId: string, examYear: number): Promise<Array<{ id: string }>> {
  return trx
    .selectFrom('dossiers as d')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .select('d.id')
    .where('d.point_id', '=', pointId)
    .where('d.exam_year', '=', examYear)
    .where('d.is_trial', '=', 0)
    .where('d.status', 'in', ['submitted', 'returned', 'verified'])
    .where('d.form_number', 'is', null)
    .orderBy('c.sort_key')
    .orderBy('c.id')
    .execute();
}

/** Reserves `n` numbers of a point's sequence; returns the first. */
export async function reserveFormNumbers(trx: Kysely<DB>, pointId: string, examYear: number, n: number): Promise<number> {
  const r = await trx
    .insertInto('form_number_sequences')
    .values({ point_id: pointId, exam_year: examYear, last_value: n })
    .onConflict((oc) => oc.columns(['point_id', 'exam_year']).doUpdateSet({ last_value: sql<number>`form_number_sequences.last_value + ${n}` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return r.last_value - n + 1;
}

export async function setFormNumber(trx: Kysely<DB>, dossierId: string, formNumber: string, now: Date): Promise<void> {
  await trx.updateTable('dossiers').set({ form_number: formNumber, updated_at: now.toISOString() }).where('id', '=', dossierId).where('form_number', 'is', null).execute();
}

// All SQL of the exports: one keyset page of a point's (or a province's) candidates with their dossier,
// in Vietnamese name order (candidates.sort_key, then id), read on the sort indexes 004 created.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';

export type ExportUnit = { pointId: string } | { departmentCode: string };

export interface ExportRow {
  candidateId: string;
  sortKey: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  idNumber: string;
  className: string | null;
  pointCode: string;
  status: DossierStatus | null;
  formNumber: string | null;
  subjectsCombo: string | null;
  dossierId: string | null;
}

export async function exportPage(
  db: Kysely<DB>,
  unit: ExportUnit,
  q: { examYear: number; isTrial: boolean; className?: string | undefined; after?: { sortKey: string; id: string } | undefined; limit: number },
): Promise<ExportRow[]> {
  let query = db
    .selectFrom('candidates as c')
    .innerJoin('org_units as o', 'o.id', 'c.point_id')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', q.isTrial ? 1 : 0))
    .select(['c.id', 'c.sort_key', 'c.full_name', 'c.date_of_birth', 'c.gender', 'c.id_number', 'c.class_name', 'o.code as point_code', 'd.status', 'd.form_number', 'd.subjects_combo', 'd.id as dossier_id'])
    .where('c.exam_year', '=', q.examYear)
    // rows still without a key would never pass the keyset comparison; the caller fills them first
    .where('c.sort_key', 'is not', null);
  query = 'pointId' in unit ? query.where('c.point_id', '=', unit.pointId) : query.where('c.department_code', '=', unit.departmentCode);
  if (q.className !== undefined) query = query.where('c.class_name', '=', q.className);
  if (q.after) {
    const { sortKey, id } = q.after;
    query = query.where((eb) => eb(eb.refTuple('c.sort_key', 'c.id'), '>', eb.tuple(sortKey, id)));
  }
  const rows = await query.orderBy('c.sort_key').orderBy('c.id').limit(q.limit).execute();
  return rows.map((r) => ({
    candidateId: r.id,
    sortKey: r.sort_key ?? '',
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    gender: r.gender,
    idNumber: r.id_number,
    className: r.class_name,
    pointCode: r.point_code,
    status: r.status,
    formNumber: r.form_number,
    subjectsCombo: r.subjects_combo,
    dossierId: r.dossier_id,
  }));
}

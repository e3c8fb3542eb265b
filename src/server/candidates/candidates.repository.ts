// Candidates: the person registered for an exam year at a registration point. All SQL on the
// candidates table lives here.
import type { Kysely } from 'kysely';
import type { CandidateSortKeyColumn, CandidateTable, DB } from '../db/schema.ts';
import { foldDiacritics, normaliseName, splitName } from '../../domain/names.ts';
import { nameSortKey } from '../../domain/sort-key.ts';

export interface NewCandidate {
  id: string;
  userId: string;
  examYear: number;
  pointId: string;
  departmentCode: string;
  idKind: CandidateTable['id_kind'];
  idNumber: string;
  fullName: string;
  gender: 'M' | 'F';
  dateOfBirth: string;
  birthProvince: string | null;
  className: string | null;
  candidateType: 'current' | 'free';
}

export function candidateRow(c: NewCandidate, now: Date): CandidateTable & CandidateSortKeyColumn {
  const fullName = normaliseName(c.fullName);
  const parts = splitName(fullName);
  const ts = now.toISOString();
  return {
    id: c.id,
    user_id: c.userId,
    exam_year: c.examYear,
    point_id: c.pointId,
    department_code: c.departmentCode,
    id_kind: c.idKind,
    id_number: c.idNumber,
    full_name: fullName,
    family_name: parts.family,
    middle_name: parts.middle,
    given_name: parts.given,
    name_folded: foldDiacritics(fullName),
    sort_key: nameSortKey(fullName),
    gender: c.gender,
    date_of_birth: c.dateOfBirth,
    birth_province: c.birthProvince,
    class_name: c.className,
    candidate_type: c.candidateType,
    created_at: ts,
    updated_at: ts,
  };
}

export async function insertCandidates(db: Kysely<DB>, list: NewCandidate[], now: Date): Promise<void> {
  if (list.length === 0) return;
  await db.insertInto('candidates').values(list.map((c) => candidateRow(c, now))).execute();
}

/** Where the candidate's identity (name, date of birth, gender) was verified, e.g. 'vneid': the dossier locks them. */
export async function markIdentityVerified(db: Kysely<DB>, candidateId: string, source: string, now: Date): Promise<void> {
  const ts = now.toISOString();
  await db.updateTable('candidates').set({ identity_source: source, identity_verified_at: ts, updated_at: ts }).where('id', '=', candidateId).execute();
}

/**
 * A student's listing corrected by the point's class list sent again (only the fields given): a changed
 * name re-sorts and re-folds them as at insert, and names their account. Only a candidate of `pointId`.
 */
export async function updateCandidateListing(
  db: Kysely<DB>,
  candidateId: string,
  pointId: string,
  c: Partial<Pick<NewCandidate, 'fullName' | 'dateOfBirth' | 'gender' | 'className'>>,
  now: Date,
): Promise<void> {
  const ts = now.toISOString();
  const set: Partial<CandidateTable & CandidateSortKeyColumn> = { updated_at: ts };
  if (c.fullName !== undefined) {
    const fullName = normaliseName(c.fullName);
    const parts = splitName(fullName);
    Object.assign(set, { full_name: fullName, family_name: parts.family, middle_name: parts.middle, given_name: parts.given, name_folded: foldDiacritics(fullName), sort_key: nameSortKey(fullName) });
  }
  if (c.dateOfBirth !== undefined) set.date_of_birth = c.dateOfBirth;
  if (c.gender !== undefined) set.gender = c.gender;
  if (c.className !== undefined) set.class_name = c.className;
  const row = await db.updateTable('candidates').set(set).where('id', '=', candidateId).where('point_id', '=', pointId).returning('user_id').executeTakeFirst();
  if (row && set.full_name !== undefined) await db.updateTable('users').set({ display_name: set.full_name, updated_at: ts }).where('id', '=', row.user_id).execute();
}

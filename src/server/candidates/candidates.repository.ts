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

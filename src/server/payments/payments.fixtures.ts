// Fixtures of the admission fees' tests: the year's admission configuration with two payment groups
// (Hà Nội's department in one, Hồ Chí Minh City's — province 79, exam code 02 — in the other), and wishes
// written straight into the shared schema (admission_programmes, admission_wishes).
import type { Db } from '../db/create-db.ts';
import { setYearRule } from '../exam-years/exam-years.repository.ts';
import { newId } from '../ids.ts';
import { YEAR } from '../verification/back-office.fixtures.ts';

export const FEE = 15_000;

export function admissionConfig(opensAt: Date, closesAt: Date) {
  return {
    wishCap: 15,
    teacherTrainingMaxPosition: 5,
    combinationFloor: 15,
    window: { opensAt: new Date(opensAt.getTime() - 20 * 86_400_000).toISOString(), closesAt: new Date(opensAt.getTime() - 86_400_000).toISOString() },
    feePerWishVnd: FEE,
    paymentGroups: [
      { code: 'N1', name: 'Nhóm 1 (Hà Nội)', provinceCodes: ['01'], opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() },
      { code: 'N2', name: 'Nhóm 2 (TP. Hồ Chí Minh)', provinceCodes: ['79'], opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() },
    ],
  };
}

export async function setAdmissionConfig(db: Db, opensAt: Date, closesAt: Date): Promise<void> {
  await db.write((trx) => setYearRule(trx, YEAR, 'admission', admissionConfig(opensAt, closesAt), new Date()));
}

let programmes = 0;
export async function addWishes(db: Db, candidateId: string, count: number, from = 1): Promise<string[]> {
  const ids: string[] = [];
  const at = new Date().toISOString();
  await db.write(async (trx) => {
    for (let i = 0; i < count; i++) {
      const n = ++programmes;
      const pid = `QHI-74802${String(n).padStart(2, '0')}-100`;
      await trx
        .insertInto('admission_programmes')
        .values({
          id: pid,
          exam_year: YEAR,
          institution_id: 'org-QHI',
          institution_code: 'QHI',
          code: `74802${String(n).padStart(2, '0')}`,
          method: '100',
          name: `Ngành ${n}`,
          search_name: `nganh ${n}`,
          combinations: JSON.stringify([{ code: 'A00' }]),
          scoring: 'sum',
          quota: 100,
          min_score_centi: null,
          teacher_training: 0,
          tie_policy: JSON.stringify({ kind: 'none' }),
          status: 'published',
          import_id: null,
          created_at: at,
          updated_at: at,
          published_at: at,
          published_by: null,
        })
        .execute();
      const id = newId();
      ids.push(id);
      await trx.insertInto('admission_wishes').values({ id, exam_year: YEAR, candidate_id: candidateId, position: from + i, programme_id: pid, combination: 'A00', fee_status: 'unpaid', paid_at: null, payment_id: null, created_at: at, updated_at: at }).execute();
    }
  });
  return ids;
}

export async function wishStates(db: Db, candidateId: string) {
  return db.read.selectFrom('admission_wishes').select(['id', 'position', 'fee_status', 'paid_at', 'payment_id']).where('candidate_id', '=', candidateId).orderBy('position').execute();
}

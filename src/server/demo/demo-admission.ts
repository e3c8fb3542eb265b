// The demo's admission season (issue 23): three institutions with their programmes published, the
// year's admission configuration with the wish window open around the demo's "now" (closing 17:00 local
// a week later), so a demo candidate can file wishes at once.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { orgIdForCode, type NewOrgUnit } from '../org/org.repository.ts';
import { searchKey } from '../../domain/admission-wishes.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';

export const DEMO_INSTITUTIONS: NewOrgUnit[] = [
  { kind: 'institution', code: 'QHI', name: 'Trường Đại học Công nghệ, ĐHQG Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
  { kind: 'institution', code: 'SPH', name: 'Trường Đại học Sư phạm Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
  { kind: 'institution', code: 'KHA', name: 'Trường Đại học Kinh tế Quốc dân', parentId: orgIdForCode('BGD'), departmentCode: '01' },
];

const PROGRAMMES: Array<[inst: string, code: string, name: string, combos: string[], quota: number, minCenti: number | null, teacher: boolean]> = [
  ['QHI', '7480201', 'Công nghệ thông tin', ['A00', 'A01'], 480, 2200, false],
  ['QHI', '7520207', 'Kỹ thuật điện tử - viễn thông', ['A00', 'A01'], 240, 2100, false],
  ['QHI', '7510302', 'Công nghệ kỹ thuật điện tử', ['A00', 'A01'], 180, 2000, false],
  ['SPH', '7140209', 'Sư phạm Toán học', ['A00', 'A01'], 120, 2400, true],
  ['SPH', '7140217', 'Sư phạm Ngữ văn', ['C00', 'D01'], 110, 2400, true],
  ['SPH', '7140231', 'Sư phạm Tiếng Anh', ['D01'], 90, 2500, true],
  ['KHA', '7340101', 'Quản trị kinh doanh', ['A00', 'A01', 'D01'], 400, 2300, false],
  ['KHA', '7310101', 'Kinh tế', ['A00', 'A01', 'D01'], 350, 2300, false],
  ['KHA', '7340201', 'Tài chính - Ngân hàng', ['A00', 'A01', 'D01'], 300, 2250, false],
];

/** rules.admission for the demo year: the window opened yesterday and closes at 17:00 local in 7 days. */
export function demoAdmissionConfig(now: Date): Record<string, unknown> {
  const local = instantToVietnamLocal(now).date;
  const day = (n: number) => {
    const d = new Date(`${local}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  return {
    wishCap: 15,
    teacherTrainingMaxPosition: 5,
    combinationFloor: 15,
    window: { opensAt: `${day(-1)}T00:00:00+07:00`, closesAt: `${day(7)}T17:00:00+07:00` },
    feePerWishVnd: 15000,
    paymentGroups: [
      { code: 'N1', name: 'Nhóm 1 (miền Bắc)', provinceCodes: ['01', '03', '04'], opensAt: `${day(8)}T00:00:00+07:00`, closesAt: `${day(10)}T17:00:00+07:00` },
      { code: 'N2', name: 'Nhóm 2 (miền Nam)', provinceCodes: ['02', '52', '55'], opensAt: `${day(11)}T00:00:00+07:00`, closesAt: `${day(13)}T17:00:00+07:00` },
    ],
    enrolmentDeadline: `${day(30)}T17:00:00+07:00`,
  };
}

export async function insertDemoProgrammes(trx: Kysely<DB>, year: number, publishedBy: string | null, now: Date): Promise<void> {
  const at = now.toISOString();
  await trx
    .insertInto('admission_programmes')
    .values(
      PROGRAMMES.map(([inst, code, name, combos, quota, minCenti, teacher]) => ({
        id: `${inst}-${code}-100`,
        exam_year: year,
        institution_id: orgIdForCode(inst),
        institution_code: inst,
        code,
        method: '100',
        name,
        search_name: searchKey(name),
        combinations: JSON.stringify(combos.map((c) => ({ code: c }))),
        scoring: 'sum' as const,
        quota,
        min_score_centi: minCenti,
        teacher_training: teacher ? 1 : 0,
        tie_policy: JSON.stringify({ kind: 'admit-all-tied' }),
        status: 'published' as const,
        import_id: null,
        created_at: at,
        updated_at: at,
        published_at: at,
        published_by: publishedBy,
      })),
    )
    .execute();
}

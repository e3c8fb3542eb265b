// Test fixtures for the registration suites (imported by tests only): an exam year whose windows the
// tests stand at the edges of, a point with candidates and staff, a valid dossier, and sessions.
import type { Db } from '../db/create-db.ts';
import type { Config } from '../config.ts';
import type { Role } from '../db/schema.ts';
import { insertOrgUnits, orgIdForCode } from '../org/org.repository.ts';
import { insertExamYear } from '../exam-years/exam-years.repository.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { sessionHeaders } from '../accounts/test-support.ts';
import { newId } from '../ids.ts';
import type { UserActor } from '../policy/policy.ts';
import type { Dossier } from '../../domain/dossier.ts';

export const YEAR = 2026;
/** Instants around the windows (local time is UTC+7). */
export const AT = {
  trial: new Date('2026-04-16T03:00:00Z'),
  trialLast: new Date('2026-04-18T09:59:59Z'),
  between: new Date('2026-04-19T03:00:00Z'),
  official: new Date('2026-04-22T03:00:00Z'),
  /** 16:59:59 local on the closing day */
  lastSecond: new Date('2026-04-28T09:59:59Z'),
  /** 17:00:00 local on the closing day */
  closed: new Date('2026-04-28T10:00:00Z'),
  correction: new Date('2026-05-02T03:00:00Z'),
} as const;

export interface RegWorld {
  users: Record<'candA' | 'candB' | 'candFree' | 'pointA' | 'pointOther' | 'ministry' | 'dept', UserActor>;
  cccd: Record<'candA' | 'candB' | 'candFree', string>;
}

export async function buildRegWorld(db: Db): Promise<RegWorld> {
  const now = new Date('2026-04-01T00:00:00Z');
  const users = {} as RegWorld['users'];
  const cccd = { candA: '001208012345', candB: '001308054321', candFree: '001205011111' };
  await db.write(async (trx) => {
    await insertOrgUnits(
      trx,
      [
        { kind: 'ministry', code: 'BGD', name: 'Bộ GD&ĐT', parentId: null, departmentCode: null },
        { kind: 'department', code: '01', name: 'Sở GD&ĐT Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
        { kind: 'point', code: '01001', name: 'Trường THPT Chu Văn An', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
        { kind: 'point', code: '01900', name: 'Điểm tiếp nhận thí sinh tự do', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'free' },
      ],
      now,
    );
    await insertExamYear(
      trx,
      {
        year: YEAR,
        scheme: 'CT2018',
        published: true,
        windows: {
          accountIssuing: { from: '2026-04-10', to: '2026-04-15' },
          trial: { from: '2026-04-15', to: '2026-04-18', closesAt: '17:00' },
          official: { from: '2026-04-21', to: '2026-04-28', closesAt: '17:00' },
          correction: { from: '2026-04-28', opensAt: '17:00', to: '2026-05-09', closesAt: '17:00' },
        },
      },
      now,
    );
    const staff: Array<[keyof RegWorld['users'], Role, string]> = [
      ['pointA', 'point_officer', '01001'],
      ['pointOther', 'point_officer', '01900'],
      ['ministry', 'ministry_admin', 'BGD'],
      ['dept', 'department_officer', '01'],
    ];
    for (const [k, role, org] of staff) {
      const id = newId();
      await insertUser(trx, { id, username: `${k}-${id.slice(-8)}`, role, orgUnitId: orgIdForCode(org), displayName: `Cán bộ ${k}`, passwordHash: 'not-used', mustChangePassword: false }, now);
      users[k] = { kind: 'user', userId: id, role, orgUnitId: orgIdForCode(org), departmentCode: org === 'BGD' ? null : '01', sessionId: 's', mustChangePassword: false };
    }
    const cands: Array<[keyof RegWorld['cccd'], string, 'M' | 'F', string, 'current' | 'free']> = [
      ['candA', 'Nguyễn Văn An', 'M', '2008-05-02', 'current'],
      ['candB', 'Trần Thị Bình', 'F', '2008-07-02', 'current'],
      ['candFree', 'Lê Văn Cường', 'M', '2005-03-03', 'free'],
    ];
    for (const [k, name, gender, dob, type] of cands) {
      const id = newId();
      const point = type === 'free' ? '01900' : '01001';
      await insertUser(trx, { id, username: cccd[k], role: 'candidate', orgUnitId: orgIdForCode(point), displayName: name, passwordHash: 'not-used', mustChangePassword: false }, now);
      await insertCandidates(
        trx,
        [{ id: newId(), userId: id, examYear: YEAR, pointId: orgIdForCode(point), departmentCode: '01', idKind: 'cccd', idNumber: cccd[k], fullName: name, gender, dateOfBirth: dob, birthProvince: '01', className: null, candidateType: type }],
        now,
      );
      users[k] = { kind: 'user', userId: id, role: 'candidate', orgUnitId: orgIdForCode(point), departmentCode: '01', sessionId: 's', mustChangePassword: false };
    }
  });
  return { users, cccd };
}

const grade = { provinceCode: '01', communeCode: '00001', schoolProvinceCode: '01', schoolCode: '001' };

/** A complete, valid CT2018 dossier for the candidate with this CCCD (born 2008 in Hà Nội). */
export function goodDossier(cccd = '001208012345', over: Partial<Dossier> = {}): Dossier {
  return {
    personal: { fullName: 'nguyễn văn an', gender: 'male', dateOfBirth: '2008-05-02', birthPlace: { provinceCode: '01' }, ethnicityCode: '01', nationality: 'VN', idNumber: cccd },
    residence: { grade10: grade, grade11: grade, grade12: grade, kv1Over18Months: false, disadvantagedCommuneOver18Months: false },
    contact: { phone: '0912 345 678', email: 'an@example.vn', address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội' },
    status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
    purpose: 'both',
    subjects: { electives: ['NN', 'LI'], foreignLanguage: 'N1' },
    exemption: {},
    retainedScores: [],
    priority: {},
    ...over,
  };
}

export function headersFor(db: Db, config: Config, u: UserActor, now: Date): Promise<Record<string, string>> {
  return sessionHeaders(db, config, u.userId, now);
}

// The demo exam year a newcomer sees after `npm start` on an empty database: the ministry, every
// department, a few registration points, one staff account per role and a class of candidates. The
// year's official window is open now, so every role can be clicked through at once.
import type { Db } from '../db/create-db.ts';
import { countOrgUnits, insertOrgUnits, orgIdForCode, type NewOrgUnit } from '../org/org.repository.ts';
import { insertExamYear } from '../exam-years/exam-years.repository.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { countingAccounts } from '../accounts/account-counts.ts';
import { insertCandidates, type NewCandidate } from '../candidates/candidates.repository.ts';
import { hashPassword } from '../accounts/password.ts';
import { newId } from '../ids.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import type { ExamYearWindows } from '../../domain/exam-year.ts';
import { getReference } from '../reference/reference.repository.ts';
import { DEMO_CLASS, demoPersonalNumber } from './demo-class.ts';
import { upsertSchools } from '../places/schools.repository.ts';
import { demoSchools } from '../places/demo-schools.ts';
import { DEMO_INSTITUTIONS, demoAdmissionConfig, insertDemoProgrammes } from './demo-admission.ts';

export const DEMO_STAFF_PASSWORD = 'ghidanh-demo-2026';
export const DEMO_CANDIDATE_PASSWORD = 'thisinh-demo-2026';

export interface DemoLogin {
  role: string;
  username: string;
  password: string;
  note: string;
}

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Windows placed around `now` so that the official window is open for the next week. */
export function demoWindows(now: Date): ExamYearWindows {
  const today = instantToVietnamLocal(now).date;
  return {
    accountIssuing: { from: shiftDays(today, -14), to: shiftDays(today, -8) },
    trial: { from: shiftDays(today, -10), to: shiftDays(today, -6), closesAt: '17:00' },
    official: { from: shiftDays(today, -2), to: shiftDays(today, 6), closesAt: '17:00' },
    correction: { from: shiftDays(today, 6), opensAt: '17:00', to: shiftDays(today, 17), closesAt: '17:00' },
  };
}

/** Loads the demo when the database holds no organisation yet. Returns the logins to print, or null. */
export async function loadDemoIfEmpty(db: Db, now: Date): Promise<DemoLogin[] | null> {
  if ((await countOrgUnits(db.read)) > 0) return null;
  const departments = (await getReference<{ examDepartments: Array<{ code: string; name: string }> }>(db.read, 'exam-departments'))
    .examDepartments;
  const year = Number(instantToVietnamLocal(now).date.slice(0, 4));
  const staffHash = await hashPassword(DEMO_STAFF_PASSWORD);
  const candidateHash = await hashPassword(DEMO_CANDIDATE_PASSWORD);

  const units: NewOrgUnit[] = [
    { kind: 'ministry', code: 'BGD', name: 'Bộ Giáo dục và Đào tạo', parentId: null, departmentCode: null },
    ...departments.map((d) => ({
      kind: 'department' as const,
      code: d.code,
      name: d.code === '65' ? d.name : `Sở GD&ĐT ${d.name}`,
      parentId: orgIdForCode('BGD'),
      departmentCode: d.code,
    })),
    { kind: 'point', code: '01001', name: 'Trường THPT Chu Văn An', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
    { kind: 'point', code: '01002', name: 'Trường THPT Việt Đức', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
    { kind: 'point', code: '01900', name: 'Điểm tiếp nhận thí sinh tự do Hà Nội', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'free' },
    { kind: 'point', code: '02001', name: 'Trường THPT Lê Hồng Phong', parentId: orgIdForCode('02'), departmentCode: '02', pointKind: 'school' },
    ...DEMO_INSTITUTIONS,
  ];

  const staff: Array<{ username: string; role: 'ministry_admin' | 'department_officer' | 'point_officer' | 'support_agent' | 'admissions_officer'; org: string; name: string; note: string }> = [
    { username: 'bo.quantri', role: 'ministry_admin', org: 'BGD', name: 'Quản trị Bộ GD&ĐT', note: 'Bộ GD&ĐT / ministry administrator' },
    { username: 'so.hanoi', role: 'department_officer', org: '01', name: 'Cán bộ Sở GD&ĐT Hà Nội', note: 'Sở Hà Nội / Hà Nội department' },
    { username: 'diem.01001', role: 'point_officer', org: '01001', name: 'Cán bộ THPT Chu Văn An', note: 'Điểm tiếp nhận / registration point' },
    { username: 'hotro.01', role: 'support_agent', org: 'BGD', name: 'Tổng đài viên 01', note: 'Tổng đài hỗ trợ / support desk' },
    { username: 'tuyensinh.qhi', role: 'admissions_officer', org: 'QHI', name: 'Cán bộ tuyển sinh QHI', note: 'Trường ĐH Công nghệ / institution admissions officer' },
  ];

  const candidates: NewCandidate[] = [];
  const candidateUsers: Array<{ id: string; username: string; name: string; issued: boolean }> = [];
  DEMO_CLASS.forEach(([name, gender, dob], i) => {
    const cccd = demoPersonalNumber(i);
    const userId = newId();
    // the first candidate already holds an account, so a newcomer can sign in as a candidate at once
    candidateUsers.push({ id: userId, username: cccd, name, issued: i === 0 });
    candidates.push({
      id: newId(),
      userId,
      examYear: year,
      pointId: orgIdForCode('01001'),
      departmentCode: '01',
      idKind: 'cccd',
      idNumber: cccd,
      fullName: name,
      gender,
      dateOfBirth: dob,
      birthProvince: '01',
      className: i < 6 ? '12A1' : '12A2',
      candidateType: 'current',
    });
  });

  await db.write(async (trx) => {
    await insertOrgUnits(trx, units, now);
    await insertExamYear(trx, { year, scheme: 'CT2018', windows: demoWindows(now), published: true, rules: { demo: true, admission: demoAdmissionConfig(now) } }, now);
    await insertDemoProgrammes(trx, year, null, now);
    for (const s of staff) {
      await insertUser(
        trx,
        { id: newId(), username: s.username, role: s.role, orgUnitId: orgIdForCode(s.org), displayName: s.name, passwordHash: staffHash, mustChangePassword: false },
        now,
      );
    }
    await countingAccounts(trx, candidateUsers.map((u) => u.id), async () => {
      for (const u of candidateUsers) {
        await insertUser(
          trx,
          { id: u.id, username: u.username, role: 'candidate', orgUnitId: orgIdForCode('01001'), displayName: u.name, passwordHash: u.issued ? candidateHash : null, mustChangePassword: true },
          now,
        );
      }
      await insertCandidates(trx, candidates, now);
    });
    await upsertSchools(trx, demoSchools(now)); // what the departments would import: schools by name
  });

  const first = candidateUsers[0]!;
  return [
    ...staff.map((s) => ({ role: s.role, username: s.username, password: DEMO_STAFF_PASSWORD, note: s.note })),
    { role: 'candidate', username: first.username, password: DEMO_CANDIDATE_PASSWORD, note: `Thí sinh / candidate ${first.name} (đổi mật khẩu lần đầu / change password at first sign-in)` },
  ];
}

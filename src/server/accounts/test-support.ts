// Test support (imported by tests only): a small world with two departments, two points, one account per
// role and a candidate in each point, plus sessions opened directly (no hashing) for fast requests.
import type { Db } from '../db/create-db.ts';
import type { Role } from '../db/schema.ts';
import type { Config } from '../config.ts';
import { insertOrgUnits, orgIdForCode } from '../org/org.repository.ts';
import { insertExamYear } from '../exam-years/exam-years.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { insertUser } from './users.repository.ts';
import { hashPassword } from './password.ts';
import { openSession } from './sessions.ts';
import { newId } from '../ids.ts';
import { sessionCookieName, CSRF_HEADER } from '../http/auth.ts';

export const WORLD_PASSWORD = 'mat-khau-thu-nghiem';

export interface World {
  year: number;
  ids: Record<
    | 'ministry'
    | 'ministry2'
    | 'dept01'
    | 'dept02'
    | 'point01'
    | 'point02'
    | 'support01'
    | 'supportNational'
    | 'candidateA'
    | 'candidateB'
    | 'candidateFresh'
    | 'point01b'
    | 'dept01b',
    string
  >;
  usernames: Record<string, string>;
  orgs: { ministry: string; d01: string; d02: string; p01: string; p02: string };
}

let cachedHash: Promise<string> | undefined;

export async function buildWorld(db: Db, now: Date, opts: { year?: number } = {}): Promise<World> {
  const hash = await (cachedHash ??= hashPassword(WORLD_PASSWORD));
  const year = opts.year ?? Number(now.toISOString().slice(0, 4));
  const suffix = newId().slice(-6);
  const ids = {} as World['ids'];
  const usernames: Record<string, string> = {};
  const staff: Array<[keyof World['ids'], Role, string, string]> = [
    ['ministry', 'ministry_admin', 'BGD', `bo.admin${suffix}`],
    ['ministry2', 'ministry_admin', 'BGD', `bo.admin2${suffix}`],
    ['dept01', 'department_officer', '01', `so.hn${suffix}`],
    ['dept01b', 'department_officer', '01', `so.hn2${suffix}`],
    ['dept02', 'department_officer', '02', `so.hcm${suffix}`],
    ['point01', 'point_officer', '01001', `diem.a${suffix}`],
    ['point01b', 'point_officer', '01001', `diem.b${suffix}`],
    ['point02', 'point_officer', '02001', `diem.c${suffix}`],
    ['support01', 'support_agent', '01', `hotro.hn${suffix}`],
    ['supportNational', 'support_agent', 'BGD', `hotro.bo${suffix}`],
  ];
  const digits = String(Math.floor(Math.random() * 900000) + 100000);
  const cands: Array<[keyof World['ids'], string, string, string, boolean]> = [
    ['candidateA', '01001', '01', `0012081${digits.slice(0, 5)}`, false],
    ['candidateB', '02001', '02', `0793081${digits.slice(0, 5)}`, false],
    ['candidateFresh', '01001', '01', `0012082${digits.slice(0, 5)}`, true],
  ];
  await db.write(async (trx) => {
    await insertOrgUnits(
      trx,
      [
        { kind: 'ministry', code: 'BGD', name: 'Bộ GD&ĐT', parentId: null, departmentCode: null },
        { kind: 'department', code: '01', name: 'Sở GD&ĐT Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
        { kind: 'department', code: '02', name: 'Sở GD&ĐT TP.HCM', parentId: orgIdForCode('BGD'), departmentCode: '02' },
        { kind: 'point', code: '01001', name: 'THPT Chu Văn An', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
        { kind: 'point', code: '02001', name: 'THPT Lê Hồng Phong', parentId: orgIdForCode('02'), departmentCode: '02', pointKind: 'school' },
      ],
      now,
    );
    const existing = await trx.selectFrom('exam_years').select('year').where('year', '=', year).executeTakeFirst();
    if (!existing) {
      await insertExamYear(
        trx,
        {
          year,
          scheme: 'CT2018',
          published: true,
          windows: {
            accountIssuing: { from: `${year}-01-01`, to: `${year}-12-31` },
            trial: { from: `${year}-01-01`, to: `${year}-01-05`, closesAt: '17:00' },
            official: { from: `${year}-01-06`, to: `${year}-12-30`, closesAt: '17:00' },
            correction: { from: `${year}-12-30`, opensAt: '17:00', to: `${year}-12-31`, closesAt: '17:00' },
          },
        },
        now,
      );
    }
    for (const [key, role, org, username] of staff) {
      ids[key] = newId();
      usernames[key] = username;
      await insertUser(trx, { id: ids[key], username, role, orgUnitId: orgIdForCode(org), displayName: `Cán bộ ${key}`, passwordHash: hash, mustChangePassword: false }, now);
    }
    for (const [key, point, dept, cccd, fresh] of cands) {
      ids[key] = newId();
      usernames[key] = cccd;
      await insertUser(trx, { id: ids[key], username: cccd, role: 'candidate', orgUnitId: orgIdForCode(point), displayName: `Thí sinh ${key}`, passwordHash: hash, mustChangePassword: fresh }, now);
      await insertCandidates(
        trx,
        [
          {
            id: newId(),
            userId: ids[key],
            examYear: year,
            pointId: orgIdForCode(point),
            departmentCode: dept,
            idKind: 'cccd',
            idNumber: cccd,
            fullName: `Nguyễn Văn ${key}`,
            gender: 'M',
            dateOfBirth: '2008-01-01',
            birthProvince: cccd.slice(0, 3),
            className: '12A1',
            candidateType: 'current',
          },
        ],
        now,
      );
    }
  });
  return {
    year,
    ids,
    usernames,
    orgs: { ministry: orgIdForCode('BGD'), d01: orgIdForCode('01'), d02: orgIdForCode('02'), p01: orgIdForCode('01001'), p02: orgIdForCode('02001') },
  };
}

/** Headers that make a request as this user: the session cookie and the CSRF header. */
export async function sessionHeaders(db: Db, config: Config, userId: string, now: Date): Promise<Record<string, string>> {
  const s = await db.write((trx) => openSession(trx, config, userId, now, '127.0.0.1'));
  return { cookie: `${sessionCookieName(config)}=${s.token}`, [CSRF_HEADER]: s.csrfToken };
}

/** The session cookie of a response, as a request header value. */
export function cookieFrom(res: { cookies: Array<{ name: string; value: string }> }, config: Config): string {
  const c = res.cookies.find((x) => x.name === sessionCookieName(config));
  if (!c) throw new Error('no session cookie in the response');
  return `${sessionCookieName(config)}=${c.value}`;
}

/**
 * The whole app for a test. The overload guard's event-loop check is off: a test process's first
 * requests run while modules still load, and a shed 503 there would make tests flaky, not safer.
 */
export function quietEnv(env: Record<string, string> = {}): Record<string, string> {
  return { MAX_EVENT_LOOP_DELAY_MS: '0', ...env };
}

// Users: staff and candidates' accounts. All SQL on the users table lives here.
import type { ExistingStudent } from './class-list-validate.ts';
import type { Kysely } from 'kysely';
import type { DB, Role, UserTable } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';

export interface User {
  id: string;
  username: string;
  role: Role;
  orgUnitId: string;
  displayName: string;
  status: UserTable['status'];
  mustChangePassword: boolean;
  lastSignInAt: string | null;
}

export function userFromRow(r: Omit<UserTable, 'password_hash'> & { password_hash?: string | null }): User {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    orgUnitId: r.org_unit_id,
    displayName: r.display_name,
    status: r.status,
    mustChangePassword: r.must_change_password === 1,
    lastSignInAt: r.last_sign_in_at,
  };
}

export interface NewUser {
  id: string;
  username: string;
  role: Role;
  orgUnitId: string;
  displayName: string;
  passwordHash: string | null;
  mustChangePassword: boolean;
}

export async function insertUser(db: Kysely<DB>, u: NewUser, now: Date): Promise<void> {
  const ts = now.toISOString();
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      role: u.role,
      org_unit_id: u.orgUnitId,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      status: u.passwordHash ? 'active' : 'not_issued',
      must_change_password: u.mustChangePassword ? 1 : 0,
      password_set_at: u.passwordHash ? ts : null,
      last_sign_in_at: null,
      created_at: ts,
      updated_at: ts,
    })
    .execute();
}

export async function findUserByUsername(db: Kysely<DB>, username: string): Promise<(User & { passwordHash: string | null }) | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? { ...userFromRow(r), passwordHash: r.password_hash } : undefined;
}

/** An account with where it sits in the tree: what the policy needs to decide about it. */
export interface AccountRef extends User {
  orgKind: 'ministry' | 'department' | 'point' | 'institution';
  orgCode: string;
  departmentCode: string | null;
  /** for a candidate: their record's point and the id number (the username), else null */
  candidate: { id: string; pointId: string; departmentCode: string; idNumber: string; fullName: string; className: string | null } | null;
}

/** The user columns every account read maps through userFromRow (never the password hash). */
const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.role',
  'u.org_unit_id',
  'u.display_name',
  'u.status',
  'u.must_change_password',
  'u.password_set_at',
  'u.last_sign_in_at',
  'u.created_at',
  'u.updated_at',
] as const;

export async function findAccount(db: Kysely<DB>, userId: string): Promise<AccountRef | undefined> {
  const r = await db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .leftJoin('candidates as c', 'c.user_id', 'u.id')
    .select([
      ...USER_COLUMNS,
      'o.kind as org_kind',
      'o.code as org_code',
      'o.department_code',
      'c.id as candidate_id',
      'c.point_id',
      'c.department_code as candidate_department_code',
      'c.id_number',
      'c.full_name',
      'c.class_name',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    ...userFromRow(r),
    orgKind: r.org_kind,
    orgCode: r.org_code,
    departmentCode: r.department_code,
    candidate:
      r.candidate_id && r.point_id && r.candidate_department_code && r.id_number && r.full_name
        ? { id: r.candidate_id, pointId: r.point_id, departmentCode: r.candidate_department_code, idNumber: r.id_number, fullName: r.full_name, className: r.class_name }
        : null,
  };
}

export async function findPasswordHash(db: Kysely<DB>, userId: string): Promise<string | null> {
  const r = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return r?.password_hash ?? null;
}

/** A new password: an issued/reset one-time password (mustChange) or the user's own choice. */
export async function setPassword(db: Kysely<DB>, userId: string, hash: string, mustChange: boolean, now: Date): Promise<void> {
  const ts = now.toISOString();
  await db
    .updateTable('users')
    .set((eb) => ({
      password_hash: hash,
      must_change_password: mustChange ? 1 : 0,
      password_set_at: ts,
      updated_at: ts,
      // issuing activates an account that had none; a disabled account stays disabled
      status: eb.case().when('status', '=', 'not_issued').then('active' as const).else(eb.ref('status')).end(),
    }))
    .where('id', '=', userId)
    .execute();
}

export async function setUserStatus(db: Kysely<DB>, userId: string, status: 'active' | 'disabled', now: Date): Promise<void> {
  await db.updateTable('users').set({ status, updated_at: now.toISOString() }).where('id', '=', userId).execute();
}

const signedIn = prepared<{ id: string; at: string }, never>((db, p) => db.updateTable('users').set({ last_sign_in_at: p('at') }).where('id', '=', p('id')));

export async function markSignedIn(db: Kysely<DB>, userId: string, now: Date): Promise<void> {
  await signedIn(db, { id: userId, at: now.toISOString() });
}

/** A candidate account moves to the registration point it chose (a VNeID account starts without one). */
export async function setUserOrgUnit(db: Kysely<DB>, userId: string, orgUnitId: string, now: Date): Promise<void> {
  await db.updateTable('users').set({ org_unit_id: orgUnitId, updated_at: now.toISOString() }).where('id', '=', userId).execute();
}

export async function usernameExists(db: Kysely<DB>, username: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return r !== undefined;
}

/** Which of these usernames are taken (chunked: a class list can hold 20,000 of them). */
export async function existingUsernames(db: Kysely<DB>, usernames: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < usernames.length; i += 1000) {
    const rows = await db.selectFrom('users').select('username').where('username', 'in', usernames.slice(i, i + 1000)).execute();
    for (const r of rows) out.add(r.username);
  }
  return out;
}

/**
 * Which of these usernames are taken, each with the candidate of `examYear` it belongs to (point, folded
 * name, date of birth), or null for an account that is no candidate of that year (chunked like the above).
 */
export async function existingAccounts(db: Kysely<DB>, usernames: string[], examYear: number): Promise<Map<string, ExistingStudent | null>> {
  const out = new Map<string, ExistingStudent | null>();
  for (let i = 0; i < usernames.length; i += 1000) {
    const rows = await db
      .selectFrom('users as u')
      .leftJoin('candidates as c', (j) => j.onRef('c.user_id', '=', 'u.id').on('c.exam_year', '=', examYear))
      .select(['u.username', 'c.id', 'c.point_id', 'c.full_name', 'c.name_folded', 'c.date_of_birth', 'c.gender', 'c.class_name', 'c.identity_source'])
      .where('u.username', 'in', usernames.slice(i, i + 1000))
      .execute();
    for (const r of rows) {
      out.set(
        r.username,
        r.id && r.point_id && r.full_name && r.name_folded && r.date_of_birth && r.gender
          ? { candidateId: r.id, pointId: r.point_id, fullName: r.full_name, nameFolded: r.name_folded, dateOfBirth: r.date_of_birth, gender: r.gender, className: r.class_name ?? null, identityVerified: Boolean(r.identity_source) }
          : null,
      );
    }
  }
  return out;
}

export async function insertUsers(db: Kysely<DB>, list: NewUser[], now: Date): Promise<void> {
  const ts = now.toISOString();
  // 12 columns a row: 400 rows stay well under PostgreSQL's parameter limit and SQLite's
  for (let i = 0; i < list.length; i += 400) {
    await db
      .insertInto('users')
      .values(
        list.slice(i, i + 400).map((u) => ({
          id: u.id,
          username: u.username,
          role: u.role,
          org_unit_id: u.orgUnitId,
          display_name: u.displayName,
          password_hash: u.passwordHash,
          status: u.passwordHash ? ('active' as const) : ('not_issued' as const),
          must_change_password: u.mustChangePassword ? 1 : 0,
          password_set_at: u.passwordHash ? ts : null,
          last_sign_in_at: null,
          created_at: ts,
          updated_at: ts,
        })),
      )
      .execute();
  }
}

export interface StaffMember extends User {
  orgCode: string;
  orgName: string;
  orgKind: 'ministry' | 'department' | 'point' | 'institution';
  departmentCode: string | null;
}

/** Staff accounts within a department (or everywhere when departmentCode is undefined). */
export async function listStaff(db: Kysely<DB>, filter: { departmentCode?: string; orgUnitId?: string }): Promise<StaffMember[]> {
  let q = db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .select([
      ...USER_COLUMNS,
      'o.code as org_code',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.department_code',
    ])
    .where('u.role', '!=', 'candidate');
  if (filter.departmentCode !== undefined) q = q.where('o.department_code', '=', filter.departmentCode);
  if (filter.orgUnitId !== undefined) q = q.where('u.org_unit_id', '=', filter.orgUnitId);
  const rows = await q.orderBy('o.code').orderBy('u.username').limit(5000).execute();
  return rows.map((r) => ({ ...userFromRow(r), orgCode: r.org_code, orgName: r.org_name, orgKind: r.org_kind, departmentCode: r.department_code }));
}

export interface IssuableCandidate {
  userId: string;
  username: string;
  status: UserTable['status'];
  candidateId: string;
  fullName: string;
  className: string | null;
  dateOfBirth: string;
}

/** A point's candidates for an exam year, optionally narrowed to some of them or one class. */
export async function listPointCandidates(
  db: Kysely<DB>,
  pointId: string,
  examYear: number,
  f: { userIds?: string[]; className?: string; onlyNotIssued?: boolean } = {},
): Promise<IssuableCandidate[]> {
  let q = db
    .selectFrom('candidates as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id as user_id', 'u.username', 'u.status', 'c.id as candidate_id', 'c.full_name', 'c.class_name', 'c.date_of_birth', 'c.given_name', 'c.middle_name', 'c.family_name'])
    .where('c.point_id', '=', pointId)
    .where('c.exam_year', '=', examYear);
  if (f.className !== undefined) q = q.where('c.class_name', '=', f.className);
  if (f.onlyNotIssued) q = q.where('u.status', '=', 'not_issued');
  if (f.userIds !== undefined) {
    if (f.userIds.length === 0) return [];
    q = q.where('u.id', 'in', f.userIds);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    userId: r.user_id,
    username: r.username,
    status: r.status,
    candidateId: r.candidate_id,
    fullName: r.full_name,
    className: r.class_name,
    dateOfBirth: r.date_of_birth,
  }));
}

// a sign-in's reads and writes are compiled once: on the hot path Kysely's compile costs more than the lookup
const userForSignIn = prepared<{ username: string }, UserTable & { department_code: string | null }>((db, p) =>
  db.selectFrom('users as u').innerJoin('org_units as o', 'o.id', 'u.org_unit_id').selectAll('u').select('o.department_code').where('u.username', '=', p('username')),
);

/** What sign-in needs: the account, its hash and the department it belongs to (for the audit trail). */
export async function findUserForSignIn(
  db: Kysely<DB>,
  username: string,
): Promise<(User & { passwordHash: string | null; departmentCode: string | null }) | undefined> {
  const r = (await userForSignIn(db, { username })).rows[0];
  return r ? { ...userFromRow(r), passwordHash: r.password_hash, departmentCode: r.department_code } : undefined;
}

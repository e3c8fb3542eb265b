// Users: staff and candidates' accounts. All SQL on the users table lives here.
import type { Kysely } from 'kysely';
import type { DB, Role, UserTable } from '../db/schema.ts';

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

// Sign-in with VNeID: the attempts in flight (state, nonce, PKCE verifier, used once) and the link from a
// VNeID identity to the one account of that person. All SQL on oidc_sign_ins and external_identities here.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { VneidIdentity } from '../../../domain/vneid.ts';

export const VNEID_PROVIDER = 'vneid';

export interface SignInAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  browserBinding: string;
}

export async function insertSignInAttempt(db: Kysely<DB>, a: SignInAttempt & { createdAt: Date; expiresAt: Date; ip: string | null }): Promise<void> {
  await db
    .insertInto('oidc_sign_ins')
    .values({
      state: a.state,
      provider: VNEID_PROVIDER,
      nonce: a.nonce,
      code_verifier: a.codeVerifier,
      browser_binding: a.browserBinding,
      created_at: a.createdAt.toISOString(),
      expires_at: a.expiresAt.toISOString(),
      used_at: null,
      ip: a.ip,
    })
    .execute();
}

/**
 * Takes the attempt for this state, once: marked used in the same statement, so a replayed callback
 * (or two racing ones) finds nothing. Answers why not when it is not there to take.
 */
export async function claimSignInAttempt(db: Kysely<DB>, state: string, now: Date): Promise<SignInAttempt | 'unknown' | 'used' | 'expired'> {
  const ts = now.toISOString();
  const row = await db
    .updateTable('oidc_sign_ins')
    .set({ used_at: ts })
    .where('state', '=', state)
    .where('used_at', 'is', null)
    .where('expires_at', '>', ts)
    .returning(['state', 'nonce', 'code_verifier', 'browser_binding'])
    .executeTakeFirst();
  if (row) return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, browserBinding: row.browser_binding };
  const had = await db.selectFrom('oidc_sign_ins').select(['used_at']).where('state', '=', state).executeTakeFirst();
  return !had ? 'unknown' : had.used_at ? 'used' : 'expired';
}

/** Attempts a day past their end are of no use, even to explain a replay. */
export async function purgeSignInAttempts(db: Kysely<DB>, now: Date): Promise<void> {
  await db.deleteFrom('oidc_sign_ins').where('expires_at', '<', new Date(now.getTime() - 86400_000).toISOString()).execute();
}

export interface ExistingPerson {
  userId: string;
  role: string;
  status: 'not_issued' | 'active' | 'disabled';
  candidateId: string | null;
  candidateDateOfBirth: string | null;
  candidateFullName: string | null;
  /** already linked to this VNeID identity */
  linked: boolean;
}

/** The account of this personal number: through an earlier link, else the account named by it. */
export async function findPersonAccount(db: Kysely<DB>, personalNumber: string): Promise<ExistingPerson | undefined> {
  const link = await db.selectFrom('external_identities').select('user_id').where('provider', '=', VNEID_PROVIDER).where('subject', '=', personalNumber).executeTakeFirst();
  let q = db
    .selectFrom('users as u')
    .leftJoin('candidates as c', 'c.user_id', 'u.id')
    .select(['u.id', 'u.role', 'u.status', 'c.id as candidate_id', 'c.date_of_birth', 'c.full_name']);
  q = link ? q.where('u.id', '=', link.user_id) : q.where('u.username', '=', personalNumber);
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  return { userId: r.id, role: r.role, status: r.status, candidateId: r.candidate_id, candidateDateOfBirth: r.date_of_birth, candidateFullName: r.full_name, linked: Boolean(link) };
}

export async function upsertIdentityLink(db: Kysely<DB>, userId: string, i: VneidIdentity, now: Date): Promise<void> {
  const ts = now.toISOString();
  const values = {
    user_id: userId,
    level: i.level,
    full_name: i.fullName,
    date_of_birth: i.dateOfBirth,
    gender: i.gender,
    ethnicity_code: i.ethnicityCode,
    permanent_residence: i.permanentResidence ? JSON.stringify(i.permanentResidence) : null,
    current_residence: i.currentResidence ? JSON.stringify(i.currentResidence) : null,
    last_seen_at: ts,
  };
  await db
    .insertInto('external_identities')
    .values({ provider: VNEID_PROVIDER, subject: i.personalNumber, first_seen_at: ts, ...values })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doUpdateSet(values))
    .execute();
}

/** The VNeID identity linked to an account, as VNeID last gave it. */
export async function identityOfUser(db: Kysely<DB>, userId: string): Promise<(VneidIdentity & { firstSeenAt: string; lastSeenAt: string }) | undefined> {
  const r = await db.selectFrom('external_identities').selectAll().where('provider', '=', VNEID_PROVIDER).where('user_id', '=', userId).executeTakeFirst();
  if (!r) return undefined;
  return {
    personalNumber: r.subject,
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    gender: r.gender,
    ethnicityCode: r.ethnicity_code,
    permanentResidence: r.permanent_residence ? (JSON.parse(r.permanent_residence) as VneidIdentity['permanentResidence']) : null,
    currentResidence: r.current_residence ? (JSON.parse(r.current_residence) as VneidIdentity['currentResidence']) : null,
    level: r.level === 1 ? 1 : 2,
    provider: 'VNeID',
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
  };
}

export interface FreePoint {
  id: string;
  code: string;
  name: string;
  address: string | null;
  departmentCode: string;
  departmentName: string;
}

/** Registration points that take free candidates, with their department, in code order. */
export async function listFreePoints(db: Kysely<DB>): Promise<FreePoint[]> {
  const rows = await db
    .selectFrom('org_units as p')
    .innerJoin('org_units as d', (j) => j.onRef('d.code', '=', 'p.department_code').on('d.kind', '=', 'department'))
    .select(['p.id', 'p.code', 'p.name', 'p.address', 'p.department_code', 'd.name as department_name'])
    .where('p.kind', '=', 'point')
    .where('p.point_kind', '=', 'free')
    .where('p.active', '=', 1)
    .orderBy('p.code')
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, address: r.address, departmentCode: r.department_code ?? '', departmentName: r.department_name }));
}

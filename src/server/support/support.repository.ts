// All SQL of the support desk: finding a candidate within the agent's scope, the candidate's card
// (account, dossier, history read-only), and the call log.
import type { Kysely, ExpressionBuilder } from 'kysely';
import type { DB, SupportCallTable } from '../db/schema.ts';
import type { Scope } from '../policy/policy.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { CallCategory, CallOutcome } from '../../contracts/support.ts';

export interface FoundCandidate {
  candidateId: string;
  userId: string;
  fullName: string;
  dateOfBirth: string;
  idNumber: string;
  className: string | null;
  pointId: string;
  pointName: string;
  departmentCode: string;
}

function candidateScope(scope: Scope) {
  return (eb: ExpressionBuilder<DB & { c: DB['candidates'] }, 'c'>) => {
    if ('all' in scope) return eb.lit(true) as unknown as ReturnType<typeof eb.and>;
    if ('departmentCode' in scope) return eb('c.department_code', '=', scope.departmentCode);
    if ('pointId' in scope) return eb('c.point_id', '=', scope.pointId);
    if ('institutionId' in scope) return eb.lit(false) as unknown as ReturnType<typeof eb.and>;
    return eb('c.user_id', '=', scope.userId);
  };
}

/**
 * Candidates of an exam year within `scope` matching exactly one of: the personal number, the dossier code
 * (unique), or the folded full name together with the date of birth. Both are equality matches on indexed columns, so a caller's
 * text never acts as a pattern and a national desk's look-up stays an index probe.
 */
export async function findCandidates(
  db: Kysely<DB>,
  scope: Scope,
  q: { examYear: number; limit: number } & ({ idNumber: string } | { dossierCode: string } | { nameFolded: string; dateOfBirth: string }),
): Promise<FoundCandidate[]> {
  let query = db
    .selectFrom('candidates as c')
    .innerJoin('org_units as o', 'o.id', 'c.point_id')
    .select(['c.id', 'c.user_id', 'c.full_name', 'c.date_of_birth', 'c.id_number', 'c.class_name', 'c.point_id', 'o.name as point_name', 'c.department_code'])
    .where('c.exam_year', '=', q.examYear)
    .where(candidateScope(scope));
  if ('idNumber' in q) query = query.where('c.id_number', '=', q.idNumber);
  else if ('dossierCode' in q) query = query.where((eb) => eb.exists(eb.selectFrom('dossiers as d').select('d.id').whereRef('d.candidate_id', '=', 'c.id').where('d.code', '=', q.dossierCode)));
  else query = query.where('c.name_folded', '=', q.nameFolded).where('c.date_of_birth', '=', q.dateOfBirth);
  const rows = await query.orderBy('c.sort_key').orderBy('c.id').limit(q.limit).execute();
  return rows.map((r) => ({
    candidateId: r.id,
    userId: r.user_id,
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    idNumber: r.id_number,
    className: r.class_name,
    pointId: r.point_id,
    pointName: r.point_name,
    departmentCode: r.department_code,
  }));
}

export interface CandidateCard {
  candidate: {
    id: string;
    userId: string;
    examYear: number;
    fullName: string;
    dateOfBirth: string;
    gender: 'M' | 'F';
    idNumber: string;
    className: string | null;
    candidateType: 'current' | 'free';
    pointId: string;
    pointName: string;
    departmentCode: string;
  };
  account: { status: 'not_issued' | 'active' | 'disabled'; mustChangePassword: boolean; passwordSetAt: string | null; lastSignInAt: string | null };
  dossier: null | {
    id: string;
    isTrial: boolean;
    status: DossierStatus;
    version: number;
    channel: 'online' | 'desk';
    code: string | null;
    formNumber: string | null;
    submittedAt: string | null;
    verifiedAt: string | null;
    returnedAt: string | null;
    returnReason: string | null;
    updatedAt: string;
  };
}

/** A candidate with their account and dossier (the official one, else the trial one). No dossier data. */
export async function findCandidateCard(db: Kysely<DB>, candidateId: string): Promise<CandidateCard | undefined> {
  const c = await db
    .selectFrom('candidates as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('org_units as o', 'o.id', 'c.point_id')
    .select([
      'c.id', 'c.user_id', 'c.exam_year', 'c.full_name', 'c.date_of_birth', 'c.gender', 'c.id_number', 'c.class_name', 'c.candidate_type', 'c.point_id', 'c.department_code',
      'o.name as point_name', 'u.status', 'u.must_change_password', 'u.password_set_at', 'u.last_sign_in_at',
    ])
    .where('c.id', '=', candidateId)
    .executeTakeFirst();
  if (!c) return undefined;
  const d = await db
    .selectFrom('dossiers')
    .select(['id', 'is_trial', 'status', 'version', 'channel', 'code', 'form_number', 'submitted_at', 'verified_at', 'returned_at', 'return_reason', 'updated_at'])
    .where('candidate_id', '=', candidateId)
    .orderBy('is_trial')
    .limit(1)
    .executeTakeFirst();
  return {
    candidate: {
      id: c.id,
      userId: c.user_id,
      examYear: c.exam_year,
      fullName: c.full_name,
      dateOfBirth: c.date_of_birth,
      gender: c.gender,
      idNumber: c.id_number,
      className: c.class_name,
      candidateType: c.candidate_type,
      pointId: c.point_id,
      pointName: c.point_name,
      departmentCode: c.department_code,
    },
    account: { status: c.status, mustChangePassword: c.must_change_password === 1, passwordSetAt: c.password_set_at, lastSignInAt: c.last_sign_in_at },
    dossier: d
      ? {
          id: d.id,
          isTrial: d.is_trial === 1,
          status: d.status,
          version: d.version,
          channel: d.channel,
          code: d.code,
          formNumber: d.form_number,
          submittedAt: d.submitted_at,
          verifiedAt: d.verified_at,
          returnedAt: d.returned_at,
          returnReason: d.return_reason,
          updatedAt: d.updated_at,
        }
      : null,
  };
}

export interface HistoryEntry {
  at: string;
  event: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorRole: string | null;
  sections: string[];
  reason: string | null;
}

/** The dossier's history, newest first: events only; the before/after data stays with registration. */
export async function listDossierHistory(db: Kysely<DB>, dossierId: string, limit = 50): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('dossier_events')
    .select(['at', 'event', 'from_status', 'to_status', 'actor_role', 'sections', 'reason'])
    .where('dossier_id', '=', dossierId)
    .orderBy('at', 'desc')
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: r.at,
    event: r.event,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actorRole: r.actor_role,
    sections: r.sections ? r.sections.split(',') : [],
    reason: r.reason,
  }));
}

// ---- calls ----

export interface SupportCall {
  id: string;
  agentId: string;
  candidateId: string | null;
  /** the candidate's name, read with the call (not stored in it), so a list of calls says who */
  candidateName: string | null;
  departmentCode: string | null;
  category: CallCategory;
  note: string;
  outcome: CallOutcome;
  status: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

function callOf(r: SupportCallTable & { candidate_name?: string | null }): SupportCall {
  return {
    id: r.id,
    agentId: r.agent_id,
    candidateId: r.candidate_id,
    candidateName: r.candidate_name ?? null,
    departmentCode: r.department_code,
    category: r.category as CallCategory,
    note: r.note,
    outcome: r.outcome as CallOutcome,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

/** A call and its candidate's name. */
const callsWithName = (db: Kysely<DB>) =>
  db.selectFrom('support_calls as s').leftJoin('candidates as c', 'c.id', 's.candidate_id').selectAll('s').select('c.full_name as candidate_name');

export async function insertCall(trx: Kysely<DB>, c: Omit<SupportCall, 'updatedAt' | 'closedAt' | 'candidateName'>, candidateName: string | null): Promise<SupportCall> {
  const row: SupportCallTable = {
    id: c.id,
    agent_id: c.agentId,
    candidate_id: c.candidateId,
    department_code: c.departmentCode,
    category: c.category,
    note: c.note,
    outcome: c.outcome,
    status: c.status,
    created_at: c.createdAt,
    updated_at: c.createdAt,
    closed_at: c.status === 'closed' ? c.createdAt : null,
  };
  await trx.insertInto('support_calls').values(row).execute();
  return callOf({ ...row, candidate_name: candidateName });
}

export async function findCall(db: Kysely<DB>, id: string): Promise<SupportCall | undefined> {
  const r = await callsWithName(db).where('s.id', '=', id).executeTakeFirst();
  return r ? callOf(r) : undefined;
}

/** Closes an open call; false when it was already closed (a second agent closing it loses). */
export async function closeCallIfOpen(trx: Kysely<DB>, id: string, patch: { outcome?: CallOutcome; note?: string }, now: Date): Promise<boolean> {
  const ts = now.toISOString();
  const r = await trx
    .updateTable('support_calls')
    .set({ status: 'closed', closed_at: ts, updated_at: ts, ...(patch.outcome ? { outcome: patch.outcome } : {}), ...(patch.note !== undefined ? { note: patch.note } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Calls within a scope, newest first, keyset-paged on (created_at, id). */
export async function listCalls(
  db: Kysely<DB>,
  scope: Scope,
  q: { status: 'open' | 'closed'; candidateId?: string; after?: { createdAt: string; id: string }; limit: number },
): Promise<SupportCall[]> {
  let query = callsWithName(db).where('s.status', '=', q.status);
  if ('departmentCode' in scope) query = query.where('s.department_code', '=', scope.departmentCode);
  else if (!('all' in scope)) return [];
  if (q.candidateId !== undefined) query = query.where('s.candidate_id', '=', q.candidateId);
  if (q.after) {
    const { createdAt, id } = q.after;
    query = query.where((eb) => eb.or([eb('s.created_at', '<', createdAt), eb.and([eb('s.created_at', '=', createdAt), eb('s.id', '<', id)])]));
  }
  const rows = await query.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(q.limit).execute();
  return rows.map(callOf);
}

export async function recentCallsOf(db: Kysely<DB>, candidateId: string, limit = 20): Promise<SupportCall[]> {
  const rows = await callsWithName(db).where('s.candidate_id', '=', candidateId).orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
  return rows.map(callOf);
}

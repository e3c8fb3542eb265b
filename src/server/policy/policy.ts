// The one place that decides who may do what to which record: (actor, action, resource) → allowed?
// Decisions come from the role and the actor's place in the organisation tree. It fails closed: an
// unknown action, a missing scope or any error means "denied". Routes call authorize(); list queries
// ask scopeOf() for the filter to apply, so a list can never reach past the actor's scope.
import { AppError } from '../http/errors.ts';
import type { Role } from '../db/schema.ts';

export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      role: Role;
      /** staff: the node they work in; candidate: their registration point */
      orgUnitId: string;
      /** the exam department of that node (null for the ministry) */
      departmentCode: string | null;
      sessionId: string;
      mustChangePassword: boolean;
    };

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** What a decision is about: where the record sits in the tree, and whose it is. */
export type Resource =
  | { type: 'candidate'; userId: string; pointId: string; departmentCode: string }
  | { type: 'org'; orgUnitId: string; orgKind: OrgKind; departmentCode: string | null }
  /** a staff member's account: managed only by the level above, within its scope */
  | { type: 'staff'; userId: string; role: Exclude<Role, 'candidate'>; orgUnitId: string; orgKind: OrgKind; departmentCode: string | null }
  /** a university or college's admission records (its programmes, the wishes counted for it) */
  | { type: 'institution'; institutionId: string }
  | { type: 'national' };

export type OrgKind = 'ministry' | 'department' | 'point' | 'institution';

/** The scope a list query must be limited to. */
export type Scope = { all: true } | { departmentCode: string } | { pointId: string } | { userId: string } | { institutionId: string };

export type Action =
  // a candidate's own record, or staff acting on it
  | 'candidate.read'
  | 'dossier.edit'
  | 'dossier.submit'
  | 'dossier.verify'
  | 'dossier.return'
  | 'dossier.correct'
  | 'dossier.register_desk'
  | 'dossier.export'
  | 'account.issue'
  | 'account.reset_password'
  | 'account.end_sessions'
  // organisation and staff
  | 'org.read'
  | 'org.manage'
  | 'staff.manage'
  | 'stats.read'
  | 'support.lookup'
  | 'support.log_call'
  | 'exam_year.manage'
  | 'audit.read'
  // after registration: candidate numbers, exam sites and rooms of a department's council
  | 'exam.manage'
  // the council's marks: upload and read the imports; publish one (never the uploader: see results/publish.ts)
  | 'results.upload'
  | 'results.publish'
  // a point's school-year averages (and graduation priority groups) of its candidates
  | 'results.averages'
  // score reviews (phúc khảo): a candidate asks for their own papers; the council's department runs them
  | 'review.request'
  | 'review.manage'
  // the published results' statistics: a department its own council, the ministry every one and the nation
  | 'results.stats'
  // live traffic and load of the service (the ministry's operations page)
  | 'ops.read'
  // university admission (issue 23): a candidate's own wishes; an institution's catalogue (its admissions
  // officers, and the ministry which checks it); publishing a catalogue and the year's configuration
  // (the ministry only); the counts of wishes (an institution its own, the ministry all)
  | 'admission.wish'
  | 'admission.catalogue'
  | 'admission.publish'
  | 'admission.stats'
  // admission fees: a candidate pays their own wishes; the ministry sees the totals, reconciles, refunds
  | 'payment.pay'
  | 'payment.manage'
  // the national admission run (issue 24): start a provisional run, publish it (the ministry)
  | 'admission.run'
  // a run's results of an institution: its admitted list, cut-offs and dashboard (its officers, the ministry)
  | 'admission.results'
  // a candidate's own admission result and enrolment confirmation
  | 'admission.own';

const STAFF_ROLES: ReadonlySet<Role> = new Set(['ministry_admin', 'department_officer', 'point_officer', 'support_agent', 'admissions_officer']);

/** Actions each role may take at all; scope is checked separately. */
const ROLE_ACTIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  candidate: new Set<Action>(['candidate.read', 'dossier.edit', 'dossier.submit', 'review.request', 'admission.wish', 'payment.pay', 'admission.own']),
  point_officer: new Set<Action>([
    'candidate.read',
    'dossier.edit',
    'dossier.submit',
    'dossier.verify',
    'dossier.return',
    'dossier.correct',
    'dossier.register_desk',
    'dossier.export',
    'account.issue',
    'account.reset_password',
    'account.end_sessions',
    'org.read',
    'stats.read',
    'results.averages',
  ]),
  department_officer: new Set<Action>([
    'candidate.read',
    'dossier.export',
    'account.reset_password',
    'account.end_sessions',
    'org.read',
    'org.manage',
    'staff.manage',
    'stats.read',
    'audit.read',
    'exam.manage',
    'results.upload',
    'results.publish',
    'review.manage',
    'results.stats',
  ]),
  ministry_admin: new Set<Action>([
    'candidate.read',
    'account.reset_password',
    'account.end_sessions',
    'org.read',
    'org.manage',
    'staff.manage',
    'stats.read',
    'exam_year.manage',
    'audit.read',
    'ops.read',
    'results.stats',
    'admission.catalogue',
    'admission.publish',
    'admission.stats',
    'payment.manage',
    'admission.run',
    'admission.results',
  ]),
  support_agent: new Set<Action>(['candidate.read', 'account.reset_password', 'support.lookup', 'support.log_call']),
  admissions_officer: new Set<Action>(['admission.catalogue', 'admission.stats', 'admission.results']),
};

/**
 * Who manages whose staff account: the level above, never the same level or a lower one. A department
 * officer manages the point officers and support agents of its own department; the ministry manages
 * department officers and support agents anywhere. Ministry administrators are created from the command
 * line (there is no level above them). An institution's admissions officers are created by the ministry.
 */
const MANAGES: Readonly<Record<Role, ReadonlySet<Role>>> = {
  ministry_admin: new Set<Role>(['department_officer', 'support_agent', 'admissions_officer']),
  department_officer: new Set<Role>(['point_officer', 'support_agent']),
  point_officer: new Set<Role>(),
  support_agent: new Set<Role>(),
  candidate: new Set<Role>(),
  admissions_officer: new Set<Role>(),
};

const CANDIDATE_RESETTERS: ReadonlySet<Role> = new Set<Role>(['point_officer', 'support_agent']);

/** Actions that apply to a staff account (all decided by the level-above rule). */
const STAFF_ACCOUNT_ACTIONS: ReadonlySet<Action> = new Set<Action>(['staff.manage', 'account.reset_password', 'account.end_sessions']);

/** Roles the actor may create or manage (for forms and for checking a requested role). */
export function manageableRoles(actor: Actor): Role[] {
  if (actor.kind !== 'user' || actor.mustChangePassword) return [];
  return [...MANAGES[actor.role]];
}

/** The scope of an actor for an action, or null when the actor may not take it anywhere. */
export function scopeOf(actor: Actor, action: Action): Scope | null {
  if (actor.kind !== 'user') return null;
  // a one-time password must be changed before anything else (only me, sign-out, change-password remain)
  if (actor.mustChangePassword) return null;
  if (!ROLE_ACTIONS[actor.role]?.has(action)) return null;
  switch (actor.role) {
    case 'candidate':
      return { userId: actor.userId };
    case 'point_officer':
      return { pointId: actor.orgUnitId };
    case 'department_officer':
      return actor.departmentCode ? { departmentCode: actor.departmentCode } : null;
    case 'ministry_admin':
      return { all: true };
    case 'support_agent':
      // a national desk sits at the ministry node; a province desk at its department
      return actor.departmentCode ? { departmentCode: actor.departmentCode } : { all: true };
    case 'admissions_officer':
      // their institution only (its org unit), whatever province it sits in
      return { institutionId: actor.orgUnitId };
    default:
      return null;
  }
}

function within(actor: UserActor, action: Action, scope: Scope, r: Resource): boolean {
  if (r.type === 'staff') {
    // a staff account is never reached through the candidate-facing actions, and only by the level above
    if (!STAFF_ACCOUNT_ACTIONS.has(action) || !MANAGES[actor.role].has(r.role) || r.userId === actor.userId) return false;
    if ('all' in scope) return true;
    if ('departmentCode' in scope) return (r.orgKind === 'department' || r.orgKind === 'point') && r.departmentCode === scope.departmentCode;
    return false;
  }
  // a candidate's password is reset by their point or the support desk, never by a department or the ministry
  if (r.type === 'candidate' && action === 'account.reset_password' && !CANDIDATE_RESETTERS.has(actor.role)) return false;
  if ('all' in scope) return true;
  // an institution's staff reach their institution's admission records and nothing else
  if ('institutionId' in scope) return r.type === 'institution' && r.institutionId === scope.institutionId;
  switch (r.type) {
    case 'candidate':
      if ('userId' in scope) return scope.userId === r.userId;
      if ('pointId' in scope) return scope.pointId === r.pointId;
      return scope.departmentCode === r.departmentCode;
    case 'org':
      if ('userId' in scope) return false;
      if ('pointId' in scope) return r.orgKind === 'point' && r.orgUnitId === scope.pointId;
      // an institution sits in a province but is not the department's to manage
      return (r.orgKind === 'department' || r.orgKind === 'point') && r.departmentCode === scope.departmentCode;
    case 'institution':
      return false;
    case 'national':
      return false;
  }
}

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  try {
    if (actor.kind !== 'user' || actor.mustChangePassword) return false;
    const scope = scopeOf(actor, action);
    return scope !== null && within(actor, action, scope, resource);
  } catch {
    return false;
  }
}

/** The 403 an actor still holding a one-time password gets: the browser sends them to change it. */
export function passwordChangeRequired(): AppError {
  return new AppError(
    'FORBIDDEN',
    'Bạn cần đổi mật khẩu được cấp trước khi tiếp tục.',
    'Please change the password you were given before going on.',
    { code: 'PASSWORD_CHANGE_REQUIRED' },
  );
}

/** Throws 401 for an anonymous actor and 403 for a denied one. Never writes a reply itself. */
export function authorize(actor: Actor, action: Action, resource: Resource): void {
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  if (actor.mustChangePassword) throw passwordChangeRequired();
  if (!can(actor, action, resource)) throw AppError.forbidden();
}

/**
 * The scope a list must be limited to, or a thrown 401/403: the list counterpart of authorize().
 * A handler passes the result to its repository, so the query itself cannot reach past it.
 */
export function authorizeScope(actor: Actor, action: Action): Scope {
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  if (actor.mustChangePassword) throw passwordChangeRequired();
  const scope = scopeOf(actor, action);
  if (!scope) throw AppError.forbidden();
  return scope;
}

/**
 * The coarse check the auth plugin runs before validation for every `access: 'action'` route: may this
 * actor take this action anywhere at all? The handler still decides on the record with authorize().
 */
export function mayEverTake(actor: Actor, action: Action): boolean {
  try {
    return actor.kind === 'user' && !actor.mustChangePassword && scopeOf(actor, action) !== null;
  } catch {
    return false;
  }
}

export const isStaff = (actor: Actor): boolean => actor.kind === 'user' && STAFF_ROLES.has(actor.role);

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
  | { type: 'org'; orgUnitId: string; orgKind: 'ministry' | 'department' | 'point'; departmentCode: string | null }
  | { type: 'national' };

/** The scope a list query must be limited to. */
export type Scope = { all: true } | { departmentCode: string } | { pointId: string } | { userId: string };

export type Action =
  // a candidate's own record, or staff acting on it
  | 'candidate.read'
  | 'dossier.edit'
  | 'dossier.submit'
  | 'dossier.verify'
  | 'dossier.return'
  | 'dossier.correct'
  | 'account.issue'
  | 'account.reset_password'
  // organisation and staff
  | 'org.read'
  | 'org.manage'
  | 'staff.manage'
  | 'stats.read'
  | 'support.lookup'
  | 'support.log_call'
  | 'exam_year.manage'
  | 'audit.read';

const STAFF_ROLES: ReadonlySet<Role> = new Set(['ministry_admin', 'department_officer', 'point_officer', 'support_agent']);

/** Actions each role may take at all; scope is checked separately. */
const ROLE_ACTIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  candidate: new Set<Action>(['candidate.read', 'dossier.edit', 'dossier.submit']),
  point_officer: new Set<Action>([
    'candidate.read',
    'dossier.edit',
    'dossier.submit',
    'dossier.verify',
    'dossier.return',
    'dossier.correct',
    'account.issue',
    'account.reset_password',
    'org.read',
    'stats.read',
  ]),
  department_officer: new Set<Action>(['candidate.read', 'org.read', 'org.manage', 'staff.manage', 'stats.read', 'audit.read']),
  ministry_admin: new Set<Action>(['candidate.read', 'org.read', 'org.manage', 'staff.manage', 'stats.read', 'exam_year.manage', 'audit.read']),
  support_agent: new Set<Action>(['candidate.read', 'account.reset_password', 'support.lookup', 'support.log_call']),
};

/** The scope of an actor for an action, or null when the actor may not take it anywhere. */
export function scopeOf(actor: Actor, action: Action): Scope | null {
  if (actor.kind !== 'user') return null;
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
    default:
      return null;
  }
}

function within(scope: Scope, r: Resource): boolean {
  if ('all' in scope) return true;
  switch (r.type) {
    case 'candidate':
      if ('userId' in scope) return scope.userId === r.userId;
      if ('pointId' in scope) return scope.pointId === r.pointId;
      return scope.departmentCode === r.departmentCode;
    case 'org':
      if ('userId' in scope) return false;
      if ('pointId' in scope) return r.orgKind === 'point' && r.orgUnitId === scope.pointId;
      return r.orgKind !== 'ministry' && r.departmentCode === scope.departmentCode;
    case 'national':
      return false;
  }
}

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  try {
    if (actor.kind === 'user' && actor.mustChangePassword) return false;
    const scope = scopeOf(actor, action);
    return scope !== null && within(scope, resource);
  } catch {
    return false;
  }
}

/** Throws 401 for an anonymous actor and 403 for a denied one. Never writes a reply itself. */
export function authorize(actor: Actor, action: Action, resource: Resource): void {
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  if (!can(actor, action, resource)) throw AppError.forbidden();
}

export const isStaff = (actor: Actor): boolean => actor.kind === 'user' && STAFF_ROLES.has(actor.role);

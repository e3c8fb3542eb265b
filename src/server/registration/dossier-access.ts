// What every registration command shares: its context, finding the dossier a request is about (the
// candidate's own, or one by id for staff), the policy check on it, and turning a refused lifecycle
// transition into the one error type.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/create-db.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type Action, type Actor, type Resource, type UserActor } from '../policy/policy.ts';
import { currentExamYearCached, type StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { phaseAt, type Phase } from '../../domain/exam-year.ts';
import type { ActorKind } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import type { Role } from '../db/schema.ts';
import { findCandidateDossierByUser, findDossierById, type CandidateRef, type StoredDossier } from './registration.repository.ts';

export interface RegistrationCtx {
  db: Db;
  actor: Actor;
  now: Date;
  log: FastifyBaseLogger;
}

/** Which dossier a request is about: the signed-in candidate's own, or one by id (staff, or a candidate's own by id). */
export type DossierTarget = { kind: 'own' } | { kind: 'id'; dossierId: string };

export interface Loaded {
  actor: UserActor;
  year: StoredExamYear;
  phase: Phase;
  isTrial: boolean;
  candidate: CandidateRef;
  /** null: the candidate has not saved anything yet in this window */
  dossier: StoredDossier | null;
}

const ACTOR_KIND: Readonly<Record<Role, ActorKind>> = {
  candidate: 'candidate',
  point_officer: 'point',
  department_officer: 'department',
  ministry_admin: 'ministry',
  support_agent: 'support',
};

export const actorKindOf = (a: UserActor): ActorKind => ACTOR_KIND[a.role];

export function resourceOf(c: CandidateRef): Resource {
  return { type: 'candidate', userId: c.userId, pointId: c.pointId, departmentCode: c.departmentCode };
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  return actor;
}

export async function requireYear(ctx: RegistrationCtx): Promise<StoredExamYear> {
  const year = await currentExamYearCached(ctx.db.read);
  if (!year) throw new AppError('NOT_FOUND', 'Chưa có kỳ thi nào được công bố.', 'No exam year has been published.', { code: 'NO_EXAM_YEAR' });
  return year;
}

/**
 * Loads the target and checks `action` on it. A candidate's own dossier is the trial one during the
 * trial and the official one otherwise; by id, whichever the id names.
 */
export async function loadTarget(ctx: RegistrationCtx, target: DossierTarget, action: Action | ((phase: Phase) => Action)): Promise<Loaded> {
  const actor = requireUser(ctx.actor);
  const year = await requireYear(ctx);
  const phase = phaseAt(year, ctx.now);
  const act = typeof action === 'function' ? action(phase) : action;
  if (target.kind === 'own') {
    if (actor.role !== 'candidate') throw AppError.forbidden();
    const isTrial = phase === 'trial';
    const found = await findCandidateDossierByUser(ctx.db.read, actor.userId, year.year, isTrial);
    if (!found) {
      throw new AppError('NOT_FOUND', 'Tài khoản này chưa có hồ sơ thí sinh cho kỳ thi năm nay.', 'This account has no candidate record for this exam year.', {
        code: 'NO_CANDIDATE',
      });
    }
    authorize(actor, act, resourceOf(found.candidate));
    return { actor, year, phase, isTrial, candidate: found.candidate, dossier: found.dossier };
  }
  const found = await findDossierById(ctx.db.read, target.dossierId);
  if (!found) throw AppError.notFound('dossier');
  authorize(actor, act, resourceOf(found.candidate));
  return { actor, year, phase, isTrial: found.dossier.isTrial, candidate: found.candidate, dossier: found.dossier };
}

/** A refused transition (domain finding) as the HTTP error to send. */
export function refusal(f: Finding, extra: Finding[] = []): AppError {
  switch (f.code) {
    case 'NOT_ALLOWED_FOR_ROLE':
      return new AppError('FORBIDDEN', f.vi, f.en, { code: f.code, fields: [f] });
    case 'WINDOW_CLOSED':
    case 'WINDOW_NOT_OPEN':
    case 'PHASE_NOT_ALLOWED':
    case 'RETURN_AFTER_CLOSE':
      return new AppError('FORBIDDEN', f.vi, f.en, { code: f.code, fields: [f], ...(f.params ? { details: f.params } : {}) });
    case 'INVALID_STATUS_TRANSITION':
      return new AppError('CONFLICT', f.vi, f.en, { code: f.code, fields: [f] });
    case 'DOSSIER_INCOMPLETE':
      return new AppError('UNPROCESSABLE', f.vi, f.en, { code: f.code, fields: extra.length > 0 ? extra : [f] });
    default:
      return new AppError('BAD_REQUEST', f.vi, f.en, { code: f.code, fields: [f] });
  }
}

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
import { registerSessionCompanion } from '../http/auth.ts';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey, type StoredKeyRow } from '../http/idempotency.ts';
import { findSessionByTokenHash } from '../accounts/sessions.repository.ts';
import { findCandidateDossierByUser, findDossierById, findSessionWithOwnDossier, type CandidateRef, type DossierEvent, type DossierExtra, type FoundDossier, type StoredDossier, type StoredUpload } from './registration.repository.ts';

export interface RegistrationCtx {
  db: Db;
  actor: Actor;
  now: Date;
  log: FastifyBaseLogger;
  /** the candidate's own dossier as read with the session (routes marked withSession: own-dossier:…) */
  own?: OwnDossierRead | undefined;
}

/** What the session companion read: used once, by the first loadTarget it fits, never on a retry. */
export interface OwnDossierRead {
  userId: string;
  year: number;
  isTrial: boolean;
  extra: DossierExtra;
  found: FoundDossier | undefined;
  used: boolean;
  /** a submit's Idempotency-Key and what was stored under it when the request came in */
  idempotency?: { key: string; row: StoredKeyRow | null };
}

/** The `withSession` name of the own-dossier companion with `extra`. */
export const withOwnDossier = (extra: DossierExtra): string => `own-dossier:${extra}`;
/** …and the submit's, which also reads what is stored under the request's Idempotency-Key. */
export const WITH_OWN_DOSSIER_AND_KEY = 'own-dossier:submit';

async function ownDossierCompanion(db: Db, tokenHash: string, now: Date, extra: DossierExtra, key: string | undefined) {
  const year = await currentExamYearCached(db.read);
  if (!year) {
    const session = await findSessionByTokenHash(db.read, tokenHash);
    return session && { session, companion: undefined };
  }
  const isTrial = phaseAt(year, now) === 'trial';
  const r = await findSessionWithOwnDossier(db.read, tokenHash, year.year, isTrial, extra, key);
  if (!r) return undefined;
  const own: OwnDossierRead = { userId: r.session.userId, year: year.year, isTrial, extra, found: r.found, used: false };
  if (key !== undefined && r.keyRow !== undefined) own.idempotency = { key, row: r.keyRow };
  return { session: r.session, companion: own };
}

for (const extra of ['none', 'uploads', 'history'] as const) {
  registerSessionCompanion(withOwnDossier(extra), (db, tokenHash, now) => ownDossierCompanion(db, tokenHash, now, extra, undefined));
}
registerSessionCompanion(WITH_OWN_DOSSIER_AND_KEY, (db, tokenHash, now, req) => {
  // a malformed key is the handler's to refuse; here it only means there is nothing to read early
  let key: string | undefined;
  try {
    key = parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]);
  } catch {
    key = undefined;
  }
  return ownDossierCompanion(db, tokenHash, now, 'none', key);
});

/** The companion's read when it answers this very question, else undefined (the caller reads). */
function takeOwn(ctx: RegistrationCtx, userId: string, year: number, isTrial: boolean, extra: DossierExtra): OwnDossierRead | undefined {
  const o = ctx.own;
  if (!o || o.used || o.userId !== userId || o.year !== year || o.isTrial !== isTrial || o.extra !== extra) return undefined;
  o.used = true;
  return o;
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
  /** when asked for (extra 'uploads'): the dossier's uploads, newest first */
  uploads?: StoredUpload[];
  /** when asked for (extra 'history'): the dossier's history, newest first */
  history?: DossierEvent[];
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
 * trial and the official one otherwise; by id, whichever the id names. `extra` brings the dossier's
 * uploads or its history in the same query.
 */
export async function loadTarget(
  ctx: RegistrationCtx,
  target: DossierTarget,
  action: Action | ((phase: Phase) => Action),
  extra: DossierExtra = 'none',
): Promise<Loaded> {
  const actor = requireUser(ctx.actor);
  const year = await requireYear(ctx);
  const phase = phaseAt(year, ctx.now);
  const act = typeof action === 'function' ? action(phase) : action;
  if (target.kind === 'own') {
    if (actor.role !== 'candidate') throw AppError.forbidden();
    const isTrial = phase === 'trial';
    const pre = takeOwn(ctx, actor.userId, year.year, isTrial, extra);
    const found = pre ? pre.found : await findCandidateDossierByUser(ctx.db.read, actor.userId, year.year, isTrial, extra);
    if (!found) {
      throw new AppError('NOT_FOUND', 'Tài khoản này chưa có hồ sơ thí sinh cho kỳ thi năm nay.', 'This account has no candidate record for this exam year.', {
        code: 'NO_CANDIDATE',
      });
    }
    authorize(actor, act, resourceOf(found.candidate));
    return { actor, year, phase, isTrial, ...extrasOf(found), candidate: found.candidate, dossier: found.dossier };
  }
  const found = await findDossierById(ctx.db.read, target.dossierId, extra);
  if (!found) throw AppError.notFound('dossier');
  authorize(actor, act, resourceOf(found.candidate));
  return { actor, year, phase, isTrial: found.dossier.isTrial, ...extrasOf(found), candidate: found.candidate, dossier: found.dossier };
}

function extrasOf(f: FoundDossier): Pick<Loaded, 'uploads' | 'history'> {
  return { ...(f.uploads ? { uploads: f.uploads } : {}), ...(f.history ? { history: f.history } : {}) };
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

// Which dossier a request is about, and whether the actor may do what they ask to it: the candidate's own
// (the trial one during the trial, the official one otherwise) or one by id. The policy decides on the
// record loaded; a refusal is one error, the same in every feature (403 FORBIDDEN). Also the candidate
// routes' session read: the session and the candidate's own dossier in one query.
import type { Ctx } from '../context.ts';
import type { Db } from '../db/create-db.ts';
import { AppError } from '../http/errors.ts';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../http/idempotency.ts';
import type { SessionRead } from '../http/auth.ts';
import { authorize, type Action, type Resource, type UserActor } from '../policy/policy.ts';
import { currentExamYearCached, findExamYear, type StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { findSessionByTokenHash, sessionOf } from '../accounts/sessions.repository.ts';
import { phaseAt, type Phase } from '../../domain/exam-year.ts';
import type { ActorKind } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import type { Role } from '../db/schema.ts';
import { findDossierById, findOwnDossier, findSessionWithOwnDossier, type DossierExtra, type FoundDossier, type StoredKeyRecord } from './dossier.repository.ts';
import type { CandidateRef, DossierEvent, StoredDossier } from './model.ts';

/** Which dossier a request is about: the signed-in candidate's own, or one by id. */
export type DossierTarget = { kind: 'own' } | { kind: 'id'; dossierId: string };
export const OWN: DossierTarget = { kind: 'own' };
export const byId = (dossierId: string): DossierTarget => ({ kind: 'id', dossierId });

export interface Loaded {
  actor: UserActor;
  year: StoredExamYear;
  phase: Phase;
  isTrial: boolean;
  candidate: CandidateRef;
  /** null: the candidate has not saved anything yet in this window */
  dossier: StoredDossier | null;
  /** extra 'uploads': the uploads as the API shows them (JSON text) */
  uploadsJson?: string;
  /** extra 'history': newest first */
  history?: DossierEvent[];
}

// an institution's admissions officers take no part in the exam dossier's lifecycle (the policy gives
// them no dossier action): they are not listed, and acting on a dossier as one is refused
const ACTOR_KIND: Readonly<Record<Exclude<Role, 'admissions_officer'>, ActorKind>> = {
  candidate: 'candidate',
  point_officer: 'point',
  department_officer: 'department',
  ministry_admin: 'ministry',
  support_agent: 'support',
};

export const actorKindOf = (a: UserActor): ActorKind => {
  if (a.role === 'admissions_officer') throw AppError.forbidden();
  return ACTOR_KIND[a.role];
};

export function resourceOf(c: Pick<CandidateRef, 'userId' | 'pointId' | 'departmentCode'>): Resource {
  return { type: 'candidate', userId: c.userId, pointId: c.pointId, departmentCode: c.departmentCode };
}

export function requireUser(ctx: Pick<Ctx, 'actor'>): UserActor {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  return ctx.actor;
}

export function noExamYear(): AppError {
  return new AppError('NOT_FOUND', 'Chưa có kỳ thi nào được công bố.', 'No exam year has been published.', { code: 'NO_EXAM_YEAR' });
}

/** The current exam year, or the one asked for. */
export async function requireYear(db: Db, year?: number): Promise<StoredExamYear> {
  const y = year === undefined ? await currentExamYearCached(db.read) : await findExamYear(db.read, year);
  if (!y) throw noExamYear();
  return y;
}

// ---- the candidate routes' session read ----

/** What the session read brought for the candidate's own dossier (used by the first load it fits, once). */
export interface OwnRead {
  userId: string;
  year: number;
  isTrial: boolean;
  extra: DossierExtra;
  found: FoundDossier | undefined;
  /** a submit's Idempotency-Key and what was stored under it when the request came in */
  key?: { key: string; record: StoredKeyRecord | null };
  used: boolean;
}

function ownDossierRead(extra: DossierExtra, withKey: boolean): SessionRead<OwnRead> {
  return {
    name: `own-dossier:${extra}${withKey ? '+key' : ''}`,
    async read(db, tokenHash, now, req) {
      const year = await currentExamYearCached(db.read);
      if (!year) {
        const session = await findSessionByTokenHash(db.read, tokenHash);
        return session && { session, value: undefined };
      }
      let key: string | undefined;
      if (withKey) {
        try {
          key = parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]);
        } catch {
          key = undefined; // a malformed key is the handler's to refuse
        }
      }
      const isTrial = phaseAt(year, now) === 'trial';
      const r = await findSessionWithOwnDossier(db.read, tokenHash, year.year, isTrial, extra, key);
      if (!r) return undefined;
      const session = sessionOf(r.session);
      const own: OwnRead = { userId: session.userId, year: year.year, isTrial, extra, found: r.found, used: false };
      if (key !== undefined && r.key !== undefined) own.key = { key, record: r.key };
      return { session, value: own };
    },
  };
}

/** Session reads of the candidate routes: the session and the own dossier (with uploads, history, or a submit's key). */
export const OWN_DOSSIER = ownDossierRead('none', false);
export const OWN_DOSSIER_UPLOADS = ownDossierRead('uploads', false);
export const OWN_DOSSIER_HISTORY = ownDossierRead('history', false);
export const OWN_DOSSIER_AND_KEY = ownDossierRead('none', true);

/** The session read's result when it answers this very question, else undefined (the caller reads). */
function takeOwn(pre: OwnRead | undefined, userId: string, year: number, isTrial: boolean, extra: DossierExtra): OwnRead | undefined {
  if (!pre || pre.used || pre.userId !== userId || pre.year !== year || pre.isTrial !== isTrial || pre.extra !== extra) return undefined;
  pre.used = true;
  return pre;
}

// ---- loading a target ----

/** The one answer for "not yours", whatever the feature: 403 FORBIDDEN (the audit layer records the attempt). */
export function notYours(): AppError {
  return AppError.forbidden();
}

/**
 * Loads the target and checks `action` on it. `extra` brings the uploads or the history in the same query;
 * `pre` is the route's session read, used when it fits.
 */
export async function loadTarget(
  ctx: Ctx,
  target: DossierTarget,
  action: Action | ((phase: Phase, actor: UserActor) => Action),
  extra: DossierExtra = 'none',
  pre?: OwnRead,
): Promise<Loaded> {
  const actor = requireUser(ctx);
  const year = await requireYear(ctx.db);
  const phase = phaseAt(year, ctx.now);
  const act = typeof action === 'function' ? action(phase, actor) : action;
  if (target.kind === 'own') {
    if (actor.role !== 'candidate') throw notYours();
    const isTrial = phase === 'trial';
    const early = takeOwn(pre, actor.userId, year.year, isTrial, extra);
    const found = early ? early.found : await findOwnDossier(ctx.db.read, actor.userId, year.year, isTrial, extra);
    if (!found) {
      throw new AppError('NOT_FOUND', 'Tài khoản này chưa có hồ sơ thí sinh cho kỳ thi năm nay.', 'This account has no candidate record for this exam year.', { code: 'NO_CANDIDATE' });
    }
    authorize(actor, act, resourceOf(found.candidate));
    return { actor, year, phase, isTrial, candidate: found.candidate, dossier: found.dossier, ...extras(found) };
  }
  const found = await findDossierById(ctx.db.read, target.dossierId, extra);
  if (!found) throw AppError.notFound('dossier');
  authorize(actor, act, resourceOf(found.candidate));
  // a dossier of another exam year is read in its own year's light
  const own = found.dossier.examYear === year.year ? year : await requireYear(ctx.db, found.dossier.examYear);
  return { actor, year: own, phase: own === year ? phase : phaseAt(own, ctx.now), isTrial: found.dossier.isTrial, candidate: found.candidate, dossier: found.dossier, ...extras(found) };
}

function extras(f: FoundDossier): Pick<Loaded, 'uploadsJson' | 'history'> {
  return { ...(f.uploadsJson !== undefined ? { uploadsJson: f.uploadsJson } : {}), ...(f.history ? { history: f.history } : {}) };
}

/** A refused transition (a domain finding) as the one error type. */
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
    case 'RETURN_REASON_REQUIRED':
    case 'CORRECTION_REASON_REQUIRED':
    case 'TOO_LONG':
      return AppError.validation([f]);
    default:
      return new AppError('BAD_REQUEST', f.vi, f.en, { code: f.code, fields: [f] });
  }
}

/** A dossier of another year, or a trial dossier once the trial is over, is no longer written to. */
export function assertWritable(l: Loaded): void {
  if (l.dossier && l.dossier.examYear !== l.year.year) {
    throw new AppError('CONFLICT', 'Hồ sơ này thuộc kỳ thi năm khác.', 'This dossier belongs to another exam year.', { code: 'OTHER_EXAM_YEAR' });
  }
  if (l.dossier && l.dossier.isTrial && l.phase !== 'trial') {
    throw new AppError('CONFLICT', 'Đợt đăng ký thử đã kết thúc; hồ sơ thử không còn được sửa.', 'The trial is over; trial dossiers can no longer be changed.', { code: 'TRIAL_OVER' });
  }
}


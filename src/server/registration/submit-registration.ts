// Submitting the registration: the whole dossier is checked with the domain rules, the lifecycle decides
// whether the actor may submit now (17:00:00 on the closing day is already too late), and the change is
// ONE db.write: claim the idempotency key with the result to give retries, compare-and-set the dossier,
// record the event (on PostgreSQL these three are one statement), call the hook. Submitting an
// already-submitted dossier changes nothing, so 50 identical concurrent submits make exactly one
// submission, with or without a key.
import { AppError } from '../http/errors.ts';
import { versionConflict } from '../http/etag.ts';
import { claimIdempotencyKey, findIdempotentResult, requestHash, storedResultOf, type StoredResult } from '../http/idempotency.ts';
import { newId } from '../ids.ts';
import { transition } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { dossierContext } from './dossier-context.ts';
import { actorKindOf, loadTarget, refusal, requireUser, type DossierTarget, type RegistrationCtx } from './dossier-access.ts';
import { filtersOf, summarise, summariseVersion, viewOf, type DossierView } from './dossier-view.ts';
import { claimKeyAndUpdateWithEvent, dossierIsAtVersion, updateDossierWithEvent, type StoredDossier } from './registration.repository.ts';
import { assertWritableWindow, currentState, snapshotOf } from './save-section.ts';
import { onDossierChanged } from './events.ts';

export interface SubmitInput {
  target: DossierTarget;
  idempotencyKey?: string;
  /** optional: the version the candidate reviewed; a newer dossier gets 412 */
  ifMatch?: number;
  /** the request body as sent (`{}`), part of the idempotency fingerprint */
  body?: unknown;
}

export interface SubmitResponse {
  dossier: DossierView;
  /** true when this request made the submission; false when the dossier was already submitted */
  submittedNow: boolean;
  /** warnings the candidate saw and submitted over (CCCD cross-check, age plausibility) */
  warnings: Finding[];
}

export interface SubmitResult {
  statusCode: number;
  body: SubmitResponse;
  /** true when the body is the stored result of an earlier request with the same key */
  replayed: boolean;
}

class Retry extends Error {}
/** an already-submitted dossier changed after it was read: the answer would describe a state that is gone */
class Moved extends Error {}

const OPERATION = 'dossier.submit';

export async function submitRegistration(ctx: RegistrationCtx, input: SubmitInput): Promise<SubmitResult> {
  const actor = requireUser(ctx.actor);
  const target = input.target.kind === 'own' ? 'own' : input.target.dossierId;
  const hash = requestHash(OPERATION, `${target}|${input.ifMatch ?? ''}`, input.body ?? {});
  if (input.idempotencyKey) {
    // read with the session when the route's companion did (one query instead of two), else now
    const early = ctx.own?.idempotency;
    const hit =
      early && early.key === input.idempotencyKey && ctx.own?.userId === actor.userId
        ? storedResultOf(early.row, hash)
        : await findIdempotentResult(ctx.db.read, actor.userId, input.idempotencyKey, hash);
    if (hit) return { statusCode: hit.statusCode, body: hit.body as SubmitResponse, replayed: true };
  }
  // A concurrent edit between the check and the write fails the compare-and-set: check again on the new version.
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptSubmit(ctx, input, hash);
    } catch (e) {
      if (!(e instanceof Retry) || attempt >= 4) {
        if (e instanceof Retry) throw new AppError('UNAVAILABLE', 'Hồ sơ đang được thay đổi, xin thử lại.', 'The dossier is being changed; please try again.', { headers: { 'retry-after': '1' } });
        throw e;
      }
    }
  }
}

async function attemptSubmit(ctx: RegistrationCtx, input: SubmitInput, hash: string): Promise<SubmitResult> {
  const l = await loadTarget(ctx, input.target, 'dossier.submit');
  const current = l.dossier;
  const dctx = await dossierContext(ctx.db.read, l.year, ctx.now);
  const data = current?.data ?? {};
  const summary = current ? summariseVersion(current.id, current.version, data, dctx) : summarise(data, dctx);
  const from = current?.status ?? 'draft';
  const t = transition(from, 'submit', { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official, dossierValid: summary.errors === 0 });
  if (!t.ok) throw refusal(t.finding, summary.findings.filter((f) => f.severity === 'error'));
  if (!current) throw refusal({ code: 'DOSSIER_INCOMPLETE', field: 'status', severity: 'error', vi: 'Hồ sơ chưa được khai.', en: 'The dossier is empty.' }, summary.findings);
  assertWritableWindow(l);
  if (input.ifMatch !== undefined && input.ifMatch !== current.version) throw versionConflict(current);

  const warnings = summary.findings.filter((f) => f.severity === 'warning');
  const already = current.status === 'submitted';
  const stored: StoredDossier = already
    ? current
    : { ...current, status: 'submitted', version: current.version + 1, submittedAt: ctx.now.toISOString(), filters: filtersOf(data, summary, l.candidate, current.filters.photoMissing) };
  const response: SubmitResponse = {
    dossier: viewOf(l.candidate, stored, summary, { examYear: l.year.year, isTrial: stored.isTrial, phase: l.phase, mayEdit: true }),
    submittedNow: !already,
    warnings,
  };
  const result: StoredResult = { statusCode: 200, body: response };

  const patch = { status: 'submitted' as const, submittedAt: stored.submittedAt, filters: stored.filters };
  const replay = (r: StoredResult): SubmitResult => ({ statusCode: r.statusCode, body: r.body as SubmitResponse, replayed: true });

  try {
    return await ctx.db.write(async (trx) => {
      const claim = input.idempotencyKey && { actorId: l.actor.userId, key: input.idempotencyKey, operation: OPERATION, hash, dossierId: current.id, now: ctx.now, result };
      if (already) {
        // the key is stored with its result in one statement; a failed check below rolls it back
        if (claim) {
          const first = await claimIdempotencyKey(trx, claim);
          if (first) return replay(first);
        }
        // nothing to write for a dossier already submitted, but the answer (kept under the key) must still
        // be true: if a point returned it in the meantime, the candidate is shown the dossier as it is now
        if (!(await dossierIsAtVersion(trx, current.id, current.version))) throw new Moved();
        return { statusCode: 200, body: response, replayed: false };
      }
      // the event of this submission (a dossier already submitted records none)
      const record = {
        id: newId(),
        dossierId: current.id,
        at: ctx.now,
        actorId: l.actor.userId,
        actorRole: l.actor.role,
        event: 'submit',
        fromStatus: current.status,
        toStatus: 'submitted' as const,
        version: stored.version,
      };
      if (claim) {
        // the key with its result, the compare-and-set and its event: one statement on PostgreSQL
        const r = await claimKeyAndUpdateWithEvent(trx, claim, current.id, current.version, patch, ctx.now, record);
        if (r.kind === 'key_taken') return replay(r.result);
        if (r.kind === 'version_moved') throw new Retry();
      } else if (!(await updateDossierWithEvent(trx, current.id, current.version, patch, ctx.now, record))) {
        throw new Retry();
      }
      await onDossierChanged(trx, snapshotOf(current), snapshotOf(stored), {
        kind: 'submitted',
        at: ctx.now,
        actorId: l.actor.userId,
        actorRole: l.actor.role,
        recipient: { userId: l.candidate.userId, email: data.contact?.email ?? null, phone: data.contact?.phone ?? null },
      });
      return { statusCode: 200, body: response, replayed: false };
    });
  } catch (e) {
    if ((e instanceof Retry && input.ifMatch !== undefined) || e instanceof Moved) throw versionConflict(await currentState(ctx, l, current.id));
    throw e;
  }
}

// Submitting the registration: the lifecycle decides whether the actor may submit now (17:00:00 on the
// closing day is already too late) and the stored verdict whether the dossier is complete; the change is one
// write unit: the compare-and-set (only while the request's Idempotency-Key is unused), the key's record
// with the small answer a retry gets back, the history entry, the listeners' jobs and counters. On
// PostgreSQL that is one statement after the one read the session already made. Submitting an already
// submitted dossier changes nothing, so 50 identical concurrent submits make exactly one submission.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { versionConflict } from '../http/etag.ts';
import { replayOf, requestHash } from '../http/idempotency.ts';
import { newId } from '../ids.ts';
import { claimKey, findKeyRecord, keyRecordPart } from '../idempotency/idempotency.repository.ts';
import { transition } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { actorKindOf, assertWritable, loadTarget, refusal, requireUser, type DossierTarget, type OwnRead } from './access.ts';
import { commit, snapshotOf, type DossierDeps } from './commit.ts';
import { dossierUpdatePart, findVersionAndData } from './dossier.repository.ts';
import { rulesContext, storedVerdictValid, verdictOf } from './rules.ts';

export interface SubmitInput {
  target: DossierTarget;
  idempotencyKey?: string;
  /** optional: the version the candidate reviewed; a newer dossier gets 412 */
  ifMatch?: number;
  /** the request body as sent (`{}`), part of the idempotency fingerprint */
  body?: unknown;
}

/** The answer (contract: submitResponse) as JSON text; `replayed` when it is the stored answer of an earlier request. */
export interface SubmitOutcome {
  statusCode: number;
  json: string;
  version: number;
  replayed: boolean;
}

const OPERATION = 'dossier.submit';
/** the dossier moved between the read and the write: read again and decide again */
class Retry extends Error {}

function answer(d: { id: string; code: string | null; status: string; version: number; submittedAt: string | null }, submittedNow: boolean, warnings: Finding[]): string {
  return JSON.stringify({ dossierId: d.id, code: d.code, status: d.status, version: d.version, submittedAt: d.submittedAt, submittedNow, warnings });
}

const versionOfAnswer = (json: string): number => {
  const m = /"version":(\d+)/.exec(json);
  return m ? Number(m[1]) : 0;
};

export async function submitDossier(ctx: Ctx, deps: DossierDeps, input: SubmitInput, pre?: OwnRead): Promise<SubmitOutcome> {
  const actor = requireUser(ctx);
  const hash = requestHash(OPERATION, `${input.target.kind === 'own' ? 'own' : input.target.dossierId}|${input.ifMatch ?? ''}`, input.body ?? {});
  const key = input.idempotencyKey;
  if (key) {
    // read with the session when the route's session read did (one query instead of two), else now
    const early = pre?.key && pre.key.key === key && pre.userId === actor.userId ? pre.key.record : await findKeyRecord(ctx.db.read, actor.userId, key);
    const hit = replayOf(early, hash);
    if (hit) return { statusCode: hit.statusCode, json: hit.responseJson, version: versionOfAnswer(hit.responseJson), replayed: true };
  }
  // a concurrent edit between the check and the write fails the compare-and-set: check again on the new version
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await attempt_(ctx, deps, input, hash, attempt === 0 ? pre : undefined);
    } catch (e) {
      if (!(e instanceof Retry)) throw e;
      if (input.ifMatch !== undefined) {
        const cur = input.target.kind === 'id' ? await findVersionAndData(ctx.db.read, input.target.dossierId) : undefined;
        if (cur) throw versionConflict(cur);
      }
    }
  }
  throw new AppError('UNAVAILABLE', 'Hồ sơ đang được thay đổi, xin thử lại.', 'The dossier is being changed; please try again.', { headers: { 'retry-after': '1' } });
}

async function attempt_(ctx: Ctx, deps: DossierDeps, input: SubmitInput, hash: string, pre: OwnRead | undefined): Promise<SubmitOutcome> {
  const l = await loadTarget(ctx, input.target, 'dossier.submit', 'none', pre);
  const current = l.dossier;
  const rctx = await rulesContext(ctx.db.read, l.year, ctx.now, l.candidate);
  const fresh = current && storedVerdictValid(current, rctx);
  const findings = current ? (fresh ? current.summary!.findings : verdictOf(current, rctx).findings) : [];
  const errors = current ? (fresh ? current.filters.errorsCount : findings.filter((f) => f.severity === 'error').length) : 1;
  const t = transition(current?.status ?? 'draft', 'submit', { actorKind: actorKindOf(l.actor), phase: l.phase, officialWindow: l.year.windows.official, dossierValid: errors === 0 });
  if (!t.ok) throw refusal(t.finding, findings.filter((f) => f.severity === 'error'));
  if (!current) {
    throw refusal({ code: 'DOSSIER_INCOMPLETE', field: 'status', severity: 'error', vi: 'Hồ sơ chưa được khai.', en: 'The dossier is empty.' });
  }
  assertWritable(l);
  if (input.ifMatch !== undefined && input.ifMatch !== current.version) throw versionConflict(current);

  const warnings = findings.filter((f) => f.severity === 'warning');
  const key = input.idempotencyKey;
  const keyRecord = (json: string) => ({ actorId: l.actor.userId, key: key!, operation: OPERATION, requestHash: hash, dossierId: current.id, statusCode: 200, response: json, now: ctx.now });

  if (current.status === 'submitted') {
    // nothing to write for a dossier already submitted, but the answer (kept under the key) must be true:
    // if the point returned it meanwhile, the next attempt shows the dossier as it is now
    const json = answer(current, false, warnings);
    if (key) {
      const replay = await ctx.db.write(async (trx) => {
        const first = await claimKey(trx, keyRecord(json));
        if (first) return first;
        const now = await findVersionAndData(trx, current.id);
        if (now?.version !== current.version) throw new Retry();
        return null;
      });
      const hit = replayOf(replay, hash);
      if (hit) return { statusCode: hit.statusCode, json: hit.responseJson, version: versionOfAnswer(hit.responseJson), replayed: true };
    }
    return { statusCode: 200, json, version: current.version, replayed: false };
  }

  const submittedAt = ctx.now.toISOString();
  const after = { ...current, status: 'submitted' as const, version: current.version + 1, submittedAt };
  const json = answer(after, true, warnings);
  const written = await commit(ctx.db, deps, {
    primary: dossierUpdatePart(current.id, current.version, { status: 'submitted', submittedAt }, ctx.now, key ? { keyFree: { actorId: l.actor.userId, key } } : {}),
    event: { id: newId(), dossierId: current.id, at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, event: 'submit', fromStatus: current.status, toStatus: 'submitted', version: after.version },
    parts: key ? [keyRecordPart(keyRecord(json))] : [],
    before: snapshotOf(current),
    after: snapshotOf(after),
    change: { kind: 'submitted', at: ctx.now, actorId: l.actor.userId, actorRole: l.actor.role, candidateUserId: l.candidate.userId },
  });
  if (written) return { statusCode: 200, json, version: after.version, replayed: false };
  if (key) {
    // the key may have been used by a request that got there first (a double click): its answer, if ours
    const hit = replayOf(await findKeyRecord(ctx.db.read, l.actor.userId, key), hash);
    if (hit) return { statusCode: hit.statusCode, json: hit.responseJson, version: versionOfAnswer(hit.responseJson), replayed: true };
  }
  throw new Retry();
}

// The support desk's commands: find a candidate within the agent's scope, show their card (account state,
// dossier status and history, read-only), reset their password through the accounts feature, and keep
// the call log. Every look-up and every view of a card is written to the audit log.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, authorizeScope, type Actor, type Resource, type Scope } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { resetPassword, type ResetResult } from '../accounts/reset-password.ts';
import type { AccountsRuntime } from '../accounts/runtime.ts';
import { maskId } from '../logger.ts';
import { requireYear } from '../dossiers/access.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { newId } from '../ids.ts';
import {
  closeCallIfOpen, findCall, findCandidateCard, findCandidates, insertCall, listCalls, listDossierHistory, recentCallsOf,
  type CandidateCard, type FoundCandidate, type HistoryEntry, type SupportCall,
} from './support.repository.ts';
import type { CallCategory, CallOutcome } from '../../contracts/support.ts';

/** A look-up returns at most this many: more means the agent should ask for the personal number. */
export const LOOKUP_LIMIT = 20;

const candidateResource = (c: CandidateCard['candidate']): Resource => ({ type: 'candidate', userId: c.userId, pointId: c.pointId, departmentCode: c.departmentCode });
const actorDepartment = (a: Actor): string | null => (a.kind === 'user' ? a.departmentCode : null);

export type LookupInput = { idNumber: string } | { dossierCode: string } | { name: string; dateOfBirth: string };

export async function lookupCandidates(ctx: Ctx, input: LookupInput): Promise<{ examYear: number; items: FoundCandidate[]; truncated: boolean }> {
  const scope = authorizeScope(ctx.actor, 'support.lookup');
  const year = await requireYear(ctx.db);
  const by =
    'idNumber' in input
      ? { idNumber: input.idNumber.toUpperCase() }
      : 'dossierCode' in input
        ? { dossierCode: input.dossierCode }
        : { nameFolded: foldDiacritics(input.name.normalize('NFC')), dateOfBirth: input.dateOfBirth };
  const rows = await findCandidates(ctx.db.read, scope, { examYear: year.year, limit: LOOKUP_LIMIT + 1, ...by });
  const truncated = rows.length > LOOKUP_LIMIT;
  const items = truncated ? rows.slice(0, LOOKUP_LIMIT) : rows;
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      {
        action: 'support.lookup',
        actor: ctx.actor,
        targetType: 'candidate',
        targetId: items.length === 1 ? items[0]!.candidateId : null,
        departmentCode: actorDepartment(ctx.actor),
        ip: ctx.ip,
        // the search itself is personal data: the number masked, the name not kept (the date is enough to tell searches apart)
        details:
          'idNumber' in by
            ? { by: 'id_number', idNumber: maskId(by.idNumber), results: items.length }
            : 'dossierCode' in by
              ? { by: 'dossier_code', dossierCode: by.dossierCode, results: items.length }
              : { by: 'name_dob', dateOfBirth: by.dateOfBirth, results: items.length, candidateIds: items.map((i) => i.candidateId) },
      },
      ctx.now,
    ),
  );
  return { examYear: year.year, items, truncated };
}

async function loadCard(ctx: Ctx, candidateId: string): Promise<CandidateCard> {
  authorizeScope(ctx.actor, 'support.lookup');
  const card = await findCandidateCard(ctx.db.read, candidateId);
  if (!card) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'support.lookup', candidateResource(card.candidate));
  return card;
}

export async function viewCandidate(ctx: Ctx, candidateId: string): Promise<CandidateCard & { history: HistoryEntry[]; calls: SupportCall[] }> {
  const card = await loadCard(ctx, candidateId);
  const [history, calls] = await Promise.all([card.dossier ? listDossierHistory(ctx.db.read, card.dossier.id) : Promise.resolve([]), recentCallsOf(ctx.db.read, candidateId)]);
  await ctx.db.write((trx) =>
    appendAudit(trx, { action: 'support.candidate_viewed', actor: ctx.actor, targetType: 'candidate', targetId: candidateId, departmentCode: card.candidate.departmentCode, ip: ctx.ip }, ctx.now),
  );
  return { ...card, history, calls };
}

/**
 * A new one-time password for the candidate, through the accounts feature's reset (which checks the
 * policy again, ends the sessions and audits the reason). A disabled account stays disabled: unlocking
 * it is the point's decision, so the desk is told to refer the caller instead.
 */
export async function resetCandidatePassword(ctx: Ctx, rt: AccountsRuntime, candidateId: string, reason: string): Promise<ResetResult> {
  const card = await loadCard(ctx, candidateId);
  return resetPassword(ctx, rt, card.candidate.userId, `[tổng đài] ${reason.normalize('NFC')}`);
}

export async function logCall(
  ctx: Ctx,
  input: { candidateId?: string | undefined; category: CallCategory; note: string; outcome: CallOutcome; status: 'open' | 'closed' },
): Promise<SupportCall> {
  authorizeScope(ctx.actor, 'support.log_call');
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  let departmentCode = ctx.actor.departmentCode;
  let candidateName: string | null = null;
  if (input.candidateId !== undefined) {
    const card = await findCandidateCard(ctx.db.read, input.candidateId);
    if (!card) throw AppError.notFound('candidate');
    authorize(ctx.actor, 'support.log_call', candidateResource(card.candidate));
    departmentCode = card.candidate.departmentCode;
    candidateName = card.candidate.fullName;
  }
  const actor = ctx.actor;
  return ctx.db.write(async (trx) => {
    const call = await insertCall(trx, {
      id: newId(),
      agentId: actor.userId,
      candidateId: input.candidateId ?? null,
      departmentCode,
      category: input.category,
      note: input.note.normalize('NFC'),
      outcome: input.outcome,
      status: input.status,
      createdAt: ctx.now.toISOString(),
    }, candidateName);
    await appendAudit(trx, { action: 'support.call_logged', actor, targetType: 'support_call', targetId: call.id, departmentCode, ip: ctx.ip, details: { category: call.category, outcome: call.outcome, status: call.status } }, ctx.now);
    return call;
  });
}

function encodeCursor(c: SupportCall): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

function decodeCursor(s: string): { createdAt: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[0].length < 40 && v[1].length < 80) return { createdAt: v[0], id: v[1] };
  } catch {}
  throw new AppError('BAD_REQUEST', 'Con trỏ trang không hợp lệ.', 'Invalid page cursor.', { code: 'CURSOR_INVALID' });
}

export async function listSupportCalls(
  ctx: Ctx,
  q: { status: 'open' | 'closed'; candidateId?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: SupportCall[]; nextCursor: string | null }> {
  const scope = authorizeScope(ctx.actor, 'support.log_call');
  const rows = await listCalls(ctx.db.read, scope, {
    status: q.status,
    ...(q.candidateId !== undefined ? { candidateId: q.candidateId } : {}),
    ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
    limit: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const items = more ? rows.slice(0, q.limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!) : null };
}

function callWithin(scope: Scope, call: SupportCall): boolean {
  if ('all' in scope) return true;
  return 'departmentCode' in scope && call.departmentCode === scope.departmentCode;
}

export async function closeCall(ctx: Ctx, callId: string, patch: { outcome?: CallOutcome | undefined; note?: string | undefined }): Promise<SupportCall> {
  const scope = authorizeScope(ctx.actor, 'support.log_call');
  const call = await findCall(ctx.db.read, callId);
  if (!call) throw AppError.notFound('support call');
  if (!callWithin(scope, call)) throw AppError.forbidden();
  const note = patch.note !== undefined && patch.note.trim() !== '' ? [call.note, patch.note.normalize('NFC')].filter(Boolean).join('\n') : undefined;
  const closed = await ctx.db.write(async (trx) => {
    const ok = await closeCallIfOpen(trx, callId, { ...(patch.outcome ? { outcome: patch.outcome } : {}), ...(note !== undefined ? { note } : {}) }, ctx.now);
    if (ok) await appendAudit(trx, { action: 'support.call_closed', actor: ctx.actor, targetType: 'support_call', targetId: callId, departmentCode: call.departmentCode, ip: ctx.ip, details: { outcome: patch.outcome ?? call.outcome } }, ctx.now);
    return ok;
  });
  if (!closed) throw new AppError('CONFLICT', 'Cuộc gọi này đã được đóng.', 'This call is already closed.', { code: 'CALL_ALREADY_CLOSED' });
  const after = await findCall(ctx.db.read, callId);
  return after!;
}

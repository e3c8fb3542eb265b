// The support desk API: thin handlers over the commands in support.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Services } from '../context.ts';
import { maskId } from '../logger.ts';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import { closeCall, listSupportCalls, logCall, lookupCandidates, resetCandidatePassword, viewCandidate, type SupportCtx } from './support.ts';
import {
  callIdParams, callShape, candidateCardResponse, candidateIdParams, closeCallBody, listCallsQuery, listCallsResponse, logCallBody, lookupQuery, lookupResponse,
  supportResetBody, supportResetResponse,
} from './support.schema.ts';
import type { SupportCall } from './support.repository.ts';
import '../http/route-access.ts';

const supportCtx = (s: Services, req: FastifyRequest): SupportCtx => ({ s, actor: req.actor, now: s.clock(), ip: req.ip ?? null, log: req.log });

const presentCall = (c: SupportCall): z.infer<typeof callShape> => ({ ...c });

export async function supportRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['support'];

  r.get('/api/support/candidates', { config: { access: 'action', action: 'support.lookup' }, schema: { tags, summary: 'Find a candidate by personal number, or by full name and date of birth (audited)', querystring: lookupQuery, response: { 200: lookupResponse } } }, async (req) => {
    const q = req.query;
    const out = await lookupCandidates(supportCtx(s, req), q.idNumber !== undefined ? { idNumber: q.idNumber } : { name: q.name!, dateOfBirth: q.dateOfBirth! });
    return {
      examYear: out.examYear,
      truncated: out.truncated,
      items: out.items.map((i) => ({ candidateId: i.candidateId, fullName: i.fullName, dateOfBirth: i.dateOfBirth, idNumberMasked: maskId(i.idNumber), className: i.className, pointId: i.pointId, pointName: i.pointName, departmentCode: i.departmentCode })),
    };
  });

  r.get('/api/support/candidates/:candidateId', { config: { access: 'action', action: 'support.lookup' }, schema: { tags, summary: "A candidate's account state, dossier status and history (read-only, audited)", params: candidateIdParams, response: { 200: candidateCardResponse } } }, async (req) => {
    const v = await viewCandidate(supportCtx(s, req), req.params.candidateId);
    const { userId: _u, idNumber, ...candidate } = v.candidate;
    const a = v.account;
    return {
      candidate: { ...candidate, idNumberMasked: maskId(idNumber) },
      account: { userId: v.candidate.userId, state: a.status === 'active' && a.mustChangePassword ? ('must_change_password' as const) : a.status, status: a.status, mustChangePassword: a.mustChangePassword, passwordSetAt: a.passwordSetAt, lastSignInAt: a.lastSignInAt },
      dossier: v.dossier ? { ...v.dossier, statusLabel: STATUS_LABELS[v.dossier.status] } : null,
      history: v.history,
      calls: v.calls.map(presentCall),
    };
  });

  r.post('/api/support/candidates/:candidateId/password-reset', { config: { access: 'action', action: 'support.lookup' }, schema: { tags, summary: "Reset the candidate's password (a one-time password, shown once; refused for a disabled account)", params: candidateIdParams, body: supportResetBody, response: { 200: supportResetResponse } } }, async (req) => {
    const out = await resetCandidatePassword(supportCtx(s, req), req.params.candidateId, req.body.reason);
    return { userId: out.userId, oneTimePassword: out.oneTimePassword, sessionsEnded: out.sessionsEnded };
  });

  r.post('/api/support/calls', { config: { access: 'action', action: 'support.log_call' }, schema: { tags, summary: 'Log a call', body: logCallBody, response: { 201: callShape } } }, async (req, reply) => {
    const call = await logCall(supportCtx(s, req), req.body);
    return reply.status(201).send(presentCall(call));
  });

  r.get('/api/support/calls', { config: { access: 'action', action: 'support.log_call' }, schema: { tags, summary: 'Calls within the desk’s scope, newest first (open ones by default)', querystring: listCallsQuery, response: { 200: listCallsResponse } } }, async (req) => {
    const out = await listSupportCalls(supportCtx(s, req), req.query);
    return { items: out.items.map(presentCall), nextCursor: out.nextCursor };
  });

  r.post('/api/support/calls/:callId/close', { config: { access: 'action', action: 'support.log_call' }, schema: { tags, summary: 'Close an open call', params: callIdParams, body: closeCallBody, response: { 200: callShape } } }, async (req) => {
    return presentCall(await closeCall(supportCtx(s, req), req.params.callId, req.body ?? {}));
  });
}

// The support desk API: thin handlers over the commands in support.ts, registered from the contracts in
// src/contracts/support.ts, each answer an explicit mapping.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/support.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { maskId } from '../logger.ts';
import { accountsRuntime } from '../accounts/runtime.ts';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import { closeCall, listSupportCalls, logCall, lookupCandidates, resetCandidatePassword, viewCandidate } from './support.ts';
import type { CandidateCard, FoundCandidate, HistoryEntry, SupportCall } from './support.repository.ts';
import '../http/route-access.ts';

type Card = z.infer<typeof c.candidateCardResponse>;

const presentCall = (x: SupportCall): z.infer<typeof c.callShape> => ({
  id: x.id,
  agentId: x.agentId,
  candidateId: x.candidateId,
  candidateName: x.candidateName,
  departmentCode: x.departmentCode,
  category: x.category,
  note: x.note,
  outcome: x.outcome,
  status: x.status,
  createdAt: x.createdAt,
  updatedAt: x.updatedAt,
  closedAt: x.closedAt,
});

const presentHit = (i: FoundCandidate): z.infer<typeof c.lookupResponse>['items'][number] => ({
  candidateId: i.candidateId,
  fullName: i.fullName,
  dateOfBirth: i.dateOfBirth,
  idNumberMasked: maskId(i.idNumber),
  className: i.className,
  pointId: i.pointId,
  pointName: i.pointName,
  departmentCode: i.departmentCode,
});

function presentCard(v: CandidateCard & { history: HistoryEntry[]; calls: SupportCall[] }): Card {
  const { candidate: k, account: a, dossier: d } = v;
  return {
    candidate: {
      id: k.id,
      examYear: k.examYear,
      fullName: k.fullName,
      dateOfBirth: k.dateOfBirth,
      gender: k.gender,
      idNumberMasked: maskId(k.idNumber),
      className: k.className,
      candidateType: k.candidateType,
      pointId: k.pointId,
      pointName: k.pointName,
      departmentCode: k.departmentCode,
    },
    account: {
      userId: k.userId,
      state: a.status === 'active' && a.mustChangePassword ? 'must_change_password' : a.status,
      status: a.status,
      mustChangePassword: a.mustChangePassword,
      passwordSetAt: a.passwordSetAt,
      lastSignInAt: a.lastSignInAt,
    },
    dossier: d
      ? {
          id: d.id,
          isTrial: d.isTrial,
          status: d.status,
          statusLabel: STATUS_LABELS[d.status],
          version: d.version,
          channel: d.channel,
          code: d.code,
          formNumber: d.formNumber,
          submittedAt: d.submittedAt,
          verifiedAt: d.verifiedAt,
          returnedAt: d.returnedAt,
          returnReason: d.returnReason,
          updatedAt: d.updatedAt,
        }
      : null,
    history: v.history.map((h) => ({ at: h.at, event: h.event, fromStatus: h.fromStatus, toStatus: h.toStatus, actorRole: h.actorRole, sections: h.sections, reason: h.reason })),
    calls: v.calls.map(presentCall),
  };
}

export async function supportRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const rt = accountsRuntime(s);
  const lookup = { access: 'action', action: 'support.lookup' } as const;
  const calls = { access: 'action', action: 'support.log_call' } as const;

  r.route({
    ...routeOf(c.lookupCandidates),
    config: lookup,
    handler: async (req) => {
      const q = req.body;
      const by = q.idNumber !== undefined ? { idNumber: q.idNumber } : q.dossierCode !== undefined ? { dossierCode: q.dossierCode } : { name: q.name!, dateOfBirth: q.dateOfBirth! };
      const out = await lookupCandidates(ctxOf(s, req), by);
      return { examYear: out.examYear, truncated: out.truncated, items: out.items.map(presentHit) };
    },
  });
  r.route({ ...routeOf(c.viewCandidate), config: lookup, handler: async (req) => presentCard(await viewCandidate(ctxOf(s, req), req.params.candidateId)) });
  r.route({
    ...routeOf(c.resetCandidatePassword),
    config: lookup,
    handler: async (req) => {
      const out = await resetCandidatePassword(ctxOf(s, req), rt, req.params.candidateId, req.body.reason);
      return { userId: out.userId, oneTimePassword: out.oneTimePassword, sessionsEnded: out.sessionsEnded };
    },
  });

  r.route({ ...routeOf(c.logCall), config: calls, handler: async (req, reply) => reply.status(201).send(presentCall(await logCall(ctxOf(s, req), req.body))) });
  r.route({
    ...routeOf(c.listCalls),
    config: calls,
    handler: async (req) => {
      const out = await listSupportCalls(ctxOf(s, req), req.query);
      return { items: out.items.map(presentCall), nextCursor: out.nextCursor };
    },
  });
  r.route({ ...routeOf(c.closeCall), config: calls, handler: async (req) => presentCall(await closeCall(ctxOf(s, req), req.params.callId, req.body ?? {})) });
}

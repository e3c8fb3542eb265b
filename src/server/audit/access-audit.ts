// Every request of staff to the API, and every refused request (403) of anyone, recorded in the chained
// audit log before the answer leaves: who (user, role), what (method, route pattern, its ids, the answer's
// status), when, and from where (ip). The entry is written in onSend and awaited, so a staff read whose
// entry cannot be written is not answered (fails closed). Query values are left out (they can carry a
// personal number: the support look-up's idNumber, the queue's q); the keys say what was asked for.
// Candidates' own requests are not recorded here: their writes are the dossier's events (version, actor,
// time) and their reads are of their own data; their refusals are.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../context.ts';
import { appendAudit, type AuditEntry } from './audit.repository.ts';

const TARGETS: ReadonlyArray<readonly [param: string, type: string]> = [
  ['dossierId', 'dossier'],
  ['candidateId', 'candidate'],
  ['userId', 'user'],
  ['issuanceId', 'issuance'],
  ['importId', 'account_import'],
  ['callId', 'support_call'],
  ['pointId', 'org_unit'],
  ['departmentCode', 'department'],
  ['year', 'exam_year'],
  ['institutionId', 'institution'],
];

export function accessEntry(req: FastifyRequest, status: number): AuditEntry | null {
  const route = req.routeOptions.url;
  if (!route || !route.startsWith('/api/')) return null;
  const actor = req.actor;
  const staff = actor.kind === 'user' && actor.role !== 'candidate';
  const denied = status === 403;
  if (!denied && (!staff || req.routeOptions.config.access === 'public')) return null;
  const params = (req.params ?? {}) as Record<string, string>;
  const target = TARGETS.find(([p]) => typeof params[p] === 'string');
  const query = req.query && typeof req.query === 'object' ? Object.keys(req.query as object) : [];
  const read = req.method === 'GET' || req.method === 'HEAD';
  return {
    action: denied ? 'access.denied' : read ? 'access.read' : 'access.write',
    actor,
    targetType: target?.[1] ?? null,
    targetId: target ? params[target[0]]! : null,
    departmentCode: actor.kind === 'user' ? actor.departmentCode : null,
    ip: req.ip ?? null,
    details: { method: req.method, route, params, status, ...(query.length ? { query } : {}), ...(req.routeOptions.config.action ? { policy: req.routeOptions.config.action } : {}) },
  };
}

export function registerAccessAudit(app: FastifyInstance, s: Services): void {
  // synchronous for the answers that record nothing (a candidate's own requests), waiting for the write otherwise
  app.addHook('onSend', (req, reply, payload, done) => {
    const entry = accessEntry(req, reply.statusCode);
    if (!entry) return done(null, payload);
    s.db.write((trx) => appendAudit(trx, entry, s.clock())).then(
      () => done(null, payload),
      (err: unknown) => done(err as Error),
    );
  });
}

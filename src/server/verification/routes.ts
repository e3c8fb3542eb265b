// The verification API for registration points: thin handlers over the commands.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { etagOf, parseIfMatch } from '../http/etag.ts';
import { assignFormNumbers, correctDossier, returnDossier, verifyDossier, verifyDossiers, type BackOfficeCtx } from './commands.ts';
import { listVerificationQueue } from './list-queue.ts';
import { jsonWithElements } from './json-pieces.ts';
import {
  bulkResponse, bulkVerifyBody, correctBody, dossierIdParams, formNumbersResponse, pointIdParams, queueQuery, queueResponse, returnBody, statusResponse, verifyBody,
} from './verification.schema.ts';
import '../http/route-access.ts';

export function backOfficeCtx(s: Services, req: FastifyRequest): BackOfficeCtx {
  return { db: s.db, actor: req.actor, now: s.clock(), log: req.log as unknown as BackOfficeCtx['log'] };
}

function versionOf(req: FastifyRequest, body: { version?: number } | null | undefined): number {
  const v = parseIfMatch(req.headers['if-match']) ?? body?.version;
  if (v === undefined) {
    throw new AppError('PRECONDITION_REQUIRED', 'Thiếu phiên bản hồ sơ (If-Match hoặc version).', 'The dossier version (If-Match or version) is missing.', { code: 'IF_MATCH_REQUIRED' });
  }
  return v;
}

export async function verificationRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['verification'];

  // A point's whole list is a thousand lines. The database writes each line in the response's shape
  // (QueueItem, as JSON text) and joins them, so the body is that text in brackets (json-pieces.ts) rather than objects
  // copied through the schema and stringified. The schema documents the route; the API contract test
  // walks the JSON actually sent.
  r.get('/api/verification/queue', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, querystring: queueQuery, response: { 200: queueResponse } } }, async (req, reply) => {
    const { lines, nextCursor, examYear } = await listVerificationQueue(backOfficeCtx(s, req), req.query);
    // bytes are sent as they are (the typed reply only takes the schema's object)
    return (reply as FastifyReply).type('application/json; charset=utf-8').send(jsonWithElements({ examYear, nextCursor }, 'items', lines));
  });

  r.post('/api/verification/dossiers/:dossierId/verify', { config: { access: 'action', action: 'dossier.verify' }, schema: { tags, params: dossierIdParams, body: verifyBody, response: { 200: statusResponse } } }, async (req, reply) => {
    const out = await verifyDossier(backOfficeCtx(s, req), req.params.dossierId, versionOf(req, req.body));
    void reply.header('etag', etagOf(out.version));
    return out;
  });

  r.post('/api/verification/verify', { config: { access: 'action', action: 'dossier.verify' }, schema: { tags, body: bulkVerifyBody, response: { 200: bulkResponse } } }, async (req) => {
    const results = await verifyDossiers(backOfficeCtx(s, req), req.body.items);
    return { results };
  });

  r.post('/api/verification/dossiers/:dossierId/return', { config: { access: 'action', action: 'dossier.return' }, schema: { tags, params: dossierIdParams, body: returnBody, response: { 200: statusResponse } } }, async (req, reply) => {
    const out = await returnDossier(backOfficeCtx(s, req), req.params.dossierId, versionOf(req, req.body), req.body.reason);
    void reply.header('etag', etagOf(out.version));
    return out;
  });

  r.post('/api/verification/dossiers/:dossierId/correct', { config: { access: 'action', action: 'dossier.correct' }, schema: { tags, params: dossierIdParams, body: correctBody, response: { 200: statusResponse } } }, async (req, reply) => {
    const { version: _v, reason, ...sections } = req.body;
    const patch = Object.fromEntries(Object.entries(sections).filter(([, v]) => v !== undefined));
    const out = await correctDossier(backOfficeCtx(s, req), req.params.dossierId, versionOf(req, req.body), patch, reason);
    void reply.header('etag', etagOf(out.version));
    return out;
  });

  r.post('/api/verification/points/:pointId/form-numbers', { config: { access: 'action', action: 'dossier.verify' }, schema: { tags, params: pointIdParams, response: { 200: formNumbersResponse } } }, async (req) => {
    return assignFormNumbers(backOfficeCtx(s, req), req.params.pointId);
  });
}

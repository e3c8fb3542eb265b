// Exports for registration points and departments: XLSX lists for signature and a class's forms as one
// PDF, streamed to the client as they are written, typed as the contract (src/contracts/exports.ts) says.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/exports.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { prepareCandidateList, type PreparedExport } from './export-list.ts';
import { prepareClassForms } from './class-forms.ts';
import { renderPool } from '../render/pool.ts';
import '../http/route-access.ts';

export function stream(reply: FastifyReply, req: FastifyRequest, prepared: PreparedExport, contentType: string): FastifyReply {
  const body = new PassThrough({ highWaterMark: 256 * 1024 });
  prepared.write(body).catch((err: unknown) => {
    // headers are gone by now: the client sees a cut-off download, the log says why
    req.log.error({ err }, 'export failed while streaming');
    body.destroy(err as Error);
  });
  void reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${prepared.fileName}"; filename*=UTF-8''${encodeURIComponent(prepared.fileName)}`)
    .header('cache-control', 'no-store');
  return reply.send(body);
}

export async function exportsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: 'action', action: 'dossier.export' } as const;

  r.route({
    ...routeOf(c.pointCandidateList),
    config,
    handler: async (req, reply) => stream(reply, req, await prepareCandidateList(ctxOf(s, req), renderPool(s), { pointId: req.params.pointId, className: req.query.className }), c.pointCandidateList.produces),
  });
  r.route({
    ...routeOf(c.classForms),
    config,
    handler: async (req, reply) => stream(reply, req, await prepareClassForms(ctxOf(s, req), renderPool(s), s.config.DATA_DIR, { pointId: req.params.pointId, className: req.query.className }), c.classForms.produces),
  });
  r.route({
    ...routeOf(c.departmentCandidateList),
    config,
    handler: async (req, reply) => stream(reply, req, await prepareCandidateList(ctxOf(s, req), renderPool(s), { departmentCode: req.params.departmentCode }), c.departmentCandidateList.produces),
  });
}

// Exports for registration points and departments: XLSX lists for signature, streamed to the client.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Services } from '../context.ts';
import { prepareCandidateList, type ExportCtx, type PreparedExport } from './export-list.ts';
import { prepareClassForms } from './class-forms.ts';
import { renderPool } from '../render/pool.ts';
import '../http/route-access.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const pointParams = z.strictObject({ pointId: z.string().min(1).max(64) });
const pointQuery = z.strictObject({ className: z.string().trim().min(1).max(32).optional() });
const classQuery = z.strictObject({ className: z.string().trim().min(1).max(32) });
const departmentParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/) });

const exportCtx = (s: Services, req: FastifyRequest): ExportCtx => ({ db: s.db, actor: req.actor, now: s.clock(), ip: req.ip ?? null, log: req.log as unknown as Logger, render: renderPool(s) });

function stream(reply: FastifyReply, req: FastifyRequest, prepared: PreparedExport, contentType = XLSX): FastifyReply {
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
  const tags = ['exports'];
  const config = { access: 'action', action: 'dossier.export' } as const;

  r.get('/api/exports/points/:pointId/candidates.xlsx', { config, schema: { tags, summary: "A point's list for signature (one class with ?className=), XLSX in Vietnamese name order", params: pointParams, querystring: pointQuery } }, async (req, reply) => {
    return stream(reply, req, await prepareCandidateList(exportCtx(s, req), { pointId: req.params.pointId, className: req.query.className }));
  });

  r.get('/api/exports/points/:pointId/forms.pdf', { config, schema: { tags, summary: 'All registration forms of one class (?className=), one PDF to print and sign', params: pointParams, querystring: classQuery } }, async (req, reply) => {
    const prepared = await prepareClassForms({ ...exportCtx(s, req), dataDir: s.config.DATA_DIR }, { pointId: req.params.pointId, className: req.query.className });
    return stream(reply, req, prepared, 'application/pdf');
  });

  r.get('/api/exports/departments/:departmentCode/candidates.xlsx', { config, schema: { tags, summary: "A province's list, XLSX, streamed", params: departmentParams } }, async (req, reply) => {
    return stream(reply, req, await prepareCandidateList(exportCtx(s, req), { departmentCode: req.params.departmentCode }));
  });
}

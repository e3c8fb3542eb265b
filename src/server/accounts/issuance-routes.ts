// Bulk issuance by a registration point: the template, the class-list import (validate → report → commit),
// issuing accounts, and the slips / teacher's list of an issuance.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { accountsCtx } from './routes.ts';
import { commitImport, getImportReport, validateImport, type ImportReport } from './class-list-import.ts';
import { issueAccounts, issuanceDocument } from './issue-accounts.ts';
import { authorizePoint } from './point-access.ts';
import { renderPool } from '../render/pool.ts';
import { pointIdParams } from './accounts.schema.ts';
import '../http/route-access.ts';

const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** At most this many findings in one answer; the counts always cover the whole file. */
const MAX_FINDINGS_SHOWN = 5000;

const finding = z.object({ row: z.number().int(), field: z.string(), code: z.string(), severity: z.enum(['error', 'warning']), vi: z.string(), en: z.string() });
export const importReport = z.object({
  importId: z.string(),
  status: z.enum(['validated', 'committed', 'discarded']),
  fileName: z.string(),
  encoding: z.string().nullable(),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  canImportAll: z.boolean(),
  findings: z.array(finding),
  findingsTruncated: z.boolean(),
});
const importParams = z.object({ pointId: z.string().min(1).max(64), importId: z.string().min(1).max(64) }).strict();
const issuanceParams = z.object({ pointId: z.string().min(1).max(64), issuanceId: z.string().min(1).max(64) }).strict();
const keyQuery = z.object({ key: z.string().min(40).max(60) }).strict();
const issueBody = z
  .object({
    userIds: z.array(z.string().min(1).max(64)).min(1).max(20_000).optional(),
    className: z.string().trim().min(1).max(20).optional(),
    reissue: z.boolean().optional().meta({ description: 'new one-time passwords for accounts already issued (the old ones stop working)' }),
  })
  .strict();
export const issueResponse = z.object({
  issuanceId: z.string(),
  issued: z.number().int(),
  skippedDisabled: z.number().int(),
  documentsExpireAt: z.string(),
  slipsUrl: z.string().meta({ description: 'PDF, A4, ten slips a page; usable until documentsExpireAt' }),
  teacherListUrl: z.string().meta({ description: 'XLSX for the class teacher' }),
});

function presentReport(r: ImportReport): z.infer<typeof importReport> {
  return {
    importId: r.id,
    status: r.status,
    fileName: r.fileName,
    encoding: r.encoding,
    totalRows: r.totalRows,
    validRows: r.validRows,
    errorRows: r.errorRows,
    canImportAll: r.errorRows === 0 && r.status === 'validated',
    findings: r.findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => ({ row: f.row, field: f.field, code: f.code, severity: f.severity, vi: f.vi, en: f.en })),
    findingsTruncated: r.findings.length > MAX_FINDINGS_SHOWN,
  };
}

export async function issuanceRoutes(app: FastifyInstance, s: Services): Promise<void> {
  // multipart is registered inside this context only, so other features may register their own
  await app.register(async (child) => {
    await child.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });
    const r = child.withTypeProvider<ZodTypeProvider>();
    const tags = ['issuance'];
    const access = { access: 'action', action: 'account.issue' } as const;

    r.get(
      '/api/points/:pointId/imports/template.xlsx',
      { config: access, schema: { tags, summary: 'The class-list template (XLSX)', params: pointIdParams } },
      async (req, reply) => {
        await authorizePoint(accountsCtx(s, req), req.params.pointId, 'account.issue');
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="mau-danh-sach-lop.xlsx"')
          .send(await renderPool(s).run('class-list-template', {}));
      },
    );

    r.post(
      '/api/points/:pointId/imports',
      {
        config: access,
        schema: { tags, summary: 'Upload a class list (multipart field "file": XLSX or CSV); answers the row-by-row report, imports nothing yet', params: pointIdParams, consumes: ['multipart/form-data'], response: { 201: importReport } },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi tệp dạng multipart/form-data.', 'Send the file as multipart/form-data.');
        const file = await req.file();
        if (!file) throw AppError.validation([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Chưa chọn tệp.', en: 'No file was sent.' }]);
        const data = await file.toBuffer().catch((e: { code?: string }) => {
          if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', 'Tệp quá lớn (tối đa 10 MB).', 'The file is too large (at most 10 MB).');
          throw e;
        });
        const report = await validateImport(accountsCtx(s, req), req.params.pointId, { name: file.filename || 'file', data });
        return reply.status(201).send(presentReport(report));
      },
    );

    r.get(
      '/api/points/:pointId/imports/:importId',
      { config: access, schema: { tags, summary: 'The report of an uploaded class list', params: importParams, response: { 200: importReport } } },
      async (req) => presentReport(await getImportReport(accountsCtx(s, req), req.params.pointId, req.params.importId)),
    );

    r.post(
      '/api/points/:pointId/imports/:importId/commit',
      {
        config: access,
        schema: {
          tags,
          summary: 'Import the list: mode "all" only when it is clean, "valid_rows" to import the valid rows and leave the others',
          params: importParams,
          body: z.object({ mode: z.enum(['all', 'valid_rows']) }).strict(),
          response: { 200: z.object({ imported: z.number().int(), skipped: z.number().int() }) },
        },
      },
      async (req) => commitImport(accountsCtx(s, req), req.params.pointId, req.params.importId, req.body.mode),
    );

    r.post(
      '/api/points/:pointId/accounts/issue',
      {
        config: access,
        schema: { tags, summary: 'Issue one-time passwords (default: every candidate of the point without an account)', params: pointIdParams, body: issueBody, response: { 201: issueResponse } },
      },
      async (req, reply) => {
        const res = await issueAccounts(accountsCtx(s, req), req.params.pointId, req.body);
        const base = `/api/points/${encodeURIComponent(req.params.pointId)}/issuances/${res.issuanceId}`;
        return reply.status(201).send({
          issuanceId: res.issuanceId,
          issued: res.issued,
          skippedDisabled: res.skippedDisabled,
          documentsExpireAt: res.documentsExpireAt,
          slipsUrl: `${base}/slips.pdf?key=${res.downloadKey}`,
          teacherListUrl: `${base}/teacher-list.xlsx?key=${res.downloadKey}`,
        });
      },
    );

    r.get(
      '/api/points/:pointId/issuances/:issuanceId/slips.pdf',
      { config: access, schema: { tags, summary: 'Credential slips (PDF) of an issuance', params: issuanceParams, querystring: keyQuery } },
      async (req, reply) => {
        const pdf = await issuanceDocument(accountsCtx(s, req), req.params.pointId, req.params.issuanceId, req.query.key, 'slips');
        return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="phieu-tai-khoan.pdf"').send(pdf);
      },
    );

    r.get(
      '/api/points/:pointId/issuances/:issuanceId/teacher-list.xlsx',
      { config: access, schema: { tags, summary: "The class teacher's list (XLSX) of an issuance", params: issuanceParams, querystring: keyQuery } },
      async (req, reply) => {
        const x = await issuanceDocument(accountsCtx(s, req), req.params.pointId, req.params.issuanceId, req.query.key, 'teacher-list');
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('cache-control', 'no-store')
          .header('content-disposition', 'attachment; filename="danh-sach-tai-khoan.xlsx"')
          .send(x);
      },
    );
  });
}

// Bulk issuance by a registration point: the template, the class-list import (validate → report → commit),
// issuing accounts, and the slips / teacher's list of an issuance. The contracts are in
// src/contracts/issuance.ts; the file answers are sent as their bytes, typed as the contract says.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/issuance.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import { accountsRuntime } from './runtime.ts';
import { commitImport, getImportReport, importFailedRows, validateImport, type ImportReport } from './class-list-import.ts';
import { issueAccounts, issuanceDocument } from './issue-accounts.ts';
import { authorizePoint } from './point-access.ts';
import { pointClasses } from './issuance.repository.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';
import { renderPool } from '../render/pool.ts';
import { sheetReader } from '../render/read-sheet.ts';
import '../http/route-access.ts';

const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** At most this many findings in one answer; the counts always cover the whole file. */
const MAX_FINDINGS_SHOWN = 5000;

function presentReport(r: ImportReport): z.infer<typeof c.importReport> {
  return {
    importId: r.id,
    status: r.status,
    fileName: r.fileName,
    encoding: r.encoding,
    totalRows: r.totalRows,
    validRows: r.validRows,
    errorRows: r.errorRows,
    // every row is valid, wrong, or a student the point already has, the same (a corrected list sent again)
    unchangedRows: Math.max(0, r.totalRows - r.validRows - r.errorRows),
    updatedRows: r.updatedRows,
    canImportAll: r.errorRows === 0 && r.status === 'validated',
    findings: r.findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => ({ row: f.row, ...(f.name ? { name: f.name } : {}), field: f.field, code: f.code, severity: f.severity, vi: f.vi, en: f.en })),
    findingsTruncated: r.findings.length > MAX_FINDINGS_SHOWN,
  };
}

export async function issuanceRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const rt = accountsRuntime(s);
  // multipart is registered inside this context only, so other features may register their own
  await app.register(async (child) => {
    await child.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });
    const r = child.withTypeProvider<ZodTypeProvider>();
    const access = { access: 'action', action: 'account.issue' } as const;

    r.route({
      ...routeOf(c.importTemplate),
      config: access,
      handler: async (req, reply) => {
        await authorizePoint(ctxOf(s, req), req.params.pointId, 'account.issue');
        return reply.type(c.importTemplate.produces).header('content-disposition', 'attachment; filename="mau-danh-sach-lop.xlsx"').send(await renderPool(s).run('class-list-template', {}));
      },
    });

    r.route({
      ...routeOf(c.uploadClassList),
      config: access,
      handler: async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi tệp dạng multipart/form-data.', 'Send the file as multipart/form-data.');
        const file = await req.file();
        if (!file) throw AppError.validation([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Chưa chọn tệp.', en: 'No file was sent.' }]);
        const data = await file.toBuffer().catch((e: { code?: string }) => {
          if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', 'Tệp quá lớn (tối đa 10 MB).', 'The file is too large (at most 10 MB).');
          throw e;
        });
        const report = await validateImport(ctxOf(s, req), req.params.pointId, { name: file.filename || 'file', data }, sheetReader(s));
        return reply.status(201).send(presentReport(report));
      },
    });

    r.route({
      ...routeOf(c.importFailedRows),
      config: access,
      handler: async (req, reply) => {
        const failed = await importFailedRows(ctxOf(s, req), req.params.pointId, req.params.importId);
        const rows = failed.rows.map((r) => ({ row: r.row, cells: r.cells, problems: r.problems.filter((p) => p.severity === 'error').map((p) => `${p.vi} / ${p.en}`) }));
        const file = await renderPool(s).run('class-list-failed-rows', { fileName: failed.fileName, rows });
        return reply.type(c.importFailedRows.produces).header('content-disposition', 'attachment; filename="dong-can-sua.xlsx"').send(file);
      },
    });

    r.route({ ...routeOf(c.getImport), config: access, handler: async (req) => presentReport(await getImportReport(ctxOf(s, req), req.params.pointId, req.params.importId)) });

    r.route({
      ...routeOf(c.pointClasses),
      config: access,
      handler: async (req) => {
        const ctx = ctxOf(s, req);
        const point = await authorizePoint(ctx, req.params.pointId, 'account.issue');
        const year = await currentExamYear(ctx.db.read);
        if (!year) return { examYear: 0, items: [] };
        return { examYear: year.year, items: await pointClasses(ctx.db.read, point.id, year.year) };
      },
    });

    r.route({ ...routeOf(c.commitImport), config: access, handler: async (req) => commitImport(ctxOf(s, req), req.params.pointId, req.params.importId, req.body.mode) });

    r.route({
      ...routeOf(c.issueAccounts),
      config: access,
      handler: async (req, reply) => {
        const res = await issueAccounts(ctxOf(s, req), rt, req.params.pointId, req.body);
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
    });

    // the slips and the teacher's list: the same sealed passwords, drawn as a PDF or a workbook
    const documents = [
      { op: c.issuanceSlips, kind: 'slips', fileName: 'phieu-tai-khoan.pdf' },
      { op: c.issuanceTeacherList, kind: 'teacher-list', fileName: 'danh-sach-tai-khoan.xlsx' },
    ] as const;
    for (const d of documents) {
      r.route({
        ...routeOf(d.op),
        config: access,
        handler: async (req, reply) => {
          const bytes = await issuanceDocument(ctxOf(s, req), renderPool(s), s.config.PUBLIC_URL, req.params.pointId, req.params.issuanceId, req.query.key, d.kind);
          return reply.type(d.op.produces).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${d.fileName}"`).send(bytes);
        },
      });
    }
  });
}

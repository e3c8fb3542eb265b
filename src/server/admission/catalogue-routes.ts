// The admission catalogue's API (issue 23, deliverable 1): thin handlers over catalogue.ts, registered from
// src/contracts/admission-catalogue.ts. Uploads are multipart in their own context, as the class lists'.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/admission-catalogue.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import { renderPool } from '../render/pool.ts';
import { sheetReader } from '../render/read-sheet.ts';
import {
  authorizeCatalogue,
  catalogueImportRowsToFix,
  commitCatalogueImport,
  createInstitution,
  getCatalogue,
  getCatalogueImport,
  listInstitutions,
  publishCatalogue,
  returnCatalogue,
  uploadCatalogue,
  type CatalogueImportReport,
} from './catalogue.ts';
import '../http/route-access.ts';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * A catalogue is a plain .xlsx or CSV: a macro-enabled or binary workbook (.xlsm, .xlsb, .xls renamed) or one
 * carrying macros, ActiveX controls or embedded objects is refused before it is read. A zip's central
 * directory names its parts in clear text, so their names are found without unzipping.
 */
function refuseActiveContent(fileName: string, data: Buffer): void {
  if (fileName !== '' && !/\.(xlsx|xls|csv|txt)$/i.test(fileName)) {
    throw new AppError('UNPROCESSABLE', 'Chỉ nhận tệp .xlsx hoặc .csv.', 'Only .xlsx or .csv files are accepted.', { code: 'FILE_TYPE_REFUSED' });
  }
  const isZip = data.length > 4 && data[0] === 0x50 && data[1] === 0x4b;
  if (isZip && ['vbaProject.bin', 'xl/activeX/', 'xl/embeddings/', 'xl/macrosheets/'].some((part) => data.includes(part))) {
    throw new AppError('UNPROCESSABLE', 'Tệp có macro hoặc nội dung nhúng, không được nhận: hãy lưu lại thành .xlsx thường.', 'The file carries macros or embedded content, which is not accepted: save it again as a plain .xlsx.', {
      code: 'ACTIVE_CONTENT',
    });
  }
}

function presentReport(r: CatalogueImportReport): z.infer<typeof c.catalogueImportReport> {
  return {
    importId: r.id,
    status: r.status,
    fileName: r.fileName,
    totalRows: r.totalRows,
    validRows: r.validRows,
    errorRows: r.errorRows,
    unchangedRows: r.unchangedRows,
    canImport: r.errorRows === 0 && r.status === 'validated',
    findings: r.findings.map((f) => ({ row: f.row, ...(f.programme ? { programme: f.programme } : {}), field: f.field, code: f.code, severity: f.severity, vi: f.vi, en: f.en })),
    createdAt: r.createdAt,
    importedRows: r.importedRows,
  };
}

export async function catalogueRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const catalogue = { access: 'action', action: 'admission.catalogue' } as const;
  const publish = { access: 'action', action: 'admission.publish' } as const;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.route({ ...routeOf(c.listInstitutions), config: publish, handler: async (req) => listInstitutions(ctxOf(s, req)) });
  r.route({ ...routeOf(c.createInstitution), config: { access: 'action', action: 'org.manage' }, handler: async (req, reply) => reply.status(201).send(await createInstitution(ctxOf(s, req), req.body)) });
  r.route({ ...routeOf(c.getCatalogue), config: catalogue, handler: async (req) => getCatalogue(ctxOf(s, req), req.params.institutionId) });
  r.route({
    ...routeOf(c.catalogueTemplate),
    config: catalogue,
    handler: async (req, reply) => {
      await authorizeCatalogue(ctxOf(s, req), req.params.institutionId);
      return reply.type(c.catalogueTemplate.produces).header('content-disposition', 'attachment; filename="mau-chuong-trinh-dao-tao.xlsx"').send(await renderPool(s).run('programme-template', {}));
    },
  });
  r.route({ ...routeOf(c.getCatalogueImport), config: catalogue, handler: async (req) => presentReport(await getCatalogueImport(ctxOf(s, req), req.params.institutionId, req.params.importId)) });
  r.route({
    ...routeOf(c.catalogueImportRowsToFix),
    config: catalogue,
    handler: async (req, reply) => {
      const fix = await catalogueImportRowsToFix(ctxOf(s, req), req.params.institutionId, req.params.importId);
      return reply.type(c.catalogueImportRowsToFix.produces).header('content-disposition', 'attachment; filename="dong-can-sua-chuong-trinh.xlsx"').send(await renderPool(s).run('programme-rows-to-fix', fix));
    },
  });
  r.route({ ...routeOf(c.commitCatalogueImport), config: catalogue, handler: async (req) => commitCatalogueImport(ctxOf(s, req), req.params.institutionId, req.params.importId) });
  r.route({ ...routeOf(c.publishCatalogue), config: publish, handler: async (req) => publishCatalogue(ctxOf(s, req), req.params.institutionId) });
  r.route({ ...routeOf(c.returnCatalogue), config: publish, handler: async (req) => returnCatalogue(ctxOf(s, req), req.params.institutionId, req.body.reason) });

  // multipart is registered inside this context only, so other features may register their own
  await app.register(async (child) => {
    await child.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 2 } });
    child.withTypeProvider<ZodTypeProvider>().route({
      ...routeOf(c.uploadCatalogue),
      config: catalogue,
      handler: async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi tệp dạng multipart/form-data.', 'Send the file as multipart/form-data.');
        const file = await req.file();
        if (!file) throw AppError.validation([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Chưa chọn tệp.', en: 'No file was sent.' }]);
        const data = await file.toBuffer().catch((e: { code?: string }) => {
          if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', 'Tệp quá lớn (tối đa 2 MB).', 'The file is too large (at most 2 MB).');
          throw e;
        });
        refuseActiveContent(file.filename || '', data);
        const report = await uploadCatalogue(ctxOf(s, req), req.params.institutionId, { name: file.filename || 'file', data }, sheetReader(s));
        return reply.status(201).send(presentReport(report));
      },
    });
  });
}

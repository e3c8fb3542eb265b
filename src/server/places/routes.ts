// Places by name over HTTP: public, cacheable reference answers, and the department's school import.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/places.ts';
import type { Services } from '../context.ts';
import { ctxOf } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import { communesOf, importSchools, provinces, schoolsOf } from './places.ts';
import { sheetReader } from '../render/read-sheet.ts';
import '../http/route-access.ts';

/** Code lists change with a deploy; a day's cache (and a week's stale copy while revalidating) is safe. */
const LONG = 'public, max-age=86400, stale-while-revalidate=604800';
/** Schools change when a department imports: a few minutes. */
const SHORT = 'public, max-age=300';

export async function placesRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.route({
    ...routeOf(c.listProvinces),
    config: { access: 'public' },
    handler: async (_req, reply) => {
      reply.header('cache-control', LONG);
      return { provinces: await provinces(s.db.read) };
    },
  });
  r.route({
    ...routeOf(c.listCommunes),
    config: { access: 'public' },
    handler: async (req, reply) => {
      const list = await communesOf(s.db.read, req.params.provinceCode);
      if (list.length === 0) throw new AppError('NOT_FOUND', `Không có tỉnh mã ${req.params.provinceCode}.`, `There is no province ${req.params.provinceCode}.`);
      reply.header('cache-control', LONG);
      return { provinceCode: req.params.provinceCode, communes: list };
    },
  });
  r.route({
    ...routeOf(c.listSchools),
    config: { access: 'public' },
    handler: async (req, reply) => {
      reply.header('cache-control', SHORT);
      return { provinceCode: req.params.provinceCode, schools: await schoolsOf(s.db.read, req.params.provinceCode) };
    },
  });

  await app.register(async (child) => {
    await child.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 2 } });
    child.withTypeProvider<ZodTypeProvider>().route({
      ...routeOf(c.importSchools),
      config: { access: 'action', action: 'org.manage' },
      handler: async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi tệp dạng multipart/form-data.', 'Send the file as multipart/form-data.');
        const file = await req.file();
        if (!file) throw AppError.validation([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Chưa chọn tệp.', en: 'No file was sent.' }]);
        const data = await file.toBuffer().catch((e: { code?: string }) => {
          if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', 'Tệp quá lớn (tối đa 5 MB).', 'The file is too large (at most 5 MB).');
          throw e;
        });
        const sheet = await sheetReader(s)(data, file.filename || 'schools.csv');
        return reply.status(201).send(await importSchools(ctxOf(s, req), req.params.departmentCode, sheet.rows));
      },
    });
  });
}

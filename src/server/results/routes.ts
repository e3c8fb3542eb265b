// The results API (issue 22, items 3 and 4): thin handlers over marks-import.ts, publish.ts and
// averages-import.ts, registered from src/contracts/results.ts, each answer an explicit mapping.
import multipart from '@fastify/multipart';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import * as c from '../../contracts/results.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import { formatMark, type StoredMark } from '../../domain/exam-marks.ts';
import { getMarksReport, listMarksImports, stageMarksImport, type MarksReport } from './marks-import.ts';
import { publishMarksImport } from './publish.ts';
import { importSchoolAverages } from './averages-import.ts';
import type { ResultImport, RowFinding } from './results.repository.ts';
import type { Actor } from '../policy/policy.ts';
import { MemoryThrottleStore, THROTTLE_RULES } from '../accounts/throttle.ts';
import { notReleased, ownResult, resultsMorning, setResultsRelease, unknownNumber, type OwnResult } from './morning.ts';
import { presentPapers, statusText } from '../../domain/results-release.ts';
import type { StoredMark as Mark } from '../../domain/exam-marks.ts';
import { sheetReader } from '../render/read-sheet.ts';
import { clientAddress, replayableHeaders, requestProtocol } from '../http/front-door.ts';
import { HSTS_VALUE, servedOverHttps } from '../security/headers.ts';
import { errorBody } from '../http/error-handler.ts';
import '../http/route-access.ts';

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MAX_FINDINGS_SHOWN = 5000;

const presentImport = (i: ResultImport): z.infer<typeof c.resultImportShape> => ({
  id: i.id,
  version: i.version,
  status: i.status,
  kind: i.kind,
  fileName: i.fileName,
  subjects: i.subjects,
  baseVersion: i.baseVersion,
  totalRows: i.totalRows,
  validRows: i.validRows,
  errorRows: i.errorRows,
  added: i.added,
  changed: i.changed,
  removed: i.removed,
  unchanged: i.unchanged,
  uploadedBy: i.uploadedBy,
  uploadedAt: i.uploadedAt,
  publishedBy: i.publishedBy,
  publishedAt: i.publishedAt,
  resultsComputed: i.resultsComputed,
});

const presentMark = (m: StoredMark | null): z.infer<typeof c.markShape> =>
  m === null ? null : { kind: m.kind, score: m.kind === 'score' ? m.centi / 100 : null, sanction: m.kind === 'score' ? m.sanction : null, ...formatMark(m) };

const presentFindings = (fs: RowFinding[]) => fs.slice(0, MAX_FINDINGS_SHOWN).map((f) => ({ row: f.row, field: f.field, code: f.code, severity: f.severity, vi: f.vi, en: f.en }));

function presentReport(r: MarksReport, me: Actor): z.infer<typeof c.marksReport> {
  return {
    import: presentImport(r.import),
    findings: presentFindings(r.findings),
    findingsTruncated: r.findings.length > MAX_FINDINGS_SHOWN,
    changes: r.changes.map((x) => ({ row: x.change === 'removed' ? null : x.row, number: x.number, subject: x.subject, change: x.change, old: presentMark(x.old), new: presentMark(x.mark) })),
    changesTruncated: r.import.added + r.import.changed + r.import.removed > r.changes.length,
    publishableByMe: r.import.status === 'staged' && me.kind === 'user' && me.userId !== r.import.uploadedBy,
  };
}

async function uploadedFile(req: FastifyRequest): Promise<{ name: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi tệp dạng multipart/form-data.', 'Send the file as multipart/form-data.');
  const file = await req.file();
  if (!file) throw AppError.validation([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Chưa chọn tệp.', en: 'No file was sent.' }]);
  const data = await file.toBuffer().catch((e: { code?: string }) => {
    if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', 'Tệp quá lớn (tối đa 20 MB).', 'The file is too large (at most 20 MB).');
    throw e;
  });
  return { name: file.filename || 'file', data };
}

/** how long a browser or a CDN may keep a released answer (results change only at a new publication) */
export const LOOKUP_MAX_AGE_SECONDS = 300;
const LOOKUP_PREFIX = c.publicLookup.path.replace(':number', '');

function presentOwn(o: OwnResult): z.infer<typeof c.ownResultShape> {
  const r = o.result;
  const detail = (r.detail ?? {}) as { marks?: Record<string, Mark> };
  return {
    number: r.number,
    examYear: o.examYear,
    releasedAt: o.release.at,
    papers: presentPapers(detail.marks ?? {}, o.subjects),
    graduation: { status: r.status, ...statusText(r.status) },
    scheme: r.scheme,
    graduationScore: r.scoreCenti === null ? null : r.scoreCenti / 100,
    schoolAverage: r.schoolAverageCenti === null ? null : r.schoolAverageCenti / 100,
    encouragementPoints: r.encouragementCenti / 100,
    priorityPoints: r.priorityCenti / 100,
    reasons: r.reasons.map((f) => ({ code: f.code, vi: f.vi, en: f.en })),
  };
}

export async function resultsRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const lookups = new MemoryThrottleStore();
  const lookupRule = { ...THROTTLE_RULES.resultsLookup, limit: s.config.RESULTS_LOOKUPS_PER_MINUTE };
  app.addHook('onClose', async () => lookups.close());
  const r0 = app.withTypeProvider<ZodTypeProvider>();
  r0.route({
    ...routeOf(c.setRelease),
    config: { access: 'action', action: 'exam_year.manage' },
    handler: async (req) => {
      const x = await setResultsRelease(ctxOf(s, req), req.body);
      return { at: x.at, localDate: x.localDate, localTime: x.localTime, setBy: x.setBy, setAt: x.setAt };
    },
  });
  r0.route({ ...routeOf(c.ownResults), config: { access: 'action', action: 'candidate.read' }, handler: async (req) => presentOwn(await ownResult(ctxOf(s, req))) });
  // the results morning's public path: a counter in memory, the snapshot's ready bytes; no database.
  // Its found answers are also given by the front door (below) with the headers this route last gave one.
  let replay: OutgoingHttpHeaders | undefined;
  let replayMiss: OutgoingHttpHeaders | undefined;
  r0.route({
    ...routeOf(c.publicLookup),
    config: { access: 'public', cacheable: true },
    onSend: (_req, reply, payload, done) => {
      if (reply.statusCode === 200) replay = replayableHeaders(reply.getHeaders());
      else if (reply.statusCode === 404 && typeof payload === 'string' && payload.includes('"RESULT_NOT_FOUND"')) replayMiss = replayableHeaders(reply.getHeaders());
      done(null, payload);
    },
    handler: async (req, reply) => {
      const now = s.clock();
      const wait = lookups.take({ key: req.ip, rule: lookupRule }, now);
      if (wait > 0) {
        throw new AppError('TOO_MANY_REQUESTS', 'Bạn tra cứu quá nhiều lần, xin thử lại sau ít phút.', 'Too many look-ups from your address; please try again in a few minutes.', {
          code: 'RESULTS_LOOKUP_THROTTLED',
          headers: { 'retry-after': String(wait), 'cache-control': 'no-store' },
        });
      }
      const st = await resultsMorning(s.db).state(now);
      if (!st || !st.released) throw notReleased(st?.release ?? null);
      const body = st.snapshot.get(req.params.number);
      if (!body) throw unknownNumber(req.params.number);
      return reply.header('cache-control', `public, max-age=${LOOKUP_MAX_AGE_SECONDS}`).type('application/json; charset=utf-8').send(body as never);
    },
  });

  const front = app.frontDoor;
  if (front) {
    const trustProxy = s.config.TRUST_PROXY;
    const requests = app.metrics?.requests;
    front.add((req, res) => {
      // the common cases only: a GET of /api/public/results/<8 digits>, released, under the throttle, found
      // or not, once the route has given such an answer itself (its headers are the ones sent)
      const headers = replay;
      if (!headers || req.method !== 'GET') return false;
      const url = req.url ?? '';
      if (url.length !== LOOKUP_PREFIX.length + 8 || !url.startsWith(LOOKUP_PREFIX)) return false;
      const number = url.slice(LOOKUP_PREFIX.length);
      if (!/^\d{8}$/.test(number)) return false;
      const now = s.clock();
      const snapshot = resultsMorning(s.db).ready(now);
      if (!snapshot) return false;
      const found = snapshot.get(number);
      // a number without a result: the route's own 404, once the route has given one
      const missHeaders = replayMiss;
      if (!found && !missHeaders) return false;
      const body = found ?? Buffer.from(JSON.stringify(errorBody(unknownNumber(number))));
      const status = found ? 200 : 404;
      const base = found ? headers : missHeaders!;
      const key = { key: clientAddress(req, trustProxy), rule: lookupRule };
      // over the limit: the route answers the refusal (and counts it), as for every other case
      if (lookups.count(key, now) >= lookupRule.limit) return false;
      const started = process.hrtime.bigint();
      lookups.take(key, now);
      res.writeHead(status, servedOverHttps(requestProtocol(req, trustProxy), s.config) ? { ...base, 'strict-transport-security': HSTS_VALUE, 'content-length': body.length } : { ...base, 'content-length': body.length });
      res.end(body);
      requests?.observe({ method: 'GET', route: c.publicLookup.path, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
      return true;
    });
  }

  // multipart is registered inside this context only, as the class-list import does
  await app.register(async (child) => {
    await child.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });
    const r = child.withTypeProvider<ZodTypeProvider>();
    const upload = { access: 'action', action: 'results.upload' } as const;

    r.route({
      ...routeOf(c.uploadMarks),
      config: upload,
      handler: async (req, reply) => reply.status(201).send(presentReport(await stageMarksImport(ctxOf(s, req), req.params.departmentCode, await uploadedFile(req), sheetReader(s)), req.actor)),
    });
    r.route({
      ...routeOf(c.listImports),
      config: upload,
      handler: async (req) => {
        const out = await listMarksImports(ctxOf(s, req), req.params.departmentCode);
        return { examYear: out.examYear, publishedVersion: out.publishedVersion, items: out.items.map(presentImport) };
      },
    });
    r.route({ ...routeOf(c.getImport), config: upload, handler: async (req) => presentReport(await getMarksReport(ctxOf(s, req), req.params.departmentCode, req.params.resultImportId), req.actor) });
    r.route({
      ...routeOf(c.publishImport),
      config: { access: 'action', action: 'results.publish' },
      handler: async (req) => {
        const o = await publishMarksImport(ctxOf(s, req), req.params.departmentCode, req.params.resultImportId);
        return { version: o.version, added: o.added, changed: o.changed, removed: o.removed, superseded: o.superseded, results: { ...o.results } };
      },
    });
    r.route({
      ...routeOf(c.uploadAverages),
      config: { access: 'action', action: 'results.averages' },
      handler: async (req) => {
        const out = await importSchoolAverages(ctxOf(s, req), req.params.pointId, await uploadedFile(req), req.query.mode ?? 'all', sheetReader(s));
        return { examYear: out.examYear, totalRows: out.totalRows, validRows: out.validRows, errorRows: out.errorRows, saved: out.saved, findings: presentFindings(out.findings), findingsTruncated: out.findings.length > MAX_FINDINGS_SHOWN };
      },
    });
  });
}

// The dossier API: the candidate's own dossier (/api/dossier…), a dossier by id (/api/dossiers/:id…), the
// point's decisions, desk registration and the trial wipe. Thin: the contract (src/contracts/dossier.ts)
// gives method, path and schemas; each handler parses headers, calls one command, and presents. The
// candidate's hottest answers are JSON text already (the stored JSON spliced in) and are sent as they are.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/dossier.ts';
import { ctxOf, type Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { etagOf, parseIfMatch } from '../http/etag.ts';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../http/idempotency.ts';
import { routeOf } from '../http/route.ts';
import { sessionValue } from '../http/auth.ts';
import { byId, OWN, OWN_DOSSIER, OWN_DOSSIER_AND_KEY, OWN_DOSSIER_HISTORY, OWN_DOSSIER_UPLOADS, type DossierTarget } from './access.ts';
import type { DossierDeps } from './commit.ts';
import { getDossierJson, getDossierStatus } from './read.ts';
import { correctDossier, saveSection, saveSections } from './save.ts';
import { submitDossier } from './submit.ts';
import { assignFormNumbers, returnDossier, verifyDossier, verifyDossiers } from './review.ts';
import { EVIDENCE_MAX_BYTES, PHOTO_MAX_BYTES, getUploadFile, uploadEvidence, uploadPhoto } from './uploads.ts';
import { registrationFormPdf } from './form-pdf.ts';
import { renderPool } from '../render/pool.ts';
import { registerAtDesk } from './desk.ts';
import { wipeTrial } from './wipe-trial.ts';
import { tooLarge } from './upload-storage.ts';
import '../http/route-access.ts';

/** room for the multipart boundaries and the small form fields around the file */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

/** The version a decision is based on: If-Match, or `version` in the body. */
function versionOf(req: FastifyRequest, body: { version?: number | undefined } | null | undefined): number {
  const v = parseIfMatch(req.headers['if-match']) ?? body?.version;
  if (v === undefined) {
    throw new AppError('PRECONDITION_REQUIRED', 'Thiếu phiên bản hồ sơ (If-Match hoặc version).', 'The dossier version (If-Match or version) is missing.', { code: 'IF_MATCH_REQUIRED' });
  }
  return v;
}

export async function dossierRoutes(app: FastifyInstance, s: Services, deps: DossierDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: 'action', action: 'candidate.read' } as const;
  const edit = { access: 'action', action: 'dossier.edit' } as const;

  // ---- reading: the ETag is the version a save names in If-Match, never a validator of this view
  // (uploads and the window's phase change it without a new version), so no 304 and no-store ----
  const sendDossier = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
    const out = await getDossierJson(ctxOf(s, req), target, sessionValue(req, OWN_DOSSIER_UPLOADS));
    return noStore(reply).header('etag', etagOf(out.version)).type(JSON_TYPE).send(out.json);
  };
  r.route({ ...routeOf(c.getOwnDossier), config: { ...read, sessionRead: OWN_DOSSIER_UPLOADS }, handler: (req, reply) => sendDossier(req, reply, OWN) });
  r.route({ ...routeOf(c.getDossier), config: read, handler: (req, reply) => sendDossier(req, reply, byId(req.params.dossierId)) });
  r.route({
    ...routeOf(c.getOwnStatus),
    config: { ...read, sessionRead: OWN_DOSSIER_HISTORY },
    handler: async (req, reply) => {
      void noStore(reply);
      return getDossierStatus(ctxOf(s, req), OWN, sessionValue(req, OWN_DOSSIER_HISTORY));
    },
  });
  r.route({
    ...routeOf(c.getStatus),
    config: read,
    handler: async (req, reply) => {
      void noStore(reply);
      return getDossierStatus(ctxOf(s, req), byId(req.params.dossierId));
    },
  });

  // ---- saving as you go (If-Match required) ----
  const saved = (reply: FastifyReply, out: { json: string; version: number }) => noStore(reply).header('etag', etagOf(out.version)).type(JSON_TYPE).send(out.json);
  r.route({
    ...routeOf(c.saveOwnSection),
    config: { ...edit, sessionRead: OWN_DOSSIER },
    handler: async (req, reply) =>
      saved(reply, await saveSection(ctxOf(s, req), deps, { target: OWN, sectionId: req.params.sectionId, value: req.body, ifMatch: parseIfMatch(req.headers['if-match']) }, sessionValue(req, OWN_DOSSIER))),
  });
  r.route({
    ...routeOf(c.saveOwnSections),
    config: { ...edit, sessionRead: OWN_DOSSIER },
    handler: async (req, reply) => saved(reply, await saveSections(ctxOf(s, req), deps, { target: OWN, sections: req.body, ifMatch: parseIfMatch(req.headers['if-match']) }, sessionValue(req, OWN_DOSSIER))),
  });
  r.route({
    ...routeOf(c.saveSection),
    config: edit,
    handler: async (req, reply) =>
      saved(reply, await saveSection(ctxOf(s, req), deps, { target: byId(req.params.dossierId), sectionId: req.params.sectionId, value: req.body, ifMatch: parseIfMatch(req.headers['if-match']) })),
  });
  r.route({
    ...routeOf(c.saveSections),
    config: edit,
    handler: async (req, reply) => saved(reply, await saveSections(ctxOf(s, req), deps, { target: byId(req.params.dossierId), sections: req.body, ifMatch: parseIfMatch(req.headers['if-match']) })),
  });
  r.route({
    ...routeOf(c.correctDossier),
    config: { access: 'action', action: 'dossier.correct' },
    handler: async (req, reply) =>
      saved(reply, await correctDossier(ctxOf(s, req), deps, { dossierId: req.params.dossierId, sections: req.body.sections, reason: req.body.reason, ifMatch: parseIfMatch(req.headers['if-match']) })),
  });

  // ---- submitting (Idempotency-Key recommended, If-Match optional) ----
  const submit = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget, body: unknown) => {
    const out = await submitDossier(
      ctxOf(s, req),
      deps,
      { target, idempotencyKey: parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]), ifMatch: parseIfMatch(req.headers['if-match']), body: body ?? {} },
      sessionValue(req, OWN_DOSSIER_AND_KEY),
    );
    void noStore(reply).header('etag', etagOf(out.version));
    if (out.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(out.statusCode).type(JSON_TYPE).send(out.json);
  };
  const submitConfig = { access: 'action', action: 'dossier.submit' } as const;
  r.route({ ...routeOf(c.submitOwn), config: { ...submitConfig, sessionRead: OWN_DOSSIER_AND_KEY }, handler: (req, reply) => submit(req, reply, OWN, req.body) });
  r.route({ ...routeOf(c.submit), config: submitConfig, handler: (req, reply) => submit(req, reply, byId(req.params.dossierId), req.body) });

  // ---- the form ----
  const pdf = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
    const out = await registrationFormPdf(ctxOf(s, req), deps.dataDir, target, renderPool(s));
    return noStore(reply).type('application/pdf').header('content-disposition', `attachment; filename="${out.fileName}"`).send(out.pdf);
  };
  r.route({ ...routeOf(c.ownFormPdf), config: read, handler: (req, reply) => pdf(req, reply, OWN) });
  r.route({ ...routeOf(c.formPdf), config: read, handler: (req, reply) => pdf(req, reply, byId(req.params.dossierId)) });

  // ---- files: served only through the policy, never inline as active content ----
  const file = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget, uploadId?: string) => {
    const out = await getUploadFile(ctxOf(s, req), deps, { target, ...(uploadId ? { uploadId } : {}) });
    void noStore(reply).header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'");
    if (out.upload.mime === 'application/pdf') void reply.header('content-disposition', `attachment; filename="minh-chung-${out.upload.id}.pdf"`);
    return reply.type(out.upload.mime).send(out.bytes);
  };
  r.route({ ...routeOf(c.ownPhoto), config: read, handler: (req, reply) => file(req, reply, OWN) });
  r.route({ ...routeOf(c.photo), config: read, handler: (req, reply) => file(req, reply, byId(req.params.dossierId)) });
  r.route({ ...routeOf(c.ownEvidence), config: read, handler: (req, reply) => file(req, reply, OWN, req.params.uploadId) });
  r.route({ ...routeOf(c.evidence), config: read, handler: (req, reply) => file(req, reply, byId(req.params.dossierId), req.params.uploadId) });

  // ---- uploads (multipart/form-data, one file in the field "file"; evidence also a "purpose" field first) ----
  await app.register(async (up) => {
    await up.register(multipart, { limits: { files: 1, fields: 4, fieldSize: 1024, parts: 6 } });
    const u = up.withTypeProvider<ZodTypeProvider>();
    const readFile = async (req: FastifyRequest, max: number): Promise<{ bytes: Buffer; name: string; fields: Record<string, string> }> => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Hãy gửi tệp dạng multipart/form-data.', 'Send the file as multipart/form-data.');
      // a body declared far larger than the file may be is refused before a byte of it is read
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > max + MULTIPART_OVERHEAD_BYTES) throw tooLarge(max);
      const part = await req.file({ limits: { fileSize: max, files: 1 } });
      if (!part) throw AppError.validation([{ code: 'REQUIRED', field: 'file', severity: 'error', vi: 'Hãy chọn tệp.', en: 'Choose a file.' }]);
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(max);
        throw e;
      }
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(part.fields)) {
        const f = Array.isArray(v) ? v[0] : v;
        if (f && f.type === 'field' && typeof f.value === 'string') fields[k] = f.value;
      }
      return { bytes, name: part.filename, fields };
    };
    const photo = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
      const f = await readFile(req, PHOTO_MAX_BYTES);
      return reply.status(201).send(await uploadPhoto(ctxOf(s, req), deps, { target, bytes: f.bytes, originalName: f.name }));
    };
    const evidence = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
      const f = await readFile(req, EVIDENCE_MAX_BYTES);
      const purpose = (c.EVIDENCE_PURPOSES as readonly string[]).includes(f.fields['purpose'] ?? 'other') ? ((f.fields['purpose'] ?? 'other') as (typeof c.EVIDENCE_PURPOSES)[number]) : null;
      if (!purpose) throw AppError.validation([{ code: 'INVALID_VALUE', field: 'purpose', severity: 'error', vi: 'Mục đích minh chứng không hợp lệ.', en: 'Invalid evidence purpose.' }]);
      return reply.status(201).send(await uploadEvidence(ctxOf(s, req), deps, { target, bytes: f.bytes, purpose, originalName: f.name }));
    };
    u.route({ ...routeOf(c.uploadOwnPhoto), config: edit, handler: (req, reply) => photo(req, reply, OWN) });
    u.route({ ...routeOf(c.uploadPhoto), config: edit, handler: (req, reply) => photo(req, reply, byId(req.params.dossierId)) });
    u.route({ ...routeOf(c.uploadOwnEvidence), config: edit, handler: (req, reply) => evidence(req, reply, OWN) });
    u.route({ ...routeOf(c.uploadEvidence), config: edit, handler: (req, reply) => evidence(req, reply, byId(req.params.dossierId)) });
  });

  // ---- the point's decisions ----
  r.route({
    ...routeOf(c.verify),
    config: { access: 'action', action: 'dossier.verify' },
    handler: async (req, reply) => {
      const out = await verifyDossier(ctxOf(s, req), deps, req.params.dossierId, versionOf(req, req.body));
      return noStore(reply).header('etag', etagOf(out.version)).send(out);
    },
  });
  r.route({ ...routeOf(c.verifyMany), config: { access: 'action', action: 'dossier.verify' }, handler: async (req) => ({ results: await verifyDossiers(ctxOf(s, req), deps, req.body.items) }) });
  r.route({
    ...routeOf(c.returnForCorrection),
    config: { access: 'action', action: 'dossier.return' },
    handler: async (req, reply) => {
      const out = await returnDossier(ctxOf(s, req), deps, req.params.dossierId, versionOf(req, req.body), req.body.reason);
      return noStore(reply).header('etag', etagOf(out.version)).send(out);
    },
  });
  r.route({ ...routeOf(c.assignFormNumbers), config: { access: 'action', action: 'dossier.verify' }, handler: async (req) => assignFormNumbers(ctxOf(s, req), req.params.pointId) });

  // ---- the point's desk, and the trial wipe ----
  r.route({
    ...routeOf(c.registerAtDesk),
    config: { access: 'action', action: 'dossier.register_desk' },
    handler: async (req, reply) => {
      const out = await registerAtDesk(ctxOf(s, req), deps, { ...req.body, idempotencyKey: parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]) });
      if (out.replayed) void reply.header('idempotent-replayed', 'true');
      return noStore(reply).status(out.statusCode as 201).send(out.body);
    },
  });
  r.route({ ...routeOf(c.wipeTrial), config: { access: 'action', action: 'exam_year.manage' }, handler: async (req) => wipeTrial(ctxOf(s, req), deps, { examYear: req.params.year }) });
}

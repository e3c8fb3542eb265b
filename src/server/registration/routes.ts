// The registration API. Thin: parse, call a command (which authorizes against the record it loads),
// present. Candidates use /api/dossier (their own); staff and candidates by id use /api/dossiers/:id.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { etagOf, parseIfMatch } from '../http/etag.ts';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../http/idempotency.ts';
import { WITH_OWN_DOSSIER_AND_KEY, withOwnDossier, type DossierTarget, type OwnDossierRead } from './dossier-access.ts';
import { getDossier, getDossierStatus } from './get-dossier.ts';
import { saveSection, saveSections } from './save-section.ts';
import { correctAfterWindow } from './correct-after-window.ts';
import { submitRegistration } from './submit-registration.ts';
import { PHOTO_MAX_BYTES, uploadPhoto, type UploadCtx } from './upload-photo.ts';
import { EVIDENCE_MAX_BYTES, uploadEvidence } from './upload-evidence.ts';
import { getUploadFile } from './get-upload.ts';
import { registrationFormPdf } from './registration-form-pdf.ts';
import { renderPool } from '../render/pool.ts';
import { registerAtDesk } from './register-at-desk.ts';
import { wipeTrial } from './wipe-trial.ts';
import { tooLarge } from './upload-storage.ts';
import { correctionBody, deskBody, dossierParams, dossierSectionParams, dossierUploadParams, evidencePurpose, sectionParams, sectionsBody, submitBody, uploadParams, yearParams } from './registration.schema.ts';
import '../http/route-access.ts';

const OWN: DossierTarget = { kind: 'own' };
/** room for the multipart boundaries and the small form fields around the file */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const byId = (dossierId: string): DossierTarget => ({ kind: 'id', dossierId });

export async function registrationRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const ctx = (req: FastifyRequest): UploadCtx => ({
    db: s.db,
    actor: req.actor,
    now: s.clock(),
    log: req.log,
    dataDir: s.config.DATA_DIR,
    own: req.sessionCompanion as OwnDossierRead | undefined,
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registration'];
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

  // ---- reading ----
  const read = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
    const out = await getDossier(ctx(req), target);
    // The ETag is the version a save must name in If-Match, not a validator of this view: uploads and
    // the window's phase change the view without a new version. So no 304 on If-None-Match (the answer
    // is no-store; the status route is what a client polls).
    void noStore(reply).header('etag', etagOf(out.dossier.version));
    return out;
  };
  r.get('/api/dossier', { config: { access: 'action', action: 'candidate.read', withSession: withOwnDossier('uploads') }, schema: { tags, summary: 'My dossier: sections, task list, findings, pre-fill' } }, (req, reply) => read(req, reply, OWN));
  r.get('/api/dossiers/:dossierId', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, params: dossierParams } }, (req, reply) => read(req, reply, byId(req.params.dossierId)));
  r.get('/api/dossier/status', { config: { access: 'action', action: 'candidate.read', withSession: withOwnDossier('history') }, schema: { tags, summary: 'Where my dossier stands, and its history' } }, async (req, reply) => {
    void noStore(reply);
    return getDossierStatus(ctx(req), OWN);
  });
  r.get('/api/dossiers/:dossierId/status', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, params: dossierParams } }, async (req, reply) => {
    void noStore(reply);
    return getDossierStatus(ctx(req), byId(req.params.dossierId));
  });

  // ---- saving as you go (If-Match required) ----
  const saved = (reply: FastifyReply, out: { dossier: { version: number } }) => {
    void noStore(reply).header('etag', etagOf(out.dossier.version));
    return out;
  };
  r.put('/api/dossier/sections/:sectionId', { config: { access: 'action', action: 'dossier.edit', withSession: withOwnDossier('none') }, schema: { tags, params: sectionParams, summary: 'Save one section (body: the section value)' } }, async (req, reply) =>
    saved(reply, await saveSection(ctx(req), { target: OWN, sectionId: req.params.sectionId, value: req.body, ifMatch: parseIfMatch(req.headers['if-match']) })),
  );
  r.patch('/api/dossier', { config: { access: 'action', action: 'dossier.edit', withSession: withOwnDossier('none') }, schema: { tags, summary: 'Save several sections in one write', body: sectionsBody } }, async (req, reply) =>
    saved(reply, await saveSections(ctx(req), { target: OWN, sections: req.body, ifMatch: parseIfMatch(req.headers['if-match']) })),
  );
  r.put('/api/dossiers/:dossierId/sections/:sectionId', { config: { access: 'action', action: 'dossier.edit' }, schema: { tags, params: dossierSectionParams } }, async (req, reply) =>
    saved(reply, await saveSection(ctx(req), { target: byId(req.params.dossierId), sectionId: req.params.sectionId, value: req.body, ifMatch: parseIfMatch(req.headers['if-match']) })),
  );
  r.patch('/api/dossiers/:dossierId', { config: { access: 'action', action: 'dossier.edit' }, schema: { tags, params: dossierParams, body: sectionsBody } }, async (req, reply) =>
    saved(reply, await saveSections(ctx(req), { target: byId(req.params.dossierId), sections: req.body, ifMatch: parseIfMatch(req.headers['if-match']) })),
  );
  r.post(
    '/api/dossiers/:dossierId/corrections',
    { config: { access: 'action', action: 'dossier.correct' }, schema: { tags, params: dossierParams, body: correctionBody, summary: 'After the window: the point corrects personal data (audited)' } },
    async (req, reply) =>
      saved(reply, await correctAfterWindow(ctx(req), { dossierId: req.params.dossierId, sections: req.body.sections, reason: req.body.reason, ifMatch: parseIfMatch(req.headers['if-match']) })),
  );

  // ---- submitting (Idempotency-Key recommended, If-Match optional) ----
  const submit = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
    const out = await submitRegistration(ctx(req), {
      target,
      idempotencyKey: parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]),
      ifMatch: parseIfMatch(req.headers['if-match']),
      body: req.body ?? {},
    });
    void noStore(reply).header('etag', etagOf(out.body.dossier.version));
    if (out.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(out.statusCode).send(out.body);
  };
  r.post('/api/dossier/submit', { config: { access: 'action', action: 'dossier.submit', withSession: WITH_OWN_DOSSIER_AND_KEY }, schema: { tags, body: submitBody } }, (req, reply) => submit(req, reply, OWN));
  r.post('/api/dossiers/:dossierId/submit', { config: { access: 'action', action: 'dossier.submit' }, schema: { tags, params: dossierParams, body: submitBody } }, (req, reply) =>
    submit(req, reply, byId(req.params.dossierId)),
  );

  // ---- the form ----
  const pdf = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
    const out = await registrationFormPdf(ctx(req), target, renderPool(s));
    return noStore(reply).type('application/pdf').header('content-disposition', `attachment; filename="${out.fileName}"`).send(out.pdf);
  };
  r.get('/api/dossier/form.pdf', { config: { access: 'action', action: 'candidate.read' }, schema: { tags } }, (req, reply) => pdf(req, reply, OWN));
  r.get('/api/dossiers/:dossierId/form.pdf', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, params: dossierParams } }, (req, reply) => pdf(req, reply, byId(req.params.dossierId)));

  // ---- files: served only through the policy, never inline as active content ----
  const file = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget, uploadId?: string) => {
    const out = await getUploadFile(ctx(req), { target, ...(uploadId ? { uploadId } : { kind: 'photo' as const }) });
    void noStore(reply).header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'");
    if (out.upload.mime === 'application/pdf') void reply.header('content-disposition', `attachment; filename="minh-chung-${out.upload.id}.pdf"`);
    return reply.type(out.upload.mime).send(out.bytes);
  };
  r.get('/api/dossier/photo', { config: { access: 'action', action: 'candidate.read' }, schema: { tags } }, (req, reply) => file(req, reply, OWN));
  r.get('/api/dossiers/:dossierId/photo', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, params: dossierParams } }, (req, reply) => file(req, reply, byId(req.params.dossierId)));
  r.get('/api/dossier/evidence/:uploadId', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, params: uploadParams } }, (req, reply) => file(req, reply, OWN, req.params.uploadId));
  r.get('/api/dossiers/:dossierId/evidence/:uploadId', { config: { access: 'action', action: 'candidate.read' }, schema: { tags, params: dossierUploadParams } }, (req, reply) =>
    file(req, reply, byId(req.params.dossierId), req.params.uploadId),
  );

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
      return reply.status(201).send(await uploadPhoto(ctx(req), { target, bytes: f.bytes, originalName: f.name }));
    };
    const evidence = async (req: FastifyRequest, reply: FastifyReply, target: DossierTarget) => {
      const f = await readFile(req, EVIDENCE_MAX_BYTES);
      const purpose = evidencePurpose.safeParse(f.fields['purpose'] ?? 'other');
      if (!purpose.success) throw AppError.validation([{ code: 'INVALID_VALUE', field: 'purpose', severity: 'error', vi: 'Mục đích minh chứng không hợp lệ.', en: 'Invalid evidence purpose.' }]);
      return reply.status(201).send(await uploadEvidence(ctx(req), { target, bytes: f.bytes, purpose: purpose.data, originalName: f.name }));
    };
    u.post('/api/dossier/photo', { config: { access: 'action', action: 'dossier.edit' }, schema: { tags, summary: 'Upload the ID photo (JPEG/PNG, ≥ 400×600 px, ≤ 5 MB)' } }, (req, reply) => photo(req, reply, OWN));
    u.post('/api/dossiers/:dossierId/photo', { config: { access: 'action', action: 'dossier.edit' }, schema: { tags, params: dossierParams } }, (req, reply) => photo(req, reply, byId(req.params.dossierId)));
    u.post('/api/dossier/evidence', { config: { access: 'action', action: 'dossier.edit' }, schema: { tags, summary: 'Upload evidence (PDF/JPEG/PNG, ≤ 10 MB)' } }, (req, reply) => evidence(req, reply, OWN));
    u.post('/api/dossiers/:dossierId/evidence', { config: { access: 'action', action: 'dossier.edit' }, schema: { tags, params: dossierParams } }, (req, reply) => evidence(req, reply, byId(req.params.dossierId)));
  });

  // ---- the point's desk, and the trial wipe ----
  r.post('/api/desk-registrations', { config: { access: 'action', action: 'dossier.register_desk' }, schema: { tags, body: deskBody, summary: 'A point registers a free candidate at its desk' } }, async (req, reply) => {
    const out = await registerAtDesk(ctx(req), { ...req.body, idempotencyKey: parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]) });
    if (out.replayed) void reply.header('idempotent-replayed', 'true');
    return noStore(reply).status(out.statusCode).send(out.body);
  });
  r.post('/api/exam-years/:year/trial-wipe', { config: { access: 'action', action: 'exam_year.manage' }, schema: { tags, params: yearParams, summary: 'Delete the trial dossiers once the trial is over' } }, async (req) =>
    wipeTrial(ctx(req), { examYear: req.params.year }),
  );
}

// The registration dossier's API: the candidate's own dossier (/api/dossier…), a dossier by id for staff
// (/api/dossiers/:id…), the point's verification queue and decisions, desk registration and the trial wipe.
// The sections' own schemas are the domain's (src/domain/dossier.ts), so a form, the server and the docs
// check the same thing.
import { z } from 'zod';
import { DossierSchema, SECTION_SCHEMAS } from '../domain/dossier.ts';
import { DOSSIER_STATUSES, type DossierStatus } from '../domain/lifecycle.ts';
import { examYearNumber, fileBody, finding, id, label } from './common.ts';
import { operation } from './operation.ts';

const status = z.enum(DOSSIER_STATUSES as unknown as [DossierStatus, ...DossierStatus[]]);
const phase = z.enum(['before', 'account_issuing', 'trial', 'between', 'official', 'correction', 'closed']);
const sectionId = z.enum(Object.keys(SECTION_SCHEMAS) as [keyof typeof SECTION_SCHEMAS, ...Array<keyof typeof SECTION_SCHEMAS>]);

export const dossierParams = z.strictObject({ dossierId: id });
export const sectionParams = z.strictObject({ sectionId: z.string().max(40) });
export const dossierSectionParams = z.strictObject({ dossierId: id, sectionId: z.string().max(40) });
export const uploadParams = z.strictObject({ uploadId: id });
export const dossierUploadParams = z.strictObject({ dossierId: id, uploadId: id });
export const pointParams = z.strictObject({ pointId: id });
export const yearParams = z.strictObject({ year: examYearNumber });

export const taskState = z.enum(['not_started', 'complete', 'has_errors']);
export const task = z.object({ id: sectionId, vi: z.string(), en: z.string(), state: taskState, findings: z.array(finding) });

/** A dossier as its pages show it: the sections, the task list and findings, and what may be done now. */
export const dossierView = z.object({
  /** null until the first save */
  id: z.string().nullable(),
  /** the readable dossier code (mã hồ sơ), e.g. 01-26-004213-5; null until the first save */
  code: z.string().nullable(),
  examYear: z.number().int(),
  isTrial: z.boolean(),
  status,
  statusLabel: label,
  /** the version a save names in If-Match (0 before the first save) */
  version: z.number().int(),
  channel: z.enum(['online', 'desk']),
  formNumber: z.string().nullable(),
  submittedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  photoUploaded: z.boolean(),
  sections: DossierSchema.partial(),
  /** what the point imported, offered as the starting values of unsaved sections */
  prefill: z.object({ personal: z.record(z.string(), z.unknown()), status: z.record(z.string(), z.unknown()) }),
  tasks: z.array(task),
  findings: z.array(finding),
  readyToSubmit: z.boolean(),
  candidate: z.object({
    id: z.string(),
    fullName: z.string(),
    idNumberMasked: z.string(),
    candidateType: z.enum(['current', 'free']),
    pointId: z.string(),
    departmentCode: z.string(),
  }),
  phase,
  mayEdit: z.boolean(),
});

export const uploadInfo = z.object({
  id: z.string(),
  kind: z.enum(['photo', 'evidence']),
  purpose: z.string().nullable(),
  mime: z.string(),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: z.string(),
});

export const dossierWindow = z.object({
  phase,
  /** when the official window closes (17:00 local on its last day), as an instant */
  officialClosesAt: z.string(),
  trialClosesAt: z.string(),
});

export const dossierResponse = z.object({ dossier: dossierView, uploads: z.array(uploadInfo), window: dossierWindow });

/**
 * What a save answers about the dossier: the little a save changes (its version, which is also the ETag, its
 * status and code, the task list and findings of the new verdict, whether it may still be edited) and the
 * saved sections as the server normalised them (the name in capitals, the phone in national form). The page
 * merges it into the view it holds; the rest of the view (pre-fill, candidate, uploads) a save never changes.
 */
export const savedDossier = dossierView
  .pick({ id: true, code: true, status: true, statusLabel: true, version: true, tasks: true, findings: true, readyToSubmit: true, mayEdit: true })
  .extend({
    /** the sections this save wrote, and only those */
    sections: DossierSchema.partial(),
  });

export const saveResponse = z.object({
  dossier: savedDossier,
  saved: z.array(sectionId),
  /** warnings about the saved sections (e.g. the CCCD cross-check): shown, never blocking */
  warnings: z.array(finding),
});

/** A submit answers little: the page reads the dossier again when it needs it. */
export const submitResponse = z.object({
  dossierId: z.string(),
  code: z.string().nullable(),
  status,
  version: z.number().int(),
  submittedAt: z.string().nullable(),
  /** true when this request made the submission; false when the dossier was already submitted */
  submittedNow: z.boolean(),
  /** warnings the candidate saw and submitted over (CCCD cross-check, age plausibility) */
  warnings: z.array(finding),
});

export const historyEntry = z.object({
  at: z.string(),
  event: z.string(),
  label,
  by: z.object({ role: z.string().nullable(), roleLabel: label.nullable(), name: z.string().nullable() }),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  version: z.number().int(),
  sections: z.array(z.object({ id: z.string(), vi: z.string(), en: z.string() })),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  reason: z.string().nullable(),
});

export const statusResponse = z.object({
  dossierId: z.string().nullable(),
  code: z.string().nullable(),
  examYear: z.number().int(),
  isTrial: z.boolean(),
  status,
  statusLabel: label,
  version: z.number().int(),
  formNumber: z.string().nullable(),
  submittedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  /** what the point asked to correct and why (while returned) */
  returned: z.object({ at: z.string().nullable(), reason: z.string() }).nullable(),
  phase,
  mayEdit: z.boolean(),
  officialClosesAt: z.string(),
  history: z.array(historyEntry),
});

/** PATCH …: several sections at once, each as its section schema (strict: no status, version, id). */
export const sectionsBody = z.strictObject(SECTION_SCHEMAS).partial();

/** POST …/submit: nothing is required; the body takes part in the idempotency fingerprint. */
export const submitBody = z
  .strictObject({
    /** codes of the warnings the candidate saw on the check-your-answers page and submitted over */
    confirmedWarnings: z.array(z.string().max(64)).max(20).optional(),
  })
  .optional();

export const correctionBody = z.strictObject({
  sections: z.record(z.string(), z.unknown()),
  /** why (kept in the history and the audit log): 1–1000 characters */
  reason: z.string().max(2000),
});

export const EVIDENCE_PURPOSES = ['language_certificate', 'vietnamese_certificate', 'priority', 'retained_scores', 'other'] as const;
export const DESK_DOCUMENTS = ['id_card', 'birth_certificate', 'transcript', 'graduation_certificate', 'language_certificate', 'priority_papers', 'photo', 'other'] as const;

export const deskBody = z.strictObject({
  dossier: z.record(z.string(), z.unknown()),
  documentsChecked: z.array(z.enum(DESK_DOCUMENTS)).min(1).max(DESK_DOCUMENTS.length),
  note: z.string().max(1000).optional(),
});
export const deskResponse = z.object({ dossier: dossierView, candidateId: z.string(), username: z.string() });

export const wipeResponse = z.object({ examYear: z.number().int(), dossiers: z.number().int(), files: z.number().int() });

// ---- the point's queue and decisions ----

/** A whole class list of a large point fits in one page. */
export const MAX_PAGE = 1000;
export const QUEUE_FLAGS = ['cccd_mismatch', 'photo_missing', 'exemption', 'priority'] as const;

export const queueQuery = z.strictObject({
  pointId: id.optional(),
  departmentCode: z.string().regex(/^\d{2}$/).optional(),
  status: z.enum(['not_started', 'draft', 'submitted', 'returned', 'verified']).optional(),
  className: z.string().min(1).max(32).optional(),
  subject: z.string().regex(/^[A-Z]{2,6}$/).optional(),
  combination: z.string().regex(/^[A-Z+]{2,40}$/).optional(),
  purpose: z.enum(['graduation', 'admission', 'both']).optional(),
  /** comma-separated: cccd_mismatch,photo_missing,exemption,priority */
  flags: z
    .string()
    .max(100)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(QUEUE_FLAGS)))
    .optional(),
  /** a name without diacritics ("nguyen van an"), a personal number (all or its first digits) or a dossier code */
  q: z.string().max(100).optional(),
  cursor: z.string().max(1200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
});

export const queueDossier = z.object({
  id: z.string(),
  code: z.string().nullable(),
  status,
  version: z.number().int(),
  channel: z.enum(['online', 'desk']),
  formNumber: z.string().nullable(),
  purpose: z.string().nullable(),
  subjectsCombo: z.string().nullable(),
  flags: z.object({ cccdMismatch: z.boolean(), photoMissing: z.boolean(), exemptionClaimed: z.boolean(), priorityClaimed: z.boolean() }),
  submittedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  errorsCount: z.number().int(),
});

export const queueItem = z.object({
  candidateId: z.string(),
  pointId: z.string(),
  departmentCode: z.string(),
  fullName: z.string(),
  dateOfBirth: z.string(),
  gender: z.enum(['M', 'F']),
  className: z.string().nullable(),
  idNumber: z.string(),
  candidateType: z.enum(['current', 'free']),
  dossier: queueDossier.nullable(),
});

export const queueResponse = z.object({
  examYear: z.number().int(),
  items: z.array(queueItem),
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: z.string().nullable(),
});

/** `version` may come in the body or as If-Match. */
export const verifyBody = z.strictObject({ version: z.number().int().min(1).optional() }).nullish();
export const bulkVerifyBody = z.strictObject({
  items: z.array(z.strictObject({ dossierId: id, version: z.number().int().min(1) })).min(1).max(200),
});
export const returnBody = z.strictObject({ version: z.number().int().min(1).optional(), reason: z.string().min(1).max(2000) });

export const decisionResponse = z.object({ dossierId: z.string(), status, version: z.number().int() });
export const bulkResponse = z.object({
  results: z.array(
    z.union([
      z.object({ ok: z.literal(true), dossierId: z.string(), status, version: z.number().int() }),
      z.object({ ok: z.literal(false), dossierId: z.string(), code: z.string(), status: z.number().int(), vi: z.string(), en: z.string(), currentVersion: z.number().int().optional() }),
    ]),
  ),
});
export const formNumbersResponse = z.object({ assigned: z.number().int(), first: z.string().nullable(), last: z.string().nullable() });

// ---- operations ----

const tags = ['registration'];
const vtags = ['verification'];
const pdf = { 200: fileBody };

export const getOwnDossier = operation({ method: 'GET', path: '/api/dossier', tags, summary: 'My dossier: sections, task list, findings, pre-fill', responses: { 200: dossierResponse } });
export const getDossier = operation({ method: 'GET', path: '/api/dossiers/:dossierId', tags, summary: 'A dossier (staff in scope)', params: dossierParams, responses: { 200: dossierResponse } });
export const getOwnStatus = operation({ method: 'GET', path: '/api/dossier/status', tags, summary: 'Where my dossier stands, and its history', responses: { 200: statusResponse } });
export const getStatus = operation({ method: 'GET', path: '/api/dossiers/:dossierId/status', tags, params: dossierParams, responses: { 200: statusResponse } });
export const saveOwnSection = operation({ method: 'PUT', path: '/api/dossier/sections/:sectionId', tags, summary: 'Save one section (body: the section value; If-Match required)', params: sectionParams, body: z.unknown(), responses: { 200: saveResponse } });
export const saveOwnSections = operation({ method: 'PATCH', path: '/api/dossier', tags, summary: 'Save several sections in one write (If-Match required)', body: sectionsBody, responses: { 200: saveResponse } });
export const saveSection = operation({ method: 'PUT', path: '/api/dossiers/:dossierId/sections/:sectionId', tags, summary: 'A point types a paper form in the window (If-Match required)', params: dossierSectionParams, body: z.unknown(), responses: { 200: saveResponse } });
export const saveSections = operation({ method: 'PATCH', path: '/api/dossiers/:dossierId', tags, summary: 'A point types a paper form in the window (If-Match required); after the close, see corrections', params: dossierParams, body: sectionsBody, responses: { 200: saveResponse } });
export const correctDossier = operation({
  method: 'POST',
  path: '/api/dossiers/:dossierId/corrections',
  tags: vtags,
  summary: 'After the window: the point corrects personal data with a reason (audited, If-Match required)',
  params: dossierParams,
  body: correctionBody,
  responses: { 200: saveResponse },
});
export const submitOwn = operation({ method: 'POST', path: '/api/dossier/submit', tags, summary: 'Submit my dossier (Idempotency-Key recommended, If-Match optional)', body: submitBody, responses: { 200: submitResponse } });
export const submit = operation({ method: 'POST', path: '/api/dossiers/:dossierId/submit', tags, summary: 'A point submits a paper form it typed in', params: dossierParams, body: submitBody, responses: { 200: submitResponse } });
export const ownFormPdf = operation({ method: 'GET', path: '/api/dossier/form.pdf', tags, summary: 'My registration form (PDF)', produces: 'application/pdf', responses: pdf });
export const formPdf = operation({ method: 'GET', path: '/api/dossiers/:dossierId/form.pdf', tags, params: dossierParams, produces: 'application/pdf', responses: pdf });
export const ownPhoto = operation({ method: 'GET', path: '/api/dossier/photo', tags, produces: 'image/jpeg', responses: { 200: fileBody } });
export const photo = operation({ method: 'GET', path: '/api/dossiers/:dossierId/photo', tags, params: dossierParams, produces: 'image/jpeg', responses: { 200: fileBody } });
export const ownEvidence = operation({ method: 'GET', path: '/api/dossier/evidence/:uploadId', tags, params: uploadParams, responses: { 200: fileBody } });
export const evidence = operation({ method: 'GET', path: '/api/dossiers/:dossierId/evidence/:uploadId', tags, params: dossierUploadParams, responses: { 200: fileBody } });
export const uploadOwnPhoto = operation({ method: 'POST', path: '/api/dossier/photo', tags, summary: 'Upload the ID photo (multipart field "file": JPEG/PNG, ≥ 400×600 px, ≤ 5 MB)', responses: { 201: uploadInfo } });
export const uploadPhoto = operation({ method: 'POST', path: '/api/dossiers/:dossierId/photo', tags, params: dossierParams, responses: { 201: uploadInfo } });
export const uploadOwnEvidence = operation({ method: 'POST', path: '/api/dossier/evidence', tags, summary: 'Upload evidence (multipart: "purpose" then "file": PDF/JPEG/PNG, ≤ 10 MB)', responses: { 201: uploadInfo } });
export const uploadEvidence = operation({ method: 'POST', path: '/api/dossiers/:dossierId/evidence', tags, params: dossierParams, responses: { 201: uploadInfo } });
export const registerAtDesk = operation({ method: 'POST', path: '/api/desk-registrations', tags, summary: 'A point registers a free candidate at its desk', body: deskBody, responses: { 201: deskResponse } });
export const wipeTrial = operation({ method: 'POST', path: '/api/exam-years/:year/trial-wipe', tags, summary: 'Delete the trial dossiers once the trial is over', params: yearParams, responses: { 200: wipeResponse } });

/** The queue's filters in the address: all but the search, which names people and so travels in a body (searchQueue). */
export const queueListQuery = queueQuery.omit({ q: true });
export const listQueue = operation({ method: 'GET', path: '/api/verification/queue', tags: vtags, summary: "A point's (or a province's) candidates with their dossier, in Vietnamese name order", query: queueListQuery, responses: { 200: queueResponse } });
export const searchQueue = operation({
  method: 'POST',
  path: '/api/verification/queue/search',
  tags: vtags,
  summary: 'The queue searched by name, personal number or dossier code: the search is sent in the body, never in the address (which logs and proxies keep)',
  body: queueQuery,
  responses: { 200: queueResponse },
});
export const verify = operation({ method: 'POST', path: '/api/verification/dossiers/:dossierId/verify', tags: vtags, params: dossierParams, body: verifyBody, responses: { 200: decisionResponse } });
export const verifyMany = operation({ method: 'POST', path: '/api/verification/verify', tags: vtags, summary: 'Verify several dossiers, each on its own', body: bulkVerifyBody, responses: { 200: bulkResponse } });
export const returnForCorrection = operation({ method: 'POST', path: '/api/verification/dossiers/:dossierId/return', tags: vtags, params: dossierParams, body: returnBody, responses: { 200: decisionResponse } });
export const assignFormNumbers = operation({ method: 'POST', path: '/api/verification/points/:pointId/form-numbers', tags: vtags, params: pointParams, responses: { 200: formNumbersResponse } });

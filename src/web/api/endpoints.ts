// The endpoints of the candidate portal, the point's queue and the year's configuration (the session's
// and the second factor's are in session-api.ts, loaded with the sign-in page; the staff features' own are
// in staff-endpoints.ts, loaded with the staff pages). Every call goes through call() with its contract
// (src/contracts) and every type is the contract's (ResponseOf, BodyOf, QueryOf): nothing here is written
// by hand, so what the server declares is what the pages get.
import type { SectionId } from '../../domain/dossier.ts';
import { newIdempotencyKey, type ApiResult } from './client.ts';
import { call, callWith, urlOf } from './call.ts';
import type { BodyOf, ResponseOf } from '../../contracts/operation.ts';
import * as dossier from '../../contracts/dossier.ts';
import * as admin from '../../contracts/admin.ts';

// ---- The dossier (src/contracts/dossier.ts) ----
export type DossierResponse = ResponseOf<typeof dossier.getOwnDossier>;
export type DossierView = DossierResponse['dossier'];
export type DossierWindow = DossierResponse['window'];
export type TaskState = DossierView['tasks'][number]['state'];
export type DossierStatusView = ResponseOf<typeof dossier.getOwnStatus>;
export type HistoryEntry = DossierStatusView['history'][number];
export type SubmitResult = ResponseOf<typeof dossier.submitOwn>;
/** What a save answers about the dossier: its new version, status and verdict, and the sections it saved */
export type SavedDossier = ResponseOf<typeof dossier.saveOwnSection>['dossier'];

/** The dossier and its version: the view, and the ETag a save names in If-Match (they are the same number). */
const viewOf = (r: ApiResult<DossierResponse>): ApiResult<DossierView> => ({ ...r, data: r.data.dossier });

export const dossierApi = {
  get: () => callWith(dossier.getOwnDossier, {}).then(viewOf),
  /** the dossier with the year's window (when registration closes), for the pages that state the deadline */
  load: () => callWith(dossier.getOwnDossier, {}),
  /** answers the saved part of the dossier (savedDossier), for the page to merge into the view it holds */
  saveSection: (id: SectionId, value: unknown, version: number) =>
    callWith(dossier.saveOwnSection, { params: { sectionId: id }, body: value }, { ifMatch: version }).then((r) => ({ ...r, data: r.data.dossier, saved: r.data.saved })),
  /** the same key for every retry of one click: the server returns the first result; the page then reads the dossier again */
  submit: (version: number, key = newIdempotencyKey()) => call(dossier.submitOwn, { body: {} }, { ifMatch: version, idempotencyKey: key }),
  uploadPhoto: (file: Blob) => {
    const form = new FormData();
    form.append('file', file, 'photo.jpg');
    return callWith(dossier.uploadOwnPhoto, {}, { form, retries: 2 });
  },
  photoUrl: urlOf(dossier.ownPhoto),
  formPdfUrl: urlOf(dossier.ownFormPdf),
  status: () => call(dossier.getOwnStatus, {}),
};

// ---- Registration point: the verification queue and its decisions (src/contracts/dossier.ts) ----
export type QueuePage = ResponseOf<typeof dossier.listQueue>;
export type QueueItem = QueuePage['items'][number];
export type QueueQuery = BodyOf<typeof dossier.searchQueue>;

export const pointApi = {
  /** a search (q) goes in a POST body: it names a person, and addresses end up in logs */
  queue: ({ q, ...filters }: QueueQuery) => (q ? call(dossier.searchQueue, { body: { q, ...filters } }) : call(dossier.listQueue, { query: filters })),
  dossier: (id: string) => callWith(dossier.getDossier, { params: { dossierId: id } }).then(viewOf),
  dossierStatus: (id: string) => call(dossier.getStatus, { params: { dossierId: id } }),
  verify: (items: Array<{ dossierId: string; version: number }>) => call(dossier.verifyMany, { body: { items } }),
  returnDossier: (id: string, version: number, reason: string) => call(dossier.returnForCorrection, { params: { dossierId: id }, body: { version, reason } }),
  /** numbers every registered dossier of the point without one */
  assignFormNumbers: (pointId: string) => call(dossier.assignFormNumbers, { params: { pointId } }, { noNetworkRetry: true }),
  dossierPdfUrl: (id: string) => urlOf(dossier.formPdf, { params: { dossierId: id } }),
  photoUrl: (id: string) => urlOf(dossier.photo, { params: { dossierId: id } }),
};

// ---- Exam-year configuration (src/contracts/admin.ts) ----
export type ExamYearConfig = ResponseOf<typeof admin.getExamYear>;
export type ExamYearCheck = ResponseOf<typeof admin.checkExamYear>;
export const examYearApi = {
  list: () => call(admin.listExamYears, {}),
  create: (y: BodyOf<typeof admin.createExamYear>) => call(admin.createExamYear, { body: y }),
  /** a published year needs a reason (kept in the audit log with the before and after) */
  edit: (year: number, patch: BodyOf<typeof admin.editExamYear>) => call(admin.editExamYear, { params: { year }, body: patch }),
  check: (year: number) => call(admin.checkExamYear, { params: { year } }),
  publish: (year: number) => call(admin.publishExamYear, { params: { year } }),
};

export type { ApiResult };

// Every endpoint the app calls, in one file. The features on contracts (src/contracts) are called through
// call()/urlOf() and their types are the contracts' (ResponseOf, BodyOf): nothing there is written by hand.
// The dossier's types below are still copies of the server's, held honest by test/api-contract.test.ts
// until the dossier moves to a contract too.
import type { Dossier, SectionId } from '../../domain/dossier.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import type { Phase } from '../../domain/exam-year.ts';
import { api, get, newIdempotencyKey, post, type ApiResult } from './client.ts';
import { call, urlOf } from './call.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../contracts/operation.ts';
import * as admin from '../../contracts/admin.ts';
import * as accounts from '../../contracts/accounts.ts';
import * as issuance from '../../contracts/issuance.ts';
import * as exportOps from '../../contracts/exports.ts';
import * as stats from '../../contracts/stats.ts';
import * as support from '../../contracts/support.ts';

// ---- Session (src/contracts/accounts.ts) ----
export type SessionResponse = ResponseOf<typeof accounts.currentSession>;
export type SessionUser = SessionResponse['user'];
export type Role = SessionUser['role'];

export const sessionApi = {
  signIn: (username: string, password: string) => call(accounts.signIn, { body: { username, password } }, { quiet401: true, retries: 3 }),
  me: () => call(accounts.currentSession, {}, { quiet401: true }),
  signOut: () => call(accounts.signOut, {}, { retries: 1 }),
  changePassword: (currentPassword: string, newPassword: string) => call(accounts.changePassword, { body: { currentPassword, newPassword } }),
};

// ---- The candidate's dossier (src/server/registration/routes.ts; shape of dossier-view.ts) ----
export type TaskState = 'not_started' | 'complete' | 'has_errors';
export interface DossierView {
  id: string | null;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  statusLabel: { vi: string; en: string };
  version: number;
  channel: 'online' | 'desk';
  formNumber: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
  photoUploaded: boolean;
  sections: Partial<Dossier>;
  prefill: { personal: Record<string, unknown>; status: Record<string, unknown> };
  tasks: Array<{ id: SectionId; vi: string; en: string; state: TaskState; findings: Finding[] }>;
  findings: Finding[];
  readyToSubmit: boolean;
  candidate: { id: string; fullName: string; idNumberMasked: string; candidateType: 'current' | 'free'; pointId: string; departmentCode: string };
  phase: Phase;
  mayEdit: boolean;
}
export interface HistoryEntry {
  at: string;
  event: string;
  label: { vi: string; en: string };
  by: { role: string | null; roleLabel: { vi: string; en: string } | null; name: string | null };
  fromStatus: string | null;
  toStatus: string | null;
  sections: Array<{ id: string; vi: string; en: string }>;
  reason: string | null;
}
/** GET /api/dossier/status (src/server/registration/get-dossier.ts StatusResponse) */
export interface DossierStatusView {
  dossierId: string | null;
  status: DossierStatus;
  statusLabel: { vi: string; en: string };
  version: number;
  formNumber: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
  returned: { at: string | null; reason: string } | null;
  phase: Phase;
  mayEdit: boolean;
  officialClosesAt: string;
  history: HistoryEntry[];
}

const DOSSIER = '/api/dossier';
/** The registration routes answer `{ dossier: view }`; accept a bare view as well. */
function unwrap(r: ApiResult<DossierView | { dossier: DossierView }>): ApiResult<DossierView> {
  const d = r.data;
  return { ...r, data: d && typeof d === 'object' && 'dossier' in d ? d.dossier : (d as DossierView) };
}
export const dossierApi = {
  get: () => api<DossierView | { dossier: DossierView }>('GET', DOSSIER).then(unwrap),
  saveSection: (id: SectionId, value: unknown, version: number) => api<DossierView | { dossier: DossierView }>('PUT', `${DOSSIER}/sections/${id}`, { body: value, ifMatch: version }).then(unwrap),
  /** the same key for every retry of one click: the server returns the first result */
  submit: (version: number, key = newIdempotencyKey()) => api<{ dossier: DossierView } | DossierView>('POST', `${DOSSIER}/submit`, { body: {}, ifMatch: version, idempotencyKey: key }),
  uploadPhoto: (file: Blob) => {
    const form = new FormData();
    form.append('file', file, 'photo.jpg');
    return api<unknown>('POST', `${DOSSIER}/photo`, { form, retries: 2 });
  },
  photoUrl: `${DOSSIER}/photo`,
  formPdfUrl: `${DOSSIER}/form.pdf`,
  status: () => get<DossierStatusView>(`${DOSSIER}/status`),
};

// ---- Registration point: the verification queue (src/server/verification/routes.ts) ----
/** GET /api/verification/queue (src/server/verification/verification.schema.ts queueResponse) */
export interface QueueItem {
  candidateId: string;
  pointId: string;
  departmentCode: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  className: string | null;
  idNumber: string;
  candidateType: 'current' | 'free';
  dossier: {
    id: string;
    status: DossierStatus;
    version: number;
    channel: 'online' | 'desk';
    formNumber: string | null;
    purpose: string | null;
    subjectsCombo: string | null;
    flags: { cccdMismatch: boolean; photoMissing: boolean; exemptionClaimed: boolean; priorityClaimed: boolean };
    submittedAt: string | null;
    returnReason: string | null;
    errorsCount: number;
  } | null;
}
export interface QueuePage {
  examYear: number;
  items: QueueItem[];
  nextCursor: string | null;
}

// ---- Registration point: class-list import and account issuance (src/contracts/issuance.ts) ----
/** the row-by-row report of an uploaded class list */
export type ImportReport = ResponseOf<typeof issuance.getImport>;
export type ImportMode = BodyOf<typeof issuance.commitImport>['mode'];
/** The URLs carry the only key to the passwords. */
export type IssueResult = ResponseOf<typeof issuance.issueAccounts>;

export const issuanceApi = {
  templateUrl: (pointId: string) => urlOf(issuance.importTemplate, { params: { pointId } }),
  uploadClassList: (pointId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(issuance.uploadClassList, { params: { pointId } }, { form, retries: 1 });
  },
  commitImport: (pointId: string, importId: string, mode: ImportMode) => call(issuance.commitImport, { params: { pointId, importId }, body: { mode } }, { noNetworkRetry: true }),
  /** without a class: every candidate of the point without an account; reissue needs a class */
  issueAccounts: (pointId: string, o: { className?: string; reissue?: boolean }) =>
    call(issuance.issueAccounts, { params: { pointId }, body: { ...(o.className ? { className: o.className } : {}), ...(o.reissue ? { reissue: true } : {}) } }, { noNetworkRetry: true }),
};

// ---- Registration point and department: exports (src/contracts/exports.ts) ----
export const exportsApi = {
  /** the point's list for signature (XLSX), or one class's */
  listXlsxUrl: (pointId: string, className?: string) => urlOf(exportOps.pointCandidateList, { params: { pointId }, query: { className } }),
  /** every registration form of one class in one PDF */
  classFormsPdfUrl: (pointId: string, className: string) => urlOf(exportOps.classForms, { params: { pointId }, query: { className } }),
};

export const pointApi = {
  queue: (q: URLSearchParams) => get<QueuePage>(`/api/verification/queue?${q.toString()}`),
  dossier: (id: string) => api<DossierView | { dossier: DossierView }>('GET', `/api/dossiers/${encodeURIComponent(id)}`).then(unwrap),
  dossierStatus: (id: string) => get<DossierStatusView>(`/api/dossiers/${encodeURIComponent(id)}/status`),
  verify: (items: Array<{ dossierId: string; version: number }>) =>
    post<{ results: Array<{ ok: boolean; dossierId: string; status?: string | number; version?: number; code?: string; vi?: string; en?: string }> }>('/api/verification/verify', { items }),
  returnDossier: (id: string, version: number, reason: string) => post<{ dossierId: string; status: DossierStatus; version: number }>(`/api/verification/dossiers/${encodeURIComponent(id)}/return`, { version, reason }),
  /** POST /api/verification/points/:pointId/form-numbers: numbers every registered dossier without one */
  assignFormNumbers: (pointId: string) => post<{ assigned: number; first: string | null; last: string | null }>(`/api/verification/points/${encodeURIComponent(pointId)}/form-numbers`, undefined, { noNetworkRetry: true }),
  dossierPdfUrl: (id: string) => `/api/dossiers/${encodeURIComponent(id)}/form.pdf`,
};

// ---- Statistics (src/contracts/stats.ts) ----
export type StatsSummary = ResponseOf<typeof stats.statsSummary>;
export type StatsBreakdown = ResponseOf<typeof stats.statsBreakdown>;
export const statsApi = {
  summary: (level: QueryOf<typeof stats.statsSummary>['level'], unit?: string) => call(stats.statsSummary, { query: { level, unit } }),
  breakdown: (level: QueryOf<typeof stats.statsBreakdown>['level'], unit?: string) => call(stats.statsBreakdown, { query: { level, unit } }),
};

// ---- Support desk (src/contracts/support.ts) ----
export { CALL_CATEGORIES, CALL_OUTCOMES, type CallCategory, type CallOutcome } from '../../contracts/support.ts';
/** one match of a look-up */
export type SupportHit = ResponseOf<typeof support.lookupCandidates>['items'][number];
export type SupportCall = ResponseOf<typeof support.logCall>;
export type SupportCard = ResponseOf<typeof support.viewCandidate>;
export const supportApi = {
  /** either idNumber, or name and dateOfBirth (YYYY-MM-DD) */
  lookup: (q: { idNumber: string } | { name: string; dateOfBirth: string }) => call(support.lookupCandidates, { query: q }),
  candidate: (candidateId: string) => call(support.viewCandidate, { params: { candidateId } }),
  resetPassword: (candidateId: string, reason: string) => call(support.resetCandidatePassword, { params: { candidateId }, body: { reason } }, { noNetworkRetry: true }),
  logCall: (body: BodyOf<typeof support.logCall>) => call(support.logCall, { body }, { noNetworkRetry: true }),
  openCalls: () => call(support.listCalls, { query: { status: 'open' } }),
  closeCall: (callId: string, body: NonNullable<BodyOf<typeof support.closeCall>> = {}) => call(support.closeCall, { params: { callId }, body }),
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

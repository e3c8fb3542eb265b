// The endpoints the candidate portal and every page call (the staff features' own are in
// staff-endpoints.ts, loaded with the staff pages). The features on contracts (src/contracts) are called
// through call() and their types are the contracts' (ResponseOf, BodyOf): nothing there is written by
// hand. The dossier's types below are still copies of the server's, held honest by
// test/api-contract.test.ts until the dossier moves to a contract too.
import type { Dossier, SectionId } from '../../domain/dossier.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import type { Phase } from '../../domain/exam-year.ts';
import { api, get, newIdempotencyKey, post, type ApiResult } from './client.ts';
import { call } from './call.ts';
import type { BodyOf, ResponseOf } from '../../contracts/operation.ts';
import * as admin from '../../contracts/admin.ts';
import * as accounts from '../../contracts/accounts.ts';

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

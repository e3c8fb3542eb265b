// Every endpoint the app calls, in one file, typed with the shared domain types. Where a response shape
// has no shared schema in src/domain, the type here copies the server's source of truth (its zod response
// schema or the interface its command returns, named beside it), since src/web may not import src/server.
// test/api-contract.test.ts checks every type here against that source when `npm test` type-checks (each
// key declared here must exist on the server, with a compatible type) and, for the main answers, against
// the JSON the app really sends: a type here that drifts from the server fails the tests.
import type { Dossier, SectionId } from '../../domain/dossier.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import type { Phase } from '../../domain/exam-year.ts';
import { api, get, newIdempotencyKey, post, type ApiResult } from './client.ts';
import { call } from './call.ts';
import type { BodyOf, ResponseOf } from '../../contracts/operation.ts';
import * as admin from '../../contracts/admin.ts';

// ---- Session (src/server/accounts/accounts.schema.ts: sessionResponse) ----
export type Role = 'ministry_admin' | 'department_officer' | 'point_officer' | 'support_agent' | 'candidate';
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgUnitId: string;
  departmentCode: string | null;
  mustChangePassword: boolean;
}
export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
  idleMinutes: number;
}

export const sessionApi = {
  signIn: (username: string, password: string) => api<SessionResponse>('POST', '/api/session', { body: { username, password }, quiet401: true, retries: 3 }).then((r) => r.data),
  me: () => api<SessionResponse>('GET', '/api/session/me', { quiet401: true }).then((r) => r.data),
  signOut: () => api<null>('DELETE', '/api/session', { retries: 1 }),
  changePassword: (currentPassword: string, newPassword: string) => post<SessionResponse>('/api/account/password', { currentPassword, newPassword }),
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

// ---- Registration point: class-list import and account issuance (src/server/accounts/issuance-routes.ts) ----
/** One problem of one spreadsheet row (field: fullName, dateOfBirth, gender, idNumber, nationality, className, file) */
export interface ImportFinding {
  row: number;
  field: string;
  code: string;
  severity: 'error' | 'warning';
  vi: string;
  en: string;
}
/** POST /api/points/:pointId/imports (201), GET …/imports/:importId: the row-by-row report */
export interface ImportReport {
  importId: string;
  status: 'validated' | 'committed' | 'discarded';
  fileName: string;
  encoding: string | null;
  totalRows: number;
  validRows: number;
  errorRows: number;
  /** clean and not yet imported: mode "all" is allowed */
  canImportAll: boolean;
  findings: ImportFinding[];
  findingsTruncated: boolean;
}
export type ImportMode = 'all' | 'valid_rows';
/** POST /api/points/:pointId/accounts/issue (201). The URLs carry the only key to the passwords. */
export interface IssueResult {
  issuanceId: string;
  issued: number;
  skippedDisabled: number;
  documentsExpireAt: string;
  slipsUrl: string;
  teacherListUrl: string;
}
const pointPath = (pointId: string) => `/api/points/${encodeURIComponent(pointId)}`;

export const pointApi = {
  importTemplateUrl: (pointId: string) => `${pointPath(pointId)}/imports/template.xlsx`,
  uploadClassList: (pointId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api<ImportReport>('POST', `${pointPath(pointId)}/imports`, { form, retries: 1 }).then((r) => r.data);
  },
  commitImport: (pointId: string, importId: string, mode: ImportMode) =>
    post<{ imported: number; skipped: number }>(`${pointPath(pointId)}/imports/${encodeURIComponent(importId)}/commit`, { mode }, { noNetworkRetry: true }),
  /** without a class: every candidate of the point without an account; reissue needs a class */
  issueAccounts: (pointId: string, o: { className?: string; reissue?: boolean }) =>
    api<IssueResult>('POST', `${pointPath(pointId)}/accounts/issue`, { body: { ...(o.className ? { className: o.className } : {}), ...(o.reissue ? { reissue: true } : {}) }, noNetworkRetry: true }).then((r) => r.data),
  queue: (q: URLSearchParams) => get<QueuePage>(`/api/verification/queue?${q.toString()}`),
  dossier: (id: string) => api<DossierView | { dossier: DossierView }>('GET', `/api/dossiers/${encodeURIComponent(id)}`).then(unwrap),
  dossierStatus: (id: string) => get<DossierStatusView>(`/api/dossiers/${encodeURIComponent(id)}/status`),
  verify: (items: Array<{ dossierId: string; version: number }>) =>
    post<{ results: Array<{ ok: boolean; dossierId: string; status?: string | number; version?: number; code?: string; vi?: string; en?: string }> }>('/api/verification/verify', { items }),
  returnDossier: (id: string, version: number, reason: string) => post<{ dossierId: string; status: DossierStatus; version: number }>(`/api/verification/dossiers/${encodeURIComponent(id)}/return`, { version, reason }),
  /** POST /api/verification/points/:pointId/form-numbers: numbers every registered dossier without one */
  assignFormNumbers: (pointId: string) => post<{ assigned: number; first: string | null; last: string | null }>(`/api/verification/points/${encodeURIComponent(pointId)}/form-numbers`, undefined, { noNetworkRetry: true }),
  /** the point's list for signature (XLSX), or one class's */
  listXlsxUrl: (pointId: string, className?: string) => `/api/exports/points/${encodeURIComponent(pointId)}/candidates.xlsx${className ? `?className=${encodeURIComponent(className)}` : ''}`,
  /** every registration form of one class in one PDF */
  classFormsPdfUrl: (pointId: string, className: string) => `/api/exports/points/${encodeURIComponent(pointId)}/forms.pdf?className=${encodeURIComponent(className)}`,
  dossierPdfUrl: (id: string) => `/api/dossiers/${encodeURIComponent(id)}/form.pdf`,
};

// ---- Statistics (src/server/stats/read-stats.ts) ----
export interface StatsSummary {
  examYear: number;
  level: 'national' | 'department' | 'point';
  unit: string;
  accounts: { total: number; issued: number; signedIn: number };
  dossiers: { total: number; draft: number; submitted: number; returned: number; verified: number };
  registered: { total: number; online: number; desk: number; onlineShare: number | null };
  byPurpose: Record<string, number>;
  byCombination: Record<string, number>;
  bySubject: Record<string, number>;
  byCandidateType: Record<string, number>;
  priorityClaimed: number;
  exemptionClaimed: number;
  perHour: Array<{ hour: string; count: number }>;
}
export interface StatsBreakdown {
  examYear: number;
  items: Array<{ unit: string; accountsIssued: number; signedIn: number; dossiers: number; registered: number; online: number; verified: number; returned: number }>;
}
export const statsApi = {
  summary: (level: 'national' | 'department' | 'point', unit?: string) => get<StatsSummary>(`/api/stats/summary?level=${level}${unit ? `&unit=${encodeURIComponent(unit)}` : ''}`),
  breakdown: (level: 'national' | 'department', unit?: string) => get<StatsBreakdown>(`/api/stats/breakdown?level=${level}${unit ? `&unit=${encodeURIComponent(unit)}` : ''}`),
};

// ---- Support desk (src/server/support/routes.ts, shapes of support.schema.ts) ----
export const CALL_CATEGORIES = ['sign_in', 'password', 'account_not_issued', 'registration_help', 'dossier_status', 'correction_request', 'subjects', 'priority', 'technical', 'other'] as const;
export const CALL_OUTCOMES = ['answered', 'password_reset', 'referred_to_point', 'referred_to_department', 'callback_needed', 'escalated'] as const;
export type CallCategory = (typeof CALL_CATEGORIES)[number];
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
/** GET /api/support/candidates: one match */
export interface SupportHit {
  candidateId: string;
  fullName: string;
  dateOfBirth: string;
  idNumberMasked: string;
  className: string | null;
  pointId: string;
  pointName: string;
  departmentCode: string;
}
export interface SupportCall {
  id: string;
  agentId: string;
  candidateId: string | null;
  departmentCode: string | null;
  category: CallCategory;
  note: string;
  outcome: CallOutcome;
  status: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}
/** GET /api/support/candidates/:candidateId */
export interface SupportCard {
  candidate: {
    id: string;
    examYear: number;
    fullName: string;
    dateOfBirth: string;
    gender: 'M' | 'F';
    idNumberMasked: string;
    className: string | null;
    candidateType: 'current' | 'free';
    pointId: string;
    pointName: string;
    departmentCode: string;
  };
  account: {
    userId: string;
    state: 'not_issued' | 'active' | 'must_change_password' | 'disabled';
    status: 'not_issued' | 'active' | 'disabled';
    mustChangePassword: boolean;
    passwordSetAt: string | null;
    lastSignInAt: string | null;
  };
  dossier: {
    id: string;
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
    updatedAt: string;
  } | null;
  /** newest first */
  history: Array<{ at: string; event: string; fromStatus: string | null; toStatus: string | null; actorRole: string | null; sections: string[]; reason: string | null }>;
  calls: SupportCall[];
}
export const supportApi = {
  /** either idNumber, or name and dateOfBirth (YYYY-MM-DD) */
  lookup: (q: { idNumber: string } | { name: string; dateOfBirth: string }) =>
    get<{ examYear: number; items: SupportHit[]; truncated: boolean }>(`/api/support/candidates?${new URLSearchParams(q).toString()}`),
  candidate: (id: string) => get<SupportCard>(`/api/support/candidates/${encodeURIComponent(id)}`),
  resetPassword: (candidateId: string, reason: string) =>
    post<{ userId: string; oneTimePassword: string; sessionsEnded: number }>(`/api/support/candidates/${encodeURIComponent(candidateId)}/password-reset`, { reason }, { noNetworkRetry: true }),
  logCall: (body: { candidateId?: string; category: CallCategory; note: string; outcome: CallOutcome; status: 'open' | 'closed' }) => post<SupportCall>('/api/support/calls', body, { noNetworkRetry: true }),
  openCalls: () => get<{ items: SupportCall[]; nextCursor: string | null }>('/api/support/calls?status=open'),
  closeCall: (id: string, body: { outcome?: CallOutcome; note?: string } = {}) => post<SupportCall>(`/api/support/calls/${encodeURIComponent(id)}/close`, body),
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

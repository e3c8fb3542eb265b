// Every endpoint the app calls, in one file, typed with the shared domain types. Where the server's route
// did not exist when this was written, the path and shape are the expected ones and are marked EXPECTED:
// change them here and nowhere else.
import type { Dossier, SectionId } from '../../domain/dossier.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import type { ExamYearWindows, Phase, SchemeCode } from '../../domain/exam-year.ts';
import { api, get, newIdempotencyKey, post, type ApiResult } from './client.ts';

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

// ---- The candidate's dossier (EXPECTED: src/server/registration/routes.ts; shape of dossier-view.ts) ----
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

// ---- Reference data the rules need (EXPECTED: GET /api/reference; falls back to the bundled files) ----
export interface ExamYearInfo {
  year: number;
  scheme: SchemeCode;
  windows: ExamYearWindows;
  published: boolean;
  phase: Phase;
}

// ---- Registration point (EXPECTED: accounts issuance + verification routes) ----
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
export interface ImportRowProblem {
  row: number;
  field?: string;
  code: string;
  vi: string;
  en: string;
  severity?: 'error' | 'warning';
}
export interface ImportReport {
  importId?: string;
  accepted: number;
  rejected: number;
  rows?: number;
  problems: ImportRowProblem[];
  dryRun?: boolean;
}
export interface IssuedAccount {
  userId: string;
  username: string;
  displayName: string;
  className?: string | null;
  oneTimePassword: string;
}
export interface CandidateAccount {
  userId: string;
  candidateId?: string;
  username: string;
  displayName: string;
  className: string | null;
  status: 'not_issued' | 'active' | 'disabled';
  mustChangePassword: boolean;
  lastSignInAt?: string | null;
}

export const pointApi = {
  candidates: (pointId: string) => get<{ candidates: CandidateAccount[] }>(`/api/points/${encodeURIComponent(pointId)}/candidates`),
  importClassList: (pointId: string, file: File, dryRun: boolean) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api<ImportReport>('POST', `/api/points/${encodeURIComponent(pointId)}/class-list${dryRun ? '?dryRun=true' : ''}`, { form, retries: 1 }).then((r) => r.data);
  },
  issueAccounts: (pointId: string, userIds: string[] | 'all_pending') =>
    post<{ accounts: IssuedAccount[] }>(`/api/points/${encodeURIComponent(pointId)}/accounts/issue`, userIds === 'all_pending' ? { all: true } : { userIds }, { idempotencyKey: newIdempotencyKey() }),
  slipsPdfUrl: (pointId: string) => `/api/points/${encodeURIComponent(pointId)}/accounts/slips.pdf`,
  queue: (q: URLSearchParams) => get<QueuePage>(`/api/verification/queue?${q.toString()}`),
  dossier: (id: string) => api<DossierView | { dossier: DossierView }>('GET', `/api/dossiers/${encodeURIComponent(id)}`).then(unwrap),
  dossierStatus: (id: string) => get<DossierStatusView>(`/api/dossiers/${encodeURIComponent(id)}/status`),
  verify: (items: Array<{ dossierId: string; version: number }>) =>
    post<{ results: Array<{ ok: boolean; dossierId: string; status?: string | number; version?: number; code?: string; vi?: string; en?: string }> }>('/api/verification/verify', { items }),
  returnDossier: (id: string, version: number, reason: string) => post<{ dossierId: string; status: DossierStatus; version: number }>(`/api/verification/dossiers/${encodeURIComponent(id)}/return`, { version, reason }),
  assignFormNumbers: (pointId: string) => post<{ assigned: number; first: string | null; last: string | null }>(`/api/verification/points/${encodeURIComponent(pointId)}/form-numbers`, {}),
  exportUrl: (q: URLSearchParams) => `/api/exports/candidates.xlsx?${q.toString()}`,
  formsPdfUrl: (q: URLSearchParams) => `/api/exports/forms.pdf?${q.toString()}`,
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
  perHour?: Array<{ hour: string; count: number }>;
}
export interface StatsBreakdown {
  examYear: number;
  items: Array<{ unit: string; accountsIssued: number; signedIn: number; dossiers: number; registered: number; online: number; verified: number; returned: number }>;
}
export const statsApi = {
  summary: (level: 'national' | 'department' | 'point', unit?: string) => get<StatsSummary>(`/api/stats/summary?level=${level}${unit ? `&unit=${encodeURIComponent(unit)}` : ''}`),
  breakdown: (level: 'national' | 'department', unit?: string) => get<StatsBreakdown>(`/api/stats/breakdown?level=${level}${unit ? `&unit=${encodeURIComponent(unit)}` : ''}`),
};

// ---- Support desk (EXPECTED: src/server/support routes) ----
export interface SupportHit {
  candidateId: string;
  userId: string;
  fullName: string;
  idNumberMasked: string;
  dateOfBirth?: string;
  pointName?: string;
  accountStatus: string;
  dossierStatus: DossierStatus | null;
}
export interface SupportCall {
  id: string;
  at: string;
  candidateId?: string | null;
  category: string;
  note: string;
  outcome: string;
  open?: boolean;
  agentName?: string;
}
export const supportApi = {
  search: (q: { idNumber?: string; name?: string; dateOfBirth?: string }) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
    return get<{ results: SupportHit[] }>(`/api/support/candidates?${p.toString()}`);
  },
  candidate: (id: string) => get<{ candidate: SupportHit; history: HistoryEntry[]; calls?: SupportCall[]; returnReason?: string | null }>(`/api/support/candidates/${encodeURIComponent(id)}`),
  resetPassword: (userId: string, reason: string) =>
    post<{ userId: string; oneTimePassword: string; username: string; displayName: string; sessionsEnded: number }>(`/api/users/${encodeURIComponent(userId)}/password-reset`, { reason }),
  logCall: (body: { candidateId?: string; category: string; note: string; outcome: string }) => post<SupportCall>('/api/support/calls', body),
  openCalls: () => get<{ calls: SupportCall[] }>('/api/support/calls?open=true'),
};

// ---- Exam-year configuration (EXPECTED: src/server/admin routes) ----
export interface ExamYearConfig {
  year: number;
  scheme: SchemeCode;
  windows: ExamYearWindows;
  published: boolean;
  version?: number;
}
export const examYearApi = {
  list: () => get<{ years: ExamYearConfig[] }>('/api/exam-years'),
  save: (y: ExamYearConfig, reason?: string) => api<ExamYearConfig>('PUT', `/api/exam-years/${y.year}`, { body: { scheme: y.scheme, windows: y.windows, ...(reason ? { reason } : {}) }, ifMatch: y.version ?? null }).then((r) => r.data),
  publish: (year: number) => post<ExamYearConfig>(`/api/exam-years/${year}/publish`, {}),
};

export type { ApiResult };

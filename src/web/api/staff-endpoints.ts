// The staff features' endpoints: class-list import and account issuance, exports, statistics and the
// support desk, each called through its contract (src/contracts). Apart from endpoints.ts so that their
// contracts load with the staff pages, not with the candidate's first page.
import type { BodyOf, QueryOf, ResponseOf } from '../../contracts/operation.ts';
import * as issuance from '../../contracts/issuance.ts';
import * as exportOps from '../../contracts/exports.ts';
import * as stats from '../../contracts/stats.ts';
import * as resultsStats from '../../contracts/results-stats.ts';
import * as support from '../../contracts/support.ts';
import * as exam from '../../contracts/exam.ts';
import * as results from '../../contracts/results.ts';
import * as reviews from '../../contracts/reviews.ts';
import * as admissionRun from '../../contracts/admission-run.ts';
import { call, urlOf } from './call.ts';

// ---- Registration point: class-list import and account issuance (src/contracts/issuance.ts) ----
/** the row-by-row report of an uploaded class list */
export type ImportReport = ResponseOf<typeof issuance.getImport>;
export type ImportMode = BodyOf<typeof issuance.commitImport>['mode'];
/** The URLs carry the only key to the passwords. */
export type IssueResult = ResponseOf<typeof issuance.issueAccounts>;
export type PointClass = ResponseOf<typeof issuance.pointClasses>['items'][number];

export const issuanceApi = {
  templateUrl: (pointId: string) => urlOf(issuance.importTemplate, { params: { pointId } }),
  failedRowsUrl: (pointId: string, importId: string) => urlOf(issuance.importFailedRows, { params: { pointId, importId } }),
  uploadClassList: (pointId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(issuance.uploadClassList, { params: { pointId } }, { form, retries: 1 });
  },
  commitImport: (pointId: string, importId: string, mode: ImportMode) => call(issuance.commitImport, { params: { pointId, importId }, body: { mode } }, { noNetworkRetry: true }),
  /** without a class: every candidate of the point without an account; reissue needs a class */
  classes: (pointId: string) => call(issuance.pointClasses, { params: { pointId } }),
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

// ---- Statistics (src/contracts/stats.ts) ----
export type StatsSummary = ResponseOf<typeof stats.statsSummary>;
export type StatsBreakdown = ResponseOf<typeof stats.statsBreakdown>;
export const statsApi = {
  summary: (level: QueryOf<typeof stats.statsSummary>['level'], unit?: string) => call(stats.statsSummary, { query: { level, unit } }),
  breakdown: (level: QueryOf<typeof stats.statsBreakdown>['level'], unit?: string) => call(stats.statsBreakdown, { query: { level, unit } }),
};

// ---- The published results' statistics (src/contracts/results-stats.ts) ----
export type ResultsStats = ResponseOf<typeof resultsStats.resultsStats>;
export const resultsStatsApi = {
  read: (level: 'national' | 'department', unit?: string) => call(resultsStats.resultsStats, { query: { level, unit } }),
};

// ---- Support desk (src/contracts/support.ts) ----
export { CALL_CATEGORIES, CALL_OUTCOMES, type CallCategory, type CallOutcome } from '../../contracts/support.ts';
/** one match of a look-up */
export type SupportHit = ResponseOf<typeof support.lookupCandidates>['items'][number];
export type SupportCall = ResponseOf<typeof support.logCall>;
export type SupportCard = ResponseOf<typeof support.viewCandidate>;
export const supportApi = {
  /** either idNumber, or name and dateOfBirth (YYYY-MM-DD) */
  lookup: (q: { idNumber: string } | { dossierCode: string } | { name: string; dateOfBirth: string }) => call(support.lookupCandidates, { body: q }),
  candidate: (candidateId: string) => call(support.viewCandidate, { params: { candidateId } }),
  resetPassword: (candidateId: string, reason: string) => call(support.resetCandidatePassword, { params: { candidateId }, body: { reason } }, { noNetworkRetry: true }),
  logCall: (body: BodyOf<typeof support.logCall>) => call(support.logCall, { body }, { noNetworkRetry: true }),
  openCalls: () => call(support.listCalls, { query: { status: 'open' } }),
  closeCall: (callId: string, body: NonNullable<BodyOf<typeof support.closeCall>> = {}) => call(support.closeCall, { params: { callId }, body }),
};

// ---- Department: candidate numbers, exam sites and rooms (src/contracts/exam.ts) ----
export type SeatingOverview = ResponseOf<typeof exam.seatingOverview>;
export type SiteInput = BodyOf<typeof exam.saveSites>['sites'][number];
export type AssignResult = ResponseOf<typeof exam.assignSeating>;
export type NumbersPage = ResponseOf<typeof exam.listNumbers>;
export const examApi = {
  overview: (departmentCode: string) => call(exam.seatingOverview, { params: { departmentCode } }),
  saveSites: (departmentCode: string, sites: SiteInput[]) => call(exam.saveSites, { params: { departmentCode }, body: { sites } }, { noNetworkRetry: true }),
  assign: (departmentCode: string, body: BodyOf<typeof exam.assignSeating>) => call(exam.assignSeating, { params: { departmentCode }, body }, { noNetworkRetry: true }),
  numbers: (departmentCode: string, after?: number) => call(exam.listNumbers, { params: { departmentCode }, query: after !== undefined ? { after } : {} }),
  /** the council's room lists (XLSX): every room of every site and session */
  departmentRoomsUrl: (departmentCode: string) => urlOf(exam.departmentRoomLists, { params: { departmentCode } }),
  /** a class's exam notices in one PDF */
  classNoticesUrl: (pointId: string, className: string) => urlOf(exam.classNotices, { params: { pointId }, query: { className } }),
  /** the room lists of a point's candidates (XLSX) */
  pointRoomsUrl: (pointId: string) => urlOf(exam.pointRoomLists, { params: { pointId } }),
};

// ---- Department: the council's marks, checked, staged and published by a second officer (src/contracts/results.ts) ----
export type MarksReport = ResponseOf<typeof results.getImport>;
export type ImportsList = ResponseOf<typeof results.listImports>;
export type PublishOutcome = ResponseOf<typeof results.publishImport>;
export const resultsApi = {
  upload: (departmentCode: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(results.uploadMarks, { params: { departmentCode } }, { form, retries: 1 });
  },
  list: (departmentCode: string) => call(results.listImports, { params: { departmentCode } }),
  report: (departmentCode: string, resultImportId: string) => call(results.getImport, { params: { departmentCode, resultImportId } }),
  publish: (departmentCode: string, resultImportId: string) => call(results.publishImport, { params: { departmentCode, resultImportId } }, { noNetworkRetry: true }),
};

// ---- Score reviews, the department's side (src/contracts/reviews.ts) ----
export type ReviewList = ResponseOf<typeof reviews.listRequests>;
export type ReviewStatus = NonNullable<QueryOf<typeof reviews.listRequests>>['status'];
export const reviewsApi = {
  list: (departmentCode: string, status: ReviewStatus, page: number) => call(reviews.listRequests, { params: { departmentCode }, query: { ...(status ? { status } : {}), page } }),
  start: (departmentCode: string, requestId: string) => call(reviews.startReview, { params: { departmentCode, requestId } }),
  record: (departmentCode: string, requestId: string, subject: string, reviewedMark: string) => call(reviews.recordOutcome, { params: { departmentCode, requestId, subject }, body: { reviewedMark } }, { noNetworkRetry: true }),
  stage: (departmentCode: string) => call(reviews.stageChanges, { params: { departmentCode } }, { noNetworkRetry: true }),
};

// ---- The national admission run (src/contracts/admission-run.ts) ----
export type AdmissionRun = ResponseOf<typeof admissionRun.listRuns>['runs'][number];
export type AdmissionDashboard = ResponseOf<typeof admissionRun.nationalDashboard>;
export type AdmissionChanges = ResponseOf<typeof admissionRun.getRunChanges>;
export const admissionRunApi = {
  list: () => call(admissionRun.listRuns, {}),
  /** `policy`: once a run is published, how the new run treats it (the server's default: protect-published) */
  start: (reason: string | undefined, policy?: 'protect-published' | 'recompute') => call(admissionRun.startRun, { body: { ...(reason ? { reason } : {}), ...(policy ? { policy } : {}) } }, { noNetworkRetry: true }),
  publish: (runId: string) => call(admissionRun.publishRun, { params: { runId } }, { noNetworkRetry: true }),
  changes: (runId: string) => call(admissionRun.getRunChanges, { params: { runId } }),
  national: (runId?: string) => call(admissionRun.nationalDashboard, { query: runId ? { runId } : {} }),
  institution: (institutionId: string, runId?: string) => call(admissionRun.institutionDashboard, { params: { institutionId }, query: runId ? { runId } : {} }),
  admittedListUrl: (institutionId: string, runId?: string) => urlOf(admissionRun.institutionAdmittedList, { params: { institutionId }, query: runId ? { runId } : {} }),
};

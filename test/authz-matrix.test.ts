// The authorization matrix: every route in the registered route table × every role × (own scope, another
// scope), generated from the app itself, so a route added without an access decision fails here.
//
// How a route slots in (for whoever adds one):
//   1. Declare config.access ('public' | 'signed_in' | 'action' + config.action) on the route. A route
//      without it fails the first test below.
//   2. If its path has a parameter not in PARAM_FIXTURES (e.g. :dossierId), add one: a function of the
//      world and the scope that returns the value for "own" (records of point 01001 / department 01 /
//      candidate A) and "other" (point 02001 / department 02 / candidate B).
//   3. If the handler validates a body or query before it loads the record, add ROUTE_FIXTURES[`METHOD url`]
//      with a valid `body`/`query` (or a `payload` builder for multipart), so the test reaches the policy
//      decision instead of a 400.
//   4. The expected decision comes from the policy itself: for an `action` route, can(actor, action,
//      resource) where the resource is derived from the path (:userId → that account, :pointId → that
//      point; override with `resource`); a route without record parameters is a list, allowed when
//      scopeOf(actor, action) is not null. Allowed means "not 401/403"; denied means 403 or 404
//      (401 for anonymous). A `signed_in` route must answer 401 to anonymous, 403 to a user still holding a
//      one-time password (unless config.oneTimePasswordOk), and anything but 401 to other users (it serves
//      their own account, so a role with nothing there may get 403/404 from the handler).
import { raiseFlag } from '../src/server/integrations/links.repository.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestDb, type TestDb } from './helpers/db.ts';
import { testApp } from './helpers/app.ts';
import { registeredRoutes, type RegisteredRoute } from '../src/server/http/auth.ts';
import { can, scopeOf, type Actor, type Resource } from '../src/server/policy/policy.ts';
import { buildWorld, quietEnv, sessionHeaders, WORLD_PASSWORD, type World } from '../src/server/accounts/test-support.ts';
import { findAccount } from '../src/server/accounts/users.repository.ts';
import { accountResource } from '../src/server/accounts/resources.ts';
import { insertImport, insertIssuance } from '../src/server/accounts/issuance.repository.ts';
import { seal } from '../src/server/accounts/seal.ts';
import { dossierInsertPart } from '../src/server/dossiers/dossier.repository.ts';
import { runPart } from '../src/server/db/write-unit.ts';
import { dossierCode } from '../src/domain/dossier-code.ts';
import type { Config } from '../src/server/config.ts';
import { headerProblems } from '../src/server/security/header-check.ts';
import { insertOrgUnits, orgIdForCode } from '../src/server/org/org.repository.ts';
import { insertUser } from '../src/server/accounts/users.repository.ts';

type Scope = 'own' | 'other';
type Ctx = { world: World; extra: Record<string, string>; n: number };

/** Path parameter values by name. */
const PARAM_FIXTURES: Record<string, (c: Ctx, scope: Scope) => string> = {
  pointId: (c, s) => (s === 'own' ? c.world.orgs.p01 : c.world.orgs.p02),
  userId: (c, s) => (s === 'own' ? c.world.ids.candidateA : c.world.ids.candidateB),
  importId: (c, s) => c.extra[`import-${s}`]!,
  issuanceId: (c, s) => c.extra[`issuance-${s}`]!,
  dossierId: (c, s) => c.extra[`dossier-${s}`]!,
  sectionId: () => 'contact',
  // no such upload: an allowed actor gets 404, a denied one 403/404, either way after the policy decided
  uploadId: () => 'khong-co-tep',
  year: (c) => String(c.world.year),
  candidateId: (c, s) => c.extra[`candidate-${s}`]!,
  departmentCode: (_c, s) => (s === 'own' ? '01' : '02'),
  // public reference data (places by name): the same for everyone
  provinceCode: () => '01',
  // no such call: allowed actors get 404, denied ones 403/404
  callId: () => 'khong-co-cuoc-goi',
  // no such import: allowed actors get 404, denied ones 403/404
  resultImportId: () => 'khong-co-ban-diem',
  // no such review request: allowed actors get 404 (or 409), denied ones 403/404
  requestId: () => 'khong-co-don-phuc-khao',
  subject: () => 'TOAN',
  // no such known device: the signed-in owner gets 404
  deviceId: () => 'khong-co-thiet-bi',
  // a candidate number (public look-up): before the release everyone gets the same 404
  number: () => '01000001',
  // no such admission run: allowed actors get 404 (or 409), denied ones 403
  runId: () => 'khong-co-lan-chay',
  // the admissions officer's own institution (it exists: an allowed actor reaches the record) and another
  // that does not (denied actors get 403 before any look-up)
  institutionId: (_c, s) => (s === 'own' ? MATRIX_INSTITUTION : 'khong-co-truong-2'),
  '*': () => 'index.html',
};

interface RouteFixture {
  params?: Record<string, (c: Ctx, scope: Scope) => string>;
  body?: (c: Ctx, scope: Scope) => unknown;
  query?: (c: Ctx, scope: Scope) => Record<string, string>;
  payload?: (c: Ctx, scope: Scope) => { payload: Buffer; headers: Record<string, string> };
  /** the record the decision is about, when the path does not say it */
  resource?: (c: Ctx, scope: Scope) => Promise<Resource> | Resource;
  /** the route serves the actor's own candidate record ("my dossier"): the decision is about that record */
  self?: boolean;
}

/** The signed-in candidate's own record, as the policy sees it (staff have none: denied). */
async function selfResource(actor: Actor): Promise<Resource | null> {
  if (actor.kind !== 'user' || actor.role !== 'candidate') return null;
  const acc = await findAccount(t.db.read, actor.userId);
  return acc ? accountResource(acc) : null;
}

const staffTarget = (c: Ctx, s: Scope) => (s === 'own' ? c.world.ids.point01b : c.world.ids.point02);
const pointResource = (c: Ctx, s: Scope): Resource =>
  s === 'own' ? { type: 'org', orgUnitId: c.world.orgs.p01, orgKind: 'point', departmentCode: '01' } : { type: 'org', orgUnitId: c.world.orgs.p02, orgKind: 'point', departmentCode: '02' };

function csvUpload(): { payload: Buffer; headers: Record<string, string> } {
  const b = 'matrixboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="l.csv"\r\nContent-Type: text/csv\r\n\r\nHọ và tên,Ngày sinh,Giới tính\r\nNguyễn Văn An,14/03/2008,Nam\r\n\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

function fileUpload(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const b = 'matrixboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

/** The institution the matrix's admissions officer works for (created in before()). */
const MATRIX_INSTITUTION = orgIdForCode('MXA');
const institutionResource = (_c: Ctx, s: Scope): Resource => ({ type: 'institution', institutionId: s === 'own' ? MATRIX_INSTITUTION : 'khong-co-truong-2' });

const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  // an institution's counts of admission wishes: its own admissions officers and the ministry
  'GET /api/admission/institutions/:institutionId/counts': {
    params: { institutionId: (_c, s) => (s === 'own' ? 'org-QHI' : 'org-SPH') },
    resource: (_c, s) => ({ type: 'institution', institutionId: s === 'own' ? 'org-QHI' : 'org-SPH' }),
  },
  // the national totals of admission registration: the ministry only (an institution's officers have their own counts)
  'GET /api/admission/totals': { resource: () => ({ type: 'national' }) },
  'GET /api/admission/institutions/:institutionId/dashboard': { resource: institutionResource },
  'GET /api/admission/institutions/:institutionId/admitted.xlsx': { resource: institutionResource },
  // the catalogue: the ministry creates institutions (never a department, though it manages its province's
  // units); an institution's officers and the ministry read and import its programmes; the ministry reviews
  'POST /api/admission/institutions': {
    body: (c) => ({ code: `MX${c.n++}`, name: 'Trường thử ma trận', provinceCode: '01' }),
    resource: () => ({ type: 'org', orgUnitId: '(new)', orgKind: 'institution', departmentCode: '01' }),
  },
  'GET /api/admission/institutions/:institutionId/programmes': { resource: institutionResource },
  'GET /api/admission/institutions/:institutionId/programmes/template.xlsx': { resource: institutionResource },
  'POST /api/admission/institutions/:institutionId/programme-imports': {
    payload: () => fileUpload('ct.csv', 'Mã ngành,Tên ngành,Mã phương thức,Tổ hợp,Chỉ tiêu\r\n7480201,Công nghệ thông tin,100,A00,100'),
    resource: institutionResource,
  },
  'GET /api/admission/institutions/:institutionId/programme-imports/:importId': { params: { importId: () => 'khong-co-tep' }, resource: institutionResource },
  'GET /api/admission/institutions/:institutionId/programme-imports/:importId/rows-to-fix.xlsx': { params: { importId: () => 'khong-co-tep' }, resource: institutionResource },
  'POST /api/admission/institutions/:institutionId/programme-imports/:importId/commit': { params: { importId: () => 'khong-co-tep' }, resource: institutionResource },
  'POST /api/admission/institutions/:institutionId/programmes/publish': { resource: institutionResource },
  'POST /api/admission/institutions/:institutionId/programmes/return': { body: () => ({ reason: 'kiểm thử ma trận quyền' }), resource: institutionResource },
  'POST /api/session': { body: (c) => ({ username: c.world.usernames['support01'], password: WORLD_PASSWORD }) },
  'POST /api/account/password': { body: () => ({ currentPassword: 'wrong-current', newPassword: 'một câu rất dài' }) },
  'POST /api/staff': {
    body: (c, s) => ({ username: `matrix.u${c.n++}`, displayName: 'Cán bộ thử', role: 'point_officer', orgUnitId: s === 'own' ? c.world.orgs.p01 : c.world.orgs.p02 }),
    resource: (c, s) => ({ type: 'staff', userId: '(new)', role: 'point_officer', ...(s === 'own' ? { orgUnitId: c.world.orgs.p01, departmentCode: '01' } : { orgUnitId: c.world.orgs.p02, departmentCode: '02' }), orgKind: 'point' }),
  },
  'GET /api/staff': {},
  'POST /api/staff/:userId/disable': { params: { userId: staffTarget } },
  'POST /api/staff/:userId/enable': { params: { userId: staffTarget } },
  'POST /api/users/:userId/password-reset': { body: () => ({ reason: 'kiểm thử ma trận quyền' }) },
  'POST /api/users/:userId/mfa-reset': { params: { userId: staffTarget }, body: () => ({ reason: 'kiểm thử ma trận quyền' }) },
  'POST /api/points/:pointId/imports': { payload: () => csvUpload() },
  'POST /api/points/:pointId/imports/:importId/commit': { body: () => ({ mode: 'valid_rows' }) },
  'POST /api/points/:pointId/accounts/issue': { body: () => ({}) },
  'GET /api/points/:pointId/issuances/:issuanceId/slips.pdf': { query: (c, s) => ({ key: c.extra[`key-${s}`]! }) },
  'GET /api/points/:pointId/issuances/:issuanceId/teacher-list.xlsx': { query: (c, s) => ({ key: c.extra[`key-${s}`]! }) },
  'GET /api/audit': {},
  // registration: the candidate's own dossier
  'GET /api/dossier': { self: true },
  'GET /api/dossier/status': { self: true },
  'PUT /api/dossier/sections/:sectionId': { self: true, body: () => CONTACT },
  'PATCH /api/dossier': { self: true, body: () => ({ contact: CONTACT }) },
  'POST /api/dossier/submit': { self: true, body: () => ({}) },
  'GET /api/dossier/form.pdf': { self: true },
  'GET /api/dossier/photo': { self: true },
  'GET /api/dossier/evidence/:uploadId': { self: true },
  'POST /api/dossier/photo': { self: true, payload: () => pngUpload() },
  'POST /api/dossier/evidence': { self: true, payload: () => pngUpload() },
  // registration and verification by dossier id: the decision is about the dossier's candidate
  'PUT /api/dossiers/:dossierId/sections/:sectionId': { body: () => CONTACT },
  'PATCH /api/dossiers/:dossierId': { body: () => ({ contact: CONTACT }) },
  'POST /api/dossiers/:dossierId/corrections': { body: () => ({ sections: { contact: CONTACT }, reason: 'kiểm thử' }) },
  'POST /api/dossiers/:dossierId/submit': { body: () => ({}) },
  'POST /api/dossiers/:dossierId/photo': { payload: () => pngUpload() },
  'POST /api/dossiers/:dossierId/evidence': { payload: () => pngUpload() },
  'POST /api/desk-registrations': { body: () => ({ dossier: {}, documentsChecked: [] }) },
  'POST /api/verification/dossiers/:dossierId/verify': { body: () => ({ version: 1 }) },
  'POST /api/verification/dossiers/:dossierId/return': { body: () => ({ version: 1, reason: 'Ảnh chưa rõ' }) },
  'POST /api/verification/verify': { body: () => ({ items: [] }) },
  'GET /api/verification/queue': { query: (c, s) => ({ pointId: s === 'own' ? c.world.orgs.p01 : c.world.orgs.p02 }), resource: (c, s) => pointResource(c, s) },
  'POST /api/verification/queue/search': { body: (c, s) => ({ pointId: s === 'own' ? c.world.orgs.p01 : c.world.orgs.p02, q: 'nguyen' }), resource: (c, s) => pointResource(c, s) },
  'GET /api/stats/summary': { query: (c, s) => ({ level: 'point', unit: s === 'own' ? c.world.orgs.p01 : c.world.orgs.p02 }), resource: (c, s) => pointResource(c, s) },
  'GET /api/stats/breakdown': {
    query: (_c, s) => ({ level: 'department', unit: s === 'own' ? '01' : '02' }),
    resource: (_c, s) => ({ type: 'org', orgUnitId: s === 'own' ? 'org-01' : 'org-02', orgKind: 'department', departmentCode: s === 'own' ? '01' : '02' }),
  },
  'GET /api/stats/results': {
    query: (_c, s) => ({ level: 'department', unit: s === 'own' ? '01' : '02' }),
    resource: (_c, s) => ({ type: 'org', orgUnitId: s === 'own' ? 'org-01' : 'org-02', orgKind: 'department', departmentCode: s === 'own' ? '01' : '02' }),
  },
};

const departmentResource = (_c: Ctx, s: Scope): Resource =>
  s === 'own' ? { type: 'org', orgUnitId: 'org-01', orgKind: 'department', departmentCode: '01' } : { type: 'org', orgUnitId: 'org-02', orgKind: 'department', departmentCode: '02' };
const ministryResource = (): Resource => ({ type: 'org', orgUnitId: 'org-BGD', orgKind: 'ministry', departmentCode: null });
const candidateResource = async (c: Ctx, s: Scope): Promise<Resource> => {
  const acc = await findAccount(t.db.read, c.extra[`dossier-owner-${s}`]!);
  return accountResource(acc!)!;
};
const WINDOWS = {
  accountIssuing: { from: '2031-04-01', to: '2031-04-05' },
  trial: { from: '2031-04-05', to: '2031-04-08', closesAt: '17:00' },
  official: { from: '2031-04-20', to: '2031-04-28', closesAt: '17:00' },
  correction: { from: '2031-04-28', opensAt: '17:00', to: '2031-05-09', closesAt: '17:00' },
};

Object.assign(ROUTE_FIXTURES, {
  // support desk: look-ups and resets are about the candidate; calls are lists within the agent's scope
  'POST /api/support/candidates/search': { body: (c: Ctx, s: Scope) => ({ idNumber: c.extra[`cccd-${s}`]! }) },
  'GET /api/support/candidates/:candidateId': { resource: candidateResource },
  'POST /api/support/candidates/:candidateId/password-reset': { resource: candidateResource, body: () => ({ reason: 'kiểm thử ma trận quyền' }) },
  'POST /api/support/calls': { body: () => ({ category: 'other', note: 'kiểm thử', outcome: 'answered' }) },
  'GET /api/support/calls': {},
  'POST /api/support/calls/:callId/close': { body: () => ({ outcome: 'answered' }) },
  // the ministry's configuration: exam years are national; departments are the ministry's to manage
  'POST /api/admin/exam-years': { body: () => ({ year: 2031, scheme: 'CT2018', windows: WINDOWS }), resource: ministryResource },
  'GET /api/admin/exam-years': { resource: ministryResource },
  'GET /api/admin/exam-years/:year': { resource: ministryResource },
  'PATCH /api/admin/exam-years/:year': { body: () => ({ reason: 'kiểm thử ma trận quyền' }), resource: ministryResource },
  'GET /api/admin/exam-years/:year/check': { resource: ministryResource },
  'POST /api/admin/exam-years/:year/publish': { body: () => ({}), resource: ministryResource },
  // the year's admission settings: the ministry's, as the rest of the year's configuration
  'GET /api/admission/years/:year/settings': { resource: ministryResource },
  'PUT /api/admission/years/:year/settings': {
    body: (c) => ({
      wishCap: 15,
      teacherTrainingMaxPosition: 5,
      combinationFloor: 15,
      window: { from: `${c.world.year}-07-02`, to: `${c.world.year}-07-14` },
      feePerWishVnd: 15000,
      paymentGroups: [],
      reason: 'kiểm thử ma trận quyền',
    }),
    resource: ministryResource,
  },
  'GET /api/admin/departments': {},
  'POST /api/admin/departments': { body: () => ({ code: '99', name: 'Sở thử nghiệm' }), resource: ministryResource },
  'PATCH /api/admin/departments/:departmentCode': { body: () => ({ name: 'Sở GD&ĐT' }), resource: ministryResource },
  'GET /api/admin/departments/:departmentCode/points': { resource: departmentResource },
  'POST /api/admin/departments/:departmentCode/points': { body: (c: Ctx, s: Scope) => ({ code: `${s === 'own' ? '01' : '02'}${700 + c.n++}`, name: 'Điểm thử', pointKind: 'free' }), resource: departmentResource },
  'PATCH /api/admin/points/:pointId': { body: () => ({ address: 'Số 1' }) },
  // exports: a point's list, a department's list
  'GET /api/exports/points/:pointId/candidates.xlsx': {},
  'GET /api/exports/points/:pointId/forms.pdf': { query: () => ({ className: '12A1' }) },
  'GET /api/exports/departments/:departmentCode/candidates.xlsx': { resource: departmentResource },
  // after registration: a department's numbers, sites and rooms
  'GET /api/exam/departments/:departmentCode/seating': { resource: departmentResource },
  'PUT /api/exam/departments/:departmentCode/sites': { body: () => ({ sites: [] }), resource: departmentResource },
  'POST /api/exam/departments/:departmentCode/seating': { body: () => ({}), resource: departmentResource },
  'GET /api/exam/departments/:departmentCode/numbers': { resource: departmentResource },
  'GET /api/exam/me': { self: true },
  // the exam notice and the room lists: own notice; a candidate's in scope; a point's class and rooms; a department's rooms
  'GET /api/exam/me/notice.pdf': { self: true },
  'GET /api/results/me': { self: true },
  'GET /api/exam/candidates/:candidateId/notice.pdf': { resource: candidateResource },
  'GET /api/exam/points/:pointId/notices.pdf': { query: () => ({ className: '12A1' }) },
  'GET /api/exam/points/:pointId/rooms.xlsx': {},
  'GET /api/exam/departments/:departmentCode/rooms.xlsx': { resource: departmentResource },
  // the council's marks and their publication: a department's; the school-year averages: a point's
  'POST /api/results/departments/:departmentCode/imports': { payload: () => fileUpload('diem.csv', 'Số báo danh,Mã môn,Điểm\r\n01000001,TOAN,7\r\n'), resource: departmentResource },
  'GET /api/results/departments/:departmentCode/imports': { resource: departmentResource },
  'GET /api/results/departments/:departmentCode/imports/:resultImportId': { resource: departmentResource },
  'POST /api/results/departments/:departmentCode/imports/:resultImportId/publish': { resource: departmentResource },
  'POST /api/results/points/:pointId/averages': { payload: () => fileUpload('tb.csv', 'Số định danh,Điểm TB lớp 12\r\n001208000001,7\r\n') },
  // score reviews: a candidate's own requests; the council's department runs them
  'GET /api/reviews/own': { self: true },
  'POST /api/reviews/own': { self: true, body: () => ({ subjects: ['TOAN'] }) },
  'POST /api/reviews/own/:requestId/withdraw': { self: true },
  'GET /api/reviews/departments/:departmentCode/requests': { resource: departmentResource },
  'POST /api/reviews/departments/:departmentCode/requests/:requestId/start': { resource: departmentResource },
  'POST /api/reviews/departments/:departmentCode/requests/:requestId/papers/:subject/outcome': { resource: departmentResource, body: () => ({ reviewedMark: '7' }) },
  'POST /api/reviews/departments/:departmentCode/stage': { resource: departmentResource },
  // admission fees: a candidate's own fees and orders (no such order: 404); the gateway's IPN is public; the ministry's page
  'GET /api/admission/fees/own': { self: true },
  'POST /api/admission/fees/own/orders': { self: true },
  'GET /api/admission/fees/own/orders/:orderId': { self: true, params: { orderId: () => '0'.repeat(32) } },
  'POST /api/admission/fees/own/orders/:orderId/check': { self: true, params: { orderId: () => '0'.repeat(32) } },
  'GET /api/admission/fees/return': { self: true, query: () => ({ vnp_TxnRef: '0'.repeat(32) }) },
  'GET /api/admission/payments': { resource: ministryResource },
  'POST /api/admission/payments/txns/:txnId/refund': { params: { txnId: () => 'khong-co-giao-dich' }, body: () => ({ reason: 'kiểm thử ma trận quyền' }), resource: ministryResource },
  'POST /api/admission/payments/reconcile': { body: () => ({ date: '2031-07-16' }), resource: ministryResource },
  // the operations page: the whole service's traffic, a national matter
  'GET /api/ops/snapshot': { resource: () => ({ type: 'national' }) },
  // national links: their state is a national matter; sign-in with VNeID is public (off here: not configured);
  // a VNeID free candidate's choice of point serves the signed-in account (others get 403 from the handler)
  'GET /api/ops/links': { resource: () => ({ type: 'national' }) },
  // identity flags: a point's list; resolving one is a correction of that dossier's candidate
  'GET /api/points/:pointId/identity-flags': {},
  'POST /api/identity-flags/:flagId/resolve': { params: { flagId: (c: Ctx, s: Scope) => c.extra[`flag-${s}`]! }, body: () => ({ action: 'confirm', note: 'kiểm thử ma trận quyền' }), resource: candidateResource },
  'GET /api/auth/methods': {},
  'GET /api/auth/vneid/start': {},
  'GET /api/auth/vneid/callback': { query: () => ({ state: 'matrix-state', code: 'matrix-code' }) },
  'GET /api/registration-point/options': {},
  'POST /api/registration-point': { body: (c: Ctx) => ({ pointId: c.world.orgs.p01 }) },
} satisfies Record<string, RouteFixture>);

const CONTACT = { phone: '0912345678', email: 'a@example.vn', address: 'Số 1 Tràng Tiền, Hà Nội' };

/** A small PNG in a multipart body (too small for a photo: an allowed actor gets a 4xx about the file). */
function pngUpload(): { payload: Buffer; headers: Record<string, string> } {
  const b = 'matrixpng';
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d4b6d70000000049454e44ae426082', 'hex');
  const head = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nother\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`);
  return { payload: Buffer.concat([head, png, Buffer.from(`\r\n--${b}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

type ActorName =
  | 'anonymous' 
  | 'candidate'
  | 'candidate_pending'
  | 'point_officer'
  | 'department_officer'
  | 'support_agent'
  | 'ministry_admin'
  | 'admissions_officer';
/** Actors by the key of their user id in the world (the admissions officer's is added by before()). */
type ActorKey = keyof World['ids'] | 'admissions01';
const ACTORS: Record<ActorName, ActorKey | null> = {
  anonymous: null,
  candidate: 'candidateA',
  candidate_pending: 'candidateFresh',
  point_officer: 'point01',
  department_officer: 'dept01',
  support_agent: 'support01',
  ministry_admin: 'ministry',
  admissions_officer: 'admissions01',
};
const idOf = (who: ActorKey): string => (ctx.world.ids as Record<string, string>)[who]!;

let t: TestDb;
let app: FastifyInstance;
let config: Config;
let ctx: Ctx;
let routes: RegisteredRoute[];

before(async () => {
  t = await createTestDb('sqlite');
  const built = await testApp(t.db, { env: quietEnv() });
  app = built.app;
  config = built.config;
  const world = await buildWorld(t.db, built.clock());
  // an institution with its admissions officer (the world has none: they live beside the exam's tree)
  const officerId = 'u-matrix-admissions01';
  await t.db.write(async (trx) => {
    await insertOrgUnits(trx, [{ kind: 'institution', code: 'MXA', name: 'Trường thử ma trận', parentId: orgIdForCode('BGD'), departmentCode: '01' }], built.clock());
    await insertUser(trx, { id: officerId, username: 'matrix.tuyensinh', role: 'admissions_officer', orgUnitId: MATRIX_INSTITUTION, displayName: 'Cán bộ tuyển sinh', passwordHash: 'matrix-not-a-hash', mustChangePassword: false }, built.clock());
  });
  (world.ids as Record<string, string>)['admissions01'] = officerId;
  const extra: Record<string, string> = {};
  const now = built.clock();
  for (const [scope, point, by] of [
    ['own', world.orgs.p01, world.ids.point01],
    ['other', world.orgs.p02, world.ids.point02],
  ] as const) {
    const importId = `imp-${scope}`;
    await t.db.write((trx) =>
      insertImport(trx, { id: importId, pointId: point, examYear: world.year, createdBy: by, createdAt: now.toISOString(), fileName: 'x.csv', totalRows: 0, validRows: 0, errorRows: 0, rows: [], findings: [], failedRows: [] }),
    );
    const { sealed, key } = seal('[]');
    await t.db.write((trx) =>
      insertIssuance(trx, { id: `iss-${scope}`, pointId: point, issuedBy: by, issuedAt: now.toISOString(), kind: 'initial', count: 0, sealed, documentsExpireAt: new Date(now.getTime() + 86400_000).toISOString() }),
    );
    extra[`import-${scope}`] = importId;
    extra[`issuance-${scope}`] = `iss-${scope}`;
    extra[`key-${scope}`] = key;
  }
  // a dossier for candidate A (point 01001, department 01) and one for candidate B (02001, 02)
  for (const [scope, who, point, dept] of [
    ['own', world.ids.candidateA, world.orgs.p01, '01'],
    ['other', world.ids.candidateB, world.orgs.p02, '02'],
  ] as const) {
    const cand = await t.db.read.selectFrom('candidates').select('id').where('user_id', '=', who).executeTakeFirstOrThrow();
    const id = `dossier-${scope}`;
    await t.db.write((trx) =>
      runPart(
        trx,
        dossierInsertPart(
          {
            id,
            code: dossierCode(dept, world.year, scope === 'own' ? 1 : 2),
            candidateId: cand.id,
            examYear: world.year,
            isTrial: false,
            status: 'submitted',
            dataJson: '{}',
            summary: { key: 'fixture', findingsJson: '[]', tasksJson: '[]' },
            pointId: point,
            departmentCode: dept,
            channel: 'online',
            submittedAt: now.toISOString(),
            filters: { subjectsCombo: null, purpose: null, candidateType: null, programme: null, cccdMismatch: false, photoMissing: true, exemptionClaimed: false, priorityClaimed: false, errorsCount: 0, warningsCount: 0 },
          },
          now,
        ),
      ),
    );
    extra[`dossier-${scope}`] = id;
    extra[`candidate-${scope}`] = cand.id;
    extra[`cccd-${scope}`] = (await t.db.read.selectFrom('candidates').select('id_number').where('id', '=', cand.id).executeTakeFirstOrThrow()).id_number;
    extra[`dossier-owner-${scope}`] = who;
    // an identity flag on that dossier (the population database disagreed), for the point to resolve
    extra[`flag-${scope}`] = await t.db.write((trx) =>
      raiseFlag(trx, { candidateId: cand.id, dossierId: id, pointId: point, departmentCode: dept, examYear: world.year, checkId: `check-${scope}`, outcome: 'not_found', mismatches: [] }, now),
    );
  }
  ctx = { world, extra, n: 0 };
  routes = registeredRoutes(app);
});

after(async () => {
  await app?.close();
  await t?.drop();
});

test('every registered route declares its access (public, signed_in, or a policy action)', () => {
  assert.ok(routes.length > 10, 'the route table was captured');
  const missing = routes.filter((r) => !r.config?.access || (r.config.access === 'action' && !r.config.action)).map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(missing, [], `routes without config.access (see src/server/http/route-access.ts): ${missing.join(', ')}`);
});

test('every route × every role × own scope / another scope gets the policy’s decision', async () => {
  const failures: string[] = [];
  let cases = 0;
  // MATRIX_ONLY=/api/staff,/api/session narrows a local run to some route prefixes (never in CI)
  const only = process.env['MATRIX_ONLY']?.split(',').filter(Boolean);
  for (const route of routes.filter((r) => !only || only.some((p) => r.url.startsWith(p)))) {
    const key = `${route.method} ${route.url}`;
    const fx = ROUTE_FIXTURES[key] ?? {};
    const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)|(\*)/g)].map((m) => m[1] ?? m[2]!);
    for (const p of params) {
      if (!fx.params?.[p] && !PARAM_FIXTURES[p]) failures.push(`${key}: no fixture for path parameter :${p} (add it to PARAM_FIXTURES or ROUTE_FIXTURES)`);
    }
    if (failures.length) continue;
    const scopes: Scope[] = params.filter((p) => p !== '*').length > 0 || fx.resource ? ['own', 'other'] : ['own'];
    for (const [name, who] of Object.entries(ACTORS) as Array<[ActorName, keyof World['ids'] | null]>) {
      for (const scope of scopes) {
        cases++;
        let url = route.url;
        for (const p of params) {
          const v = (fx.params?.[p] ?? PARAM_FIXTURES[p]!)(ctx, scope);
          url = p === '*' ? url.replace('*', v) : url.replace(`:${p}`, encodeURIComponent(v));
        }
        const q = fx.query?.(ctx, scope);
        if (q) url += `?${new URLSearchParams(q).toString()}`;
        const headers: Record<string, string> = who ? await sessionHeaders(t.db, config, idOf(who), new Date()) : {};
        const up = fx.payload?.(ctx, scope);
        const body = fx.body?.(ctx, scope);
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: { ...headers, ...(up?.headers ?? {}) },
          ...(up ? { payload: up.payload } : body !== undefined ? { payload: body as object } : {}),
        });
        // the account as it is now: an earlier case may have reset its password (a pending one-time password)
        const acc = who ? await findAccount(t.db.read, idOf(who)) : undefined;
        const actor: Actor = acc
          ? { kind: 'user', userId: acc.id, role: acc.role, orgUnitId: acc.orgUnitId, departmentCode: acc.departmentCode, sessionId: 'x', mustChangePassword: acc.mustChangePassword }
          : { kind: 'anonymous' };
        const expected = await expectation(route, fx, actor, scope, url);
        const ok =
          expected === 'allow'
            ? res.statusCode !== 401 && (res.statusCode !== 403 || ruleRefusal(res.body))
            : expected === 'signed_in'
              ? res.statusCode !== 401
            : expected === 'unauthenticated'
              ? res.statusCode === 401
              : res.statusCode === 403 || res.statusCode === 404;
        if (!ok) failures.push(`${key} as ${name} (${scope}): expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
        // every answer, allowed or not, carries the security headers and (unless the route holds nothing personal) no-store
        for (const p of headerProblems(route, res.headers)) failures.push(`${key} as ${name} (${scope}) ${res.statusCode}: ${p}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(only || cases > 100, `ran ${cases} cases`);
});

// A 403 that a rule of the exam year gives after the policy allowed the actor (the window is closed, a
// correction only after the window, a frozen section): the policy decision was "allowed".
const RULE_CODES = new Set(['WINDOW_CLOSED', 'PHASE_NOT_ALLOWED', 'SECTION_FROZEN']);
function ruleRefusal(body: string): boolean {
  try {
    return RULE_CODES.has((JSON.parse(body) as { error?: { code?: string } }).error?.code ?? '');
  } catch {
    return false;
  }
}

async function expectation(route: RegisteredRoute, fx: RouteFixture, actor: Actor, scope: Scope, url: string): Promise<'allow' | 'signed_in' | 'deny' | 'unauthenticated'> {
  const c = route.config ?? {};
  if (c.access === 'public') return 'allow';
  if (actor.kind !== 'user') return 'unauthenticated';
  // a signed_in route serves the user's own account; a role with nothing there may get 403/404 from it
  if (c.access === 'signed_in') return actor.mustChangePassword && !c.oneTimePasswordOk ? 'deny' : 'signed_in';
  if (actor.mustChangePassword || !c.action) return 'deny';
  let resource: Resource | null = null;
  if (fx.self) {
    const own = await selfResource(actor);
    return own && can(actor, c.action, own) ? 'allow' : 'deny';
  }
  if (fx.resource) resource = await fx.resource(ctx, scope);
  else if (route.url.includes(':userId')) {
    const id = decodeURIComponent(url.split('/users/')[1]?.split('/')[0] ?? url.split('/staff/')[1]?.split('/')[0] ?? '');
    const acc = await findAccount(t.db.read, id);
    resource = acc ? accountResource(acc) : null;
  } else if (route.url.includes(':dossierId')) {
    const acc = await findAccount(t.db.read, ctx.extra[`dossier-owner-${scope}`]!);
    resource = acc ? accountResource(acc) : null;
  } else if (route.url.includes(':pointId')) resource = pointResource(ctx, scope);
  if (resource) return can(actor, c.action, resource) ? 'allow' : 'deny';
  return scopeOf(actor, c.action) !== null ? 'allow' : 'deny';
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, authorizeScope, can, manageableRoles, mayEverTake, scopeOf, type Actor, type Resource } from './policy.ts';
import type { Role } from '../db/schema.ts';

const user = (role: Role, orgUnitId: string, departmentCode: string | null, extra: Partial<Extract<Actor, { kind: 'user' }>> = {}): Actor => ({
  kind: 'user',
  userId: `u-${role}-${orgUnitId}`,
  role,
  orgUnitId,
  departmentCode,
  sessionId: 's',
  mustChangePassword: false,
  ...extra,
});

const candA: Resource = { type: 'candidate', userId: 'u-candidate-org-01001', pointId: 'org-01001', departmentCode: '01' };
const candB: Resource = { type: 'candidate', userId: 'cand-b', pointId: 'org-02001', departmentCode: '02' };
const point01: Resource = { type: 'org', orgUnitId: 'org-01001', orgKind: 'point', departmentCode: '01' };
const staffPoint01: Resource = { type: 'staff', userId: 'st1', role: 'point_officer', orgUnitId: 'org-01001', orgKind: 'point', departmentCode: '01' };
const staffPoint02: Resource = { type: 'staff', userId: 'st2', role: 'point_officer', orgUnitId: 'org-02001', orgKind: 'point', departmentCode: '02' };
const staffDept01: Resource = { type: 'staff', userId: 'st3', role: 'department_officer', orgUnitId: 'org-01', orgKind: 'department', departmentCode: '01' };

const candidate = user('candidate', 'org-01001', '01', { userId: 'u-candidate-org-01001' });
const point = user('point_officer', 'org-01001', '01');
const dept = user('department_officer', 'org-01', '01');
const ministry = user('ministry_admin', 'org-BGD', null);
const support = user('support_agent', 'org-01', '01');
const nationalSupport = user('support_agent', 'org-BGD', null);

test('a candidate touches only their own record', () => {
  assert.equal(can(candidate, 'candidate.read', candA), true);
  assert.equal(can(candidate, 'candidate.read', candB), false);
  assert.equal(can(candidate, 'dossier.verify', candA), false);
  assert.equal(can(candidate, 'account.reset_password', candA), false);
});

test("a point's officer acts on its own candidates; a department reads its province; the ministry reads all", () => {
  assert.equal(can(point, 'dossier.verify', candA), true);
  assert.equal(can(point, 'dossier.verify', candB), false);
  assert.equal(can(point, 'account.issue', point01), true);
  assert.equal(can(point, 'account.issue', { ...point01, orgUnitId: 'org-01002' }), false);
  assert.equal(can(dept, 'candidate.read', candA), true);
  assert.equal(can(dept, 'candidate.read', candB), false);
  assert.equal(can(dept, 'dossier.verify', candA), false, 'a department reads, it does not verify');
  assert.equal(can(ministry, 'candidate.read', candB), true);
  assert.equal(can(ministry, 'dossier.edit', candB), false);
});

test('a support agent looks up within its scope, read-only, plus reset', () => {
  assert.equal(can(support, 'candidate.read', candA), true);
  assert.equal(can(support, 'candidate.read', candB), false);
  assert.equal(can(support, 'account.reset_password', candA), true);
  assert.equal(can(support, 'dossier.edit', candA), false);
  assert.equal(can(nationalSupport, 'account.reset_password', candB), true);
  assert.deepEqual(scopeOf(nationalSupport, 'support.lookup'), { all: true });
});

test("a candidate's password is reset by the point or the support desk, not by a department or the ministry", () => {
  assert.equal(can(point, 'account.reset_password', candA), true);
  assert.equal(can(dept, 'account.reset_password', candA), false);
  assert.equal(can(ministry, 'account.reset_password', candA), false);
});

test('staff accounts are managed by the level above only, within its scope', () => {
  assert.equal(can(dept, 'staff.manage', staffPoint01), true);
  assert.equal(can(dept, 'staff.manage', staffPoint02), false, 'another province');
  assert.equal(can(dept, 'staff.manage', staffDept01), false, 'the same level');
  assert.equal(can(ministry, 'staff.manage', staffDept01), true);
  assert.equal(can(ministry, 'staff.manage', staffPoint01), false, 'two levels down: the department does it');
  assert.equal(can(point, 'staff.manage', staffPoint01), false);
  assert.equal(can(dept, 'account.reset_password', staffPoint01), true);
  assert.equal(can(dept, 'candidate.read', staffPoint01), false, 'candidate actions never reach a staff account');
  assert.deepEqual(manageableRoles(dept).sort(), ['point_officer', 'support_agent']);
  assert.deepEqual(manageableRoles(point), []);
});

test('it fails closed: anonymous, a pending one-time password, an unknown action, a malformed actor', () => {
  assert.equal(can({ kind: 'anonymous' }, 'candidate.read', candA), false);
  const pending = user('point_officer', 'org-01001', '01', { mustChangePassword: true });
  assert.equal(can(pending, 'candidate.read', candA), false);
  assert.equal(scopeOf(pending, 'candidate.read'), null);
  assert.equal(mayEverTake(pending, 'candidate.read'), false);
  assert.equal(can(point, 'no.such.action' as never, candA), false);
  assert.equal(can({ kind: 'user', role: 'wizard' } as never, 'candidate.read', candA), false);
  assert.equal(scopeOf(user('department_officer', 'org-x', null), 'candidate.read'), null, 'a department officer without a department reaches nothing');
});

test('authorize and authorizeScope throw 401, 403 and PASSWORD_CHANGE_REQUIRED, never reply themselves', () => {
  assert.throws(() => authorize({ kind: 'anonymous' }, 'candidate.read', candA), (e: { status: number }) => e.status === 401);
  assert.throws(() => authorize(point, 'candidate.read', candB), (e: { status: number }) => e.status === 403);
  assert.throws(() => authorize(user('candidate', 'org-01001', '01', { mustChangePassword: true }), 'candidate.read', candA), (e: { code: string }) => e.code === 'PASSWORD_CHANGE_REQUIRED');
  assert.doesNotThrow(() => authorize(point, 'candidate.read', candA));
  assert.deepEqual(authorizeScope(dept, 'candidate.read'), { departmentCode: '01' });
  assert.throws(() => authorizeScope(candidate, 'stats.read'), (e: { status: number }) => e.status === 403);
});

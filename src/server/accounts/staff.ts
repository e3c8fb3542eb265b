// Staff accounts, managed by the level above: the ministry creates department officers and support agents,
// a department creates its point officers and province support agents. Each account is bound to one node
// of the organisation tree; its role and node come from the creator's request, checked here against the
// creator's own role and scope (no request can grant a role or scope the creator does not manage).
import { AppError } from '../http/errors.ts';
import { authorize, authorizeScope, manageableRoles, type OrgKind, type Resource } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findOrgUnit } from '../org/org.repository.ts';
import { newId } from '../ids.ts';
import { hashPassword } from './password.ts';
import { generateOneTimePassword } from './one-time-password.ts';
import { findAccount, insertUser, listStaff, setUserStatus, usernameExists, type StaffMember } from './users.repository.ts';
import { countingAccounts } from './account-counts.ts';
import { endUserSessions } from './sessions.repository.ts';
import { accountResource } from './resources.ts';
import { STAFF_USERNAME_PATTERN } from './username.ts';
import type { Ctx } from '../context.ts';
import type { AccountsRuntime } from './runtime.ts';
import type { Role } from '../db/schema.ts';

type StaffRole = Exclude<Role, 'candidate'>;

/** Which kind of node each staff role sits at. */
const ROLE_NODE: Record<StaffRole, ReadonlyArray<OrgKind>> = {
  ministry_admin: ['ministry'],
  department_officer: ['department'],
  point_officer: ['point'],
  support_agent: ['ministry', 'department'],
  admissions_officer: ['institution'],
};

export async function listStaffFor(ctx: Ctx, orgUnitId?: string): Promise<StaffMember[]> {
  const scope = authorizeScope(ctx.actor, 'staff.manage');
  const all = await listStaff(ctx.db.read, {
    ...('departmentCode' in scope ? { departmentCode: scope.departmentCode } : {}),
    ...(orgUnitId ? { orgUnitId } : {}),
  });
  const roles = new Set(manageableRoles(ctx.actor));
  // only the accounts this actor manages (a department does not see the ministry's desk agents)
  return all.filter((m) => roles.has(m.role) && ('all' in scope || m.orgKind === 'department' || m.orgKind === 'point'));
}

export async function createStaff(
  ctx: Ctx,
  rt: AccountsRuntime,
  input: { username: string; displayName: string; role: StaffRole; orgUnitId: string },
): Promise<{ staff: StaffMember; oneTimePassword: string }> {
  const { db, now, actor } = ctx;
  const username = input.username.normalize('NFC').trim().toLowerCase();
  if (!STAFF_USERNAME_PATTERN.test(username)) {
    throw AppError.validation([
      {
        code: 'STAFF_USERNAME_FORMAT',
        field: 'username',
        severity: 'error',
        vi: 'Tên đăng nhập cán bộ gồm chữ thường không dấu, chữ số, nối bằng dấu chấm (ví dụ: diem.01001.lan).',
        en: 'A staff username is lower-case letters and digits joined by dots (e.g. diem.01001.lan).',
      },
    ]);
  }
  const org = await findOrgUnit(db.read, input.orgUnitId);
  if (!org || !org.active) throw AppError.notFound('organisation unit');
  if (!ROLE_NODE[input.role].includes(org.kind)) {
    throw AppError.validation([
      { code: 'ROLE_DOES_NOT_FIT_NODE', field: 'role', severity: 'error', vi: 'Vai trò này không thuộc loại đơn vị đã chọn.', en: 'This role does not belong at the chosen kind of unit.' },
    ]);
  }
  const resource: Resource = { type: 'staff', userId: '(new)', role: input.role, orgUnitId: org.id, orgKind: org.kind, departmentCode: org.departmentCode };
  authorize(actor, 'staff.manage', resource);
  if (await usernameExists(db.read, username)) {
    throw new AppError('CONFLICT', 'Tên đăng nhập đã được dùng.', 'This username is taken.', { code: 'USERNAME_TAKEN' });
  }
  const otp = generateOneTimePassword();
  const hash = await rt.hashLimiter.run(() => hashPassword(otp));
  const id = newId();
  const displayName = input.displayName.normalize('NFC').replace(/\s+/g, ' ').trim();
  await db.write(async (trx) => {
    await insertUser(trx, { id, username, role: input.role, orgUnitId: org.id, displayName, passwordHash: hash, mustChangePassword: true }, now);
    await appendAudit(trx, { action: 'staff.created', actor, targetType: 'user', targetId: id, departmentCode: org.departmentCode, ip: ctx.ip, details: { role: input.role, orgUnitId: org.id, username } }, now);
  });
  const [member] = (await listStaff(db.read, { orgUnitId: org.id })).filter((m) => m.id === id);
  if (!member) throw new Error('staff member vanished after insert');
  return { staff: member, oneTimePassword: otp };
}

export async function setStaffEnabled(ctx: Ctx, userId: string, enabled: boolean): Promise<StaffMember> {
  const { db, now, actor } = ctx;
  const account = await findAccount(db.read, userId);
  if (!account || account.role === 'candidate') throw AppError.notFound('staff member');
  const resource = accountResource(account);
  if (!resource) throw AppError.forbidden();
  authorize(actor, 'staff.manage', resource);
  await db.write(async (trx) => {
    await countingAccounts(trx, [account.id], () => setUserStatus(trx, account.id, enabled ? 'active' : 'disabled', now));
    // a disabled account's sessions end at once (the auth plugin also refuses them)
    const ended = enabled ? 0 : await endUserSessions(trx, account.id, 'account_disabled', now);
    await appendAudit(
      trx,
      { action: enabled ? 'staff.enabled' : 'staff.disabled', actor, targetType: 'user', targetId: account.id, departmentCode: account.departmentCode, ip: ctx.ip, details: { username: account.username, sessionsEnded: ended } },
      now,
    );
  });
  const [member] = (await listStaff(db.read, { orgUnitId: account.orgUnitId })).filter((m) => m.id === account.id);
  if (!member) throw AppError.notFound('staff member');
  return member;
}

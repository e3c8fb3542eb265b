// Departments and registration points: the ministry manages departments; a department manages the
// points of its own province (the ministry may too). Every change is audited with the before and after.
import { AppError } from '../http/errors.ts';
import { authorize, authorizeScope, type Resource } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findDepartment, findMinistry, findOrg, insertOrg, listDepartments, listPoints, updateOrg, type OrgRow } from './admin.repository.ts';
import type { Ctx } from '../context.ts';

const MINISTRY_NODE: Resource = { type: 'org', orgUnitId: 'ministry', orgKind: 'ministry', departmentCode: null };
const nodeOf = (o: Pick<OrgRow, 'id' | 'kind' | 'departmentCode'>): Resource => ({ type: 'org', orgUnitId: o.id, orgKind: o.kind, departmentCode: o.departmentCode });

export async function listDepartmentsFor(ctx: Ctx): Promise<OrgRow[]> {
  const scope = authorizeScope(ctx.actor, 'org.manage');
  if ('all' in scope) return listDepartments(ctx.db.read);
  if ('departmentCode' in scope) return listDepartments(ctx.db.read, scope.departmentCode);
  return [];
}

export async function createDepartment(ctx: Ctx, input: { code: string; name: string }): Promise<OrgRow> {
  authorize(ctx.actor, 'org.manage', MINISTRY_NODE);
  const ministry = await findMinistry(ctx.db.read);
  if (!ministry) throw AppError.notFound('ministry');
  const created = await ctx.db.write(async (trx) => {
    const row = await insertOrg(trx, { kind: 'department', code: input.code, name: input.name.normalize('NFC'), parentId: ministry.id, departmentCode: input.code, pointKind: null, address: null }, ctx.now);
    if (row) await appendAudit(trx, { action: 'org.created', actor: ctx.actor, targetType: 'org_unit', targetId: row.id, departmentCode: input.code, ip: ctx.ip, details: { after: row } }, ctx.now);
    return row;
  });
  if (!created) throw new AppError('CONFLICT', `Mã ${input.code} đã được dùng.`, `The code ${input.code} is taken.`, { code: 'ORG_CODE_TAKEN' });
  return created;
}

async function loadDepartment(ctx: Ctx, code: string): Promise<OrgRow> {
  const d = await findDepartment(ctx.db.read, code);
  if (!d) throw AppError.notFound('department');
  return d;
}

export async function listPointsOf(ctx: Ctx, departmentCode: string): Promise<OrgRow[]> {
  authorizeScope(ctx.actor, 'org.manage');
  const d = await loadDepartment(ctx, departmentCode);
  authorize(ctx.actor, 'org.manage', nodeOf(d));
  return listPoints(ctx.db.read, departmentCode);
}

export async function createPoint(ctx: Ctx, departmentCode: string, input: { code: string; name: string; pointKind: 'school' | 'free'; address?: string | undefined }): Promise<OrgRow> {
  authorizeScope(ctx.actor, 'org.manage');
  const d = await loadDepartment(ctx, departmentCode);
  authorize(ctx.actor, 'org.manage', { type: 'org', orgUnitId: '(new)', orgKind: 'point', departmentCode });
  if (!input.code.startsWith(departmentCode)) {
    throw AppError.validation([
      { code: 'POINT_CODE_PREFIX', field: 'code', severity: 'error', vi: `Mã điểm phải gồm mã Sở ${departmentCode} và 3 chữ số.`, en: `A point code is the department code ${departmentCode} followed by 3 digits.` },
    ]);
  }
  if (!d.active) throw new AppError('CONFLICT', 'Sở này đang ngừng hoạt động.', 'This department is deactivated.', { code: 'DEPARTMENT_INACTIVE' });
  const created = await ctx.db.write(async (trx) => {
    const row = await insertOrg(trx, { kind: 'point', code: input.code, name: input.name.normalize('NFC'), parentId: d.id, departmentCode, pointKind: input.pointKind, address: input.address?.normalize('NFC') ?? null }, ctx.now);
    if (row) await appendAudit(trx, { action: 'org.created', actor: ctx.actor, targetType: 'org_unit', targetId: row.id, departmentCode, ip: ctx.ip, details: { after: row } }, ctx.now);
    return row;
  });
  if (!created) throw new AppError('CONFLICT', `Mã ${input.code} đã được dùng.`, `The code ${input.code} is taken.`, { code: 'ORG_CODE_TAKEN' });
  return created;
}

async function editNode(ctx: Ctx, node: OrgRow, patch: { name?: string | undefined; active?: boolean | undefined; address?: string | null | undefined }): Promise<OrgRow> {
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name.normalize('NFC') } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
    ...(patch.address !== undefined ? { address: patch.address === null ? null : patch.address.normalize('NFC') } : {}),
  };
  const action = patch.active === false && node.active ? 'org.deactivated' : patch.active === true && !node.active ? 'org.reactivated' : 'org.edited';
  await ctx.db.write(async (trx) => {
    await updateOrg(trx, node.id, changes, ctx.now);
    await appendAudit(trx, { action, actor: ctx.actor, targetType: 'org_unit', targetId: node.id, departmentCode: node.departmentCode, ip: ctx.ip, details: { before: node, after: { ...node, ...changes } } }, ctx.now);
  });
  return (await findOrg(ctx.db.read, node.id))!;
}

export async function editDepartment(ctx: Ctx, code: string, patch: { name?: string | undefined; active?: boolean | undefined; address?: string | null | undefined }): Promise<OrgRow> {
  authorize(ctx.actor, 'org.manage', MINISTRY_NODE);
  return editNode(ctx, await loadDepartment(ctx, code), patch);
}

export async function editPoint(ctx: Ctx, pointId: string, patch: { name?: string | undefined; active?: boolean | undefined; address?: string | null | undefined }): Promise<OrgRow> {
  authorizeScope(ctx.actor, 'org.manage');
  const p = await findOrg(ctx.db.read, pointId);
  if (!p || p.kind !== 'point') throw AppError.notFound('registration point');
  authorize(ctx.actor, 'org.manage', nodeOf(p));
  return editNode(ctx, p, patch);
}

// Loads a registration point and authorizes the actor on it: the first step of every issuance route.
import { AppError } from '../http/errors.ts';
import { authorize, type Action } from '../policy/policy.ts';
import { findOrgUnit, type OrgUnit } from '../org/org.repository.ts';
import type { Ctx } from '../context.ts';

export async function authorizePoint(ctx: Ctx, pointId: string, action: Action): Promise<OrgUnit> {
  const org = await findOrgUnit(ctx.db.read, pointId);
  // an unknown id and an id out of scope answer alike for those who may not see it
  if (!org || org.kind !== 'point') {
    authorize(ctx.actor, action, { type: 'national' });
    throw AppError.notFound('registration point');
  }
  authorize(ctx.actor, action, { type: 'org', orgUnitId: org.id, orgKind: 'point', departmentCode: org.departmentCode });
  return org;
}

// What the policy decides about when the target is an account: a candidate's record, or a staff account.
import type { Resource } from '../policy/policy.ts';
import type { AccountRef } from './users.repository.ts';

export function accountResource(a: AccountRef): Resource | null {
  if (a.role === 'candidate') {
    // a candidate account without a candidate record sits at its point
    const pointId = a.candidate?.pointId ?? a.orgUnitId;
    const departmentCode = a.candidate?.departmentCode ?? a.departmentCode;
    return departmentCode ? { type: 'candidate', userId: a.id, pointId, departmentCode } : null;
  }
  return { type: 'staff', userId: a.id, role: a.role, orgUnitId: a.orgUnitId, orgKind: a.orgKind, departmentCode: a.departmentCode };
}

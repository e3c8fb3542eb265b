// The accounts API's shapes, one zod schema per operation: validation, the OpenAPI document and the
// browser's forms share them. Response schemas are explicit, so no internal column can leak.
import { z } from 'zod';
import { PASSWORD_MAX } from './password-policy.ts';

const roleEnum = z.enum(['ministry_admin', 'department_officer', 'point_officer', 'support_agent', 'candidate']);
export const staffRoleEnum = z.enum(['ministry_admin', 'department_officer', 'point_officer', 'support_agent']);

export const signInBody = z
  .object({
    username: z.string().min(1).max(64).meta({ description: 'CCCD / personal number / passport / system code, or a staff login' }),
    // a sign-in password is only compared, never stored: the cap stops hashing megabytes, not real passwords
    password: z.string().min(1).max(1024),
  })
  .strict();

export const sessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleEnum,
  orgUnitId: z.string(),
  departmentCode: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

export const sessionResponse = z.object({
  user: sessionUser,
  csrfToken: z.string().meta({ description: 'send it as the x-csrf-token header on every write' }),
  expiresAt: z.string(),
  idleMinutes: z.number().int(),
});

export const changePasswordBody = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    // the length rule is checked by the password policy so its message is bilingual and specific;
    // the schema only caps the size of what is hashed
    newPassword: z.string().min(1).max(PASSWORD_MAX * 8),
  })
  .strict();

export const userIdParams = z.object({ userId: z.string().min(1).max(64) }).strict();
export const pointIdParams = z.object({ pointId: z.string().min(1).max(64) }).strict();

export const resetPasswordBody = z
  .object({
    reason: z.string().trim().min(3).max(500).meta({ description: 'why (kept in the audit log): e.g. "thí sinh quên mật khẩu, gọi tổng đài"' }),
  })
  .strict();

export const oneTimePasswordResponse = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  oneTimePassword: z.string().meta({ description: 'shown once; the user must change it at the next sign-in' }),
  sessionsEnded: z.number().int(),
});

export const endSessionsResponse = z.object({ userId: z.string(), sessionsEnded: z.number().int() });

export const staffMember = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: staffRoleEnum,
  orgUnitId: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  status: z.enum(['not_issued', 'active', 'disabled']),
  mustChangePassword: z.boolean(),
  lastSignInAt: z.string().nullable(),
});

export const staffListQuery = z.object({ orgUnitId: z.string().max(64).optional() }).strict();
export const staffListResponse = z.object({ staff: z.array(staffMember) });

export const createStaffBody = z
  .object({
    username: z.string().trim().min(3).max(64).meta({ description: 'lower-case words joined by dots, e.g. "diem.01001.lan"' }),
    displayName: z.string().trim().min(2).max(100),
    role: staffRoleEnum,
    orgUnitId: z.string().min(1).max(64),
  })
  .strict();

export const createStaffResponse = z.object({ staff: staffMember, oneTimePassword: z.string() });

export const auditQuery = z
  .object({
    targetId: z.string().max(64).optional(),
    actorId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    before: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

// The session and account API: signing in and out, the current user, changing one's own password, staff
// accounts, password resets and ending a user's sessions. Shared by the server's routes, the browser and
// the OpenAPI document; the answers are explicit, so no internal column can leak.
import { z } from 'zod';
import { noContent } from './common.ts';
import { operation } from './operation.ts';

/** A new password's length in characters (code points after NFC); the server's policy checks the rest. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const roleEnum = z.enum(['ministry_admin', 'department_officer', 'point_officer', 'support_agent', 'candidate', 'admissions_officer']);
export const staffRoleEnum = z.enum(['ministry_admin', 'department_officer', 'point_officer', 'support_agent', 'admissions_officer']);

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

/** A right password for a staff account that has (or must set up) a second factor: the next step. */
export const secondStepResponse = z.object({
  next: z.enum(['code', 'enrol']).meta({ description: "'code': send a TOTP or recovery code to /api/session/mfa; 'enrol': set up TOTP first" }),
  challenge: z.string().meta({ description: 'a short-lived signed token naming this sign-in; send it back with the next step' }),
  expiresAt: z.string(),
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

const session = ['session'];
const staff = ['staff & accounts'];

export const signIn = operation({ method: 'POST', path: '/api/session', tags: session, summary: 'Sign in (opens a new session; the cookie is rotated), or 202 with the second step a staff account owes', body: signInBody, responses: { 200: sessionResponse, 202: secondStepResponse } });
export const signOut = operation({ method: 'DELETE', path: '/api/session', tags: session, summary: 'Sign out (ends the session on the server; idempotent)', responses: { 204: noContent } });
export const currentSession = operation({ method: 'GET', path: '/api/session/me', tags: session, summary: 'The signed-in user and the CSRF token', responses: { 200: sessionResponse } });
export const changePassword = operation({
  method: 'POST',
  path: '/api/account/password',
  tags: session,
  summary: 'Change one’s own password (ends every session, opens a new one)',
  body: changePasswordBody,
  responses: { 200: sessionResponse },
});

export const listStaff = operation({ method: 'GET', path: '/api/staff', tags: staff, summary: 'Staff accounts this user manages', query: staffListQuery, responses: { 200: staffListResponse } });
export const createStaff = operation({
  method: 'POST',
  path: '/api/staff',
  tags: staff,
  summary: 'Create a staff account one level below (returns its one-time password once)',
  body: createStaffBody,
  responses: { 201: createStaffResponse },
});
export const disableStaff = operation({ method: 'POST', path: '/api/staff/:userId/disable', tags: staff, summary: 'Disable a staff account (ends its sessions)', params: userIdParams, responses: { 200: staffMember } });
export const enableStaff = operation({ method: 'POST', path: '/api/staff/:userId/enable', tags: staff, summary: 'Re-enable a staff account', params: userIdParams, responses: { 200: staffMember } });
export const resetPassword = operation({
  method: 'POST',
  path: '/api/users/:userId/password-reset',
  tags: staff,
  summary: 'Reset a password: a new one-time password, shown once; the reason is kept in the audit log',
  params: userIdParams,
  body: resetPasswordBody,
  responses: { 200: oneTimePasswordResponse },
});
export const endSessions = operation({ method: 'DELETE', path: '/api/users/:userId/sessions', tags: staff, summary: 'End every session of a user', params: userIdParams, responses: { 200: endSessionsResponse } });

// The second factor for staff: the second step of sign-in (a TOTP code or a recovery code), enrolment
// (at sign-in for a role that must have it, or later from the account page), new recovery codes, turning
// it off where the role allows, and the reset by the level above.
import { z } from 'zod';
import { noContent } from './common.ts';
import { operation } from './operation.ts';
import { sessionResponse, userIdParams } from './accounts.ts';

const challenge = z.string().min(1).max(1000);
/** six digits from the authenticator app, or a recovery code like ABCD-EFGH-JKMN */
export const mfaCode = z.string().trim().min(6).max(32).meta({ description: 'a 6-digit TOTP code or a recovery code (XXXX-XXXX-XXXX)' });

export const secondStepBody = z.object({ challenge, code: mfaCode }).strict();
export const challengeBody = z.object({ challenge }).strict();
export const codeBody = z.object({ code: mfaCode }).strict();

export const enrolmentKey = z.object({
  secret: z.string().meta({ description: 'the key in base32, for typing into an app by hand; shown this once' }),
  otpauthUri: z.string(),
  qr: z.object({ size: z.number().int(), path: z.string().meta({ description: 'an SVG path of the QR code, one unit per module' }) }),
});

export const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()).meta({ description: 'shown once; each works once' }) });
export const signedInWithCode = sessionResponse.extend({ recoveryCodesLeft: z.number().int() });
export const enrolledAtSignIn = sessionResponse.extend({ recoveryCodes: z.array(z.string()) });
export const mfaStatusResponse = z.object({ enrolled: z.boolean(), required: z.boolean(), recoveryCodesLeft: z.number().int() });

export const resetMfaBody = z.object({ reason: z.string().trim().min(3).max(500).meta({ description: 'why (kept in the audit log)' }) }).strict();
export const resetMfaResponse = z.object({ userId: z.string(), sessionsEnded: z.number().int() });

const session = ['session'];
const staff = ['staff & accounts'];

export const signInSecondStep = operation({
  method: 'POST',
  path: '/api/session/mfa',
  tags: session,
  summary: 'The second step of a staff sign-in: a TOTP code or a recovery code (opens the session)',
  body: secondStepBody,
  responses: { 200: signedInWithCode },
});
export const startSignInEnrolment = operation({
  method: 'POST',
  path: '/api/session/mfa/enrolment',
  tags: session,
  summary: 'At sign-in, for a role that must have a second factor: a new TOTP key (shown once)',
  body: challengeBody,
  responses: { 200: enrolmentKey },
});
export const confirmSignInEnrolment = operation({
  method: 'POST',
  path: '/api/session/mfa/enrolment/confirm',
  tags: session,
  summary: 'At sign-in: confirm the new key with a code (opens the session; recovery codes shown once)',
  body: secondStepBody,
  responses: { 200: enrolledAtSignIn },
});

export const getMfaStatus = operation({ method: 'GET', path: '/api/account/mfa', tags: session, summary: 'Whether this staff account has a second factor and must have one', responses: { 200: mfaStatusResponse } });
export const startEnrolment = operation({ method: 'POST', path: '/api/account/mfa/enrolment', tags: session, summary: 'A new TOTP key for this account (shown once)', responses: { 200: enrolmentKey } });
export const confirmEnrolment = operation({
  method: 'POST',
  path: '/api/account/mfa/enrolment/confirm',
  tags: session,
  summary: 'Confirm the new key with a code (recovery codes shown once)',
  body: codeBody,
  responses: { 200: recoveryCodes },
});
export const renewRecoveryCodes = operation({
  method: 'POST',
  path: '/api/account/mfa/recovery-codes',
  tags: session,
  summary: 'New recovery codes (the old ones stop working); needs a current code',
  body: codeBody,
  responses: { 200: recoveryCodes },
});
export const turnOffMfa = operation({
  method: 'POST',
  path: '/api/account/mfa/turn-off',
  tags: session,
  summary: 'Turn the second factor off (only for roles that need not have it); needs a current code',
  body: codeBody,
  responses: { 204: noContent },
});
export const resetMfa = operation({
  method: 'POST',
  path: '/api/users/:userId/mfa-reset',
  tags: staff,
  summary: 'The level above removes a staff account’s second factor (lost phone and codes); its sessions end',
  params: userIdParams,
  body: resetMfaBody,
  responses: { 200: resetMfaResponse },
});

// Known devices: the browsers this account signed in from, each kept by a known-device cookie that lets its
// owner past an account-wide sign-in lock. Under /api/session because the cookie is sent only there.
export const knownDevice = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable().meta({ description: "a short summary such as 'Chrome / Windows'" }),
  current: z.boolean().meta({ description: 'the device this browser is' }),
});
export const knownDevicesResponse = z.object({ devices: z.array(knownDevice) });
export const deviceIdParams = z.object({ deviceId: z.string().min(1).max(64) }).strict();

export const listKnownDevices = operation({
  method: 'GET',
  path: '/api/session/devices',
  tags: session,
  summary: 'The known devices of this account still in force, the most recently used first',
  responses: { 200: knownDevicesResponse },
});
export const revokeKnownDevice = operation({
  method: 'DELETE',
  path: '/api/session/devices/:deviceId',
  tags: session,
  summary: 'Revoke one of this account’s known devices: its cookie no longer lets anyone past a sign-in lock',
  params: deviceIdParams,
  responses: { 204: noContent },
});

// The support desk API: find a candidate within the agent's scope, read their card (account state, dossier
// status and history), reset their password, and keep the call log. Shared by the server's routes, the
// browser and the OpenAPI document.
import { z } from 'zod';
import { isoDate } from './common.ts';
import { operation } from './operation.ts';
import { parseDossierCode } from '../domain/dossier-code.ts';

/** What a call was about: a fixed list so the desk's figures can be counted. */
export const CALL_CATEGORIES = ['sign_in', 'password', 'account_not_issued', 'registration_help', 'dossier_status', 'correction_request', 'subjects', 'priority', 'technical', 'other'] as const;
/** How a call ended. */
export const CALL_OUTCOMES = ['answered', 'password_reset', 'referred_to_point', 'referred_to_department', 'callback_needed', 'escalated'] as const;

/** One of `idNumber`, `dossierCode`, or `name` and `dateOfBirth` together. */
export const lookupQuery = z
  .strictObject({
    /** spaces, dots and dashes typed between the digits ("001 208 012345") are dropped */
    idNumber: z
      .string()
      .transform((s) => s.replace(/[\s.-]/g, ''))
      .pipe(z.string().regex(/^[0-9A-Za-z]{6,12}$/))
      .optional(),
    /**
     * the dossier code the candidate reads aloud ("01 26 004213 5", dashes optional): its check digit is
     * checked before any look-up, so a misheard digit is caught at once
     */
    dossierCode: z
      .string()
      .max(30)
      .transform((s, ctx) => {
        const code = parseDossierCode(s);
        if (code === null) ctx.addIssue({ code: 'custom', message: 'not a dossier code (CC-YY-NNNNNN-K) or its check digit is wrong' });
        return code ?? '';
      })
      .optional(),
    /** a full name, with or without diacritics ("nguyen van an") */
    name: z.string().trim().min(2).max(100).optional(),
    dateOfBirth: isoDate.optional(),
  })
  .refine((q) => q.idNumber !== undefined || q.dossierCode !== undefined || (q.name !== undefined && q.dateOfBirth !== undefined), {
    message: 'idNumber, dossierCode, or name and dateOfBirth',
    path: ['idNumber'],
  });

export const lookupResponse = z.object({
  examYear: z.number().int(),
  items: z.array(
    z.object({
      candidateId: z.string(),
      fullName: z.string(),
      dateOfBirth: z.string(),
      /** masked: 0010******45 */
      idNumberMasked: z.string(),
      className: z.string().nullable(),
      pointId: z.string(),
      pointName: z.string(),
      departmentCode: z.string(),
    }),
  ),
  /** more than the page matched: ask for more details */
  truncated: z.boolean(),
});

export const candidateIdParams = z.strictObject({ candidateId: z.string().min(1).max(64) });
export const callIdParams = z.strictObject({ callId: z.string().min(1).max(64) });

const accountState = z.enum(['not_issued', 'active', 'must_change_password', 'disabled']);
const dossierStatus = z.enum(['draft', 'submitted', 'returned', 'verified']);

export const callShape = z.object({
  id: z.string(),
  agentId: z.string(),
  candidateId: z.string().nullable(),
  /** who the call was about, so the list of open calls says it */
  candidateName: z.string().nullable(),
  departmentCode: z.string().nullable(),
  category: z.enum(CALL_CATEGORIES),
  note: z.string(),
  outcome: z.enum(CALL_OUTCOMES),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});

export const candidateCardResponse = z.object({
  candidate: z.object({
    id: z.string(),
    examYear: z.number().int(),
    fullName: z.string(),
    dateOfBirth: z.string(),
    gender: z.enum(['M', 'F']),
    idNumberMasked: z.string(),
    className: z.string().nullable(),
    candidateType: z.enum(['current', 'free']),
    pointId: z.string(),
    pointName: z.string(),
    departmentCode: z.string(),
  }),
  account: z.object({
    userId: z.string(),
    state: accountState,
    status: z.enum(['not_issued', 'active', 'disabled']),
    mustChangePassword: z.boolean(),
    passwordSetAt: z.string().nullable(),
    lastSignInAt: z.string().nullable(),
  }),
  dossier: z
    .object({
      id: z.string(),
      isTrial: z.boolean(),
      status: dossierStatus,
      statusLabel: z.object({ vi: z.string(), en: z.string() }),
      version: z.number().int(),
      channel: z.enum(['online', 'desk']),
      /** the dossier code the candidate reads aloud (null before the first save) */
      code: z.string().nullable(),
      formNumber: z.string().nullable(),
      submittedAt: z.string().nullable(),
      verifiedAt: z.string().nullable(),
      returnedAt: z.string().nullable(),
      returnReason: z.string().nullable(),
      updatedAt: z.string(),
    })
    .nullable(),
  /** the dossier's history, newest first: what happened, not the data itself */
  history: z.array(
    z.object({
      at: z.string(),
      event: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string().nullable(),
      actorRole: z.string().nullable(),
      sections: z.array(z.string()),
      reason: z.string().nullable(),
    }),
  ),
  /** the latest calls about this candidate, newest first */
  calls: z.array(callShape),
});

export const supportResetBody = z.strictObject({
  reason: z.string().trim().min(3).max(500).meta({ description: 'why (kept in the audit log), e.g. "thí sinh quên mật khẩu, đã xác minh ngày sinh"' }),
});
export const supportResetResponse = z.object({
  userId: z.string(),
  oneTimePassword: z.string().meta({ description: 'shown once; the candidate must change it at the next sign-in' }),
  sessionsEnded: z.number().int(),
});

export const logCallBody = z.strictObject({
  candidateId: z.string().min(1).max(64).optional(),
  category: z.enum(CALL_CATEGORIES),
  note: z.string().max(2000).default(''),
  outcome: z.enum(CALL_OUTCOMES),
  status: z.enum(['open', 'closed']).default('open'),
});

export const listCallsQuery = z.strictObject({
  status: z.enum(['open', 'closed']).default('open'),
  candidateId: z.string().min(1).max(64).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const listCallsResponse = z.object({ items: z.array(callShape), nextCursor: z.string().nullable() });

export const closeCallBody = z
  .strictObject({
    outcome: z.enum(CALL_OUTCOMES).optional(),
    /** appended to the call's note */
    note: z.string().max(2000).optional(),
  })
  .nullish();

export type CallCategory = (typeof CALL_CATEGORIES)[number];
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

const tags = ['support'];

export const lookupCandidates = operation({
  method: 'POST',
  path: '/api/support/candidates/search',
  tags,
  summary: 'Find a candidate by personal number, by dossier code, or by full name and date of birth (audited); sent in the body, never in the address',
  body: lookupQuery,
  responses: { 200: lookupResponse },
});
export const viewCandidate = operation({
  method: 'GET',
  path: '/api/support/candidates/:candidateId',
  tags,
  summary: "A candidate's account state, dossier status and history (read-only, audited)",
  params: candidateIdParams,
  responses: { 200: candidateCardResponse },
});
export const resetCandidatePassword = operation({
  method: 'POST',
  path: '/api/support/candidates/:candidateId/password-reset',
  tags,
  summary: "Reset the candidate's password (a one-time password, shown once; refused for a disabled account)",
  params: candidateIdParams,
  body: supportResetBody,
  responses: { 200: supportResetResponse },
});
export const logCall = operation({ method: 'POST', path: '/api/support/calls', tags, summary: 'Log a call', body: logCallBody, responses: { 201: callShape } });
export const listCalls = operation({
  method: 'GET',
  path: '/api/support/calls',
  tags,
  summary: 'Calls within the desk’s scope, newest first (open ones by default)',
  query: listCallsQuery,
  responses: { 200: listCallsResponse },
});
export const closeCall = operation({ method: 'POST', path: '/api/support/calls/:callId/close', tags, summary: 'Close an open call', params: callIdParams, body: closeCallBody, responses: { 200: callShape } });

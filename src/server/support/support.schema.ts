// Request and response shapes of the support desk API (shared with the browser through OpenAPI).
import { z } from 'zod';

/** What a call was about: a fixed list so the desk's figures can be counted. */
export const CALL_CATEGORIES = ['sign_in', 'password', 'account_not_issued', 'registration_help', 'dossier_status', 'correction_request', 'subjects', 'priority', 'technical', 'other'] as const;
/** How a call ended. */
export const CALL_OUTCOMES = ['answered', 'password_reset', 'referred_to_point', 'referred_to_department', 'callback_needed', 'escalated'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Either `idNumber`, or `name` and `dateOfBirth` together. */
export const lookupQuery = z
  .strictObject({
    idNumber: z.string().trim().regex(/^[0-9A-Za-z]{6,12}$/).optional(),
    /** a full name, with or without diacritics ("nguyen van an") */
    name: z.string().trim().min(2).max(100).optional(),
    dateOfBirth: isoDate.optional(),
  })
  .refine((q) => q.idNumber !== undefined || (q.name !== undefined && q.dateOfBirth !== undefined), {
    message: 'idNumber, or name and dateOfBirth',
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

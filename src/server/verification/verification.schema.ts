// Request and response shapes of the verification API (shared with the browser through OpenAPI).
import { z } from 'zod';

/** A whole class list of a large point fits in one page; 10^6 is refused (400), not silently cut. */
export const MAX_PAGE = 1000;

const FLAGS = ['cccd_mismatch', 'photo_missing', 'exemption', 'priority'] as const;

export const queueQuery = z.strictObject({
  pointId: z.string().min(1).max(64).optional(),
  departmentCode: z.string().regex(/^\d{2}$/).optional(),
  status: z.enum(['not_started', 'draft', 'submitted', 'returned', 'verified']).optional(),
  className: z.string().min(1).max(32).optional(),
  subject: z.string().regex(/^[A-Z]{2,6}$/).optional(),
  combination: z.string().regex(/^[A-Z+]{2,40}$/).optional(),
  purpose: z.enum(['graduation', 'admission', 'both']).optional(),
  /** comma-separated: cccd_mismatch,photo_missing,exemption,priority */
  flags: z
    .string()
    .max(100)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(FLAGS)))
    .optional(),
  /** a name without diacritics ("nguyen van an") or a personal number (all or its first digits) */
  q: z.string().max(100).optional(),
  cursor: z.string().max(1200).optional(),
  /** at most 200; more is a 400 */
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
});

const dossierSummary = z.object({
  id: z.string(),
  status: z.enum(['draft', 'submitted', 'returned', 'verified']),
  version: z.number().int(),
  channel: z.enum(['online', 'desk']),
  formNumber: z.string().nullable(),
  purpose: z.string().nullable(),
  subjectsCombo: z.string().nullable(),
  flags: z.object({ cccdMismatch: z.boolean(), photoMissing: z.boolean(), exemptionClaimed: z.boolean(), priorityClaimed: z.boolean() }),
  submittedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  errorsCount: z.number().int(),
});

export const queueResponse = z.object({
  examYear: z.number().int(),
  items: z.array(
    z.object({
      candidateId: z.string(),
      pointId: z.string(),
      departmentCode: z.string(),
      fullName: z.string(),
      dateOfBirth: z.string(),
      gender: z.enum(['M', 'F']),
      className: z.string().nullable(),
      idNumber: z.string(),
      candidateType: z.enum(['current', 'free']),
      dossier: dossierSummary.nullable(),
    }),
  ),
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: z.string().nullable(),
});

export const dossierIdParams = z.strictObject({ dossierId: z.string().min(1).max(64) });
export const pointIdParams = z.strictObject({ pointId: z.string().min(1).max(64) });

/** `version` may come in the body or as If-Match. */
export const verifyBody = z.strictObject({ version: z.number().int().min(1).optional() }).nullish();
export const bulkVerifyBody = z.strictObject({
  items: z.array(z.strictObject({ dossierId: z.string().min(1).max(64), version: z.number().int().min(1) })).min(1).max(200),
});
export const returnBody = z.strictObject({ version: z.number().int().min(1).optional(), reason: z.string().min(1).max(2000) });
export const correctBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  reason: z.string().min(1).max(2000),
  personal: z.unknown().optional(),
  contact: z.unknown().optional(),
  residence: z.unknown().optional(),
  priority: z.unknown().optional(),
});

export const statusResponse = z.object({ dossierId: z.string(), status: z.enum(['draft', 'submitted', 'returned', 'verified']), version: z.number().int() });
export const bulkResponse = z.object({
  results: z.array(
    z.object({
      ok: z.boolean(),
      dossierId: z.string(),
      status: z.union([z.enum(['draft', 'submitted', 'returned', 'verified']), z.number().int()]).optional(),
      version: z.number().int().optional(),
      code: z.string().optional(),
      vi: z.string().optional(),
      en: z.string().optional(),
      currentVersion: z.number().int().optional(),
    }),
  ),
});
export const formNumbersResponse = z.object({ assigned: z.number().int(), first: z.string().nullable(), last: z.string().nullable() });

// The population database link as the rest of the app sees it: one method to verify an identity and one
// to give the sector's data back. Implemented over HTTP in http-client.ts; a test or another transport can
// stand in for it.
import { z } from 'zod';

export const identityToVerify = z.object({
  personalNumber: z.string().regex(/^\d{12}$/),
  fullName: z.string().min(1).max(100),
  /** YYYY-MM-DD, or YYYY when only the year is known */
  dateOfBirth: z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/),
});
export type IdentityToVerify = z.infer<typeof identityToVerify>;

export const identityCheckResult = z.object({
  outcome: z.enum(['match', 'mismatch', 'not_found']),
  /** each field that differs, with what was sent and what the database holds */
  mismatches: z.array(z.object({ field: z.enum(['fullName', 'dateOfBirth']), sent: z.string(), registered: z.string() })),
  permanentResidence: z.object({ provinceCode: z.string(), communeCode: z.string() }).nullable(),
  /** when the database answered (UTC ISO) */
  checkedAt: z.string(),
});
export type IdentityCheckResult = z.infer<typeof identityCheckResult>;

export const educationRecord = z.object({
  personalNumber: z.string().regex(/^\d{12}$/),
  /** e.g. '2025-2026' */
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/),
  examYear: z.number().int(),
  dossierCode: z.string().min(1).max(40),
  point: z.object({ code: z.string(), name: z.string() }),
  candidateType: z.enum(['current', 'free']),
  school: z.object({ provinceCode: z.string(), schoolCode: z.string(), name: z.string(), className: z.string().nullable() }).nullable(),
  /** increases with every change of what is given back; the database keeps the newest */
  version: z.number().int().min(1),
});
export type EducationRecord = z.infer<typeof educationRecord>;

export interface DeliveryResult {
  outcome: 'applied' | 'duplicate' | 'stale';
  currentVersion: number;
}

export interface PopulationLink {
  verify(input: IdentityToVerify): Promise<IdentityCheckResult>;
  giveBack(record: EducationRecord): Promise<DeliveryResult>;
}

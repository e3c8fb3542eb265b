// The ministry's admission settings of a year (issue 23): the wish window (closing 17:00 local), the wish
// cap, the teacher-training positions, the combination floor, the fee per wish and the payment groups by
// province, as the form edits them (local days). Shared by the server's routes, the browser's form and the
// OpenAPI document; the rules the values must keep are src/domain/admission-settings.ts.
import { z } from 'zod';
import { operation } from './operation.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date, YYYY-MM-DD' });
const days = z.object({ from: day, to: day });

export const paymentGroupSettings = z.object({
  code: z.string().trim().max(16),
  name: z.string().trim().max(200),
  provinceCodes: z.array(z.string().trim().max(8)).max(100),
  from: day,
  to: day,
});

export const admissionSettingsSchema = z.object({
  wishCap: z.number().int().nullable(),
  teacherTrainingMaxPosition: z.number().int().nullable(),
  combinationFloor: z.number().nullable(),
  window: days,
  feePerWishVnd: z.number().int(),
  paymentGroups: z.array(paymentGroupSettings).max(100),
  /** the last day (closing 17:00 local) to confirm enrolment; null: none; absent: left as it is */
  enrolmentDeadline: day.nullable().optional(),
});

export const settingsParams = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const saveSettingsBody = admissionSettingsSchema.extend({
  /** required when the year already has settings: kept in the audit log with the before and after */
  reason: z.string().max(500).optional(),
});

const findingSchema = z.object({ code: z.string(), field: z.string(), severity: z.enum(['error', 'warning']), vi: z.string(), en: z.string() });
export const settingsResponse = z.object({
  year: z.number().int(),
  /** null: the year has no admission settings yet (the form starts from the suggested ones) */
  settings: admissionSettingsSchema.nullable(),
  suggested: admissionSettingsSchema,
  /** the codes a payment group may list, with names: today's provinces and the exam departments */
  provinces: z.array(z.object({ code: z.string(), name: z.string() })),
  /** warnings the saved settings still carry (e.g. a province in no group) */
  warnings: z.array(findingSchema),
  updatedAt: z.string().nullable(),
});

const tags = ['admission'] as const;
export const getAdmissionSettings = operation({
  method: 'GET',
  path: '/api/admission/years/:year/settings',
  summary: "The year's admission settings (ministry)",
  tags,
  params: settingsParams,
  responses: { 200: settingsResponse },
});
export const saveAdmissionSettings = operation({
  method: 'PUT',
  path: '/api/admission/years/:year/settings',
  summary: "Save the year's admission settings: checked by the domain's rules, a change with a reason, audited with the before and after (ministry)",
  tags,
  params: settingsParams,
  body: saveSettingsBody,
  responses: { 200: settingsResponse },
});

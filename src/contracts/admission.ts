// University admission registration (issue 23): the year's admission configuration (exam_years.rules
// under `admission`) and the API shapes of the programme catalogue and the candidates' wishes, shared by
// the server's routes, the browser and the OpenAPI document.
import { z } from 'zod';
import { AdmissionRulesSchema } from '../domain/admission-score.ts';

const instant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'an ISO-8601 instant with its offset, e.g. 2026-07-28T17:00:00+07:00',
});
const provinceCode = z.string().regex(/^\d{2}$/);

/** A group of provinces paying their wishes' fees in their own window (2025: staggered by province). */
export const PaymentGroupSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/),
  name: z.string().trim().min(1).max(200),
  provinceCodes: z.array(provinceCode).min(1),
  opensAt: instant,
  closesAt: instant,
});
export type PaymentGroup = z.infer<typeof PaymentGroupSchema>;

/**
 * `rules.admission` of an exam year: the domain's rules (wish cap, teacher-training positions, combination
 * floor) plus the registration window (closing at 17:00 Asia/Ho_Chi_Minh, as the dossier's), the fee per
 * wish, the payment groups and the enrolment deadline.
 */
export const AdmissionConfigSchema = AdmissionRulesSchema.extend({
  window: z.object({ opensAt: instant, closesAt: instant }).refine((w) => Date.parse(w.opensAt) < Date.parse(w.closesAt), {
    message: 'the window must open before it closes',
    path: ['closesAt'],
  }),
  /** 2025: 15,000 VND a wish */
  feePerWishVnd: z.number().int().min(0).max(10_000_000),
  paymentGroups: z.array(PaymentGroupSchema).max(100).default([]),
  enrolmentDeadline: instant.nullable().optional(),
});
export type AdmissionConfig = z.infer<typeof AdmissionConfigSchema>;

/** The year's admission configuration, or null when the year has none (or an unreadable one). */
export function admissionConfigOf(rules: Record<string, unknown> | string | null | undefined): AdmissionConfig | null {
  let r: unknown = rules;
  if (typeof r === 'string') {
    try {
      r = JSON.parse(r);
    } catch {
      return null;
    }
  }
  if (!r || typeof r !== 'object') return null;
  const parsed = AdmissionConfigSchema.safeParse((r as Record<string, unknown>)['admission']);
  return parsed.success ? parsed.data : null;
}

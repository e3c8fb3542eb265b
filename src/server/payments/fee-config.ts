// The part of the year's admission configuration (exam_years.rules.admission, notes/admission-schema.md)
// the fees need: the fee per wish and the payment groups. Read here on its own, so a payment never depends
// on the rest of the admission settings being readable.
import { z } from 'zod';
import type { PaymentGroup } from '../../domain/admission-fees.ts';

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'an ISO-8601 instant' });
const schema = z.object({
  feePerWishVnd: z.number().int().min(0).max(10_000_000),
  paymentGroups: z
    .array(z.object({ code: z.string().min(1).max(16), name: z.string().min(1).max(200), provinceCodes: z.array(z.string().regex(/^\d{2}$/)).min(1), opensAt: instant, closesAt: instant }))
    .max(100)
    .default([]),
});

export interface FeeConfig {
  feePerWishVnd: number;
  paymentGroups: PaymentGroup[];
}

/** The year's fee configuration, or null when the year has none (or an unreadable one). */
export function feeConfigOf(rules: Record<string, unknown> | string | null | undefined): FeeConfig | null {
  let r: unknown = rules;
  if (typeof r === 'string') {
    try {
      r = JSON.parse(r);
    } catch {
      return null;
    }
  }
  if (!r || typeof r !== 'object') return null;
  const parsed = schema.safeParse((r as Record<string, unknown>)['admission']);
  return parsed.success ? parsed.data : null;
}

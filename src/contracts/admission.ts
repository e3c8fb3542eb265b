// University admission registration (issue 23): the year's admission configuration (exam_years.rules
// under `admission`) and the API shapes of the programme catalogue and the candidates' wishes, shared by
// the server's routes, the browser and the OpenAPI document.
import { z } from 'zod';
import { AdmissionRulesSchema, CombinationSchema } from '../domain/admission-score.ts';
import { PriorityTableSchema } from '../domain/priority-object.ts';
import { operation } from './operation.ts';

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

// ---- The API ----
const tags = ['admission'] as const;

export const programmeSearchQuery = z.strictObject({
  /** name or code, diacritics optional */
  q: z.string().trim().min(2).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const programmeShape = z.object({
  id: z.string(),
  institutionCode: z.string(),
  code: z.string(),
  method: z.string(),
  name: z.string(),
  combinations: z.array(z.object({ code: z.string(), weights: z.record(z.string(), z.number()).optional() })),
  scoring: z.enum(['sum', 'weighted-30']),
  quota: z.number().int(),
  minScore: z.number().nullable(),
  teacherTraining: z.boolean(),
});
export const programmeSearchResponse = z.object({ items: z.array(programmeShape), truncated: z.boolean() });

const findingShape = z.object({ code: z.string(), field: z.string(), severity: z.enum(['error', 'warning']), vi: z.string(), en: z.string() });

export const wishShape = z.object({
  position: z.number().int(),
  programme: programmeShape,
  combination: z.string(),
  feeStatus: z.enum(['unpaid', 'pending', 'paid', 'refunded']),
  /** 'eligible' | 'ineligible' (with reasons) | 'no_results' (chưa có điểm: kept, checked when results exist) */
  eligibility: z.enum(['eligible', 'ineligible', 'no_results']),
  score: z.number().nullable(),
  reasons: z.array(findingShape),
});

export const wishListResponse = z.object({
  examYear: z.number().int(),
  version: z.number().int(),
  window: z.object({ opensAt: z.string(), closesAt: z.string(), state: z.enum(['not_open', 'open', 'closed']) }),
  wishCap: z.number().int().nullable(),
  teacherTrainingMaxPosition: z.number().int().nullable(),
  feePerWishVnd: z.number().int(),
  frozen: z.boolean(),
  wishes: z.array(wishShape),
  /**
   * what each wish's eligibility is computed from (wishEligibility in src/domain/admission-wishes.ts), so
   * the page checks a wish as soon as it is added or moved; the server's answer after a save decides
   */
  eligibilityInput: z.object({
    rules: AdmissionRulesSchema,
    /** the candidate's own published scores by subject (null: not sat); null while none are published */
    exam: z.object({ scores: z.record(z.string(), z.number().nullable()), foreignLanguage: z.string().optional() }).nullable(),
    combinations: z.array(CombinationSchema),
    priority: PriorityTableSchema.nullable(),
    standing: z.object({ area: z.enum(['KV1', 'KV2-NT', 'KV2', 'KV3']).nullable(), objects: z.array(z.string()).optional(), graduationYear: z.number().int() }),
    admissionYear: z.number().int(),
  }),
});

export const saveWishesBody = z.strictObject({
  /** in order: the first is wish 1 */
  wishes: z.array(z.strictObject({ programmeId: z.string().min(1).max(64), combination: z.string().regex(/^[A-Z0-9]{3}$/).optional() })).max(100),
});

export const institutionParams = z.strictObject({ institutionId: z.string().min(1).max(64) });
export const institutionCountsResponse = z.object({
  examYear: z.number().int(),
  institutionId: z.string(),
  /** the year's wish cap (the positions a table shows); null: unlimited, the highest position counted */
  positions: z.number().int(),
  /** candidates with at least one wish here, and those of them with a wish here whose fee is paid */
  totals: z.object({ wishes: z.number().int(), paidWishes: z.number().int(), candidates: z.number().int(), paidCandidates: z.number().int() }),
  programmes: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      method: z.string(),
      name: z.string(),
      quota: z.number().int(),
      wishes: z.number().int(),
      /** wishes whose fee is paid (the rest are unpaid or waiting for the gateway) */
      paidWishes: z.number().int(),
      byPosition: z.record(z.string(), z.number().int()),
    }),
  ),
});

const groupTotals = z.object({
  code: z.string(),
  name: z.string(),
  windowState: z.enum(['not_open', 'open', 'closed']),
  candidates: z.number().int(),
  wishes: z.number().int(),
  paidWishes: z.number().int(),
  /** the fees of its paid orders (the payments page's own figure) */
  collectedVnd: z.number().int(),
  /** the fees of its wishes not paid yet */
  dueVnd: z.number().int(),
});

export const nationalTotalsResponse = z.object({
  examYear: z.number().int(),
  feePerWishVnd: z.number().int(),
  /** candidates with at least one wish */
  candidates: z.number().int(),
  wishes: z.number().int(),
  paidWishes: z.number().int(),
  byPosition: z.array(z.object({ position: z.number().int(), wishes: z.number().int() })),
  collectedVnd: z.number().int(),
  dueVnd: z.number().int(),
  groups: z.array(groupTotals),
  /** candidates whose province is in no payment group (a configuration to fix) */
  ungrouped: z.object({ candidates: z.number().int(), wishes: z.number().int(), dueVnd: z.number().int() }),
});

export const searchProgrammes = operation({ method: 'GET', path: '/api/admission/programmes', summary: 'Find published programmes by name or code (diacritics optional)', tags, query: programmeSearchQuery, responses: { 200: programmeSearchResponse } });
export const getOwnWishes = operation({ method: 'GET', path: '/api/admission/wishes', summary: 'My admission wishes, each with its eligibility; the ETag is the version a save names', tags, responses: { 200: wishListResponse } });
export const saveOwnWishes = operation({
  method: 'PUT',
  path: '/api/admission/wishes',
  summary: 'Save my wish list in order (If-Match: the version read; 412 when stale); only in the window, never once frozen',
  tags,
  body: saveWishesBody,
  responses: { 200: wishListResponse },
});
export const institutionCounts = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/counts',
  summary: "An institution's live count of wishes by programme and position, paid and not (ETag: If-None-Match answers 304 while nothing changed)",
  tags,
  params: institutionParams,
  responses: { 200: institutionCountsResponse },
});
export const nationalTotals = operation({
  method: 'GET',
  path: '/api/admission/totals',
  summary: 'The national totals of admission registration: candidates with a wish, wishes by position, fees collected and due per payment group (ministry)',
  tags,
  responses: { 200: nationalTotalsResponse },
});

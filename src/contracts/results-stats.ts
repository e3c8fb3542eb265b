// The published results as the ministry reports them (issue 22, item 7): each paper's score distribution
// (phổ điểm: counts per 0.25 band, mean, median, mode, the eliminating-mark count and thresholds),
// graduation rates by candidate type, per province and for the nation, and the score reviews' counts.
// Figures come from the councils' publications, counted once when each publishes.
import { z } from 'zod';
import { operation } from './operation.ts';

export const resultsStatsQuery = z.strictObject({
  level: z.enum(['national', 'department']),
  /** the department's code ('01'); not for national */
  unit: z.string().regex(/^\d{2}$/).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const paperStats = z.object({
  /** the subject's code (TOAN, VAN, LI …) */
  subject: z.string(),
  /** candidates with a score */
  count: z.number().int(),
  absent: z.number().int(),
  suspended: z.number().int(),
  /** 41 counts: bands[i] holds the scores from i × 0.25 up to (not including) the next band; the last is 10 */
  bands: z.array(z.number().int()),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  /** the score most candidates got (every one when tied) */
  modes: z.array(z.number()),
  /** ≤ 1.0 (điểm liệt) */
  atOrBelow1: z.number().int(),
  below5: z.number().int(),
  atLeast5: z.number().int(),
  atLeast8: z.number().int(),
  tens: z.number().int(),
});

export const graduationStats = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  /** results still waiting on data (school averages) */
  incomplete: z.number().int(),
  /** sat for admission only */
  notApplicable: z.number().int(),
  /** a percentage with two decimals over passed + failed; null before any */
  rate: z.number().nullable(),
});

export const resultsStatsResponse = z.object({
  examYear: z.number().int(),
  level: z.enum(['national', 'department']),
  /** '' for the nation */
  unit: z.string(),
  unitName: z.string(),
  /** councils counted, each at its published version */
  councils: z.array(z.object({ departmentCode: z.string(), version: z.number().int(), computedAt: z.string() })),
  papers: z.array(paperStats),
  graduation: z.object({
    total: graduationStats,
    /** 'current' (in school) and 'free' (thí sinh tự do) */
    byCandidateType: z.record(z.string(), graduationStats),
  }),
  /** the nation only: every province by name, those not yet published at zero */
  provinces: z.array(
    z.object({
      unit: z.string(),
      code: z.string(),
      name: z.string(),
      /** the published version counted, null before the first publication */
      version: z.number().int().nullable(),
      graduation: graduationStats,
      /** mean score per paper */
      means: z.record(z.string(), z.number().nullable()),
    }),
  ),
  /** null until the score review feature records requests ("not yet") */
  reviews: z
    .object({
      requested: z.number().int(),
      decided: z.number().int(),
      changed: z.number().int(),
      bySubject: z.record(z.string(), z.object({ requested: z.number().int(), changed: z.number().int() })),
    })
    .nullable(),
});

export const resultsStats = operation({
  method: 'GET',
  path: '/api/stats/results',
  tags: ['stats'],
  summary: 'The published results: score distributions per paper, graduation rates by candidate type and province, score reviews',
  query: resultsStatsQuery,
  responses: { 200: resultsStatsResponse },
});

// Statistics for dashboards: one unit's counters shaped for charts, and its children's key figures.
import { z } from 'zod';
import { operation } from './operation.ts';

export const statsLevel = z.enum(['national', 'department', 'point']);

export const summaryQuery = z.strictObject({
  level: statsLevel,
  /** department code ('01') or point id ('org-01001'); not for national */
  unit: z.string().min(1).max(64).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const breakdownQuery = z.strictObject({ level: z.enum(['national', 'department']), unit: z.string().min(1).max(64).optional() });

const counts = z.record(z.string(), z.number());

export const summaryResponse = z.object({
  examYear: z.number().int(),
  level: statsLevel,
  /** '' for the nation */
  unit: z.string(),
  /** the department's or the point's name ('' for the nation) */
  unitName: z.string(),
  /** a point's department (for the way back up), null above */
  parent: z.object({ unit: z.string(), name: z.string() }).nullable(),
  accounts: z.object({ total: z.number(), issued: z.number(), signedIn: z.number() }),
  dossiers: z.object({ total: z.number(), draft: z.number(), submitted: z.number(), returned: z.number(), verified: z.number() }),
  /** onlineShare: a percentage with two decimals, null before the first registration */
  registered: z.object({ total: z.number(), online: z.number(), desk: z.number(), onlineShare: z.number().nullable() }),
  byPurpose: counts,
  byCombination: counts,
  bySubject: counts,
  byCandidateType: counts,
  priorityClaimed: z.number(),
  exemptionClaimed: z.number(),
  /** the trial window's dossiers (wiped when it ends) */
  trial: z.object({ dossiers: z.number(), registered: z.number() }),
  /** registrations per hour of Vietnam's time ('2026-04-15T17'), oldest first */
  perHour: z.array(z.object({ hour: z.string(), count: z.number() })),
});

export const breakdownResponse = z.object({
  examYear: z.number().int(),
  /** one row per child unit: departments of the nation, or points of a department */
  items: z.array(
    z.object({
      /** what to ask the summary for: the department's code, or the point's id */
      unit: z.string(),
      /** the department's or the point's code, as people know it */
      code: z.string(),
      name: z.string(),
      accountsIssued: z.number(),
      signedIn: z.number(),
      dossiers: z.number(),
      registered: z.number(),
      online: z.number(),
      verified: z.number(),
      returned: z.number(),
      /** candidates listed (accounts made, issued or not) */
      candidates: z.number(),
      /**
       * a department's province since the merger of 1 July 2025 (the list candidates choose from), null
       * for a point or a department outside it (65, the Ministry of Defence's schools)
       */
      province: z.object({ code: z.string(), name: z.string() }).nullable(),
    }),
  ),
});

const tags = ['stats'];

export const statsSummary = operation({ method: 'GET', path: '/api/stats/summary', tags, summary: "A unit's counters: accounts, dossiers by status, registrations by channel, purpose, subject and hour", query: summaryQuery, responses: { 200: summaryResponse } });
export const statsBreakdown = operation({ method: 'GET', path: '/api/stats/breakdown', tags, summary: "The key figures of a unit's children (departments of the nation, points of a department)", query: breakdownQuery, responses: { 200: breakdownResponse } });

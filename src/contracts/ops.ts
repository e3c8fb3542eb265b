// The ministry's operations page: live traffic and load of the process that answers, as one snapshot.
import { z } from 'zod';
import { operation } from './operation.ts';

/** The groups a route is counted under on the page (src/server/observability/ops-snapshot.ts maps routes to them). */
export const ROUTE_GROUP_NAMES = ['session', 'candidate', 'verification', 'accounts', 'stats', 'support', 'exports', 'admin', 'monitoring', 'static', 'other'] as const;
export const routeGroup = z.enum(ROUTE_GROUP_NAMES);

export const statusClassRates = z.object({ '2xx': z.number(), '3xx': z.number(), '4xx': z.number(), '5xx': z.number() });
const signIns = z.object({ success: z.number(), failure: z.number(), throttled: z.number() });

/** The rates, latency percentiles and counts between two readings of the registry. */
export const opsWindow = z.object({
  at: z.string(),
  seconds: z.number(),
  requestsPerSecond: z.number(),
  byClass: statusClassRates,
  byGroup: z.array(z.object({ group: routeGroup, requestsPerSecond: z.number(), byClass: statusClassRates, p50Ms: z.number().nullable(), p99Ms: z.number().nullable() })),
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  shedPerSecond: z.number(),
  shedByReason: z.record(z.string(), z.number()),
  signIns,
  meanBatchSize: z.number().nullable(),
  eventLoopP99Ms: z.number().nullable(),
});

export const opsSnapshot = z.object({
  at: z.string(),
  uptimeSeconds: z.number(),
  /** the figures are this process's (each process keeps its own registry) */
  pid: z.number(),
  sampleSeconds: z.number(),
  /** from the newest reading at least one sampling interval old (or the first one) to now */
  current: opsWindow,
  gauges: z.object({
    writeQueueDepth: z.number(),
    lastBatchSize: z.number(),
    pool: z.object({ total: z.number(), idle: z.number(), waiting: z.number() }),
    outbox: z.object({ pending: z.number(), dead: z.number() }).nullable(),
    dossiers: z.object({ examYear: z.number(), draft: z.number(), submitted: z.number(), returned: z.number(), verified: z.number() }).nullable(),
  }),
  totals: z.object({ requests: z.number(), byClass: statusClassRates, shed: z.number(), signIns }),
  /** one entry per sampling interval, oldest first: the last few minutes */
  history: z.array(opsWindow.pick({ at: true, requestsPerSecond: true, byClass: true, p50Ms: true, p99Ms: true, shedPerSecond: true, eventLoopP99Ms: true }).extend({ writeQueueDepth: z.number() })),
});

export const getOpsSnapshot = operation({
  method: 'GET',
  path: '/api/ops/snapshot',
  tags: ['operations'],
  summary: 'Live traffic and load of the process answering: rates, latency, queues, the last few minutes',
  responses: { 200: opsSnapshot },
});

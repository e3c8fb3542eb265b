// The national links as staff see them: each link's state for the operations page (up, slow, down, breaker
// open, backlog, last success), and the identity flags a point resolves (a dossier the population database
// disagrees with: the field and both values), by correcting the dossier or confirming the card with a note.
import { z } from 'zod';
import { operation } from './operation.ts';

export const LINK_NAMES = ['vneid', 'population', 'portal'] as const;

export const linkStatus = z.object({
  link: z.enum(LINK_NAMES),
  configured: z.boolean(),
  /** unknown: no call yet since the process started */
  state: z.enum(['up', 'slow', 'down', 'breaker_open', 'unknown']),
  breaker: z.object({ state: z.enum(['closed', 'open', 'half_open']), consecutiveFailures: z.number().int(), reopensAt: z.string().nullable(), opened: z.number().int() }),
  calls: z.object({ successes: z.number().int(), failures: z.number().int(), rejected: z.number().int() }),
  lastSuccessAt: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  /** a short, personal-data-free description ("timeout after 5000 ms", "HTTP 503") */
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().nullable(),
  /** jobs waiting for this link (null for a link without jobs: VNeID) */
  backlog: z.number().int().nullable(),
});
export const linkStatusesResponse = z.object({ links: z.array(linkStatus) });

export const getLinkStatuses = operation({
  method: 'GET',
  path: '/api/ops/links',
  tags: ['operations'],
  summary: 'Each national link’s state (up, slow, down, breaker open), backlog, last success and last error, as this process saw them',
  responses: { 200: linkStatusesResponse },
});

export const FLAG_STATUSES = ['open', 'corrected', 'confirmed', 'cleared', 'superseded'] as const;

export const identityFlag = z.object({
  id: z.string(),
  candidateId: z.string(),
  dossierId: z.string().nullable(),
  dossierCode: z.string().nullable(),
  /** the dossier's current version (for a correction's If-Match) */
  dossierVersion: z.number().int().nullable(),
  fullName: z.string(),
  idNumber: z.string(),
  /** mismatch: a field differs; not_found: the database has no such personal number */
  outcome: z.enum(['mismatch', 'not_found']),
  mismatches: z.array(z.object({ field: z.enum(['fullName', 'dateOfBirth']), sent: z.string(), registered: z.string() })),
  status: z.enum(FLAG_STATUSES),
  note: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const listIdentityFlags = operation({
  method: 'GET',
  path: '/api/points/:pointId/identity-flags',
  tags: ['verification'],
  summary: 'The point’s dossiers the population database disagrees with (open ones by default)',
  params: z.object({ pointId: z.string().min(1) }),
  query: z.object({ status: z.enum([...FLAG_STATUSES, 'all']).default('open') }),
  responses: { 200: z.object({ items: z.array(identityFlag) }) },
});

const note = z.string().trim().min(1, 'Ghi chú là bắt buộc / a note is required').max(1000);

export const resolveFlagBody = z.discriminatedUnion('action', [
  /** the card was seen and the register is wrong (or the person is not yet in it): keep the dossier as it is */
  z.strictObject({ action: z.literal('confirm'), note }),
  /** the dossier is wrong: correct it (the dossier module's correction, with this note as its reason) */
  z.strictObject({
    action: z.literal('correct'),
    note,
    ifMatch: z.number().int().min(1),
    personal: z.strictObject({ fullName: z.string().trim().min(1).max(200).optional(), dateOfBirth: z.string().trim().min(4).max(32).optional() }),
  }),
]);

export const resolveIdentityFlag = operation({
  method: 'POST',
  path: '/api/identity-flags/:flagId/resolve',
  tags: ['verification'],
  summary: 'The point resolves a flag: corrects the dossier, or confirms the card with a note (audited)',
  params: z.object({ flagId: z.string().min(1) }),
  body: resolveFlagBody,
  responses: { 200: z.object({ flag: identityFlag, dossierVersion: z.number().int().nullable() }) },
});

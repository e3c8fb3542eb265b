// The national links' jobs, declared as data: each kind with its payload schema and its handler
// `async (ctx, payload) => void`. A handler throws when the call should be tried again later (the link
// timed out, dropped the connection, answered 5xx, or its breaker is open) and returns normally on
// success or on a permanent outcome it has recorded (the link refused this message for good). The job
// queue registers these (see the report on issue 21 for the kinds); nothing here is queued from a request.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../db/create-db.ts';
import { maskId } from '../logger.ts';
import { LinkError } from './http-link.ts';
import { insertIdentityCheck, recordGiveBack, recordPortalDossier, recordPortalProgress } from './integrations.repository.ts';
import { educationRecord, identityToVerify, type PopulationLink } from './population/population.ts';
import { portalDossier, portalProgress, type PortalLink } from './portal/portal.ts';

export interface JobCtx {
  db: Db;
  now: Date;
  log: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

export const populationVerifyPayload = z.object({
  candidateId: z.string().min(1),
  dossierId: z.string().nullable(),
  /** why the check was asked for: a class-list import, a submitted or corrected dossier, a yearly re-check */
  reason: z.enum(['class_import', 'submitted', 'corrected', 'recheck', 'vneid']),
  identity: identityToVerify,
});
export const populationGiveBackPayload = z.object({ candidateId: z.string().min(1), record: educationRecord });
export const portalUpsertPayload = portalDossier;
export const portalProgressPayload = portalProgress;

export type PopulationVerifyPayload = z.infer<typeof populationVerifyPayload>;
export type PopulationGiveBackPayload = z.infer<typeof populationGiveBackPayload>;

export const JOB_KINDS = {
  populationVerify: 'population.verify',
  populationGiveBack: 'population.give_back',
  portalUpsertDossier: 'portal.upsert_dossier',
  portalPushProgress: 'portal.push_progress',
} as const;
export type IntegrationJobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];

export interface JobDefinition<P> {
  kind: IntegrationJobKind;
  /** which link the job waits on (its backlog is that link's on the operations page) */
  link: 'population' | 'portal';
  payload: z.ZodType<P>;
  handle(ctx: JobCtx, payload: P): Promise<void>;
}

/** A refusal that will never change: recorded, and the job ends. Anything else is thrown to be retried. */
function permanent(e: unknown): LinkError | null {
  return e instanceof LinkError && !e.retryable ? e : null;
}

function notConfigured(link: string): Error {
  // thrown, not recorded: jobs wait in the queue until the link is configured, and nothing is lost
  return Object.assign(new Error(`${link}: the link is not configured`), { retryable: true });
}

export function integrationJobs(links: { population: PopulationLink | null; portal: PortalLink | null }) {
  const verify: JobDefinition<PopulationVerifyPayload> = {
    kind: JOB_KINDS.populationVerify,
    link: 'population',
    payload: populationVerifyPayload,
    async handle(ctx, p) {
      if (!links.population) throw notConfigured('population');
      const base = { candidateId: p.candidateId, dossierId: p.dossierId, reason: p.reason };
      try {
        const r = await links.population.verify(p.identity);
        await ctx.db.write((trx) => insertIdentityCheck(trx, { ...base, outcome: r.outcome, mismatches: r.mismatches, permanentResidence: r.permanentResidence, error: null, checkedAt: r.checkedAt }));
        ctx.log.info({ job: JOB_KINDS.populationVerify, candidateId: p.candidateId, personalNumber: maskId(p.identity.personalNumber), outcome: r.outcome }, 'identity checked');
      } catch (e) {
        const refused = permanent(e);
        if (!refused) throw e;
        await ctx.db.write((trx) =>
          insertIdentityCheck(trx, { ...base, outcome: 'rejected', mismatches: [], permanentResidence: null, error: refused.message.slice(0, 300), checkedAt: ctx.now.toISOString() }),
        );
        ctx.log.warn({ job: JOB_KINDS.populationVerify, candidateId: p.candidateId, status: refused.status }, 'identity check refused by the population database');
      }
    },
  };

  const giveBack: JobDefinition<PopulationGiveBackPayload> = {
    kind: JOB_KINDS.populationGiveBack,
    link: 'population',
    payload: populationGiveBackPayload,
    async handle(ctx, p) {
      if (!links.population) throw notConfigured('population');
      let outcome: string;
      try {
        outcome = (await links.population.giveBack(p.record)).outcome;
      } catch (e) {
        const refused = permanent(e);
        if (!refused) throw e;
        outcome = `rejected: HTTP ${refused.status ?? '?'}`;
      }
      await ctx.db.write((trx) => recordGiveBack(trx, p.candidateId, p.record.examYear, p.record.version, outcome, ctx.now));
    },
  };

  const upsert: JobDefinition<z.infer<typeof portalUpsertPayload>> = {
    kind: JOB_KINDS.portalUpsertDossier,
    link: 'portal',
    payload: portalUpsertPayload,
    async handle(ctx, d) {
      if (!links.portal) throw notConfigured('portal');
      let outcome: string;
      let statusCode: number | null = null;
      try {
        const r = await links.portal.upsertDossier(d);
        outcome = r.outcome;
        statusCode = r.statusCode;
      } catch (e) {
        const refused = permanent(e);
        if (!refused) throw e;
        outcome = `rejected: HTTP ${refused.status ?? '?'}`;
      }
      await ctx.db.write((trx) => recordPortalDossier(trx, d.code, d.version, statusCode, outcome, ctx.now));
    },
  };

  const progress: JobDefinition<z.infer<typeof portalProgressPayload>> = {
    kind: JOB_KINDS.portalPushProgress,
    link: 'portal',
    payload: portalProgressPayload,
    async handle(ctx, p) {
      if (!links.portal) throw notConfigured('portal');
      let outcome: string;
      try {
        outcome = (await links.portal.pushProgress(p)).outcome;
      } catch (e) {
        const refused = permanent(e);
        if (!refused) throw e;
        outcome = `rejected: HTTP ${refused.status ?? '?'}`;
      }
      await ctx.db.write((trx) => recordPortalProgress(trx, p.code, p.version, outcome, ctx.now));
    },
  };

  return { [verify.kind]: verify, [giveBack.kind]: giveBack, [upsert.kind]: upsert, [progress.kind]: progress } as {
    'population.verify': typeof verify;
    'population.give_back': typeof giveBack;
    'portal.upsert_dossier': typeof upsert;
    'portal.push_progress': typeof progress;
  };
}

// The national links' pipeline: what enqueues their jobs and what the jobs do.
//  - A submitted, desk-registered or corrected dossier, and every class-list import, queue an identity check
//    (population.check). The check reads the identity when it runs (no personal data waits in the queue),
//    stores the answer with its time, raises a flag in the point's queue on a mismatch or an unknown number
//    (or clears the open flag on a match) and, once the identity matched, queues the give-back of the
//    school and exam registration (population.give_back_of).
//  - Every status change (and a correction) of a real dossier queues one portal.sync job, keyed by the
//    dossier and its version: run one at a time per dossier in version order (the queue's ordering key),
//    it upserts the dossier on the portal and pushes the progress, each step once (saved progress).
// The jobs throw to be retried with backoff while a link times out, fails or its breaker is open; nothing
// here ever sits on a candidate's request: the listener only describes rows written with the change.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Services } from '../context.ts';
import type { DB } from '../db/schema.ts';
import type { Db } from '../db/create-db.ts';
import type { DossierListener } from '../dossiers/listeners.ts';
import type { DossierSnapshot, DossierChange } from '../dossiers/model.ts';
import { enqueueJobs, jobsPart, type NewJob } from '../jobs/jobs.repository.ts';
import { jobKind, type JobKind, type JobRunCtx } from '../jobs/job.ts';
import { maskId } from '../logger.ts';
import { LinkError } from './http-link.ts';
import { giveBackPart, identityCheckPart, portalSyncPart } from './integrations.repository.ts';
import { newId } from '../ids.ts';
import { runPart } from '../db/write-unit.ts';
import { candidateForLinks, candidateForLinksOfDossier, candidatesForLinks, candidatesForLinksOfDossiers, clearFlagsPart, raiseFlagParts, type CandidateForLinks } from './links.repository.ts';
import { integrationsRuntime } from './runtime.ts';
import type { EducationRecord, IdentityToVerify } from './population/population.ts';
import type { PortalDossier } from './portal/portal.ts';

export const LINK_JOB_KINDS = {
  check: 'population.check',
  giveBack: 'population.give_back_of',
  portalSync: 'portal.sync',
} as const;

/** Which link each job kind waits on (its backlog is that link's). */
export const KINDS_OF_LINK = {
  population: [LINK_JOB_KINDS.check, LINK_JOB_KINDS.giveBack],
  portal: [LINK_JOB_KINDS.portalSync],
} as const;

export const CHECK_REASONS = ['class_import', 'submitted', 'corrected', 'recheck'] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

const checkPayload = z.strictObject({ candidateId: z.string().min(1), dossierId: z.string().nullable(), reason: z.enum(CHECK_REASONS) });
const giveBackPayload = z.strictObject({ candidateId: z.string().min(1), dossierId: z.string().min(1), version: z.number().int().min(1) });
const syncPayload = z.strictObject({
  dossierId: z.string().min(1),
  version: z.number().int().min(1),
  status: z.string().min(1),
  at: z.string(),
  /** candidate: "Thí sinh"; staff: the point's name, read when the job runs */
  byCandidate: z.boolean(),
  note: z.string().max(1000).nullable(),
});
/** what a portal update has done so far (saved when the upsert landed and the progress could not) */
const syncProgress = z.object({ upserted: z.boolean() }).catch({ upserted: false });
export type CheckPayload = z.infer<typeof checkPayload>;
export type SyncPayload = z.infer<typeof syncPayload>;

// ---- enqueueing ----

/** An identity check; `eventKey` makes one job per event (a replayed event is the same job). */
export function identityCheckJob(candidateId: string, dossierId: string | null, reason: CheckReason, eventKey: string): NewJob {
  // one person's checks run one at a time, oldest first: two never raise or clear the same flags at once
  return { kind: LINK_JOB_KINDS.check, payload: { candidateId, dossierId, reason } satisfies CheckPayload, dedupKey: `idcheck:${reason}:${eventKey}`, orderingKey: `idcheck:${candidateId}` };
}

export function portalSyncJob(after: DossierSnapshot, change: DossierChange): NewJob {
  const payload: SyncPayload = {
    dossierId: after.id,
    version: after.version,
    status: after.status,
    at: change.at.toISOString(),
    byCandidate: change.actorRole === 'candidate',
    note: change.kind === 'returned' ? (change.reason ?? null) : change.kind === 'corrected' ? 'Điểm tiếp nhận điều chỉnh thông tin hồ sơ' : null,
  };
  // one dossier's updates run one at a time, oldest version first: never does one overtake another
  return { kind: LINK_JOB_KINDS.portalSync, payload, dedupKey: `portal:${after.id}:${after.version}`, orderingKey: `portal:${after.id}`, orderNo: after.version };
}

/** The dossier listener (listed in dossierListeners() in app.ts). */
export const linksOnDossierChange: DossierListener = (before, after, change) => {
  if (after.isTrial) return null;
  const jobs: NewJob[] = [];
  const statusChanged = before?.status !== after.status;
  if ((statusChanged || change.kind === 'corrected') && after.status !== 'draft' && after.code) jobs.push(portalSyncJob(after, change));
  const submitted = (change.kind === 'submitted' && statusChanged) || change.kind === 'desk_registered';
  if (submitted || change.kind === 'corrected') jobs.push(identityCheckJob(after.candidateId, after.id, submitted ? 'submitted' : 'corrected', `${after.id}:${after.version}`));
  return jobs.length ? { parts: [jobsPart(jobs, change.at)] } : null;
};

/** A class list's new candidates, inside the import's write: each one with a personal number is checked. */
export async function enqueueImportChecks(trx: Kysely<DB>, importId: string, candidates: ReadonlyArray<{ id: string; idKind: string }>, now: Date): Promise<number> {
  const jobs = candidates.filter((c) => c.idKind === 'cccd' || c.idKind === 'personal').map((c) => identityCheckJob(c.id, null, 'class_import', `${importId}:${c.id}`));
  return enqueueJobs(trx, jobs, now);
}

// ---- what the jobs read ----

const ISO_OR_YEAR = /^\d{4}(-\d{2}-\d{2})?$/;

/** What is checked: the dossier's declared identity when there is one, else the class list's record. */
export function identityOf(c: CandidateForLinks): IdentityToVerify | null {
  let fullName = c.fullName;
  let dateOfBirth = c.dateOfBirth;
  let number = c.idNumber;
  if (c.dossier) {
    try {
      const personal = (JSON.parse(c.dossier.data) as { personal?: { fullName?: string; dateOfBirth?: string; idNumber?: string } }).personal;
      if (personal?.fullName) fullName = personal.fullName;
      if (personal?.dateOfBirth && ISO_OR_YEAR.test(personal.dateOfBirth)) dateOfBirth = personal.dateOfBirth;
      if (personal?.idNumber) number = personal.idNumber;
    } catch {
      // a stored dossier is JSON; if not, the candidate's record stands
    }
  }
  if (!/^\d{12}$/.test(number) || !ISO_OR_YEAR.test(dateOfBirth)) return null; // a passport or an assigned code: nothing to check
  return { personalNumber: number, fullName: fullName.normalize('NFC').trim().slice(0, 100), dateOfBirth };
}

export function educationRecordOf(c: CandidateForLinks, personalNumber: string): EducationRecord | null {
  const d = c.dossier;
  if (!d?.code || d.status === 'draft') return null;
  return {
    personalNumber,
    schoolYear: `${c.examYear - 1}-${c.examYear}`,
    examYear: c.examYear,
    dossierCode: d.code,
    point: { code: c.point.code, name: c.point.name },
    candidateType: c.candidateType,
    school: c.candidateType === 'current' ? { provinceCode: c.point.departmentCode, schoolCode: c.point.code, name: c.point.name, className: c.className } : null,
    version: d.version,
  };
}

function notConfigured(link: string): Error {
  // not reached: a process without the link does not run its kinds (linkJobKinds); were it run, the job
  // would wait in the queue, and nothing is lost
  return new Error(`${link}: the link is not configured`);
}

const refusedForGood = (e: unknown): LinkError | null => (e instanceof LinkError && !e.retryable ? e : null);

// ---- the job kinds ----

/** The pipeline's job kinds, with their retry policy from the configuration. */
export function linkJobKinds(s: Services): Array<JobKind<any>> {
  const rt = integrationsRuntime(s);
  const c = s.config;
  const retry = {
    maxAttempts: 10_000,
    baseBackoffMs: c.LINK_RETRY_BASE_MS,
    maxBackoffMs: Math.max(c.LINK_RETRY_BASE_MS, c.LINK_RETRY_MAX_MS),
    ...(c.LINK_RATE_PER_SECOND > 0 ? { perSecond: c.LINK_RATE_PER_SECOND } : {}),
    // a check, a give-back and a portal update are each done again, to the same effect, if their record is
    // lost: their commits do not wait for the disk
    redoable: true,
  };

  // a batch's candidates (or dossiers) read in one statement, not one per job
  const byCandidate = (db: Db, ps: ReadonlyArray<{ candidateId: string }>) => candidatesForLinks(db.read, ps.map((p) => p.candidateId));
  const check = jobKind<CheckPayload, Map<string, CandidateForLinks>>({
    kind: LINK_JOB_KINDS.check,
    parse: (p) => checkPayload.parse(p),
    prefetch: byCandidate,
    ...retry,
    timeoutMs: c.LINK_TIMEOUT_MS + 5_000,
    async run(ctx, p) {
      if (!rt.population) throw notConfigured('population');
      const cand = await prefetchedOr(ctx, p.candidateId, candidateForLinks);
      if (!cand) return; // deleted meanwhile
      const identity = identityOf(cand);
      if (!identity) return;
      const base = { candidateId: cand.candidateId, dossierId: p.dossierId ?? cand.dossier?.id ?? null, reason: p.reason };
      let result;
      try {
        result = await rt.population.verify(identity);
      } catch (e) {
        const refused = refusedForGood(e);
        if (!refused) throw e;
        await ctx.finishWith([identityCheckPart({ ...base, id: newId(), outcome: 'rejected', mismatches: [], permanentResidence: null, error: refused.message.slice(0, 300), checkedAt: ctx.now.toISOString() })]);
        ctx.log.warn({ candidateId: cand.candidateId, status: refused.status }, 'identity check refused by the population database');
        return;
      }
      const r = result;
      const record = r.outcome === 'match' ? educationRecordOf(cand, identity.personalNumber) : null;
      // the check's record, its flag or give-back, and the job's done mark: one write (one statement on PostgreSQL)
      const checkId = newId();
      const parts = [identityCheckPart({ ...base, id: checkId, outcome: r.outcome, mismatches: r.mismatches, permanentResidence: r.permanentResidence, error: null, checkedAt: r.checkedAt })];
      if (r.outcome === 'match') {
        parts.push(clearFlagsPart(cand.candidateId, ctx.now));
        if (record && cand.dossier) {
          const job: NewJob = { kind: LINK_JOB_KINDS.giveBack, payload: { candidateId: cand.candidateId, dossierId: cand.dossier.id, version: record.version }, dedupKey: `giveback:${cand.dossier.id}:${record.version}`, orderingKey: `giveback:${cand.candidateId}`, orderNo: record.version };
          parts.push(jobsPart([job], ctx.now));
        }
      } else {
        parts.push(...raiseFlagParts(newId(), { candidateId: cand.candidateId, dossierId: base.dossierId, pointId: cand.point.id, departmentCode: cand.point.departmentCode, examYear: cand.examYear, checkId, outcome: r.outcome, mismatches: r.mismatches }, ctx.now));
      }
      await ctx.finishWith(parts);
      ctx.log.info({ candidateId: cand.candidateId, personalNumber: maskId(identity.personalNumber), outcome: r.outcome, reason: p.reason }, 'identity checked');
    },
  });

  const giveBack = jobKind<z.infer<typeof giveBackPayload>, Map<string, CandidateForLinks>>({
    kind: LINK_JOB_KINDS.giveBack,
    parse: (p) => giveBackPayload.parse(p),
    prefetch: byCandidate,
    ...retry,
    timeoutMs: c.LINK_TIMEOUT_MS + 5_000,
    async run(ctx, p) {
      if (!rt.population) throw notConfigured('population');
      const cand = await prefetchedOr(ctx, p.candidateId, candidateForLinks);
      const identity = cand ? identityOf(cand) : null;
      const record = cand && identity ? educationRecordOf(cand, identity.personalNumber) : null;
      // a newer version has its own job (queued by its own check); this one has nothing left to say
      if (!cand || !record || cand.dossier?.id !== p.dossierId || record.version !== p.version) return;
      let outcome: string;
      try {
        outcome = (await rt.population.giveBack(record)).outcome;
      } catch (e) {
        const refused = refusedForGood(e);
        if (!refused) throw e;
        outcome = `rejected: HTTP ${refused.status ?? '?'}`;
      }
      await ctx.finishWith([giveBackPart(cand.candidateId, record.examYear, record.version, outcome, ctx.now)]);
    },
  });

  const sync = jobKind<SyncPayload, Map<string, CandidateForLinks>>({
    kind: LINK_JOB_KINDS.portalSync,
    parse: (p) => syncPayload.parse(p),
    prefetch: (db, ps) => candidatesForLinksOfDossiers(db.read, ps.map((p) => p.dossierId)),
    ...retry,
    timeoutMs: 2 * c.LINK_TIMEOUT_MS + 5_000,
    async run(ctx, p) {
      if (!rt.portal) throw notConfigured('portal');
      const built = await portalMessages(ctx, p);
      if (!built) return;
      const { dossier, by } = built;
      const done = syncProgress.parse(ctx.progress ?? {});
      // the upsert's acknowledgement, recorded with the progress's and the done mark (one statement on
      // PostgreSQL), or alone when the progress cannot be pushed now, so that the retry does not upsert again
      let upserted: { version: number; statusCode: number | null; outcome: string } | null = null;
      if (!done.upserted) {
        let outcome: string;
        let statusCode: number | null = null;
        try {
          const r = await rt.portal.upsertDossier(dossier);
          outcome = r.outcome;
          statusCode = r.statusCode;
        } catch (e) {
          const refused = refusedForGood(e);
          if (!refused) throw e;
          outcome = `rejected: HTTP ${refused.status ?? '?'}`;
        }
        upserted = { version: dossier.version, statusCode, outcome };
        if (outcome.startsWith('rejected')) return ctx.finishWith([portalSyncPart(dossier.code, upserted, null, ctx.now)]);
      }
      let outcome: string;
      try {
        outcome = (await rt.portal.pushProgress({ code: dossier.code, version: dossier.version, status: p.status, by, at: p.at, note: p.note })).outcome;
      } catch (e) {
        const refused = refusedForGood(e);
        if (!refused) {
          const u = upserted;
          if (u) await ctx.saveProgress({ upserted: true }, (trx) => runPart(trx, portalSyncPart(dossier.code, u, null, ctx.now)).then(() => {}));
          throw e;
        }
        outcome = `rejected: HTTP ${refused.status ?? '?'}`;
      }
      await ctx.finishWith([portalSyncPart(dossier.code, upserted, { version: dossier.version, outcome }, ctx.now)]);
    },
  });

  // a process runs a link's jobs only when it has the link: without it they wait in the queue untouched (no
  // attempt spent, no claim and failure every backoff, no share of each batch), for a process that has it
  return [...(rt.population ? [check, giveBack] : []), ...(rt.portal ? [sync] : [])];
}

/** The batch's read of `key` (JobKind.prefetch), or the run's own when the batch has none. */
async function prefetchedOr(
  ctx: Pick<JobRunCtx<Map<string, CandidateForLinks>>, 'db' | 'prefetched'>,
  key: string,
  read: (db: Kysely<DB>, key: string) => Promise<CandidateForLinks | undefined>,
): Promise<CandidateForLinks | undefined> {
  return ctx.prefetched ? ctx.prefetched.get(key) : read(ctx.db.read, key);
}

/** The dossier as the portal is told about it at this version, read now (null: nothing to push). */
async function portalMessages(ctx: Pick<JobRunCtx<Map<string, CandidateForLinks>>, 'db' | 'prefetched'>, p: SyncPayload): Promise<{ dossier: PortalDossier; by: string } | null> {
  // one read (or the batch's): the candidate, their point and this dossier (the holder's name and contact are in its data)
  const cand = await prefetchedOr(ctx, p.dossierId, candidateForLinksOfDossier);
  const d = cand?.dossier;
  if (!cand || !d || d.id !== p.dossierId || !d.code) return null;
  let holder = cand.fullName;
  let contact: { email?: string; phone?: string } | undefined;
  try {
    const data = JSON.parse(d.data) as { personal?: { fullName?: string }; contact?: { email?: string; phone?: string } };
    holder = data.personal?.fullName ?? holder;
    contact = data.contact;
  } catch {
    // keep the candidate's name, and no contact
  }
  const dossier: PortalDossier = {
    code: d.code,
    version: p.version,
    procedure: 'registration',
    status: p.status,
    holderName: holder.normalize('NFC').slice(0, 100),
    email: contact?.email?.slice(0, 200) || null,
    phone: contact?.phone?.slice(0, 20) || null,
    summary: `Đăng ký dự thi tốt nghiệp THPT năm ${cand.examYear}`,
    receivedAt: d.submittedAt ?? p.at,
    dueAt: null,
    finishedAt: null,
    office: cand.point.name.slice(0, 200),
  };
  return { dossier, by: p.byCandidate ? 'Thí sinh' : cand.point.name.slice(0, 100) };
}

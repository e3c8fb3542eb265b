// The national links' long commands, each resumable (where it got to is kept in link_runs, written in the
// same write as the jobs it queued, so a stopped run resumes exactly there):
//  - recheckYear: queues an identity check for every candidate of a year, in pages, and reports the
//    counts (queued, outcomes so far, open flags, checks still waiting);
//  - reconcilePortal: compares each of the year's dossiers with what the portal shows (its version, status
//    and progress) and queues a new push of the current version for each one that differs.
import type { Db } from '../db/create-db.ts';
import type { Logger } from 'pino';
import { enqueueJobs, type NewJob } from '../jobs/jobs.repository.ts';
import { candidateIdsPage, checkOutcomesSince, countFlags, findRun, portalDossiersPage, saveRun, type LinkRun } from './links.repository.ts';
import { pendingByKind } from '../jobs/jobs.repository.ts';
import { identityCheckJob, LINK_JOB_KINDS, type SyncPayload } from './pipeline.ts';
import type { PortalLink } from './portal/portal.ts';
import { portalCodeFor, type PortalStatusMap } from './portal/status-map.ts';

const PAGE = 1000;

async function startOrResume(db: Db, name: string, now: Date, restart: boolean): Promise<{ run: LinkRun; resumed: boolean }> {
  const had = await findRun(db.read, name);
  if (had && !had.finishedAt && !restart) return { run: had, resumed: true };
  const run: LinkRun = { name, cursor: '', queued: 0, startedAt: now.toISOString(), finishedAt: null };
  await db.write((trx) => saveRun(trx, run, now));
  return { run, resumed: false };
}

export interface RecheckReport {
  examYear: number;
  resumed: boolean;
  startedAt: string;
  /** checks queued by this run so far (over every resumption) */
  queued: number;
  /** candidates without a personal number (a passport, an assigned code): nothing to check */
  skipped: number;
  /** outcomes of the checks this run made so far, by outcome */
  outcomes: Record<string, number>;
  /** checks still waiting in the queue (this run's and others') */
  waiting: number;
  flags: Record<string, number>;
}

export async function recheckYear(db: Db, examYear: number, now: () => Date, opts: { restart?: boolean; page?: number; stopAfterPages?: number } = {}): Promise<RecheckReport> {
  const { run, resumed } = await startOrResume(db, `recheck:${examYear}`, now(), opts.restart ?? false);
  let skipped = 0;
  for (let pages = 0; ; pages++) {
    if (opts.stopAfterPages !== undefined && pages >= opts.stopAfterPages) break; // for the tests: a run stopped midway
    const page = await candidateIdsPage(db.read, examYear, run.cursor, opts.page ?? PAGE);
    if (page.length === 0) {
      run.finishedAt = now().toISOString();
      await db.write((trx) => saveRun(trx, run, now()));
      break;
    }
    const checkable = page.filter((c) => c.idKind === 'cccd' || c.idKind === 'personal');
    skipped += page.length - checkable.length;
    const jobs = checkable.map((c) => identityCheckJob(c.id, null, 'recheck', `${examYear}:${run.startedAt}:${c.id}`));
    run.cursor = page[page.length - 1]!.id;
    await db.write(async (trx) => {
      run.queued += await enqueueJobs(trx, jobs, now());
      await saveRun(trx, run, now());
    });
  }
  const waiting = (await pendingByKind(db.read, [LINK_JOB_KINDS.check]))[LINK_JOB_KINDS.check] ?? 0;
  return { examYear, resumed, startedAt: run.startedAt, queued: run.queued, skipped, outcomes: await checkOutcomesSince(db.read, 'recheck', run.startedAt), waiting, flags: await countFlags(db.read, examYear) };
}

export interface ReconcileReport {
  examYear: number;
  resumed: boolean;
  compared: number;
  same: number;
  /** the portal does not know the dossier */
  missing: number;
  /** the portal has an older version, another status, or misses the latest progress */
  differs: number;
  /** pushes queued to put it right (over every resumption) */
  queued: number;
}

/** One dossier against the portal's look-up: the kind of difference, or null when they agree. */
export function compareWithPortal(ours: { version: number; status: string }, theirs: { version: number; statusCode: number; progress: Array<{ version: number }> } | null, map: PortalStatusMap): 'missing' | 'differs' | null {
  if (!theirs) return 'missing';
  const code = portalCodeFor(map, ours.status);
  const lastProgress = theirs.progress.reduce((m, p) => Math.max(m, p.version), 0);
  return theirs.version < ours.version || theirs.statusCode !== code || lastProgress < ours.version ? 'differs' : null;
}

export async function reconcilePortal(
  db: Db,
  portal: PortalLink,
  statusMap: () => Promise<PortalStatusMap>,
  examYear: number,
  now: () => Date,
  log: Pick<Logger, 'info'>,
  opts: { restart?: boolean; page?: number; concurrency?: number } = {},
): Promise<ReconcileReport> {
  const { run, resumed } = await startOrResume(db, `reconcile:${examYear}`, now(), opts.restart ?? false);
  const map = await statusMap();
  const report: ReconcileReport = { examYear, resumed, compared: 0, same: 0, missing: 0, differs: 0, queued: 0 };
  const concurrency = opts.concurrency ?? 8;
  for (;;) {
    const page = await portalDossiersPage(db.read, examYear, run.cursor, opts.page ?? 200);
    if (page.length === 0) {
      run.finishedAt = now().toISOString();
      await db.write((trx) => saveRun(trx, run, now()));
      break;
    }
    const verdicts: Array<'missing' | 'differs' | null> = new Array(page.length).fill(null);
    // a few look-ups at a time; a link that fails throws (the run resumes from this page next time)
    for (let i = 0; i < page.length; i += concurrency) {
      await Promise.all(
        page.slice(i, i + concurrency).map(async (d, j) => {
          verdicts[i + j] = compareWithPortal(d, await portal.lookUp(d.code), map);
        }),
      );
    }
    const jobs: NewJob[] = [];
    page.forEach((d, i) => {
      report.compared++;
      const v = verdicts[i];
      if (!v) return void report.same++;
      report[v]++;
      const payload: SyncPayload = { dossierId: d.id, version: d.version, status: d.status, at: now().toISOString(), byCandidate: false, note: null };
      jobs.push({ kind: LINK_JOB_KINDS.portalSync, payload, dedupKey: `portal:reconcile:${run.startedAt}:${d.id}`, orderingKey: `portal:${d.id}`, orderNo: d.version });
    });
    run.cursor = page[page.length - 1]!.id;
    await db.write(async (trx) => {
      run.queued += await enqueueJobs(trx, jobs, now());
      await saveRun(trx, run, now());
    });
    log.info({ compared: report.compared, differs: report.differs, missing: report.missing }, 'reconciling the portal');
  }
  report.queued = run.queued;
  return report;
}

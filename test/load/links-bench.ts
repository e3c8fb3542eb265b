// The national links' drain beside the last-day mix (issue 21): a backlog of N outbox jobs for one link
// (identity checks against the population database, or dossier updates to the portal), the link's
// simulator as a process of its own, and the app with its job worker (in the web process, or with
// --links-worker-process in a process of its own, SERVICES=worker). The mix is offered at a steady rate in
// windows that alternate: without the drain, then with it, and so on. With the worker in the web process the
// backlog is held (not due) without the drain and released for it; with --links-worker-process the worker
// process runs only in the windows with the drain (started before the window, stopped after it), so that
// holding the backlog never rewrites 100,000 rows between windows. The row reports the drain rate, the share drained (or, with
// --links-drain-all, the time to drain it all) and the mix's p99 without and with the drain (medians of
// the windows) and their ratio, with the machine's load average.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, type Db } from '../../src/server/db/create-db.ts';
import { enqueueJobs, type NewJob } from '../../src/server/jobs/jobs.repository.ts';
import { identityCheckJob, LINK_JOB_KINDS, type SyncPayload } from '../../src/server/integrations/pipeline.ts';
import { spawnSim, type RunningSim } from '../../src/sims/shared/spawn.ts';
import { metricValues, ROOT, startApp, type RunningServer } from './server-process.ts';
import { cpuBetween, cpuSeconds, openPgCpu, type PgCpu } from './pg-cpu.ts';
import { SEED_YEAR } from './seed-cache.ts';
import type { LoadResult } from './run-load.ts';
import { lowerPriority } from '../../src/server/process-priority.ts';

export type LinkRow = 'links-identity-drain' | 'links-portal-drain';

export interface LinksOptions {
  backlog: number;
  mixRate: number;
  windowSeconds: number;
  rounds: number;
  drainAll: boolean;
  workerProcess: boolean;
  /**
   * The link's simulator runs at this nice value. It stands for a national service, which runs on that
   * service's own machines; here it shares the two cores with the web, the database and the load
   * generator, and at 10 (the worker's WORKER_NICE) the CPU that no deployment of ghidanh spends comes
   * after the mix's, as the worker's does. 0 keeps it level with the web.
   */
  simNice?: number;
  candidates: number;
  seed: number;
}

const HELD = '9999-12-31T00:00:00.000Z';
/** the web's counters of waits for another process's write lock (SQLite; zero on PostgreSQL) */
const LOCK_METRICS = ['db_write_lock_waits_total', 'db_write_lock_wait_seconds_total'] as const;
const TAG = 'bench-links:';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : 0;
};

/** The backlog, written straight into the database in batches: held (not due) until released, or due at once. */
async function loadBacklog(db: Db, row: LinkRow, n: number, held: boolean, log: (s: string) => void): Promise<string> {
  const started = Date.now();
  const runAt = held ? new Date(HELD) : new Date();
  const now = new Date();
  if (row === 'links-identity-drain') {
    // re-checks of the country's candidates (a year's re-check command, or a class list's import), each
    // candidate as often as the backlog needs
    const ids = (await db.writer.selectFrom('candidates').select('id').where('id_kind', 'in', ['cccd', 'personal']).orderBy('id').execute()).map((r) => r.id);
    for (let i = 0; i < n; i += 2000) {
      const jobs: NewJob[] = [];
      for (let j = i; j < Math.min(n, i + 2000); j++) jobs.push({ ...identityCheckJob(ids[j % ids.length]!, null, 'recheck', `bench:${j}`), dedupKey: `${TAG}check:${j}`, runAt });
      await db.write((trx) => enqueueJobs(trx, jobs, now));
    }
    log(`${n.toLocaleString('en')} identity checks queued (${held ? 'held' : 'due'}) over ${ids.length.toLocaleString('en')} candidates in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return LINK_JOB_KINDS.check;
  }
  // verified dossiers (with a code) for candidates who have none, then their portal updates: version 1 of
  // every dossier first, then version 2 …, as a portal outage leaves them (one dossier's in version order)
  const ts = now.toISOString();
  await db.write(async (trx) => {
    await sql`insert into dossiers (id, candidate_id, exam_year, is_trial, status, version, data, point_id, department_code, channel, submitted_at, verified_at, created_at, updated_at, code)
      select 'bd-' || c.id, c.id, c.exam_year, 0, 'verified', 1, '{}', c.point_id, c.department_code, 'online', ${ts}, ${ts}, ${ts}, ${ts}, 'BENCH-' || c.id
      from candidates c where c.exam_year = ${SEED_YEAR} and not exists (select 1 from dossiers d where d.candidate_id = c.id) limit ${n}`.execute(trx);
  });
  const dossiers = (await db.writer.selectFrom('dossiers').select('id').where('id', 'like', 'bd-%').orderBy('id').execute()).map((r) => r.id);
  const versions = Math.ceil(n / dossiers.length);
  let k = 0;
  for (let v = 1; v <= versions && k < n; v++) {
    for (let i = 0; i < dossiers.length && k < n; i += 2000) {
      const jobs: NewJob[] = [];
      for (const id of dossiers.slice(i, i + 2000)) {
        if (k++ >= n) break;
        const payload: SyncPayload = { dossierId: id, version: v, status: 'verified', at: ts, byCandidate: false, note: null };
        jobs.push({ kind: LINK_JOB_KINDS.portalSync, payload, dedupKey: `${TAG}portal:${id}:${v}`, orderingKey: `portal:${id}`, orderNo: v, runAt });
      }
      await db.write((trx) => enqueueJobs(trx, jobs, now));
    }
  }
  log(`${n.toLocaleString('en')} portal updates queued (${held ? 'held' : 'due'}) for ${dossiers.length.toLocaleString('en')} dossiers (${versions} version(s) each at most) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return LINK_JOB_KINDS.portalSync;
}

async function setDue(db: Db, kind: string, at: string): Promise<void> {
  await db.write((trx) => sql`update jobs set next_attempt_at = ${at} where kind = ${kind} and status = 'pending' and dedup_key like ${TAG + '%'}`.execute(trx));
}

async function counts(db: Db, kind: string): Promise<{ done: number; pending: number; dead: number }> {
  const rows = await sql<{ status: string; n: number }>`select status, count(*) as n from jobs where kind = ${kind} and dedup_key like ${TAG + '%'} group by status`.execute(db.writer);
  const of = (s: string) => Number(rows.rows.find((r) => r.status === s)?.n ?? 0);
  return { done: of('done'), pending: of('pending'), dead: of('dead') };
}

/** A process that is only the job worker (SERVICES=worker), on the same database and links. */
async function startWorkerProcess(env: Record<string, string>): Promise<{ pid: number; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-worker-'));
  // BENCH_WORKER_CPU_PROF=<dir> writes a V8 CPU profile of each worker process there when it stops;
  // BENCH_WORKER_ENV='{"LINK_RATE_PER_SECOND":"25"}' (JSON) sets the worker process's configuration for
  // an experiment (its rate, PGOPTIONS), leaving the web's as it is
  const prof = process.env['BENCH_WORKER_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_WORKER_CPU_PROF']}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'src/cli/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', DEMO_DATA: 'false', ALLOW_INSECURE_LINKS: 'true', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env, ...(process.env['BENCH_WORKER_ENV'] ? (JSON.parse(process.env['BENCH_WORKER_ENV']) as Record<string, string>) : {}), SERVICES: 'worker' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the worker process did not start:\n${out.slice(-2000)}`)), 120_000);
    const on = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
      if (out.includes('job worker started')) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`the worker process exited (${code}):\n${out.slice(-2000)}`)));
  });
  return {
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface LinksRowResult extends LoadResult {
  note: string;
  backlog: number;
  drained: number;
  drain_per_s: number;
  drain_seconds?: number;
  mix_p99_without_ms: number[];
  mix_p99_with_ms: number[];
  p99_ratio: number;
  loadavg: number[];
  /**
   * CPU per drained job, medians of the windows with the drain: the worker process's, the simulator's and
   * (PostgreSQL on this machine) the database's beyond what it spends on the mix in a window without
   * the drain (and what its backends serving the worker's connections spent); and the web's CPU per request of the mix without and with the drain. CPU is what the drain
   * takes from the mix on a shared machine, and a figure its noise disturbs far less than a p99.
   */
  cpu_ms_per_job: { worker: number | null; simulator: number; database: number | null; database_worker_connections: number | null };
  web_cpu_ms_per_req: { without: number; with: number };
  /** the web's time waiting for another process's write lock in each window (SQLite; zeros on PostgreSQL) */
  web_lock_wait_ms_per_window: { without: number[]; with: number[] };
}

/**
 * One link's row. `app` is the bench's running app (SERVICES=web), stopped while the backlog is written
 * and replaced by one with the worker and the link; the caller starts its own again afterwards.
 */
export async function linksDrainRow(
  row: LinkRow,
  o: LinksOptions,
  dbUrl: string,
  appEnv: Record<string, string>,
  mix: (url: string, rate: number, seconds: number) => Promise<LoadResult & { note?: string }>,
  log: (s: string) => void,
): Promise<LinksRowResult> {
  const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-linksim-'));
  const db = await createDb({ url: dbUrl, poolSize: 1 });
  let sim: RunningSim | undefined;
  let app: RunningServer | undefined;
  let worker: { pid: number; stop(): Promise<void> } | undefined;
  let pgCpu: PgCpu | undefined;
  try {
    const kind = await loadBacklog(db, row, o.backlog, !o.workerProcess, log);
    sim =
      row === 'links-identity-drain'
        ? await spawnSim('population', { dataDir: simDir, seed: o.seed, args: ['--candidates', String(o.candidates), '--year', String(SEED_YEAR)], timeoutMs: 600_000 })
        : await spawnSim('portal', { dataDir: simDir, seed: o.seed });
    const simNice = o.simNice ?? 10;
    if (simNice > 0) {
      try {
        lowerPriority(sim.pid, simNice);
      } catch (e) {
        log(`${row}: the simulator's priority could not be lowered (${(e as Error).message}); it runs level with the web`);
      }
    }
    const links = { [row === 'links-identity-drain' ? 'POPULATION_URL' : 'PORTAL_URL']: sim.url };
    app = await startApp({ ...appEnv, ...links, SERVICES: o.workerProcess ? 'web' : 'web,worker' });
    // the copy of the country and the backlog just written leave the database a checkpoint to do (on
    // PostgreSQL, half a gigabyte of WAL): done now, not in the first window; then a window not counted,
    // which warms the app
    if (db.dialect.name === 'postgres') await sql`checkpoint`.execute(db.writer);
    else await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db.writer);
    const warm = await mix(app.url, o.mixRate, Math.min(10, o.windowSeconds));
    log(`${row} warm-up (not counted): ${warm.rps} req/s answered, p50 ${warm.p50_ms} ms, p99 ${warm.p99_ms} ms, errors ${warm.errors}`);
    if (db.dialect.name === 'postgres') pgCpu = await openPgCpu(dbUrl);
    const without: number[] = [];
    const withDrain: number[] = [];
    // CPU per window: the web's per request, the worker's, simulator's and database's per second
    const cpu = { webWithout: [] as number[], webWith: [] as number[], pgWithout: [] as number[], worker: [] as number[], sim: [] as number[], pgWith: [] as number[], pgWorker: [] as number[] };
    const lockStats = { without: [] as number[], with: [] as number[] };
    let drained = 0;
    let releasedMs = 0;
    let last: (LoadResult & { note?: string }) | undefined;
    const load0 = os.loadavg();
    const window = async (released: boolean) => {
      if (released && o.workerProcess) worker = await startWorkerProcess({ ...appEnv, ...links });
      else if (released) await setDue(db, kind, new Date().toISOString());
      // the worker finds the released jobs at its next poll (1 s), or settles after the hold; a worker
      // process just started runs its periodic duties first (its first poll)
      await new Promise((r) => setTimeout(r, released && o.workerProcess ? 10_000 : 1500));
      const before = await counts(db, kind);
      // the web's waits for the write lock another process held (SQLite: the worker process's commits)
      const locks0 = await metricValues(app!.url, LOCK_METRICS);
      const at0 = { web: cpuSeconds(app!.child.pid ?? 0) ?? 0, worker: worker ? (cpuSeconds(worker.pid) ?? 0) : 0, sim: cpuSeconds(sim!.pid) ?? 0, pg: await pgCpu?.sample() };
      const t0 = performance.now();
      const r = await mix(app!.url, o.mixRate, o.windowSeconds);
      const ms = performance.now() - t0;
      const at1 = { web: cpuSeconds(app!.child.pid ?? 0) ?? 0, worker: worker ? (cpuSeconds(worker.pid) ?? 0) : 0, sim: cpuSeconds(sim!.pid) ?? 0, pg: await pgCpu?.sample() };
      const locks1 = await metricValues(app!.url, LOCK_METRICS);
      const after = await counts(db, kind);
      const jobs = after.done - before.done;
      const lockWaits = locks1.db_write_lock_waits_total - locks0.db_write_lock_waits_total;
      const lockWaitMs = (locks1.db_write_lock_wait_seconds_total - locks0.db_write_lock_wait_seconds_total) * 1000;
      (released ? lockStats.with : lockStats.without).push(lockWaitMs);
      const requests = Math.max(1, r.requests);
      const pgPerS = at0.pg && at1.pg ? cpuBetween(at0.pg, at1.pg) / (ms / 1000) : null;
      // the worker process's own connections (application_name 'ghidanh worker'), when it has its own
      const pgWorker = at0.pg && at1.pg && o.workerProcess ? cpuBetween(at0.pg, at1.pg, (pid) => pgCpu!.appOf(pid) === 'ghidanh worker') : null;
      if (released) {
        cpu.webWith.push(((at1.web - at0.web) * 1000) / requests);
        if (jobs > 0) {
          if (o.workerProcess) cpu.worker.push(((at1.worker - at0.worker) * 1000) / jobs);
          cpu.sim.push(((at1.sim - at0.sim) * 1000) / jobs);
          if (pgWorker !== null) cpu.pgWorker.push((pgWorker * 1000) / jobs);
        }
        if (pgPerS !== null) cpu.pgWith.push(pgPerS);
      } else {
        cpu.webWithout.push(((at1.web - at0.web) * 1000) / requests);
        if (pgPerS !== null) cpu.pgWithout.push(pgPerS);
      }
      if (released) {
        if (o.workerProcess) {
          await worker!.stop();
          worker = undefined;
        } else await setDue(db, kind, HELD);
        drained += after.done - before.done;
        releasedMs += ms;
        withDrain.push(r.p99_ms);
        last = r;
      } else without.push(r.p99_ms);
      const cpuNote = `web ${(((at1.web - at0.web) * 1000) / requests).toFixed(2)} ms/req${released && jobs > 0 ? `, worker ${(((at1.worker - at0.worker) * 1000) / jobs).toFixed(2)} ms/job, simulator ${(((at1.sim - at0.sim) * 1000) / jobs).toFixed(2)} ms/job` : ''}${pgPerS !== null ? `, database ${(pgPerS * 100).toFixed(0)}% of a core` : ''}${pgWorker !== null && jobs > 0 ? ` (the worker's connections ${((pgWorker * 1000) / jobs).toFixed(2)} ms/job)` : ''}`;
      const lockNote = db.dialect.name === 'sqlite' ? `; the web waited for the write lock ${lockWaits} times, ${lockWaitMs.toFixed(0)} ms in all` : '';
      log(`${row} ${released ? 'with the drain   ' : 'without the drain'}: ${r.rps} req/s answered, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, errors ${r.errors}${released ? `; ${jobs} drained in ${(ms / 1000).toFixed(1)} s, ${after.pending} pending` : ''}; CPU: ${cpuNote}${lockNote}; load ${os.loadavg()[0]!.toFixed(2)}`);
      return after;
    };
    let left = o.backlog;
    for (let i = 0; i < o.rounds && left > 0; i++) {
      await window(false);
      left = (await window(true)).pending;
    }
    let drainSeconds: number | undefined;
    if (o.drainAll) {
      // the rest: windows with the drain until nothing is left (the mix runs all along)
      while (left > 0) left = (await window(true)).pending;
      drainSeconds = releasedMs / 1000;
    }
    const load1 = os.loadavg();
    const rate = releasedMs > 0 ? drained / (releasedMs / 1000) : 0;
    const p99Without = median(without);
    const p99With = median(withDrain);
    const ratio = p99Without > 0 ? Math.round((p99With / p99Without) * 100) / 100 : 0;
    const where = o.workerProcess ? 'worker in its own process (SERVICES=worker), run only in the windows with the drain' : 'worker in the web process';
    const share = `${Math.round((drained / o.backlog) * 1000) / 10}% of ${o.backlog.toLocaleString('en')} drained in ${(releasedMs / 1000).toFixed(0)} s`;
    const r2 = (x: number) => Math.round(x * 100) / 100;
    // the database's CPU beyond the mix's, per drained job: its share of a core with the drain less without, over the rate
    const dbPerJob = cpu.pgWith.length && cpu.pgWithout.length && rate > 0 ? r2(((median(cpu.pgWith) - median(cpu.pgWithout)) * 1000) / rate) : null;
    const dbWorkerPerJob = cpu.pgWorker.length ? r2(median(cpu.pgWorker)) : null;
    const cpuPerJob = { worker: o.workerProcess ? r2(median(cpu.worker)) : null, simulator: r2(median(cpu.sim)), database: dbPerJob, database_worker_connections: dbWorkerPerJob };
    const webCpu = { without: r2(median(cpu.webWithout)), with: r2(median(cpu.webWith)) };
    const note = `${where}; the link's simulator at nice ${o.simNice ?? 10}; mix offered at ${o.mixRate} req/s in ${o.windowSeconds} s windows, ${without.length} without and ${withDrain.length} with the drain, alternating; drain ${rate.toFixed(1)} jobs/s, ${drainSeconds !== undefined ? `all ${o.backlog.toLocaleString('en')} in ${drainSeconds.toFixed(0)} s` : `${share} (all would take ≈ ${rate > 0 ? Math.round(o.backlog / rate / 60) : '?'} min)`}; mix p99 without ${JSON.stringify(without)} (median ${p99Without}), with ${JSON.stringify(withDrain)} (median ${p99With}): ×${ratio}; CPU per job: worker ${cpuPerJob.worker ?? 'in the web process'} ms, simulator ${cpuPerJob.simulator} ms, database ${cpuPerJob.database ?? '?'} ms (its connections serving the worker ${cpuPerJob.database_worker_connections ?? '?'} ms); the web's per request ${webCpu.without} ms without, ${webCpu.with} ms with${db.dialect.name === 'sqlite' ? `; the web's wait for the write lock per window ${r2(median(lockStats.without))} ms without, ${r2(median(lockStats.with))} ms with` : ''}; load average ${load0.map((x) => x.toFixed(2)).join(' ')} → ${load1.map((x) => x.toFixed(2)).join(' ')}`;
    const base = last ?? { rps: 0, p50_ms: 0, p99_ms: 0, errors: 0, requests: 0, statuses: {} };
    return { ...base, p99_ms: p99With, note, backlog: o.backlog, drained, drain_per_s: Math.round(rate * 10) / 10, ...(drainSeconds !== undefined ? { drain_seconds: Math.round(drainSeconds) } : {}), mix_p99_without_ms: without, mix_p99_with_ms: withDrain, p99_ratio: ratio, loadavg: load1, cpu_ms_per_job: cpuPerJob, web_cpu_ms_per_req: webCpu, web_lock_wait_ms_per_window: { without: lockStats.without.map(r2), with: lockStats.with.map(r2) } };
  } finally {
    await worker?.stop();
    // the row's backlog goes with it: the next row's worker would otherwise claim what is left of it
    await db.write((trx) => sql`delete from jobs where dedup_key like ${TAG + '%'}`.execute(trx)).catch(() => {});
    await pgCpu?.close();
    await app?.stop();
    await sim?.stop();
    await db.close();
    fs.rmSync(simDir, { recursive: true, force: true });
  }
}

// Starts the roles this process runs (SERVICES=web,worker) on the configured database. With WORKERS=N
// the primary prepares the database once, then forks N identical web processes (node:cluster) that
// share the port; each one is stateless, so they can equally run on several machines.
import cluster from 'node:cluster';
import net from 'node:net';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createDb, describeUrl, type Db } from './db/create-db.ts';
import { migrate } from './db/migrate.ts';
import { loadReferenceData } from './reference/reference.repository.ts';
import { loadDemoIfEmpty, DEMO_CANDIDATE_PASSWORD, DEMO_STAFF_PASSWORD, type DemoLogin } from './demo/load-demo.ts';
import { buildApp } from './app.ts';
import { systemClock } from './context.ts';
import { currentExamYear } from './exam-years/exam-years.repository.ts';
import { startJobWorker } from './jobs/start-worker.ts';
import { startDemoVneid, type DemoVneid } from './integrations/vneid/demo-simulator.ts';
import { demoLinksBanner, startDemoLinks, type DemoLinks } from './integrations/demo-links.ts';
import { lowerPriority } from './process-priority.ts';

function dbOptions(c: Config) {
  return {
    url: c.DATABASE_URL,
    poolSize: c.DB_POOL_SIZE,
    applicationName: `ghidanh ${c.SERVICES.join('+')}`,
    sqliteSynchronous: c.SQLITE_SYNCHRONOUS,
    busyTimeoutMs: c.SQLITE_BUSY_TIMEOUT_MS,
    writeBatchMax: c.WRITE_BATCH_MAX,
    // the service checkpoints SQLite's WAL on a thread of its own, never in a request's commit
    sqliteCheckpointEveryMs: 250,
  };
}

/** Migrate, load reference data and (on an empty database) the demo. Returns demo logins to print. */
export async function prepareDatabase(c: Config, db: Db, log: Logger): Promise<DemoLogin[] | null> {
  const { applied } = await migrate(db.writer, db.dialect);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const loaded = await loadReferenceData(db.writer, systemClock());
  if (loaded.length) log.info({ loaded }, 'reference data loaded');
  // On PostgreSQL several processes usually serve one database: each would make its own key file and
  // refuse the sign-in challenges and known-device cookies the others signed.
  if (db.dialect.name === 'postgres' && !c.AUTH_SECRET_KEY) {
    log.warn('AUTH_SECRET_KEY is not set: this process uses its own key file; set the same key on every process that serves this database');
  }
  if (c.DEMO_DATA) {
    const fresh = await loadDemoIfEmpty(db, systemClock());
    if (fresh) return fresh;
    const year = await currentExamYear(db.read);
    if (year?.rules['demo'] === true) {
      return [
        { role: 'ministry_admin', username: 'bo.quantri', password: DEMO_STAFF_PASSWORD, note: '' },
        { role: 'department_officer', username: 'so.hanoi', password: DEMO_STAFF_PASSWORD, note: '' },
        { role: 'point_officer', username: 'diem.01001', password: DEMO_STAFF_PASSWORD, note: '' },
        { role: 'support_agent', username: 'hotro.01', password: DEMO_STAFF_PASSWORD, note: '' },
        { role: 'candidate', username: '001208100001', password: `${DEMO_CANDIDATE_PASSWORD} (nếu chưa đổi / unless changed)`, note: '' },
      ];
    }
  }
  return null;
}

/** The demo's simulator when the demo is on; a simulator that failed to start only hides the VNeID button. */
async function keepDemoVneid(starting: Promise<DemoVneid | null> | null, demo: boolean): Promise<DemoVneid | null> {
  const v = await starting;
  if (v && !demo) await v.sim.stop();
  return demo ? v : null;
}

/** The demo's population and portal simulators when the demo is on (stopped otherwise). */
async function keepDemoLinks(starting: Promise<DemoLinks> | null, demo: boolean): Promise<DemoLinks | null> {
  const l = await starting;
  if (l && !demo) await l.stop();
  return demo ? l : null;
}

function printBanner(c: Config, logins: DemoLogin[] | null, vneid: DemoVneid | null = null, links: DemoLinks | null = null): void {
  const lines = [
    '',
    `  ghidanh đang chạy / is running at ${c.PUBLIC_URL}`,
    `  Cơ sở dữ liệu / database: ${describeUrl(c.DATABASE_URL)}`,
  ];
  if (logins) {
    lines.push('', '  Tài khoản demo / demo logins:');
    for (const l of logins) lines.push(`    ${l.role.padEnd(19)} ${l.username.padEnd(14)} ${l.password}${l.note ? `   ${l.note}` : ''}`);
    lines.push(
      c.MFA_REQUIRED_ROLES.length === 0
        ? '  Xác thực hai lớp: tự chọn trong demo (/account/two-step) / two-step verification: optional in the demo (MFA_REQUIRED_ROLES)'
        : `  Xác thực hai lớp bắt buộc / two-step verification required: ${c.MFA_REQUIRED_ROLES.join(', ')}`,
    );
  }
  if (vneid) lines.push('', `  VNeID (mô phỏng / simulator): ${vneid.sim.url}  (Đăng nhập bằng VNeID / Sign in with VNeID)`);
  const linkLines = demoLinksBanner(links);
  if (linkLines.length) lines.push('', ...linkLines);
  lines.push('', `  Kiểm tra / health: ${c.PUBLIC_URL}/healthz  ${c.PUBLIC_URL}/readyz`, '');
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * A worker-only process runs at a lower CPU priority (WORKER_NICE): its jobs (notifications, the national
 * links' updates and checks) may wait a moment, a candidate's request may not. The kernel then gives the
 * web processes on the same machine the CPU first, and the worker the time they leave.
 */
function yieldCpuToWeb(c: Config, log: Logger): void {
  if (c.WORKER_NICE === 0) return;
  try {
    // every thread of the process, not only the main one (process-priority.ts)
    const threads = lowerPriority(process.pid, c.WORKER_NICE);
    log.info({ nice: os.getPriority(), threads }, 'job worker at a lower CPU priority than the web (WORKER_NICE)');
  } catch (e) {
    log.warn({ err: e }, 'could not lower the job worker\'s CPU priority');
  }
}

async function serve(c: Config, log: Logger, prepare: boolean): Promise<void> {
  // the demo's VNeID simulator, beside a web process that prepares the demo: it boots while the database does
  const demoVneid = prepare && c.DEMO_DATA && c.SERVICES.includes('web') ? startDemoVneid(c, log) : null;
  const demoLinks = prepare && c.DEMO_DATA && c.SERVICES.includes('web') ? startDemoLinks(c, log) : null;
  const db = await createDb(dbOptions(c));
  let logins: DemoLogin[] | null = null;
  if (prepare) logins = await prepareDatabase(c, db, log);
  const vneid = await keepDemoVneid(demoVneid, logins !== null);
  if (vneid) c = vneid.config;
  const links = await keepDemoLinks(demoLinks, logins !== null);
  if (links) c = Object.freeze({ ...c, ...links.env });
  const services = { config: c, db, clock: systemClock, log };
  let app: FastifyInstance | null = null;
  if (c.SERVICES.includes('web')) {
    app = await buildApp(services);
    await app.listen({ host: c.HOST, port: c.PORT });
  }
  if (!app && c.SERVICES.includes('worker')) yieldCpuToWeb(c, log);
  const stopWorker = c.SERVICES.includes('worker') ? startJobWorker(services) : null;
  if (prepare && cluster.isPrimary) printBanner(c, logins, vneid, links);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping: no new connections, finishing requests in flight');
    try {
      if (app) await app.close();
      if (stopWorker) await stopWorker();
      await vneid?.sim.stop();
      await links?.stop();
      await db.close();
      process.exit(0);
    } catch (e) {
      log.error({ err: e }, 'error while stopping');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

async function primary(c: Config, log: Logger): Promise<void> {
  const db = await createDb(dbOptions(c));
  const demoVneid = c.DEMO_DATA ? startDemoVneid(c, log) : null;
  const demoLinks = c.DEMO_DATA ? startDemoLinks(c, log) : null;
  const logins = await prepareDatabase(c, db, log);
  await db.close();
  const vneid = await keepDemoVneid(demoVneid, logins !== null);
  const links = await keepDemoLinks(demoLinks, logins !== null);
  const childEnv = { ...vneid?.env, ...links?.env };
  let stopping = false;
  for (let i = 0; i < c.WORKERS; i++) cluster.fork(childEnv);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    cluster.fork(childEnv);
  });
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === c.WORKERS) printBanner(c, logins, vneid, links);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    log.info({ signal }, 'stopping all workers');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    void vneid?.sim.stop();
    void links?.stop();
    let left = Object.keys(cluster.workers ?? {}).length;
    if (left === 0) process.exit(0);
    cluster.on('exit', () => {
      if (--left <= 0) process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * PORT=0 asks for a free port. It is chosen here, before anything is configured with it, so the printed
 * address, the public URL derived from it (when PUBLIC_URL is not set) and the VNeID callback all name the
 * port the service listens on; with WORKERS=N the forked processes inherit it.
 */
async function resolveFreePort(c: Config, env: Record<string, string | undefined>): Promise<Config> {
  if (c.PORT !== 0 || !c.SERVICES.includes('web') || !cluster.isPrimary) return c;
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host: c.HOST, port: 0 }, () => {
      const bound = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(bound));
    });
  });
  process.env['PORT'] = String(port);
  return loadConfig({ ...env, PORT: String(port) });
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  // everything the service writes (database, uploads, exports, the outbox log) is its own user's alone
  process.umask(0o077);
  let c: Config;
  try {
    c = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(c.LOG_LEVEL);
  try {
    c = await resolveFreePort(c, env);
    if (c.WORKERS > 1 && c.SERVICES.includes('web')) {
      if (cluster.isPrimary) await primary(c, log);
      else await serve(c, log, false);
    } else {
      await serve(c, log, true);
    }
  } catch (e) {
    process.stderr.write(`\nKhông khởi động được / cannot start: ${(e as Error).message}\n`);
    log.debug({ err: e }, 'start-up failed');
    process.exit(1);
  }
}

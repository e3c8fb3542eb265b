// `node --import tsx test/load/route-cost.ts [--db sqlite|postgres] [--n 400] [--only read,submit] [--prof dir] [--sql]`: the
// app's own CPU per request on the hot routes, measured in-process with app.inject (no sockets, no load
// generator) on a copy of the cached quick country. One request at a time, so the figure is the CPU one
// request costs the process, the denominator of every throughput target. Reads, saves and submits are of
// complete, valid dossiers (filled first, measured or not), and the run exits non-zero if any request
// answers a status other than the one its route should. `--prof <dir>` writes a V8 CPU profile of each
// measured route's requests alone (setup and warm-up left out), `<dir>/<route>.cpuprofile`, for Chrome's
// DevTools or any profile viewer; `--sql` (SQLite) the time each statement took. A development aid, not a
// benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createDb } from '../../src/server/db/create-db.ts';
import { sessionCookieName } from '../../src/server/http/auth.ts';
import { quickCountryCopy } from './seed-cache.ts';
import { fillBody } from './bench.ts';
import { BENCH_PASSWORD, prepareRun } from './prepare.ts';
import { hashPassword, verifyPassword } from '../../src/server/accounts/password.ts';
import { hash } from '@node-rs/argon2';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, n: { type: 'string', default: '400' }, only: { type: 'string' }, prof: { type: 'string' }, sql: { type: 'boolean', default: false } } });
if (values.sql) timeSqliteStatements();

/**
 * `--sql` (SQLite): the time each statement takes, summed over the run (wall time of the synchronous call,
 * an fsync included), printed after the figures: which statement a route's time goes to.
 */
function timeSqliteStatements(): void {
  const T = new Map<string, { n: number; ms: number }>();
  (globalThis as { __sqlT?: typeof T }).__sqlT = T;
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<'run' | 'all' | 'get', (...a: unknown[]) => unknown> & { source: string };
  probe.close();
  for (const m of ['run', 'all', 'get'] as const) {
    const orig = proto[m];
    proto[m] = function (this: { source: string }, ...a: unknown[]) {
      const t0 = performance.now();
      try {
        return orig.apply(this, a);
      } finally {
        const k = this.source.replace(/\s+/g, ' ');
        const e = T.get(k) ?? { n: 0, ms: 0 };
        e.n += 1;
        e.ms += performance.now() - t0;
        T.set(k, e);
      }
    };
  }
}
const n = Number(values.n);
const log = (s: string) => process.stderr.write(`route-cost: ${s}\n`);
const copy = await quickCountryCopy(values.db, log);
// the logger the bench's server has (LOG_LEVEL=warn, the redaction and serializers of production)
const config = loadConfig({ DATABASE_URL: copy.url, LOG_LEVEL: 'warn', MAX_EVENT_LOOP_DELAY_MS: '0', MAX_IN_FLIGHT: '0', WRITE_QUEUE_MAX: '0' });
// the second third of the sample signs in afresh, and the last third too but against a hash of almost no
// cost (what a sign-in costs beyond argon2id); the first third's sessions serve the other routes
const fx = await prepareRun(copy.url, { sessions: n * 3, cookieName: sessionCookieName(config) });
{
  const cheap = await hash(BENCH_PASSWORD, { algorithm: 2, memoryCost: 8, timeCost: 1, parallelism: 1 });
  const d = await createDb({ url: copy.url, poolSize: 1 });
  const ids = fx.candidates.slice(2 * Math.floor(fx.candidates.length / 3)).map((x) => x.userId);
  for (let i = 0; i < ids.length; i += 500) await d.writer.updateTable('users').set({ password_hash: cheap }).where('id', 'in', ids.slice(i, i + 500)).execute();
  await d.close();
}
const db = await createDb({ url: copy.url, poolSize: 4 });
const app = await buildApp({ config, db, clock: () => new Date(), log: createLogger(config.LOG_LEVEL) });
await app.ready();

type Req = import("light-my-request").InjectOptions;
const only = values.only?.split(',');
const selected = (name: string) => !only || only.some((o) => name.startsWith(o));
/** what answered otherwise than expected: the run fails on any, after it has cleaned up */
const surprises: string[] = [];

/**
 * One route's CPU per request. A `setup` step that is not selected still runs (unmeasured) when a later
 * selected step needs its effect: reads and submits are of complete, valid dossiers, whatever `--only` says.
 */
async function measure(name: string, make: (i: number) => Req, expect: number[] = [200], opts: { setupFor?: string[] } = {}): Promise<void> {
  const measured = selected(name);
  if (!measured && !(opts.setupFor ?? []).some(selected)) return;
  const bad: Record<number, number> = {};
  let sample = '';
  const send = async (i: number) => {
    const r = await app.inject(make(i));
    if (!expect.includes(r.statusCode)) {
      bad[r.statusCode] = (bad[r.statusCode] ?? 0) + 1;
      sample ||= r.body.slice(0, 300);
    }
  };
  const report = () => {
    if (Object.keys(bad).length) surprises.push(`${name}: unexpected ${JSON.stringify(bad)}, e.g. ${sample}`);
  };
  if (!measured) {
    for (let i = 0; i < n; i++) await send(i);
    return report();
  }
  for (let i = 0; i < 20; i++) await send(i); // warm-up
  const profiler = values.prof ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 20; i < n; i++) await send(i);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (profiler && values.prof) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.mkdirSync(values.prof, { recursive: true });
    fs.writeFileSync(path.join(values.prof, `${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  const per = (x: number) => (x / (n - 20)).toFixed(0).padStart(6);
  process.stdout.write(`${name.padEnd(16)} wall ${per(wall * 1000)} µs  cpu ${per(cpu.user + cpu.system)} µs per request${Object.keys(bad).length ? `  UNEXPECTED ${JSON.stringify(bad)}` : ''}\n`);
  report();
}

const c = fx.candidates;
// the sample can be a little short of 3n (candidates without an account): a third each, signing in again if need be
const third = Math.floor(c.length / 3);
try {
  // a sign-in against the hash it contains: what a sign-in costs beyond argon2id
  if (selected('hash') || selected('sign-in')) {
    const stored = await hashPassword(BENCH_PASSWORD);
    for (let i = 0; i < 10; i++) await verifyPassword(stored, BENCH_PASSWORD);
    const m = Math.min(200, n);
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < m; i++) await verifyPassword(stored, BENCH_PASSWORD);
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`${'hash alone'.padEnd(16)} cpu ${((cpu.user + cpu.system) / m).toFixed(0).padStart(6)} µs per hash\n`);
  }
  await measure('sign-in', (i) => ({ method: 'POST', url: '/api/session', payload: { username: c[third + (i % third)]!.username, password: BENCH_PASSWORD }, remoteAddress: `10.9.${i % 250}.${1 + Math.floor(i / 250)}` }));
  const h = (i: number, write = false) => ({ cookie: c[i]!.cookie, ...(write ? { 'x-csrf-token': c[i]!.csrf } : {}) });
  await measure('sign-in, no hash', (i) => ({ method: 'POST', url: '/api/session', payload: { username: c[2 * third + (i % third)]!.username, password: BENCH_PASSWORD }, remoteAddress: `10.7.${i % 250}.${1 + Math.floor(i / 250)}` }));
  await measure('healthz', () => ({ method: 'GET', url: '/healthz' }));
  await measure('me', (i) => ({ method: 'GET', url: '/api/session/me', headers: h(i) }));
  // every sample dossier complete and valid (version 1), so that reads, saves and submits are the real ones
  await measure('fill (PATCH)', (i) => ({ method: 'PATCH', url: '/api/dossier', headers: { ...h(i, true), 'content-type': 'application/json', 'if-match': '"0"' }, payload: fillBody(c[i]!) }), [200], {
    setupFor: ['read', 'status', 'save contact', 'submit'],
  });
  await measure('read', (i) => ({ method: 'GET', url: '/api/dossier', headers: h(i) }));
  await measure('status', (i) => ({ method: 'GET', url: '/api/dossier/status', headers: h(i) }));
  await measure('save contact', (i) => ({ method: 'PUT', url: '/api/dossier/sections/contact', headers: { ...h(i, true), 'content-type': 'application/json', 'if-match': '"1"' }, payload: { phone: '0912 345 678', email: `a${i}@example.vn`, address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội' } }));
  await measure('submit', (i) => ({ method: 'POST', url: '/api/dossier/submit', headers: { ...h(i, true), 'content-type': 'application/json', 'idempotency-key': `cost-${i}-xxxxxx` }, payload: {} }));
  const o = fx.pointOfficers[0]!;
  await measure('point list 50', () => ({ method: 'GET', url: `/api/verification/queue?pointId=${o.pointId}&limit=50`, headers: { cookie: o.cookie } }));
} finally {
  await app.close();
  await db.close();
  await copy.dispose();
}
const T = (globalThis as { __sqlT?: Map<string, { n: number; ms: number }> }).__sqlT;
if (T) for (const [k, v] of [...T].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) process.stdout.write(`${v.ms.toFixed(0).padStart(6)} ms ${String(v.n).padStart(6)} × ${((v.ms * 1000) / v.n).toFixed(0).padStart(6)} µs  ${k.slice(0, 220)}\n`);
if (surprises.length > 0) {
  process.stderr.write(`route-cost: FAILED, requests answered an unexpected status (the figures above are not of the routes they name):\n  ${surprises.join('\n  ')}\n`);
  process.exitCode = 1;
}

// Starts a server (the app, or the bare route) in its own process for a benchmark or a load test, waits
// until it answers, and stops it. The load generator never shares a process with the server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';
/** The header that reads /metrics of a server started here. */
export const BENCH_METRICS_AUTH = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

async function waitUntil(url: string, child: ChildProcess, out: () => string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (hasEnded(child)) throw new Error(`server exited (${child.exitCode ?? child.signalCode}):\n${out().slice(-2000)}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become ready at ${url}:\n${out().slice(-2000)}`);
}

function track(child: ChildProcess): () => string {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  return () => out;
}

/** Whether the child has ended, by an exit or by a signal (a SIGKILLed child has no exit code, only a signal). */
export function hasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function stopper(child: ChildProcess): () => Promise<number | null> {
  return () =>
    new Promise((resolve) => {
      // already gone (killed, crashed or stopped before): its 'exit' has been emitted and will not come again
      if (hasEnded(child)) return resolve(child.exitCode);
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code) => {
        clearTimeout(t);
        resolve(code);
      });
      child.kill('SIGTERM');
    });
}

/** The application (src/cli/start.ts) on the given database, with the given extra environment. */
export async function startApp(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = env['DATA_DIR'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-app-'));
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the app process there when it stops (where the time goes)
  const prof = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  // BENCH_APP_FLAGS='--flag …' adds Node flags to the app process (to try a tuning before adopting it)
  const flags = (process.env['BENCH_APP_FLAGS'] ?? '').split(' ').filter(Boolean);
  // BENCH_APP_ENV='DB_POOL_SIZE=4 …' sets the app's configuration for a run (to compare settings)
  const extra = Object.fromEntries(
    (process.env['BENCH_APP_ENV'] ?? '')
      .split(' ')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const child = spawn(process.execPath, [...prof, ...flags, '--import', 'tsx', 'src/cli/start.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      // the links' simulators answer plain http on this machine (config.ts refuses that outside the demo)
      ALLOW_INSECURE_LINKS: 'true',
      SERVICES: 'web',
      // the lag-based load guard is off unless a test turns it on: a shared machine lags by itself
      MAX_EVENT_LOOP_DELAY_MS: '0',
      // the bench reads /metrics with it (metricValues)
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      // a data folder of its own (key file, uploads, notifications), never the checkout's ./data
      DATA_DIR: dataDir,
      ...env,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = track(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`${url}/readyz`, child, output, 120_000);
  const stop = stopper(child);
  return {
    url,
    port,
    child,
    output,
    // the folder goes with the process unless the caller named its own (a restart on the same data)
    stop: async () => {
      const code = await stop();
      if (env['DATA_DIR'] === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}


/** Unlabelled metrics of a server started here, read from its /metrics (0 for one it does not have). */
export async function metricValues<N extends string>(url: string, names: readonly N[]): Promise<Record<N, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: BENCH_METRICS_AUTH })).text();
  return Object.fromEntries(names.map((n) => [n, Number(new RegExp(`^${n} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)])) as Record<N, number>;
}

/** Node with these arguments, held to the given CPUs (a taskset list such as "0" or "1-3") when there are some. */
export function nodeCommand(args: string[], cpus?: string): [string, string[]] {
  return cpus ? ['taskset', ['-c', cpus, process.execPath, ...args]] : [process.execPath, args];
}

/** Whether processes can be held to CPUs here (util-linux's taskset). */
export function canPin(): boolean {
  return spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** The bare route, on the given CPUs if any (taskset execs node: the child's pid is the server's). */
export async function startBare(cpus?: string): Promise<RunningServer> {
  const port = await freePort();
  const [cmd, args] = nodeCommand(['--import', 'tsx', 'test/load/bare-server.ts', String(port)], cpus);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = track(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`${url}/bare`, child, output, 30_000);
  return { url, port, child, output, stop: stopper(child) };
}

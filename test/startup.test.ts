// The process as a newcomer and an operator meet it: `npm start`'s entry point on a fresh database,
// its banner, health endpoints, graceful stop, and the clear failures on bad configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './load/server-process.ts';
import { threadPriorities } from '../src/server/process-priority.ts';

const root = path.resolve(import.meta.dirname, '..');

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a fresh start migrates, loads the demo, prints the logins, serves health, and stops on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-start-'));
  const port = await freePort();
  const p = start({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${path.join(dir, 'sub', 'x.sqlite')}`, DATA_DIR: dir, PUBLIC_URL: `http://127.0.0.1:${port}` });
  try {
    await waitFor(() => p.output().includes('readyz'), 60_000);
    assert.match(p.output(), /bo\.quantri\s+ghidanh-demo-2026/);
    assert.match(p.output(), /candidate\s+001208100001/);
    const h = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(h.status, 200);
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { database: string }).database, 'sqlite');
    assert.ok(fs.existsSync(path.join(dir, 'sub', 'x.sqlite')), 'the database file and its folder were created');
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  } finally {
    p.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad configuration stops start-up with one message naming every bad variable', async () => {
  const p = start({ PORT: 'eighty', SQLITE_SYNCHRONOUS: 'OFF', DATABASE_URL: 'mysql://nope' });
  const code = await p.exited;
  assert.equal(code, 2);
  for (const name of ['PORT', 'SQLITE_SYNCHRONOUS', 'DATABASE_URL']) assert.match(p.output(), new RegExp(name));
  assert.match(p.output(), /Invalid configuration/);
});

test('a database folder that cannot be created or written stops start-up with a clear message', async () => {
  // a path under a regular file and one under /proc fail even for root, so these hold whoever runs them
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-ro-'));
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  for (const bad of [path.join(dir, 'a-file', 'db', 'x.sqlite'), '/proc/ghidanh-nope/db.sqlite']) {
    const p = start({ DATABASE_URL: `sqlite:${bad}`, PORT: String(await freePort()) });
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /database folder is not writable/);
    assert.ok(p.output().includes(path.dirname(bad)));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a PostgreSQL that is down stops start-up with a clear message and a non-zero exit', async () => {
  const p = start({ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/ghidanh', PORT: String(await freePort()) });
  assert.equal(await p.exited, 1);
  assert.match(p.output(), /cannot reach the database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/ghidanh/);
  assert.doesNotMatch(p.output(), /secret/, 'the password is never printed');
});

test('a process that is only the job worker runs at a lower CPU priority (WORKER_NICE); a web process does not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-nice-'));
  const base = { DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}`, DATA_DIR: dir, DEMO_DATA: 'false', LOG_LEVEL: 'info', HOST: '127.0.0.1' };
  const own = os.getPriority();
  const web = start({ ...base, PORT: String(await freePort()), SERVICES: 'web' });
  const procs = [web];
  try {
    await waitFor(() => web.output().includes('readyz') || web.output().includes('Server listening'), 60_000);
    const worker = start({ ...base, SERVICES: 'worker' });
    const plain = start({ ...base, SERVICES: 'worker', WORKER_NICE: '0' });
    procs.push(worker, plain);
    await waitFor(() => worker.output().includes('job worker started') && plain.output().includes('job worker started'), 60_000);
    assert.equal(os.getPriority(worker.child.pid!), Math.max(own, 10), 'the worker-only process lowered its priority');
    // every thread of it (on Linux a nice value is a thread's: V8's and libuv's helpers started before the
    // main thread lowered its own would otherwise run at the web's priority)
    const threads = threadPriorities(worker.child.pid!);
    if (process.platform === 'linux') assert.ok(threads.length > 1, `a node process has helper threads (${threads.length})`);
    assert.deepEqual([...new Set(threads)], [Math.max(own, 10)], `every thread lowered: ${threads.join(',')}`);
    assert.deepEqual([...new Set(threadPriorities(plain.child.pid!))], [own]);
    assert.match(worker.output(), /lower CPU priority/);
    assert.equal(os.getPriority(plain.child.pid!), own, 'WORKER_NICE=0 leaves it');
    assert.equal(os.getPriority(web.child.pid!), own, 'the web process keeps its priority');
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('PORT=0 listens on a free port and prints that port, not 0', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-port0-'));
  const p = start({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}`, DATA_DIR: dir, DEMO_DATA: 'false' });
  try {
    await waitFor(() => p.output().includes('readyz'), 60_000);
    const m = /is running at http:\/\/localhost:(\d+)/.exec(p.output());
    assert.ok(m, p.output());
    const port = Number(m[1]);
    assert.ok(port > 0, 'a real port');
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'the printed port is the one it listens on');
  } finally {
    p.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

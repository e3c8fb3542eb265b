// Starts a simulator as a child process (node --import tsx src/sims/<name>/main.ts --port 0 ...) and waits
// for its ready line; used by `npm start` in demo mode and by the tests. Stopping sends SIGTERM, then
// SIGKILL if it has not gone within a few seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

export type SimName = 'vneid' | 'population' | 'portal' | 'payment';

export interface RunningSim {
  name: SimName;
  url: string;
  pid: number;
  proc: ChildProcess;
  /** what it printed on stderr (for a failing test's message) */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function spawnSim(
  name: SimName,
  opts: { dataDir: string; seed?: number; args?: string[]; env?: Record<string, string>; timeoutMs?: number; stdio?: 'pipe' | 'inherit-stderr' },
): Promise<RunningSim> {
  // --exit-with-stdin: the simulator goes when this process goes, even if it is killed without a word
  const argv = ['--import', 'tsx', `src/sims/${name}/main.ts`, '--port', '0', '--data-dir', opts.dataDir, '--seed', String(opts.seed ?? 1), '--exit-with-stdin', '1', ...(opts.args ?? [])];
  const proc = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d) => {
    err += String(d);
    if (err.length > 20_000) err = err.slice(-20_000);
    if (opts.stdio === 'inherit-stderr') process.stderr.write(d as Buffer);
  });
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator ${name} did not start within ${opts.timeoutMs ?? 60_000} ms:\n${err}`)), opts.timeoutMs ?? 60_000);
    const lines = readline.createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      try {
        const m = JSON.parse(line) as { ready?: boolean; url?: string; pid?: number };
        if (m.ready && m.url) {
          clearTimeout(timer);
          resolve({ url: m.url, pid: m.pid ?? proc.pid ?? 0 });
        }
      } catch {}
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`simulator ${name} exited (${code ?? signal}) before it was ready:\n${err}`));
    });
  });
  return {
    name,
    url: ready.url,
    pid: ready.pid,
    proc,
    output: () => err,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    },
  };
}

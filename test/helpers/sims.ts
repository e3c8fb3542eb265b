// Starts a simulator of a national link as a real child process on port 0 with its own temp folder,
// waits for its ready line and stops it (SIGTERM, then SIGKILL); plus the control API and a scripted
// walk through the VNeID simulator's login page (what a person's browser does there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSim, type RunningSim, type SimName } from '../../src/sims/shared/spawn.ts';
import type { ControlCommand, ControlState } from '../../src/sims/shared/sim-server.ts';

export interface TestSim extends RunningSim {
  dataDir: string;
  control(cmd: ControlCommand): Promise<ControlState>;
  /** GET a test-only route (/__citizens, /__received …) as JSON */
  inspect<T = unknown>(pathAndQuery: string): Promise<T>;
  /** stops the process and keeps its data folder (to start it again on the same data) */
  stopProcess(): Promise<void>;
  /** POST to a test-only route */
  seed<T = unknown>(pathName: string, body: unknown): Promise<T>;
}

export async function startSim(name: SimName, opts: { seed?: number; args?: string[]; env?: Record<string, string>; dataDir?: string } = {}): Promise<TestSim> {
  const own = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ghidanh-sim-${name}-`));
  const sim = await spawnSim(name, { dataDir, seed: opts.seed, args: opts.args, env: opts.env });
  const json = async <T>(res: Response): Promise<T> => {
    if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ...sim,
    dataDir,
    control: async (cmd) => json<ControlState>(await fetch(`${sim.url}/__control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cmd) })),
    inspect: async <T>(p: string) => json<T>(await fetch(`${sim.url}${p}`)),
    seed: async <T>(p: string, body: unknown) => json<T>(await fetch(`${sim.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })),
    stopProcess: () => sim.stop(),
    async stop() {
      await sim.stop();
      if (own) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A cookie jar for one simulated browser: enough for the provider's interaction and session cookies. */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * What a person's browser does at the VNeID simulator: open the authorization URL, land on the login page,
 * pick the citizen and level, and follow the redirects until they leave the simulator. Answers the URL the
 * provider sends the browser back to (the app's callback with code and state, or an error).
 */
export async function signInAtVneid(authorizationUrl: string, personalNumber: string, level: 1 | 2 = 2): Promise<URL> {
  const jar = new Jar();
  const simOrigin = new URL(authorizationUrl).origin;
  let url = new URL(authorizationUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    jar.take(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.origin !== simOrigin) return next;
      url = next;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200 || !url.pathname.startsWith('/interaction/')) throw new Error(`unexpected page at ${url}: ${res.status} ${html.slice(0, 300)}`);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no login form at ${url}: ${html.slice(0, 300)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url);
    method = 'POST';
    body = new URLSearchParams({ personalNumber: '', otherPersonalNumber: personalNumber, level: String(level) }).toString();
  }
  throw new Error('too many redirects at the VNeID simulator');
}

// Browser-test harness: the real server (src/cli/start.ts on a free port, a temp SQLite database with the
// demo loaded), Debian's chromium driven by playwright-core (nothing downloads a browser), axe-core run
// inside every page checked, and screenshots at 360 px and 1280 px into test-results/screenshots/.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebIfStale } from '../../src/web/build-if-stale.ts';
import { freePort, hasEnded } from '../load/server-process.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results/screenshots');
const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Server {
  url: string;
  dbFile: string;
  proc: ChildProcess;
  stop: () => Promise<void>;
  output: () => string;
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<Server> {
  await buildWebIfStale({ quiet: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-e2e-'));
  const port = await freePort();
  const dbFile = path.join(dir, 'db.sqlite');
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATABASE_URL: `sqlite:${dbFile}`, DATA_DIR: dir, LOG_LEVEL: 'warn', NOTIFY_PROVIDER: 'none', MAX_EVENT_LOOP_DELAY_MS: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (out += String(d)));
  proc.stderr?.on('data', (d) => (out += String(d)));
  // a start loads the demo year and spawns the simulators: on a loaded shared machine it can take minutes
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (hasEnded(proc)) throw new Error(`server exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      // a server left running would hold the test process open (its pipes) long after the failure
      proc.kill('SIGKILL');
      throw new Error(`server did not start in 180 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dbFile,
    proc,
    output: () => out,
    stop: async () => {
      if (hasEnded(proc)) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      if (!hasEnded(proc)) proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install Debian's package: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH). The browser tests never download a browser.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface AxeSummary {
  page: string;
  violations: Array<{ id: string; impact: string | null; nodes: number; help: string }>;
}
export const axeLog: AxeSummary[] = [];

/** axe-core in the page (no serious or critical violation allowed), then screenshots at both widths. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => {});
  // evaluated through the debugging protocol, not as an inline <script>: the site's CSP (no inline script) stays on
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[]; help: string }> }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
  })) as { violations: Array<{ id: string; impact: string | null; nodes: unknown[]; help: string }> };
  const violations = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  axeLog.push({ page: name, violations });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe: serious/critical violations on ${name}: ${JSON.stringify(bad)}`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

export function writeAxeReport(): void {
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-results/axe-report.json'), JSON.stringify(axeLog, null, 2));
}

export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

/** The demo's staff password (every staff login `npm start` prints). */
export const DEMO_STAFF_PASSWORD = 'ghidanh-demo-2026';

/**
 * The demo server and a browser for the tests of one describe block: started before them, stopped after.
 * Read `server` and `browser` inside the tests (they exist once the block's before hook has run).
 */
export function demoInBrowser(extraEnv: Record<string, string> = {}): { readonly server: Server; readonly browser: Browser } {
  const s = {} as { server: Server; browser: Browser };
  before(async () => {
    s.server = await startServer(extraEnv);
    s.browser = await launchBrowser();
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.stop();
  });
  return s;
}

/** A page in a new context of `browser` (1280×900 unless told), signed in as a demo staff member and on their home page. */
export async function staffPage(
  demo: { readonly server: Server; readonly browser: Browser },
  username: string,
  opts: { width?: number; height?: number; timeoutMs?: number } = {},
): Promise<{ page: Page; close: () => Promise<void> }> {
  const ctx = await demo.browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(opts.timeoutMs ?? 20_000);
  await signIn(page, demo.server.url, username, DEMO_STAFF_PASSWORD);
  await page.waitForURL(/\/dashboard/);
  return { page, close: () => ctx.close() };
}

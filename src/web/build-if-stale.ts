// Node script (not shipped to the browser): builds dist/web with Vite when it is missing or older than its
// sources (src/web, src/domain, src/contracts, reference/, vite.config.ts), so `npm start` on a fresh clone serves the
// app and a second start is instant. Exported for the browser tests, which need the same guarantee.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const out = path.join(repo, 'dist/web');
const stamp = path.join(out, 'index.html');

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules') m = Math.max(m, newest(path.join(p, e)));
  return m;
}

export function webBuildIsStale(): boolean {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const src = Math.max(...['src/web', 'src/domain', 'src/contracts', 'reference', 'vite.config.ts', 'package-lock.json'].map((p) => newest(path.join(repo, p))));
  return src > built;
}

const lockFile = path.join(repo, 'dist', '.web-build.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One build at a time across processes (the browser test files run side by side, each making sure the
 * app is built): the others wait for the lock, then find the build fresh. A lock left by a process that
 * died is taken over.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(fs.readFileSync(lockFile, 'utf8') || '0');
      if (holder && !alive(holder)) fs.rmSync(lockFile, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

export async function buildWebIfStale(opts: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!opts.force && !webBuildIsStale()) return false;
  return withBuildLock(async () => {
    if (!opts.force && !webBuildIsStale()) return false; // another process built it while this one waited
    const { build } = await import('vite');
    // built beside dist/web and swapped in whole: a server reading dist/web never sees it half-written
    const fresh = path.join(repo, 'dist', `web.build-${process.pid}`);
    const old = path.join(repo, 'dist', `web.old-${process.pid}`);
    await build({ configFile: path.join(repo, 'vite.config.ts'), logLevel: opts.quiet ? 'warn' : 'info', build: { outDir: fresh, emptyOutDir: true } });
    if (fs.existsSync(out)) fs.renameSync(out, old);
    fs.renameSync(fresh, out);
    fs.rmSync(old, { recursive: true, force: true });
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const built = await buildWebIfStale({ force });
  if (!built) process.stdout.write('dist/web is up to date.\n');
}

// Node script (not shipped to the browser): builds dist/web with Vite when it is missing or older than its
// sources (src/web, src/domain, reference/, vite.config.ts), so `npm start` on a fresh clone serves the
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
  const src = Math.max(...['src/web', 'src/domain', 'reference', 'vite.config.ts', 'package-lock.json'].map((p) => newest(path.join(repo, p))));
  return src > built;
}

export async function buildWebIfStale(opts: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!opts.force && !webBuildIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: path.join(repo, 'vite.config.ts'), logLevel: opts.quiet ? 'warn' : 'info' });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const built = await buildWebIfStale({ force });
  if (!built) process.stdout.write('dist/web is up to date.\n');
}

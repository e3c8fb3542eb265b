// `node --import tsx test/load/ab.ts [--base <ref or folder>] [--runs 3] [--db sqlite|postgres] -- <route-cost options>`:
// the app's CPU per request on the hot routes, this tree (B) against another version of it (A), measured
// by test/load/route-cost.ts run alternately A, B, A, B, … (each in a process of its own, on its own copy of
// the quick country), and the median of each route's figures printed side by side. On a machine other work
// shares, a single run's figure moves by a fifth from one minute to the next; alternating and taking medians
// is what lets a change of a few per cent show. `--base` is a git ref (checked out once, detached, under
// .cache/ab/<ref>, with this tree's node_modules) or a folder holding another checkout; default: main.
// `--with` names B the same way (default: this tree), so a tree being edited can measure two commits.
// Example: `node --import tsx test/load/ab.ts --runs 5 -- --only read,save,submit --n 1500`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './server-process.ts';

const dashdash = process.argv.indexOf('--');
const own = dashdash < 0 ? process.argv.slice(2) : process.argv.slice(2, dashdash);
const passed = dashdash < 0 ? [] : process.argv.slice(dashdash + 1);
const { values } = parseArgs({ args: own, options: { base: { type: 'string', default: 'main' }, with: { type: 'string' }, runs: { type: 'string', default: '3' }, db: { type: 'string', default: 'sqlite' } } });
const runs = Number(values.runs);
const log = (s: string) => process.stderr.write(`ab: ${s}\n`);

/** A folder holding version A: the folder given, or a detached checkout of the ref sharing this tree's modules and country cache. */
function baseFolder(base: string): string {
  if (fs.existsSync(path.join(base, 'package.json'))) return path.resolve(base);
  const commit = spawnSync('git', ['rev-parse', '--verify', `${base}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  if (!commit) throw new Error(`--base ${base}: neither a folder with a checkout nor a git ref`);
  const dir = path.join(ROOT, '.cache', 'ab', commit.slice(0, 12));
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    const r = spawnSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git worktree add: ${r.stderr}`);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    fs.mkdirSync(path.join(dir, '.cache'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, '.cache', 'bench'), path.join(dir, '.cache', 'bench'));
  }
  return dir;
}

/**
 * One route-cost run in `dir`: route name → CPU µs per request. Both sides run this tree's harness (copied
 * beside the other version's code), so a change to the measurement itself never reads as a change of the app.
 */
function runOnce(dir: string): Map<string, number> {
  const harness = path.join('test', 'load', 'route-cost.ab.ts');
  fs.copyFileSync(path.join(ROOT, 'test', 'load', 'route-cost.ts'), path.join(dir, harness));
  const r = spawnSync(process.execPath, ['--import', 'tsx', harness, '--db', values.db, ...passed], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`route-cost in ${dir} failed:\n${r.stderr.slice(-2000)}`);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(.+?)\s+wall\s+\d+ µs\s+cpu\s+(\d+) µs per request/.exec(line);
    if (m) out.set(m[1]!.trim(), Number(m[2]));
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const a = baseFolder(values.base);
const b = values.with ? baseFolder(values.with) : ROOT;
const figures = { A: new Map<string, number[]>(), B: new Map<string, number[]>() };
for (let i = 0; i < runs; i++) {
  for (const [side, dir] of [['A', a], ['B', b]] as const) {
    const t0 = Date.now();
    const got = runOnce(dir);
    for (const [k, v] of got) figures[side].set(k, [...(figures[side].get(k) ?? []), v]);
    log(`run ${i + 1}/${runs} ${side} (${((Date.now() - t0) / 1000).toFixed(0)} s): ${[...got].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
}
process.stdout.write(`CPU µs per request, medians of ${runs} alternating runs (${values.db}; A = ${values.base}, B = ${values.with ?? 'this tree'})\n`);
process.stdout.write(`${'route'.padEnd(16)} ${'A'.padStart(7)} ${'B'.padStart(7)}  change   (A runs | B runs)\n`);
for (const [route, xs] of figures.A) {
  const ys = figures.B.get(route) ?? [];
  const ma = median(xs);
  const mb = ys.length ? median(ys) : NaN;
  process.stdout.write(`${route.padEnd(16)} ${ma.toFixed(0).padStart(7)} ${mb.toFixed(0).padStart(7)}  ${(((mb - ma) / ma) * 100).toFixed(1).padStart(6)}%  (${xs.join(' ')} | ${ys.join(' ')})\n`);
}

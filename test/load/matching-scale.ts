// `node --import tsx test/load/matching-scale.ts [--sizes 100000,1000000,3000000,season] [--seed 1] [--no-hash] [--json]`
// How the national admission run grows: for each size, a fresh process generates a synthetic season
// (src/domain/admission/synthetic.ts; a size is a number of wishes, `season` the 2025 season's 850,000
// candidates), runs the compact engine on it, hashes its input and result, and reports the time (wall and
// CPU, by phase) and the memory: RSS, heap and array buffers at the end, and the peak RSS (VmHWM) after
// generating and after matching. One process per size, so each peak is that size's own. CPU-heavy: run it
// when you need the figures (`npm run bench -- --only g-matching` runs the season's row).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runCompactAdmission, type CompactRunOptions } from '../../src/domain/admission/compact.ts';
import { syntheticSeason, WISHES_PER_CANDIDATE } from '../../src/domain/admission/synthetic.ts';
import { hashCompactInput, hashCompactResult } from '../../src/server/admission/run-hash.ts';

/** The 2025 season: 849,544 candidates (rounded), about 7.6 M wishes. */
export const SEASON_CANDIDATES = 850_000;

export interface MatchingFigures {
  size: string;
  candidates: number;
  programmes: number;
  wishes: number;
  /** wishes that took part (paid, eligible, within the teacher-training cap) */
  considered: number;
  admitted: number;
  generate_ms: number;
  /** the run itself, wall clock */
  match_ms: number;
  /** the run's CPU time (user + system), and by phase */
  match_cpu_ms: number;
  phases_cpu_ms: Record<string, number>;
  hash_input_ms?: number;
  hash_result_ms?: number;
  /** CPU time of both hashes */
  hash_cpu_ms?: number;
  input_sha256?: string;
  result_sha256?: string;
  /** MiB */
  rss_mib: number;
  heap_used_mib: number;
  array_buffers_mib: number;
  /** peak resident memory (VmHWM) after generating the season, and after the run: the run's own cost is the difference */
  peak_after_generate_mib: number;
  peak_after_match_mib: number;
}

const MiB = 1024 * 1024;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function vmHwmMib(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Candidates for a size: a number of wishes, or `season`. */
export function candidatesFor(size: string): number {
  if (size === 'season') return SEASON_CANDIDATES;
  const wishes = Number(size);
  if (!Number.isFinite(wishes) || wishes <= 0) throw new Error(`not a size: ${size} (a number of wishes, or "season")`);
  return Math.max(1, Math.round(wishes / WISHES_PER_CANDIDATE));
}

/** Generates, matches and hashes one size in this process. */
export function measureHere(size: string, seed: number, hash: boolean): MatchingFigures {
  const candidates = candidatesFor(size);
  let t = performance.now();
  const ci = syntheticSeason({ seed, candidates });
  const generate_ms = performance.now() - t;
  const peakAfterGenerate = vmHwmMib();
  const phases: Record<string, number> = {};
  let last = cpuMs();
  const onPhase: CompactRunOptions['onPhase'] = (p) => {
    const now = cpuMs();
    phases[p] = Math.round(now - last);
    last = now;
  };
  const cpu0 = cpuMs();
  t = performance.now();
  const r = runCompactAdmission(ci, { onPhase });
  const match_ms = performance.now() - t;
  const match_cpu_ms = cpuMs() - cpu0;
  const peakAfterMatch = vmHwmMib();
  const figures: MatchingFigures = {
    size,
    candidates,
    programmes: ci.programmeIds.length,
    wishes: ci.wishProgramme.length,
    considered: r.stats.considered,
    admitted: r.admittedWish.reduce((n, x) => n + (x >= 0 ? 1 : 0), 0),
    generate_ms: Math.round(generate_ms),
    match_ms: Math.round(match_ms),
    match_cpu_ms: Math.round(match_cpu_ms),
    phases_cpu_ms: phases,
    rss_mib: 0,
    heap_used_mib: 0,
    array_buffers_mib: 0,
    peak_after_generate_mib: peakAfterGenerate,
    peak_after_match_mib: peakAfterMatch,
  };
  if (hash) {
    const hashCpu0 = cpuMs();
    t = performance.now();
    figures.input_sha256 = hashCompactInput(ci, r);
    figures.hash_input_ms = Math.round(performance.now() - t);
    t = performance.now();
    figures.result_sha256 = hashCompactResult(ci, r, figures.input_sha256);
    figures.hash_result_ms = Math.round(performance.now() - t);
    figures.hash_cpu_ms = Math.round(cpuMs() - hashCpu0);
  }
  const m = process.memoryUsage();
  figures.rss_mib = Math.round(m.rss / MiB);
  figures.heap_used_mib = Math.round(m.heapUsed / MiB);
  figures.array_buffers_mib = Math.round(m.arrayBuffers / MiB);
  return figures;
}

const SELF = fileURLToPath(import.meta.url);

/** Measures one size in a fresh process (so its peak memory is its own). */
export function measureInChild(size: string, seed: number, hash: boolean): Promise<MatchingFigures> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', SELF, '--child', size, '--seed', String(seed), ...(hash ? [] : ['--no-hash'])];
    const child = spawn(process.execPath, args, { cwd: path.resolve(path.dirname(SELF), '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`matching-scale ${size} exited ${code}: ${err.slice(-2000)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as MatchingFigures);
    });
  });
}

const n = (x: number) => x.toLocaleString('en-US');
const s = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(2) + ' s');

export function describe(f: MatchingFigures): string {
  const phases = Object.entries(f.phases_cpu_ms)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `${n(f.wishes).padStart(9)} wishes  ${n(f.candidates).padStart(7)} candidates  ${n(f.programmes).padStart(5)} programmes`,
    `  match ${s(f.match_ms)} wall, ${s(f.match_cpu_ms)} CPU (${phases} ms)`,
    `  peak RSS ${f.peak_after_generate_mib} MiB after generating, ${f.peak_after_match_mib} MiB after the run; at the end RSS ${f.rss_mib} MiB, heap ${f.heap_used_mib} MiB, array buffers ${f.array_buffers_mib} MiB`,
    `  hash input ${s(f.hash_input_ms)}, result ${s(f.hash_result_ms)} (CPU ${s(f.hash_cpu_ms)}); generate ${s(f.generate_ms)}; ${n(f.considered)} wishes took part, ${n(f.admitted)} admitted`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      sizes: { type: 'string', default: '100000,1000000,3000000,season' },
      seed: { type: 'string', default: '1' },
      'no-hash': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const seed = Number(values.seed);
  const hash = !values['no-hash'];
  if (values.child) {
    process.stdout.write(JSON.stringify(measureHere(values.child, seed, hash)) + '\n');
  } else {
    for (const size of values.sizes.split(',').map((x) => x.trim())) {
      const f = await measureInChild(size, seed, hash);
      process.stdout.write((values.json ? JSON.stringify(f) : describe(f)) + '\n');
    }
  }
}

// `node --import tsx test/load/matching-db-scale.ts [--db sqlite|postgres] [--wishes 1000000] [--seed 1] [--postgres-url URL] [--json] [--keep DIR] [--threads 2]`
// or load a season once into an empty database, `… --load-into sqlite:FILE|postgres://…/DB --wishes N`, and run it
// as often as needed: `… --run-only sqlite:FILE|postgres://…/DB [--threads N]`; or run a season `npm run seed`
// wrote, under that year's own admission rules: `… --run-only sqlite:FILE --year 2025`
// The whole national admission run from the database (issue 24, item 3): a synthetic season
// (src/domain/admission/synthetic.ts) written straight into adm-catalogue's tables (programmes, wishes with
// their fee status) and the published marks (exam_marks) the scores come from; then, in a fresh process so
// that its peak memory is its own, the run as the ministry starts it (src/server/admission/execute-run.ts):
// read and score every wish (two worker threads, ranges of whole candidates), match, hash (a thread of its
// own, beside the store), store the results; `--threads 0` does it all on one thread, as before.
// Prints the time per phase and the peak RSS (VmHWM) of the run's process. CPU-heavy: run it when you need
// the figures (`npm run bench -- --only g-matching-db`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../src/server/db/create-db.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { loadReferenceData } from '../../src/server/reference/reference.repository.ts';
import { insertExamYear } from '../../src/server/exam-years/exam-years.repository.ts';
import type { BulkTarget } from '../../src/server/db/dialects/bulk.ts';
import { EXCLUDED_UNPAID } from '../../src/domain/admission/compact.ts';
import { seededRandom, syntheticSeason, WISHES_PER_CANDIDATE } from '../../src/domain/admission/synthetic.ts';
import { executeRun } from '../../src/server/admission/execute-run.ts';
import { insertRun } from '../../src/server/admission/run.repository.ts';
import { admissionRulesOf } from '../../src/server/admission/runs.ts';
import { findExamYear } from '../../src/server/exam-years/exam-years.repository.ts';

const YEAR = 2026;
const RULES = { wishCap: null, teacherTrainingMaxPosition: 5, combinationFloor: null };
/** combinations whose papers every synthetic candidate sat (no pinned language: the scale run writes no dossiers) */
const COMBOS = ['A00', 'B00', 'C00', 'A02', 'C01', 'A07'];
const PAPERS = ['TOAN', 'VAN', 'LI', 'HOA', 'SINH', 'SU', 'DIA'];

export interface DbMatchingFigures {
  db: 'sqlite' | 'postgres';
  candidates: number;
  programmes: number;
  wishes: number;
  marks: number;
  considered: number;
  admitted: number;
  load_ms: number;
  /** the run: read (of which waiting on the database), match, hash, store; and its total */
  read_ms: number;
  read_db_ms: number;
  match_ms: number;
  /** the hashes' own time (on their thread, beside the store), and what the run then still waited for them */
  hash_ms: number;
  hash_wait_ms: number;
  store_ms: number;
  /** reading threads (0: the run's own thread read and scored) */
  threads: number;
  /** 1: the hash ran on a thread of its own beside the store */
  hash_thread: number;
  total_ms: number;
  cpu_ms: number;
  peak_rss_mib: number;
  /** the machine's 1-minute load average as the run started and as it ended (2 cores: above 2, others were running too) */
  load_before: number;
  load_after: number;
  input_sha256: string;
  result_sha256: string;
  /** every run's wall time when the season was run more than once (the figures above are the median run's) */
  runs_total_ms?: number[];
  runs_cpu_ms?: number[];
}

const SELF = fileURLToPath(import.meta.url);
const vmHwmMib = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

async function newDatabase(kind: 'sqlite' | 'postgres', pgUrl: string, keep: string | undefined): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-matchdb-'));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'season.sqlite');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    return { url: `sqlite:${file}`, drop: async () => (keep ? undefined : fs.rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `ghidanh_matchdb_${randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      if (keep) return;
      const d = new pg.Client({ connectionString: pgUrl });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** Writes the synthetic season into the tables; returns the counts. */
export async function loadSeason(db: Db, wishes: number, seed: number): Promise<{ candidates: number; programmes: number; wishes: number; marks: number }> {
  const now = new Date('2026-08-10T03:00:00Z');
  await migrate(db.writer, db.dialect);
  await loadReferenceData(db.writer, now);
  await db.write((trx) =>
    insertExamYear(
      trx,
      {
        year: YEAR,
        scheme: 'CT2018',
        windows: {
          accountIssuing: { from: '2026-04-01', to: '2026-04-05' },
          trial: { from: '2026-04-06', to: '2026-04-09', closesAt: '17:00' },
          official: { from: '2026-04-10', to: '2026-04-20', closesAt: '17:00' },
          correction: { from: '2026-04-20', opensAt: '17:00', to: '2026-05-01', closesAt: '17:00' },
        },
        published: true,
      },
      now,
    ),
  );
  const candidates = Math.max(1, Math.round(wishes / WISHES_PER_CANDIDATE));
  const ci = syntheticSeason({ seed, candidates });
  const at = now.toISOString();
  const rand = seededRandom(seed + 7);
  const P = ci.programmeIds.length;
  const comboOf = Array.from({ length: P }, () => COMBOS[Math.floor(rand() * COMBOS.length)]!);
  const programmes = Array.from({ length: P }, (_, p) => p);
  const progTarget: BulkTarget<number> = {
    table: 'admission_programmes',
    columns: ['id', 'exam_year', 'institution_id', 'institution_code', 'code', 'method', 'name', 'search_name', 'combinations', 'scoring', 'quota', 'min_score_centi', 'teacher_training', 'tie_policy', 'status', 'created_at', 'updated_at', 'published_at'],
    pgTypes: { exam_year: 'int4', quota: 'int4', min_score_centi: 'int4', teacher_training: 'int4' },
    rowOf: (p) => ({
      id: ci.programmeIds[p],
      exam_year: YEAR,
      institution_id: `inst-${p % 500}`,
      institution_code: `I${String(p % 500).padStart(3, '0')}`,
      code: String(7000000 + p),
      method: '100',
      name: `Ngành ${p}`,
      search_name: `nganh ${p}`,
      combinations: JSON.stringify([{ code: comboOf[p] }]),
      scoring: 'sum',
      quota: ci.quota[p],
      min_score_centi: ci.minScore[p] === -2147483648 ? null : ci.minScore[p],
      teacher_training: ci.teacherTraining[p],
      tie_policy: JSON.stringify(ci.policies[p]),
      status: 'published',
      created_at: at,
      updated_at: at,
      published_at: at,
    }),
  };
  await db.dialect.bulkLoad(db.writer, [progTarget as BulkTarget<unknown>], programmes[Symbol.iterator]() as Iterator<unknown>, { batchSize: 5000, total: P });

  // marks: one row per paper; the Math paper is the season's tie-break value, the others spread around it
  function* markRows(): Generator<{ c: number; subject: string; centi: number }> {
    for (let c = 0; c < ci.candidateIds.length; c++) {
      const math = ci.wishTie[ci.wishStart[c]!] ?? 650;
      for (const subject of PAPERS) {
        const centi = subject === 'TOAN' ? math : Math.max(0, Math.min(1000, Math.round((math + (rand() - 0.5) * 300) / 25) * 25));
        yield { c, subject, centi };
      }
    }
  }
  const markTarget: BulkTarget<{ c: number; subject: string; centi: number }> = {
    table: 'exam_marks',
    columns: ['exam_year', 'candidate_id', 'subject', 'department_code', 'kind', 'score_centi', 'version', 'updated_at'],
    pgTypes: { exam_year: 'int4', score_centi: 'int4', version: 'int4' },
    rowOf: (m) => ({ exam_year: YEAR, candidate_id: ci.candidateIds[m.c], subject: m.subject, department_code: '01', kind: 'score', score_centi: m.centi, version: 1, updated_at: at }),
  };
  const marks = await db.dialect.bulkLoad(db.writer, [markTarget as BulkTarget<unknown>], markRows() as Iterator<unknown>, { batchSize: 50_000, total: ci.candidateIds.length * PAPERS.length });

  function* wishRows(): Generator<{ c: number; w: number }> {
    for (let c = 0; c < ci.candidateIds.length; c++) for (let w = ci.wishStart[c]!; w < ci.wishStart[c + 1]!; w++) yield { c, w };
  }
  const wishTarget: BulkTarget<{ c: number; w: number }> = {
    table: 'admission_wishes',
    columns: ['id', 'exam_year', 'candidate_id', 'position', 'programme_id', 'combination', 'fee_status', 'created_at', 'updated_at'],
    pgTypes: { exam_year: 'int4', position: 'int4' },
    rowOf: ({ c, w }) => ({
      id: `W${w}`,
      exam_year: YEAR,
      candidate_id: ci.candidateIds[c],
      position: w - ci.wishStart[c]! + 1,
      programme_id: ci.programmeIds[ci.wishProgramme[w]!],
      combination: comboOf[ci.wishProgramme[w]!],
      fee_status: ci.wishExcluded[w] === EXCLUDED_UNPAID ? 'unpaid' : 'paid',
      created_at: at,
      updated_at: at,
    }),
  };
  const W = await db.dialect.bulkLoad(db.writer, [wishTarget as BulkTarget<unknown>], wishRows() as Iterator<unknown>, { batchSize: 50_000, total: ci.wishProgramme.length });
  // the planner's statistics and PostgreSQL's visibility map, as a live database has them (autovacuum, or the
  // nightly maintenance): without statistics PostgreSQL sorts the whole wish table for each keyset batch, and
  // without the visibility map its read of the covering index (migration 051) still visits every table page
  if (db.dialect.name === 'postgres') await sql`vacuum analyze`.execute(db.writer);
  else await sql`analyze`.execute(db.writer);
  return { candidates: ci.candidateIds.length, programmes: P, wishes: W, marks };
}

/** The run, in this process: as the ministry's start does it, minus the request. */
export async function runHere(url: string, threads?: number, year?: number): Promise<Omit<DbMatchingFigures, 'db' | 'load_ms' | 'marks'>> {
  const db = await createDb({ url, poolSize: 4 });
  try {
    const id = `scale-${Date.now()}`;
    // the scale season's year and rules, or a seeded year under its own configuration (as the ministry's run)
    const examYear = year ?? YEAR;
    const found = year === undefined ? null : await findExamYear(db.read, year);
    if (year !== undefined && !found) throw new Error(`no exam year ${year} in ${url}`);
    const rules = found ? admissionRulesOf(found.rules) : RULES;
    await db.write((trx) => insertRun(trx, { id, examYear, startedBy: 'scale', startedAt: new Date().toISOString(), previousRunId: null, reason: null }));
    const load_before = os.loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const f = await executeRun(db, id, examYear, rules, null, threads === undefined ? {} : { threads });
    const total = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const load_after = os.loadavg()[0]!;
    return {
      candidates: f.candidates,
      programmes: f.programmes,
      wishes: f.wishes,
      considered: f.considered,
      admitted: f.admitted,
      read_ms: f.timings['read_ms']!,
      read_db_ms: f.timings['read_db_ms']!,
      match_ms: f.timings['match_ms']!,
      hash_ms: f.timings['hash_ms']!,
      hash_wait_ms: f.timings['hash_wait_ms']!,
      store_ms: f.timings['store_ms']!,
      threads: f.timings['read_threads']!,
      hash_thread: f.timings['hash_thread'] ?? 0,
      total_ms: Math.round(total),
      cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
      peak_rss_mib: vmHwmMib(),
      load_before: Math.round(load_before * 100) / 100,
      load_after: Math.round(load_after * 100) / 100,
      input_sha256: f.inputHash,
      result_sha256: f.resultHash,
    };
  } finally {
    await db.close();
  }
}

/**
 * The V8 flags `npm start` gives the app's processes (package.json), so the run is measured as deployed: a
 * young generation of 64 MiB semi-spaces instead of 16. A national run keeps batches of rows alive across
 * many small scavenges (PostgreSQL's driver above all); with the larger young generation the PostgreSQL run's
 * CPU fell from 38 to 27 s (docs/capacity.md). `RUN_NODE_FLAGS=` (empty) measures without.
 */
const RUN_NODE_FLAGS = (process.env['RUN_NODE_FLAGS'] ?? '--max-semi-space-size=128').split(' ').filter(Boolean);

function runInChild(url: string, threads?: number): Promise<Omit<DbMatchingFigures, 'db' | 'load_ms' | 'marks'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...RUN_NODE_FLAGS, '--import', 'tsx', SELF, '--run-only', url, ...(threads === undefined ? [] : ['--threads', String(threads)])], { cwd: path.resolve(path.dirname(SELF), '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`run exited ${code}: ${err.slice(-2000)}`))));
  });
}

/**
 * Loads a season of `wishes` into a fresh database of `kind`, runs it `runs` times, each in a child process of
 * its own (each run a new run of the same season, as a ministry re-running it would), drops the database.
 * The figures are the median run's (by wall time), with every run's wall and CPU time beside them; the
 * input and result hashes must agree between runs (the run is deterministic), or this throws.
 */
export async function measureDbRun(kind: 'sqlite' | 'postgres', wishes: number, seed: number, pgUrl: string, keep?: string, threads?: number, runs = 1): Promise<DbMatchingFigures> {
  const target = await newDatabase(kind, pgUrl, keep);
  try {
    const db = await createDb({ url: target.url, poolSize: 4, sqliteSynchronous: 'NORMAL' });
    const t = performance.now();
    let counts;
    try {
      counts = await loadSeason(db, wishes, seed);
    } finally {
      await db.close();
    }
    const load_ms = Math.round(performance.now() - t);
    const all: Array<Awaited<ReturnType<typeof runInChild>>> = [];
    for (let i = 0; i < Math.max(1, runs); i++) all.push(await runInChild(target.url, threads));
    for (const r of all) {
      if (r.input_sha256 !== all[0]!.input_sha256 || r.result_sha256 !== all[0]!.result_sha256) throw new Error('two runs of the same season hashed differently: the run is not deterministic');
    }
    const median = [...all].sort((a, b) => a.total_ms - b.total_ms)[Math.floor((all.length - 1) / 2)]!;
    return { db: kind, load_ms, marks: counts.marks, ...median, ...(all.length > 1 ? { runs_total_ms: all.map((r) => r.total_ms), runs_cpu_ms: all.map((r) => r.cpu_ms) } : {}) };
  } finally {
    await target.drop();
  }
}

const s = (ms: number) => (ms / 1000).toFixed(1) + ' s';
export function describeDbRun(f: DbMatchingFigures): string {
  return [
    `${f.db}: ${f.wishes.toLocaleString('en-US')} wishes, ${f.candidates.toLocaleString('en-US')} candidates, ${f.programmes.toLocaleString('en-US')} programmes, ${f.marks.toLocaleString('en-US')} marks (loaded in ${s(f.load_ms)})`,
    ...(f.runs_total_ms ? [`  ${f.runs_total_ms.length} runs: ${f.runs_total_ms.map(s).join(', ')} (CPU ${f.runs_cpu_ms!.map(s).join(', ')}); the median run:`] : []),
    `  run ${s(f.total_ms)} (CPU ${s(f.cpu_ms)}): read ${s(f.read_ms)} on ${f.threads || 'the run\'s own'} thread${f.threads === 1 ? '' : 's'} (waiting on the database ${s(f.read_db_ms)}${f.threads > 1 ? ', summed over the threads' : ''}), match ${s(f.match_ms)}, hash ${s(f.hash_ms)}${f.hash_thread ? ` beside the store (then waited ${s(f.hash_wait_ms ?? 0)})` : ''}, store ${s(f.store_ms)}; peak RSS ${f.peak_rss_mib} MiB; load average ${f.load_before} → ${f.load_after}`,
    `  ${f.considered.toLocaleString('en-US')} wishes took part, ${f.admitted.toLocaleString('en-US')} admitted; input ${f.input_sha256.slice(0, 12)}…, result ${f.result_sha256.slice(0, 12)}…`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const { values } = parseArgs({
    options: {
      'run-only': { type: 'string' },
      'load-into': { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      wishes: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      'postgres-url': { type: 'string', default: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test' },
      keep: { type: 'string' },
      json: { type: 'boolean', default: false },
      threads: { type: 'string' },
      year: { type: 'string' },
      runs: { type: 'string', default: '1' },
    },
    strict: true,
  });
  if (values['load-into']) {
    const db = await createDb({ url: values['load-into'], poolSize: 4, sqliteSynchronous: 'NORMAL' });
    const t = performance.now();
    try {
      const counts = await loadSeason(db, Number(values.wishes), Number(values.seed));
      process.stdout.write(JSON.stringify({ ...counts, load_ms: Math.round(performance.now() - t) }) + '\n');
    } finally {
      await db.close();
    }
  } else if (values['run-only']) {
    const year = values.year === undefined ? undefined : Number(values.year);
    process.stdout.write(JSON.stringify(await runHere(values['run-only'], values.threads === undefined ? undefined : Number(values.threads), year)) + '\n');
  } else {
    for (const kind of values.db.split(',') as Array<'sqlite' | 'postgres'>) {
      for (const w of values.wishes.split(',')) {
        const f = await measureDbRun(kind, Number(w), Number(values.seed), values['postgres-url'], values.keep, values.threads === undefined ? undefined : Number(values.threads), Number(values.runs));
        process.stdout.write((values.json ? JSON.stringify(f) : describeDbRun(f)) + '\n');
      }
    }
  }
}

// The benchmark's scenarios and their driver. Each database gets a fresh copy of the cached country, a
// prepared sample of signed-in candidates and officers, and one server process; the bare route runs in
// its own process once per run and is the ceiling every ratio is taken against.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../../src/server/db/create-db.ts';
import { DEMO_INSTITUTIONS, demoAdmissionConfig, insertDemoProgrammes } from '../../src/server/demo/demo-admission.ts';
import { insertOrgUnits } from '../../src/server/org/org.repository.ts';
import { hashPassword, verifyPassword } from '../../src/server/accounts/password.ts';
import { sessionCookieName } from '../../src/server/http/auth.ts';
import { loadConfig } from '../../src/server/config.ts';
import { BENCH_METRICS_AUTH, canPin, metricValues, nodeCommand, ROOT, startApp, startBare, type RunningServer } from './server-process.ts';
import { cpuBetween, openPgCpu, type PgCpu } from './pg-cpu.ts';
import { postgresWorkingCopy, sqliteWorkingCopy } from './seed-cache.ts';
import { prepareRun, BENCH_PASSWORD, type BenchFixture, type BenchSession } from './prepare.ts';
import { runLoad, type LoadRequest, type LoadResult } from './run-load.ts';
import { runPaced } from './paced-load.ts';
import { foldDiacritics } from '../../src/domain/names.ts';
import { measureInChild, SEASON_CANDIDATES } from './matching-scale.ts';
import { BENCH_PAYMENT_ENV, paymentIpnLoad, preparePaymentIpn } from './payment-ipn.ts';
import { measureDbRun } from './matching-db-scale.ts';
import { linksDrainRow, type LinkRow, type LinksOptions } from './links-bench.ts';

export const SCENARIO_IDS = ['a-bare', 'b-sign-in', 'c-dossier-read', 'd-save-section', 'e-submit', 'f-last-day-mix', 'f-mix-at-target', 'g-point-list', 'g-point-list-4', 'g-province-search', 'g-national-dashboard', 'g-matching', 'h-results-lookup', 'i-save-wishes', 'i-payment-ipn', 'g-matching-db'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];
/** the national links' drains beside the mix (links-bench.ts): long, so run only when named in --only */
export const LINK_ROW_IDS = ['links-identity-drain', 'links-portal-drain'] as const;

export interface BenchOptions {
  quick: boolean;
  json: boolean;
  dbs: Array<'sqlite' | 'postgres'>;
  only: string[];
  candidates: number;
  seed: number;
  durationSeconds: number;
  workers: number;
  postgresUrl: string;
  cores: number;
  /** the steady rate `f-mix-at-target` offers (default: 20 times the peak hour) */
  mixRate?: number;
  /** the links rows' settings (links-bench.ts) */
  links?: Partial<Omit<LinksOptions, 'candidates' | 'seed'>>;
}

export interface ScenarioRow extends LoadResult {
  scenario: string;
  db: string;
  workers: number;
  ratio_to_bare: number;
  /**
   * the bare route's CPU per request over this row's: the share of the bare route's rate the app would
   * reach with the same CPU, a ratio that does not depend on how hard the load generator could drive
   */
  cpu_ratio_to_bare?: number;
  /** writes per commit during the scenario (group commit on SQLite; 1 on PostgreSQL) */
  mean_batch?: number;
  /** the app's CPU time per request served (all its processes) */
  cpu_ms_per_req?: number;
  /** of which its main thread's (the event loop; one process only) */
  main_thread_ms_per_req?: number;
  /** PostgreSQL's own CPU time per request served (test/load/pg-cpu.ts): its backends for the run's database and its writers */
  pg_cpu_ms_per_req?: number;
  /** the bare route: the share of its one core the server kept busy (near 1: the server was the limit, not the load) */
  server_busy?: number;
  note?: string;
}

interface Ctx {
  url: string;
  /** the run's database (its working copy) */
  dbUrl: string;
  fx: BenchFixture;
  durationSeconds: number;
  mixRate: number;
}

function pointLists(url: string, fx: BenchFixture, durationSeconds: number, connections: number) {
  return runLoad({
    url,
    connections,
    durationSeconds,
    fixed: (c) => {
      const o = pick(fx.pointOfficers, c);
      return { path: `/api/verification/queue?pointId=${o.pointId}&limit=1000`, headers: authHeaders(o) };
    },
  });
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

function sessionFor(ctx: Record<string, unknown>, list: readonly BenchSession[], counter: { n: number }): BenchSession {
  if (!ctx['session']) ctx['session'] = pick(list, counter.n++);
  return ctx['session'] as BenchSession;
}

const authHeaders = (s: BenchSession, write = false): Record<string, string> =>
  write ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : { cookie: s.cookie };

/** A complete, valid CT2018 dossier for a sample candidate, consistent with the card the seed gave them. */
function sections(s: BenchSession): Array<[string, unknown]> {
  const p = s.person!;
  const grade = { provinceCode: '01', communeCode: '00001', schoolProvinceCode: '01', schoolCode: '001' };
  return [
    ['personal', { fullName: p.fullName, gender: p.gender === 'M' ? 'male' : 'female', dateOfBirth: p.dateOfBirth, birthPlace: { provinceCode: p.birthProvince ?? '01' }, ethnicityCode: '01', nationality: 'VN', idNumber: s.username }],
    ['residence', { grade10: grade, grade11: grade, grade12: grade, kv1Over18Months: false, disadvantagedCommuneOver18Months: false }],
    ['contact', CONTACT],
    ['status', { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' }],
    ['purpose', 'both'],
    ['subjects', { electives: ['NN', 'LI'], foreignLanguage: 'N1' }],
    ['exemption', {}],
    ['retainedScores', []],
    ['priority', {}],
  ];
}

/** The one PATCH body that fills a sample candidate's whole dossier. */
export const fillBody = (s: BenchSession): string => JSON.stringify(Object.fromEntries(sections(s)));

const CONTACT = { phone: '0912 345 678', email: 'thisinh@example.vn', address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội' };
const CONTACT_BODY = JSON.stringify(CONTACT);

/** the 2025 peak hour's API calls a second (docs/capacity.md) */
export const PEAK_HOUR_RPS = 110;
/** 20 times the peak hour: the mix target's offered rate */
export const TARGET_MIX_RPS = 20 * PEAK_HOUR_RPS;

function lastDayMix({ url, fx, durationSeconds }: Ctx, tag: string, rate?: number) {
  // Per 100 requests: 55 dossier reads, 25 section saves, 8 submits, 9 status checks, and 3 for the
  // registration points' officers: 2 list pages, and 1 verification of a dossier submitted at their
  // point (when none is waiting, the officer looks for new submissions instead). The candidates are
  // the half of the sample that e-submit leaves alone; the officers (one at each point of the sample)
  // verify what else was submitted at their points, never the dossiers the mix's candidates keep editing.
  const half = Math.floor(fx.candidates.length / 2);
  const candidates = fx.candidates.slice(half);
  const officerOf = new Map(fx.officers.map((o) => [o.pointId, o]));
  // the points where something submitted may wait: those of the sample's other half (e-submit's)
  const editing = new Set(candidates.map((c) => c.username));
  const submitting = new Set(fx.candidates.slice(0, half).map((c) => c.pointId));
  const found = fx.officers.filter((o) => submitting.has(o.pointId));
  const lookers = found.length > 0 ? found : fx.pointOfficers;
  const counter = { n: 0 };
  // the officers' work goes on from one run of the mix to the next (where they were in their queues)
  let work = officersWork.get(fx);
  if (!work) officersWork.set(fx, (work = new VerificationWork(editing)));
  const verifiedBefore = work.verified;
  let key = 0;
  let i = 0;
  let looks = 0;
  const spec = {
    url,
    connections: 100,
    durationSeconds,
    next: (ctx: Record<string, unknown>): LoadRequest => {
      const k = i++ % 100;
      // an officer's request on this connection: its answer is not the candidate's (no ETag taken from it)
      delete ctx['officer'];
      if (k < 2) {
        const o = pick(fx.pointOfficers, i);
        ctx['officer'] = 'list';
        return { path: `/api/verification/queue?pointId=${o.pointId}&limit=50`, headers: authHeaders(o) };
      }
      if (k === 2) {
        const d = work.take();
        const o = d && officerOf.get(d.pointId);
        if (d && o) {
          ctx['officer'] = 'verify';
          ctx['verifying'] = d.id;
          return { method: 'POST', path: `/api/verification/dossiers/${d.id}/verify`, headers: authHeaders(o, true), body: JSON.stringify({ version: d.version }) };
        }
        ctx['officer'] = 'look';
        const look = pick(lookers, looks++);
        ctx['looking'] = look.pointId;
        return { path: work.lookPath(look.pointId), headers: authHeaders(look) };
      }
      const s = sessionFor(ctx, candidates, counter);
      if (k < 58) return { path: '/api/dossier', headers: authHeaders(s) };
      if (k < 83) return { method: 'PUT', path: '/api/dossier/sections/contact', headers: { ...authHeaders(s, true), 'if-match': String(ctx['etag'] ?? '"0"') }, body: CONTACT_BODY };
      if (k < 91) return { method: 'POST', path: '/api/dossier/submit', headers: { ...authHeaders(s, true), 'idempotency-key': `${tag}-${process.pid}-${key++}` }, body: '{}' };
      return { path: '/api/dossier/status', headers: authHeaders(s) };
    },
    ok: (st: number) => (st >= 200 && st < 300) || st === 412,
    onResponse: (st: number, body: string, ctx: Record<string, unknown>, h: Record<string, unknown>) => {
      if (ctx['officer'] === 'look') {
        if (st === 200) work.found(body, String(ctx['looking']));
      } else if (ctx['officer'] === 'verify') {
        work.answered(String(ctx['verifying']), st);
      } else if (ctx['officer'] === undefined && typeof h['etag'] === 'string') ctx['etag'] = h['etag'];
    },
  };
  return (rate ? runPaced({ ...spec, rate, warmupSeconds: 2 }) : runLoad(spec)).then((r) => ({ ...r, note: `${work.verified - verifiedBefore} verified by their point's officer` }));
}

const officersWork = new WeakMap<BenchFixture, VerificationWork>();

type Scenario = (c: Ctx) => Promise<LoadResult & { note?: string }>;

/**
 * The submitted dossiers the mix's officers found at their points and have not verified yet: never those of
 * the mix's own candidates (`editing`, by id number), since a verified dossier cannot be submitted again
 * and they keep submitting. A verification refused because the
 * dossier changed after it was found lets the next look find it again at its new version. Each point's
 * officer pages through the queue as one would (the next page each look, from the top after the last), so
 * a second run of the mix finds what the first left, not the same first page.
 */
export class VerificationWork {
  private readonly waiting: Array<{ id: string; pointId: string; version: number }> = [];
  private readonly taken = new Set<string>();
  private readonly cursors = new Map<string, string>();
  verified = 0;

  constructor(private readonly editing: ReadonlySet<string>) {}

  take(): { id: string; pointId: string; version: number } | undefined {
    return this.waiting.shift();
  }

  /** the point's next page of submitted dossiers */
  lookPath(pointId: string): string {
    const cursor = this.cursors.get(pointId);
    return `/api/verification/queue?pointId=${pointId}&status=submitted&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  }

  /** a page of the point's queue filtered to submitted dossiers */
  found(body: string, pointId: string): void {
    const page = JSON.parse(body) as { nextCursor: string | null; items: Array<{ pointId: string; idNumber: string; dossier: { id: string; status: string; version: number } | null }> };
    if (page.nextCursor) this.cursors.set(pointId, page.nextCursor);
    else this.cursors.delete(pointId);
    for (const it of page.items) {
      const d = it.dossier;
      if (!d || d.status !== 'submitted' || this.editing.has(it.idNumber) || this.taken.has(d.id)) continue;
      this.taken.add(d.id);
      this.waiting.push({ id: d.id, pointId: it.pointId, version: d.version });
    }
  }

  /** the answer to a verification of `id` */
  answered(id: string, status: number): void {
    if (status === 200) this.verified += 1;
    else this.taken.delete(id);
  }
}

/**
 * e-submit's candidates (the first half of the sample): every request submits a different candidate's
 * filled-in draft, real state changes, no repeats. The first fifth warms the process up, unmeasured: a
 * server on the last afternoon has run for days with its submit path compiled, while this one was started
 * a moment ago, and V8 runs a function interpreted until it is hot. (On the 2026-12-03 machine the
 * warm figure was about the cold one, 1.11 against 1.09 ms a submit; the row now measures what the last
 * afternoon is either way.)
 */
function submitSample(fx: BenchFixture): { warm: BenchSession[]; measured: BenchSession[] } {
  const all = fx.candidates.slice(0, Math.floor(fx.candidates.length / 2));
  const warm = all.slice(0, Math.floor(all.length / 5));
  return { warm, measured: all.slice(warm.length) };
}

function submits(url: string, list: readonly BenchSession[]) {
  let i = 0;
  return runLoad({
    url,
    // never more connections than submits (a quick run's warm-up is 50)
    connections: Math.min(100, list.length),
    amount: list.length,
    next: () => {
      const s = list[i++ % list.length]!;
      return { method: 'POST', path: '/api/dossier/submit', headers: { ...authHeaders(s, true), 'idempotency-key': `bench-submit-${s.userId}` }, body: '{}' };
    },
  });
}

/** the results morning's country: every candidate of 2025 with a result (the brief's 1.2 M) */
export const RESULTS_CANDIDATES = 1_200_000;
const COUNCILS = 64;
const resultNumber = (i: number): string => `${String(1 + (i % COUNCILS)).padStart(2, '0')}${String(1 + Math.floor(i / COUNCILS)).padStart(6, '0')}`;

/**
 * Synthetic published results for 1.2 M candidates, written straight into the working copy's exam_results
 * by one INSERT … SELECT (the seeded country has at most its own candidates, and the look-up never joins
 * them): numbers spread over 64 councils, four papers each (an absence and a reprimand now and then), a
 * published import for the stamp, and the year's release an hour ago.
 */
async function seedResults(dbUrl: string, log: (s: string) => void): Promise<number> {
  const db = await createDb({ url: dbUrl, poolSize: 1 });
  try {
    const started = Date.now();
    const y = await db.writer.selectFrom('exam_years').select(['year', 'rules']).where('status', '=', 'published').orderBy('year', 'desc').executeTakeFirstOrThrow();
    const n = RESULTS_CANDIDATES - 1;
    const pg = db.dialect.name === 'postgres';
    const pad = (e: string, w: number) => (pg ? `lpad((${e})::text, ${w}, '0')` : `printf('%0${w}d', ${e})`);
    const mark = (subj: string, e: string) => `'"${subj}":{"kind":"score","centi":' || (${e}) || ',"sanction":null}'`;
    const detail = `'{"parts":[],"marks":{' || ${mark('TOAN', '300 + (i * 7) % 700')} || ',' || ${mark('VAN', '400 + (i * 13) % 600')} || ',' || ${mark('LI', '200 + (i * 17) % 800')} || ',' || (case when i % 97 = 0 then '"NN":{"kind":"absent"}' else ${mark('NN', '250 + (i * 11) % 750')} end) || '}}'`;
    const cols = `exam_year, candidate_id, department_code, number, scheme, version, import_id, status, score_centi, school_average_centi, encouragement_centi, priority_centi, divisor, detail, reasons, computed_at`;
    const select = `select ${y.year}, 'bench-r-' || i, ${pad(`1 + i % ${COUNCILS}`, 2)}, ${pad(`1 + i % ${COUNCILS}`, 2)} || ${pad(pg ? `1 + i / ${COUNCILS}` : `1 + i / ${COUNCILS}`, 6)}, 'CT2018', 1, 'bench-results', case when i % 97 = 0 then 'failed' else 'passed' end, 650, 700, 0, 0, 4, ${detail}, '[]', '2025-07-15T00:00:00.000Z'`;
    await db.write(async (trx) => {
      await sql`delete from exam_results where exam_year = ${y.year}`.execute(trx);
      if (pg) await sql.raw(`insert into exam_results (${cols}) ${select} from generate_series(0, ${n}) as s(i)`).execute(trx);
      else await sql.raw(`insert into exam_results (${cols}) with recursive s(i) as (select 0 union all select i + 1 from s where i < ${n}) ${select} from s`).execute(trx);
      const at = new Date(Date.now() - 3600_000).toISOString();
      await trx
        .insertInto('result_imports')
        .values({ id: 'bench-results', exam_year: y.year, department_code: '01', version: 1, kind: 'file', status: 'published', file_name: 'bench.csv', subjects: '[]', base_version: 0, total_rows: 0, valid_rows: 0, error_rows: 0, added: 0, changed: 0, removed: 0, unchanged: 0, findings: '[]', uploaded_by: 'bench', uploaded_at: at, published_by: 'bench2', published_at: at })
        .execute();
      const rules = { ...(JSON.parse(y.rules) as Record<string, unknown>), resultsRelease: { at, localDate: at.slice(0, 10), localTime: '08:00', setBy: 'bench', setAt: at } };
      await trx.updateTable('exam_years').set({ rules: JSON.stringify(rules) }).where('year', '=', y.year).execute();
    });
    log(`${RESULTS_CANDIDATES.toLocaleString('en')} synthetic results written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return y.year;
  } finally {
    await db.close();
  }
}

/** Writes the results, then asks until the app's snapshot answers (its build is not measured). */
async function prepareLookups({ url, dbUrl }: Ctx): Promise<void> {
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  await seedResults(dbUrl, log);
  const started = Date.now();
  let last = '';
  for (;;) {
    // a socket the server closed while idle between two tries is tried again
    const r = await fetch(`${url}/api/public/results/${resultNumber(12345)}`, { headers: { connection: 'close' } }).catch((e: Error) => e);
    if (!(r instanceof Error) && r.status === 200) break;
    last = r instanceof Error ? r.message : `${r.status} ${await r.text()}`;
    if (Date.now() - started > 300_000) throw new Error(`the results snapshot did not answer: ${last}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  log(`results snapshot answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The demo's three institutions and nine published programmes, and the year's wish window open now. */
async function prepareWishes({ dbUrl }: Ctx): Promise<void> {
  const db = await createDb({ url: dbUrl, poolSize: 1 });
  try {
    const y = await db.writer.selectFrom('exam_years').select(['year', 'rules']).where('status', '=', 'published').orderBy('year', 'desc').executeTakeFirstOrThrow();
    const now = new Date();
    await db.write(async (trx) => {
      await trx.deleteFrom('admission_wishes').execute();
      await trx.deleteFrom('admission_wish_lists').execute();
      await trx.deleteFrom('admission_programmes').where('exam_year', '=', y.year).execute();
      const have = await trx.selectFrom('org_units').select('code').where('kind', '=', 'institution').execute();
      await insertOrgUnits(trx, DEMO_INSTITUTIONS.filter((u) => !have.some((h) => h.code === u.code)), now);
      await insertDemoProgrammes(trx, y.year, null, now);
      const rules = { ...(JSON.parse(y.rules) as Record<string, unknown>), admission: demoAdmissionConfig(now) };
      await trx.updateTable('exam_years').set({ rules: JSON.stringify(rules) }).where('year', '=', y.year).execute();
    });
  } finally {
    await db.close();
  }
  // the app keeps the current year for a second
  await new Promise((res) => setTimeout(res, 1500));
}

const WISHES_BODIES = [
  ['QHI-7480201-100', 'SPH-7140209-100', 'KHA-7340101-100'],
  ['SPH-7140209-100', 'QHI-7480201-100', 'KHA-7340101-100', 'KHA-7310101-100'],
].map((ids) => JSON.stringify({ wishes: ids.map((programmeId) => ({ programmeId })) }));

/** Work a scenario needs done before its counters and its clock start (none is measured). */
const WARMUPS: Partial<Record<ScenarioId, (c: Ctx) => Promise<unknown>>> = {
  'e-submit': ({ url, fx }) => submits(url, submitSample(fx).warm),
  'h-results-lookup': prepareLookups,
  'i-save-wishes': prepareWishes,
  'i-payment-ipn': ({ dbUrl, durationSeconds }) => preparePaymentIpn(dbUrl, Math.min(20_000, durationSeconds * 2000), (m) => process.stderr.write(`bench: ${m}\n`)),
};

/** Scenarios that need no database: they run once, before the databases' rows. */
const NO_DATABASE: readonly ScenarioId[] = ['a-bare', 'g-matching', 'g-matching-db'];

/**
 * The national admission run (issue 24) on a synthetic season: 850,000 candidates, ~7.6 M wishes (--quick:
 * 100,000 wishes), in a process of its own (test/load/matching-scale.ts). `rps` is wishes matched a second,
 * p50 and p99 both the run's wall time; the note has its CPU time, its peak memory and the hashing.
 */
async function matchingRow(o: BenchOptions): Promise<ScenarioRow> {
  const f = await measureInChild(o.quick ? '100000' : 'season', o.seed, true);
  const mib = `peak RSS ${f.peak_after_match_mib} MiB (${f.peak_after_generate_mib} MiB of it the generated season), heap ${f.heap_used_mib} MiB, array buffers ${f.array_buffers_mib} MiB`;
  return {
    scenario: 'g-matching',
    db: 'none',
    workers: 1,
    rps: Math.round(f.wishes / (f.match_ms / 1000)),
    p50_ms: f.match_ms,
    p99_ms: f.match_ms,
    errors: 0,
    requests: f.wishes,
    statuses: {},
    ratio_to_bare: 0,
    note: `${f.candidates.toLocaleString('en-US')} candidates${f.candidates === SEASON_CANDIDATES ? ' (the season)' : ''}, ${f.wishes.toLocaleString('en-US')} wishes, ${f.programmes.toLocaleString('en-US')} programmes: matched in ${(f.match_ms / 1000).toFixed(1)} s (CPU ${(f.match_cpu_ms / 1000).toFixed(1)} s), ${mib}; hashing input ${((f.hash_input_ms ?? 0) / 1000).toFixed(1)} s, result ${((f.hash_result_ms ?? 0) / 1000).toFixed(1)} s (CPU ${((f.hash_cpu_ms ?? 0) / 1000).toFixed(1)} s)`,
  };
}

/**
 * The whole admission run from the database (issue 24, item 3): a synthetic season written into the
 * programme, wish and mark tables of a fresh database of each kind asked for, then read (streamed), scored,
 * matched, hashed and stored in a process of its own (test/load/matching-db-scale.ts). The national season
 * of 2025, 7,615,560 wishes of ~850,000 candidates (loading it takes about 9 minutes a database; --quick:
 * 100,000 wishes); `rps` is wishes a second over the whole run, p50 and p99 both its wall time; the note
 * has the phases, the CPU time, the peak memory and the machine's load average.
 */
/** 2025's wishes (DOMAIN.md): the national scale the run must meet in under 30 s */
const NATIONAL_WISHES = 7_615_560;
/** runs of the loaded season at national size (the load takes minutes; each run is a new run, as a re-run would be): the row is their median */
const MATCHING_RUNS = 3;

async function matchingDbRows(o: BenchOptions): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = [];
  for (const db of o.dbs) {
    const f = await measureDbRun(db, o.quick ? 100_000 : NATIONAL_WISHES, o.seed, o.postgresUrl, undefined, undefined, o.quick ? 1 : MATCHING_RUNS);
    rows.push({
      scenario: 'g-matching-db',
      db,
      workers: 1,
      rps: Math.round(f.wishes / (f.total_ms / 1000)),
      p50_ms: f.total_ms,
      p99_ms: f.total_ms,
      errors: 0,
      requests: f.wishes,
      statuses: {},
      ratio_to_bare: 0,
      note: `${f.wishes.toLocaleString('en-US')} wishes, ${f.candidates.toLocaleString('en-US')} candidates: run ${(f.total_ms / 1000).toFixed(1)} s (target < 30 s at national scale)${f.runs_total_ms ? `, the median of ${f.runs_total_ms.length} runs of the season loaded once (${f.runs_total_ms.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; CPU ${f.runs_cpu_ms!.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)` : ''}, CPU ${(f.cpu_ms / 1000).toFixed(1)} s, peak RSS ${f.peak_rss_mib} MiB; read and score ${(f.read_ms / 1000).toFixed(1)} s${f.threads > 0 ? ` on ${f.threads} threads` : ''}, match ${(f.match_ms / 1000).toFixed(1)} s, hash ${(f.hash_ms / 1000).toFixed(1)} s${f.hash_thread ? ' beside the store' : ''}, store ${(f.store_ms / 1000).toFixed(1)} s; load average ${f.load_before} → ${f.load_after}`,
    });
  }
  return rows;
}

const SCENARIOS: Record<Exclude<ScenarioId, 'a-bare' | 'g-matching' | 'g-matching-db'>, Scenario> = {
  'b-sign-in': async ({ url, fx, durationSeconds }) => {
    let i = 0;
    return runLoad({
      url,
      connections: 16,
      durationSeconds,
      next: () => {
        const s = pick(fx.candidates, i++);
        return { method: 'POST', path: '/api/session', body: JSON.stringify({ username: s.username, password: BENCH_PASSWORD }) };
      },
    });
  },
  'c-dossier-read': async ({ url, fx, durationSeconds }) =>
    // each connection is one candidate reading their dossier again and again
    runLoad({ url, connections: 50, durationSeconds, fixed: (i) => ({ path: '/api/dossier', headers: authHeaders(pick(fx.candidates, i)) }) }),
  'd-save-section': async ({ url, fx, durationSeconds }) => {
    const counter = { n: 0 };
    return runLoad({
      url,
      connections: 50,
      durationSeconds,
      next: (ctx) => {
        const s = sessionFor(ctx, fx.candidates, counter);
        return { method: 'PUT', path: '/api/dossier/sections/contact', headers: { ...authHeaders(s, true), 'if-match': String(ctx['etag'] ?? '"0"') }, body: CONTACT_BODY };
      },
      // the first write on each connection learns the current version from the 412
      ok: (st) => st === 200 || st === 412,
      onResponse: (_st, _b, ctx, h) => {
        if (typeof h['etag'] === 'string') ctx['etag'] = h['etag'];
      },
    });
  },
  'e-submit': async ({ url, fx }) => submits(url, submitSample(fx).measured),
  // a candidate reordering their wish list (If-Match on its version; each wish's eligibility recomputed)
  'i-save-wishes': async ({ url, fx, durationSeconds }) => {
    const counter = { n: 0 };
    let k = 0;
    return runLoad({
      url,
      connections: 50,
      durationSeconds,
      next: (ctx) => {
        const s = sessionFor(ctx, fx.candidates, counter);
        return { method: 'PUT', path: '/api/admission/wishes', headers: { ...authHeaders(s, true), 'if-match': String(ctx['etag'] ?? '"0"') }, body: WISHES_BODIES[k++ % 2]! };
      },
      // the first write on each connection learns the current version from the 412
      ok: (st) => st === 200 || st === 412,
      onResponse: (_st, _b, ctx, h) => {
        if (typeof h['etag'] === 'string') ctx['etag'] = h['etag'];
      },
    });
  },
  // as many requests as 100 connections get answered: the process's capacity for the mix (its latency is
  // then the queue of 100 connections at that rate, Little's law, whatever the machine)
  'f-last-day-mix': (c) => lastDayMix(c, 'mix'),
  // the same mix offered at a steady rate, the target's: 20 times the peak hour (2,200 req/s), latency
  // counted from when each request was due (test/load/paced-load.ts): what a candidate waits at that load
  'f-mix-at-target': (c) => lastDayMix(c, 'mixrate', c.mixRate).then((r) => ({ ...r, note: `offered ${c.mixRate} req/s (${Math.round((c.mixRate / PEAK_HOUR_RPS) * 10) / 10}× the peak hour); ${r.note}` })),
  // a point's whole list (1,000 lines), opened by one officer after another: the target's figure
  'g-point-list': async ({ url, fx, durationSeconds }) => pointLists(url, fx, durationSeconds, 1),
  // four officers of different points opening theirs at the same moment, again and again: a harder case
  // than the target's, where the page's CPU (app and database) queues on this machine's two cores
  'g-point-list-4': async ({ url, fx, durationSeconds }) => pointLists(url, fx, durationSeconds, 4),
  'g-province-search': async ({ url, fx, durationSeconds }) => {
    // the ministry (or a department) searching the largest province by a name typed without diacritics
    const inHanoi = fx.candidates.filter((c) => c.pointId.startsWith('org-01'));
    const people = inHanoi.length > 0 ? inHanoi : fx.candidates;
    return runLoad({
      url,
      connections: 4,
      durationSeconds,
      fixed: (c) => {
        const who = pick(people, c * 7);
        // the search names a person: it is sent in the body (POST …/queue/search), never in the address
        const body = JSON.stringify({ departmentCode: who.pointId.slice(4, 6), q: foldDiacritics(who.person!.fullName), limit: 50 });
        return { method: 'POST', path: '/api/verification/queue/search', headers: authHeaders(fx.ministry, true), body };
      },
    });
  },
  // the results morning: anyone looks a number up, each from an address of their own (X-Forwarded-For
  // through the trusted proxy); every connection asks for numbers spread over the 1.2 M, a cache miss each
  // time (no ETag, no If-None-Match), and some numbers that have no result
  'h-results-lookup': async ({ url, durationSeconds }) =>
    runLoad({
      url,
      connections: 50,
      durationSeconds,
      fixed: (c) => {
        const i = (c * 23_993) % RESULTS_CANDIDATES;
        return { path: `/api/public/results/${c % 10 === 9 ? `99${String(c).padStart(6, '0')}` : resultNumber(i)}`, headers: { 'x-forwarded-for': `10.${c >> 8}.${c & 255}.7` } };
      },
      ok: (st) => st === 200 || st === 404,
    }),
  // the payment gateway's notifications (IPN), each of another order: verified, applied once (test/load/payment-ipn.ts)
  'i-payment-ipn': async ({ url, durationSeconds }) => paymentIpnLoad(url, durationSeconds),
  'g-national-dashboard': async ({ url, fx, durationSeconds }) =>
    runLoad({ url, connections: 10, durationSeconds, fixed: () => ({ path: '/api/stats/summary?level=national', headers: authHeaders(fx.ministry) }) }),
};

/**
 * CPU seconds used so far by the app process and its workers (Linux /proc): divided by the requests a
 * scenario served, the CPU one request costs, a figure a busy shared machine disturbs far less than
 * requests per second.
 */
function appCpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  const ticks = 100; // USER_HZ on Linux
  const cpuOf = (p: number): number => {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return (Number(after[11]) + Number(after[12])) / ticks; // utime, stime
    } catch {
      return 0;
    }
  };
  let total = cpuOf(pid);
  try {
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(f.slice(f.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) total += cpuOf(Number(d));
      } catch {
        /* gone */
      }
    }
  } catch {
    return undefined;
  }
  return total;
}

/** CPU seconds so far of the app's main thread (its event loop), without the thread pool's (hashes) or GC helpers'. */
function mainThreadCpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const f = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(after[11]) + Number(after[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Commits and committed writes so far, from the app's /metrics (of the worker that answers, when several). */
async function writeCounters(url: string): Promise<{ commits: number; jobs: number }> {
  const m = await metricValues(url, ['db_write_commits_total', 'db_write_jobs_total']);
  return { commits: m.db_write_commits_total, jobs: m.db_write_jobs_total };
}

/** Fills the sample's dossiers through the API so submits have something valid to submit. */
async function fillDossiers(url: string, fx: BenchFixture): Promise<void> {
  const list = fx.candidates;
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < list.length) {
      const s = list[next++]!;
      // every section in one PATCH: the set-up costs one request per candidate
      const w = await fetch(`${url}/api/dossier`, {
        method: 'PATCH',
        headers: { ...authHeaders(s, true), 'content-type': 'application/json', 'if-match': '"0"' },
        body: fillBody(s),
      });
      if (!w.ok) {
        failures += 1;
        if (process.env['BENCH_DEBUG'] && failures <= 3) process.stderr.write(`fill ${w.status}: ${(await w.text()).slice(0, 400)}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  if (failures) process.stderr.write(`bench: ${failures} section saves failed while filling the sample's dossiers\n`);
}

/**
 * Statistics for the dossiers the fill just wrote, as autovacuum keeps them on a live database: the
 * cached country has none, and a planner that believes the table empty joins it by scanning it for
 * every candidate of a list.
 */
async function analyzeDossiers(url: string): Promise<void> {
  const db = await createDb({ url, poolSize: 1 });
  try {
    await sql`analyze dossiers`.execute(db.writer);
  } finally {
    await db.close();
  }
}

/** Hashes per second this machine computes with every core busy: the sign-in ceiling. */
async function hashRate(cores: number, seconds: number): Promise<{ perSecond: number; msPerHash: number }> {
  const hash = await hashPassword(BENCH_PASSWORD);
  // warm up: the thread pool's threads start and touch their memory before the clock runs
  await Promise.all(Array.from({ length: cores * 2 }, () => verifyPassword(hash, BENCH_PASSWORD)));
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (Date.now() < end) {
        await verifyPassword(hash, BENCH_PASSWORD);
        n += 1;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  return { perSecond: n / elapsed, msPerHash: (elapsed * 1000 * cores) / n };
}

/** Runs the bare route's load generator in a process of its own (bare-load.ts), on the given CPUs. */
function bareLoad(url: string, connections: number, seconds: number, workers: number, cpus?: string): Promise<LoadResult> {
  const [cmd, args] = nodeCommand(['--import', 'tsx', 'test/load/bare-load.ts', url, String(connections), String(seconds), String(workers)], cpus);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as LoadResult);
      else reject(new Error(`the bare route's load generator exited ${code}: ${err}`));
    });
  });
}

/**
 * The ceiling every ratio is taken against: a bare Fastify route, driven hard enough to be the server's
 * limit rather than the load generator's. Where processes can be held to CPUs, the server gets one core
 * (a Node process answers on one thread) and the generator the others, as autocannon worker threads in a
 * process of its own; the row says the split, the server's CPU per request and how busy its core was.
 */
async function bareCeiling(o: BenchOptions): Promise<ScenarioRow> {
  const pin = o.cores >= 2 && canPin();
  const serverCpus = pin ? '0' : undefined;
  const loadCpus = pin ? (o.cores === 2 ? '1' : `1-${o.cores - 1}`) : undefined;
  // at least two generator threads: one thread alone leaves its core idle while it waits on its sockets
  const workers = Math.max(2, pin ? o.cores - 1 : o.cores);
  const bare: RunningServer = await startBare(serverCpus);
  try {
    const cpu0 = appCpuSeconds(bare.child.pid);
    const main0 = mainThreadCpuSeconds(bare.child.pid);
    const r = await bareLoad(bare.url, 100, o.durationSeconds, workers, loadCpus);
    const cpu1 = appCpuSeconds(bare.child.pid);
    const main1 = mainThreadCpuSeconds(bare.child.pid);
    const row: ScenarioRow = { scenario: 'a-bare', db: 'none', workers: 1, ...r, ratio_to_bare: 1 };
    if (cpu0 !== undefined && cpu1 !== undefined && r.requests > 0) {
      row.cpu_ms_per_req = Math.round(((cpu1 - cpu0) * 1000 * 1000) / r.requests) / 1000;
      // of the run's span: the server idles while the load process starts
      row.server_busy = Math.round(((cpu1 - cpu0) / o.durationSeconds) * 100) / 100;
    }
    if (main0 !== undefined && main1 !== undefined && r.requests > 0) row.main_thread_ms_per_req = Math.round(((main1 - main0) * 1000 * 1000) / r.requests) / 1000;
    const split = pin ? `server on CPU ${serverCpus}, load on CPU ${loadCpus}` : `no CPU pinning (${o.cores} cores shared)`;
    row.note = `${split}: ${workers} autocannon threads in their own process; server's core ${Math.round((row.server_busy ?? 0) * 100)}% busy`;
    return row;
  } finally {
    await bare.stop();
  }
}

function print(o: BenchOptions, row: ScenarioRow): void {
  if (o.json) {
    process.stdout.write(JSON.stringify(row) + '\n');
    return;
  }
  process.stdout.write(
    `${row.scenario.padEnd(22)} ${row.db.padEnd(9)} w=${row.workers}  ${String(row.rps).padStart(7)} req/s  p50 ${String(row.p50_ms).padStart(4)} ms  p99 ${String(row.p99_ms).padStart(5)} ms  errors ${String(row.errors).padStart(5)}  ×bare ${row.ratio_to_bare.toFixed(3)}${row.cpu_ms_per_req !== undefined ? `  cpu ${row.cpu_ms_per_req} ms/req` : ''}${row.main_thread_ms_per_req !== undefined ? ` (loop ${row.main_thread_ms_per_req})` : ''}${row.pg_cpu_ms_per_req !== undefined ? `  pg ${row.pg_cpu_ms_per_req} ms/req` : ''}${row.cpu_ratio_to_bare !== undefined ? `  ×bare cpu ${row.cpu_ratio_to_bare.toFixed(3)}` : ''}${row.mean_batch !== undefined ? `  batch ${row.mean_batch}` : ''}${row.note ? `  ${row.note}` : ''}${row.errors ? `  statuses ${JSON.stringify(row.statuses)}` : ''}\n`,
  );
}

export async function runBench(o: BenchOptions): Promise<ScenarioRow[]> {
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const rows: ScenarioRow[] = [];
  const bareRow = await bareCeiling(o);
  const bareRps = bareRow.rps;
  rows.push(bareRow);
  print(o, bareRow);
  const hr = await hashRate(o.cores, o.quick ? 1 : 3);
  const hashRow: ScenarioRow = {
    scenario: 'hash-limit',
    db: 'none',
    workers: 1,
    rps: Math.round(hr.perSecond),
    p50_ms: Math.round(hr.msPerHash * 10) / 10,
    p99_ms: 0,
    errors: 0,
    requests: 0,
    statuses: {},
    ratio_to_bare: hr.perSecond / bareRps,
    note: `argon2id m=19MiB t=2 p=1: ${hr.msPerHash.toFixed(1)} ms per hash per core, ${o.cores} cores`,
  };
  rows.push(hashRow);
  print(o, hashRow);
  if (o.only.includes('g-matching')) {
    const row = await matchingRow(o);
    rows.push(row);
    print(o, row);
  }
  if (o.only.includes('g-matching-db')) {
    for (const row of await matchingDbRows(o)) {
      rows.push(row);
      print(o, row);
    }
  }
  // no database to prepare when only scenarios without one were asked for
  const databases = o.only.some((id) => !NO_DATABASE.includes(id as ScenarioId)) ? o.dbs : [];

  const cookieName = sessionCookieName(loadConfig({}));
  for (const dbKind of databases) {
    let copy: { url: string; dispose(): void | Promise<void> };
    try {
      copy = dbKind === 'sqlite' ? await sqliteWorkingCopy(o.candidates, o.seed, log) : await postgresWorkingCopy(o.postgresUrl, o.candidates, o.seed, log);
    } catch (e) {
      log(`${dbKind}: skipped (${(e as Error).message})`);
      continue;
    }
    let app: RunningServer | undefined;
    let pgCpu: PgCpu | undefined;
    try {
      const fx = await prepareRun(copy.url, { sessions: o.quick ? 500 : 10_000, cookieName });
      // TRUST_PROXY: the results look-up's load comes from many addresses (X-Forwarded-For), each under its own
      // throttle; the limit is raised so a connection's steady asking measures the path, the counting still done
      const appEnv = { DATABASE_URL: copy.url, WORKERS: String(o.workers), DB_POOL_SIZE: '20', MAX_IN_FLIGHT: '0', MAX_EVENT_LOOP_DELAY_MS: '0', WRITE_QUEUE_MAX: '0', TRUST_PROXY: 'true', RESULTS_LOOKUPS_PER_MINUTE: '1000000000', ...BENCH_PAYMENT_ENV };
      app = await startApp(appEnv);
      await fillDossiers(app.url, fx);
      await analyzeDossiers(copy.url);
      if (dbKind === 'sqlite') {
        // a SQLite connection reads the planner's statistics when it opens: start the app again so it plans
        // with the dossiers' statistics, as a live server started on an analysed database does
        await app.stop();
        app = await startApp(appEnv);
      }
      // PostgreSQL runs on this machine: its CPU per request is read beside the app's
      if (dbKind === 'postgres') pgCpu = await openPgCpu(copy.url);
      for (const id of o.only) {
        if (NO_DATABASE.includes(id as ScenarioId)) continue;
        if ((LINK_ROW_IDS as readonly string[]).includes(id)) {
          // the links' rows run their own app (with the worker and the link's simulator) on this copy
          await app.stop();
          let windows = 0;
          const lo: LinksOptions = { backlog: 100_000, mixRate: 440, windowSeconds: o.quick ? 10 : 20, rounds: 3, drainAll: false, workerProcess: false, ...o.links, candidates: o.candidates, seed: o.seed };
          const r = await linksDrainRow(id as LinkRow, lo, copy.url, appEnv, (url, rate, seconds) => lastDayMix({ url, dbUrl: copy.url, fx, durationSeconds: seconds, mixRate: rate }, `links${windows++}`, rate), log);
          app = await startApp(appEnv);
          const row: ScenarioRow = { scenario: id, db: dbKind, workers: o.workers, ...r, ratio_to_bare: 0 };
          rows.push(row);
          print(o, row);
          continue;
        }
        const scenario = SCENARIOS[id as Exclude<ScenarioId, 'a-bare' | 'g-matching' | 'g-matching-db'>];
        // the hash limit moves with this shared machine's state (7–10 ms a hash within a day): the
        // sign-in scenario is compared with one measured right before it, the app idle
        const limit = id === 'b-sign-in' ? await hashRate(o.cores, o.quick ? 1 : 3) : hr;
        const c = { url: app.url, dbUrl: copy.url, fx, durationSeconds: o.durationSeconds, mixRate: o.mixRate ?? TARGET_MIX_RPS };
        await WARMUPS[id as ScenarioId]?.(c);
        const before = await writeCounters(app.url);
        const cpu0 = appCpuSeconds(app.child.pid);
        const main0 = mainThreadCpuSeconds(app.child.pid);
        const pg0 = await pgCpu?.sample();
        const r = await scenario(c);
        const pg1 = await pgCpu?.sample();
        const cpu1 = appCpuSeconds(app.child.pid);
        const main1 = mainThreadCpuSeconds(app.child.pid);
        const after = await writeCounters(app.url);
        // BENCH_METRICS=<dir> keeps the app's /metrics after each scenario (latency by route, cumulative)
        if (process.env['BENCH_METRICS']) {
          fs.mkdirSync(process.env['BENCH_METRICS'], { recursive: true });
          fs.writeFileSync(path.join(process.env['BENCH_METRICS'], `${dbKind}-${id}.txt`), await (await fetch(`${app.url}/metrics`, { headers: BENCH_METRICS_AUTH })).text());
        }
        const row: ScenarioRow = { scenario: id, db: dbKind, workers: o.workers, ...r, ratio_to_bare: bareRps ? r.rps / bareRps : 0 };
        const commits = after.commits - before.commits;
        if (cpu0 !== undefined && cpu1 !== undefined && r.requests > 0) row.cpu_ms_per_req = Math.round(((cpu1 - cpu0) * 1000 * 100) / r.requests) / 100;
        // one process: its event loop's share (a sign-in's hash runs on the thread pool, not here)
        if (main0 !== undefined && main1 !== undefined && r.requests > 0 && o.workers === 1) row.main_thread_ms_per_req = Math.round(((main1 - main0) * 1000 * 100) / r.requests) / 100;
        if (row.cpu_ms_per_req && bareRow.cpu_ms_per_req) row.cpu_ratio_to_bare = Math.round((bareRow.cpu_ms_per_req / row.cpu_ms_per_req) * 1000) / 1000;
        if (pg0 && pg1 && r.requests > 0) row.pg_cpu_ms_per_req = Math.round((cpuBetween(pg0, pg1) * 1000 * 100) / r.requests) / 100;
        // with several workers /metrics is one worker's view: the ratio would mix two processes' counters
        if (commits > 0 && o.workers === 1) row.mean_batch = Math.round(((after.jobs - before.jobs) / commits) * 10) / 10;
        if (id === 'h-results-lookup') row.note = `${RESULTS_CANDIDATES.toLocaleString('en-US')} synthetic results in exam_results, served from the process's snapshot; 1 connection in 10 asks for a number without a result (404)`;
        if (id === 'b-sign-in') row.note = `${((r.rps / limit.perSecond) * 100).toFixed(0)}% of the hash limit measured just before (${Math.round(limit.perSecond)}/s, ${limit.msPerHash.toFixed(1)} ms a hash)`;
        rows.push(row);
        print(o, row);
      }
    } finally {
      await pgCpu?.close();
      await app?.stop();
      await copy.dispose();
    }
  }
  return rows;
}

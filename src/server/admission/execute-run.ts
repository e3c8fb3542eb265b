// One admission run from the database to its stored result: read the season (season-input.ts), match it
// with the columnar engine, hash the canonical input and result, write the results per candidate and per
// programme in bulk, and list what changed against the run it follows. Each phase is timed (wall clock)
// and the process's peak memory noted, so every run carries its own figures (admission_runs.timings).
import type { Db } from '../db/create-db.ts';
import { compactProgrammeOutcome, runCompactAdmission, storedNotObtainedWriter, type CompactAdmissionResult } from '../../domain/admission/compact.ts';
import { ADMISSION_ALGORITHM } from '../../domain/admission/deferred-acceptance.ts';
import { whyChanged, whyProtected, type RunLine } from '../../domain/admission/run-state.ts';
import { lastPlaces, protectPublished, publishedReader, type SecondRunPolicy } from '../../domain/admission/second-run.ts';
import type { FollowsPublished } from '../../domain/admission/canonical.ts';
import type { AdmissionRules } from '../../domain/admission-score.ts';
import { hashCompactInput, hashCompactResult } from './run-hash.ts';
import { startHashThread } from './season-threads.ts';
import { MIN_WISHES_FOR_THREADS, readSeason, type SeasonInput } from './season-input.ts';
import { changedCandidates, insertChanges, publishedAdmissionBatches, publishedProgrammes, storeAdmitted, storeCandidateResults, storeProgrammeResults, type AdmittedValues, type CandidateResultRow, type CandidateResultValues, type ChangeRow, type ProgrammeResultRow } from './run.repository.ts';

export interface RunFigures {
  programmes: number;
  candidates: number;
  wishes: number;
  considered: number;
  admitted: number;
  unpaid: number;
  ineligible: number;
  changed: number | null;
  inputHash: string;
  resultHash: string;
  algorithm: string;
  /** wall-clock ms by phase, and the process's peak resident memory in MiB */
  timings: Record<string, number>;
}

const peakRssMib = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** A stored not-obtained line: [wish, programme, reason, score, decidedBy] */
type StoredReason = [number, string, string, number, string | null];

export function parseNotObtained(s: string): StoredReason[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? (v as StoredReason[]) : [];
  } catch {
    return [];
  }
}

function lineOf(r: CandidateResultRow | null): RunLine | null {
  if (!r) return null;
  return { programme: r.programme_id, wish: r.wish, score: r.score_centi, notObtained: parseNotObtained(r.not_obtained).map(([w, p, reason, score]) => [w, p, reason, score] as const) };
}

function* candidateRows(runId: string, s: SeasonInput, r: CompactAdmissionResult, signal: AbortSignal | undefined): Generator<CandidateResultValues> {
  const { ci } = s;
  const notObtained = storedNotObtainedWriter(ci, r);
  for (let c = 0; c < ci.candidateIds.length; c++) {
    // the store's batches commit one by one: a run past its time stops between rows, and its rows go (runs.ts)
    if ((c & 4095) === 0) signal?.throwIfAborted();
    const got = r.admittedWish[c]!;
    if (got < 0) yield [runId, ci.candidateIds[c]!, null, null, null, notObtained(c)];
    else yield [runId, ci.candidateIds[c]!, ci.programmeIds[ci.wishProgramme[got]!]!, got - ci.wishStart[c]! + 1, ci.wishScore[got]!, notObtained(c)];
  }
}

/**
 * The admitted candidates in admission_run_admitted's key order (programme id, score, candidate): bucketed by
 * programme, each bucket sorted by score and then by the candidate's place in the season (read in id order),
 * so the store appends to its key ranges. The order only speeds the store; the rows are the same in any order.
 */
function admittedRows(runId: string, s: SeasonInput, r: CompactAdmissionResult, signal: AbortSignal | undefined): { total: number; rows: Generator<AdmittedValues> } {
  const { ci } = s;
  const P = ci.programmeIds.length;
  const C = ci.candidateIds.length;
  const start = new Int32Array(P + 1);
  for (let c = 0; c < C; c++) {
    const w = r.admittedWish[c]!;
    if (w >= 0) start[ci.wishProgramme[w]! + 1]! += 1;
  }
  for (let p = 0; p < P; p++) start[p + 1]! += start[p]!;
  const total = start[P]!;
  const fill = start.slice(0, P);
  const bucket = new Int32Array(total);
  for (let c = 0; c < C; c++) {
    const w = r.admittedWish[c]!;
    if (w >= 0) bucket[fill[ci.wishProgramme[w]!]!++] = c;
  }
  const order = Array.from({ length: P }, (_, p) => p).sort((a, b) => (ci.programmeIds[a]! < ci.programmeIds[b]! ? -1 : ci.programmeIds[a]! > ci.programmeIds[b]! ? 1 : 0));
  const scoreOf = (c: number): number => ci.wishScore[r.admittedWish[c]!]!;
  function* rows(): Generator<AdmittedValues> {
    let n = 0;
    for (const p of order) {
      const part = bucket.subarray(start[p]!, start[p + 1]!).sort((x, y) => scoreOf(x) - scoreOf(y) || x - y);
      const id = ci.programmeIds[p]!;
      for (let i = 0; i < part.length; i++) {
        if ((n++ & 4095) === 0) signal?.throwIfAborted();
        const c = part[i]!;
        const w = r.admittedWish[c]!;
        yield [runId, id, ci.wishScore[w]!, ci.candidateIds[c]!, w - ci.wishStart[c]! + 1];
      }
    }
  }
  return { total, rows: rows() };
}

function programmeRows(runId: string, s: SeasonInput, r: CompactAdmissionResult): ProgrammeResultRow[] {
  const { ci } = s;
  const P = ci.programmeIds.length;
  const applicants = new Int32Array(P);
  const byWish: Array<Map<number, number>> = Array.from({ length: P }, () => new Map());
  const byCombo: Array<Map<number, { admitted: number; lowest: number }>> = Array.from({ length: P }, () => new Map());
  const cap = ci.teacherTrainingWishCap ?? Infinity;
  for (let c = 0; c < ci.candidateIds.length; c++) {
    const start = ci.wishStart[c]!;
    for (let w = start; w < ci.wishStart[c + 1]!; w++) {
      const p = ci.wishProgramme[w]!;
      if (ci.wishExcluded[w] === 0 && !(ci.teacherTraining[p] && w - start + 1 > cap)) applicants[p]! += 1;
    }
    const got = r.admittedWish[c]!;
    if (got < 0) continue;
    const p = ci.wishProgramme[got]!;
    const n = got - start + 1;
    byWish[p]!.set(n, (byWish[p]!.get(n) ?? 0) + 1);
    const k = s.wishCombination[got]!;
    const e = byCombo[p]!.get(k) ?? { admitted: 0, lowest: Infinity };
    e.admitted += 1;
    e.lowest = Math.min(e.lowest, ci.wishScore[got]!);
    byCombo[p]!.set(k, e);
  }
  const rows: ProgrammeResultRow[] = [];
  const last = lastPlaces(ci, r);
  for (let p = 0; p < P; p++) {
    const o = compactProgrammeOutcome(ci, r, p);
    rows.push({
      run_id: runId,
      programme_id: o.id,
      quota: o.quota,
      admitted: o.admitted,
      full: o.full ? 1 : 0,
      cutoff_centi: o.cutoff,
      lowest_admitted_centi: o.lowestAdmittedScore,
      applicants: applicants[p]!,
      by_wish: JSON.stringify(Object.fromEntries([...byWish[p]!].sort((a, b) => a[0] - b[0]))),
      by_combination: JSON.stringify(Object.fromEntries([...byCombo[p]!].map(([k, v]) => [k === 0xffff ? '' : s.combinations[k]!, v]))),
      last_place_candidate_id: last[p]! >= 0 ? ci.candidateIds[last[p]!]! : null,
    });
  }
  return rows;
}

/**
 * Threads that read and score the season, and hash it, unless the caller says (config ADMISSION_RUN_THREADS).
 * 0, all on this thread: on this 2-core machine shared with other work, two threads cost more CPU (each loads
 * the code, the hash copies the season) than they save in time (docs/capacity.md).
 */
export const RUN_THREADS = 0;

export interface ExecuteRunOptions {
  /** candidates per read when this thread reads */
  batch?: number;
  /** reading threads; 0 reads, scores and hashes on this thread */
  threads?: number;
  /** wishes per range a reading thread takes at a time */
  rangeWishes?: number;
  /** below this many wishes the run reads and hashes on its own thread (season-input.ts) */
  minWishesForThreads?: number;
  /** false: with no reading threads, hash on the run's thread even when the database is a server */
  hashBesideStore?: boolean;
  /** aborted when the run passes its time limit: the run stops at the next step, throwing the signal's reason */
  signal?: AbortSignal;
  /** called after each phase (tests stop a run at a chosen point) */
  afterPhase?: (phase: string) => void;
  /** the published run this one follows and the policy it follows it under (second-run.ts) */
  follows?: { policy: SecondRunPolicy; runId: string; resultHash: string };
}

/** Reads, matches, hashes and stores run `runId` of `examYear`; `previousRunId` is the run it follows. */
export async function executeRun(db: Db, runId: string, examYear: number, rules: AdmissionRules, previousRunId: string | null, opts: ExecuteRunOptions = {}): Promise<RunFigures> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const threads = opts.threads ?? RUN_THREADS;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
    signal?.throwIfAborted();
    opts.afterPhase?.(name.replace(/_ms$/, ''));
    signal?.throwIfAborted();
  };
  let hasher: ReturnType<typeof startHashThread> | null = null;
  try {
    const season = await readSeason(db.read, examYear, rules, {
      ...(opts.batch !== undefined ? { batch: opts.batch } : {}),
      ...(threads > 0 ? { threads, url: db.url } : {}),
      ...(opts.rangeWishes !== undefined ? { rangeWishes: opts.rangeWishes } : {}),
      ...(opts.minWishesForThreads !== undefined ? { minWishesForThreads: opts.minWishesForThreads } : {}),
      ...(signal ? { signal } : {}),
    });
    timings['read_db_ms'] = season.readMs;
    timings['read_threads'] = season.threads;
    // a season large enough for reading threads hashes on one too: started now, it loads while the match runs;
    // so does a national season stored into a database server, whose store leaves this thread waiting
    if (season.threads > 0 || (threads === 0 && opts.hashBesideStore !== false && !db.dialect.embedded && season.ci.wishProgramme.length >= (opts.minWishesForThreads ?? MIN_WISHES_FOR_THREADS))) hasher = startHashThread();
    lap('read_ms');
    const { ci } = season;
    const follows = opts.follows;
    let r: CompactAdmissionResult;
    let how: Uint8Array | null = null;
    if (follows?.policy === 'protect-published') {
      const pub = publishedReader(ci);
      for await (const rows of publishedAdmissionBatches(db.read, follows.runId)) {
        pub.addCandidates(rows);
        signal?.throwIfAborted();
      }
      pub.addProgrammes(await publishedProgrammes(db.read, follows.runId));
      lap('published_ms');
      const pr = protectPublished(ci, pub.result);
      r = pr;
      how = pr.how;
    } else {
      r = runCompactAdmission(ci);
    }
    lap('match_ms');
    const header: FollowsPublished | undefined = follows ? { policy: follows.policy, published: follows.resultHash } : undefined;
    // the hashes on their thread while this one stores; on this thread first otherwise
    let hashes: Promise<{ inputHash: string; resultHash: string }>;
    timings['hash_thread'] = hasher ? 1 : 0;
    if (hasher) {
      const started = performance.now();
      hashes = hasher.hash(ci, r, header).then((h) => {
        timings['hash_ms'] = Math.round(performance.now() - started);
        return h;
      });
      hashes.catch(() => {});
    } else {
      const inputHash = hashCompactInput(ci, r, header);
      hashes = Promise.resolve({ inputHash, resultHash: hashCompactResult(ci, r, inputHash) });
      lap('hash_ms');
    }
    const programmes = programmeRows(runId, season, r);
    await storeProgrammeResults(db, programmes);
    opts.afterPhase?.('programmes-stored');
    await storeCandidateResults(db, candidateRows(runId, season, r, signal), ci.candidateIds.length);
    const admitted = admittedRows(runId, season, r, signal);
    await storeAdmitted(db, admitted.rows, admitted.total);
    lap('store_ms');
    const waited = performance.now();
    const { inputHash, resultHash } = await hashes;
    timings['hash_wait_ms'] = Math.round(performance.now() - waited);
    t = performance.now();
    signal?.throwIfAborted();
    return await finish(db, runId, previousRunId, season, r, how, inputHash, resultHash, timings, lap, signal);
  } finally {
    await hasher?.stop();
  }
}

async function finish(
  db: Db,
  runId: string,
  previousRunId: string | null,
  season: SeasonInput,
  r: CompactAdmissionResult,
  how: Uint8Array | null,
  inputHash: string,
  resultHash: string,
  timings: Record<string, number>,
  lap: (name: string) => void,
  signal: AbortSignal | undefined,
): Promise<RunFigures> {
  const { ci } = season;
  let changed: number | null = null;
  if (previousRunId) {
    const pairs = await changedCandidates(db.read, previousRunId, runId);
    // under protect-published a result only improves, and the run knows how: moved up, reached a published
    // cut-off, or took a free place; the underlying cause (own score, wishes) stays in the detail
    const index = how && pairs.length > 0 ? new Map(ci.candidateIds.map((id, i) => [id, i])) : null;
    const rows: ChangeRow[] = pairs.map((x) => {
      const before = lineOf(x.before);
      const after = lineOf(x.after);
      const cause = whyChanged(before, after);
      const c = index?.get(x.candidateId);
      const why = (how && c !== undefined ? whyProtected(how[c]!) : null) ?? cause;
      return {
        run_id: runId,
        candidate_id: x.candidateId,
        before_programme_id: x.before?.programme_id ?? null,
        before_wish: x.before?.wish ?? null,
        after_programme_id: x.after?.programme_id ?? null,
        after_wish: x.after?.wish ?? null,
        why,
        detail: JSON.stringify({ cause, before: before ? { score: before.score, notObtained: before.notObtained } : null, after: after ? { score: after.score, notObtained: after.notObtained } : null }),
      };
    });
    signal?.throwIfAborted();
    await db.write((trx) => insertChanges(trx, rows), { alone: true });
    changed = rows.length;
    lap('diff_ms');
  }
  timings['peak_rss_mib'] = peakRssMib();
  const admitted = r.admittedWish.reduce((n, w) => n + (w >= 0 ? 1 : 0), 0);
  return {
    programmes: ci.programmeIds.length,
    candidates: ci.candidateIds.length,
    wishes: ci.wishProgramme.length,
    considered: r.stats.considered,
    admitted,
    unpaid: season.unpaid,
    ineligible: season.ineligible,
    changed,
    inputHash,
    resultHash,
    algorithm: r.outcome?.algorithm ?? ADMISSION_ALGORITHM,
    timings,
  };
}

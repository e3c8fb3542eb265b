// One admission run from the database to its stored result: read the season (season-input.ts), match it
// with the columnar engine, hash the canonical input and result, write the results per candidate and per
// programme in bulk, and list what changed against the run it follows. Each phase is timed (wall clock)
// and the process's peak memory noted, so every run carries its own figures (admission_runs.timings).
import type { Db } from '../db/create-db.ts';
import { compactProgrammeOutcome, runCompactAdmission, storedNotObtainedWriter, type CompactAdmissionResult } from '../../domain/admission/compact.ts';
import { ADMISSION_ALGORITHM } from '../../domain/admission/deferred-acceptance.ts';
import { whyChanged, type RunLine } from '../../domain/admission/run-state.ts';
import type { AdmissionRules } from '../../domain/admission-score.ts';
import { hashCompactInput, hashCompactResult } from './run-hash.ts';
import { readSeason, type SeasonInput } from './season-input.ts';
import { changedCandidates, insertChanges, storeCandidateResults, storeProgrammeResults, type CandidateResultRow, type CandidateResultValues, type ChangeRow, type ProgrammeResultRow } from './run.repository.ts';

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

function* candidateRows(runId: string, s: SeasonInput, r: CompactAdmissionResult): Generator<CandidateResultValues> {
  const { ci } = s;
  const notObtained = storedNotObtainedWriter(ci, r);
  for (let c = 0; c < ci.candidateIds.length; c++) {
    const got = r.admittedWish[c]!;
    if (got < 0) yield [runId, ci.candidateIds[c]!, null, null, null, notObtained(c)];
    else yield [runId, ci.candidateIds[c]!, ci.programmeIds[ci.wishProgramme[got]!]!, got - ci.wishStart[c]! + 1, ci.wishScore[got]!, notObtained(c)];
  }
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
    });
  }
  return rows;
}

/** Reads, matches, hashes and stores run `runId` of `examYear`; `previousRunId` is the run it follows. */
export async function executeRun(db: Db, runId: string, examYear: number, rules: AdmissionRules, previousRunId: string | null, opts: { batch?: number } = {}): Promise<RunFigures> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  const season = await readSeason(db.read, examYear, rules, opts);
  timings['read_db_ms'] = season.readMs;
  lap('read_ms');
  const { ci } = season;
  const r = runCompactAdmission(ci);
  lap('match_ms');
  const inputHash = hashCompactInput(ci, r);
  const resultHash = hashCompactResult(ci, r, inputHash);
  lap('hash_ms');
  const programmes = programmeRows(runId, season, r);
  await storeProgrammeResults(db, programmes);
  await storeCandidateResults(db, candidateRows(runId, season, r), ci.candidateIds.length);
  lap('store_ms');
  let changed: number | null = null;
  if (previousRunId) {
    const pairs = await changedCandidates(db.read, previousRunId, runId);
    const rows: ChangeRow[] = pairs.map((x) => {
      const before = lineOf(x.before);
      const after = lineOf(x.after);
      const why = whyChanged(before, after);
      return {
        run_id: runId,
        candidate_id: x.candidateId,
        before_programme_id: x.before?.programme_id ?? null,
        before_wish: x.before?.wish ?? null,
        after_programme_id: x.after?.programme_id ?? null,
        after_wish: x.after?.wish ?? null,
        why,
        detail: JSON.stringify({ before: before ? { score: before.score, notObtained: before.notObtained } : null, after: after ? { score: after.score, notObtained: after.notObtained } : null }),
      };
    });
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
    algorithm: ADMISSION_ALGORITHM,
    timings,
  };
}

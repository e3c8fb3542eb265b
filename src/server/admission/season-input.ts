// Builds the national run's columnar input (CompactAdmissionInput) from the database, streamed: wishes are
// read in keyset batches of whole candidates, each batch's marks and dossiers by its candidate range, and
// every wish lands in growing typed arrays (9 bytes a wish and 4 per tie-break value, never an object per
// wish). Each wish's admission score is the domain's (src/domain/admission-score.ts) for the combination the
// candidate chose, from the published marks and the dossier's priority; a wish takes part only when its fee
// is paid ('unpaid' otherwise) and the candidate is eligible for it ('ineligible': combination not sat,
// below the year's combination floor or the programme's minimum). Teacher-training wishes beyond the year's
// position cap are left to the engine, which names that reason itself.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { ABSENT, EXCLUDED_INELIGIBLE, EXCLUDED_NONE, EXCLUDED_UNPAID, type CompactAdmissionInput } from '../../domain/admission/compact.ts';
import type { TieCriterion, TiePolicy } from '../../domain/admission/types.ts';
import { admissionScore, combinationFor, type AdmissionRules, type Combination, type ExamScores, type PriorityStanding, type ProgrammeScoring } from '../../domain/admission-score.ts';
import { priorityTableFor, type PriorityFile, type PriorityTable } from '../../domain/priority-object.ts';
import { computePriorityArea, areaLookupFromTables, type Area, type ResidenceHistory, type SchoolArea } from '../../domain/priority-area.ts';
import { getReference } from '../reference/reference.repository.ts';
import { dossiersInRange, marksInRange, schoolAreas, wishBatches, yearProgrammes, type ProgrammeRow } from './run.repository.ts';

/** The rule every programme without a readable tie rule gets: wish order, then the candidate id. */
const DEFAULT_POLICY: TiePolicy = { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }] };

/** A tie-break value's name → the exam paper it reads ("math": Toán trước); other names are paper codes. */
export function paperOfTieKey(key: string): string {
  return key === 'math' ? 'TOAN' : key === 'literature' ? 'VAN' : key.toUpperCase();
}

function policyOf(raw: unknown): TiePolicy {
  const p = raw as { kind?: unknown; criteria?: unknown } | null;
  if (!p || (p.kind !== 'admit-all-tied' && p.kind !== 'break-by-rule')) return DEFAULT_POLICY;
  const criteria: TieCriterion[] = [];
  if (Array.isArray(p.criteria)) {
    for (const c of p.criteria as Array<{ by?: unknown; key?: unknown }>) {
      if (c?.by === 'wish-order') criteria.push({ by: 'wish-order' });
      else if (c?.by === 'value' && typeof c.key === 'string' && c.key.length > 0) criteria.push({ by: 'value', key: c.key });
    }
  }
  return p.kind === 'admit-all-tied' ? { kind: 'admit-all-tied', ...(criteria.length > 0 ? { criteria } : {}) } : { kind: 'break-by-rule', criteria };
}

/** Growing Int32 / Uint8 / Uint16 columns. */
class Column<A extends Int32Array | Uint8Array | Uint16Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(1024, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): A {
    return this.data.slice(0, this.length) as A;
  }
}
const int32 = (n = 1 << 16) => new Column(new Int32Array(n), (k) => new Int32Array(k));
const uint8 = (n = 1 << 16) => new Column(new Uint8Array(n), (k) => new Uint8Array(k));
const uint16 = (n = 1 << 16) => new Column(new Uint16Array(n), (k) => new Uint16Array(k));

export interface SeasonInput {
  ci: CompactAdmissionInput;
  programmes: ProgrammeRow[];
  /** per wish: index into `combinations` of the combination scored (0xffff: none) */
  wishCombination: Uint16Array;
  combinations: string[];
  unpaid: number;
  ineligible: number;
  /** ms spent reading from the database (awaiting rows) and building the columns */
  readMs: number;
  buildMs: number;
}

interface CandidateContext {
  exam: ExamScores;
  marksCenti: Map<string, number>;
  priority: { table: PriorityTable; standing: PriorityStanding; admissionYear: number } | null;
}

interface ScoredChoice {
  scoreCenti: number;
  plainSumCenti: number;
}

const centiOf = (x: number): number => Math.round(x * 100);

/** Reads the season and builds the engine's input. `batch`: wishes per read (whole candidates). */
export async function readSeason(db: Kysely<DB>, examYear: number, rules: AdmissionRules, opts: { batch?: number } = {}): Promise<SeasonInput> {
  const t0 = performance.now();
  let readMs = 0;
  let buildMs = 0;
  const [combinationsFile, priorityFile, programmes, schools] = await Promise.all([
    getReference<{ combinations: Combination[] }>(db, 'combinations'),
    getReference<PriorityFile>(db, 'priority'),
    yearProgrammes(db, examYear),
    schoolAreas(db),
  ]);
  const table = priorityTableFor(priorityFile, examYear) ?? null;
  const schoolMap: Record<string, SchoolArea> = {};
  for (const s of schools) {
    const a = { area: s.area, residenceBased: s.residence_based === 1 };
    schoolMap[`${s.province_code}:${s.code}`] = a;
    schoolMap[`${s.department_code}:${s.code}`] = a;
  }
  const lookup = { ...areaLookupFromTables({ communes: {}, schools: schoolMap }), communeAreasKnown: false, knowsSchoolsOf: () => true };

  // programmes: index, policy, and per combination code the scoring (weights as the programme publishes them)
  const index = new Map<string, number>();
  const policies: TiePolicy[] = [];
  const quota = int32(programmes.length + 16);
  const minScore = int32(programmes.length + 16);
  const teacherTraining = uint8(programmes.length + 16);
  const scorings: Array<Map<string, ProgrammeScoring & { key: string }>> = [];
  const comboIndex = new Map<string, number>();
  const combinations: string[] = [];
  const comboOf = (code: string): number => {
    let i = comboIndex.get(code);
    if (i === undefined) {
      i = combinations.length;
      combinations.push(code);
      comboIndex.set(code, i);
    }
    return i;
  };
  const addProgramme = (p: ProgrammeRow | null, id: string): number => {
    const i = policies.length;
    index.set(id, i);
    policies.push(p ? policyOf(p.tiePolicy) : DEFAULT_POLICY);
    // a draft programme (or one no longer listed) takes nobody: no places
    quota.push(p && p.published ? p.quota : 0);
    minScore.push(p?.minScoreCenti ?? ABSENT);
    teacherTraining.push(p?.teacherTraining ? 1 : 0);
    const m = new Map<string, ProgrammeScoring & { key: string }>();
    for (const c of p?.combinations ?? []) {
      const combination = combinationFor(combinationsFile, c.code);
      if (!combination) continue;
      const method = p!.scoring;
      const weights = method === 'weighted-30' && c.weights ? c.weights : undefined;
      m.set(c.code, { combination, method, ...(weights ? { weights } : {}), key: `${c.code}|${method}|${weights ? JSON.stringify(weights) : ''}` });
    }
    scorings.push(m);
    return i;
  };
  for (const p of programmes) addProgramme(p, p.id);
  const programmeIds = programmes.map((p) => p.id);

  const tieKeys = [...new Set(policies.flatMap((p) => (p.criteria ?? []).flatMap((c) => (c.by === 'value' ? [c.key] : []))))].sort();
  const tiePapers = tieKeys.map(paperOfTieKey);
  const T = tieKeys.length;

  const candidateIds: string[] = [];
  const wishStart = int32(1 << 16);
  const wishProgramme = int32(1 << 18);
  const wishScore = int32(1 << 18);
  const wishTie = int32(T > 0 ? 1 << 18 : 16);
  const wishExcluded = uint8(1 << 18);
  const wishCombination = uint16(1 << 18);
  let unpaid = 0;
  let ineligible = 0;
  const floorCenti = rules.combinationFloor === null ? null : centiOf(rules.combinationFloor);

  const batches = wishBatches(db, examYear, opts.batch ?? 20_000);
  // the next batch (its wishes, then its marks and dossiers) is asked for before this one is scored, so on
  // PostgreSQL the database works while this process scores (on SQLite the driver is synchronous: no overlap)
  const fetchNext = async () => {
    const next = await batches.next();
    if (next.done) return null;
    const rows = next.value;
    const first = rows[0]!.candidate_id;
    const last = rows[rows.length - 1]!.candidate_id;
    const [marks, dossiers] = await Promise.all([marksInRange(db, examYear, first, last), dossiersInRange(db, examYear, first, last)]);
    return { rows, marks, dossiers };
  };
  let pending = fetchNext();
  for (;;) {
    let t = performance.now();
    const batch = await pending;
    readMs += performance.now() - t;
    if (!batch) break;
    pending = fetchNext();
    const { rows, marks, dossiers } = batch;
    t = performance.now();

    const byCandidate = new Map<string, CandidateContext>();
    const contextOf = (id: string): CandidateContext => {
      let c = byCandidate.get(id);
      if (!c) {
        c = { exam: { scores: {} }, marksCenti: new Map(), priority: null };
        byCandidate.set(id, c);
      }
      return c;
    };
    for (const m of marks) {
      if (m.score_centi === null) continue;
      const c = contextOf(m.candidate_id);
      (c.exam.scores as Record<string, number>)[m.subject] = m.score_centi / 100;
      c.marksCenti.set(m.subject, m.score_centi);
    }
    for (const d of dossiers) {
      const c = contextOf(d.candidate_id);
      const data = safeJson(d.data);
      const lang = (data['subjects'] as { foreignLanguage?: string } | undefined)?.foreignLanguage;
      if (lang) c.exam = { ...c.exam, foreignLanguage: lang };
      if (table) c.priority = { table, standing: standingOf(data, lookup, examYear), admissionYear: examYear };
    }

    let current = '';
    let ctx: CandidateContext | undefined;
    // per candidate: the scores of each scoring already computed (wishes often share a combination)
    const cache = new Map<string, ScoredChoice | null>();
    for (const w of rows) {
      if (w.candidate_id !== current) {
        current = w.candidate_id;
        candidateIds.push(current);
        wishStart.push(wishProgramme.length);
        ctx = byCandidate.get(current);
        cache.clear();
      }
      let p = index.get(w.programme_id);
      if (p === undefined) {
        p = addProgramme(null, w.programme_id);
        programmeIds.push(w.programme_id);
      }
      wishProgramme.push(p);
      // the combination the candidate chose, when the programme offers it; else every one it offers
      const offered = scorings[p]!;
      const chosen = offered.get(w.combination);
      const options = chosen ? [chosen] : [...offered.values()];
      let best: ScoredChoice | null = null;
      let bestOk = false;
      let bestCombo = 0xffff;
      const min = minScore.data[p]!;
      for (const sc of options) {
        let s = cache.get(sc.key);
        if (s === undefined) {
          s = null;
          if (ctx && ctx.priority) {
            const r = admissionScore(sc, ctx.exam, ctx.priority);
            if (r.ok) s = { scoreCenti: centiOf(r.value.score), plainSumCenti: centiOf(r.value.plainSum) };
          } else if (ctx) {
            const r = admissionScore(sc, ctx.exam, { table: NO_PRIORITY, standing: { area: null, graduationYear: examYear }, admissionYear: examYear });
            if (r.ok) s = { scoreCenti: centiOf(r.value.score), plainSumCenti: centiOf(r.value.plainSum) };
          }
          cache.set(sc.key, s);
        }
        if (!s) continue;
        // a combination that clears every bar beats one that does not; then the higher score (as checkWish)
        const ok = (floorCenti === null || s.plainSumCenti >= floorCenti) && (min === ABSENT || s.scoreCenti >= min);
        if (!best || (ok && !bestOk) || (ok === bestOk && s.scoreCenti > best.scoreCenti)) {
          best = s;
          bestOk = ok;
          bestCombo = comboOf(sc.combination.code);
        }
      }
      wishScore.push(best ? best.scoreCenti : 0);
      wishCombination.push(bestCombo);
      let excluded = EXCLUDED_NONE;
      if (w.fee_status !== 'paid') {
        excluded = EXCLUDED_UNPAID;
        unpaid += 1;
      } else if (!best || !bestOk) {
        excluded = EXCLUDED_INELIGIBLE;
        ineligible += 1;
      }
      wishExcluded.push(excluded);
      for (let k = 0; k < T; k++) wishTie.push(ctx?.marksCenti.get(tiePapers[k]!) ?? 0);
    }
    buildMs += performance.now() - t;
  }
  wishStart.push(wishProgramme.length);
  const ci: CompactAdmissionInput = {
    teacherTrainingWishCap: rules.teacherTrainingMaxPosition,
    programmeIds,
    quota: quota.done(),
    teacherTraining: teacherTraining.done(),
    minScore: minScore.done(),
    policies,
    tieKeys,
    candidateIds,
    wishStart: wishStart.done(),
    wishProgramme: wishProgramme.done(),
    wishScore: wishScore.done(),
    wishTie: T > 0 ? wishTie.done() : new Int32Array(0),
    wishExcluded: wishExcluded.done(),
  };
  const total = performance.now() - t0;
  return { ci, programmes, wishCombination: wishCombination.done(), combinations, unpaid, ineligible, readMs: Math.round(readMs), buildMs: Math.round(Math.max(buildMs, total - readMs)) };
}

/** A table that adds nothing: candidates without a dossier (or a year without a priority table). */
const NO_PRIORITY: PriorityTable = { years: [], areas: [], objects: [] } as unknown as PriorityTable;

function safeJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The candidate's priority standing from their dossier: the area from where they studied (the schools'
 * areas, the rule of src/domain/priority-area.ts), the object they claimed, and the graduation year.
 * *Assumption*: a free candidate who has graduated did so the year before (the area then still counts);
 * the dossier does not carry the year.
 */
function standingOf(data: Record<string, unknown>, lookup: Parameters<typeof computePriorityArea>[1], examYear: number): PriorityStanding {
  const residence = data['residence'] as ResidenceHistory | undefined;
  let area: Area | null = null;
  if (residence?.grade10 && residence.grade11 && residence.grade12) {
    try {
      area = computePriorityArea(residence, lookup).area;
    } catch {
      area = null;
    }
  }
  const object = (data['priority'] as { object?: string } | undefined)?.object;
  const status = data['status'] as { graduated?: boolean } | undefined;
  return { area, ...(object ? { objects: [object] } : {}), graduationYear: status?.graduated ? examYear - 1 : examYear };
}

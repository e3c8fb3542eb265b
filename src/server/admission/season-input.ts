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
import { admissionScore, combinationFor, reducedPriority, standardPriority, type AdmissionRules, type Combination, type ExamScores, type PriorityStanding, type ProgrammeScoring } from '../../domain/admission-score.ts';
import { FOREIGN_LANGUAGE } from '../../domain/subjects.ts';
import { priorityTableFor, type PriorityFile, type PriorityTable } from '../../domain/priority-object.ts';
import { computePriorityArea, areaLookupFromTables, type Area, type ResidenceHistory, type SchoolArea } from '../../domain/priority-area.ts';
import { getReference } from '../reference/reference.repository.ts';
import { LIST_SEPARATOR, schoolAreas, seasonBatches, seasonBoundary, yearProgrammes, type ProgrammeRow, type SchoolAreaRow, type SeasonRow } from './run.repository.ts';

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
  /** threads that read and scored (0: this one) */
  threads: number;
}

/** A programme's way of scoring one combination; `id` numbers the distinct ones, `subjects` by subject number. */
type Scoring = ProgrammeScoring & { id: number; comboIndex: number; subjects: number[] };

const centiOf = (x: number): number => Math.round(x * 100);

/**
 * What scoring the year's wishes needs besides the wishes themselves: read once by the run, and handed to
 * each reading thread as it is (plain data), so that every thread scores from the same view.
 */
export interface SeasonSetup {
  examYear: number;
  rules: AdmissionRules;
  combinationsFile: { combinations: Combination[] };
  priorityFile: PriorityFile;
  programmes: ProgrammeRow[];
  schools: SchoolAreaRow[];
}

export async function readSeasonSetup(db: Kysely<DB>, examYear: number, rules: AdmissionRules): Promise<SeasonSetup> {
  const [combinationsFile, priorityFile, programmes, schools] = await Promise.all([
    getReference<{ combinations: Combination[] }>(db, 'combinations'),
    getReference<PriorityFile>(db, 'priority'),
    yearProgrammes(db, examYear),
    schoolAreas(db),
  ]);
  return { examYear, rules, combinationsFile, priorityFile, programmes, schools };
}

/**
 * The columns of a run of consecutive candidates (a batch or a reader's range), scored. A wish to a
 * programme the year does not list has programme −(1 + j), j indexing `unknownProgrammes` (first seen
 * first): the assembly numbers them after the listed ones in the order the whole season meets them.
 */
export interface SeasonChunk {
  candidateIds: string[];
  /** wishes per candidate */
  wishCount: Int32Array;
  wishProgramme: Int32Array;
  wishScore: Int32Array;
  wishTie: Int32Array;
  wishExcluded: Uint8Array;
  wishCombination: Uint16Array;
  unknownProgrammes: string[];
  unpaid: number;
  ineligible: number;
}

/** The buffers of a chunk, to hand it to another thread without a copy. */
export const chunkBuffers = (c: SeasonChunk): ArrayBuffer[] => [c.wishCount, c.wishProgramme, c.wishScore, c.wishTie, c.wishExcluded, c.wishCombination].map((a) => a.buffer as ArrayBuffer);

/** The programmes' side of the input, the same for every thread that scores (derived from the setup alone). */
interface SeasonStatics {
  index: Map<string, number>;
  programmeIds: string[];
  policies: TiePolicy[];
  quota: Int32Array;
  minScore: Int32Array;
  teacherTraining: Uint8Array;
  scorings: Array<Map<string, Scoring>>;
  scoringCount: number;
  combinations: string[];
  tieKeys: string[];
}

/**
 * A scorer of SeasonRows: turns a batch of candidates' rows into a SeasonChunk. It keeps caches (the
 * subjects' numbers, the reduced priorities) across batches; its output does not depend on how the
 * season is cut into batches, nor on which scorer scores which batch.
 */
export function seasonScorer(setup: SeasonSetup): { statics: SeasonStatics; score(rows: readonly SeasonRow[]): SeasonChunk } {
  const { examYear, rules, combinationsFile, priorityFile, programmes, schools } = setup;
  const table = priorityTableFor(priorityFile, examYear) ?? null;
  const schoolMap: Record<string, SchoolArea> = {};
  for (const s of schools) {
    const a = { area: s.area, residenceBased: s.residence_based === 1 };
    schoolMap[`${s.province_code}:${s.code}`] = a;
    schoolMap[`${s.department_code}:${s.code}`] = a;
  }
  const lookup = { ...areaLookupFromTables({ communes: {}, schools: schoolMap }), communeAreasKnown: false, knowsSchoolsOf: () => true };

  // subjects by a small number: a candidate's marks sit in arrays indexed by it, stamped with the candidate
  const subjectIndex = new Map<string, number>();
  const subjectOf = (code: string): number => {
    let i = subjectIndex.get(code);
    if (i === undefined) {
      i = subjectIndex.size;
      subjectIndex.set(code, i);
    }
    return i;
  };
  const foreignLanguageSubject = subjectOf(FOREIGN_LANGUAGE);

  // programmes: index, policy, and per combination code the scoring (weights as the programme publishes them);
  // every distinct scoring has a number, under which a candidate's score for it is kept once computed
  const P = programmes.length;
  const index = new Map<string, number>();
  const policies: TiePolicy[] = [];
  const quota = new Int32Array(P);
  const minScore = new Int32Array(P);
  const teacherTraining = new Uint8Array(P);
  const scorings: Array<Map<string, Scoring>> = [];
  const scoringIds = new Map<string, number>();
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
  for (const [i, p] of programmes.entries()) {
    index.set(p.id, i);
    policies.push(policyOf(p.tiePolicy));
    // a draft programme takes nobody: no places
    quota[i] = p.published ? p.quota : 0;
    minScore[i] = p.minScoreCenti ?? ABSENT;
    teacherTraining[i] = p.teacherTraining ? 1 : 0;
    const m = new Map<string, Scoring>();
    for (const c of p.combinations) {
      const combination = combinationFor(combinationsFile, c.code);
      if (!combination) continue;
      const method = p.scoring;
      const weights = method === 'weighted-30' && c.weights ? c.weights : undefined;
      const key = `${c.code}|${method}|${weights ? JSON.stringify(weights) : ''}`;
      let id = scoringIds.get(key);
      if (id === undefined) scoringIds.set(key, (id = scoringIds.size));
      m.set(c.code, { combination, method, ...(weights ? { weights } : {}), id, comboIndex: comboOf(combination.code), subjects: combination.subjects.map(subjectOf) });
    }
    scorings.push(m);
  }
  const programmeIds = programmes.map((p) => p.id);

  const tieKeys = [...new Set(policies.flatMap((p) => (p.criteria ?? []).flatMap((c) => (c.by === 'value' ? [c.key] : []))))].sort();
  const tieSubjects = tieKeys.map((k) => subjectOf(paperOfTieKey(k)));
  const T = tieKeys.length;
  const floorCenti = rules.combinationFloor === null ? null : centiOf(rules.combinationFloor);

  // the candidate being read: marks by subject number (valid where markStamp is the candidate's number),
  // their language, priority, and the scores computed so far by scoring number
  let cand = -1;
  let markStamp = new Int32Array(64).fill(-1);
  let markCenti = new Int32Array(64);
  let foreignLanguage: string | undefined;
  let standard = 0;
  let standing: PriorityStanding | null = null;
  let known = false;
  const scoreStamp = new Int32Array(Math.max(16, scoringIds.size)).fill(-1);
  const scoreCenti = new Int32Array(scoreStamp.length);
  const plainCenti = new Int32Array(scoreStamp.length);
  const growMarks = (n: number) => {
    if (n < markStamp.length) return;
    const stamp = new Int32Array(n * 2).fill(-1);
    stamp.set(markStamp);
    const centi = new Int32Array(n * 2);
    centi.set(markCenti);
    markStamp = stamp;
    markCenti = centi;
  };
  growMarks(subjectIndex.size);
  const markOf = (subject: number): number => (subject < markStamp.length && markStamp[subject] === cand ? markCenti[subject]! : -1);

  // per priority standard and combination total: the priority added after the reduction (few distinct pairs)
  const reducedCache = new Map<number, number>();
  const reducedCenti = (totalCenti: number): number => {
    if (standard === 0 || !table) return 0;
    const key = Math.round(standard * 100) * 100_000 + totalCenti;
    let v = reducedCache.get(key);
    if (v === undefined) {
      v = centiOf(reducedPriority(table, totalCenti / 100, standard, examYear));
      reducedCache.set(key, v);
    }
    return v;
  };
  /** The candidate's score under a scoring, or false when they did not sit its combination (kept per scoring). */
  const scoreOf = (sc: Scoring): boolean => {
    if (scoreStamp[sc.id] === cand) return scoreCenti[sc.id]! >= 0;
    scoreStamp[sc.id] = cand;
    scoreCenti[sc.id] = -1;
    if (!known) return false;
    if (sc.method === 'sum') {
      // the plain sum in hundredths and the reduced priority, exactly as admissionScore computes them
      // (season-input.test.ts compares the two)
      let total = 0;
      for (const subject of sc.subjects) {
        const v = markOf(subject);
        if (v < 0 || (subject === foreignLanguageSubject && sc.combination.language && foreignLanguage !== sc.combination.language)) return false;
        total += v;
      }
      scoreCenti[sc.id] = total + reducedCenti(total);
      plainCenti[sc.id] = total;
      return true;
    }
    const scores: Record<string, number> = {};
    for (const [code, i] of subjectIndex) if (markOf(i) >= 0) scores[code] = markOf(i) / 100;
    const exam: ExamScores = { scores, ...(foreignLanguage ? { foreignLanguage } : {}) };
    const r = admissionScore(sc, exam, standing && table ? { table, standing, admissionYear: examYear } : { table: NO_PRIORITY, standing: { area: null, graduationYear: examYear }, admissionYear: examYear });
    if (!r.ok) return false;
    scoreCenti[sc.id] = centiOf(r.value.score);
    plainCenti[sc.id] = centiOf(r.value.plainSum);
    return true;
  };

  const NO_SCORINGS = new Map<string, Scoring>();
  // the wish being scored: its best combination so far (one function, no array or closure per wish)
  let best = -1;
  let bestOk = false;
  let bestCombo = 0xffff;
  let minHere = ABSENT;
  const consider = (sc: Scoring): void => {
    if (!scoreOf(sc)) return;
    const score = scoreCenti[sc.id]!;
    // a combination that clears every bar beats one that does not; then the higher score (as checkWish)
    const ok = (floorCenti === null || plainCenti[sc.id]! >= floorCenti) && (minHere === ABSENT || score >= minHere);
    if (best < 0 || (ok && !bestOk) || (ok === bestOk && score > best)) {
      best = score;
      bestOk = ok;
      bestCombo = sc.comboIndex;
    }
  };
  const order: number[] = [];
  const score = (rows: readonly SeasonRow[]): SeasonChunk => {
    const candidateIds: string[] = [];
    const wishCount = new Int32Array(rows.length);
    // about ten wishes a candidate: grown when more
    const wishProgramme = int32(rows.length * 10 + 16);
    const wishScore = int32(rows.length * 10 + 16);
    const wishTie = int32(T > 0 ? rows.length * 10 * T + 16 : 16);
    const wishExcluded = uint8(rows.length * 10 + 16);
    const wishCombination = uint16(rows.length * 10 + 16);
    const unknown = new Map<string, number>();
    let unpaid = 0;
    let ineligible = 0;
    for (const [r, row] of rows.entries()) {
      const [candidateId, positionList, programmeList, comboList, paid, marks, dossier] = row;
      cand += 1;
      candidateIds.push(candidateId);
      // the candidate: published marks, and from the dossier the language sat and the priority standing
      if (marks) {
        for (const m of marks.split(LIST_SEPARATOR)) {
          const at = m.lastIndexOf(':');
          const subject = subjectOf(m.slice(0, at));
          growMarks(subject);
          markStamp[subject] = cand;
          markCenti[subject] = Number(m.slice(at + 1));
        }
      }
      foreignLanguage = undefined;
      standard = 0;
      standing = null;
      if (dossier !== null) {
        const data = safeJson(dossier);
        foreignLanguage = (data['subjects'] as { foreignLanguage?: string } | undefined)?.foreignLanguage;
        if (table) {
          standing = standingOf(data, lookup, examYear);
          standard = standardPriority(table, standing, examYear).total;
        }
      }
      known = marks !== null || dossier !== null;

      const programmeList_ = programmeList.split(LIST_SEPARATOR);
      const combos = comboList.split(LIST_SEPARATOR);
      const positions = positionList.split(LIST_SEPARATOR);
      const n = programmeList_.length;
      if (combos.length !== n || positions.length !== n || paid.length !== n) throw new Error(`the wishes of candidate ${candidateId} do not read back whole (a separator inside an id?)`);
      wishCount[r] = n;
      // the database joins the lists in index order, which is position order; checked, and sorted if not
      order.length = 0;
      let sorted = true;
      for (let k = 0; k < n; k++) {
        order.push(k);
        if (k > 0 && !(Number(positions[k]) > Number(positions[k - 1]))) sorted = false;
      }
      if (!sorted) order.sort((a, b) => Number(positions[a]) - Number(positions[b]));
      for (const k of order) {
        const programmeId = programmeList_[k]!;
        const p = index.get(programmeId);
        let offered = NO_SCORINGS;
        let min = ABSENT;
        if (p === undefined) {
          // a programme the year does not list (removed since the wish): it takes nobody
          let j = unknown.get(programmeId);
          if (j === undefined) unknown.set(programmeId, (j = unknown.size));
          wishProgramme.push(-1 - j);
        } else {
          wishProgramme.push(p);
          offered = scorings[p]!;
          min = minScore[p]!;
        }
        // the combination the candidate chose, when the programme offers it; else every one it offers
        const chosen = offered.get(combos[k]!);
        best = -1;
        bestOk = false;
        bestCombo = 0xffff;
        minHere = min;
        if (chosen) consider(chosen);
        else for (const sc of offered.values()) consider(sc);
        wishScore.push(best >= 0 ? best : 0);
        wishCombination.push(bestCombo);
        let excluded = EXCLUDED_NONE;
        if (paid.charCodeAt(k) !== 112 /* p */) {
          excluded = EXCLUDED_UNPAID;
          unpaid += 1;
        } else if (best < 0 || !bestOk) {
          excluded = EXCLUDED_INELIGIBLE;
          ineligible += 1;
        }
        wishExcluded.push(excluded);
        for (let j = 0; j < T; j++) wishTie.push(Math.max(0, markOf(tieSubjects[j]!)));
      }
    }
    return {
      candidateIds,
      wishCount,
      wishProgramme: wishProgramme.done(),
      wishScore: wishScore.done(),
      wishTie: wishTie.done(),
      wishExcluded: wishExcluded.done(),
      wishCombination: wishCombination.done(),
      unknownProgrammes: [...unknown.keys()],
      unpaid,
      ineligible,
    };
  };
  return {
    statics: { index, programmeIds, policies, quota, minScore, teacherTraining, scorings, scoringCount: scoringIds.size, combinations, tieKeys },
    score,
  };
}

/** The season's columns from its chunks in candidate order (the order the database gave them). */
export function assembleSeason(setup: SeasonSetup, statics: SeasonStatics, chunks: SeasonChunk[]): Omit<SeasonInput, 'readMs' | 'buildMs' | 'threads'> {
  let C = 0;
  let W = 0;
  let unpaid = 0;
  let ineligible = 0;
  for (const k of chunks) {
    C += k.candidateIds.length;
    W += k.wishProgramme.length;
    unpaid += k.unpaid;
    ineligible += k.ineligible;
  }
  const T = statics.tieKeys.length;
  const candidateIds: string[] = new Array<string>(C);
  const wishStart = new Int32Array(C + 1);
  const wishProgramme = new Int32Array(W);
  const wishScore = new Int32Array(W);
  const wishTie = new Int32Array(W * T);
  const wishExcluded = new Uint8Array(W);
  const wishCombination = new Uint16Array(W);
  // programmes the year does not list, numbered after the listed ones as the season meets them
  const programmeIds = statics.programmeIds.slice();
  const extra = new Map<string, number>();
  let c = 0;
  let w = 0;
  for (let i = 0; i < chunks.length; i++) {
    const k = chunks[i]!;
    const base = w;
    for (let j = 0; j < k.candidateIds.length; j++) {
      candidateIds[c] = k.candidateIds[j]!;
      wishStart[c] = w;
      w += k.wishCount[j]!;
      c += 1;
    }
    wishProgramme.set(k.wishProgramme, base);
    if (k.unknownProgrammes.length > 0) {
      const global = k.unknownProgrammes.map((id) => {
        let g = statics.index.get(id) ?? extra.get(id);
        if (g === undefined) {
          g = programmeIds.length;
          programmeIds.push(id);
          extra.set(id, g);
        }
        return g;
      });
      for (let x = base; x < base + k.wishProgramme.length; x++) if (wishProgramme[x]! < 0) wishProgramme[x] = global[-1 - wishProgramme[x]!]!;
    }
    wishScore.set(k.wishScore, base);
    wishTie.set(k.wishTie, base * T);
    wishExcluded.set(k.wishExcluded, base);
    wishCombination.set(k.wishCombination, base);
    chunks[i] = undefined as unknown as SeasonChunk; // its memory can go
  }
  wishStart[C] = W;
  const grow = <A extends Int32Array | Uint8Array>(a: A, n: number, fill: number): A => {
    const out = new (a.constructor as new (n: number) => A)(n);
    out.set(a);
    out.fill(fill, a.length);
    return out;
  };
  const P = programmeIds.length;
  const ci: CompactAdmissionInput = {
    teacherTrainingWishCap: setup.rules.teacherTrainingMaxPosition,
    programmeIds,
    quota: grow(statics.quota, P, 0),
    teacherTraining: grow(statics.teacherTraining, P, 0),
    minScore: grow(statics.minScore, P, ABSENT),
    policies: [...statics.policies, ...Array.from({ length: P - statics.policies.length }, () => DEFAULT_POLICY)],
    tieKeys: statics.tieKeys,
    candidateIds,
    wishStart,
    wishProgramme,
    wishScore,
    wishTie,
    wishExcluded,
  };
  return { ci, programmes: setup.programmes, wishCombination, combinations: statics.combinations, unpaid, ineligible };
}

export interface ReadSeasonOptions {
  /** candidates per read on this thread */
  batch?: number;
  /** reading threads (worker_threads), each with its own connection to `url`; 0 or no url: this thread reads */
  threads?: number;
  url?: string;
  /** wishes per range a reading thread takes at a time */
  rangeWishes?: number;
  /** below this many wishes this thread reads alone: starting a thread costs about a second */
  minWishesForThreads?: number;
  signal?: AbortSignal;
}

/** Threads pay from about here: a season of 1 M wishes reads in 5 s on one thread (docs/capacity.md). */
export const MIN_WISHES_FOR_THREADS = 300_000;

/** Reads the season and builds the engine's input. */
export async function readSeason(db: Kysely<DB>, examYear: number, rules: AdmissionRules, opts: ReadSeasonOptions = {}): Promise<SeasonInput> {
  const t0 = performance.now();
  const setup = await readSeasonSetup(db, examYear, rules);
  let threads = opts.url ? (opts.threads ?? 0) : 0;
  // a small season is read here: an index-only step tells whether it has that many wishes
  const min = opts.minWishesForThreads ?? MIN_WISHES_FOR_THREADS;
  if (threads > 0 && min > 0 && (await seasonBoundary(db, examYear, null, min)) === null) threads = 0;
  if (threads > 0) {
    const { readInThreads } = await import('./season-threads.ts');
    const r = await readInThreads(db, setup, { url: opts.url!, threads, rangeWishes: opts.rangeWishes ?? 50_000, ...(opts.signal ? { signal: opts.signal } : {}) });
    const { statics } = seasonScorer(setup);
    const t = performance.now();
    const s = assembleSeason(setup, statics, r.chunks);
    return { ...s, readMs: Math.round(r.waitMs), buildMs: Math.round(performance.now() - t + r.buildMs), threads };
  }
  let readMs = 0;
  let buildMs = 0;
  const scorer = seasonScorer(setup);
  const chunks: SeasonChunk[] = [];
  const batches = seasonBatches(db, examYear, opts.batch ?? 5_000);
  // the next batch is asked for before this one is scored, so on PostgreSQL the database works while this
  // process scores (on SQLite the driver is synchronous: no overlap)
  let pending = batches.next();
  for (;;) {
    let t = performance.now();
    const next = await pending;
    readMs += performance.now() - t;
    if (next.done) break;
    opts.signal?.throwIfAborted();
    pending = batches.next();
    t = performance.now();
    chunks.push(scorer.score(next.value));
    buildMs += performance.now() - t;
  }
  const s = assembleSeason(setup, scorer.statics, chunks);
  const total = performance.now() - t0;
  return { ...s, readMs: Math.round(readMs), buildMs: Math.round(Math.max(buildMs, total - readMs)), threads: 0 };
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

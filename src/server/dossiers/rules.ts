// The rules' inputs for an exam year and their verdict on a dossier. The inputs (code lists, schemes,
// priority tables) are built once per process from the reference data and handed to the pure validators
// in src/domain with the request's `now`. The verdict (findings, the task list) is stored with every
// version of a dossier and valid while the year's rules and the local day stay the same (summaryKey), so
// a read or a submit of an unchanged dossier never checks it again, whichever process wrote it; a save
// re-checks only the sections it can affect (revalidate).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getReference } from '../reference/reference.repository.ts';
import type { StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { CertificatesFileSchema, LanguagesFileSchema, SchemesFileSchema, SubjectsFileSchema } from '../../domain/subjects.ts';
import { PriorityFileSchema, priorityTableFor } from '../../domain/priority-object.ts';
import { DOSSIER_SECTIONS, revalidate, sectionOfFinding, validateDossier, type Dossier, type DossierContext, type ProvinceRef, type SectionId } from '../../domain/dossier.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import type { Finding } from '../../domain/messages.ts';
import type { CandidateRef, DossierFilters, StoredDossier } from './model.ts';
import { schoolAreaLookup } from '../places/places.ts';

export type StaticContext = Omit<DossierContext, 'now' | 'examYear' | 'priorityTable' | 'retainMinScore'> & {
  priorityFile: ReturnType<typeof PriorityFileSchema.parse>;
  subjectNames: ReadonlyMap<string, { vi: string; en: string }>;
  languageNames: ReadonlyMap<string, { vi: string; en: string }>;
  provinceNames: ReadonlyMap<string, string>;
  ethnicityNames: ReadonlyMap<string, string>;
};

let cached: Promise<StaticContext> | undefined;

async function build(db: Kysely<DB>): Promise<StaticContext> {
  const [schemes, subjects, languages, certificates, prefixes, provinces, ethnic, priority] = await Promise.all([
    getReference<unknown>(db, 'schemes'),
    getReference<unknown>(db, 'subjects'),
    getReference<unknown>(db, 'foreign-languages'),
    getReference<unknown>(db, 'language-certificates'),
    getReference<{ prefixes: Array<{ prefix: string; province: string }> }>(db, 'cccd-prefixes'),
    getReference<{ provinces: Array<{ statsCode: string; name: string; formerProvinces: Array<{ name: string }> }> }>(db, 'provinces-2025'),
    getReference<{ ethnicGroups: Array<{ code: string; name: string }> }>(db, 'ethnic-groups'),
    getReference<unknown>(db, 'priority'),
  ]);
  const prefixByName = new Map<string, string[]>();
  for (const p of prefixes.prefixes) prefixByName.set(p.province, [...(prefixByName.get(p.province) ?? []), p.prefix]);
  // Birth places are declared as today's (2025) provinces; a merged province covers the CCCD prefixes of
  // every old province it absorbed, so the cross-check does not flag people born before the merger.
  const provinceRefs: ProvinceRef[] = provinces.provinces.map((p) => ({
    code: p.statsCode,
    name: p.name,
    cccdPrefixes: p.formerProvinces.flatMap((f) => prefixByName.get(f.name) ?? []),
  }));
  const subjectList = SubjectsFileSchema.parse(subjects).subjects;
  const languageList = LanguagesFileSchema.parse(languages).languages;
  return {
    schemes: SchemesFileSchema.parse(schemes).schemes,
    subjects: subjectList,
    languages: languageList,
    certificates: CertificatesFileSchema.parse(certificates),
    cccdPrefixes: prefixes.prefixes.map((p) => p.prefix),
    provinces: provinceRefs,
    ethnicityCodes: ethnic.ethnicGroups.map((e) => e.code),
    priorityFile: PriorityFileSchema.parse(priority),
    subjectNames: new Map(subjectList.map((s) => [s.code, { vi: s.vi, en: s.en }])),
    languageNames: new Map(languageList.map((s) => [s.code, { vi: s.vi, en: s.en }])),
    provinceNames: new Map(provinces.provinces.map((p) => [p.statsCode, p.name])),
    ethnicityNames: new Map(ethnic.ethnicGroups.map((e) => [e.code, e.name])),
  };
}

/** The year-independent inputs (code lists change only with a deploy): built once per process. */
export async function staticContext(db: Kysely<DB>): Promise<StaticContext> {
  if (!cached) {
    cached = build(db);
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

export type RulesContext = DossierContext & { names: StaticContext; rulesVersion: string };

/** The part of a rules context that is the same for every request of a year while its rules stand. */
type YearContext = Omit<RulesContext, 'now' | 'account'>;

/**
 * Year contexts by rules version (and the year's carry-over minimum, read from its rules): a request takes
 * its year's from here instead of assembling a dozen fields and looking the priority table up again. A change
 * to the year's rules, its scheme or the schools gives a new version, so a new entry; old ones age out.
 */
const YEAR_CONTEXTS_MAX = 16;
const yearContexts = new Map<string, YearContext>();

function yearContext(s: StaticContext, year: StoredExamYear, schools: Awaited<ReturnType<typeof schoolAreaLookup>>): YearContext {
  const retain = year.rules['retainMinScore'];
  // a change to the year's configuration (its rules, its scheme) makes earlier verdicts stale
  const rulesVersion = `${year.year}:${year.updatedAt ?? ''}:${schools.version}`;
  const key = `${rulesVersion}|${typeof retain === 'number' ? retain : ''}`;
  const hit = yearContexts.get(key);
  if (hit && hit.names === s && hit.areaLookup === schools.lookup) return hit;
  const y: YearContext = {
    examYear: year.year,
    schemes: s.schemes,
    subjects: s.subjects,
    languages: s.languages,
    certificates: s.certificates,
    cccdPrefixes: s.cccdPrefixes,
    provinces: s.provinces,
    ethnicityCodes: s.ethnicityCodes,
    priorityTable: priorityTableFor(s.priorityFile, year.year),
    areaLookup: schools.lookup,
    ...(typeof retain === 'number' ? { retainMinScore: retain } : {}),
    names: s,
    rulesVersion,
  };
  if (!hit && yearContexts.size >= YEAR_CONTEXTS_MAX) yearContexts.delete(yearContexts.keys().next().value as string);
  yearContexts.set(key, y);
  return y;
}

/**
 * The context the domain validators need for `year` at `now`; with the candidate, their account's facts too
 * (its personal number, how the school listed them), which the dossier is checked against.
 */
export async function rulesContext(db: Kysely<DB>, year: StoredExamYear, now: Date, candidate?: Pick<CandidateRef, 'idNumber' | 'candidateType'>): Promise<RulesContext> {
  const s = await staticContext(db);
  // the schools the departments imported: the priority area is computed from them (cached per process)
  const schools = await schoolAreaLookup(db);
  const y = yearContext(s, year, schools);
  return candidate ? { ...y, now, account: { idNumber: candidate.idNumber, candidateType: candidate.candidateType } } : { ...y, now };
}

/** What a stored verdict is valid for: the year's rules as last changed, and the local day (age checks). */
export function summaryKey(rctx: RulesContext): string {
  return `${rctx.rulesVersion}|${instantToVietnamLocal(rctx.now).date}`;
}

export type TaskState = 'not_started' | 'complete' | 'has_errors';

export interface Summary {
  key: string;
  findings: Finding[];
  tasks: Array<{ id: SectionId; vi: string; en: string; state: TaskState; findings: Finding[] }>;
  errors: number;
  warnings: number;
  readyToSubmit: boolean;
  /** findings and tasks as the JSON text stored with the version and spliced into answers */
  findingsJson: string;
  tasksJson: string;
}

/** The verdict from the findings (the task list: a section is done when present and without errors). */
export function summaryOf(data: Partial<Dossier>, findings: Finding[], key: string): Summary {
  const bySection = new Map<string, Finding[]>();
  let errors = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    const s = sectionOfFinding(f);
    const list = bySection.get(s);
    if (list) list.push(f);
    else bySection.set(s, [f]);
  }
  const tasks = DOSSIER_SECTIONS.map((s) => {
    const fs = bySection.get(s.id) ?? [];
    const state: TaskState = data[s.id] === undefined ? 'not_started' : fs.some((f) => f.severity === 'error') ? 'has_errors' : 'complete';
    return { id: s.id, vi: s.vi, en: s.en, state, findings: fs };
  });
  return withJson({ key, findings, tasks, errors, warnings: findings.length - errors, readyToSubmit: errors === 0 });
}

/** The JSON texts are made when first asked for (a submit that stores nothing new never makes them). */
function withJson(s: Omit<Summary, 'findingsJson' | 'tasksJson'>, known: { findingsJson?: string; tasksJson?: string } = {}): Summary {
  let f = known.findingsJson;
  let t = known.tasksJson;
  return Object.defineProperties(s as Summary, {
    findingsJson: { get: () => (f ??= JSON.stringify(s.findings)), enumerable: true },
    tasksJson: { get: () => (t ??= JSON.stringify(s.tasks)), enumerable: true },
  });
}

/** The whole dossier checked (a first save, a desk registration, a stale verdict). */
export function summarise(data: Partial<Dossier>, rctx: RulesContext): Summary {
  return summaryOf(data, validateDossier(data, rctx), summaryKey(rctx));
}

// A verdict recomputed for a stale stored one is kept a while per process: a dossier read several times a
// day after the rules changed is checked once, not on every read.
const RECENT_MAX = 20_000;
const recent = new Map<string, Summary>();

/** The verdict on a stored version: the stored one while valid, else checked again (and kept a while). */
export function verdictOf(d: StoredDossier, rctx: RulesContext): Summary {
  const key = summaryKey(rctx);
  const s = d.summary;
  if (s && s.key === key) {
    const base = summaryOf(d.data, s.findings, key);
    return withJson({ key, findings: base.findings, tasks: base.tasks, errors: base.errors, warnings: base.warnings, readyToSubmit: base.readyToSubmit }, { findingsJson: s.findingsJson, tasksJson: s.tasksJson });
  }
  const memo = `${d.id}:${d.version}:${key}`;
  const hit = recent.get(memo);
  if (hit) return hit;
  const fresh = summarise(d.data, rctx);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(memo, fresh);
  return fresh;
}

/** Whether the stored verdict can be spliced into an answer as it is (no check, no parse). */
export function storedVerdictValid(d: StoredDossier, rctx: RulesContext): boolean {
  return d.summary !== null && d.summary.key === summaryKey(rctx);
}

/** The verdict after a save of `changed` sections: only those and the sections reading them are checked again. */
export function verdictAfterSave(before: StoredDossier | null, merged: Partial<Dossier>, changed: readonly SectionId[], rctx: RulesContext): Summary {
  const key = summaryKey(rctx);
  if (!before) return summarise(merged, rctx);
  const previous = before.summary && before.summary.key === key ? before.summary.findings : verdictOf(before, rctx).findings;
  return summaryOf(merged, revalidate(previous, merged, changed, rctx), key);
}

/** The filter columns the back office sorts and filters on, derived from the data and its verdict. */
export function filtersOf(data: Partial<Dossier>, summary: Pick<Summary, 'findings' | 'errors' | 'warnings'>, candidate: CandidateRef, photoMissing: boolean): DossierFilters {
  const s = data.subjects;
  const combo = s ? [...(s.combinations ?? []), ...s.electives].sort().join('+') : '';
  const ex = data.exemption;
  const pr = data.priority;
  const res = data.residence;
  return {
    subjectsCombo: combo === '' ? null : combo,
    purpose: data.purpose ?? null,
    candidateType: data.status?.candidateType ?? candidate.candidateType,
    programme: data.status?.programme ?? null,
    // the card disagrees with the form, or the form's number is not the account's: the queue's "check the ID" filter
    cccdMismatch: summary.findings.some((f) => (f.code.startsWith('CCCD_') || f.code === 'ID_NUMBER_NOT_ACCOUNT') && f.severity === 'warning'),
    photoMissing,
    exemptionClaimed: Boolean(ex?.foreignLanguage || ex?.literature),
    priorityClaimed: Boolean(pr?.object || res?.kv1Over18Months || res?.disadvantagedCommuneOver18Months),
    errorsCount: summary.errors,
    warningsCount: summary.warnings,
  };
}

/** The verdict's stored form (the dossier row's summary columns). */
export const storedSummary = (s: Summary) => ({ key: s.key, findingsJson: s.findingsJson, tasksJson: s.tasksJson });

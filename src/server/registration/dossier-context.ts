// The rules' inputs for an exam year, built once per process from the reference data (code lists change
// only with a deploy) and handed to the pure validators in src/domain with the request's `now`.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getReference } from '../reference/reference.repository.ts';
import type { StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { CertificatesFileSchema, LanguagesFileSchema, SchemesFileSchema, SubjectsFileSchema } from '../../domain/subjects.ts';
import { PriorityFileSchema, priorityTableFor } from '../../domain/priority-object.ts';
import type { DossierContext, ProvinceRef } from '../../domain/dossier.ts';

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

export async function staticContext(db: Kysely<DB>): Promise<StaticContext> {
  if (!cached) {
    cached = build(db);
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

/** The context the domain validators need for `year` at `now`. */
export async function dossierContext(db: Kysely<DB>, year: StoredExamYear, now: Date): Promise<DossierContext & { names: StaticContext; rulesVersion: string }> {
  const s = await staticContext(db);
  const retain = year.rules['retainMinScore'];
  return {
    now,
    examYear: year.year,
    schemes: s.schemes,
    subjects: s.subjects,
    languages: s.languages,
    certificates: s.certificates,
    cccdPrefixes: s.cccdPrefixes,
    provinces: s.provinces,
    ethnicityCodes: s.ethnicityCodes,
    priorityTable: priorityTableFor(s.priorityFile, year.year),
    ...(typeof retain === 'number' ? { retainMinScore: retain } : {}),
    names: s,
    // a change to the year's configuration (its rules, its scheme) makes earlier findings stale
    rulesVersion: `${year.year}:${year.updatedAt ?? ''}`,
  };
}

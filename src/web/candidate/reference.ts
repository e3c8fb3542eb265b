// The year's code lists and rules' inputs, for the instant checks in the browser: the same reference
// files the server loads (reference/*.json), bundled into the candidate's chunk (about 10 KB gzipped)
// and turned into the DossierContext the domain validators take, exactly as the server builds it
// (src/server/registration/dossier-context.ts), so both sides give the same findings.
import schemesFile from '../../../reference/schemes.json' with { type: 'json' };
import subjectsFile from '../../../reference/subjects.json' with { type: 'json' };
import languagesFile from '../../../reference/foreign-languages.json' with { type: 'json' };
import certificatesFile from '../../../reference/language-certificates.json' with { type: 'json' };
import prefixesFile from '../../../reference/cccd-prefixes.json' with { type: 'json' };
import provincesFile from '../../../reference/provinces-2025.json' with { type: 'json' };
import ethnicFile from '../../../reference/ethnic-groups.json' with { type: 'json' };
import priorityFile from '../../../reference/priority.json' with { type: 'json' };
import departmentsFile from '../../../reference/exam-departments.json' with { type: 'json' };
import type { DossierContext, ProvinceRef } from '../../domain/dossier.ts';
import { CertificatesFileSchema, LanguagesFileSchema, SchemesFileSchema, SubjectsFileSchema, type SubjectRef } from '../../domain/subjects.ts';
import { PriorityFileSchema, priorityTableFor } from '../../domain/priority-object.ts';

const schemes = SchemesFileSchema.parse(schemesFile).schemes;
const subjects = SubjectsFileSchema.parse(subjectsFile).subjects;
const languages = LanguagesFileSchema.parse(languagesFile).languages;
const certificates = CertificatesFileSchema.parse(certificatesFile);
const priority = PriorityFileSchema.parse(priorityFile);
const prefixes = (prefixesFile as { prefixes: Array<{ prefix: string; province: string }> }).prefixes;
const provinceList = (provincesFile as { provinces: Array<{ statsCode: string; name: string; formerProvinces: Array<{ name: string; examCode: string }> }> }).provinces;
const prefixByName = new Map<string, string[]>();
for (const p of prefixes) prefixByName.set(p.province, [...(prefixByName.get(p.province) ?? []), p.prefix]);
const provinces: ProvinceRef[] = provinceList.map((p) => ({ code: p.statsCode, name: p.name, cccdPrefixes: p.formerProvinces.flatMap((f) => prefixByName.get(f.name) ?? []) }));

export const REF = {
  schemes,
  subjects,
  languages,
  certificates,
  provinces,
  /** the 34 provinces with the pre-merger provinces (and exam codes) each absorbed */
  provinceList,
  ethnicGroups: (ethnicFile as { ethnicGroups: Array<{ code: string; name: string }> }).ethnicGroups,
  examDepartments: (departmentsFile as { examDepartments: Array<{ code: string; name: string }> }).examDepartments,
  priority,
};

export function dossierContext(examYear: number, now = new Date(), retainMinScore?: number): DossierContext {
  const priorityTable = priorityTableFor(priority, examYear);
  return {
    now,
    examYear,
    schemes,
    subjects,
    languages,
    certificates,
    cccdPrefixes: prefixes.map((p) => p.prefix),
    provinces,
    ethnicityCodes: REF.ethnicGroups.map((e) => e.code),
    ...(priorityTable ? { priorityTable } : {}),
    ...(retainMinScore !== undefined ? { retainMinScore } : {}),
  };
}

export function subjectName(code: string, lang: 'vi' | 'en'): string {
  const s: SubjectRef | undefined = subjects.find((x) => x.code === code);
  return s ? s[lang] : code;
}
export function languageName(code: string, lang: 'vi' | 'en'): string {
  const s = languages.find((x) => x.code === code);
  return s ? s[lang] : code;
}
export const provinceName = (code: string | undefined) => provinces.find((p) => p.code === code)?.name ?? code ?? '';
export const departmentName = (code: string | undefined) => REF.examDepartments.find((p) => p.code === code)?.name ?? code ?? '';
export const ethnicityName = (code: string | undefined) => REF.ethnicGroups.find((p) => p.code === code)?.name ?? code ?? '';

/** Today's province (statistics code) that took over an exam department code's province. */
export const provinceOfExamCode = (examCode: string | undefined): string | undefined =>
  examCode ? provinceList.find((p) => p.formerProvinces.some((f) => f.examCode === examCode))?.statsCode : undefined;

/** A combination test by its name ("KHTN" → "Khoa học tự nhiên"), from the schemes. */
export function combinationName(code: string, lang: 'vi' | 'en'): string {
  for (const sc of schemes) {
    const c = (sc.combinations as ReadonlyArray<{ code: string; vi: string; en: string }>).find((x) => x.code === code);
    if (c) return c[lang];
  }
  return code;
}

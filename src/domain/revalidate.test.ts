// A save re-checks only the sections it changed and those whose rules read them (revalidate). On many
// generated dossiers and changes, that must give exactly what checking the whole dossier gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import languagesFile from '../../reference/foreign-languages.json' with { type: 'json' };
import schemesFile from '../../reference/schemes.json' with { type: 'json' };
import certificatesFile from '../../reference/language-certificates.json' with { type: 'json' };
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import { DOSSIER_SECTIONS, SECTION_SCHEMAS, checkParsedSection, revalidate, validateDossier, validateSection, type Dossier, type DossierContext, type SectionId } from './dossier.ts';
import { CertificatesFileSchema, LanguagesFileSchema, SchemesFileSchema, SubjectsFileSchema } from './subjects.ts';
import { PriorityFileSchema, priorityTableFor } from './priority-object.ts';
import { vietnamLocalToInstant } from './time.ts';

const ctx: DossierContext = {
  now: vietnamLocalToInstant('2025-04-22', '10:00'),
  examYear: 2025,
  schemes: SchemesFileSchema.parse(schemesFile).schemes,
  subjects: SubjectsFileSchema.parse(subjectsFile).subjects,
  languages: LanguagesFileSchema.parse(languagesFile).languages,
  certificates: CertificatesFileSchema.parse(certificatesFile),
  cccdPrefixes: ['001', '079'],
  provinces: [
    { code: '01', name: 'Hà Nội', cccdPrefixes: ['001'] },
    { code: '79', name: 'TP. Hồ Chí Minh', cccdPrefixes: ['079'] },
  ],
  ethnicityCodes: ['01', '02', '03'],
  priorityTable: priorityTableFor(PriorityFileSchema.parse(priorityFile), 2025),
};

const grade = { provinceCode: '01', communeCode: '00001', schoolProvinceCode: '01', schoolCode: '001' };
// For each section, values that are valid, invalid by its own rules, or that make another section's rules
// fire (a foreigner's nationality, a free candidate, a graduate, an exemption without its subject …).
const VARIANTS: { [S in SectionId]: Array<Dossier[S] | undefined | unknown> } = {
  personal: [
    undefined,
    { fullName: 'nguyễn văn an', gender: 'male', dateOfBirth: '2007-05-02', birthPlace: { provinceCode: '01' }, ethnicityCode: '01', nationality: 'VN', idNumber: '001207012345' },
    { fullName: 'TRẦN THỊ BÌNH', gender: 'female', dateOfBirth: '2007-13-02', birthPlace: { provinceCode: '79' }, ethnicityCode: '02', nationality: 'VN', idNumber: '001207012345' },
    { fullName: 'JOHN SMITH', gender: 'male', dateOfBirth: '2006-01-01', birthPlace: { country: 'US' }, ethnicityCode: '99', nationality: 'US', idNumber: 'C1234567' },
    { fullName: '', gender: 'x' },
  ],
  residence: [undefined, { grade10: grade, grade11: grade, grade12: grade, kv1Over18Months: true, disadvantagedCommuneOver18Months: false }, { grade10: grade }],
  contact: [undefined, { phone: '0912345678', address: 'Số 1 Tràng Tiền, Hà Nội' }, { phone: '12', email: 'not-an-email', address: '' }],
  status: [
    undefined,
    { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
    { candidateType: 'free', graduated: true, programme: 'CT2018', track: 'THPT' },
    { candidateType: 'free', graduated: false, programme: 'CT2006', track: 'GDTX' },
  ],
  purpose: [undefined, 'both', 'graduation', 'admission'],
  subjects: [
    undefined,
    { electives: ['NN', 'LI'], foreignLanguage: 'N1' },
    { electives: ['LI', 'HO'] },
    { electives: ['LI', 'LI'], foreignLanguage: 'N9' },
    { electives: [], combinations: ['KHTN'], foreignLanguage: 'N1' },
  ],
  exemption: [undefined, {}, { foreignLanguage: true, certificate: 'IELTS', result: '6.5' }, { foreignLanguage: true }, { literature: true, vietnameseLevel: 3 }],
  retainedScores: [undefined, [], [{ subject: 'LI', year: 2024, score: 6 }], [{ subject: 'TO', year: 2030, score: 2 }, { subject: 'TO', year: 2020, score: 8 }]],
  priority: [undefined, {}, { object: '01' }, { object: '06' }],
};

// a small deterministic generator (mulberry32): the same dossiers on every run
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(r: () => number): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  for (const { id } of DOSSIER_SECTIONS) {
    const vs = VARIANTS[id];
    const v = vs[Math.floor(r() * vs.length)];
    if (v !== undefined) d[id] = v;
  }
  return d;
}

test('revalidate after a save equals a full check, on 3,000 generated dossiers and changes', () => {
  const r = rng(20260101);
  let differentFindings = 0;
  for (let i = 0; i < 3000; i++) {
    const before = generate(r);
    const after = { ...before };
    const changed: SectionId[] = [];
    for (const { id } of DOSSIER_SECTIONS) {
      if (r() < 0.25) {
        const vs = VARIANTS[id];
        const v = vs[1 + Math.floor(r() * (vs.length - 1))];
        after[id] = v;
        changed.push(id);
      }
    }
    if (changed.length === 0) continue;
    const previous = validateDossier(before, ctx);
    const incremental = revalidate(previous, after as Partial<Dossier>, changed, ctx);
    const full = validateDossier(after, ctx);
    assert.deepEqual(incremental, full, `dossier ${i}, changed ${changed.join(',')}`);
    if (JSON.stringify(previous) !== JSON.stringify(full)) differentFindings++;
    // a save parses its body once and runs the rules on what the schema gave: the same findings as a check from the raw value
    for (const id of changed) {
      const parsed = SECTION_SCHEMAS[id].safeParse(after[id]);
      if (parsed.success) assert.deepEqual(checkParsedSection(id, parsed.data as never, ctx, after as Partial<Dossier>), validateSection(id, after[id], ctx, after as Partial<Dossier>), `dossier ${i}, section ${id}`);
    }
  }
  // the generator must exercise changes that move findings, or the comparison proves little
  assert.ok(differentFindings > 1000, `only ${differentFindings} changes moved the findings`);
});

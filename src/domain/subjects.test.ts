import { test } from 'node:test';
import assert from 'node:assert/strict';
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import languagesFile from '../../reference/foreign-languages.json' with { type: 'json' };
import schemesFile from '../../reference/schemes.json' with { type: 'json' };
import certificatesFile from '../../reference/language-certificates.json' with { type: 'json' };
import {
  CertificatesFileSchema,
  graduationFormula,
  isFinding,
  LanguagesFileSchema,
  meetsMinimum,
  requiredForGraduation,
  schemeFor,
  SchemesFileSchema,
  SubjectsFileSchema,
  subjectsSat,
  validateExemption,
  validateCandidateStatus,
  validatePurpose,
  validateSubjectChoice,
  type CandidateProfile,
  type Scheme,
  type SubjectChoice,
} from './subjects.ts';

const subjects = SubjectsFileSchema.parse(subjectsFile).subjects;
const languages = LanguagesFileSchema.parse(languagesFile).languages;
const schemes = SchemesFileSchema.parse(schemesFile).schemes;
const certs = CertificatesFileSchema.parse(certificatesFile);
const refs = { languages, subjects };

function scheme(year: number, programme: 'CT2006' | 'CT2018'): Scheme {
  const s = schemeFor(schemes, year, programme);
  assert.ok(!isFinding(s));
  return s;
}
const CT2018 = scheme(2025, 'CT2018');
const CT2006 = scheme(2024, 'CT2006');

const regular: CandidateProfile = { programme: 'CT2018', track: 'THPT', candidateType: 'current', graduated: false, purpose: 'both', nationality: 'VN' };
const gdtx06: CandidateProfile = { ...regular, programme: 'CT2006', track: 'GDTX', candidateType: 'free' };
const regular06: CandidateProfile = { ...regular, programme: 'CT2006' };
const graduate: CandidateProfile = { ...regular, candidateType: 'free', graduated: true, purpose: 'admission' };

const check = (s: Scheme, c: CandidateProfile, choice: SubjectChoice, ex?: Parameters<typeof validateSubjectChoice>[4]) =>
  validateSubjectChoice(s, c, choice, refs, ex).map((f) => `${f.code}@${f.field}`);

test('reference files parse and carry version and source', () => {
  assert.equal(subjects.length, 13);
  assert.deepEqual(languages.map((l) => l.code), ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7']);
  assert.ok(certs.certificates.length >= 18);
  for (const c of certs.certificates) {
    if (c.scale.kind === 'level') assert.ok(c.scale.levels.includes(String(c.minimum)), c.code);
    assert.ok(languages.some((l) => l.code === c.language), c.code);
  }
  // every subject a scheme names exists
  for (const s of schemes) for (const code of s.subjects) assert.ok(subjects.some((x) => x.code === code), code);
});

test('which scheme: CT2006 2017–2025, CT2018 from 2025; both in 2025', () => {
  assert.equal(scheme(2017, 'CT2006').code, 'CT2006');
  assert.equal(scheme(2025, 'CT2006').code, 'CT2006');
  assert.equal(scheme(2025, 'CT2018').code, 'CT2018');
  const none = schemeFor(schemes, 2016, 'CT2006');
  assert.ok(isFinding(none) && none.code === 'SCHEME_NOT_OFFERED');
  const none2 = schemeFor(schemes, 2024, 'CT2018');
  assert.ok(isFinding(none2) && none2.field === 'status.programme');
});

test('CT2018: Toán + Ngữ văn + exactly 2 different electives; 36 valid pairs', () => {
  assert.deepEqual(check(CT2018, regular, { electives: ['LI', 'HOA'] }), []);
  assert.deepEqual(check(CT2018, regular, { electives: ['LI'] }), ['ELECTIVES_COUNT@subjects.electives']);
  assert.deepEqual(check(CT2018, regular, { electives: ['LI', 'HOA', 'SINH'] }), ['ELECTIVES_COUNT@subjects.electives']);
  assert.deepEqual(check(CT2018, regular, { electives: ['LI', 'LI'] }), ['SUBJECT_DUPLICATE@subjects.electives[1]', 'ELECTIVES_COUNT@subjects.electives']);
  const req = requiredForGraduation(CT2018, regular);
  assert.ok(req);
  const from = req.electives.from.filter((s) => s !== 'NN');
  let pairs = 0;
  for (let i = 0; i < from.length; i++) for (let j = i + 1; j < from.length; j++) {
    assert.deepEqual(check(CT2018, regular, { electives: [from[i] ?? '', from[j] ?? ''] }), []);
    pairs++;
  }
  assert.equal(pairs, 36); // DOMAIN.md: 36 combinations without the language
});

test('a subject not in the scheme is named by its index', () => {
  assert.deepEqual(check(CT2018, regular, { electives: ['LI', 'GDCD'] }), ['SUBJECT_NOT_IN_SCHEME@subjects.electives[1]', 'ELECTIVES_COUNT@subjects.electives']);
  const f = validateSubjectChoice(CT2018, regular, { electives: ['LI', 'GDCD'] }, refs)[0];
  assert.match(f?.vi ?? '', /Giáo dục công dân/);
  assert.deepEqual(check(CT2018, regular, { electives: ['LI', 'TOAN'] }), ['SUBJECT_ALREADY_COMPULSORY@subjects.electives[1]', 'ELECTIVES_COUNT@subjects.electives']);
  assert.deepEqual(check(CT2018, regular, { electives: ['LI', 'HOA'], combinations: ['KHTN'] }), ['COMBINATION_NOT_IN_SCHEME@subjects.combinations[0]']);
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: ['KHTN', 'KHXX'], foreignLanguage: 'N1' }), ['COMBINATION_NOT_IN_SCHEME@subjects.combinations[1]']);
});

test('CT2018 foreign language: N1–N7 required with Ngoại ngữ, not without', () => {
  assert.deepEqual(check(CT2018, regular, { electives: ['NN', 'LI'] }), ['LANGUAGE_REQUIRED@subjects.foreignLanguage']);
  assert.deepEqual(check(CT2018, regular, { electives: ['NN', 'LI'], foreignLanguage: 'N7' }), []);
  assert.deepEqual(check(CT2018, regular, { electives: ['NN', 'LI'], foreignLanguage: 'N8' }), ['LANGUAGE_UNKNOWN@subjects.foreignLanguage']);
  assert.deepEqual(check(CT2018, regular, { electives: ['SU', 'LI'], foreignLanguage: 'N1' }), ['LANGUAGE_NOT_SAT@subjects.foreignLanguage']);
});

test('CT2006 regular: Toán, Ngữ văn, Ngoại ngữ + one or both combinations', () => {
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: ['KHTN'], foreignLanguage: 'N1' }), []);
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: ['KHTN', 'KHXH'], foreignLanguage: 'N1' }), []);
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: [], foreignLanguage: 'N1' }), ['COMBINATION_REQUIRED@subjects.combinations']);
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: ['KHTN'] }), ['LANGUAGE_REQUIRED@subjects.foreignLanguage']);
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: ['KHTN', 'KHTN'], foreignLanguage: 'N1' }), ['COMBINATION_DUPLICATE@subjects.combinations[1]']);
  assert.deepEqual(check(CT2006, regular06, { electives: ['LI'], combinations: ['KHXH'], foreignLanguage: 'N1' }), ['SUBJECT_NOT_ALLOWED@subjects.electives[0]']);
  assert.deepEqual(subjectsSat(CT2006, regular06, { electives: [], combinations: ['KHXH'] }), ['TOAN', 'VAN', 'NN', 'SU', 'DIA', 'GDCD']);
});

test('CT2006 GDTX: never both combinations, KHXH without GDCD, may add Ngoại ngữ', () => {
  assert.deepEqual(check(CT2006, gdtx06, { electives: [], combinations: ['KHXH'] }), []);
  assert.deepEqual(check(CT2006, gdtx06, { electives: [], combinations: ['KHTN', 'KHXH'] }), ['COMBINATION_ONLY_ONE@subjects.combinations']);
  assert.deepEqual(subjectsSat(CT2006, gdtx06, { electives: [], combinations: ['KHXH'] }), ['TOAN', 'VAN', 'SU', 'DIA']);
  assert.deepEqual(check(CT2006, gdtx06, { electives: ['NN'], combinations: ['KHXH'], foreignLanguage: 'N3' }), []);
  assert.deepEqual(check(CT2006, gdtx06, { electives: ['NN'], combinations: ['KHXH'] }), ['LANGUAGE_REQUIRED@subjects.foreignLanguage']);
  const tc = { ...gdtx06, track: 'TC' as const };
  assert.deepEqual(check(CT2006, tc, { electives: [], combinations: ['KHTN', 'KHXH'] }), ['COMBINATION_ONLY_ONE@subjects.combinations']);
});

test('admission only: graduates register just the subjects they want', () => {
  assert.equal(requiredForGraduation(CT2018, graduate), null);
  assert.deepEqual(check(CT2018, graduate, { electives: ['TOAN'] }), []);
  assert.deepEqual(check(CT2018, graduate, { electives: ['TOAN', 'LI', 'HOA', 'NN'], foreignLanguage: 'N1' }), []);
  assert.deepEqual(check(CT2018, graduate, { electives: [] }), ['SUBJECTS_REQUIRED@subjects.electives']);
  assert.deepEqual(check(CT2018, graduate, { electives: ['TOAN', 'TOAN'] }), ['SUBJECT_DUPLICATE@subjects.electives[1]']);
  const g06 = { ...graduate, programme: 'CT2006' as const };
  assert.deepEqual(check(CT2006, g06, { electives: ['LI', 'HOA'] }), []); // component subjects alone
  assert.deepEqual(check(CT2006, g06, { electives: ['LI'], combinations: ['KHTN'] }), ['SUBJECT_IN_COMBINATION@subjects.electives[0]']);
});

test('purpose against status', () => {
  const p = (c: Partial<CandidateProfile>) => validatePurpose({ ...regular, ...c }).map((f) => f.code);
  assert.deepEqual(p({}), []);
  assert.deepEqual(p({ purpose: 'admission' }), ['PURPOSE_GRADUATION_REQUIRED']);
  assert.deepEqual(p({ candidateType: 'free', graduated: true, purpose: 'admission' }), []);
  assert.deepEqual(p({ candidateType: 'free', graduated: true, purpose: 'both' }), ['PURPOSE_ALREADY_GRADUATED']);
  assert.deepEqual(p({ candidateType: 'free', track: 'TC', purpose: 'admission' }), []); // trung cấp holder
  assert.deepEqual(p({ candidateType: 'current', track: 'TC', purpose: 'admission' }), ['PURPOSE_GRADUATION_REQUIRED']);
  assert.deepEqual(validateCandidateStatus({ candidateType: 'current', graduated: true }).map((f) => f.field), ['status.graduated']);
  assert.deepEqual(validateCandidateStatus({ candidateType: 'free', graduated: true }), []);
});

test('certificate minimums at their edges', () => {
  const cert = (code: string) => {
    const c = certs.certificates.find((x) => x.code === code);
    assert.ok(c, code);
    return c;
  };
  assert.deepEqual(meetsMinimum(cert('IELTS'), '4.0'), { valid: true, meets: true });
  assert.deepEqual(meetsMinimum(cert('IELTS'), '3.5'), { valid: true, meets: false });
  assert.deepEqual(meetsMinimum(cert('IELTS'), '4,5'), { valid: true, meets: true });
  assert.deepEqual(meetsMinimum(cert('IELTS'), '9.5'), { valid: false, meets: false });
  assert.deepEqual(meetsMinimum(cert('TOEFL_IBT'), '44'), { valid: true, meets: false });
  assert.deepEqual(meetsMinimum(cert('TOEFL_IBT'), '45'), { valid: true, meets: true });
  assert.deepEqual(meetsMinimum(cert('JLPT'), 'N5'), { valid: true, meets: false });
  assert.deepEqual(meetsMinimum(cert('JLPT'), 'n4'), { valid: true, meets: true });
  assert.deepEqual(meetsMinimum(cert('JLPT'), 'N1'), { valid: true, meets: true });
  assert.deepEqual(meetsMinimum(cert('DELF_DALF'), 'A2'), { valid: true, meets: false });
  assert.deepEqual(meetsMinimum(cert('VSTEP'), 'Bậc 3'), { valid: true, meets: true });
  assert.deepEqual(meetsMinimum(cert('HSK'), '2'), { valid: true, meets: false });
  assert.deepEqual(meetsMinimum(cert('TOPIK'), 'level 2'), { valid: true, meets: true });
});

test('exemption without a certificate, with an unknown one, below minimum, wrong language', () => {
  const choice = { electives: ['NN', 'LI'], foreignLanguage: 'N1' };
  const ex = (e: Parameters<typeof validateExemption>[3], ch: SubjectChoice = choice, c = regular) => validateExemption(CT2018, c, ch, e, certs).map((f) => `${f.code}@${f.field}`);
  assert.deepEqual(ex({ foreignLanguage: true }), ['EXEMPTION_CERTIFICATE_REQUIRED@exemption.certificate']);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'IELTS', result: '4.0' }), []);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'FAKE', result: '9' }), ['EXEMPTION_CERTIFICATE_UNKNOWN@exemption.certificate']);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'IELTS', result: '3.5' }), ['EXEMPTION_BELOW_MINIMUM@exemption.result']);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'IELTS' }), ['REQUIRED@exemption.result']);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'HSK', result: '4' }), ['EXEMPTION_LANGUAGE_MISMATCH@exemption.certificate']);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'IELTS', result: '5' }, { electives: ['SU', 'LI'] }), ['EXEMPTION_LANGUAGE_NOT_CHOSEN@exemption.foreignLanguage']);
  assert.deepEqual(ex({ foreignLanguage: true, certificate: 'IELTS', result: '5' }, choice, graduate), ['EXEMPTION_NOT_FOR_ADMISSION@exemption.foreignLanguage']);
  // CT2006 GDTX: the language is not a graduation paper
  const g = validateExemption(CT2006, gdtx06, { electives: [], combinations: ['KHXH'], foreignLanguage: 'N1' }, { foreignLanguage: true, certificate: 'IELTS', result: '5' }, certs);
  assert.deepEqual(g.map((f) => f.code), ['EXEMPTION_NOT_APPLICABLE']);
  // the exempted language must still be named: an exempted candidate does not sit NN under CT2006
  assert.deepEqual(check(CT2006, regular06, { electives: [], combinations: ['KHTN'] }, { foreignLanguage: true }), ['LANGUAGE_REQUIRED@subjects.foreignLanguage']);
});

test('Ngữ văn exemption: foreigners with Vietnamese level 3 or above', () => {
  const foreigner: CandidateProfile = { ...regular, nationality: 'KR' };
  const ex = (e: Parameters<typeof validateExemption>[3], c: CandidateProfile = foreigner) => validateExemption(CT2018, c, { electives: ['LI', 'HOA'] }, e, certs).map((f) => f.code);
  assert.deepEqual(ex({ literature: true, vietnameseLevel: 3 }), []);
  assert.deepEqual(ex({ literature: true, vietnameseLevel: 2 }), ['EXEMPTION_BELOW_MINIMUM']);
  assert.deepEqual(ex({ literature: true, vietnameseLevel: 7 }), ['EXEMPTION_RESULT_INVALID']);
  assert.deepEqual(ex({ literature: true }), ['REQUIRED']);
  assert.deepEqual(ex({ literature: true, vietnameseLevel: 4 }, regular), ['EXEMPTION_LITERATURE_FOREIGNERS_ONLY']);
});

test('graduation formula: exempted language drops out under CT2018, counts as 10 under CT2006', () => {
  const f18 = graduationFormula(CT2018, regular, { electives: ['NN', 'LI'], foreignLanguage: 'N1' }, { foreignLanguage: true });
  assert.ok(f18);
  assert.equal(f18.divisor, 3);
  assert.deepEqual(f18.papers, ['TOAN', 'VAN', 'LI']);
  assert.deepEqual(f18.parts.find((p) => p.code === 'NN')?.treatment, 'exempt-dropped');
  const plain = graduationFormula(CT2018, regular, { electives: ['NN', 'LI'], foreignLanguage: 'N1' });
  assert.equal(plain?.divisor, 4);
  const f06 = graduationFormula(CT2006, regular06, { electives: [], combinations: ['KHTN', 'KHXH'], foreignLanguage: 'N1' }, { foreignLanguage: true });
  assert.ok(f06);
  assert.equal(f06.divisor, 4);
  assert.equal(f06.parts.find((p) => p.code === 'NN')?.treatment, 'exempt-counts-10');
  assert.deepEqual(f06.parts.at(-1), {
    code: 'KHTN|KHXH',
    treatment: 'best-of',
    of: ['KHTN', 'KHXH'],
    options: [
      { code: 'KHTN', subjects: ['LI', 'HOA', 'SINH'] },
      { code: 'KHXH', subjects: ['SU', 'DIA', 'GDCD'] },
    ],
  });
  assert.ok(!f06.papers.includes('NN'));
  const gd = graduationFormula(CT2006, gdtx06, { electives: ['NN'], combinations: ['KHXH'], foreignLanguage: 'N1' });
  assert.equal(gd?.divisor, 3); // GDTX: Toán, Ngữ văn, the combination; NN is for admission only
  assert.deepEqual(gd?.parts.at(-1), { code: 'KHXH', treatment: 'exam', subjects: ['SU', 'DIA'] });
  assert.deepEqual(gd?.papers, ['TOAN', 'VAN', 'NN', 'SU', 'DIA']);
  assert.equal(graduationFormula(CT2018, graduate, { electives: ['TOAN'] }), null);
});

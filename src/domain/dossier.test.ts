import { test } from 'node:test';
import assert from 'node:assert/strict';
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import languagesFile from '../../reference/foreign-languages.json' with { type: 'json' };
import schemesFile from '../../reference/schemes.json' with { type: 'json' };
import certificatesFile from '../../reference/language-certificates.json' with { type: 'json' };
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import {
  DOSSIER_SECTIONS,
  fieldPath,
  isSectionComplete,
  normaliseSection,
  exemptionApplies,
  retainedScoresApply,
  sectionApplies,
  validateDossier,
  validateSection,
  type Dossier,
  type DossierContext,
} from './dossier.ts';
import { CertificatesFileSchema, LanguagesFileSchema, SchemesFileSchema, SubjectsFileSchema } from './subjects.ts';
import { PriorityFileSchema, priorityTableFor } from './priority-object.ts';
import { areaLookupFromTables } from './priority-area.ts';
import { vietnamLocalToInstant } from './time.ts';
import { hasErrors } from './messages.ts';

const ctx: DossierContext = {
  now: vietnamLocalToInstant('2025-04-22', '10:00'),
  examYear: 2025,
  schemes: SchemesFileSchema.parse(schemesFile).schemes,
  subjects: SubjectsFileSchema.parse(subjectsFile).subjects,
  languages: LanguagesFileSchema.parse(languagesFile).languages,
  certificates: CertificatesFileSchema.parse(certificatesFile),
  cccdPrefixes: ['001', '030', '031', '079'],
  provinces: [
    { code: '01', name: 'Hà Nội', cccdPrefixes: ['001'] },
    { code: '31', name: 'Hải Phòng', cccdPrefixes: ['031', '030'] },
    { code: '79', name: 'TP. Hồ Chí Minh', cccdPrefixes: ['079'] },
  ],
  ethnicityCodes: ['01', '02', '03'],
  priorityTable: priorityTableFor(PriorityFileSchema.parse(priorityFile), 2025),
  areaLookup: areaLookupFromTables({ communes: { '01:00001': 'KV3' }, schools: { '01:001': { area: 'KV3' } } }),
};

const grade = { provinceCode: '01', communeCode: '00001', schoolProvinceCode: '01', schoolCode: '001' };
const good: Dossier = {
  personal: {
    fullName: 'nguyễn văn an',
    gender: 'male',
    dateOfBirth: '2007-05-02',
    birthPlace: { provinceCode: '01' },
    ethnicityCode: '01',
    nationality: 'VN',
    idNumber: '001207012345',
  },
  residence: { grade10: grade, grade11: grade, grade12: grade, kv1Over18Months: false, disadvantagedCommuneOver18Months: false },
  contact: { phone: '+84 912 345 678', email: 'an@example.vn', address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội' },
  status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
  purpose: 'both',
  subjects: { electives: ['NN', 'LI'], foreignLanguage: 'N1' },
  exemption: {},
  retainedScores: [],
  priority: {},
};

const codes = (f: { code: string; field: string }[]) => f.map((x) => `${x.code}@${x.field}`);

test('a complete, correct dossier has no findings', () => {
  assert.deepEqual(validateDossier(good, ctx), []);
  for (const s of DOSSIER_SECTIONS) assert.equal(isSectionComplete(s.id, good[s.id], ctx, good), true, s.id);
});

test('section list: ids and bilingual titles for the task list', () => {
  assert.deepEqual(DOSSIER_SECTIONS.map((s) => s.id), ['personal', 'residence', 'contact', 'status', 'purpose', 'subjects', 'exemption', 'retainedScores', 'priority']);
  for (const s of DOSSIER_SECTIONS) assert.ok(s.vi && s.en);
});

test('strict sections reject status, version, id and registration point', () => {
  const f = validateSection('personal', { ...good.personal, status: 'verified', version: 3, registrationPointId: 'x', nickname: 'A' }, ctx);
  assert.deepEqual(codes(f).sort(), ['FORBIDDEN_FIELD@personal.registrationPointId', 'FORBIDDEN_FIELD@personal.status', 'FORBIDDEN_FIELD@personal.version', 'UNKNOWN_FIELD@personal.nickname']);
  const whole = validateDossier({ ...good, id: 'abc' }, ctx);
  assert.deepEqual(codes(whole), ['FORBIDDEN_FIELD@id']);
  // the status SECTION cannot smuggle the dossier status either
  assert.deepEqual(codes(validateSection('status', { ...good.status, status: 'verified' }, ctx)), ['FORBIDDEN_FIELD@status.status']);
});

test('zod issues become REQUIRED / TOO_LONG / INVALID_TYPE with the field named in both languages', () => {
  const { fullName: _omit, ...noName } = good.personal;
  const f = validateSection('personal', noName, ctx);
  assert.deepEqual(codes(f), ['REQUIRED@personal.fullName']);
  assert.match(f[0]?.vi ?? '', /Họ và tên/);
  assert.match(f[0]?.en ?? '', /Full name/);
  assert.deepEqual(codes(validateSection('personal', { ...good.personal, fullName: '' }, ctx)), ['REQUIRED@personal.fullName']);
  assert.deepEqual(codes(validateSection('personal', { ...good.personal, fullName: 'A'.repeat(201) }, ctx)), ['TOO_LONG@personal.fullName']);
  assert.deepEqual(codes(validateSection('personal', { ...good.personal, gender: 'x' }, ctx)), ['INVALID_VALUE@personal.gender']);
  assert.deepEqual(codes(validateSection('residence', { ...good.residence, kv1Over18Months: 'yes' }, ctx)), ['INVALID_TYPE@residence.kv1Over18Months']);
  const g = validateSection('residence', { ...good.residence, grade11: { ...grade, schoolCode: undefined } }, ctx);
  assert.deepEqual(codes(g), ['REQUIRED@residence.grade11.schoolCode']);
  assert.match(g[0]?.vi ?? '', /Mã trường \(lớp 11\)/);
  assert.deepEqual(codes(validateSection('subjects', { electives: ['LI', 7] }, ctx, good)), ['INVALID_TYPE@subjects.electives[1]']);
  assert.deepEqual(codes(validateSection('purpose', undefined, ctx)), ['REQUIRED@purpose']);
  assert.deepEqual(codes(validateSection('personal', 'a string', ctx)), ['INVALID_TYPE@personal']);
  const { subjects: _s, ...noSubjects } = good;
  assert.deepEqual(codes(validateDossier(noSubjects, ctx)), ['REQUIRED@subjects']);
  // a whole section missing is named as the task list names it, whatever its shape (object or choice)
  const missing = validateDossier({ ...noSubjects, priority: undefined, purpose: undefined }, ctx);
  const said = (field: string) => missing.find((x) => x.field === field);
  assert.equal(said('subjects')?.vi, 'Chưa khai mục “Đăng ký môn thi”.');
  assert.equal(said('subjects')?.en, 'The section “Subjects” is not filled in yet.');
  assert.equal(said('purpose')?.vi, 'Chưa khai mục “Mục đích dự thi”.');
});

test('personal rules: name, CCCD cross-check warnings, birthplace', () => {
  const p = (over: Partial<Dossier['personal']>) => codes(validateSection('personal', { ...good.personal, ...over }, ctx));
  assert.deepEqual(p({ fullName: 'NGUYỄN VĂN \u0410N' }), ['NAME_LOOKALIKE_LETTER@personal.fullName']);
  assert.deepEqual(p({ gender: 'female' }), ['CCCD_GENDER_MISMATCH@personal.gender']);
  assert.deepEqual(p({ dateOfBirth: '2006-05-02' }), ['CCCD_BIRTH_YEAR_MISMATCH@personal.dateOfBirth']);
  assert.deepEqual(p({ birthPlace: { provinceCode: '79' } }), ['CCCD_BIRTH_PROVINCE_MISMATCH@personal.birthPlace']);
  assert.deepEqual(p({ idNumber: '030207012345', birthPlace: { provinceCode: '31' } }), []); // Hải Dương CCCD, born in today's Hải Phòng
  assert.deepEqual(p({ birthPlace: {} }), ['BIRTHPLACE_ONE_OF@personal.birthPlace']);
  assert.deepEqual(p({ birthPlace: { provinceCode: '01', country: 'FR' } }), ['BIRTHPLACE_ONE_OF@personal.birthPlace']);
  assert.deepEqual(p({ birthPlace: { provinceCode: '99' } }), ['BIRTH_PROVINCE_UNKNOWN@personal.birthPlace.provinceCode']);
  assert.deepEqual(p({ ethnicityCode: '77' }), ['ETHNICITY_UNKNOWN@personal.ethnicityCode']);
  assert.deepEqual(p({ idNumber: '012345678' }), ['CMND_NOT_ACCEPTED@personal.idNumber']);
  assert.deepEqual(p({ dateOfBirth: '2007-02-29' }), ['DATE_INVALID@personal.dateOfBirth']);
  // warnings do not make the section incomplete
  assert.equal(isSectionComplete('personal', { ...good.personal, gender: 'female' }, ctx), true);
  assert.equal(isSectionComplete('personal', { ...good.personal, idNumber: '1' }, ctx), false);
  // a foreigner with a passport
  assert.deepEqual(p({ nationality: 'KR', idNumber: 'M12345678', birthPlace: { country: 'KR' } }), []);
});

test('contact rules', () => {
  assert.deepEqual(codes(validateSection('contact', { ...good.contact, phone: '0241234567' }, ctx)), ['PHONE_NOT_MOBILE@contact.phone']);
  assert.deepEqual(codes(validateSection('contact', { ...good.contact, email: 'an@' }, ctx)), ['EMAIL_INVALID@contact.email']);
  assert.deepEqual(codes(validateSection('contact', { phone: '0912345678', address: 'Hà Nội' }, ctx)), []); // e-mail optional
  assert.deepEqual(codes(validateSection('contact', { ...good.contact, email: '' }, ctx)), []);
});

test('cross-section rules: subjects need status and purpose; skipped until they are saved', () => {
  assert.deepEqual(validateSection('subjects', { electives: ['LI', 'LI'] }, ctx), []); // nothing to judge against yet
  assert.deepEqual(codes(validateSection('subjects', { electives: ['LI', 'LI'] }, ctx, good)), ['SUBJECT_DUPLICATE@subjects.electives[1]', 'ELECTIVES_COUNT@subjects.electives']);
  const gdtx: Dossier = { ...good, status: { candidateType: 'free', graduated: false, programme: 'CT2006', track: 'GDTX' }, purpose: 'graduation', subjects: { electives: [], combinations: ['KHTN', 'KHXH'] } };
  assert.deepEqual(codes(validateDossier(gdtx, ctx)), ['COMBINATION_ONLY_ONE@subjects.combinations']);
  assert.deepEqual(codes(validateSection('purpose', 'admission', ctx, good)), ['PURPOSE_GRADUATION_REQUIRED@purpose']);
  assert.deepEqual(codes(validateSection('status', { ...good.status, programme: 'CT2006' }, { ...ctx, examYear: 2026 })), ['SCHEME_NOT_OFFERED@status.programme']);
});

test('exemption without a certificate is refused in the full dossier', () => {
  const d: Dossier = { ...good, exemption: { foreignLanguage: true } };
  assert.deepEqual(codes(validateDossier(d, ctx)), ['EXEMPTION_CERTIFICATE_REQUIRED@exemption.certificate']);
  const ok: Dossier = { ...good, exemption: { foreignLanguage: true, certificate: 'IELTS', result: '5.5' } };
  assert.deepEqual(validateDossier(ok, ctx), []);
});

test('retained scores: free, not graduated, registered subject, ≥ 5, earlier year', () => {
  const free: Dossier = { ...good, status: { ...good.status, candidateType: 'free' } };
  const r = (scores: Dossier['retainedScores'], d: Dossier = free) => codes(validateSection('retainedScores', scores, ctx, d));
  assert.deepEqual(r([{ subject: 'LI', score: 5, year: 2024 }]), []);
  assert.deepEqual(r([{ subject: 'LI', score: 4.75, year: 2024 }]), ['RETAINED_SCORE_TOO_LOW@retainedScores[0].score']);
  assert.deepEqual(r([{ subject: 'LI', score: 6, year: 2025 }]), ['RETAINED_YEAR@retainedScores[0].year']);
  assert.deepEqual(r([{ subject: 'SU', score: 6, year: 2024 }]), ['RETAINED_NOT_REGISTERED@retainedScores[0].subject']);
  assert.deepEqual(r([{ subject: 'GDCD', score: 6, year: 2024 }]), ['SUBJECT_NOT_IN_SCHEME@retainedScores[0].subject']);
  assert.deepEqual(r([{ subject: 'LI', score: 6, year: 2024 }, { subject: 'LI', score: 7, year: 2023 }]), ['RETAINED_DUPLICATE@retainedScores[1].subject']);
  assert.deepEqual(r([{ subject: 'LI', score: 6, year: 2024 }], good), ['RETAINED_NOT_ALLOWED@retainedScores']);
  assert.deepEqual(codes(validateSection('retainedScores', [{ subject: 'LI', score: 11, year: 2024 }], ctx, free)), ['TOO_LARGE@retainedScores[0].score']);
});

test('retained scores apply only to a free candidate who has not graduated: not asked, not required, a claim refused', () => {
  const free: Dossier = { ...good, status: { ...good.status, candidateType: 'free' } };
  const graduate: Dossier = { ...good, status: { ...good.status, candidateType: 'free', graduated: true }, purpose: 'admission' };
  assert.equal(retainedScoresApply(good.status), false);
  assert.equal(retainedScoresApply(free.status), true);
  assert.equal(retainedScoresApply(graduate.status), false);
  // before the status is declared, a student the school listed as a 12th-grader is not asked
  assert.equal(retainedScoresApply(undefined, 'current'), false);
  assert.equal(retainedScoresApply(undefined, 'free'), true);
  assert.equal(sectionApplies('retainedScores', {}, 'current'), false);
  assert.equal(sectionApplies('priority', {}, 'current'), true);
  // a current 12th-grader or a graduate need not save the section to submit
  const { retainedScores: _none, ...withoutRetained } = good;
  assert.deepEqual(codes(validateDossier(withoutRetained, ctx)), []);
  const { retainedScores: _g, ...graduateWithout } = graduate;
  assert.deepEqual(codes(validateDossier(graduateWithout, ctx)).filter((c) => c.includes('retained')), []);
  // a free candidate who may carry scores over is still asked
  const { retainedScores: _f, ...freeWithout } = free;
  assert.deepEqual(codes(validateDossier(freeWithout, ctx)), ['REQUIRED@retainedScores']);
  // a claim where it does not apply is refused, naming the field in both languages
  const refused = validateSection('retainedScores', [{ subject: 'LI', score: 6, year: 2024 }], { ...ctx, account: { idNumber: '001207012345', candidateType: 'current' } }, {});
  assert.deepEqual(codes(refused), ['RETAINED_NOT_ALLOWED@retainedScores']);
  assert.match(refused[0]!.vi, /^Bảo lưu điểm thi: /);
  assert.match(refused[0]!.en, /^Retained scores: /);
  assert.deepEqual(codes(validateSection('retainedScores', [{ subject: 'LI', score: 6, year: 2024 }], ctx, graduate)), ['RETAINED_NOT_ALLOWED@retainedScores']);
});

test('exemption questions apply only where they can: the language one with a foreign language sat for graduation, Literature to a foreign national', () => {
  assert.deepEqual(exemptionApplies(good), { language: true, literature: false });
  const noLanguage: Dossier = { ...good, subjects: { electives: ['LI', 'HOA'] } };
  assert.deepEqual(exemptionApplies(noLanguage), { language: false, literature: false });
  assert.equal(sectionApplies('exemption', noLanguage), false);
  assert.deepEqual(exemptionApplies({ ...noLanguage, personal: { ...good.personal, nationality: 'LA' } }), { language: false, literature: true });
  assert.deepEqual(exemptionApplies({ ...good, purpose: 'admission' }), { language: false, literature: false });
  // not yet known: asked
  assert.deepEqual(exemptionApplies({}), { language: true, literature: false });
  // a candidate with nothing to be exempt from need not save the section
  const { exemption: _e, ...withoutExemption } = noLanguage;
  assert.deepEqual(codes(validateDossier(withoutExemption, ctx)), []);
  const { exemption: _g, ...goodWithout } = good;
  assert.deepEqual(codes(validateDossier(goodWithout, ctx)), ['REQUIRED@exemption']);
  // a claim where it cannot apply is still refused by name
  assert.deepEqual(codes(validateSection('exemption', { foreignLanguage: true, certificate: 'IELTS', result: '6.0' }, ctx, noLanguage)).slice(0, 1), ['EXEMPTION_LANGUAGE_NOT_CHOSEN@exemption.foreignLanguage']);
});

test('priority rules use the year table and the declared ethnicity', () => {
  assert.deepEqual(codes(validateSection('priority', { object: '01' }, ctx, good)), ['PRIORITY_OBJECT_NOT_ELIGIBLE@priority.object']);
  assert.deepEqual(codes(validateSection('priority', { object: '08' }, ctx, good)), ['PRIORITY_OBJECT_UNKNOWN@priority.object']);
  assert.deepEqual(validateSection('priority', { object: '07', encouragementPoints: 1.5 }, ctx, good), []);
  // the group covering ethnic minorities among other grounds: a Kinh candidate is warned, not refused
  assert.deepEqual(codes(validateSection('priority', { object: '06' }, ctx, good)), ['PRIORITY_OBJECT_ETHNICITY@priority.object']);
});

test('residence: an unknown school is reported on its grade', () => {
  const f = validateSection('residence', { ...good.residence, grade12: { ...grade, schoolCode: '999' } }, ctx);
  assert.deepEqual(codes(f), ['AREA_SCHOOL_UNKNOWN@residence.grade12.schoolCode']);
});

test('a dossier with several broken sections reports all of them', () => {
  const bad = { ...good, contact: { ...good.contact, phone: 12 }, subjects: { electives: ['LI'] } };
  const f = validateDossier(bad, ctx);
  assert.deepEqual(codes(f), ['INVALID_TYPE@contact.phone', 'ELECTIVES_COUNT@subjects.electives']);
  assert.ok(hasErrors(f));
});

test('normaliseSection stores NFC capitals and a national phone number', () => {
  const p = normaliseSection('personal', { ...good.personal, fullName: ' nguyễn\u200B văn  an '.normalize('NFD'), idNumber: '001 207 012345' });
  assert.equal(p.fullName, 'NGUYỄN VĂN AN');
  assert.equal(p.idNumber, '001207012345');
  const c = normaliseSection('contact', { phone: '+84 912 345 678', email: ' An@Example.VN ', address: ' Hà  Nội ' });
  assert.deepEqual(c, { phone: '0912345678', email: 'An@example.vn', address: 'Hà Nội' });
});

test('fieldPath formats indices', () => {
  assert.equal(fieldPath('subjects', ['electives', 1]), 'subjects.electives[1]');
  assert.equal(fieldPath('', ['id']), 'id');
});

test('every problem of a page at once: a bad date, an 11-digit CCCD and no ethnicity are three findings, in page order', () => {
  const personal = { fullName: 'Nguyễn Văn An', gender: 'male', dateOfBirth: '2008-02-31', birthPlace: { provinceCode: '01' }, nationality: 'VN', idNumber: '00120800012' };
  const f = validateSection('personal', personal, ctx).filter((x) => x.severity === 'error');
  assert.deepEqual(
    f.map((x) => x.field),
    ['personal.dateOfBirth', 'personal.ethnicityCode', 'personal.idNumber'],
  );
  assert.equal(f[1]?.vi, 'Vui lòng chọn Dân tộc.', 'a list is chosen from, not typed');
  assert.match(f[0]?.vi ?? '', /31\/02\/2008 không có trên lịch/);
  // the whole-dossier check (what the server stores as the verdict) says the same
  const whole = validateDossier({ personal }, ctx).filter((x) => x.field.startsWith('personal.') && x.severity === 'error');
  assert.deepEqual(
    whole.map((x) => x.field),
    ['personal.dateOfBirth', 'personal.ethnicityCode', 'personal.idNumber'],
  );
  // contact: a bad phone shows with the missing address
  const c = validateSection('contact', { phone: '12345' }, ctx).map((x) => x.field);
  assert.deepEqual(c.sort(), ['contact.address', 'contact.phone']);
});

test('dates are refused in words and shown dd/mm/yyyy, never ISO; a year must have 4 digits', () => {
  const short = validateSection('personal', { fullName: 'Nguyễn Văn An', gender: 'male', dateOfBirth: '8-02-31', birthPlace: { provinceCode: '01' }, ethnicityCode: '01', nationality: 'VN', idNumber: '001208000123' }, ctx);
  const d = short.find((x) => x.field === 'personal.dateOfBirth');
  assert.equal(d?.code, 'DATE_FORMAT');
  assert.doesNotMatch(`${d?.vi} ${d?.en}`, /YYYY|\d{4}-\d{2}/);
  const padded = validateSection('personal', { fullName: 'Nguyễn Văn An', gender: 'male', dateOfBirth: '0008-02-31', birthPlace: { provinceCode: '01' }, ethnicityCode: '01', nationality: 'VN', idNumber: '001208000123' }, ctx);
  const p = padded.find((x) => x.field === 'personal.dateOfBirth');
  assert.equal(p?.code, 'DATE_TOO_EARLY');
  assert.match(p?.vi ?? '', /4 chữ số/);
});

// The registration dossier (phiếu đăng ký dự thi): one strict zod schema per section, shared by the API,
// the browser forms and the OpenAPI document, and the validators that run the schema and then the rules.
// Schemas check shape and bound sizes; the rules (names, CCCD, dates, subjects…) give the precise,
// bilingual findings. Status, registration point, version and ids never belong to a section: the strict
// schemas reject them.
import { z } from 'zod';
import { error, hasErrors, type Finding } from './messages.ts';
import { idNumberVsAccount, statusVsAccount, type AccountFacts } from './account-match.ts';
import { normaliseName, validateName } from './names.ts';
import { crossCheckCccd, normaliseIdNumber, validateIdNumber } from './cccd.ts';
import { validateDateOfBirth } from './dates.ts';
import { normaliseEmail, normaliseFreeText, normalisePhone, validateAddress, validateEmail, validatePhone } from './contact.ts';
import {
  FOREIGN_LANGUAGE,
  isFinding,
  schemeFor,
  sitsForGraduation,
  subjectsSat,
  validateCandidateStatus,
  validateExemption,
  validatePurpose,
  validateSubjectChoice,
  type CandidateProfile,
  type CertificateData,
  type Scheme,
  type SubjectRef,
} from './subjects.ts';
import { computePriorityArea, type AreaLookup } from './priority-area.ts';
import { validatePriorityClaim, type PriorityTable } from './priority-object.ts';

// ---- Schemas ----

const provinceCode = z.string().regex(/^\d{2}$/);
const countryCode = z.string().regex(/^[A-Z]{2}$/);
const areaCode = z.enum(['KV1', 'KV2-NT', 'KV2', 'KV3']);
const subjectCode = z.string().regex(/^[A-Z]{2,6}$/);

// Raw-text bounds are generous: they only stop oversized bodies. The rules apply the real limits to the
// normalised text (a pasted name with stray spaces is still fine once collapsed).
export const PersonalSchema = z.strictObject({
  fullName: z.string().min(1).max(200),
  gender: z.enum(['male', 'female']),
  dateOfBirth: z.string().min(1).max(32),
  /** a province code, or a country (ISO 3166-1 alpha-2) when born abroad: exactly one */
  birthPlace: z.strictObject({ provinceCode: provinceCode.optional(), country: countryCode.optional() }),
  ethnicityCode: z.string().regex(/^\d{2}$/),
  /** ISO 3166-1 alpha-2, 'VN' for citizens */
  nationality: countryCode,
  idNumber: z.string().min(1).max(32),
});

export const GradePlaceSchema = z.strictObject({
  provinceCode,
  communeCode: z.string().regex(/^\d{3,5}$/),
  schoolProvinceCode: provinceCode,
  schoolCode: z.string().regex(/^[0-9A-Z]{2,6}$/),
  area: areaCode.optional(),
});

export const ResidenceSchema = z.strictObject({
  grade10: GradePlaceSchema,
  grade11: GradePlaceSchema,
  grade12: GradePlaceSchema,
  kv1Over18Months: z.boolean(),
  disadvantagedCommuneOver18Months: z.boolean(),
});

export const ContactSchema = z.strictObject({
  phone: z.string().min(1).max(32),
  email: z.string().max(512).optional(),
  address: z.string().min(1).max(600),
});

export const StatusSchema = z.strictObject({
  candidateType: z.enum(['current', 'free']),
  graduated: z.boolean(),
  programme: z.enum(['CT2018', 'CT2006']),
  track: z.enum(['THPT', 'GDTX', 'TC']),
});

export const PurposeSchema = z.enum(['graduation', 'admission', 'both']);

export const SubjectsSchema = z.strictObject({
  electives: z.array(subjectCode).max(12),
  combinations: z.array(z.string().regex(/^[A-Z]{2,6}$/)).max(4).optional(),
  foreignLanguage: z.string().regex(/^N\d$/).optional(),
});

export const ExemptionSchema = z.strictObject({
  foreignLanguage: z.boolean().optional(),
  certificate: z.string().regex(/^[A-Z0-9_-]{1,16}$/).optional(),
  result: z.string().max(16).optional(),
  literature: z.boolean().optional(),
  vietnameseLevel: z.number().int().optional(),
});

export const RetainedScoreSchema = z.strictObject({
  subject: subjectCode,
  score: z.number().min(0).max(10),
  year: z.number().int().min(2017),
});
export const RetainedScoresSchema = z.array(RetainedScoreSchema).max(12);

export const PrioritySchema = z.strictObject({
  object: z.string().regex(/^\d{2}$/).optional(),
  encouragementPoints: z.number().min(0).max(10).optional(),
});

export const SECTION_SCHEMAS = {
  personal: PersonalSchema,
  residence: ResidenceSchema,
  contact: ContactSchema,
  status: StatusSchema,
  purpose: PurposeSchema,
  subjects: SubjectsSchema,
  exemption: ExemptionSchema,
  retainedScores: RetainedScoresSchema,
  priority: PrioritySchema,
} as const;

export type SectionId = keyof typeof SECTION_SCHEMAS;
export type SectionValue<S extends SectionId> = z.infer<(typeof SECTION_SCHEMAS)[S]>;

export const DossierSchema = z.strictObject(SECTION_SCHEMAS);
export type Dossier = z.infer<typeof DossierSchema>;
export type Personal = z.infer<typeof PersonalSchema>;
export type Residence = z.infer<typeof ResidenceSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type CandidateStatus = z.infer<typeof StatusSchema>;
export type SubjectsSection = z.infer<typeof SubjectsSchema>;
export type ExemptionSection = z.infer<typeof ExemptionSchema>;
export type RetainedScore = z.infer<typeof RetainedScoreSchema>;
export type PrioritySection = z.infer<typeof PrioritySchema>;

/** The task list, in the order the candidate fills it in. */
export const DOSSIER_SECTIONS: ReadonlyArray<{ id: SectionId; vi: string; en: string }> = [
  { id: 'personal', vi: 'Thông tin cá nhân', en: 'Personal details' },
  { id: 'residence', vi: 'Nơi thường trú và trường học lớp 10, 11, 12', en: 'Residence and schools in grades 10–12' },
  { id: 'contact', vi: 'Thông tin liên hệ', en: 'Contact details' },
  { id: 'status', vi: 'Diện dự thi', en: 'Candidate status' },
  { id: 'purpose', vi: 'Mục đích dự thi', en: 'Purpose of sitting' },
  { id: 'subjects', vi: 'Đăng ký môn thi', en: 'Subjects' },
  { id: 'exemption', vi: 'Miễn thi', en: 'Exemptions' },
  { id: 'retainedScores', vi: 'Bảo lưu điểm thi', en: 'Retained scores' },
  { id: 'priority', vi: 'Đối tượng ưu tiên, điểm khuyến khích', en: 'Priority and encouragement points' },
];

// ---- Context ----

export interface ProvinceRef {
  code: string;
  name: string;
  /** CCCD prefixes of births registered there (a merged province covers several pre-2025 provinces) */
  cccdPrefixes: readonly string[];
}

export interface DossierContext {
  now: Date;
  examYear: number;
  schemes: readonly Scheme[];
  subjects?: readonly SubjectRef[];
  languages: readonly { code: string }[];
  certificates: CertificateData;
  cccdPrefixes: readonly string[];
  /** birth provinces, to check the code and cross-check the CCCD prefix; skipped when absent */
  provinces?: readonly ProvinceRef[];
  ethnicityCodes?: readonly string[];
  /** the exam year's priority table; skipped when absent */
  priorityTable?: PriorityTable;
  /** the year's commune/school areas; skipped when absent */
  areaLookup?: AreaLookup;
  /**
   * Lowest paper score a free candidate may carry over (bảo lưu). *Assumption*: 5.0, as in the
   * 2017–2024 regulation; pass the year's value.
   */
  retainMinScore?: number;
  /** the candidate's account (its number, how the school listed them): differences are warnings; skipped when absent */
  account?: AccountFacts;
}

export const DEFAULT_RETAIN_MIN_SCORE = 5;

// ---- Zod issues → Findings ----

const LABELS: Readonly<Record<string, { vi: string; en: string }>> = {
  personal: { vi: 'Thông tin cá nhân', en: 'Personal details' },
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  gender: { vi: 'Giới tính', en: 'Gender' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
  birthPlace: { vi: 'Nơi sinh', en: 'Place of birth' },
  provinceCode: { vi: 'Mã tỉnh/thành phố', en: 'Province code' },
  country: { vi: 'Quốc gia', en: 'Country' },
  ethnicityCode: { vi: 'Dân tộc', en: 'Ethnicity' },
  nationality: { vi: 'Quốc tịch', en: 'Nationality' },
  idNumber: { vi: 'Số định danh cá nhân', en: 'Personal identification number' },
  residence: { vi: 'Nơi thường trú và trường học', en: 'Residence and schools' },
  communeCode: { vi: 'Mã xã/phường', en: 'Commune code' },
  schoolProvinceCode: { vi: 'Mã tỉnh của trường', en: 'School province code' },
  schoolCode: { vi: 'Mã trường', en: 'School code' },
  area: { vi: 'Khu vực ưu tiên', en: 'Priority area' },
  kv1Over18Months: { vi: 'Thường trú trên 18 tháng tại Khu vực 1', en: 'Resident over 18 months in Area 1' },
  disadvantagedCommuneOver18Months: { vi: 'Thường trú trên 18 tháng tại xã đặc biệt khó khăn', en: 'Resident over 18 months in an extremely disadvantaged commune' },
  contact: { vi: 'Thông tin liên hệ', en: 'Contact details' },
  phone: { vi: 'Số điện thoại', en: 'Phone number' },
  email: { vi: 'Email', en: 'E-mail' },
  address: { vi: 'Địa chỉ liên hệ', en: 'Contact address' },
  status: { vi: 'Diện dự thi', en: 'Candidate status' },
  candidateType: { vi: 'Diện thí sinh', en: 'Candidate type' },
  graduated: { vi: 'Đã tốt nghiệp THPT', en: 'Already graduated' },
  programme: { vi: 'Chương trình học', en: 'Programme' },
  track: { vi: 'Hệ học', en: 'Track' },
  purpose: { vi: 'Mục đích dự thi', en: 'Purpose of sitting' },
  subjects: { vi: 'Môn thi', en: 'Subjects' },
  electives: { vi: 'Môn tự chọn', en: 'Electives' },
  combinations: { vi: 'Bài thi tổ hợp', en: 'Combination tests' },
  'subjects.foreignLanguage': { vi: 'Ngoại ngữ', en: 'Foreign language' },
  exemption: { vi: 'Miễn thi', en: 'Exemptions' },
  'exemption.foreignLanguage': { vi: 'Miễn thi Ngoại ngữ', en: 'Foreign-language exemption' },
  certificate: { vi: 'Chứng chỉ ngoại ngữ', en: 'Language certificate' },
  result: { vi: 'Điểm/bậc trên chứng chỉ', en: 'Certificate result' },
  literature: { vi: 'Miễn thi Ngữ văn', en: 'Literature exemption' },
  vietnameseLevel: { vi: 'Bậc tiếng Việt', en: 'Vietnamese level' },
  retainedScores: { vi: 'Bảo lưu điểm thi', en: 'Retained scores' },
  subject: { vi: 'Môn', en: 'Subject' },
  score: { vi: 'Điểm', en: 'Score' },
  year: { vi: 'Năm thi', en: 'Exam year' },
  priority: { vi: 'Ưu tiên', en: 'Priority' },
  object: { vi: 'Đối tượng ưu tiên', en: 'Priority object' },
  encouragementPoints: { vi: 'Điểm khuyến khích', en: 'Encouragement points' },
};

/** Keys that are set by the system, never by a section body. */
const RESERVED_KEYS = new Set(['id', 'status', 'version', 'registrationPointId', 'pointId', 'formNumber', 'candidateNumber', 'candidateId', 'createdAt', 'updatedAt', 'submittedAt', 'verifiedAt']);

type PathKey = string | number;

/** Fields the pages offer as a list to choose from (select, radios): missing, they say "chọn", not "nhập". */
const CHOICE_KEYS = new Set(['gender', 'provinceCode', 'country', 'ethnicityCode', 'nationality', 'schoolProvinceCode', 'candidateType', 'graduated', 'programme', 'track', 'certificate', 'subject', 'object', 'foreignLanguage']);
function isChoice(path: readonly PathKey[]): boolean {
  const last = [...path].reverse().find((k): k is string => typeof k === 'string');
  return last !== undefined && CHOICE_KEYS.has(last);
}

/** `subjects.electives[1]`, `residence.grade10.schoolCode`. */
export function fieldPath(sectionId: string, path: readonly PathKey[]): string {
  let out = sectionId;
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out;
}

function label(sectionId: string, path: readonly PathKey[]): { vi: string; en: string } {
  const keys = path.filter((k): k is string => typeof k === 'string');
  const last = keys[keys.length - 1];
  const base = (last !== undefined ? (LABELS[`${sectionId}.${last}`] ?? LABELS[last]) : undefined) ?? LABELS[sectionId] ?? { vi: sectionId, en: sectionId };
  const grade = keys.find((k) => /^grade1[0-2]$/.test(k));
  const index = path.find((k): k is number => typeof k === 'number');
  let vi = base.vi;
  let en = base.en;
  if (grade) {
    vi += ` (lớp ${grade.slice(5)})`;
    en += ` (grade ${grade.slice(5)})`;
  }
  if (index !== undefined && last !== undefined && path.indexOf(index) < path.indexOf(last)) {
    vi += ` (mục ${index + 1})`;
    en += ` (item ${index + 1})`;
  } else if (index !== undefined) {
    vi += ` (thứ ${index + 1})`;
    en += ` (no. ${index + 1})`;
  }
  return { vi, en };
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}

/** Map zod issues to Findings naming the field in both languages. */
export function zodIssuesToFindings(rootId: string, issues: readonly z.core.$ZodIssue[], rootInput: unknown): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) {
    let path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
    let sectionId = rootId;
    let input = rootInput;
    // Issues from the whole-dossier schema start with the section id: label them as that section's.
    if (sectionId === '' && typeof path[0] === 'string') {
      sectionId = path[0];
      input = valueAt(rootInput, [path[0]]);
      path = path.slice(1);
    }
    const field = fieldPath(sectionId, path);
    const l = label(sectionId, path);
    // a whole section not yet filled in: named as the task list names it ("Chưa khai mục …"), not as a field
    // to type ("Vui lòng nhập Ưu tiên" beside a task called "Đối tượng ưu tiên, điểm khuyến khích")
    const section = path.length === 0 ? DOSSIER_SECTIONS.find((x) => x.id === sectionId) : undefined;
    if (section && valueAt(input, path) === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      out.push(error('REQUIRED', field, `Chưa khai mục “${section.vi}”.`, `The section “${section.en}” is not filled in yet.`));
      continue;
    }
    const missing = valueAt(input, path) === undefined;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const f = fieldPath(sectionId, [...path, key]);
          out.push(
            RESERVED_KEYS.has(key)
              ? error('FORBIDDEN_FIELD', f, `Không được gửi trường “${key}”: trường này do hệ thống quản lý.`, `“${key}” may not be sent: the system sets it.`, { key })
              : error('UNKNOWN_FIELD', f, `Trường “${key}” không thuộc mục ${l.vi}.`, `“${key}” is not a field of ${l.en}.`, { key }),
          );
        }
        break;
      case 'invalid_type':
        out.push(
          missing
            ? isChoice(path)
              ? error('REQUIRED', field, `Vui lòng chọn ${l.vi}.`, `Choose ${l.en}.`)
              : error('REQUIRED', field, `Vui lòng nhập ${l.vi}.`, `${l.en} is required.`)
            : error('INVALID_TYPE', field, `${l.vi}: kiểu dữ liệu không đúng.`, `${l.en}: wrong type of value.`, { expected: String(issue.expected) }),
        );
        break;
      case 'invalid_value':
        out.push(missing ? error('REQUIRED', field, `Vui lòng chọn ${l.vi}.`, `Choose ${l.en}.`) : error('INVALID_VALUE', field, `${l.vi}: giá trị không hợp lệ.`, `${l.en}: invalid value.`));
        break;
      case 'too_big': {
        const max = Number(issue.maximum);
        if (issue.origin === 'string' || issue.origin === 'array') {
          out.push(
            issue.origin === 'string'
              ? error('TOO_LONG', field, `${l.vi} dài tối đa ${max} ký tự.`, `${l.en} may be at most ${max} characters.`, { max })
              : error('TOO_MANY', field, `${l.vi}: tối đa ${max} mục.`, `${l.en}: at most ${max} items.`, { max }),
          );
        } else {
          out.push(error('TOO_LARGE', field, `${l.vi} không được lớn hơn ${max}.`, `${l.en} may not exceed ${max}.`, { max }));
        }
        break;
      }
      case 'too_small': {
        const min = Number(issue.minimum);
        if (issue.origin === 'string') {
          out.push(min <= 1 ? error('REQUIRED', field, `Vui lòng nhập ${l.vi}.`, `${l.en} is required.`) : error('TOO_SHORT', field, `${l.vi} phải có ít nhất ${min} ký tự.`, `${l.en} must have at least ${min} characters.`, { min }));
        } else if (issue.origin === 'array') {
          out.push(error('TOO_FEW', field, `${l.vi}: cần ít nhất ${min} mục.`, `${l.en}: at least ${min} items.`, { min }));
        } else {
          out.push(error('TOO_SMALL', field, `${l.vi} không được nhỏ hơn ${min}.`, `${l.en} may not be less than ${min}.`, { min }));
        }
        break;
      }
      case 'invalid_format':
        out.push(error('INVALID_FORMAT', field, `${l.vi} không đúng định dạng.`, `${l.en} is not in the right format.`));
        break;
      default:
        out.push(error('INVALID_VALUE', field, `${l.vi}: giá trị không hợp lệ.`, `${l.en}: invalid value.`));
    }
  }
  return out;
}

// ---- Rules per section ----

function profileOf(rest: Partial<Dossier>): CandidateProfile | null {
  const s = rest.status;
  if (!s || !rest.purpose) return null;
  return { ...s, purpose: rest.purpose, nationality: rest.personal?.nationality ?? 'VN' };
}

function schemeOf(ctx: DossierContext, rest: Partial<Dossier>): Scheme | null {
  if (!rest.status) return null;
  const s = schemeFor(ctx.schemes, ctx.examYear, rest.status.programme);
  return isFinding(s) ? null : s;
}

function personalRules(v: Personal, ctx: DossierContext): Finding[] {
  const out: Finding[] = [...validateName(v.fullName, 'personal.fullName'), ...validateDateOfBirth(v.dateOfBirth, { now: ctx.now, examYear: ctx.examYear })];
  const bp = v.birthPlace;
  let birthPrefixes: readonly string[] | undefined;
  if ((bp.provinceCode === undefined) === (bp.country === undefined)) {
    out.push(error('BIRTHPLACE_ONE_OF', 'personal.birthPlace', 'Nơi sinh: chọn tỉnh/thành phố, hoặc quốc gia nếu sinh ở nước ngoài (chỉ một).', 'Place of birth: choose a province, or a country if born abroad (one only).'));
  } else if (bp.country === 'VN') {
    out.push(error('BIRTHPLACE_COUNTRY_VN', 'personal.birthPlace.country', 'Sinh tại Việt Nam: hãy chọn tỉnh/thành phố nơi sinh.', 'Born in Vietnam: choose the province of birth.'));
  } else if (bp.provinceCode !== undefined && ctx.provinces) {
    const p = ctx.provinces.find((x) => x.code === bp.provinceCode);
    if (!p) out.push(error('BIRTH_PROVINCE_UNKNOWN', 'personal.birthPlace.provinceCode', `Mã tỉnh ${bp.provinceCode} không có trong danh mục.`, `Province code ${bp.provinceCode} is not in the list.`, { code: bp.provinceCode }));
    else birthPrefixes = p.cccdPrefixes;
  }
  if (ctx.ethnicityCodes && !ctx.ethnicityCodes.includes(v.ethnicityCode)) {
    out.push(error('ETHNICITY_UNKNOWN', 'personal.ethnicityCode', `Mã dân tộc ${v.ethnicityCode} không có trong danh mục.`, `Ethnicity code ${v.ethnicityCode} is not in the list.`, { code: v.ethnicityCode }));
  }
  const id = validateIdNumber(v.idNumber, v.nationality, ctx.cccdPrefixes, 'personal.idNumber');
  out.push(...id.findings);
  if (id.ok && id.value.cccd) {
    out.push(...crossCheckCccd(id.value.cccd, { gender: v.gender, dateOfBirth: v.dateOfBirth, birthProvincePrefixes: birthPrefixes }));
  }
  if (id.ok && ctx.account) out.push(...idNumberVsAccount(v.idNumber, ctx.account));
  return out;
}

function contactRules(v: Contact): Finding[] {
  const out: Finding[] = [];
  const p = validatePhone(v.phone);
  if (!p.ok) out.push(...p.findings);
  if (v.email !== undefined && v.email.trim() !== '') {
    const e = validateEmail(v.email);
    if (!e.ok) out.push(...e.findings);
  }
  const a = validateAddress(v.address);
  if (!a.ok) out.push(...a.findings);
  return out;
}

// ---- Which sections apply ----

/**
 * Whether the retained-scores question (bảo lưu điểm thi) applies: only to a free candidate who sat an
 * earlier year's exam and did not graduate, so never to a current 12th-grader nor to a graduate. Before
 * the status is declared, the account decides: a student the school listed as a current 12th-grader is
 * not asked.
 */
export function retainedScoresApply(status: Pick<CandidateStatus, 'candidateType' | 'graduated'> | undefined, accountType?: AccountFacts['candidateType']): boolean {
  if (status) return status.candidateType === 'free' && !status.graduated;
  return accountType !== 'current';
}

/**
 * Whether the exemption questions apply: the language exemption to a candidate sitting for graduation
 * who sits a foreign language, the Literature exemption to a foreign national sitting for graduation.
 * Until the purpose and the subjects are declared, they are asked.
 */
export function exemptionApplies(d: Pick<Partial<Dossier>, 'purpose' | 'subjects' | 'personal'>): { language: boolean; literature: boolean } {
  if (!d.purpose || !d.subjects) return { language: true, literature: (d.personal?.nationality ?? 'VN') !== 'VN' };
  const graduation = sitsForGraduation(d.purpose);
  return {
    language: graduation && (d.subjects.foreignLanguage !== undefined || d.subjects.electives.includes(FOREIGN_LANGUAGE)),
    literature: graduation && (d.personal?.nationality ?? 'VN') !== 'VN',
  };
}

/**
 * Whether a section's questions apply to this candidate, from the sections declared so far and the
 * account's listing. A section that does not apply is not asked and not required; a claim sent in it is
 * refused (an empty "none" is harmless and accepted, as older clients send it).
 */
export function sectionApplies(id: SectionId, dossier: Partial<Dossier>, accountType?: AccountFacts['candidateType']): boolean {
  if (id === 'retainedScores') return retainedScoresApply(dossier.status, accountType);
  if (id === 'exemption') {
    const e = exemptionApplies(dossier);
    return e.language || e.literature;
  }
  return true;
}

/** Whether a saved section holds an answer beyond "none" (an empty list or an empty object). */
export function holdsClaim(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

const retainedNotAllowed = (): Finding =>
  error(
    'RETAINED_NOT_ALLOWED',
    'retainedScores',
    'Bảo lưu điểm thi: chỉ thí sinh tự do đã dự thi năm trước và chưa tốt nghiệp mới được bảo lưu điểm; mục này không áp dụng với bạn.',
    'Retained scores: only free candidates who sat an earlier exam and have not graduated may carry scores over; this section does not apply to you.',
  );

function retainedRules(v: RetainedScore[], ctx: DossierContext, rest: Partial<Dossier>): Finding[] {
  if (v.length === 0) return [];
  const out: Finding[] = [];
  if (!retainedScoresApply(rest.status, ctx.account?.candidateType)) return [retainedNotAllowed()];
  const min = ctx.retainMinScore ?? DEFAULT_RETAIN_MIN_SCORE;
  const scheme = schemeOf(ctx, rest);
  const profile = profileOf(rest);
  const sat = scheme && profile && rest.subjects ? subjectsSat(scheme, profile, { ...rest.subjects, combinations: rest.subjects.combinations }) : null;
  const seen = new Set<string>();
  v.forEach((r, i) => {
    const f = `retainedScores[${i}]`;
    if (seen.has(r.subject)) out.push(error('RETAINED_DUPLICATE', `${f}.subject`, 'Môn này đã được khai bảo lưu.', 'This subject is already listed.', { subject: r.subject }));
    seen.add(r.subject);
    if (r.year >= ctx.examYear) out.push(error('RETAINED_YEAR', `${f}.year`, `Năm thi bảo lưu phải trước năm ${ctx.examYear}.`, `The retained score must be from before ${ctx.examYear}.`, { examYear: ctx.examYear }));
    if (r.score < min) out.push(error('RETAINED_SCORE_TOO_LOW', `${f}.score`, `Chỉ được bảo lưu điểm từ ${min} trở lên.`, `Only scores of ${min} or more can be carried over.`, { min }));
    if (scheme && !scheme.subjects.includes(r.subject)) {
      out.push(error('SUBJECT_NOT_IN_SCHEME', `${f}.subject`, `Môn ${r.subject} không có trong chương trình thi ${scheme.code}.`, `${r.subject} is not a subject of the ${scheme.code} exam.`, { subject: r.subject }));
    } else if (sat && !sat.includes(r.subject)) {
      out.push(error('RETAINED_NOT_REGISTERED', `${f}.subject`, 'Môn bảo lưu phải nằm trong các môn đã đăng ký.', 'A retained subject must be among the registered subjects.', { subject: r.subject }));
    }
  });
  return out;
}

function sectionRules(sectionId: SectionId, value: unknown, ctx: DossierContext, rest: Partial<Dossier>): Finding[] {
  switch (sectionId) {
    case 'personal':
      return personalRules(value as Personal, ctx);
    case 'residence':
      return ctx.areaLookup ? computePriorityArea(value as Residence, ctx.areaLookup).findings : [];
    case 'contact':
      return contactRules(value as Contact);
    case 'status': {
      const s = value as CandidateStatus;
      const scheme = schemeFor(ctx.schemes, ctx.examYear, s.programme);
      return [...validateCandidateStatus(s), ...(isFinding(scheme) ? [scheme] : []), ...(ctx.account ? statusVsAccount(s, ctx.account) : [])];
    }
    case 'purpose':
      return rest.status ? validatePurpose({ ...rest.status, purpose: value as Dossier['purpose'] }) : [];
    case 'subjects': {
      const scheme = schemeOf(ctx, rest);
      const profile = profileOf(rest);
      return scheme && profile ? validateSubjectChoice(scheme, profile, value as SubjectsSection, ctx, rest.exemption) : [];
    }
    case 'exemption': {
      const scheme = schemeOf(ctx, rest);
      const profile = profileOf(rest);
      const ex = value as ExemptionSection;
      if (!scheme || !profile || !rest.subjects) return [];
      return validateExemption(scheme, profile, rest.subjects, ex, ctx.certificates);
    }
    case 'retainedScores':
      return retainedRules(value as RetainedScore[], ctx, rest);
    case 'priority':
      return ctx.priorityTable ? validatePriorityClaim(ctx.priorityTable, value as PrioritySection, { examYear: ctx.examYear, ethnicityCode: rest.personal?.ethnicityCode }) : [];
  }
}

/**
 * The rules of single fields, run on a section the schema refused (another field missing or malformed):
 * a bad date, an 11-digit CCCD and no ethnicity are three problems shown at once, not one after another.
 * A field the schema already reported is not checked again.
 */
function fieldRules(sectionId: SectionId, value: unknown, ctx: DossierContext): Finding[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const v = value as Record<string, unknown>;
  const text = (k: string): string | undefined => (typeof v[k] === 'string' && (v[k] as string).trim() !== '' ? (v[k] as string) : undefined);
  const out: Finding[] = [];
  if (sectionId === 'personal') {
    const name = text('fullName');
    if (name !== undefined && name.length <= 200) out.push(...validateName(name, 'personal.fullName'));
    const dob = text('dateOfBirth');
    if (dob !== undefined && dob.length <= 32) out.push(...validateDateOfBirth(dob, { now: ctx.now, examYear: ctx.examYear }));
    const idn = text('idNumber');
    const nat = text('nationality');
    if (idn !== undefined && idn.length <= 32) out.push(...validateIdNumber(idn, nat !== undefined && /^[A-Z]{2}$/.test(nat) ? nat : 'VN', ctx.cccdPrefixes, 'personal.idNumber').findings);
  } else if (sectionId === 'contact') {
    const phone = text('phone');
    if (phone !== undefined && phone.length <= 32) {
      const p = validatePhone(phone);
      if (!p.ok) out.push(...p.findings);
    }
    const email = text('email');
    if (email !== undefined && email.length <= 512) {
      const e = validateEmail(email);
      if (!e.ok) out.push(...e.findings);
    }
    const address = text('address');
    if (address !== undefined && address.length <= 600) {
      const a = validateAddress(address);
      if (!a.ok) out.push(...a.findings);
    }
  }
  return out;
}

function withFieldRules(sectionId: SectionId, schemaFindings: Finding[], value: unknown, ctx: DossierContext): Finding[] {
  const reported = new Set(schemaFindings.map((f) => f.field));
  const extra = fieldRules(sectionId, value, ctx).filter((f) => !reported.has(f.field));
  if (extra.length === 0) return schemaFindings;
  // in the order of the page's fields, so the error summary reads top to bottom
  const order = FIELD_ORDER[sectionId] ?? [];
  const rank = (f: Finding) => {
    const i = order.findIndex((k) => f.field === `${sectionId}.${k}` || f.field.startsWith(`${sectionId}.${k}.`));
    return i < 0 ? order.length : i;
  };
  return [...schemaFindings, ...extra].sort((a, b) => rank(a) - rank(b));
}

const FIELD_ORDER: Partial<Record<SectionId, readonly string[]>> = {
  personal: ['fullName', 'gender', 'dateOfBirth', 'birthPlace', 'ethnicityCode', 'nationality', 'idNumber'],
  contact: ['phone', 'email', 'address'],
};

export function isSectionId(id: string): id is SectionId {
  return Object.hasOwn(SECTION_SCHEMAS, id);
}

/**
 * One section: the schema first (a malformed body stops there), then the rules. `rest` holds the other
 * sections already saved, for rules that span sections (subjects need status and purpose); a rule whose
 * inputs are missing is skipped here and runs in `validateDossier`.
 */
export function validateSection(sectionId: SectionId, value: unknown, ctx: DossierContext, rest: Partial<Dossier> = {}): Finding[] {
  const parsed = SECTION_SCHEMAS[sectionId].safeParse(value);
  if (!parsed.success) return withFieldRules(sectionId, zodIssuesToFindings(sectionId, parsed.error.issues, value), value, ctx);
  return sectionRules(sectionId, parsed.data, ctx, { ...rest, [sectionId]: parsed.data });
}

/**
 * Which sections each section's rules read (the `rest` of sectionRules): subjects need the status, the
 * purpose, the nationality (personal) and the exemption claimed; the priority claim reads the ethnicity.
 * A save re-checks the sections it changed and those that read them, nothing else (see revalidate); the
 * test beside this file compares that with a full check on generated dossiers.
 */
export const SECTION_READS: Readonly<Record<SectionId, readonly SectionId[]>> = {
  personal: [],
  residence: [],
  contact: [],
  status: [],
  purpose: ['status'],
  subjects: ['status', 'purpose', 'personal', 'exemption'],
  exemption: ['status', 'purpose', 'personal', 'subjects'],
  retainedScores: ['status', 'purpose', 'personal', 'subjects'],
  priority: ['personal'],
};

/**
 * One section already parsed by its schema (a save parsed the body once): its rules only, against `rest`.
 * Equals validateSection(sectionId, value, ctx, rest) for a value the schema accepts.
 */
export function checkParsedSection<S extends SectionId>(sectionId: S, value: SectionValue<S>, ctx: DossierContext, rest: Partial<Dossier> = {}): Finding[] {
  return sectionRules(sectionId, value, ctx, { ...rest, [sectionId]: value });
}

/** The sections whose findings can change when `changed` change: themselves and every section reading them. */
export function sectionsAffectedBy(changed: readonly SectionId[]): Set<SectionId> {
  const out = new Set<SectionId>(changed);
  for (const { id } of DOSSIER_SECTIONS) if (SECTION_READS[id].some((r) => changed.includes(r))) out.add(id);
  return out;
}

/** The well-formed sections of a dossier (what the cross-section rules may read); of `only` when given. */
function wellFormed(raw: Record<string, unknown>, only?: ReadonlySet<SectionId>): Partial<Dossier> {
  const good: Partial<Dossier> = {};
  for (const { id } of DOSSIER_SECTIONS) {
    if (raw[id] === undefined || (only && !only.has(id))) continue;
    const r = SECTION_SCHEMAS[id].safeParse(raw[id]);
    if (r.success) (good as Record<string, unknown>)[id] = r.data;
  }
  return good;
}

/** One section's findings within a whole dossier: required, malformed, or its rules against the well-formed rest. */
function sectionFindings(id: SectionId, raw: Record<string, unknown>, good: Partial<Dossier>, ctx: DossierContext): Finding[] {
  // not asked, so not required
  if (raw[id] === undefined && !sectionApplies(id, good, ctx.account?.candidateType)) return [];
  const value = good[id];
  if (value !== undefined) return sectionRules(id, value, ctx, good);
  const r = SECTION_SCHEMAS[id].safeParse(raw[id]);
  return r.success ? sectionRules(id, r.data, ctx, good) : withFieldRules(id, zodIssuesToFindings(id, r.error.issues, raw[id]), raw[id], ctx);
}

/** The section a finding belongs to (`subjects.electives[1]` → subjects). */
export function sectionOfFinding(f: Pick<Finding, 'field'>): string {
  return f.field.split(/[.[]/)[0] ?? f.field;
}

/**
 * The whole dossier, as checked on submit: every section present and valid, every cross-section rule.
 * Findings come section by section, in the order of the task list, so the candidate sees every problem
 * at once and grouped where it is fixed.
 */
export function validateDossier(dossier: unknown, ctx: DossierContext): Finding[] {
  const isObject = dossier !== null && typeof dossier === 'object' && !Array.isArray(dossier);
  if (!isObject) return zodIssuesToFindings('', DossierSchema.safeParse(dossier).error?.issues ?? [], dossier);
  const raw = dossier as Record<string, unknown>;
  const out: Finding[] = [];
  if (Object.keys(raw).some((k) => !isSectionId(k))) {
    out.push(...zodIssuesToFindings('', DossierSchema.safeParse(raw).error?.issues.filter((i) => i.code === 'unrecognized_keys') ?? [], raw));
  }
  const good = wellFormed(raw);
  for (const { id } of DOSSIER_SECTIONS) out.push(...sectionFindings(id, raw, good, ctx));
  return out;
}

/**
 * The findings of a dossier after `changed` sections were saved, from the findings of the version before
 * (computed with the same rules and day): only the affected sections are checked again. The result equals
 * validateDossier(dossier) (same findings, same order).
 */
export function revalidate(previous: readonly Finding[], dossier: Partial<Dossier>, changed: readonly SectionId[], ctx: DossierContext): Finding[] {
  const affected = sectionsAffectedBy(changed);
  const raw = dossier as Record<string, unknown>;
  // only the sections checked again and those their rules read are parsed: a save of the contact details
  // parses that section alone, not the whole dossier
  const read = new Set<SectionId>(affected);
  for (const id of affected) for (const r of SECTION_READS[id]) read.add(r);
  const good = wellFormed(raw, read);
  const kept = new Map<string, Finding[]>();
  for (const f of previous) {
    const s = sectionOfFinding(f);
    if (affected.has(s as SectionId)) continue;
    const list = kept.get(s);
    if (list) list.push(f);
    else kept.set(s, [f]);
  }
  const out: Finding[] = [];
  for (const { id } of DOSSIER_SECTIONS) out.push(...(affected.has(id) ? sectionFindings(id, raw, good, ctx) : (kept.get(id) ?? [])));
  return out;
}

/** For the task list: present and without errors (warnings do not hold a section back). */
export function isSectionComplete(sectionId: SectionId, value: unknown, ctx: DossierContext, rest: Partial<Dossier> = {}): boolean {
  return value !== undefined && !hasErrors(validateSection(sectionId, value, ctx, rest));
}

/**
 * The stored form of a well-formed section: names and free text in NFC, the name in capitals, the phone
 * in national form, the ID without separators. Apply after validation, before saving.
 */
export function normaliseSection<S extends SectionId>(sectionId: S, value: SectionValue<S>): SectionValue<S> {
  if (sectionId === 'personal') {
    const v = value as Personal;
    return { ...v, fullName: normaliseName(v.fullName), idNumber: normaliseIdNumber(v.idNumber) } as SectionValue<S>;
  }
  if (sectionId === 'contact') {
    const v = value as Contact;
    const email = v.email === undefined || v.email.trim() === '' ? undefined : normaliseEmail(v.email);
    const out: Contact = { phone: normalisePhone(v.phone), address: normaliseFreeText(v.address) };
    if (email !== undefined) out.email = email;
    return out as SectionValue<S>;
  }
  return value;
}

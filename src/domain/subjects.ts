// Subjects, the two exam schemes and language exemptions. The schemes are DATA (reference/schemes.json):
// these functions only interpret them, so a new year or a changed rule is a data change, not a code one.
import { z } from 'zod';
import { error, type Finding } from './messages.ts';
import type { SchemeCode } from './exam-year.ts';

export type Track = 'THPT' | 'GDTX' | 'TC';
export type Purpose = 'graduation' | 'admission' | 'both';
export type CandidateType = 'current' | 'free';

// ---- Reference data shapes (validated when the server or the browser loads the JSON) ----

const code = z.string().regex(/^[A-Z0-9_-]{1,16}$/);
const bilingual = { vi: z.string().min(1), en: z.string().min(1) };

export const SubjectRefSchema = z.object({ code, ...bilingual });
export const SubjectsFileSchema = z.object({ version: z.number().int().positive(), source: z.string().min(1), subjects: z.array(SubjectRefSchema).min(1) });

export const LanguageRefSchema = z.object({ code: z.string().regex(/^N\d$/), ...bilingual });
export const LanguagesFileSchema = z.object({ version: z.number().int().positive(), source: z.string().min(1), languages: z.array(LanguageRefSchema).min(1) });

const TrackRuleSchema = z.object({
  /** sat by every graduation candidate of the track */
  compulsory: z.array(code),
  /** exactly `count` different subjects from `from` */
  electives: z.object({ count: z.number().int().min(0), from: z.array(code) }),
  /** how many different combination tests (CT2006) */
  combinations: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }),
  /** a track may sit a combination with fewer component subjects (GDTX: KHXH without GDCD) */
  combinationSubjects: z.record(z.string(), z.array(code)).optional(),
  /** subjects the track may add for admission only; they do not count for graduation */
  optional: z.array(code),
  note: z.string().optional(),
});
export type TrackRule = z.infer<typeof TrackRuleSchema>;

export const SchemeSchema = z.object({
  code: z.enum(['CT2006', 'CT2018']),
  programme: z.enum(['CT2006', 'CT2018']),
  ...bilingual,
  years: z.object({ from: z.number().int(), to: z.number().int().nullable() }),
  subjects: z.array(code).min(1),
  combinations: z.array(z.object({ code, ...bilingual, subjects: z.array(code).min(1) })),
  /** CT2006: an exempted language counts as 10; CT2018: it drops out of the formula */
  languageExemption: z.enum(['counts-as-10', 'drops-out']),
  tracks: z.object({ THPT: TrackRuleSchema, GDTX: TrackRuleSchema, TC: TrackRuleSchema }),
});
export type Scheme = z.infer<typeof SchemeSchema>;
export const SchemesFileSchema = z.object({ version: z.number().int().positive(), source: z.string().min(1), schemes: z.array(SchemeSchema).min(1) });

const ScaleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('score'), min: z.number(), max: z.number() }),
  z.object({ kind: z.literal('level'), levels: z.array(z.string().min(1)).min(1) }),
]);
export const CertificateSchema = z.object({
  code,
  name: z.string().min(1),
  language: z.string().regex(/^N\d$/),
  scale: ScaleSchema,
  minimum: z.union([z.number(), z.string()]),
});
export type Certificate = z.infer<typeof CertificateSchema>;
export const CertificatesFileSchema = z.object({
  version: z.number().int().positive(),
  source: z.string().min(1),
  note: z.string().optional(),
  certificates: z.array(CertificateSchema).min(1),
  vietnameseForForeigners: z.object({ source: z.string().optional(), minLevel: z.number().int(), maxLevel: z.number().int() }),
});
export type CertificatesFile = z.infer<typeof CertificatesFileSchema>;
export type CertificateData = Pick<CertificatesFile, 'certificates' | 'vietnameseForForeigners'>;

export interface SubjectRef {
  code: string;
  vi: string;
  en: string;
}

// ---- What the candidate declares ----

export interface CandidateProfile {
  programme: SchemeCode;
  track: Track;
  candidateType: CandidateType;
  /** already holds the upper-secondary diploma */
  graduated: boolean;
  purpose: Purpose;
  /** ISO 3166-1 alpha-2; 'VN' for citizens */
  nationality?: string;
}

export interface SubjectChoice {
  /**
   * CT2018: the electives (exactly 2 for graduation). CT2006: extra subjects (GDTX: Ngoại ngữ for
   * admission). Admission only, any scheme: every subject the candidate wants to sit.
   */
  electives: string[];
  /** CT2006 only: combination tests, KHTN / KHXH */
  combinations?: string[];
  /** N1–N7: required whenever the foreign language is sat or exempted */
  foreignLanguage?: string;
}

export interface ExemptionClaim {
  /** asks to be exempt from the foreign-language paper */
  foreignLanguage?: boolean;
  /** certificate code from language-certificates.json */
  certificate?: string;
  /** the result printed on the certificate: a score ("5.5", "45") or a level ("B1", "N4") */
  result?: string;
  /** a foreign candidate asks to be exempt from Ngữ văn */
  literature?: boolean;
  /** the candidate's level on the 6-level Vietnamese proficiency framework for foreigners */
  vietnameseLevel?: number;
}

export const FOREIGN_LANGUAGE = 'NN';
export const LITERATURE = 'VAN';

const SUBJ = 'subjects';

function nameOf(subjects: readonly SubjectRef[] | undefined, c: string): { vi: string; en: string } {
  const s = subjects?.find((x) => x.code === c);
  return s ? { vi: s.vi, en: s.en } : { vi: c, en: c };
}

/**
 * The scheme a candidate sits: the one for their programme whose years include the exam year (in 2025
 * both ran side by side). Returns a Finding when none is offered.
 */
export function schemeFor(schemes: readonly Scheme[], examYear: number, programme: SchemeCode): Scheme | Finding {
  const s = schemes.find((x) => x.programme === programme && x.years.from <= examYear && (x.years.to === null || examYear <= x.years.to));
  return (
    s ??
    error(
      'SCHEME_NOT_OFFERED',
      'status.programme',
      `Kỳ thi năm ${examYear} không tổ chức thi theo chương trình ${programme}.`,
      `The ${examYear} exam is not held for the ${programme} programme.`,
      { examYear, programme },
    )
  );
}

export function isFinding(x: unknown): x is Finding {
  return typeof x === 'object' && x !== null && 'severity' in x && 'code' in x;
}

/** Whether the candidate sits for graduation (as opposed to admission only). */
export const sitsForGraduation = (purpose: Purpose): boolean => purpose !== 'admission';

/** The status section on its own: a current 12th-grader has not graduated yet. */
export function validateCandidateStatus(c: Pick<CandidateProfile, 'candidateType' | 'graduated'>): Finding[] {
  return c.candidateType === 'current' && c.graduated
    ? [error('STATUS_CONTRADICTION', 'status.graduated', 'Học sinh đang học lớp 12 không thể đã tốt nghiệp THPT.', 'A current 12th-grader cannot already have graduated.')]
    : [];
}

/**
 * Purpose against status. Current 12th-graders must sit for graduation; admission only is for those who
 * already graduated and for trung cấp holders (free candidates on the TC track); a graduate never sits
 * for graduation again.
 */
export function validatePurpose(c: Pick<CandidateProfile, 'candidateType' | 'graduated' | 'track' | 'purpose'>): Finding[] {
  const out: Finding[] = [];
  if (c.graduated && sitsForGraduation(c.purpose)) {
    out.push(
      error('PURPOSE_ALREADY_GRADUATED', 'purpose', 'Thí sinh đã tốt nghiệp THPT chỉ đăng ký dự thi để xét tuyển sinh.', 'A candidate who has already graduated registers for admission only.'),
    );
  }
  const mayAdmissionOnly = c.graduated || (c.track === 'TC' && c.candidateType === 'free');
  if (c.purpose === 'admission' && !mayAdmissionOnly) {
    out.push(
      error(
        'PURPOSE_GRADUATION_REQUIRED',
        'purpose',
        'Thí sinh chưa tốt nghiệp THPT phải đăng ký dự thi để xét công nhận tốt nghiệp.',
        'A candidate without the upper-secondary diploma must register for graduation.',
      ),
    );
  }
  return out;
}

export interface GraduationRequirement {
  compulsory: string[];
  electives: { count: number; from: string[] };
  combinations: { min: number; max: number; options: Array<{ code: string; subjects: string[] }> };
  /** may be added for admission; not counted for graduation */
  optional: string[];
}

/**
 * What graduation requires of this candidate under this scheme, or null when they sit for admission only
 * (then they register just the subjects they want).
 */
export function requiredForGraduation(scheme: Scheme, c: Pick<CandidateProfile, 'track' | 'purpose'>): GraduationRequirement | null {
  if (!sitsForGraduation(c.purpose)) return null;
  const rule = scheme.tracks[c.track];
  return {
    compulsory: [...rule.compulsory],
    electives: { count: rule.electives.count, from: [...rule.electives.from] },
    combinations: {
      min: rule.combinations.min,
      max: rule.combinations.max,
      options: scheme.combinations.map((k) => ({ code: k.code, subjects: [...(rule.combinationSubjects?.[k.code] ?? k.subjects)] })),
    },
    optional: [...rule.optional],
  };
}

/** Every subject the candidate sits a paper in (before exemptions), in scheme order. */
export function subjectsSat(scheme: Scheme, c: Pick<CandidateProfile, 'track' | 'purpose'>, choice: SubjectChoice): string[] {
  const req = requiredForGraduation(scheme, c);
  const set = new Set<string>([...(req?.compulsory ?? []), ...choice.electives]);
  for (const k of choice.combinations ?? []) {
    const opt = req?.combinations.options.find((o) => o.code === k) ?? scheme.combinations.find((o) => o.code === k);
    for (const s of opt?.subjects ?? []) set.add(s);
  }
  return scheme.subjects.filter((s) => set.has(s));
}

export interface SubjectRefs {
  languages: readonly { code: string }[];
  subjects?: readonly SubjectRef[];
}

/**
 * The subject choice against the scheme and the candidate's group. Field paths name the offending entry
 * (`subjects.electives[1]`). `exemption` matters only for whether a foreign language must be named.
 */
export function validateSubjectChoice(scheme: Scheme, c: CandidateProfile, choice: SubjectChoice, refs: SubjectRefs, exemption?: ExemptionClaim): Finding[] {
  const out: Finding[] = [];
  const req = requiredForGraduation(scheme, c);
  const combos = choice.combinations ?? [];
  const seen = new Map<string, number>();
  const label = (s: string) => nameOf(refs.subjects, s);

  // Entries unknown to the scheme, or duplicated.
  choice.electives.forEach((s, i) => {
    const field = `${SUBJ}.electives[${i}]`;
    const n = label(s);
    if (!scheme.subjects.includes(s)) {
      out.push(error('SUBJECT_NOT_IN_SCHEME', field, `Môn ${n.vi} không có trong chương trình thi ${scheme.code}.`, `${n.en} is not a subject of the ${scheme.code} exam.`, { subject: s, scheme: scheme.code }));
      return;
    }
    if (seen.has(s)) {
      out.push(error('SUBJECT_DUPLICATE', field, `Môn ${n.vi} đã được chọn. Hai môn tự chọn phải khác nhau.`, `${n.en} is already chosen. The electives must be different.`, { subject: s }));
      return;
    }
    seen.set(s, i);
  });
  const comboSeen = new Set<string>();
  combos.forEach((k, i) => {
    const field = `${SUBJ}.combinations[${i}]`;
    const opt = scheme.combinations.find((o) => o.code === k);
    if (!opt) {
      out.push(error('COMBINATION_NOT_IN_SCHEME', field, `Bài thi tổ hợp ${k} không có trong chương trình thi ${scheme.code}.`, `There is no ${k} combination test in the ${scheme.code} exam.`, { combination: k, scheme: scheme.code }));
      return;
    }
    if (comboSeen.has(k)) {
      out.push(error('COMBINATION_DUPLICATE', field, `Bài thi tổ hợp ${opt.vi} đã được chọn.`, `The ${opt.en} combination is already chosen.`, { combination: k }));
      return;
    }
    comboSeen.add(k);
  });

  if (req) {
    // Compulsory subjects are implied; listing one among the electives is a slip worth naming.
    choice.electives.forEach((s, i) => {
      if (req.compulsory.includes(s)) {
        const n = label(s);
        out.push(error('SUBJECT_ALREADY_COMPULSORY', `${SUBJ}.electives[${i}]`, `${n.vi} là môn bắt buộc, không chọn làm môn tự chọn.`, `${n.en} is compulsory; do not choose it as an elective.`, { subject: s }));
      }
    });
    const counted = choice.electives.filter((s) => req.electives.from.includes(s));
    choice.electives.forEach((s, i) => {
      if (scheme.subjects.includes(s) && !req.compulsory.includes(s) && !req.electives.from.includes(s) && !req.optional.includes(s)) {
        const n = label(s);
        out.push(
          error('SUBJECT_NOT_ALLOWED', `${SUBJ}.electives[${i}]`, `Môn ${n.vi} không được chọn thêm theo diện thí sinh này.`, `${n.en} cannot be chosen by this group of candidates.`, { subject: s, track: c.track }),
        );
      }
    });
    const distinctCounted = new Set(counted).size;
    if (req.electives.count > 0 && distinctCounted !== req.electives.count) {
      out.push(
        error(
          'ELECTIVES_COUNT',
          `${SUBJ}.electives`,
          `Phải chọn đúng ${req.electives.count} môn tự chọn khác nhau (đã chọn ${distinctCounted}).`,
          `Choose exactly ${req.electives.count} different electives (${distinctCounted} chosen).`,
          { expected: req.electives.count, actual: distinctCounted },
        ),
      );
    }
    const nCombos = comboSeen.size;
    if (nCombos < req.combinations.min) {
      out.push(error('COMBINATION_REQUIRED', `${SUBJ}.combinations`, 'Phải chọn bài thi tổ hợp Khoa học tự nhiên hoặc Khoa học xã hội.', 'Choose the natural-sciences or the social-sciences combination test.'));
    } else if (nCombos > req.combinations.max) {
      out.push(
        req.combinations.max === 1
          ? error('COMBINATION_ONLY_ONE', `${SUBJ}.combinations`, `Thí sinh ${c.track === 'GDTX' ? 'GDTX' : 'diện này'} chỉ được chọn một bài thi tổ hợp.`, `${c.track === 'GDTX' ? 'GDTX candidates' : 'This group of candidates'} may choose only one combination test.`, { max: 1 })
          : error('COMBINATION_TOO_MANY', `${SUBJ}.combinations`, `Chỉ được chọn tối đa ${req.combinations.max} bài thi tổ hợp.`, `Choose at most ${req.combinations.max} combination tests.`, { max: req.combinations.max }),
      );
    }
  } else {
    // Admission only: any subjects or combination tests of the scheme, at least one; a component subject
    // may not be sat twice (alone and inside a chosen combination).
    if (choice.electives.length === 0 && combos.length === 0) {
      out.push(error('SUBJECTS_REQUIRED', `${SUBJ}.electives`, 'Hãy chọn ít nhất một môn thi để xét tuyển.', 'Choose at least one subject to sit for admission.'));
    }
    choice.electives.forEach((s, i) => {
      const inCombo = combos.find((k) => scheme.combinations.find((o) => o.code === k)?.subjects.includes(s));
      if (inCombo) {
        const n = label(s);
        out.push(error('SUBJECT_IN_COMBINATION', `${SUBJ}.electives[${i}]`, `Môn ${n.vi} đã nằm trong bài thi tổ hợp ${inCombo}.`, `${n.en} is already part of the ${inCombo} combination test.`, { subject: s, combination: inCombo }));
      }
    });
  }

  // The language: named when sat or exempted, and only then.
  const sat = subjectsSat(scheme, c, choice);
  const needsLanguage = sat.includes(FOREIGN_LANGUAGE) || exemption?.foreignLanguage === true;
  const lang = choice.foreignLanguage;
  if (needsLanguage && !lang) {
    out.push(error('LANGUAGE_REQUIRED', `${SUBJ}.foreignLanguage`, 'Hãy chọn ngoại ngữ dự thi (N1–N7).', 'Choose the foreign language (N1–N7).'));
  } else if (lang && !refs.languages.some((l) => l.code === lang)) {
    out.push(error('LANGUAGE_UNKNOWN', `${SUBJ}.foreignLanguage`, `Mã ngoại ngữ ${lang} không hợp lệ.`, `${lang} is not a foreign-language code.`, { language: lang }));
  } else if (lang && !needsLanguage) {
    out.push(
      error('LANGUAGE_NOT_SAT', `${SUBJ}.foreignLanguage`, 'Bạn không thi môn Ngoại ngữ, hãy bỏ chọn ngoại ngữ hoặc chọn thêm môn Ngoại ngữ.', 'You are not sitting the foreign-language paper: clear the language or add the subject.'),
    );
  }
  return out;
}

/** Where a certificate's result stands: null if it is not a valid result on that certificate's scale. */
export function meetsMinimum(cert: Certificate, result: string): { valid: boolean; meets: boolean } {
  const r = result.trim().toUpperCase();
  if (cert.scale.kind === 'score') {
    if (!/^\d+([.,]\d+)?$/.test(r)) return { valid: false, meets: false };
    const n = Number(r.replace(',', '.'));
    if (n < cert.scale.min || n > cert.scale.max) return { valid: false, meets: false };
    return { valid: true, meets: n >= Number(cert.minimum) };
  }
  const levels = cert.scale.levels.map((l) => l.toUpperCase());
  const stripped = r.replace(/^(LEVEL|BẬC|CẤP)\s*/u, '');
  const i = levels.indexOf(stripped);
  if (i < 0) return { valid: false, meets: false };
  return { valid: true, meets: i >= levels.indexOf(String(cert.minimum).toUpperCase()) };
}

/**
 * A language exemption needs a listed certificate for the chosen language meeting its minimum, and a
 * paper it can exempt (CT2018: the language chosen as an elective; CT2006: a track where it is
 * compulsory). A Ngữ văn exemption is for foreigners with Vietnamese at level 3 or above.
 */
export function validateExemption(scheme: Scheme, c: CandidateProfile, choice: SubjectChoice, ex: ExemptionClaim, certs: CertificateData): Finding[] {
  const out: Finding[] = [];
  const graduation = sitsForGraduation(c.purpose);
  if (ex.foreignLanguage) {
    const rule = scheme.tracks[c.track];
    if (!graduation) {
      out.push(
        error('EXEMPTION_NOT_FOR_ADMISSION', 'exemption.foreignLanguage', 'Miễn thi ngoại ngữ chỉ áp dụng khi xét công nhận tốt nghiệp.', 'The language exemption applies only to candidates sitting for graduation.'),
      );
    } else if (scheme.languageExemption === 'drops-out' && !choice.electives.includes(FOREIGN_LANGUAGE)) {
      out.push(
        error('EXEMPTION_LANGUAGE_NOT_CHOSEN', 'exemption.foreignLanguage', 'Chỉ được miễn thi Ngoại ngữ khi chọn Ngoại ngữ là môn tự chọn.', 'The language exemption requires choosing the foreign language as an elective.'),
      );
    } else if (scheme.languageExemption === 'counts-as-10' && !rule.compulsory.includes(FOREIGN_LANGUAGE)) {
      out.push(
        error('EXEMPTION_NOT_APPLICABLE', 'exemption.foreignLanguage', 'Ngoại ngữ không thuộc các bài thi xét tốt nghiệp của diện thí sinh này nên không xét miễn thi.', 'The foreign language is not a graduation paper for this group of candidates, so it cannot be exempted.'),
      );
    }
    if (!ex.certificate) {
      out.push(
        error('EXEMPTION_CERTIFICATE_REQUIRED', 'exemption.certificate', 'Miễn thi Ngoại ngữ cần có chứng chỉ ngoại ngữ trong danh mục được miễn thi.', 'A language exemption needs a certificate from the list.'),
      );
    } else {
      const cert = certs.certificates.find((x) => x.code === ex.certificate);
      if (!cert) {
        out.push(error('EXEMPTION_CERTIFICATE_UNKNOWN', 'exemption.certificate', 'Chứng chỉ này không có trong danh mục được miễn thi năm nay.', 'This certificate is not on this year’s exemption list.', { certificate: ex.certificate }));
      } else {
        if (choice.foreignLanguage && cert.language !== choice.foreignLanguage) {
          out.push(
            error('EXEMPTION_LANGUAGE_MISMATCH', 'exemption.certificate', `Chứng chỉ ${cert.name} không phải của ngoại ngữ đã chọn.`, `${cert.name} is not a certificate in the chosen language.`, { certificate: cert.code, language: cert.language }),
          );
        }
        if (!ex.result || ex.result.trim() === '') {
          out.push(error('REQUIRED', 'exemption.result', 'Vui lòng nhập điểm hoặc bậc ghi trên chứng chỉ.', 'Enter the score or level on the certificate.'));
        } else {
          const m = meetsMinimum(cert, ex.result);
          if (!m.valid) {
            out.push(error('EXEMPTION_RESULT_INVALID', 'exemption.result', `Kết quả “${ex.result}” không hợp lệ với chứng chỉ ${cert.name}.`, `“${ex.result}” is not a valid ${cert.name} result.`, { certificate: cert.code }));
          } else if (!m.meets) {
            out.push(
              error(
                'EXEMPTION_BELOW_MINIMUM',
                'exemption.result',
                `Chứng chỉ ${cert.name} cần đạt tối thiểu ${cert.minimum} để được miễn thi.`,
                `${cert.name} needs at least ${cert.minimum} for the exemption.`,
                { certificate: cert.code, minimum: cert.minimum },
              ),
            );
          }
        }
      }
    }
  }
  if (ex.literature) {
    const v = certs.vietnameseForForeigners;
    if (!graduation) {
      out.push(error('EXEMPTION_NOT_FOR_ADMISSION', 'exemption.literature', 'Miễn thi Ngữ văn chỉ áp dụng khi xét công nhận tốt nghiệp.', 'The Literature exemption applies only to candidates sitting for graduation.'));
    }
    if ((c.nationality ?? 'VN') === 'VN') {
      out.push(error('EXEMPTION_LITERATURE_FOREIGNERS_ONLY', 'exemption.literature', 'Chỉ thí sinh là người nước ngoài mới được xét miễn thi Ngữ văn.', 'Only foreign candidates may be exempt from Literature.'));
    }
    if (ex.vietnameseLevel === undefined) {
      out.push(error('REQUIRED', 'exemption.vietnameseLevel', 'Vui lòng nhập bậc chứng chỉ tiếng Việt dành cho người nước ngoài.', 'Enter the level of the Vietnamese certificate for foreigners.'));
    } else if (!Number.isInteger(ex.vietnameseLevel) || ex.vietnameseLevel < 1 || ex.vietnameseLevel > v.maxLevel) {
      out.push(error('EXEMPTION_RESULT_INVALID', 'exemption.vietnameseLevel', `Bậc tiếng Việt phải từ 1 đến ${v.maxLevel}.`, `The Vietnamese level must be 1 to ${v.maxLevel}.`, { max: v.maxLevel }));
    } else if (ex.vietnameseLevel < v.minLevel) {
      out.push(
        error('EXEMPTION_BELOW_MINIMUM', 'exemption.vietnameseLevel', `Cần chứng chỉ tiếng Việt từ bậc ${v.minLevel} trở lên để được miễn thi Ngữ văn.`, `A Vietnamese certificate of level ${v.minLevel} or above is needed for the Literature exemption.`, { minimum: v.minLevel }),
      );
    }
  }
  return out;
}

export type Treatment = 'exam' | 'exempt-counts-10' | 'exempt-dropped' | 'best-of';

export interface FormulaPart {
  /** a subject code, or a combination code (CT2006) */
  code: string;
  treatment: Treatment;
  /** for 'best-of': the combinations competing (the better counts) */
  of?: string[];
  /** a combination part: the component subjects this candidate's track sits (GDTX KHXH: Sử, Địa) */
  subjects?: string[];
  /** for 'best-of': each competing combination with its component subjects */
  options?: Array<{ code: string; subjects: string[] }>;
}

export interface GraduationFormula {
  parts: FormulaPart[];
  /** how many parts the exam average divides by */
  divisor: number;
  /** the subjects the candidate actually sits a paper in */
  papers: string[];
}

/**
 * How the candidate's papers enter the graduation score (ĐXTN), or null for admission only.
 * CT2018: Toán, Ngữ văn and the 2 electives; an exempted language drops out and the divisor falls to 3
 * (*assumption*, DOMAIN.md). CT2006: the compulsory tests and the combination; an exempted language
 * counts as 10. Both combinations registered: the better counts (*assumption*, see schemes.json).
 * A Ngữ văn exemption for a foreigner drops Ngữ văn out of the formula (*assumption*: no source found).
 */
export function graduationFormula(scheme: Scheme, c: CandidateProfile, choice: SubjectChoice, ex: ExemptionClaim = {}): GraduationFormula | null {
  const req = requiredForGraduation(scheme, c);
  if (!req) return null;
  const parts: FormulaPart[] = [];
  const exemptLang = ex.foreignLanguage === true;
  const exemptLit = ex.literature === true;
  const treat = (s: string): Treatment => {
    if (s === FOREIGN_LANGUAGE && exemptLang) return scheme.languageExemption === 'counts-as-10' ? 'exempt-counts-10' : 'exempt-dropped';
    if (s === LITERATURE && exemptLit) return 'exempt-dropped';
    return 'exam';
  };
  for (const s of req.compulsory) parts.push({ code: s, treatment: treat(s) });
  for (const s of choice.electives) if (req.electives.from.includes(s) && !parts.some((p) => p.code === s)) parts.push({ code: s, treatment: treat(s) });
  const combos = [...new Set(choice.combinations ?? [])];
  const componentsOf = (k: string): string[] => [...(req.combinations.options.find((o) => o.code === k)?.subjects ?? [])];
  if (combos.length === 1 && combos[0]) parts.push({ code: combos[0], treatment: 'exam', subjects: componentsOf(combos[0]) });
  else if (combos.length > 1) parts.push({ code: combos.join('|'), treatment: 'best-of', of: combos, options: combos.map((k) => ({ code: k, subjects: componentsOf(k) })) });
  const papers = subjectsSat(scheme, c, choice).filter((s) => treat(s) === 'exam');
  return { parts, divisor: parts.filter((p) => p.treatment !== 'exempt-dropped').length, papers };
}

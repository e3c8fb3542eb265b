// One form per dossier section (one topic per page, GOV.UK): how the saved value becomes the form's
// fields, how the fields become the value the shared schema checks, the fields themselves, and the rows of
// the check-your-answers page. Empty fields become `undefined`, so the schema reports "required" in words
// rather than a format error.
import type { ReactNode } from 'react';
import { exemptionApplies, retainedScoresApply, type Dossier, type SectionId } from '../../domain/dossier.ts';
import type { Finding } from '../../domain/messages.ts';
import { schemeFor, isFinding, FOREIGN_LANGUAGE, type Scheme } from '../../domain/subjects.ts';
import { useI18n, type Lang } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { Checkbox, Checkboxes, DateInput, Radios, Select, TextInput, dateToParts, partsToDate, type DateParts } from '../components/forms.tsx';
import type { SummaryRow } from '../components/lists.tsx';
import { GradePlaces, ResidenceFields, gradeInit, toResidence, GRADES as RESIDENCE_GRADES, type ResidenceForm } from './residence-form.tsx';
import { EvidenceUpload } from '../components/evidence.tsx';
import { countries, countryName } from './countries.ts';
import { calendarDate } from './format.ts';
import { REF, combinationName, ethnicityName, languageName, provinceName, subjectName } from './reference.ts';

export type At = (...fields: string[]) => Finding[];
export interface FormProps<F> {
  state: F;
  /** the next state, or a function of the latest one (for updates that arrive after a fetch) */
  set: (f: F | ((prev: F) => F)) => void;
  at: At;
  rest: Partial<Dossier>;
  examYear: number;
}
export interface SectionDef<F> {
  id: SectionId;
  hint?: { vi: string; en: string };
  initial: (saved: unknown, prefill: Record<string, unknown> | undefined) => F;
  toValue: (f: F) => unknown;
  Form: (p: FormProps<F>) => ReactNode;
  summary: (value: unknown, lang: Lang, t: (vi: string, en: string) => string) => SummaryRow[];
}

const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
const yesNo = (b: unknown, t: (vi: string, en: string) => string) => (b === true ? t('Có', 'Yes') : b === false ? t('Không', 'No') : '');

// ---- personal ----
interface PersonalForm {
  fullName: string;
  gender: string;
  dob: DateParts;
  bornAbroad: string;
  provinceCode: string;
  country: string;
  ethnicityCode: string;
  nationality: string;
  idNumber: string;
}
const personal: SectionDef<PersonalForm> = {
  id: 'personal',
  initial: (saved, prefill) => {
    const v = (saved ?? prefill ?? {}) as Record<string, unknown>;
    const bp = (v['birthPlace'] ?? {}) as Record<string, unknown>;
    return {
      fullName: s(v['fullName']),
      gender: s(v['gender']),
      dob: dateToParts(s(v['dateOfBirth'])),
      bornAbroad: bp['country'] ? 'yes' : bp['provinceCode'] ? 'no' : '',
      provinceCode: s(bp['provinceCode']),
      country: s(bp['country']),
      ethnicityCode: s(v['ethnicityCode']),
      nationality: s(v['nationality']) || 'VN',
      idNumber: s(v['idNumber']),
    };
  },
  toValue: (f) => ({
    fullName: opt(f.fullName),
    gender: opt(f.gender),
    dateOfBirth: opt(partsToDate(f.dob)),
    birthPlace: f.bornAbroad === 'yes' ? { country: opt(f.country.toUpperCase()) } : { provinceCode: opt(f.provinceCode) },
    ethnicityCode: opt(f.ethnicityCode),
    nationality: opt(f.nationality.toUpperCase()),
    idNumber: opt(f.idNumber),
  }),
  Form: ({ state, set, at }) => {
    const { t, lang } = useI18n();
    return (
      <>
        <TextInput
          field="personal.fullName"
          label={t('Họ và tên', 'Full name')}
          hint={t('Viết có dấu, đúng như trong giấy khai sinh. Hệ thống sẽ tự viết hoa.', 'With diacritics, exactly as on the birth certificate. It will be put in capitals.')}
          value={state.fullName}
          onChange={(v) => set({ ...state, fullName: v })}
          autoComplete="name"
          spellCheck={false}
          findings={at('personal.fullName')}
        />
        <Radios
          field="personal.gender"
          label={t('Giới tính', 'Gender')}
          inline
          value={state.gender}
          onChange={(v) => set({ ...state, gender: v })}
          options={[
            { value: 'male', label: t('Nam', 'Male') },
            { value: 'female', label: t('Nữ', 'Female') },
          ]}
          findings={at('personal.gender')}
        />
        <DateInput
          field="personal.dateOfBirth"
          label={t('Ngày sinh', 'Date of birth')}
          hint={t('Ví dụ 14 3 2008', 'For example 14 3 2008')}
          value={state.dob}
          onChange={(v) => set({ ...state, dob: v })}
          findings={at('personal.dateOfBirth')}
        />
        <Radios
          field="personal.bornAbroad"
          label={t('Bạn sinh ra ở đâu?', 'Where were you born?')}
          value={state.bornAbroad}
          onChange={(v) => set({ ...state, bornAbroad: v })}
          options={[
            { value: 'no', label: t('Ở Việt Nam', 'In Viet Nam') },
            { value: 'yes', label: t('Ở nước ngoài', 'Abroad') },
          ]}
          findings={at('personal.birthPlace')}
        />
        {state.bornAbroad === 'yes' ? (
          <Select
            field="personal.birthPlace.country"
            label={t('Quốc gia nơi sinh', 'Country of birth')}
            value={state.country}
            onChange={(v) => set({ ...state, country: v })}
            options={countries(lang)
              .filter((c) => c.code !== 'VN')
              .map((c) => ({ value: c.code, label: c.name }))}
            placeholder={t('Chọn quốc gia', 'Choose a country')}
            findings={at('personal.birthPlace.country')}
          />
        ) : (
          <Select
            field="personal.birthPlace.provinceCode"
            label={t('Tỉnh/thành phố nơi sinh', 'Province of birth')}
            hint={t('Theo địa giới hành chính hiện nay (34 tỉnh, thành phố)', 'As the provinces are today (34 provinces)')}
            value={state.provinceCode}
            onChange={(v) => set({ ...state, provinceCode: v, bornAbroad: state.bornAbroad || 'no' })}
            options={REF.provinces.map((p) => ({ value: p.code, label: p.name }))}
            placeholder={t('Chọn tỉnh/thành phố', 'Choose a province')}
            findings={at('personal.birthPlace.provinceCode')}
          />
        )}
        <Select
          field="personal.ethnicityCode"
          label={t('Dân tộc', 'Ethnicity')}
          value={state.ethnicityCode}
          onChange={(v) => set({ ...state, ethnicityCode: v })}
          options={REF.ethnicGroups.map((e) => ({ value: e.code, label: e.name }))}
          placeholder={t('Chọn dân tộc', 'Choose')}
          findings={at('personal.ethnicityCode')}
        />
        <Select
          field="personal.nationality"
          label={t('Quốc tịch', 'Nationality')}
          value={state.nationality}
          onChange={(v) => set({ ...state, nationality: v })}
          options={countries(lang).map((c) => ({ value: c.code, label: c.name }))}
          placeholder={t('Chọn quốc tịch', 'Choose a nationality')}
          findings={at('personal.nationality')}
        />
        <TextInput
          field="personal.idNumber"
          label={t('Số định danh cá nhân (CCCD)', 'Personal identification number (CCCD)')}
          hint={t('12 chữ số; người nước ngoài ghi số hộ chiếu', '12 digits; foreigners give the passport number')}
          width={20}
          inputMode="numeric"
          spellCheck={false}
          value={state.idNumber}
          onChange={(v) => set({ ...state, idNumber: v })}
          findings={at('personal.idNumber')}
        />
      </>
    );
  },
  summary: (value, lang, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['personal']>>;
    return [
      { key: t('Họ và tên', 'Full name'), value: v.fullName ?? '' },
      { key: t('Giới tính', 'Gender'), value: v.gender === 'male' ? t('Nam', 'Male') : v.gender === 'female' ? t('Nữ', 'Female') : '' },
      { key: t('Ngày sinh', 'Date of birth'), value: calendarDate(v.dateOfBirth) },
      { key: t('Nơi sinh', 'Place of birth'), value: v.birthPlace?.country ? countryName(v.birthPlace.country, lang) : provinceName(v.birthPlace?.provinceCode) },
      { key: t('Dân tộc', 'Ethnicity'), value: ethnicityName(v.ethnicityCode) },
      { key: t('Quốc tịch', 'Nationality'), value: countryName(v.nationality, lang) },
      { key: t('Số định danh cá nhân', 'Personal ID number'), value: v.idNumber ?? '' },
    ];
  },
};

// ---- residence (the fields by name: residence-form.tsx) ----
const GRADES = RESIDENCE_GRADES;
const residence: SectionDef<ResidenceForm> = {
  id: 'residence',
  hint: { vi: 'Hệ thống tính khu vực ưu tiên từ nơi thường trú và trường học của bạn.', en: 'Your priority area is worked out from where you lived and went to school.' },
  initial: (saved) => {
    const v = (saved ?? {}) as Record<string, unknown>;
    return { grade10: gradeInit(v['grade10']), grade11: gradeInit(v['grade11']), grade12: gradeInit(v['grade12']), kv1: v['kv1Over18Months'] === true, ddk: v['disadvantagedCommuneOver18Months'] === true };
  },
  toValue: (f) => toResidence(f),
  Form: (p) => <ResidenceFields {...p} />,
  summary: (value, _l, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['residence']>>;
    const rows: SummaryRow[] = GRADES.map((g) => {
      const x = v[g];
      return {
        key: t(`Lớp ${g.slice(5)}`, `Grade ${g.slice(5)}`),
        // by name, not "xã 00103 / Trường 01-001": the codes mean nothing to the candidate or the officer
        value: x ? <GradePlaces value={x} /> : '',
      };
    });
    rows.push({ key: t('Trên 18 tháng ở KV1', 'Over 18 months in Area 1'), value: yesNo(v.kv1Over18Months, t) });
    rows.push({ key: t('Trên 18 tháng ở xã ĐBKK', 'Over 18 months in a disadvantaged commune'), value: yesNo(v.disadvantagedCommuneOver18Months, t) });
    return rows;
  },
};

// ---- contact ----
interface ContactForm {
  phone: string;
  email: string;
  address: string;
}
const contact: SectionDef<ContactForm> = {
  id: 'contact',
  initial: (saved) => {
    const v = (saved ?? {}) as Record<string, unknown>;
    return { phone: s(v['phone']), email: s(v['email']), address: s(v['address']) };
  },
  toValue: (f) => ({ phone: opt(f.phone), ...(f.email.trim() ? { email: f.email } : {}), address: opt(f.address) }),
  Form: ({ state, set, at }) => {
    const { t } = useI18n();
    return (
      <>
        <TextInput
          field="contact.phone"
          label={t('Số điện thoại di động', 'Mobile phone number')}
          hint={t('Để nhận thông báo về hồ sơ, ví dụ 0912 345 678', 'For messages about your registration, e.g. 0912 345 678')}
          type="tel"
          autoComplete="tel"
          width={20}
          value={state.phone}
          onChange={(v) => set({ ...state, phone: v })}
          findings={at('contact.phone')}
        />
        <TextInput
          field="contact.email"
          label={t('Email (không bắt buộc)', 'Email (optional)')}
          type="email"
          autoComplete="email"
          spellCheck={false}
          value={state.email}
          onChange={(v) => set({ ...state, email: v })}
          findings={at('contact.email')}
        />
        <TextInput
          field="contact.address"
          label={t('Địa chỉ liên hệ', 'Contact address')}
          hint={t('Số nhà, đường, xã/phường, tỉnh/thành phố', 'House number, street, commune, province')}
          autoComplete="street-address"
          value={state.address}
          onChange={(v) => set({ ...state, address: v })}
          findings={at('contact.address')}
        />
      </>
    );
  },
  summary: (value, _l, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['contact']>>;
    return [
      { key: t('Điện thoại', 'Phone'), value: v.phone ?? '' },
      { key: 'Email', value: v.email ?? '' },
      { key: t('Địa chỉ liên hệ', 'Contact address'), value: v.address ?? '' },
    ];
  },
};

// ---- status ----
interface StatusForm {
  candidateType: string;
  graduated: string;
  programme: string;
  track: string;
}
const status: SectionDef<StatusForm> = {
  id: 'status',
  initial: (saved, prefill) => {
    const v = (saved ?? prefill ?? {}) as Record<string, unknown>;
    return {
      candidateType: s(v['candidateType']),
      graduated: v['graduated'] === true ? 'yes' : v['graduated'] === false ? 'no' : '',
      programme: s(v['programme']),
      track: s(v['track']),
    };
  },
  toValue: (f) => ({
    candidateType: opt(f.candidateType),
    // a current 12th-grader has not graduated: the question is not asked
    graduated: f.candidateType === 'current' ? false : f.graduated === 'yes' ? true : f.graduated === 'no' ? false : undefined,
    programme: opt(f.programme),
    track: opt(f.track),
  }),
  Form: ({ state, set, at }) => {
    const { t } = useI18n();
    return (
      <>
        <Radios
          field="status.candidateType"
          label={t('Bạn dự thi với tư cách nào?', 'How are you taking the exam?')}
          value={state.candidateType}
          onChange={(v) => set({ ...state, candidateType: v })}
          options={[
            { value: 'current', label: t('Học sinh đang học lớp 12', 'Current 12th-grade student') },
            { value: 'free', label: t('Thí sinh tự do', 'Free candidate'), hint: t('Đã học xong lớp 12 những năm trước', 'Finished grade 12 in an earlier year') },
          ]}
          findings={at('status.candidateType')}
        />
{state.candidateType === 'free' && (
        <Radios
          field="status.graduated"
          label={t('Bạn đã tốt nghiệp THPT chưa?', 'Have you already graduated from upper-secondary school?')}
          inline
          value={state.graduated}
          onChange={(v) => set({ ...state, graduated: v })}
          options={[
            { value: 'no', label: t('Chưa', 'No') },
            { value: 'yes', label: t('Rồi', 'Yes') },
          ]}
          findings={at('status.graduated')}
        />
)}
        <Radios
          field="status.programme"
          label={t('Chương trình học', 'Programme')}
          value={state.programme}
          onChange={(v) => set({ ...state, programme: v })}
          options={[
            { value: 'CT2018', label: t('Chương trình GDPT 2018', 'The 2018 curriculum (CT2018)') },
            { value: 'CT2006', label: t('Chương trình GDPT 2006', 'The 2006 curriculum (CT2006)') },
          ]}
          findings={at('status.programme')}
        />
        <Radios
          field="status.track"
          label={t('Hệ học', 'Track')}
          value={state.track}
          onChange={(v) => set({ ...state, track: v })}
          options={[
            { value: 'THPT', label: t('Trung học phổ thông (THPT)', 'Upper-secondary school (THPT)') },
            { value: 'GDTX', label: t('Giáo dục thường xuyên (GDTX)', 'Continuing education (GDTX)') },
            { value: 'TC', label: t('Trung cấp', 'Vocational secondary (trung cấp)') },
          ]}
          findings={at('status.track')}
        />
      </>
    );
  },
  summary: (value, _l, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['status']>>;
    return [
      { key: t('Diện thí sinh', 'Candidate type'), value: v.candidateType === 'current' ? t('Đang học lớp 12', 'Current 12th-grader') : v.candidateType === 'free' ? t('Thí sinh tự do', 'Free candidate') : '' },
      ...(v.candidateType === 'free' ? [{ key: t('Đã tốt nghiệp THPT', 'Already graduated'), value: yesNo(v.graduated, t) }] : []),
      { key: t('Chương trình', 'Programme'), value: v.programme === 'CT2018' ? t('Chương trình GDPT 2018', 'The 2018 curriculum') : v.programme === 'CT2006' ? t('Chương trình GDPT 2006', 'The 2006 curriculum') : '' },
      { key: t('Hệ học', 'Track'), value: v.track === 'THPT' ? t('Trung học phổ thông', 'Upper-secondary school') : v.track === 'GDTX' ? t('Giáo dục thường xuyên', 'Continuing education') : v.track === 'TC' ? t('Trung cấp', 'Vocational secondary') : '' },
    ];
  },
};

// ---- purpose ----
const purpose: SectionDef<{ purpose: string }> = {
  id: 'purpose',
  initial: (saved) => ({ purpose: s(saved) }),
  toValue: (f) => opt(f.purpose),
  Form: ({ state, set, at }) => {
    const { t } = useI18n();
    return (
      <Radios
        field="purpose"
        label={t('Bạn dự thi để làm gì?', 'Why are you taking the exam?')}
        value={state.purpose}
        onChange={(v) => set({ purpose: v })}
        options={[
          { value: 'both', label: t('Xét tốt nghiệp và xét tuyển sinh', 'Graduation and university admission') },
          { value: 'graduation', label: t('Chỉ xét công nhận tốt nghiệp', 'Graduation only') },
          { value: 'admission', label: t('Chỉ xét tuyển sinh', 'Admission only'), hint: t('Dành cho người đã tốt nghiệp THPT hoặc có bằng trung cấp', 'For those who already graduated or hold a vocational diploma') },
        ]}
        findings={at('purpose')}
      />
    );
  },
  summary: (value, _l, t) => [
    {
      key: t('Mục đích', 'Purpose'),
      value: value === 'both' ? t('Tốt nghiệp và tuyển sinh', 'Graduation and admission') : value === 'graduation' ? t('Xét tốt nghiệp', 'Graduation') : value === 'admission' ? t('Xét tuyển sinh', 'Admission') : '',
    },
  ],
};

// ---- subjects ----
interface SubjectsForm {
  electives: string[];
  combinations: string[];
  foreignLanguage: string;
}
function schemeOf(rest: Partial<Dossier>, examYear: number): Scheme | null {
  if (!rest.status) return null;
  const sc = schemeFor(REF.schemes, examYear, rest.status.programme);
  return isFinding(sc) ? null : sc;
}
const subjects: SectionDef<SubjectsForm> = {
  id: 'subjects',
  initial: (saved) => {
    const v = (saved ?? {}) as Record<string, unknown>;
    return { electives: Array.isArray(v['electives']) ? (v['electives'] as string[]) : [], combinations: Array.isArray(v['combinations']) ? (v['combinations'] as string[]) : [], foreignLanguage: s(v['foreignLanguage']) };
  },
  toValue: (f) => ({ electives: f.electives, ...(f.combinations.length ? { combinations: f.combinations } : {}), ...(f.foreignLanguage ? { foreignLanguage: f.foreignLanguage } : {}) }),
  Form: ({ state, set, at, rest, examYear }) => {
    const { t, lang } = useI18n();
    const scheme = schemeOf(rest, examYear);
    if (!scheme || !rest.status) {
      // a way there, not only a sentence: the candidate otherwise pressed "save" on an empty page
      return (
        <p className="inset" data-testid="subjects-need-status">
          {t('Môn thi phụ thuộc vào chương trình và hệ học của bạn. ', 'The subjects depend on your programme and track. ')}
          <Link to="/candidate/section/status">{t('Khai mục “Diện dự thi” trước', 'Fill in “Candidate status” first')}</Link>
        </p>
      );
    }
    const track = scheme.tracks[rest.status.track];
    const admissionOnly = rest.purpose === 'admission';
    const electiveFrom = admissionOnly ? scheme.subjects : [...track.electives.from, ...track.optional];
    const needsLanguage = state.electives.includes(FOREIGN_LANGUAGE) || track.compulsory.includes(FOREIGN_LANGUAGE);
    return (
      <>
        {!admissionOnly && (
          <p className="inset">
            {t('Môn bắt buộc', 'Compulsory')}: <strong>{track.compulsory.map((c) => subjectName(c, lang)).join(', ')}</strong>
          </p>
        )}
        {scheme.combinations.length > 0 && !admissionOnly && (
          <Checkboxes
            field="subjects.combinations"
            label={t('Bài thi tổ hợp', 'Combination tests')}
            hint={t('Chọn ít nhất một bài thi tổ hợp', 'Choose at least one combination')}
            values={state.combinations}
            onChange={(v) => set({ ...state, combinations: v })}
            options={scheme.combinations.map((c) => ({ value: c.code, label: `${c[lang]} (${c.subjects.map((x) => subjectName(x, lang)).join(', ')})` }))}
            findings={at('subjects.combinations')}
          />
        )}
        {electiveFrom.length > 0 && (
          <Checkboxes
            field="subjects.electives"
            label={admissionOnly ? t('Môn đăng ký dự thi', 'Subjects you will sit') : track.electives.count > 0 ? t(`Chọn đúng ${track.electives.count} môn tự chọn`, `Choose exactly ${track.electives.count} electives`) : t('Môn thi thêm để xét tuyển', 'Extra subjects for admission')}
            hint={t('Chỉ chọn môn bạn đã học ở lớp 12', 'Only subjects you studied in grade 12')}
            values={state.electives}
            onChange={(v) => set({ ...state, electives: v })}
            options={electiveFrom.map((c) => ({ value: c, label: subjectName(c, lang) }))}
            findings={at('subjects.electives', 'subjects')}
          />
        )}
        {needsLanguage && (
          <Radios
            field="subjects.foreignLanguage"
            label={t('Ngoại ngữ', 'Foreign language')}
            value={state.foreignLanguage}
            onChange={(v) => set({ ...state, foreignLanguage: v })}
            options={REF.languages.map((l) => ({ value: l.code, label: `${l.code} – ${l[lang]}` }))}
            findings={at('subjects.foreignLanguage')}
          />
        )}
      </>
    );
  },
  summary: (value, lang, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['subjects']>>;
    return [
      ...(v.combinations?.length ? [{ key: t('Bài thi tổ hợp', 'Combinations'), value: v.combinations.map((c) => combinationName(c, lang)).join(', ') }] : []),
      { key: t('Môn tự chọn', 'Electives'), value: (v.electives ?? []).map((c) => subjectName(c, lang)).join(', ') },
      { key: t('Ngoại ngữ', 'Foreign language'), value: v.foreignLanguage ? languageName(v.foreignLanguage, lang) : '' },
    ];
  },
};

// ---- exemption ----
interface ExemptionForm {
  foreignLanguage: boolean;
  certificate: string;
  result: string;
  literature: boolean;
  vietnameseLevel: string;
}
const exemption: SectionDef<ExemptionForm> = {
  id: 'exemption',
  initial: (saved) => {
    const v = (saved ?? {}) as Record<string, unknown>;
    return { foreignLanguage: v['foreignLanguage'] === true, certificate: s(v['certificate']), result: s(v['result']), literature: v['literature'] === true, vietnameseLevel: s(v['vietnameseLevel']) };
  },
  toValue: (f) => ({
    ...(f.foreignLanguage ? { foreignLanguage: true, ...(f.certificate ? { certificate: f.certificate } : {}), ...(f.result.trim() ? { result: f.result.trim() } : {}) } : {}),
    ...(f.literature ? { literature: true, ...(f.vietnameseLevel.trim() ? { vietnameseLevel: Number(f.vietnameseLevel) } : {}) } : {}),
  }),
  Form: ({ state, set, at, rest }) => {
    const { t } = useI18n();
    const lang = rest.subjects?.foreignLanguage;
    const certs = REF.certificates.certificates.filter((c) => !lang || c.language === lang);
    // each question only where it applies (the rule the server applies): the language exemption to a
    // candidate sitting a foreign language for graduation, Literature to a foreign national
    const applies = exemptionApplies(rest);
    const foreigner = applies.literature;
    return (
      <>
        <p>{t('Nếu không xin miễn thi môn nào, hãy bấm “Lưu và tiếp tục”.', 'If you are not asking for any exemption, choose “Save and continue”.')}</p>
        {(applies.language || state.foreignLanguage) && (
          <Checkbox
            field="exemption.foreignLanguage"
            label={t('Tôi xin miễn thi Ngoại ngữ bằng chứng chỉ ngoại ngữ', 'I ask to be exempt from the foreign-language paper with a certificate')}
            checked={state.foreignLanguage}
            onChange={(v) => set({ ...state, foreignLanguage: v })}
            findings={at('exemption.foreignLanguage')}
          />
        )}
        {state.foreignLanguage && (
          <div className="inset">
            <Select
              field="exemption.certificate"
              label={t('Chứng chỉ', 'Certificate')}
              value={state.certificate}
              onChange={(v) => set({ ...state, certificate: v })}
              options={certs.map((c) => ({ value: c.code, label: `${c.name} (${t('tối thiểu', 'at least')} ${c.minimum})` }))}
              placeholder={t('Chọn chứng chỉ', 'Choose a certificate')}
              findings={at('exemption.certificate')}
            />
            <TextInput
              field="exemption.result"
              label={t('Điểm hoặc bậc trên chứng chỉ', 'Score or level on the certificate')}
              hint={t('Ví dụ 5.5 hoặc B1', 'For example 5.5 or B1')}
              width={10}
              value={state.result}
              onChange={(v) => set({ ...state, result: v })}
              findings={at('exemption.result')}
            />
            <EvidenceUpload purpose="language_certificate" label={t('Ảnh hoặc bản PDF chứng chỉ', 'A photo or PDF of the certificate')} />
          </div>
        )}
        {(foreigner || state.literature) && (
          <>
            <Checkbox
              field="exemption.literature"
              label={t('Tôi là người nước ngoài, xin miễn thi Ngữ văn', 'I am a foreign national and ask to be exempt from Literature')}
              checked={state.literature}
              onChange={(v) => set({ ...state, literature: v })}
              findings={at('exemption.literature')}
            />
            {state.literature && (
              <TextInput
                field="exemption.vietnameseLevel"
                label={t('Bậc chứng chỉ tiếng Việt', 'Level of the Vietnamese certificate')}
                hint={t('Từ 1 đến 6', 'From 1 to 6')}
                width={2}
                inputMode="numeric"
                value={state.vietnameseLevel}
                onChange={(v) => set({ ...state, vietnameseLevel: v })}
                findings={at('exemption.vietnameseLevel')}
              />
            )}
          </>
        )}
      </>
    );
  },
  summary: (value, _l, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['exemption']>>;
    return [
      { key: t('Miễn thi Ngoại ngữ', 'Language exemption'), value: v.foreignLanguage ? `${REF.certificates.certificates.find((c) => c.code === v.certificate)?.name ?? v.certificate ?? ''}${v.result ? `, ${t('kết quả', 'result')} ${v.result}` : ''}` : t('Không', 'No') },
      ...(v.literature ? [{ key: t('Miễn thi Ngữ văn', 'Literature exemption'), value: `${t('Bậc', 'Level')} ${v.vietnameseLevel ?? ''}` }] : []),
    ];
  },
};

// ---- retained scores ----
interface RetainedForm {
  rows: Array<{ subject: string; score: string; year: string }>;
}
const retainedScores: SectionDef<RetainedForm> = {
  id: 'retainedScores',
  initial: (saved) => ({ rows: Array.isArray(saved) ? (saved as Array<Record<string, unknown>>).map((r) => ({ subject: s(r['subject']), score: s(r['score']), year: s(r['year']) })) : [] }),
  toValue: (f) => f.rows.map((r) => ({ subject: opt(r.subject), score: r.score.trim() === '' ? undefined : Number(r.score.replace(',', '.')), year: r.year.trim() === '' ? undefined : Number(r.year) })),
  Form: ({ state, set, at, rest }) => {
    const { t, lang } = useI18n();
    // the page is reached only when the question applies (or a claim is left to clear): the same rule as the server's
    const free = retainedScoresApply(rest.status);
    const upd = (i: number, p: Partial<RetainedForm['rows'][number]>) => set({ rows: state.rows.map((r, j) => (j === i ? { ...r, ...p } : r)) });
    return (
      <>
        <p>
          {free
            ? t('Nếu bạn muốn bảo lưu điểm thi của năm trước, thêm từng môn dưới đây. Nếu không, bấm “Lưu và tiếp tục”.', 'To carry over a score from an earlier year, add each subject below. Otherwise choose “Save and continue”.')
            : state.rows.length > 0
              ? t('Chỉ thí sinh tự do đã dự thi năm trước và chưa tốt nghiệp mới được bảo lưu điểm. Hãy xoá các môn dưới đây rồi bấm “Lưu”.', 'Only free candidates who sat an earlier exam and have not graduated may carry scores over. Remove the subjects below, then save.')
              : t('Mục này không áp dụng với bạn: chỉ thí sinh tự do đã dự thi năm trước và chưa tốt nghiệp mới được bảo lưu điểm. Bạn không cần khai gì ở đây.', 'This does not apply to you: only free candidates who sat an earlier exam and have not graduated may carry scores over. There is nothing to fill in here.')}
        </p>
        {at('retainedScores').length > 0 && <Checkbox field="retainedScores" label={t('Bảo lưu điểm', 'Retained scores')} checked={state.rows.length > 0} onChange={() => set({ rows: [] })} findings={at('retainedScores')} />}
        {state.rows.map((r, i) => (
          <fieldset className="fieldset form-group inset" key={i}>
            <legend className="fieldset__legend">{t(`Môn bảo lưu ${i + 1}`, `Retained subject ${i + 1}`)}</legend>
            <Select
              field={`retainedScores[${i}].subject`}
              label={t('Môn', 'Subject')}
              value={r.subject}
              onChange={(v) => upd(i, { subject: v })}
              options={REF.subjects.map((x) => ({ value: x.code, label: x[lang] }))}
              findings={at(`retainedScores[${i}].subject`, `retainedScores[${i}]`)}
            />
            <TextInput field={`retainedScores[${i}].score`} label={t('Điểm', 'Score')} width={4} inputMode="decimal" value={r.score} onChange={(v) => upd(i, { score: v })} findings={at(`retainedScores[${i}].score`)} />
            <TextInput field={`retainedScores[${i}].year`} label={t('Năm thi', 'Year sat')} width={4} inputMode="numeric" value={r.year} onChange={(v) => upd(i, { year: v })} findings={at(`retainedScores[${i}].year`)} />
            <button type="button" className="button button--secondary" onClick={() => set({ rows: state.rows.filter((_, j) => j !== i) })}>
              {t('Xoá môn này', 'Remove this subject')}
            </button>
          </fieldset>
        ))}
        {free && state.rows.length < 12 && (
          <button type="button" className="button button--secondary" onClick={() => set({ rows: [...state.rows, { subject: '', score: '', year: '' }] })}>
            {t('Thêm môn bảo lưu', 'Add a retained subject')}
          </button>
        )}
      </>
    );
  },
  summary: (value, lang, t) => {
    const v = Array.isArray(value) ? (value as Array<{ subject: string; score: number; year: number }>) : [];
    return [{ key: t('Bảo lưu điểm', 'Retained scores'), value: v.length ? v.map((r) => `${subjectName(r.subject, lang)}: ${r.score} (${r.year})`).join('\n') : t('Không', 'None') }];
  },
};

// ---- priority ----
interface PriorityForm {
  object: string;
  encouragementPoints: string;
}
const priority: SectionDef<PriorityForm> = {
  id: 'priority',
  initial: (saved) => {
    const v = (saved ?? {}) as Record<string, unknown>;
    return { object: s(v['object']), encouragementPoints: s(v['encouragementPoints']) };
  },
  toValue: (f) => ({ ...(f.object ? { object: f.object } : {}), ...(f.encouragementPoints.trim() ? { encouragementPoints: Number(f.encouragementPoints.replace(',', '.')) } : {}) }),
  Form: ({ state, set, at, examYear }) => {
    const { t, lang } = useI18n();
    const table = REF.priority.tables.find((x) => x.years.includes(examYear)) ?? REF.priority.tables[REF.priority.tables.length - 1];
    return (
      <>
        <Radios
          field="priority.object"
          label={t('Đối tượng ưu tiên', 'Priority group')}
          hint={t('Chỉ chọn khi bạn có giấy tờ chứng nhận; điểm tiếp nhận sẽ kiểm tra.', 'Choose one only if you have the documents; the registration point will check them.')}
          value={state.object}
          onChange={(v) => set({ ...state, object: v })}
          options={[{ value: '', label: t('Không thuộc đối tượng ưu tiên', 'None') }, ...(table?.objects ?? []).map((o) => ({ value: o.code, label: `${o.code}: ${o[lang]}` }))]}
          findings={at('priority.object')}
        />
        {state.object !== '' && <EvidenceUpload purpose="priority" label={t(`Giấy tờ chứng nhận đối tượng ưu tiên ${state.object}`, `Evidence for priority group ${state.object}`)} />}
        <TextInput
          field="priority.encouragementPoints"
          label={t('Điểm khuyến khích (nếu có)', 'Encouragement points (if any)')}
          hint={t(`Từ 0 đến ${table?.encouragementMax ?? 4}`, `From 0 to ${table?.encouragementMax ?? 4}`)}
          width={4}
          inputMode="decimal"
          value={state.encouragementPoints}
          onChange={(v) => set({ ...state, encouragementPoints: v })}
          findings={at('priority.encouragementPoints', 'priority')}
        />
      </>
    );
  },
  summary: (value, lang, t) => {
    const v = (value ?? {}) as Partial<NonNullable<Dossier['priority']>>;
    const obj = v.object ? REF.priority.tables.flatMap((x) => x.objects).find((o) => o.code === v.object) : undefined;
    return [
      { key: t('Đối tượng ưu tiên', 'Priority group'), value: v.object ? (obj ? `${t('Đối tượng', 'Group')} ${v.object}: ${obj[lang]}` : v.object) : t('Không', 'None') },
      { key: t('Điểm khuyến khích', 'Encouragement points'), value: v.encouragementPoints !== undefined ? String(v.encouragementPoints) : t('Không', 'None') },
    ];
  },
};

export const SECTION_DEFS: Record<SectionId, SectionDef<any>> = { personal, residence, contact, status, purpose, subjects, exemption, retainedScores, priority };

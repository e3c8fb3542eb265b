// The residence section by name: for each of grades 10–12, the province (the 34 of today), the commune
// picked by name from the 2025 list, and the school picked by name from the list the department imported
// (a school of a pre-merger province is found under today's province and says which old one it was). The
// grade-12 school of a current 12th-grader is pre-filled from the registration point, and the priority
// area is computed from the schools as the candidate goes, with the same rule the server applies.
import { useEffect, useMemo } from 'react';
import type { Dossier } from '../../domain/dossier.ts';
import { computePriorityArea, type Area, type AreaLookup } from '../../domain/priority-area.ts';
import { useI18n } from '../i18n.tsx';
import { Checkbox, Select, TextInput } from '../components/forms.tsx';
import { Combobox } from '../components/combobox.tsx';
import { placesApi, usePlaceList, type SchoolEntry } from '../api/places.ts';
import { useDossier } from './dossier-store.tsx';
import { REF, departmentName, provinceName, provinceOfExamCode } from './reference.ts';
import type { FormProps } from './sections.tsx';

export interface GradeForm {
  provinceCode: string;
  communeCode: string;
  /** today's province where the school is (only for finding it; not saved) */
  schoolRegion: string;
  schoolProvinceCode: string;
  schoolCode: string;
}
export interface ResidenceForm {
  grade10: GradeForm;
  grade11: GradeForm;
  grade12: GradeForm;
  kv1: boolean;
  ddk: boolean;
}
export const GRADES = ['grade10', 'grade11', 'grade12'] as const;
type Grade = (typeof GRADES)[number];

const AREA_NAMES: Record<Area, { vi: string; en: string }> = {
  KV1: { vi: 'Khu vực 1 (KV1)', en: 'Area 1 (KV1)' },
  'KV2-NT': { vi: 'Khu vực 2 – nông thôn (KV2-NT)', en: 'Area 2 – rural (KV2-NT)' },
  KV2: { vi: 'Khu vực 2 (KV2)', en: 'Area 2 (KV2)' },
  KV3: { vi: 'Khu vực 3 (KV3)', en: 'Area 3 (KV3)' },
};

/** An AreaLookup over the school lists the page loaded (departments with no list are not judged). */
export function lookupOf(lists: readonly SchoolEntry[][]): AreaLookup {
  const map = new Map<string, SchoolEntry>();
  for (const l of lists) for (const s of l) map.set(`${s.departmentCode}:${s.code}`, s);
  const deps = new Set([...map.values()].map((s) => s.departmentCode));
  return {
    communeArea: () => undefined,
    school: (p, c) => {
      const s = map.get(`${p}:${c}`);
      return s ? { area: s.area, residenceBased: s.residenceBased } : undefined;
    },
    isDisadvantagedCommune: () => false,
    knowsSchoolsOf: (p) => deps.has(p),
    communeAreasKnown: false,
  };
}

function GradeFields({ g, state, set, at, schools, schoolsLoading }: { g: Grade; schools: SchoolEntry[]; schoolsLoading: boolean } & Pick<FormProps<ResidenceForm>, 'state' | 'set' | 'at'>) {
  const { t } = useI18n();
  const n = g.slice(5);
  const gs = state[g];
  const upd = (p: Partial<GradeForm>) => set((prev) => ({ ...prev, [g]: { ...prev[g], ...p } }));
  const communes = usePlaceList(placesApi.communes, gs.provinceCode);
  const region = REF.provinces.find((p) => p.code === gs.schoolRegion);
  const former = REF.provinceList.find((p) => p.statsCode === gs.schoolRegion)?.formerProvinces ?? [];
  const schoolOptions = useMemo(
    () =>
      schools.map((s) => ({
        code: `${s.departmentCode}:${s.code}`,
        name: s.name,
        detail: [s.formerProvince ? t(`Tỉnh cũ: ${s.formerProvince}`, `Former province: ${s.formerProvince}`) : '', t(`Khu vực ${s.area}`, `Area ${s.area}`)].filter(Boolean).join(' · '),
      })),
    [schools, t],
  );
  return (
    <fieldset className="fieldset form-group">
      <legend className="fieldset__legend">{t(`Lớp ${n}`, `Grade ${n}`)}</legend>
      {g !== 'grade10' && (
        <p>
          <button type="button" className="link-button link-button--link target" onClick={() => upd({ ...state.grade10 })}>
            {t(`Giống lớp 10`, `Same as grade 10`)}
          </button>
        </p>
      )}
      <Select
        field={`residence.${g}.provinceCode`}
        label={t(`Tỉnh/thành phố thường trú (lớp ${n})`, `Province of residence (grade ${n})`)}
        hint={t('Tên tỉnh hiện nay (sau ngày 1/7/2025).', 'Today’s province (since 1 July 2025).')}
        value={gs.provinceCode}
        onChange={(v) => upd({ provinceCode: v, communeCode: '', schoolRegion: gs.schoolRegion || v })}
        options={REF.provinces.map((p) => ({ value: p.code, label: p.name }))}
        placeholder={t('Chọn tỉnh/thành phố', 'Choose a province')}
        findings={at(`residence.${g}.provinceCode`)}
      />
      {gs.provinceCode !== '' && (
        <Combobox
          field={`residence.${g}.communeCode`}
          label={t(`Xã/phường/đặc khu thường trú (lớp ${n})`, `Commune of residence (grade ${n})`)}
          hint={t('Gõ vài chữ của tên xã hoặc phường, có dấu hay không đều được, rồi chọn trong danh sách.', 'Type a few letters of the commune’s name, with or without accents, then choose it from the list.')}
          options={communes.list}
          loading={communes.loading}
          value={gs.communeCode}
          onChange={(v) => upd({ communeCode: v })}
          findings={at(`residence.${g}.communeCode`)}
        />
      )}
      <Select
        field={`residence.${g}.schoolRegion`}
        label={t(`Tỉnh/thành phố nơi có trường (lớp ${n})`, `Province of the school (grade ${n})`)}
        hint={t('Trường ở tỉnh cũ trước khi sáp nhập: chọn tỉnh hiện nay, danh sách có cả trường của tỉnh cũ.', 'A school in a province that has since merged: choose today’s province; its list includes the former province’s schools.')}
        value={gs.schoolRegion}
        onChange={(v) => upd({ schoolRegion: v, schoolProvinceCode: '', schoolCode: '' })}
        options={REF.provinces.map((p) => ({ value: p.code, label: p.name }))}
        placeholder={t('Chọn tỉnh/thành phố', 'Choose a province')}
        findings={at(`residence.${g}.schoolProvinceCode`)}
      />
      {gs.schoolRegion !== '' && (schools.length > 0 || schoolsLoading) && (
        <Combobox
          field={`residence.${g}.schoolCode`}
          label={t(`Trường học lớp ${n}`, `School in grade ${n}`)}
          hint={t('Gõ vài chữ của tên trường, ví dụ “phan dinh phung”, rồi chọn trong danh sách.', 'Type a few letters of the school’s name, for example “phan dinh phung”, then choose it.')}
          options={schoolOptions}
          loading={schoolsLoading}
          value={gs.schoolCode ? `${gs.schoolProvinceCode}:${gs.schoolCode}` : ''}
          onChange={(v) => {
            const [dep = '', code = ''] = v.split(':');
            upd({ schoolProvinceCode: dep, schoolCode: code });
          }}
          findings={at(`residence.${g}.schoolCode`, `residence.${g}.area`, `residence.${g}`)}
        />
      )}
      {gs.schoolRegion !== '' && schools.length === 0 && !schoolsLoading && (
        <>
          <p className="hint">
            {t(
              `Sở GD&ĐT ${region?.name ?? ''} chưa đăng danh sách trường. Hãy chọn tỉnh của trường và nhập mã trường theo hướng dẫn của trường.`,
              `The ${region?.name ?? ''} department has not published its list of schools yet. Choose the school’s province and type the school code your school gives.`,
            )}
          </p>
          <Select
            field={`residence.${g}.schoolProvinceCode`}
            label={t(`Tỉnh của trường theo mã thi (lớp ${n})`, `School’s exam province (grade ${n})`)}
            value={gs.schoolProvinceCode}
            onChange={(v) => upd({ schoolProvinceCode: v })}
            options={former.map((f) => ({ value: f.examCode, label: `${f.name} (${f.examCode})` }))}
            placeholder={t('Chọn', 'Choose')}
          />
          <TextInput
            field={`residence.${g}.schoolCode`}
            label={t(`Mã trường (lớp ${n})`, `School code (grade ${n})`)}
            width={10}
            value={gs.schoolCode}
            onChange={(v) => upd({ schoolCode: v })}
            findings={at(`residence.${g}.schoolCode`, `residence.${g}.area`, `residence.${g}`)}
          />
        </>
      )}
    </fieldset>
  );
}

export function ResidenceFields({ state, set, at }: FormProps<ResidenceForm>) {
  const { t, pick } = useI18n();
  const { view } = useDossier();
  const s10 = usePlaceList(placesApi.schools, state.grade10.schoolRegion);
  const s11 = usePlaceList(placesApi.schools, state.grade11.schoolRegion);
  const s12 = usePlaceList(placesApi.schools, state.grade12.schoolRegion);
  const lists = { grade10: s10, grade11: s11, grade12: s12 };

  // a current 12th-grader studies at the school that is their registration point: pre-fill it
  const pointSchool = /^org-(\d{2})(\d{3})$/.exec(view?.candidate.pointId ?? '');
  const pointDep = pointSchool?.[1] ?? '';
  const pointRegion = provinceOfExamCode(pointDep) ?? '';
  const regionSchools = usePlaceList(placesApi.schools, view?.candidate.candidateType === 'current' ? pointRegion : '');
  useEffect(() => {
    if (!pointSchool || state.grade12.schoolCode !== '' || state.grade12.schoolRegion !== '' && state.grade12.schoolRegion !== pointRegion) return;
    const school = regionSchools.list.find((x) => x.departmentCode === pointDep && x.code === pointSchool[2]);
    // merged into the latest state: the list may arrive after the candidate has already changed a field
    if (school)
      set((prev) =>
        prev.grade12.schoolCode !== '' ? prev : { ...prev, grade12: { ...prev.grade12, schoolRegion: pointRegion, schoolProvinceCode: school.departmentCode, schoolCode: school.code } },
      );
  }, [regionSchools.list]);

  const value = toResidence(state);
  const area = useMemo(() => computePriorityArea(value, lookupOf([s10.list, s11.list, s12.list])), [value, s10.list, s11.list, s12.list]);
  const complete = GRADES.every((g) => state[g].schoolCode !== '');
  return (
    <>
      {GRADES.map((g) => (
        <GradeFields key={g} g={g} state={state} set={set} at={at} schools={lists[g].list} schoolsLoading={lists[g].loading} />
      ))}
      <div className="area-result" role="status" aria-live="polite" data-testid="priority-area">
        <strong>{t('Khu vực ưu tiên: ', 'Priority area: ')}</strong>
        {area.area
          ? `${pick(AREA_NAMES[area.area])} — ${area.basis === 'residence' ? t('theo nơi thường trú', 'from your residence') : t('tính từ các trường bạn đã học', 'worked out from your schools')}`
          : complete
            ? t('chưa tính được (trường chưa có trong danh sách của Sở); điểm tiếp nhận sẽ xác định.', 'not worked out yet (a school is not on its department’s list); your registration point will decide it.')
            : t('sẽ được tính khi bạn chọn đủ trường lớp 10, 11, 12.', 'worked out once you choose your schools for grades 10, 11 and 12.')}
      </div>
      <Checkbox
        field="residence.kv1Over18Months"
        label={t('Tôi thường trú trên 18 tháng tại xã thuộc Khu vực 1', 'I lived over 18 months in an Area 1 commune')}
        checked={state.kv1}
        onChange={(v) => set({ ...state, kv1: v })}
        findings={at('residence.kv1Over18Months')}
      />
      <Checkbox
        field="residence.disadvantagedCommuneOver18Months"
        label={t('Tôi thường trú trên 18 tháng tại xã đặc biệt khó khăn', 'I lived over 18 months in an extremely disadvantaged commune')}
        checked={state.ddk}
        onChange={(v) => set({ ...state, ddk: v })}
        findings={at('residence.disadvantagedCommuneOver18Months', 'residence')}
      />
    </>
  );
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

export function gradeInit(g: unknown): GradeForm {
  const v = (g ?? {}) as Record<string, unknown>;
  const dep = s(v['schoolProvinceCode']);
  return {
    provinceCode: s(v['provinceCode']),
    communeCode: s(v['communeCode']),
    schoolRegion: provinceOfExamCode(dep) ?? s(v['provinceCode']),
    schoolProvinceCode: dep,
    schoolCode: s(v['schoolCode']),
  };
}

function gradeValue(g: GradeForm) {
  return { provinceCode: opt(g.provinceCode), communeCode: opt(g.communeCode), schoolProvinceCode: opt(g.schoolProvinceCode), schoolCode: opt(g.schoolCode.toUpperCase()) };
}

export function toResidence(f: ResidenceForm): NonNullable<Dossier['residence']> {
  return {
    grade10: gradeValue(f.grade10),
    grade11: gradeValue(f.grade11),
    grade12: gradeValue(f.grade12),
    kv1Over18Months: f.kv1,
    disadvantagedCommuneOver18Months: f.ddk,
  } as NonNullable<Dossier['residence']>;
}

/**
 * One grade's places as people know them, for check your answers and the officer's view of the dossier:
 * "Phường Ba Đình, Hà Nội / Trường THPT Chu Văn An". The codes stay only while the names load, or for a
 * place the lists no longer hold.
 */
export function GradePlaces({ value }: { value: { provinceCode?: string | undefined; communeCode?: string | undefined; schoolProvinceCode?: string | undefined; schoolCode?: string | undefined } }) {
  const { t } = useI18n();
  const communes = usePlaceList(placesApi.communes, value.provinceCode ?? '');
  const region = provinceOfExamCode(value.schoolProvinceCode) ?? value.provinceCode ?? '';
  const schools = usePlaceList(placesApi.schools, region);
  const commune = communes.list.find((c) => c.code === value.communeCode);
  const school = schools.list.find((x) => x.departmentCode === value.schoolProvinceCode && x.code === value.schoolCode?.toUpperCase());
  const communeText = commune ? commune.name : value.communeCode ? `${t('xã', 'commune')} ${value.communeCode}` : '';
  const schoolText = school
    ? `${school.name}${school.formerProvince ? ` (${t('tỉnh cũ', 'former province')} ${school.formerProvince})` : ''}`
    : value.schoolCode
      ? `${t('Trường', 'School')} ${value.schoolProvinceCode ?? ''}-${value.schoolCode} (${departmentName(value.schoolProvinceCode)})`
      : '';
  return (
    <>
      {[communeText, provinceName(value.provinceCode)].filter(Boolean).join(', ')}
      {schoolText && (
        <>
          <br />
          {schoolText}
        </>
      )}
    </>
  );
}

// The priority area (khu vực ưu tiên) computed from where the candidate lived and studied in grades 10–12,
// as the system has done since 2023. Which commune or school is in which area is yearly data passed in;
// the rule itself is spelled out as data below so a reviewer can read it against the regulation.
import { error, warning, type Finding } from './messages.ts';

export type Area = 'KV1' | 'KV2-NT' | 'KV2' | 'KV3';
/** Highest priority first. */
export const AREAS: readonly Area[] = ['KV1', 'KV2-NT', 'KV2', 'KV3'];
export const GRADES = ['grade10', 'grade11', 'grade12'] as const;
export type GradeKey = (typeof GRADES)[number];

export interface GradePlace {
  /** residence province and commune (district before July 2025) */
  provinceCode: string;
  communeCode: string;
  schoolProvinceCode: string;
  schoolCode: string;
  /** an area stated for a school the lookup does not know (closed, abroad); the lookup wins when it knows */
  area?: Area;
}

export interface ResidenceHistory {
  grade10: GradePlace;
  grade11: GradePlace;
  grade12: GradePlace;
  /** lived more than 18 months in a KV1 commune during upper-secondary school */
  kv1Over18Months: boolean;
  /** lived more than 18 months in an extremely disadvantaged commune (xã đặc biệt khó khăn) */
  disadvantagedCommuneOver18Months: boolean;
}

export interface SchoolArea {
  area: Area;
  /** ethnic boarding schools (PTDT nội trú): students take the area of their residence */
  residenceBased?: boolean;
}

/** The year's reference data, behind lookups so it can come from tables, a DB snapshot or the browser's cache. */
export interface AreaLookup {
  communeArea(provinceCode: string, communeCode: string): Area | undefined;
  school(provinceCode: string, schoolCode: string): SchoolArea | undefined;
  isDisadvantagedCommune(provinceCode: string, communeCode: string): boolean;
  /**
   * Whether the lookup holds this department's schools at all: while a department has not imported its
   * list, its schools are not reported unknown (the area is then simply not computed). Absent: all known.
   */
  knowsSchoolsOf?(provinceCode: string): boolean;
  /** false while no commune carries an area in the data: a boarding school's residence area is then not computed */
  communeAreasKnown?: boolean;
}

/** An AreaLookup over plain tables keyed "province:code". */
export function areaLookupFromTables(t: {
  communes: Readonly<Record<string, Area>>;
  schools: Readonly<Record<string, SchoolArea>>;
  disadvantagedCommunes?: readonly string[];
}): AreaLookup {
  const dis = new Set(t.disadvantagedCommunes ?? []);
  return {
    communeArea: (p, c) => t.communes[`${p}:${c}`],
    school: (p, s) => t.schools[`${p}:${s}`],
    isDisadvantagedCommune: (p, c) => dis.has(`${p}:${c}`),
  };
}

/**
 * The rule, as data (admission regulation, Circular 08/2022 art. 7 as summarised in DOMAIN.md):
 * - each of grades 10, 11, 12 counts as one school year at that grade's school;
 * - the candidate takes the area where they studied longest; on a tie, the area of the school attended last;
 * - ethnic boarding-school students take their residence's area for those years;
 * - a tick for more than 18 months' residence in a KV1 commune, or in an extremely disadvantaged commune,
 *   gives the residence's area (KV1) instead, when a declared commune bears it out.
 * *Assumption*: the 18-month ticks override the school rule whenever a declared residence commune
 * qualifies; the regulation adds conditions (e.g. studying in the same district) that the registration
 * point checks against the population database during the correction period.
 */
export const PRIORITY_AREA_RULE = {
  yearsPerGrade: { grade10: 1, grade11: 1, grade12: 1 } as const satisfies Record<GradeKey, number>,
  tieBreak: 'latest' as const,
  residenceTicks: [
    { tick: 'kv1Over18Months', qualifies: 'commune-is-KV1', area: 'KV1' },
    { tick: 'disadvantagedCommuneOver18Months', qualifies: 'commune-is-disadvantaged', area: 'KV1' },
  ] as const,
};

export interface AreaResult {
  area: Area | null;
  basis: 'school' | 'residence' | null;
  /** the area counted for each grade */
  perGrade: Partial<Record<GradeKey, Area>>;
  findings: Finding[];
}

export function computePriorityArea(h: ResidenceHistory, lookup: AreaLookup, field = 'residence'): AreaResult {
  const findings: Finding[] = [];
  const perGrade: Partial<Record<GradeKey, Area>> = {};
  for (const g of GRADES) {
    const place = h[g];
    const school = lookup.school(place.schoolProvinceCode, place.schoolCode);
    const commune = lookup.communeArea(place.provinceCode, place.communeCode);
    if (school?.residenceBased) {
      if (commune) perGrade[g] = commune;
      else if (lookup.communeAreasKnown !== false) findings.push(unknownCommune(`${field}.${g}.communeCode`));
    } else if (school) {
      perGrade[g] = school.area;
    } else if (place.area) {
      perGrade[g] = place.area;
    } else if (lookup.knowsSchoolsOf && !lookup.knowsSchoolsOf(place.schoolProvinceCode)) {
      // the department has not imported its schools yet: nothing to check against
    } else {
      findings.push(
        error('AREA_SCHOOL_UNKNOWN', `${field}.${g}.schoolCode`, 'Không tìm thấy trường này trong danh mục năm nay. Hãy kiểm tra mã tỉnh và mã trường.', 'This school is not in this year’s list. Check the province and school codes.', { grade: g }),
      );
    }
  }

  // Residence ticks: the residence's area when a declared commune bears the tick out.
  for (const rule of PRIORITY_AREA_RULE.residenceTicks) {
    if (!h[rule.tick]) continue;
    const ok = GRADES.some((g) =>
      rule.qualifies === 'commune-is-KV1'
        ? lookup.communeArea(h[g].provinceCode, h[g].communeCode) === 'KV1'
        : lookup.isDisadvantagedCommune(h[g].provinceCode, h[g].communeCode),
    );
    if (ok) return { area: rule.area, basis: 'residence', perGrade, findings };
    findings.push(
      warning(
        'AREA_TICK_UNSUPPORTED',
        `${field}.${rule.tick}`,
        rule.tick === 'kv1Over18Months'
          ? 'Bạn đánh dấu thường trú trên 18 tháng ở Khu vực 1 nhưng không xã nào đã khai thuộc Khu vực 1. Hãy kiểm tra nơi thường trú.'
          : 'Bạn đánh dấu thường trú trên 18 tháng ở xã đặc biệt khó khăn nhưng không xã nào đã khai thuộc danh sách này. Hãy kiểm tra nơi thường trú.',
        rule.tick === 'kv1Over18Months'
          ? 'You ticked over 18 months’ residence in Area 1, but none of the declared communes is in Area 1. Check your residence.'
          : 'You ticked over 18 months’ residence in an extremely disadvantaged commune, but none of the declared communes is on that list. Check your residence.',
      ),
    );
  }

  if (GRADES.some((g) => perGrade[g] === undefined)) return { area: null, basis: null, perGrade, findings };
  const years = new Map<Area, number>();
  for (const g of GRADES) {
    const a = perGrade[g];
    if (a) years.set(a, (years.get(a) ?? 0) + PRIORITY_AREA_RULE.yearsPerGrade[g]);
  }
  const longest = Math.max(...years.values());
  // tie → the latest grade whose area is among the longest
  const latest = [...GRADES].reverse().find((g) => years.get(perGrade[g] as Area) === longest);
  return { area: latest ? (perGrade[latest] ?? null) : null, basis: 'school', perGrade, findings };
}

function unknownCommune(field: string): Finding {
  return error('AREA_COMMUNE_UNKNOWN', field, 'Không tìm thấy xã/phường này trong danh mục. Hãy kiểm tra mã tỉnh và mã xã.', 'This commune is not in the list. Check the province and commune codes.');
}

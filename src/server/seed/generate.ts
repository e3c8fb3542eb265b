// The synthetic country, as pure data: a plan (organisation tree, exam year, how many candidates each
// point gets) and a stream of candidate rows generated point by point. No I/O here except reading the
// reference files; no clock: timestamps are fixed per year, so one seed gives the same bytes everywhere.
import fs from 'node:fs';
import path from 'node:path';
import type { CandidateSortKeyColumn, CandidateTable, ExamYearTable, OrgUnitTable, UserTable } from '../db/schema.ts';
import { nameSortKey } from '../../domain/sort-key.ts';
import type { ExamYearWindows } from '../../domain/exam-year.ts';
import { REFERENCE_DIR } from '../reference/reference.repository.ts';
import { AliasTable, Rng, apportion, hash32, permute6 } from './prng.ts';
import { FAMILY_HIGHLAND, FAMILY_NORTH, FAMILY_SOUTH, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE } from './names.ts';
import { ESTIMATED_CANDIDATES_2024, SCHOOL_NAMESAKES, nameRegion, type NameRegion } from './places.ts';

export interface SeedOptions {
  candidates: number;
  seed: number;
  /** exam year, default 2025 */
  year: number;
}

/** Upper bound on --candidates: each (prefix, gender, birth year) has a million serials. */
export const MAX_CANDIDATES = 20_000_000;
/** About how many registration points the country has (2024: ~2,400 schools and centres). */
export const TARGET_POINTS = 2_400;
/** Average candidates per registration point in 2024 (1,071,393 / ~2,400): fewer points for a small seed. */
const CANDIDATES_PER_POINT = 450;
/** Share of free candidates (thí sinh tự do) per department (*estimate*: ~5% nationally). */
export const FREE_SHARE = 0.05;
/** Share of candidates born outside their department's own (pre-2025) province. */
export const BORN_ELSEWHERE_SHARE = 0.1;
/** Share of boys among candidates (girls are a slight majority in upper secondary). */
export const MALE_SHARE = 0.47;

export interface SeedReference {
  departments: Array<{ code: string; name: string }>;
  /** CCCD prefix by old province name */
  prefixByProvince: Map<string, string>;
  /** today's (2025) province statistics code by CCCD prefix: where a birth registered before the merger is now */
  birthProvinceByPrefix: Map<string, string>;
  /** published 2024 figures by department name */
  published2024: Record<string, number>;
  total2024: number;
}

function readJson<T>(dir: string, name: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as T;
}

export function loadSeedReference(dir = REFERENCE_DIR): SeedReference {
  const deps = readJson<{ examDepartments: Array<{ code: string; name: string }> }>(dir, 'exam-departments').examDepartments;
  const prefixes = readJson<{ prefixes: Array<{ prefix: string; province: string }> }>(dir, 'cccd-prefixes').prefixes;
  const provinces = readJson<{ provinces: Array<{ statsCode: string; formerProvinces: Array<{ name: string }> }> }>(dir, 'provinces-2025').provinces;
  const prefixByProvince = new Map(prefixes.map((p) => [p.province.normalize('NFC'), p.prefix]));
  const birthProvinceByPrefix = new Map<string, string>();
  for (const p of provinces) {
    for (const f of p.formerProvinces) {
      const prefix = prefixByProvince.get(f.name.normalize('NFC'));
      if (prefix) birthProvinceByPrefix.set(prefix, p.statsCode);
    }
  }
  const volumes = readJson<{ registered: Record<string, Record<string, number>> }>(dir, 'registration-volumes').registered;
  const total2024 = volumes['totals']?.['2024'];
  if (!total2024) throw new Error('reference/registration-volumes.json: no 2024 total');
  return {
    departments: deps.map((d) => ({ code: d.code, name: d.name.normalize('NFC') })),
    prefixByProvince,
    birthProvinceByPrefix,
    published2024: Object.fromEntries(Object.entries(volumes['2024'] ?? {}).map(([k, v]) => [k.normalize('NFC'), v])),
    total2024,
  };
}

export interface PointPlan {
  id: string;
  code: string;
  name: string;
  kind: 'school' | 'free';
  /** current 12th-graders registered here */
  current: number;
  /** free candidates registered here */
  free: number;
}

export interface DepartmentPlan {
  code: string;
  name: string;
  /** CCCD prefix of the department's own old province; null for the Ministry of Defence council */
  prefix: string | null;
  region: NameRegion;
  candidates: number;
  points: PointPlan[];
}

export interface CountryPlan {
  options: SeedOptions;
  /** the fixed created_at/updated_at of every seeded row */
  timestamp: string;
  orgUnits: OrgUnitTable[];
  examYear: ExamYearTable;
  departments: DepartmentPlan[];
  birthProvinceByPrefix: ReadonlyMap<string, string>;
}

/** Relative department sizes: published 2024 counts where known, the estimates scaled to the rest. */
export function departmentWeights(ref: SeedReference): Map<string, number> {
  const known = new Map<string, number>();
  let knownSum = 0;
  let estimatedSum = 0;
  for (const d of ref.departments) {
    const published = ref.published2024[d.name];
    if (published !== undefined) {
      known.set(d.code, published);
      knownSum += published;
    } else {
      const est = ESTIMATED_CANDIDATES_2024[d.code];
      if (est === undefined) throw new Error(`no size estimate for exam department ${d.code} ${d.name}`);
      estimatedSum += est;
    }
  }
  const factor = (ref.total2024 - knownSum) / estimatedSum;
  return new Map(ref.departments.map((d) => [d.code, known.get(d.code) ?? (ESTIMATED_CANDIDATES_2024[d.code] ?? 0) * factor]));
}

/** The exam year's real windows (2025), moved to `year` on the same days when seeding another year. */
export function seedWindows(year: number): ExamYearWindows {
  return {
    accountIssuing: { from: `${year}-04-10`, to: `${year}-04-15` },
    trial: { from: `${year}-04-15`, to: `${year}-04-18` },
    official: { from: `${year}-04-21`, to: `${year}-04-28`, closesAt: '17:00' },
    correction: { from: `${year}-04-28`, opensAt: '17:00', to: `${year}-05-09` },
  };
}

export function seedTimestamp(year: number): string {
  return `${year}-04-01T01:00:00.000Z`;
}

export function planCountry(opts: SeedOptions, ref: SeedReference = loadSeedReference()): CountryPlan {
  const ts = seedTimestamp(opts.year);
  const weights = departmentWeights(ref);
  const deps = ref.departments;
  const totalWeight = [...weights.values()].reduce((s, w) => s + w, 0);
  const perDepartment = apportion(
    opts.candidates,
    deps.map((d) => weights.get(d.code) ?? 0),
  );
  const pointsTotal = Math.min(TARGET_POINTS, Math.max(2 * deps.length, Math.round(opts.candidates / CANDIDATES_PER_POINT)));
  const freePointsOf = (share: number): number => (pointsTotal < 1000 ? 1 : share >= 0.03 ? 3 : share >= 0.012 ? 2 : 1);
  const freePoints = deps.map((d) => freePointsOf((weights.get(d.code) ?? 0) / totalWeight));
  const schoolPoints = apportion(
    Math.max(deps.length, pointsTotal - freePoints.reduce((s, x) => s + x, 0)),
    deps.map((d) => weights.get(d.code) ?? 0),
  ).map((x) => Math.max(1, x));

  const orgUnits: OrgUnitTable[] = [];
  const unit = (u: Omit<OrgUnitTable, 'address' | 'active' | 'created_at' | 'updated_at'>): void => {
    orgUnits.push({ ...u, address: null, active: 1, created_at: ts, updated_at: ts });
  };
  unit({ id: 'org-BGD', kind: 'ministry', code: 'BGD', name: 'Bộ Giáo dục và Đào tạo', parent_id: null, department_code: null, point_kind: null });

  const departments: DepartmentPlan[] = deps.map((d, di) => {
    const n = perDepartment[di] ?? 0;
    const prefix = ref.prefixByProvince.get(d.name) ?? null;
    if (prefix === null && d.code !== '65') throw new Error(`no CCCD prefix for province ${d.name}`);
    unit({
      id: `org-${d.code}`,
      kind: 'department',
      code: d.code,
      name: d.code === '65' ? d.name : `Sở GD&ĐT ${d.name}`,
      parent_id: 'org-BGD',
      department_code: d.code,
      point_kind: null,
    });
    const rng = Rng.stream(opts.seed, 'points', d.code);
    const nSchools = schoolPoints[di] ?? 1;
    const nFree = freePoints[di] ?? 1;
    if (nSchools > 899) throw new Error(`too many points for department ${d.code}`);
    const free = Math.round(n * FREE_SHARE);
    const names = rng.shuffle([...SCHOOL_NAMESAKES]);
    const gdtxEvery = 12; // about one point in twelve is a continuing-education centre (GDTX)
    const schools: Array<{ name: string; weight: number }> = [];
    let gdtx = 0;
    let used = 0;
    for (let i = 0; i < nSchools; i++) {
      if (d.code === '65') {
        schools.push({ name: `Trường Văn hóa ${i + 1} - Bộ Quốc phòng`, weight: 0.5 + rng.float() });
      } else if (i === 0 && nSchools >= 5) {
        schools.push({ name: `Trường THPT chuyên ${d.name}`, weight: 0.4 });
      } else if (i % gdtxEvery === gdtxEvery - 1) {
        gdtx += 1;
        schools.push({ name: gdtx === 1 ? `Trung tâm GDTX ${d.name}` : `Trung tâm GDNN-GDTX số ${gdtx} ${d.name}`, weight: 0.25 + 0.2 * rng.float() });
      } else {
        const base = names[used % names.length]!;
        const round = Math.floor(used / names.length);
        used += 1;
        schools.push({ name: `Trường THPT ${base}${round > 0 ? ` số ${round + 1}` : ''}`, weight: 0.35 + 1.3 * rng.float() });
      }
    }
    const currentSplit = apportion(n - free, schools.map((s) => s.weight));
    const freeSplit = apportion(free, Array.from({ length: nFree }, (_, k) => (k === 0 ? 2 : 1)));
    const points: PointPlan[] = [];
    schools.forEach((s, i) => {
      const code = `${d.code}${String(i + 1).padStart(3, '0')}`;
      points.push({ id: `org-${code}`, code, name: s.name, kind: 'school', current: currentSplit[i] ?? 0, free: 0 });
    });
    const authority = d.code === '65' ? 'Cục Nhà trường' : `Sở GD&ĐT ${d.name}`;
    for (let k = 0; k < nFree; k++) {
      const code = `${d.code}${900 + k}`;
      const name = k === 0 ? `Điểm tiếp nhận thí sinh tự do - ${authority}` : `Điểm tiếp nhận thí sinh tự do số ${k + 1} - ${authority}`;
      points.push({ id: `org-${code}`, code, name, kind: 'free', current: 0, free: freeSplit[k] ?? 0 });
    }
    for (const p of points) {
      unit({ id: p.id, kind: 'point', code: p.code, name: p.name, parent_id: `org-${d.code}`, department_code: d.code, point_kind: p.kind });
    }
    return { code: d.code, name: d.name, prefix, region: nameRegion(d.code), candidates: n, points };
  });

  const examYear: ExamYearTable = {
    year: opts.year,
    scheme: opts.year >= 2025 ? 'CT2018' : 'CT2006',
    windows: JSON.stringify(seedWindows(opts.year)),
    status: 'published',
    rules: '{}',
    published_at: ts,
    created_at: ts,
    updated_at: ts,
  };
  return { options: opts, timestamp: ts, orgUnits, examYear, departments, birthProvinceByPrefix: ref.birthProvinceByPrefix };
}

// ---- names ---------------------------------------------------------------------------------------

interface NameForms {
  /** as on the birth certificate: capitals with diacritics */
  upper: string;
  /** as people write it: "Nguyễn" */
  title: string;
  /** search key part: "nguyen" */
  folded: string;
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

function forms(entries: ReadonlyArray<[string, number]>): AliasTable<NameForms> {
  return new AliasTable(
    entries.map(([name, w]) => [{ upper: name.toLocaleUpperCase('vi').normalize('NFC'), title: name, folded: fold(name) }, w] as const),
  );
}

const FAMILY: Record<NameRegion, AliasTable<NameForms>> = {
  north: forms(FAMILY_NORTH),
  south: forms(FAMILY_SOUTH),
  highland: forms(FAMILY_HIGHLAND),
};
const MIDDLE = { M: forms(MIDDLE_MALE), F: forms(MIDDLE_FEMALE) };
const GIVEN = { M: forms(GIVEN_MALE), F: forms(GIVEN_FEMALE) };

// ---- candidates ----------------------------------------------------------------------------------

// Names repeat (a few hundred family, middle and given names): their sort keys are computed once each.
const sortKeys = new Map<string, string>();
function sortKeyOf(fullName: string): string {
  let k = sortKeys.get(fullName);
  if (k === undefined) {
    k = nameSortKey(fullName);
    if (sortKeys.size < 500_000) sortKeys.set(fullName, k);
  }
  return k;
}

export interface SeedRow {
  user: UserTable;
  candidate: CandidateTable & CandidateSortKeyColumn;
}

const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function dateOfYear(y: number, dayIndex: number): string {
  const leap = isLeap(y) ? 1 : 0;
  let m = 0;
  while (m < 11 && dayIndex >= (CUMULATIVE_DAYS[m + 1] ?? 365) + (m + 1 >= 2 ? leap : 0)) m += 1;
  const day = dayIndex - (CUMULATIVE_DAYS[m] ?? 0) - (m >= 2 ? leap : 0) + 1;
  return `${y}-${m < 9 ? '0' : ''}${m + 1}-${day < 10 ? '0' : ''}${day}`;
}

/** Birth year of a current 12th-grader (mostly 18 in the exam year; a few held back or early). */
function currentBirthYear(rng: Rng, year: number): number {
  const u = rng.float();
  return u < 0.965 ? year - 18 : u < 0.995 ? year - 19 : year - 17;
}

/** Birth year of a free candidate: mostly last year's cohort, a long tail of adults. */
function freeBirthYear(rng: Rng, year: number): number {
  const u = rng.float();
  if (u < 0.6) return year - 19;
  if (u < 0.8) return year - 20;
  if (u < 0.95) return year - 21 - rng.int(5);
  return year - 26 - rng.int(15);
}

/** One century/gender digit per CCCD rule: 1900s 0/1, 2000s 2/3, 2100s 4/5 (even = male). */
export function genderCenturyDigit(gender: 'M' | 'F', birthYear: number): number {
  const base = birthYear < 2000 ? 0 : birthYear < 2100 ? 2 : 4;
  return base + (gender === 'M' ? 0 : 1);
}

export function idFor(prefix: 'u' | 'c', year: number, n: number): string {
  return `${prefix}-${year}-${n.toString(36).padStart(6, '0')}`;
}

/**
 * Candidate rows, point after point in code order: the order (and each row's content) depends only on
 * the options. CCCD serials come from a keyed permutation per (prefix, gender digit, year of birth), so
 * they are unique within the run without a set of the numbers already handed out.
 */
export function* generateCandidates(plan: CountryPlan): Generator<SeedRow, void, undefined> {
  const { seed, year } = plan.options;
  const ts = plan.timestamp;
  const serialsUsed = new Map<string, number>();
  const serialKeys = new Map<string, number>();
  // everyone not born in the department's own province: born anywhere, in proportion to department size
  const prefixWeights = new Map<string, number>();
  for (const d of plan.departments) if (d.prefix) prefixWeights.set(d.prefix, (prefixWeights.get(d.prefix) ?? 0) + Math.max(1, d.candidates));
  const anywhere = new AliasTable([...prefixWeights]);
  let n = 0;

  for (const d of plan.departments) {
    const family = FAMILY[d.region];
    for (const p of d.points) {
      const rng = Rng.stream(seed, 'candidates', p.code);
      const count = p.current + p.free;
      const classSize = 35 + rng.int(11);
      const nClasses = Math.max(1, Math.round(p.current / classSize));
      const style = rng.int(3);
      for (let i = 0; i < count; i++) {
        n += 1;
        const isFree = p.kind === 'free';
        const gender: 'M' | 'F' = rng.float() < MALE_SHARE ? 'M' : 'F';
        const birthYear = isFree ? freeBirthYear(rng, year) : currentBirthYear(rng, year);
        const dob = dateOfYear(birthYear, rng.int(isLeap(birthYear) ? 366 : 365));
        const prefix = d.prefix !== null && rng.float() >= BORN_ELSEWHERE_SHARE ? d.prefix : anywhere.pick(rng);
        const g = genderCenturyDigit(gender, birthYear);
        const yy = String(birthYear % 100).padStart(2, '0');
        const head = `${prefix}${g}${yy}`;
        const used = serialsUsed.get(head) ?? 0;
        if (used >= 1_000_000) throw new Error(`more than a million CCCD serials for ${head}: lower --candidates`);
        serialsUsed.set(head, used + 1);
        let key = serialKeys.get(head);
        if (key === undefined) serialKeys.set(head, (key = hash32(seed, 'cccd', head)));
        const cccd = head + String(permute6(key, used)).padStart(6, '0');

        const fam = family.pick(rng);
        const mid = MIDDLE[gender].pick(rng);
        let giv = GIVEN[gender].pick(rng);
        // "Minh Minh" happens but is rare: draw once more when the given name repeats the middle name
        if (mid.title.endsWith(giv.title)) giv = GIVEN[gender].pick(rng);

        let className: string | null = null;
        if (!isFree) {
          const k = Math.floor((i * nClasses) / Math.max(1, p.current)) + 1;
          // schools number their classes 12A1, 12A2 … or 12C1 …; small ones letter them 12A, 12B …
          className = style === 2 && nClasses <= 12 ? `12${String.fromCharCode(64 + k)}` : `12${style === 1 ? 'C' : 'A'}${k}`;
        }
        const fullName = `${fam.upper} ${mid.upper} ${giv.upper}`;
        const uid = idFor('u', year, n);
        yield {
          user: {
            id: uid,
            username: cccd,
            role: 'candidate',
            org_unit_id: p.id,
            display_name: `${fam.title} ${mid.title} ${giv.title}`,
            password_hash: null,
            status: 'not_issued',
            must_change_password: 1,
            password_set_at: null,
            last_sign_in_at: null,
            created_at: ts,
            updated_at: ts,
          },
          candidate: {
            id: idFor('c', year, n),
            user_id: uid,
            exam_year: year,
            point_id: p.id,
            department_code: d.code,
            id_kind: 'cccd',
            id_number: cccd,
            full_name: fullName,
            family_name: fam.upper,
            middle_name: mid.upper,
            given_name: giv.upper,
            name_folded: `${fam.folded} ${mid.folded} ${giv.folded}`,
            sort_key: sortKeyOf(fullName),
            gender,
            date_of_birth: dob,
            // the province of birth as declared today: the 2025 province that absorbed the old one
            birth_province: plan.birthProvinceByPrefix.get(prefix) ?? prefix.slice(1),
            class_name: className,
            candidate_type: isFree ? 'free' : 'current',
            created_at: ts,
            updated_at: ts,
          },
        };
      }
    }
  }
}

/** Total candidate rows the plan will generate. */
export function plannedCandidates(plan: CountryPlan): number {
  return plan.departments.reduce((s, d) => s + d.points.reduce((t, p) => t + p.current + p.free, 0), 0);
}

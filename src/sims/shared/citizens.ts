// The simulated citizens the national links know: the demo class and a few free candidates (always), and
// optionally the synthetic country of `npm run seed` (same --candidates, --seed and --year give the same
// people). Each citizen is the population database's truth; a known share of them deliberately disagrees
// with what the school holds (a changed name accent, a birth date a day off) or is missing altogether
// (an unknown number), chosen by a hash of the seed and the number, so a run is reproducible.
import fs from 'node:fs';
import path from 'node:path';
import { REFERENCE_DIR } from '../../server/reference/reference.repository.ts';
import { DEMO_CLASS, demoPersonalNumber } from '../../server/demo/demo-class.ts';
import { hash32 } from '../../server/seed/prng.ts';
import { generateCandidates, planCountry } from '../../server/seed/generate.ts';

export interface Residence {
  provinceCode: string;
  communeCode: string;
  address: string;
}

export type Planted = 'none' | 'name_accent' | 'birth_date' | 'unknown';

export interface Citizen {
  personalNumber: string;
  /** as the population database holds it (NFC) */
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  gender: 'M' | 'F';
  ethnicityCode: string;
  permanentResidence: Residence | null;
  currentResidence: Residence | null;
  /** where the person comes from: the demo class (a school account), a free candidate, the seeded country */
  origin: 'demo_class' | 'free' | 'country';
  /** how the truth differs from the school's record; 'unknown': the database has no such number */
  planted: Planted;
  /** what the school (the app) holds for this person, when it holds anything */
  schoolRecord: { fullName: string; dateOfBirth: string } | null;
}

interface Commune {
  code: string;
  name: string;
  provinceCode: string;
}

let communesByProvince: Map<string, Commune[]> | undefined;
function communes(): Map<string, Commune[]> {
  if (!communesByProvince) {
    const file = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'communes-2025.json'), 'utf8')) as { communes: Commune[] };
    communesByProvince = new Map();
    for (const c of file.communes) communesByProvince.set(c.provinceCode, [...(communesByProvince.get(c.provinceCode) ?? []), c]);
  }
  return communesByProvince;
}

function residenceIn(provinceCode: string, key: number): Residence | null {
  const list = communes().get(provinceCode);
  if (!list?.length) return null;
  const c = list[key % list.length]!;
  return { provinceCode, communeCode: c.code, address: `Số ${1 + (key % 200)}, ${c.name}` };
}

/** Another tone on the first toned vowel (or a tone where there was none): the accent slips people make. */
export function changeAccent(name: string): string {
  const swap: Record<string, string> = { '\u0301': '\u0300', '\u0300': '\u0301', '\u0303': '\u0309', '\u0309': '\u0303', '\u0323': '\u0301' };
  const words = name.normalize('NFD').split(' ');
  // the given name is the last word; change it first, as a clerk's slip usually touches the name called
  for (let w = words.length - 1; w >= 0; w--) {
    const word = words[w]!;
    const i = [...word].findIndex((ch) => swap[ch] !== undefined);
    if (i >= 0) {
      const chars = [...word];
      chars[i] = swap[chars[i]!]!;
      words[w] = chars.join('');
      return words.join(' ').normalize('NFC');
    }
  }
  const last = words[words.length - 1]!;
  const v = last.search(/[aeiouyAEIOUY]/);
  words[words.length - 1] = v < 0 ? `${last}h` : `${last.slice(0, v + 1)}\u0301${last.slice(v + 1)}`;
  return words.join(' ').normalize('NFC');
}

export function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function truthOf(school: { personalNumber: string; fullName: string; dateOfBirth: string; gender: 'M' | 'F' }, planted: Planted, key: number, provinceCode: string, origin: Citizen['origin']): Citizen {
  const residence = residenceIn(provinceCode, key);
  return {
    personalNumber: school.personalNumber,
    fullName: planted === 'name_accent' ? changeAccent(school.fullName) : school.fullName.normalize('NFC'),
    dateOfBirth: planted === 'birth_date' ? shiftDay(school.dateOfBirth, key % 2 === 0 ? 1 : -1) : school.dateOfBirth,
    gender: school.gender,
    // most are Kinh (01); the rest spread over the other groups
    ethnicityCode: key % 100 < 86 ? '01' : String(2 + (key % 53)).padStart(2, '0'),
    permanentResidence: residence,
    currentResidence: key % 5 === 0 ? residenceIn(provinceCode, key >>> 3) : residence,
    origin,
    planted,
    schoolRecord: origin === 'free' ? null : { fullName: school.fullName, dateOfBirth: school.dateOfBirth },
  };
}

/** Free candidates the app has never heard of: they come through VNeID and register at a free point. */
const FREE: ReadonlyArray<readonly [name: string, gender: 'M' | 'F', dob: string, prefix: string]> = [
  ['Đinh Thị Hoa', 'F', '2006-05-19', '001'],
  ['Mai Văn Hùng', 'M', '2005-11-02', '001'],
  ['Tạ Minh Châu', 'F', '2007-02-27', '001'],
  ['Hồ Quốc Bảo', 'M', '2004-09-08', '079'],
  ['Châu Ngọc Ánh', 'F', '2006-12-31', '079'],
  ['Lò Văn Sơn', 'M', '2003-07-15', '014'],
];

export function freePersonalNumber(i: number): string {
  const [, gender, dob, prefix] = FREE[i]!;
  const year = Number(dob.slice(0, 4));
  const g = (year < 2000 ? 0 : 2) + (gender === 'M' ? 0 : 1);
  return `${prefix}${g}${dob.slice(2, 4)}${String(900001 + i).padStart(6, '0')}`;
}

/** The demo class's planted differences: fixed, so the demo shows each case on a known person. */
const DEMO_PLANTED: Record<number, Planted> = { 1: 'birth_date', 2: 'name_accent', 3: 'unknown' };

export function demoCitizens(): Citizen[] {
  const out: Citizen[] = [];
  DEMO_CLASS.forEach(([fullName, gender, dateOfBirth], i) => {
    const personalNumber = demoPersonalNumber(i);
    out.push(truthOf({ personalNumber, fullName, dateOfBirth, gender }, DEMO_PLANTED[i] ?? 'none', hash32('demo', personalNumber), '01', 'demo_class'));
  });
  FREE.forEach(([fullName, gender, dateOfBirth, prefix], i) => {
    const personalNumber = freePersonalNumber(i);
    const province = prefix === '079' ? '79' : prefix === '014' ? '14' : '01';
    out.push(truthOf({ personalNumber, fullName, dateOfBirth, gender }, 'none', hash32('free', personalNumber), province, 'free'));
  });
  return out;
}

/** The planted difference for a seeded person: `share` of them, split evenly in three kinds. */
export function plantedFor(seed: number, personalNumber: string, share: number): Planted {
  const u = hash32(seed, 'planted', personalNumber) / 2 ** 32;
  if (u >= share) return 'none';
  const third = share / 3;
  return u < third ? 'name_accent' : u < 2 * third ? 'birth_date' : 'unknown';
}

/** The seeded country's people (see src/server/seed/generate.ts), with the planted differences. */
export function* countryCitizens(opts: { candidates: number; seed: number; year: number; mismatchShare: number }): Generator<Citizen> {
  const plan = planCountry({ candidates: opts.candidates, seed: opts.seed, year: opts.year });
  const provinceOfDepartment = new Map<string, string>();
  const provinces = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'provinces-2025.json'), 'utf8')) as {
    provinces: Array<{ statsCode: string; formerProvinces: Array<{ examCode: string }> }>;
  };
  for (const p of provinces.provinces) for (const f of p.formerProvinces) provinceOfDepartment.set(f.examCode, p.statsCode);
  for (const row of generateCandidates(plan)) {
    const c = row.candidate;
    const key = hash32(opts.seed, 'citizen', c.id_number);
    yield truthOf(
      { personalNumber: c.id_number, fullName: c.full_name, dateOfBirth: c.date_of_birth, gender: c.gender },
      plantedFor(opts.seed, c.id_number, opts.mismatchShare),
      key,
      provinceOfDepartment.get(c.department_code) ?? '01',
      'country',
    );
  }
}

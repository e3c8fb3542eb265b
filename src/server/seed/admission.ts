// The synthetic admission season (issue 23), as pure data beside the exam season it follows: institutions
// (org units of kind 'institution'), their published programmes, and for a share of the year's seeded
// candidates a ranked wish list. Like generate.ts: no clock (timestamps fixed per year), no I/O; the plan
// holds only the institutions and programmes (a few thousand rows); the wishes are generated as a stream,
// candidate after candidate, so millions of them never sit in memory. Which exam candidates file wishes is
// decided by selection sampling over the exam plan's candidate numbers, so neither pass reads the database.
import type { AdmissionFeeStatus, AdmissionProgrammeTable, AdmissionWishListTable, AdmissionWishTable, ExamMarkTable, OrgUnitTable } from '../db/schema.ts';
import { searchKey } from '../../domain/admission-wishes.ts';
import { AliasTable, Rng, apportion } from './prng.ts';
import { idFor, type CountryPlan } from './generate.ts';

/** 2025: 849,544 of the 1,165,289 registered candidates filed wishes. */
export const ADMISSION_SHARE = 849_544 / 1_165_289;
/** 2025: 500+ institutions and 4,000+ programmes for 849,544 candidates; a smaller season keeps the ratios. */
export const FULL_CANDIDATES = 849_544;
export const FULL_INSTITUTIONS = 500;
export const FULL_PROGRAMMES = 4_100;

export interface AdmissionSeedOptions {
  /** candidates filing wishes (at most the exam season's) */
  candidates: number;
  /** default: 500 scaled to the candidates, at least 3 */
  institutions?: number;
  /** default: 4,100 scaled to the candidates, at least 4 per institution */
  programmes?: number;
  /** share of the filing candidates who pay their wishes' fees (all of them), 0..1; default PAID_SHARE */
  paidShare?: number;
  /** write the candidates' published exam marks (default true) */
  marks?: boolean;
}

/**
 * Share of the filing candidates who pay (every wish of theirs) by the groups' deadlines. Not published for
 * 2025; the ministry reported that most of those who filed paid and a few percent did not, so 95 %.
 */
export const PAID_SHARE = 0.95;

/** The year's admission rules the wishes obey (read from the year's configuration). */
export interface AdmissionSeedRules {
  /** most wishes a candidate files; null: unlimited (a long tail is drawn) */
  wishCap: number | null;
  /** teacher-training programmes only at positions 1..this; null: anywhere */
  teacherTrainingMaxPosition: number | null;
}

/** A wish as written: its fee state given, not left to the column's default. */
export type WishRow = Omit<AdmissionWishTable, 'fee_status'> & { fee_status: AdmissionFeeStatus };

export interface AdmissionPlan {
  candidates: number;
  paidShare: number;
  institutions: OrgUnitTable[];
  programmes: AdmissionProgrammeTable[];
  timestamp: string;
}

// A programme code from the national list (Circular 09/2022) with its usual name and combinations.
type Field = 'tech' | 'econ' | 'teach' | 'health' | 'agri' | 'social' | 'lang' | 'law';
const CODES: ReadonlyArray<[code: string, name: string, combos: string[], field: Field]> = [
  ['7480201', 'Công nghệ thông tin', ['A00', 'A01', 'D07', 'D01'], 'tech'],
  ['7480101', 'Khoa học máy tính', ['A00', 'A01', 'D07'], 'tech'],
  ['7480103', 'Kỹ thuật phần mềm', ['A00', 'A01', 'D07'], 'tech'],
  ['7520201', 'Kỹ thuật điện', ['A00', 'A01'], 'tech'],
  ['7520207', 'Kỹ thuật điện tử - viễn thông', ['A00', 'A01'], 'tech'],
  ['7520103', 'Kỹ thuật cơ khí', ['A00', 'A01'], 'tech'],
  ['7580201', 'Kỹ thuật xây dựng', ['A00', 'A01', 'D07'], 'tech'],
  ['7510205', 'Công nghệ kỹ thuật ô tô', ['A00', 'A01'], 'tech'],
  ['7520216', 'Kỹ thuật điều khiển và tự động hóa', ['A00', 'A01'], 'tech'],
  ['7340101', 'Quản trị kinh doanh', ['A00', 'A01', 'D01', 'C01'], 'econ'],
  ['7340201', 'Tài chính - Ngân hàng', ['A00', 'A01', 'D01'], 'econ'],
  ['7340301', 'Kế toán', ['A00', 'A01', 'D01'], 'econ'],
  ['7310101', 'Kinh tế', ['A00', 'A01', 'D01'], 'econ'],
  ['7340115', 'Marketing', ['A00', 'A01', 'D01'], 'econ'],
  ['7810103', 'Quản trị dịch vụ du lịch và lữ hành', ['A00', 'C00', 'D01'], 'econ'],
  ['7510605', 'Logistics và quản lý chuỗi cung ứng', ['A00', 'A01', 'D01'], 'econ'],
  ['7140201', 'Giáo dục Mầm non', ['C00', 'D01', 'C19'], 'teach'],
  ['7140202', 'Giáo dục Tiểu học', ['A00', 'C00', 'D01'], 'teach'],
  ['7140209', 'Sư phạm Toán học', ['A00', 'A01'], 'teach'],
  ['7140211', 'Sư phạm Vật lý', ['A00', 'A01'], 'teach'],
  ['7140212', 'Sư phạm Hóa học', ['A00', 'B00', 'D07'], 'teach'],
  ['7140217', 'Sư phạm Ngữ văn', ['C00', 'D01'], 'teach'],
  ['7140218', 'Sư phạm Lịch sử', ['C00', 'C19'], 'teach'],
  ['7140231', 'Sư phạm Tiếng Anh', ['D01'], 'teach'],
  ['7720101', 'Y khoa', ['B00', 'A00'], 'health'],
  ['7720301', 'Điều dưỡng', ['B00', 'A00', 'D07'], 'health'],
  ['7720201', 'Dược học', ['A00', 'B00'], 'health'],
  ['7720501', 'Răng - Hàm - Mặt', ['B00'], 'health'],
  ['7720601', 'Kỹ thuật xét nghiệm y học', ['B00', 'A00'], 'health'],
  ['7620110', 'Khoa học cây trồng', ['A00', 'B00', 'D07'], 'agri'],
  ['7620105', 'Chăn nuôi', ['A00', 'B00'], 'agri'],
  ['7640101', 'Thú y', ['A00', 'B00'], 'agri'],
  ['7850101', 'Quản lý tài nguyên và môi trường', ['A00', 'B00', 'D01'], 'agri'],
  ['7540101', 'Công nghệ thực phẩm', ['A00', 'B00', 'D07'], 'agri'],
  ['7310401', 'Tâm lý học', ['B00', 'C00', 'D01'], 'social'],
  ['7320101', 'Báo chí', ['C00', 'D01', 'C19'], 'social'],
  ['7229030', 'Văn học', ['C00', 'D01'], 'social'],
  ['7310630', 'Việt Nam học', ['C00', 'D01'], 'social'],
  ['7760101', 'Công tác xã hội', ['C00', 'D01'], 'social'],
  ['7220201', 'Ngôn ngữ Anh', ['D01', 'A01'], 'lang'],
  ['7220204', 'Ngôn ngữ Trung Quốc', ['D01', 'D04'], 'lang'],
  ['7220209', 'Ngôn ngữ Nhật', ['D01', 'D06'], 'lang'],
  ['7220210', 'Ngôn ngữ Hàn Quốc', ['D01', 'DD2'], 'lang'],
  ['7380101', 'Luật', ['A00', 'C00', 'D01'], 'law'],
  ['7380107', 'Luật kinh tế', ['A00', 'C00', 'D01'], 'law'],
];
const FIELD_NAMES: Record<Field, string[]> = {
  tech: ['Bách khoa', 'Công nghệ', 'Công nghiệp', 'Kỹ thuật', 'Giao thông Vận tải', 'Xây dựng'],
  econ: ['Kinh tế', 'Thương mại', 'Tài chính - Marketing', 'Ngân hàng', 'Kinh tế - Kỹ thuật'],
  teach: ['Sư phạm', 'Sư phạm Kỹ thuật', 'Giáo dục'],
  health: ['Y Dược', 'Y khoa', 'Điều dưỡng'],
  agri: ['Nông Lâm', 'Nông nghiệp', 'Tài nguyên và Môi trường'],
  social: ['Khoa học Xã hội và Nhân văn', 'Văn hóa', 'Khoa học'],
  lang: ['Ngoại ngữ', 'Hà Nội - Ngoại ngữ'],
  law: ['Luật'],
};
const FIELDS: ReadonlyArray<[Field, number]> = [['tech', 24], ['econ', 24], ['teach', 12], ['health', 10], ['agri', 8], ['social', 10], ['lang', 6], ['law', 6]];
/** admission methods: 100 exam results, 200 school transcript, 301 direct admission, 402 aptitude test */
const METHODS = ['100', '200', '402', '301'];
/** wishes per candidate 1..15 under the 2026 cap: mean ≈ 8.96 (2025: 7,615,560 / 849,544), many filling the cap */
export const WISH_COUNT_WEIGHTS = [5, 5, 5, 6, 6, 7, 7, 7, 7, 6, 6, 5, 5, 5, 20];

/** Candidates filing wishes by default: the 2025 share of the exam's, at most the 2025 figure. */
export function defaultAdmissionCandidates(examCandidates: number): number {
  return Math.min(FULL_CANDIDATES, Math.round(examCandidates * ADMISSION_SHARE));
}

export function scaledInstitutions(candidates: number): number {
  return Math.max(3, Math.min(FULL_INSTITUTIONS * 4, Math.round((candidates * FULL_INSTITUTIONS) / FULL_CANDIDATES)));
}
export function scaledProgrammes(candidates: number, institutions: number): number {
  return Math.max(4 * institutions, Math.round((candidates * FULL_PROGRAMMES) / FULL_CANDIDATES));
}

export function admissionTimestamp(year: number): string {
  return `${year}-07-02T01:00:00.000Z`;
}

/** The 2026 rules (Circular 06/2026) with the year's dates: wishes 2–14 Jul 17:00, fees in 7 province groups. */
export function seedAdmissionConfig(year: number, departments: CountryPlan['departments']): Record<string, unknown> {
  const sizes = apportion(departments.length, [1, 1, 1, 1, 1, 1, 1]);
  const groups: Array<Record<string, unknown>> = [];
  let at = 0;
  sizes.forEach((n, g) => {
    const day = 15 + Math.floor(g / 2);
    const d = String(day).padStart(2, '0');
    groups.push({
      code: `N${g + 1}`,
      name: `Nhóm ${g + 1}`,
      provinceCodes: departments.slice(at, at + n).map((x) => x.code),
      opensAt: `${year}-07-${d}T00:00:00+07:00`,
      closesAt: `${year}-07-${String(day + 2).padStart(2, '0')}T17:00:00+07:00`,
    });
    at += n;
  });
  return {
    wishCap: 15,
    teacherTrainingMaxPosition: 5,
    combinationFloor: 15,
    window: { opensAt: `${year}-07-02T00:00:00+07:00`, closesAt: `${year}-07-14T17:00:00+07:00` },
    feePerWishVnd: 15000,
    paymentGroups: groups,
    enrolmentDeadline: `${year}-08-30T17:00:00+07:00`,
  };
}

export function planAdmission(country: CountryPlan, opts: AdmissionSeedOptions): AdmissionPlan {
  const { seed, year } = country.options;
  const examCandidates = country.departments.reduce((s, d) => s + d.candidates, 0);
  const candidates = Math.min(opts.candidates, examCandidates);
  const nInst = opts.institutions ?? scaledInstitutions(candidates);
  const nProg = Math.max(nInst, opts.programmes ?? scaledProgrammes(candidates, nInst));
  const ts = admissionTimestamp(year);
  const rng = Rng.stream(seed, 'admission', 'institutions');
  // seats: the big cities hold most institutions (Hà Nội 01 and TP. Hồ Chí Minh 02 as exam departments)
  const seats = new AliasTable(country.departments.map((d) => [d, d.code === '01' || d.code === '02' ? d.candidates * 6 : d.candidates + 1] as const));
  const fields = new AliasTable(FIELDS);
  const institutions: Array<OrgUnitTable & { field: Field; weight: number }> = [];
  for (let i = 0; i < nInst; i++) {
    const college = rng.chance(0.3);
    const code = `${college ? 'C' : 'D'}${String(i + 1).padStart(3, '0')}`;
    const seat = seats.pick(rng);
    // the second is always a teacher-training school, so that even a small season has the rule to obey
    const field = i === 1 ? 'teach' : fields.pick(rng);
    const label = FIELD_NAMES[field][rng.int(FIELD_NAMES[field].length)]!;
    institutions.push({
      id: `org-${code}`,
      kind: 'institution',
      code,
      name: `Trường ${college ? 'Cao đẳng' : 'Đại học'} ${label} ${seat.name}`,
      parent_id: 'org-BGD',
      department_code: seat.code,
      point_kind: null,
      address: null,
      active: 1,
      created_at: ts,
      updated_at: ts,
      field,
      weight: college ? 0.4 + 0.6 * rng.float() : 0.6 + 2.4 * rng.float(),
    });
  }
  const perInst = apportion(nProg, institutions.map((x) => x.weight));
  const programmes: AdmissionProgrammeTable[] = [];
  institutions.forEach((inst, ii) => {
    const prng = Rng.stream(seed, 'admission', 'programmes', inst.code);
    // its own field's codes first, then the others; each code with one method, then a second, …
    const own = prng.shuffle(CODES.filter((c) => c[3] === inst.field));
    const other = prng.shuffle(CODES.filter((c) => c[3] !== inst.field && c[3] !== 'teach'));
    const codes = [...own, ...other];
    const want = Math.max(1, perInst[ii] ?? 1);
    for (let k = 0; k < want && k < codes.length * METHODS.length; k++) {
      const [code, name, combos, field] = codes[k % codes.length]!;
      const method = METHODS[Math.floor(k / codes.length)]!;
      const n = 1 + prng.int(combos.length);
      const chosen = combos.slice(0, n);
      const college = inst.code.startsWith('C');
      programmes.push({
        id: `${inst.code}-${code}-${method}`,
        exam_year: year,
        institution_id: inst.id,
        institution_code: inst.code,
        code,
        method,
        name,
        search_name: searchKey(name),
        combinations: JSON.stringify(chosen.map((c) => ({ code: c }))),
        scoring: 'sum',
        quota: (college ? 20 : 40) + 10 * prng.int(college ? 10 : 40),
        // the floor in quarter points: 15.00 to 27.00 (teacher training and medicine above the rest)
        min_score_centi: method === '301' ? null : 1500 + 25 * prng.int(field === 'teach' || field === 'health' ? 49 : 33),
        teacher_training: field === 'teach' ? 1 : 0,
        tie_policy: JSON.stringify(prng.chance(0.7) ? { kind: 'admit-all-tied' } : { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }] }),
        status: 'published',
        import_id: null,
        created_at: ts,
        updated_at: ts,
        published_at: ts,
        published_by: null,
      });
    }
  });
  const paidShare = opts.paidShare ?? PAID_SHARE;
  if (!(paidShare >= 0 && paidShare <= 1)) throw new RangeError('paidShare must be between 0 and 1');
  return { candidates, paidShare, institutions: institutions.map(({ field: _f, weight: _w, ...u }) => u), programmes, timestamp: ts };
}

/** The exam candidates (by their number n in the exam plan) who file wishes, with their department. */
function* selectedCandidates(country: CountryPlan, k: number): Generator<{ n: number; department: string }> {
  const total = country.departments.reduce((s, d) => s + d.candidates, 0);
  const rng = Rng.stream(country.options.seed, 'admission', 'select');
  let chosen = 0;
  let n = 0;
  for (const d of country.departments) {
    for (const p of d.points) {
      for (let i = 0; i < p.current + p.free; i++) {
        n += 1;
        // selection sampling (Knuth's algorithm S): exactly k of the total, in order, one draw each
        if (rng.float() * (total - n + 1) < k - chosen) {
          chosen += 1;
          yield { n, department: d.code };
        }
      }
    }
  }
}

/** One wish list row per filing candidate. */
export function* generateWishLists(country: CountryPlan, plan: AdmissionPlan): Generator<AdmissionWishListTable> {
  for (const c of selectedCandidates(country, plan.candidates)) {
    yield { exam_year: country.options.year, candidate_id: idFor('c', country.options.year, c.n), version: 1, updated_at: plan.timestamp, frozen_at: null };
  }
}

/**
 * The wishes, candidate by candidate, positions 1..n: how many from the weights above (cut at the cap, a
 * long tail when there is none); which programmes by popularity (quota), four in ten near home when the
 * candidate's province has institutions; a teacher-training programme never beyond the year's positions
 * (the save would refuse it). Fees: the season after the payment groups closed, a candidate paying all
 * their wishes or none (plan.paidShare of them pay; 0: the season as the wish window closes).
 */
export function* generateWishes(country: CountryPlan, plan: AdmissionPlan, rules: AdmissionSeedRules): Generator<WishRow> {
  for (const c of candidateWishes(country, plan, rules)) yield* c.wishes;
}

/** One filing candidate's wishes, with the exam department they sat in. */
export interface CandidateWishes {
  candidateId: string;
  department: string;
  wishes: WishRow[];
}

function* candidateWishes(country: CountryPlan, plan: AdmissionPlan, rules: AdmissionSeedRules): Generator<CandidateWishes> {
  const { seed, year } = country.options;
  const P = plan.programmes.length;
  if (P === 0) return;
  const progs = plan.programmes;
  const pop = Rng.stream(seed, 'admission', 'popularity');
  const national = new AliasTable(progs.map((p, i) => [i, p.quota * (0.3 + pop.float())] as const));
  const localBy = new Map<string, AliasTable<number> | null>();
  const seatOf = new Map(plan.institutions.map((u) => [u.id, u.department_code]));
  const local = (dep: string): AliasTable<number> | null => {
    let t = localBy.get(dep);
    if (t === undefined) {
      const here = progs.flatMap((p, i) => (seatOf.get(p.institution_id) === dep ? [[i, p.quota] as const] : []));
      t = here.length >= 3 ? new AliasTable(here) : null;
      localBy.set(dep, t);
    }
    return t;
  };
  const counts = new AliasTable(WISH_COUNT_WEIGHTS.map((w, i) => [i + 1, w] as const));
  const tt = rules.teacherTrainingMaxPosition;
  const combosOf = progs.map((p) => (JSON.parse(p.combinations) as Array<{ code: string }>).map((x) => x.code));
  const picked: number[] = [];
  // who pays, and when, from a stream of their own: the wishes do not change with the share
  const fees = Rng.stream(seed, 'admission', 'fees');
  const paidFrom = Date.parse(`${year}-07-15T01:00:00.000Z`);
  let rng: Rng | null = null;
  let rngDep = '';
  for (const c of selectedCandidates(country, plan.candidates)) {
    if (c.department !== rngDep) {
      rng = Rng.stream(seed, 'admission', 'wishes', c.department);
      rngDep = c.department;
    }
    const r = rng!;
    let n = counts.pick(r);
    if (rules.wishCap === null && n === WISH_COUNT_WEIGHTS.length && r.chance(0.2)) n += 1 + r.int(25);
    n = Math.min(n, rules.wishCap ?? Infinity, P);
    const home = local(c.department);
    picked.length = 0;
    for (let pos = 1; pos <= n; pos++) {
      let found = -1;
      for (let attempt = 0; attempt < 30 && found < 0; attempt++) {
        const i = home && r.chance(0.4) ? home.pick(r) : national.index(r);
        if (picked.includes(i)) continue;
        if (tt !== null && pos > tt && progs[i]!.teacher_training === 1) continue;
        found = i;
      }
      if (found < 0) {
        // a tiny catalogue: the first programme still free, in catalogue order
        found = progs.findIndex((p, i) => !picked.includes(i) && !(tt !== null && pos > tt && p.teacher_training === 1));
        if (found < 0) break;
      }
      picked.push(found);
    }
    const cid = idFor('c', year, c.n);
    const pays = fees.float() < plan.paidShare;
    // within the seven groups' days (15–18 July), to the second
    const paidAt = new Date(paidFrom + fees.int(4 * 86_400) * 1000).toISOString();
    const wishes: WishRow[] = [];
    for (let k = 0; k < picked.length; k++) {
      const p = progs[picked[k]!]!;
      const combos = combosOf[picked[k]!]!;
      wishes.push({
        id: `w-${cid.slice(2)}-${String(k + 1).padStart(2, '0')}`,
        exam_year: year,
        candidate_id: cid,
        position: k + 1,
        programme_id: p.id,
        combination: combos[r.int(combos.length)]!,
        fee_status: pays ? 'paid' : 'unpaid',
        // no payment order behind a seeded payment: the gateway never saw it
        paid_at: pays ? paidAt : null,
        payment_id: null,
        created_at: plan.timestamp,
        updated_at: pays ? paidAt : plan.timestamp,
      });
    }
    yield { candidateId: cid, department: c.department, wishes };
  }
}

/** The papers of the combinations the seed's programmes name (reference/combinations.json; a test compares). */
export const COMBINATION_PAPERS: Readonly<Record<string, readonly string[]>> = {
  A00: ['TOAN', 'LI', 'HOA'],
  A01: ['TOAN', 'LI', 'NN'],
  B00: ['TOAN', 'HOA', 'SINH'],
  C00: ['VAN', 'SU', 'DIA'],
  C01: ['VAN', 'TOAN', 'LI'],
  C19: ['VAN', 'SU', 'GDCD'],
  D01: ['VAN', 'TOAN', 'NN'],
  D04: ['VAN', 'TOAN', 'NN'],
  D06: ['VAN', 'TOAN', 'NN'],
  D07: ['TOAN', 'HOA', 'NN'],
  DD2: ['VAN', 'TOAN', 'NN'],
};

/**
 * Mean and spread of each paper out of 10, near the national figures of recent years (2024–2025 means
 * mostly 6–7; mathematics and the foreign language lower). A candidate's marks share an ability, so a
 * strong candidate is strong in most papers (correlation about 0.55 between two papers).
 */
export const MARK_DISTRIBUTION: Readonly<Record<string, { mean: number; sd: number }>> = {
  TOAN: { mean: 6.0, sd: 1.5 },
  VAN: { mean: 7.0, sd: 1.2 },
  NN: { mean: 5.6, sd: 1.7 },
  LI: { mean: 6.8, sd: 1.4 },
  HOA: { mean: 6.1, sd: 1.5 },
  SINH: { mean: 5.8, sd: 1.3 },
  SU: { mean: 6.5, sd: 1.4 },
  DIA: { mean: 6.6, sd: 1.3 },
  GDCD: { mean: 7.6, sd: 1.1 },
};
const ABILITY_WEIGHT = 0.74;

/** A published mark as written (version 1: the council's first publication, which the seed stands for). */
export type MarkRow = Omit<ExamMarkTable, 'sanction'>;

/** What the mark stream counted on its way: per department, the papers and rows, for its publication row. */
export interface MarkTally {
  byDepartment: Map<string, { subjects: Set<string>; rows: number; candidates: number }>;
}

function normal(r: Rng): number {
  // Box–Muller, two draws a value (the second half is dropped: simpler to keep the stream fixed)
  const u = 1 - r.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.float());
}

/**
 * Each filing candidate's published marks: mathematics and literature (every candidate sits them) and the
 * papers of the combinations their wishes name, each from MARK_DISTRIBUTION around the candidate's ability,
 * in quarter points from 0 to 10. (A candidate of 2025 sat four papers; the seeded lists name combinations
 * freely, so a candidate here may have a mark for up to nine, and every wish can be scored.) The language
 * combinations also need the language sat, which the run reads from the dossier: the seed writes none, so
 * only the other combinations of a programme score (see the seed's note in README).
 */
export function* generateMarks(country: CountryPlan, plan: AdmissionPlan, rules: AdmissionSeedRules, tally?: MarkTally): Generator<MarkRow> {
  const { seed, year } = country.options;
  const at = `${year}-07-01T10:00:00.000Z`;
  let rng: Rng | null = null;
  let rngDep = '';
  const papers = new Set<string>();
  for (const c of candidateWishes(country, plan, rules)) {
    if (c.department !== rngDep) {
      rng = Rng.stream(seed, 'admission', 'marks', c.department);
      rngDep = c.department;
    }
    const r = rng!;
    papers.clear();
    papers.add('TOAN');
    papers.add('VAN');
    for (const w of c.wishes) for (const s of COMBINATION_PAPERS[w.combination] ?? []) papers.add(s);
    const ability = normal(r);
    let t = tally?.byDepartment.get(c.department);
    if (tally && !t) tally.byDepartment.set(c.department, (t = { subjects: new Set(), rows: 0, candidates: 0 }));
    if (t) t.candidates += 1;
    // in a fixed order, so the draws do not depend on the order the wishes named the papers
    for (const subject of Object.keys(MARK_DISTRIBUTION)) {
      if (!papers.has(subject)) continue;
      const d = MARK_DISTRIBUTION[subject]!;
      const z = ABILITY_WEIGHT * ability + Math.sqrt(1 - ABILITY_WEIGHT ** 2) * normal(r);
      const mark = Math.min(10, Math.max(0, Math.round((d.mean + d.sd * z) * 4) / 4));
      if (t) {
        t.subjects.add(subject);
        t.rows += 1;
      }
      yield { exam_year: year, candidate_id: c.candidateId, subject, department_code: c.department, kind: 'score', score_centi: Math.round(mark * 100), version: 1, updated_at: at };
    }
  }
}

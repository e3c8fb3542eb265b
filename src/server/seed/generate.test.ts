import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldDiacritics, normaliseName, splitName } from '../../domain/names.ts';
import { crossCheckCccd, parseCccd } from '../../domain/cccd.ts';
import { AliasTable, Rng, apportion, permute6 } from './prng.ts';
import { FREE_SHARE, generateCandidates, loadSeedReference, planCountry, plannedCandidates, type SeedRow } from './generate.ts';
import { FAMILY_NORTH, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE, parseWeighted } from './names.ts';

const ref = loadSeedReference();
const knownPrefixes = [...ref.prefixByProvince.values()];

function take(n: number, seed: number, candidates = 20_000, year = 2025): SeedRow[] {
  const out: SeedRow[] = [];
  for (const r of generateCandidates(planCountry({ candidates, seed, year }, ref))) {
    out.push(r);
    if (out.length === n) break;
  }
  return out;
}

test('same seed gives the same rows, another seed other rows', () => {
  const a = take(200, 7);
  const b = take(200, 7);
  assert.deepEqual(a, b);
  const c = take(200, 8);
  assert.notDeepEqual(
    a.map((r) => r.candidate.id_number),
    c.map((r) => r.candidate.id_number),
  );
  assert.notDeepEqual(
    a.map((r) => r.candidate.full_name),
    c.map((r) => r.candidate.full_name),
  );
  // ids are a counter, so they agree across seeds; structure too
  assert.equal(a[0]!.candidate.id, 'c-2025-000001');
  assert.equal(a[0]!.user.id, 'u-2025-000001');
  assert.deepEqual(planCountry({ candidates: 5000, seed: 3, year: 2025 }, ref), planCountry({ candidates: 5000, seed: 3, year: 2025 }, ref));
});

test('the CCCD agrees with gender, birth year and birth province, and is unique', () => {
  const rows = take(Infinity, 11, 60_000);
  assert.equal(rows.length, 60_000);
  const seen = new Set<string>();
  for (const { candidate: c, user: u } of rows) {
    assert.match(c.id_number, /^\d{12}$/);
    assert.equal(u.username, c.id_number);
    const p = parseCccd(c.id_number, knownPrefixes);
    assert.ok(p.ok, `${c.id_number} should parse`);
    if (!p.ok) continue;
    const findings = crossCheckCccd(p.value, {
      gender: c.gender === 'M' ? 'male' : 'female',
      dateOfBirth: c.date_of_birth,
      // the birth province is today's (2025) province, which covers every old prefix it absorbed
      birthProvincePrefixes: [...ref.birthProvinceByPrefix].filter(([, code]) => code === c.birth_province).map(([prefix]) => prefix),
    });
    assert.equal(ref.birthProvinceByPrefix.get(c.id_number.slice(0, 3)), c.birth_province);
    assert.deepEqual(findings, [], `${c.id_number} ${c.gender} ${c.date_of_birth} ${c.birth_province}`);
    assert.ok(!seen.has(c.id_number), `duplicate CCCD ${c.id_number}`);
    seen.add(c.id_number);
    assert.ok(!Number.isNaN(Date.parse(`${c.date_of_birth}T00:00:00Z`)) && new Date(`${c.date_of_birth}T00:00:00Z`).toISOString().startsWith(c.date_of_birth));
  }
  // ~90% born in the department's own province (department 65 has none)
  const own = rows.filter((r) => {
    const d = ref.departments.find((x) => x.code === r.candidate.department_code)!;
    return ref.prefixByProvince.get(d.name) === r.candidate.id_number.slice(0, 3);
  }).length;
  assert.ok(own / rows.length > 0.86 && own / rows.length < 0.95, `own-province share ${own / rows.length}`);
  // current 12th-graders are mostly born 18 years before the exam; free candidates older; a few pre-2000
  const current = rows.filter((r) => r.candidate.candidate_type === 'current');
  const born2007 = current.filter((r) => r.candidate.date_of_birth.startsWith('2007-')).length;
  assert.ok(born2007 / current.length > 0.94, `born 2007: ${born2007 / current.length}`);
  const free = rows.filter((r) => r.candidate.candidate_type === 'free');
  assert.ok(free.every((r) => r.candidate.date_of_birth < '2007-01-01'));
  assert.ok(free.some((r) => r.candidate.id_number[3] === '0' || r.candidate.id_number[3] === '1'), 'some free candidates born in the 1900s');
});

test('names: realistic family-name shares, middle names by gender, NFC, folded like the app folds', () => {
  const rows = take(20_000, 5);
  const share = (family: string): number => rows.filter((r) => r.candidate.family_name === family).length / rows.length;
  assert.ok(share('NGUYỄN') > 0.33 && share('NGUYỄN') < 0.43, `Nguyễn ${share('NGUYỄN')}`);
  assert.ok(share('TRẦN') > 0.08 && share('TRẦN') < 0.14, `Trần ${share('TRẦN')}`);
  assert.ok(share('LÊ') > 0.07 && share('LÊ') < 0.12, `Lê ${share('LÊ')}`);
  assert.ok(share('PHẠM') > 0.05 && share('PHẠM') < 0.09, `Phạm ${share('PHẠM')}`);
  assert.ok(share('HOÀNG') + share('HUỲNH') > 0.035 && share('HOÀNG') + share('HUỲNH') < 0.07);
  const men = rows.filter((r) => r.candidate.gender === 'M');
  const women = rows.filter((r) => r.candidate.gender === 'F');
  assert.ok(men.length / rows.length > 0.43 && men.length / rows.length < 0.51);
  assert.ok(!men.some((r) => r.candidate.middle_name.split(' ').includes('THỊ')), 'no boy is "Thị"');
  assert.ok(!women.some((r) => r.candidate.middle_name === 'VĂN'), 'no girl is "Văn"');
  assert.ok(women.filter((r) => r.candidate.middle_name === 'THỊ').length / women.length > 0.1);
  assert.ok(new Set(rows.map((r) => r.candidate.given_name)).size > 150, 'a few hundred given names');
  for (const { candidate: c, user: u } of rows.slice(0, 5000)) {
    assert.equal(c.full_name, normaliseName(c.full_name));
    assert.equal(c.full_name, c.full_name.normalize('NFC'));
    assert.deepEqual(splitName(c.full_name), { family: c.family_name, middle: c.middle_name, given: c.given_name });
    assert.equal(c.name_folded, foldDiacritics(c.full_name));
    assert.equal(normaliseName(u.display_name), c.full_name);
    assert.match(c.name_folded, /^[a-z ]+$/);
  }
  // the south writes Huỳnh and Võ where the north writes Hoàng and Vũ
  const south = rows.filter((r) => ['02', '49', '50', '55'].includes(r.candidate.department_code));
  const north = rows.filter((r) => ['01', '03', '25', '26'].includes(r.candidate.department_code));
  const count = (xs: SeedRow[], f: string): number => xs.filter((r) => r.candidate.family_name === f).length;
  assert.ok(count(south, 'HUỲNH') > count(south, 'HOÀNG'));
  assert.ok(count(north, 'HOÀNG') > count(north, 'HUỲNH'));
});

test('department sizes follow the 2024 figures; points, free candidates and classes are plausible', () => {
  const total2024 = ref.total2024;
  const plan = planCountry({ candidates: total2024, seed: 1, year: 2025 }, ref);
  const size = (code: string): number => plan.departments.find((d) => d.code === code)!.candidates;
  assert.ok(Math.abs(size('01') - 109_078) <= 1, `Hà Nội ${size('01')}`);
  assert.ok(Math.abs(size('02') - 88_196) <= 1);
  assert.ok(Math.abs(size('28') - 38_677) <= 1);
  assert.ok(Math.abs(size('36') - 5_052) <= 1);
  assert.ok(Math.abs(size('07') - 4_211) <= 1);
  assert.ok(Math.abs(size('11') - 3_180) <= 1);
  assert.equal(plannedCandidates(plan), total2024);
  assert.ok(size('29') > size('30') && size('48') > size('45'), 'Nghệ An > Hà Tĩnh, Đồng Nai > Ninh Thuận');

  const big = planCountry({ candidates: 1_200_000, seed: 1, year: 2025 }, ref);
  assert.equal(plannedCandidates(big), 1_200_000);
  const share = (p: typeof big, code: string): number => p.departments.find((d) => d.code === code)!.candidates / p.options.candidates;
  assert.ok(Math.abs(share(big, '01') - 109_078 / total2024) < 1e-4);
  const points = big.orgUnits.filter((u) => u.kind === 'point');
  assert.ok(points.length > 2_300 && points.length <= 2_600, `${points.length} points`);
  assert.equal(big.orgUnits.filter((u) => u.kind === 'department').length, 64);
  for (const d of big.departments) {
    const free = d.points.filter((p) => p.kind === 'free');
    assert.ok(free.length >= 1 && free.length <= 3, `department ${d.code} has ${free.length} free points`);
    assert.ok(d.points.every((p) => /^\d{5}$/.test(p.code) && p.code.startsWith(d.code) && p.id === `org-${p.code}`));
  }
  assert.ok(points.filter((p) => p.name.startsWith('Trường THPT ')).length > 2_000);
  const freeCount = big.departments.reduce((s, d) => s + d.points.filter((p) => p.kind === 'free').reduce((t, p) => t + p.free, 0), 0);
  assert.ok(Math.abs(freeCount / 1_200_000 - FREE_SHARE) < 0.002);
  assert.equal(new Set(big.orgUnits.map((u) => u.code)).size, big.orgUnits.length, 'codes are unique');

  const rows = take(20_000, 2);
  const byType = rows.filter((r) => r.candidate.candidate_type === 'free');
  assert.ok(byType.every((r) => r.candidate.class_name === null && /9\d\d$/.test(r.candidate.point_id)));
  assert.ok(rows.filter((r) => r.candidate.candidate_type === 'current').every((r) => /^12[A-Z]\d*$/.test(r.candidate.class_name ?? '')));
  // the stream goes department by department and point by point, exactly as planned
  const small = planCountry({ candidates: 20_000, seed: 2, year: 2025 }, ref);
  const hn = rows.filter((r) => r.candidate.department_code === '01').length;
  assert.equal(hn, small.departments.find((d) => d.code === '01')!.candidates);
});

test('the exam year carries the 2025 windows', () => {
  const plan = planCountry({ candidates: 100, seed: 1, year: 2025 }, ref);
  const w = JSON.parse(plan.examYear.windows);
  assert.deepEqual(w.official, { from: '2025-04-21', to: '2025-04-28', closesAt: '17:00' });
  assert.deepEqual(w.correction, { from: '2025-04-28', opensAt: '17:00', to: '2025-05-09' });
  assert.equal(plan.examYear.scheme, 'CT2018');
  assert.equal(plan.examYear.status, 'published');
});

test('prng helpers: permutation is a bijection, apportion adds up, alias follows weights', () => {
  const seen = new Uint8Array(1_000_000);
  for (let i = 0; i < 1_000_000; i++) {
    const v = permute6(12345, i);
    assert.ok(v >= 0 && v < 1_000_000);
    if (seen[v]) assert.fail(`permute6 repeats ${v}`);
    seen[v] = 1;
  }
  assert.deepEqual(apportion(10, [1, 1, 1]), [4, 3, 3]);
  assert.equal(apportion(1_000_003, [3, 7, 11, 0.5]).reduce((s, x) => s + x, 0), 1_000_003);
  const t = new AliasTable([['a', 1], ['b', 3]] as const);
  const rng = new Rng(9);
  let b = 0;
  for (let i = 0; i < 40_000; i++) if (t.pick(rng) === 'b') b++;
  assert.ok(Math.abs(b / 40_000 - 0.75) < 0.01);
  assert.notEqual(new Rng(1).u32(), new Rng(2).u32());
});

test('name tables are NFC, without duplicates, one word for given names', () => {
  for (const table of [FAMILY_NORTH, MIDDLE_MALE, MIDDLE_FEMALE, GIVEN_MALE, GIVEN_FEMALE]) {
    const names = table.map(([n]) => n);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => n === n.normalize('NFC')));
  }
  assert.ok([...GIVEN_MALE, ...GIVEN_FEMALE].every(([n]) => !n.includes(' ')));
  assert.ok(GIVEN_MALE.length + GIVEN_FEMALE.length > 250);
  assert.deepEqual(parseWeighted('A:1 B_C:2 A:3'), [['A', 4], ['B C', 2]]);
  assert.throws(() => parseWeighted('A:x'));
});

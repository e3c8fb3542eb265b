import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaLookupFromTables, computePriorityArea, type GradePlace, type ResidenceHistory } from './priority-area.ts';

const lookup = areaLookupFromTables({
  communes: { '10:kv1a': 'KV1', '10:nt': 'KV2-NT', '01:city': 'KV3', '01:town': 'KV2' },
  schools: {
    '10:hg1': { area: 'KV1' },
    '10:nt1': { area: 'KV2-NT' },
    '01:hn1': { area: 'KV3' },
    '01:hn2': { area: 'KV2' },
    '10:dtnt': { area: 'KV2-NT', residenceBased: true },
  },
  disadvantagedCommunes: ['10:nt'],
});

const at = (schoolProvinceCode: string, schoolCode: string, provinceCode = '01', communeCode = 'city'): GradePlace => ({ provinceCode, communeCode, schoolProvinceCode, schoolCode });
const history = (g10: GradePlace, g11: GradePlace, g12: GradePlace, ticks: Partial<ResidenceHistory> = {}): ResidenceHistory => ({
  grade10: g10,
  grade11: g11,
  grade12: g12,
  kv1Over18Months: false,
  disadvantagedCommuneOver18Months: false,
  ...ticks,
});

test('the area where the candidate studied longest wins', () => {
  assert.equal(computePriorityArea(history(at('10', 'hg1'), at('10', 'hg1'), at('01', 'hn1')), lookup).area, 'KV1'); // 2 years KV1
  assert.equal(computePriorityArea(history(at('10', 'hg1'), at('01', 'hn1'), at('01', 'hn1')), lookup).area, 'KV3'); // 2 years KV3
  // two different schools in the same area add up
  assert.equal(computePriorityArea(history(at('01', 'hn1'), at('10', 'hg1'), at('01', 'hn1')), lookup).area, 'KV3');
});

test('on a tie (three different areas) the last school counts', () => {
  const r = computePriorityArea(history(at('10', 'hg1'), at('10', 'nt1'), at('01', 'hn2')), lookup);
  assert.equal(r.area, 'KV2');
  assert.equal(r.basis, 'school');
  assert.deepEqual(r.perGrade, { grade10: 'KV1', grade11: 'KV2-NT', grade12: 'KV2' });
});

test('a KV1 residence tick gives KV1 only when a declared commune is in KV1', () => {
  const h = history(at('01', 'hn1', '10', 'kv1a'), at('01', 'hn1'), at('01', 'hn1'), { kv1Over18Months: true });
  const r = computePriorityArea(h, lookup);
  assert.deepEqual([r.area, r.basis], ['KV1', 'residence']);
  const unsupported = computePriorityArea(history(at('01', 'hn1'), at('01', 'hn1'), at('01', 'hn1'), { kv1Over18Months: true }), lookup);
  assert.equal(unsupported.area, 'KV3');
  assert.deepEqual(unsupported.findings.map((f) => [f.code, f.severity, f.field]), [['AREA_TICK_UNSUPPORTED', 'warning', 'residence.kv1Over18Months']]);
});

test('an extremely-disadvantaged-commune tick gives KV1', () => {
  const h = history(at('01', 'hn1', '10', 'nt'), at('01', 'hn1'), at('01', 'hn1'), { disadvantagedCommuneOver18Months: true });
  assert.equal(computePriorityArea(h, lookup).area, 'KV1');
});

test('ethnic boarding school: the residence area counts for those years', () => {
  const r = computePriorityArea(history(at('10', 'dtnt', '10', 'kv1a'), at('10', 'dtnt', '10', 'kv1a'), at('01', 'hn1')), lookup);
  assert.equal(r.area, 'KV1');
});

test('unknown school: the stated area is used, otherwise an error on that grade', () => {
  const withArea = { ...at('99', 'gone'), area: 'KV2' as const };
  assert.equal(computePriorityArea(history(withArea, withArea, at('01', 'hn1')), lookup).area, 'KV2');
  const r = computePriorityArea(history(at('01', 'hn1'), at('99', 'gone'), at('01', 'hn1')), lookup);
  assert.equal(r.area, null);
  assert.deepEqual(r.findings.map((f) => [f.code, f.field]), [['AREA_SCHOOL_UNKNOWN', 'residence.grade11.schoolCode']]);
});

test('a department that has not imported its schools: no finding and no area, instead of an unknown school', () => {
  const t = areaLookupFromTables({ communes: {}, schools: { '01:001': { area: 'KV3' } } });
  const lookup = { ...t, knowsSchoolsOf: (p: string) => p === '01' };
  const place = (dep: string, school: string) => ({ provinceCode: '01', communeCode: '00004', schoolProvinceCode: dep, schoolCode: school });
  const r = computePriorityArea({ grade10: place('05', '010'), grade11: place('01', '001'), grade12: place('01', '001'), kv1Over18Months: false, disadvantagedCommuneOver18Months: false }, lookup);
  assert.deepEqual(r.findings, []);
  assert.equal(r.area, null);
  const unknown = computePriorityArea({ grade10: place('01', '999'), grade11: place('01', '001'), grade12: place('01', '001'), kv1Over18Months: false, disadvantagedCommuneOver18Months: false }, lookup);
  assert.deepEqual(unknown.findings.map((f) => f.code), ['AREA_SCHOOL_UNKNOWN']);
  const all = computePriorityArea({ grade10: place('01', '001'), grade11: place('01', '001'), grade12: place('01', '001'), kv1Over18Months: false, disadvantagedCommuneOver18Months: false }, lookup);
  assert.equal(all.area, 'KV3');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import { admissionPriorityPoints, PriorityFileSchema, priorityTableFor, validatePriorityClaim } from './priority-object.ts';

const file = PriorityFileSchema.parse(priorityFile);
const t2025 = priorityTableFor(file, 2025);
const t2026 = priorityTableFor(file, 2026);

test('a table per year; none for an unpublished year', () => {
  assert.ok(t2025 && t2026);
  assert.equal(t2025.objects.length, 7);
  assert.equal(t2026.objects.length, 6);
  assert.equal(priorityTableFor(file, 2030), undefined);
});

test('areas and objects give the admission bonus', () => {
  assert.ok(t2025);
  assert.equal(admissionPriorityPoints(t2025, 'KV1'), 0.75);
  assert.equal(admissionPriorityPoints(t2025, 'KV2-NT'), 0.5);
  assert.equal(admissionPriorityPoints(t2025, 'KV2'), 0.25);
  assert.equal(admissionPriorityPoints(t2025, 'KV3'), 0);
  assert.equal(admissionPriorityPoints(t2025, 'KV1', '04'), 2.75);
  assert.equal(admissionPriorityPoints(t2025, 'KV3', '05'), 1);
  assert.equal(admissionPriorityPoints(t2025, null, '07'), 1);
});

test('object codes are checked against the year: 07 exists in 2025, not in 2026', () => {
  assert.ok(t2025 && t2026);
  assert.deepEqual(validatePriorityClaim(t2025, { object: '07' }, { examYear: 2025 }), []);
  const f = validatePriorityClaim(t2026, { object: '07' }, { examYear: 2026 });
  assert.deepEqual(f.map((x) => [x.code, x.field]), [['PRIORITY_OBJECT_UNKNOWN', 'priority.object']]);
  assert.match(f[0]?.vi ?? '', /01–06/);
  assert.deepEqual(validatePriorityClaim(t2026, { object: '06' }, { examYear: 2026 }), []);
  assert.deepEqual(validatePriorityClaim(t2025, {}, { examYear: 2025 }), []);
});

test('object 01 needs an ethnic minority', () => {
  assert.ok(t2025);
  assert.deepEqual(validatePriorityClaim(t2025, { object: '01' }, { examYear: 2025, ethnicityCode: '01' }).map((f) => f.code), ['PRIORITY_OBJECT_NOT_ELIGIBLE']);
  assert.deepEqual(validatePriorityClaim(t2025, { object: '01' }, { examYear: 2025, ethnicityCode: '02' }), []);
});

test('encouragement points: 0 to the cap, in quarter steps', () => {
  assert.ok(t2025);
  const c = (e: number) => validatePriorityClaim(t2025, { encouragementPoints: e }, { examYear: 2025 }).map((f) => f.code);
  assert.deepEqual(c(0), []);
  assert.deepEqual(c(4), []);
  assert.deepEqual(c(4.25), ['ENCOURAGEMENT_OUT_OF_RANGE']);
  assert.deepEqual(c(-0.25), ['ENCOURAGEMENT_OUT_OF_RANGE']);
  assert.deepEqual(c(1.5), []);
  assert.deepEqual(c(1.3), ['ENCOURAGEMENT_STEP']);
});

test('a Kinh candidate claiming the group that includes ethnic minorities gets a warning, a minority none', () => {
  assert.ok(t2025 && t2026);
  const f = validatePriorityClaim(t2026, { object: '05' }, { examYear: 2026, ethnicityCode: '01' });
  assert.deepEqual(f.map((x) => [x.code, x.severity, x.field]), [['PRIORITY_OBJECT_ETHNICITY', 'warning', 'priority.object']]);
  assert.match(f[0]?.vi ?? '', /Kinh/);
  assert.deepEqual(validatePriorityClaim(t2026, { object: '05' }, { examYear: 2026, ethnicityCode: '02' }), []);
  assert.deepEqual(validatePriorityClaim(t2025, { object: '06' }, { examYear: 2025, ethnicityCode: '01' }).map((x) => x.code), ['PRIORITY_OBJECT_ETHNICITY']);
  // 2025's object 05 is youth volunteers and soldiers: nothing to do with ethnicity
  assert.deepEqual(validatePriorityClaim(t2025, { object: '05' }, { examYear: 2025, ethnicityCode: '01' }), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInstitutionCode, parseProgrammeRow, parseTieBreak, sameProgramme, type CatalogueField } from './admission-catalogue.ts';

const combos = {
  combinations: [
    { code: 'A00', subjects: ['TOAN', 'LI', 'HOA'] },
    { code: 'A01', subjects: ['TOAN', 'LI', 'NN'], language: 'N1' },
    { code: 'D01', subjects: ['TOAN', 'VAN', 'NN'], language: 'N1' },
  ],
};
const row = (over: Partial<Record<CatalogueField, string>> = {}): Record<CatalogueField, string> => ({
  code: '7480201',
  name: 'Công nghệ thông tin',
  method: '100',
  combinations: 'A00;A01',
  quota: '120',
  minScore: '22,5',
  teacherTraining: '',
  tieBreak: 'admit-all-tied',
  ...over,
});
const codes = (o: { findings: Array<{ code: string; field: string }> }) => o.findings.map((f) => `${f.field}:${f.code}`);

test('institution codes: 2–6 upper-case letters or digits', () => {
  for (const ok of ['QHI', 'BKA', 'SPH', 'QSB2', 'DQ']) assert.deepEqual(checkInstitutionCode(ok), [], ok);
  for (const bad of ['Q', 'qhi', 'QHI-1', 'ABCDEFG', 'ĐHA', '']) assert.equal(checkInstitutionCode(bad)[0]?.code, 'INSTITUTION_CODE_FORMAT', bad);
});

test('a good row reads into the programme the run uses', () => {
  const r = parseProgrammeRow(row(), combos);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.programme, {
    code: '7480201',
    method: '100',
    name: 'Công nghệ thông tin',
    combinations: [{ code: 'A00' }, { code: 'A01' }],
    scoring: 'sum',
    quota: 120,
    minScoreCenti: 2250,
    teacherTraining: false,
    tiePolicy: { kind: 'admit-all-tied' },
  });
});

test('weights make the programme score by the weighted sum on 30', () => {
  const r = parseProgrammeRow(row({ combinations: 'A00:TOAN=2;D01', teacherTraining: 'x', tieBreak: 'break-by-rule: wish-order, math', minScore: '' }), combos);
  assert.deepEqual(r.findings, []);
  assert.equal(r.programme?.scoring, 'weighted-30');
  assert.deepEqual(r.programme?.combinations, [{ code: 'A00', weights: { TOAN: 2 } }, { code: 'D01' }]);
  assert.equal(r.programme?.teacherTraining, true);
  assert.equal(r.programme?.minScoreCenti, null);
  assert.deepEqual(r.programme?.tiePolicy, { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }, { by: 'value', key: 'math' }] });
});

test('every field is checked and named', () => {
  assert.deepEqual(codes(parseProgrammeRow(row({ code: '748020' }), combos)), ['code:PROGRAMME_CODE_FORMAT']);
  assert.deepEqual(codes(parseProgrammeRow(row({ name: '' }), combos)), ['name:PROGRAMME_NAME_REQUIRED']);
  assert.deepEqual(codes(parseProgrammeRow(row({ name: '=HYPERLINK("x")' }), combos)), ['name:CELL_FORMULA']);
  assert.deepEqual(codes(parseProgrammeRow(row({ method: '1' }), combos)), ['method:METHOD_CODE_FORMAT']);
  assert.deepEqual(codes(parseProgrammeRow(row({ combinations: '' }), combos)), ['combinations:COMBINATIONS_REQUIRED']);
  assert.deepEqual(codes(parseProgrammeRow(row({ combinations: 'A00;X99' }), combos)), ['combinations:COMBINATION_UNKNOWN']);
  assert.deepEqual(codes(parseProgrammeRow(row({ combinations: 'A00;A00' }), combos)), ['combinations:COMBINATION_REPEATED']);
  assert.deepEqual(codes(parseProgrammeRow(row({ combinations: 'A00:VAN=2' }), combos)), ['combinations:WEIGHT_SUBJECT_NOT_IN_COMBINATION']);
  assert.deepEqual(codes(parseProgrammeRow(row({ combinations: 'A00:TOAN2' }), combos)), ['combinations:WEIGHT_FORMAT']);
  assert.deepEqual(codes(parseProgrammeRow(row({ quota: '0' }), combos)), ['quota:QUOTA_INVALID']);
  assert.deepEqual(codes(parseProgrammeRow(row({ quota: 'nhiều' }), combos)), ['quota:QUOTA_INVALID']);
  assert.deepEqual(codes(parseProgrammeRow(row({ minScore: '31' }), combos)), ['minScore:MIN_SCORE_INVALID']);
  assert.deepEqual(codes(parseProgrammeRow(row({ teacherTraining: 'có lẽ' }), combos)), ['teacherTraining:TEACHER_TRAINING_INVALID']);
  assert.deepEqual(codes(parseProgrammeRow(row({ tieBreak: 'random' }), combos)), ['tieBreak:TIE_BREAK_INVALID']);
  assert.equal(parseProgrammeRow(row({ quota: '0' }), combos).programme, null);
});

test('tie-break rules match the run’s TiePolicy shapes', () => {
  assert.deepEqual(parseTieBreak('break-by-rule').value, { kind: 'break-by-rule', criteria: [{ by: 'wish-order' }] });
  assert.deepEqual(parseTieBreak('admit-all-tied: TOAN').value, { kind: 'admit-all-tied', criteria: [{ by: 'value', key: 'TOAN' }] });
  assert.equal(parseTieBreak('break-by-rule: ???').value, null);
});

test('a programme read twice is the same; a changed quota is not', () => {
  const a = parseProgrammeRow(row(), combos).programme!;
  assert.ok(sameProgramme(a, parseProgrammeRow(row(), combos).programme!));
  assert.ok(!sameProgramme(a, parseProgrammeRow(row({ quota: '121' }), combos).programme!));
});

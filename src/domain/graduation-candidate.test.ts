import { test } from 'node:test';
import assert from 'node:assert/strict';
import graduationFile from '../../reference/graduation.json' with { type: 'json' };
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import schemesFile from '../../reference/schemes.json' with { type: 'json' };
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import { candidateGraduation, registeredPapers, type GraduationRefs } from './graduation-candidate.ts';
import { GraduationFileSchema } from './graduation.ts';
import { PriorityFileSchema } from './priority-object.ts';
import { SchemesFileSchema, SubjectsFileSchema } from './subjects.ts';
import type { StoredMark } from './exam-marks.ts';

const refs: GraduationRefs = {
  schemes: SchemesFileSchema.parse(schemesFile).schemes,
  graduation: GraduationFileSchema.parse(graduationFile),
  priority: PriorityFileSchema.parse(priorityFile),
  subjects: SubjectsFileSchema.parse(subjectsFile).subjects,
};
const sc = (centi: number, sanction: 'reprimand' | 'warning' | null = null): StoredMark => ({ kind: 'score', centi, sanction });
const ct2018 = (over: object = {}) => ({
  status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
  purpose: 'both',
  subjects: { electives: ['LI', 'NN'], foreignLanguage: 'N1' },
  ...over,
});

test('the papers a candidate registered come from the dossier', () => {
  assert.deepEqual(registeredPapers(refs, 2026, { dossier: ct2018(), programme: 'CT2018' })?.sort(), ['LI', 'NN', 'TOAN', 'VAN']);
  assert.equal(registeredPapers(refs, 2026, { dossier: {}, programme: 'CT2018' }), null);
});

// DOMAIN.md, "After registration", as literal arithmetic in hundredths (integers, no rounding until the end)
function domainCt2018(marks: number[], g: [number, number, number], encouragement: number, priority: number): number {
  // ĐTB = (g10 + 2 g11 + 3 g12)/6, rounded to 2 decimals; ĐXTN = [(sum + enc)/4 + ĐTB]/2 + priority, rounded to 2 decimals
  const dtbTimes6 = g[0] + 2 * g[1] + 3 * g[2]; // hundredths × 6
  const dtb = Math.floor((dtbTimes6 * 2 + 6) / 12); // half up, in hundredths
  const sum = marks.reduce((a, b) => a + b, 0) + encouragement; // hundredths
  // (sum/4 + dtb)/2 + priority = (sum + 4 dtb + 8 priority)/8, in hundredths
  const num = sum + 4 * dtb + 8 * priority;
  return Math.floor((num * 2 + 8) / 16);
}

test('CT2018 across many cases: the stored result equals DOMAIN.md’s formula done in integers', () => {
  let seed = 20250716;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < 400; i++) {
    const marks = [0, 1, 2, 3].map(() => 125 + 25 * rnd(36)); // 1.25 … 10.00, above the floor
    const g: [number, number, number] = [rnd(1001), rnd(1001), rnd(1001)];
    const enc = [0, 100, 150, 200][rnd(4)]!;
    const groups = [[], ['TN1'], ['TN2']][rnd(3)]!;
    const pri = groups.length === 0 ? 0 : groups[0] === 'TN1' ? 25 : 50;
    const r = candidateGraduation(refs, 2026, {
      dossier: ct2018({ priority: { encouragementPoints: enc / 100 } }),
      programme: 'CT2018',
      marks: { TOAN: sc(marks[0]!), VAN: sc(marks[1]!), LI: sc(marks[2]!), NN: sc(marks[3]!) },
      averages: { grade10: g[0], grade11: g[1], grade12: g[2], graduationGroups: groups },
    });
    const expected = domainCt2018(marks, g, enc, pri);
    assert.equal(Math.round((r.result?.score ?? NaN) * 100), expected, JSON.stringify({ marks, g, enc, pri }));
    assert.equal(r.status, expected >= 500 ? 'passed' : 'failed');
  }
});

test('the status: passed, failed on a paper or the score, incomplete while data is missing, admission only', () => {
  const full = { TOAN: sc(750), VAN: sc(675), LI: sc(800), NN: sc(700) };
  const avg = { grade10: 700, grade11: 750, grade12: 800, graduationGroups: [] };
  const pass = candidateGraduation(refs, 2026, { dossier: ct2018(), programme: 'CT2018', marks: full, averages: avg });
  assert.deepEqual([pass.status, pass.result?.score], ['passed', 7.49]);
  // no averages yet
  assert.equal(candidateGraduation(refs, 2026, { dossier: ct2018(), programme: 'CT2018', marks: full, averages: null }).status, 'incomplete');
  // a paper missing, another absent: the absence decides
  const absent = candidateGraduation(refs, 2026, { dossier: ct2018(), programme: 'CT2018', marks: { TOAN: { kind: 'absent' }, VAN: sc(500) }, averages: avg });
  assert.equal(absent.status, 'failed');
  // a retained score (bảo lưu) stands in for a paper with no mark
  const retained = candidateGraduation(refs, 2026, { dossier: ct2018({ retainedScores: [{ subject: 'LI', score: 8, year: 2025 }] }), programme: 'CT2018', marks: { TOAN: sc(750), VAN: sc(675), NN: sc(700) }, averages: avg });
  assert.deepEqual([retained.status, retained.result?.score], ['passed', 7.49]);
  // a published mark wins over the retained one
  const over = candidateGraduation(refs, 2026, { dossier: ct2018({ retainedScores: [{ subject: 'LI', score: 2, year: 2025 }] }), programme: 'CT2018', marks: full, averages: avg });
  assert.equal(over.result?.score, 7.49);
  // admission only (already graduated): no graduation result
  const adm = candidateGraduation(refs, 2026, { dossier: ct2018({ status: { candidateType: 'free', graduated: true, programme: 'CT2018', track: 'THPT' }, purpose: 'admission' }), programme: 'CT2018', marks: full, averages: null });
  assert.deepEqual([adm.status, adm.result], ['not_applicable', null]);
  // a dossier without its subjects cannot be scored
  assert.deepEqual(candidateGraduation(refs, 2026, { dossier: {}, programme: 'CT2018', marks: full, averages: avg }).reasons.map((f) => f.code), ['RESULT_DOSSIER_INCOMPLETE']);
  // a warning halves the paper: Toán 7.5 → 3.75; (3.75 + 6.75 + 8 + 7)/4 = 6.375; (6.375 + 7.67)/2 = 7.0225 → 7.02
  const warned = candidateGraduation(refs, 2026, { dossier: ct2018(), programme: 'CT2018', marks: { ...full, TOAN: sc(750, 'warning') }, averages: avg });
  assert.equal(warned.result?.score, 7.02);
});

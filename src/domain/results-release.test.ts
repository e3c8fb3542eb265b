import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReleased, publicResult, releaseInstant } from './results-release.ts';

test('the release is 08:00 Vietnam time by default, and starts on its very second', () => {
  const at = releaseInstant('2025-07-16');
  assert.equal(at.toISOString(), '2025-07-16T01:00:00.000Z');
  const r = { at: at.toISOString() };
  assert.equal(isReleased(r, new Date('2025-07-16T00:59:59.999Z')), false);
  assert.equal(isReleased(r, new Date('2025-07-16T01:00:00.000Z')), true);
  assert.equal(isReleased(null, new Date('2030-01-01T00:00:00Z')), false);
  assert.equal(releaseInstant('2025-07-16', '07:30').toISOString(), '2025-07-16T00:30:00.000Z');
});

test('the public answer has the marks and the graduation result and nothing that names the person', () => {
  const p = publicResult(
    { number: '01000001', examYear: 2025, departmentCode: '01', status: 'failed', marks: { LI: { kind: 'absent' }, TO: { kind: 'score', centi: 725, sanction: 'reprimand' }, VA: { kind: 'score', centi: 800, sanction: null } } },
    [
      { code: 'TO', vi: 'Toán', en: 'Mathematics' },
      { code: 'VA', vi: 'Ngữ văn', en: 'Literature' },
    ],
  );
  assert.deepEqual(
    p.papers.map((x) => [x.subject, x.vi]),
    [
      ['TO', '7,25 (KT)'],
      ['VA', '8,00'],
      ['LI', 'Vắng'],
    ],
  );
  assert.equal('name' in p.papers[0]!, false);
  assert.equal(p.graduation.vi, 'Không đỗ tốt nghiệp');
  assert.deepEqual(Object.keys(p).sort(), ['departmentCode', 'examYear', 'graduation', 'number', 'papers']);
});

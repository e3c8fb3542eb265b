import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffMarks, formatMark, parseAverage, parseMark, toPaperMark, type IncomingMark } from './exam-marks.ts';

const codes = (r: ReturnType<typeof parseMark>) => (r.ok ? [] : r.findings.map((f) => [f.code, f.field]));

test('a mark: 0–10 in steps of 0.25, a comma or a dot, absent and suspended', () => {
  assert.deepEqual(parseMark('7.25', ''), { ok: true, mark: { kind: 'score', centi: 725, sanction: null } });
  assert.deepEqual(parseMark('7,5', ''), { ok: true, mark: { kind: 'score', centi: 750, sanction: null } });
  assert.deepEqual(parseMark('10', ''), { ok: true, mark: { kind: 'score', centi: 1000, sanction: null } });
  assert.deepEqual(parseMark('0', ''), { ok: true, mark: { kind: 'score', centi: 0, sanction: null } });
  assert.deepEqual(parseMark('8.500', ''), { ok: true, mark: { kind: 'score', centi: 850, sanction: null } });
  assert.deepEqual(parseMark('Vắng', ''), { ok: true, mark: { kind: 'absent' } });
  assert.deepEqual(parseMark('V', ''), { ok: true, mark: { kind: 'absent' } });
  assert.deepEqual(parseMark('ĐC', ''), { ok: true, mark: { kind: 'suspended' } });
  assert.deepEqual(parseMark('6', 'KT'), { ok: true, mark: { kind: 'score', centi: 600, sanction: 'reprimand' } });
  assert.deepEqual(parseMark('6', 'cảnh cáo'), { ok: true, mark: { kind: 'score', centi: 600, sanction: 'warning' } });
  assert.deepEqual(codes(parseMark('7.3', '')), [['MARK_STEP', 'mark']]);
  assert.deepEqual(codes(parseMark('7.255', '')), [['MARK_STEP', 'mark']]);
  assert.deepEqual(codes(parseMark('10.25', '')), [['MARK_OUT_OF_RANGE', 'mark']]);
  assert.deepEqual(codes(parseMark('-1', '')), [['MARK_NOT_A_NUMBER', 'mark']]);
  assert.deepEqual(codes(parseMark('bảy', '')), [['MARK_NOT_A_NUMBER', 'mark']]);
  assert.deepEqual(codes(parseMark('', '')), [['MARK_MISSING', 'mark']]);
  assert.deepEqual(codes(parseMark('V', 'KT')), [['SANCTION_WITHOUT_SCORE', 'sanction']]);
  assert.deepEqual(codes(parseMark('5', 'phạt')), [['SANCTION_INVALID', 'sanction']]);
  // a year that marks in steps of 0.1
  assert.equal(parseMark('7.3', '', 0.1).ok, true);
  const bad = parseMark('7.3', '');
  assert.ok(!bad.ok && /bội của 0,25/.test(bad.findings[0]!.vi) && /multiple of 0.25/.test(bad.findings[0]!.en.replace(',', '.')));
});

test('a stored mark enters the formula as the paper mark; and reads in a report', () => {
  assert.deepEqual(toPaperMark({ kind: 'score', centi: 725, sanction: 'warning' }), { kind: 'score', score: 7.25, sanction: 'warning' });
  assert.deepEqual(toPaperMark({ kind: 'absent' }), { kind: 'absent' });
  assert.deepEqual(formatMark({ kind: 'score', centi: 725, sanction: 'reprimand' }), { vi: '7,25 (KT)', en: '7.25 (reprimand)' });
});

test('a re-import: added, changed with the old value, unchanged, removed only within the papers it covers', () => {
  const s = (centi: number) => ({ kind: 'score' as const, centi, sanction: null });
  const published: IncomingMark[] = [
    { candidateId: 'a', subject: 'TOAN', mark: s(700) },
    { candidateId: 'b', subject: 'TOAN', mark: s(650) },
    { candidateId: 'c', subject: 'TOAN', mark: s(500) },
    { candidateId: 'a', subject: 'VAN', mark: s(800) },
  ];
  const incoming: IncomingMark[] = [
    { candidateId: 'a', subject: 'TOAN', mark: s(700) },
    { candidateId: 'b', subject: 'TOAN', mark: s(675) },
    { candidateId: 'd', subject: 'TOAN', mark: { kind: 'absent' } },
  ];
  const d = diffMarks(published, incoming);
  assert.deepEqual(
    d.map((x) => [x.change, x.candidateId, x.subject]),
    [['unchanged', 'a', 'TOAN'], ['changed', 'b', 'TOAN'], ['added', 'd', 'TOAN'], ['removed', 'c', 'TOAN']],
  );
  const changed = d.find((x) => x.change === 'changed');
  assert.ok(changed && changed.change === 'changed');
  assert.deepEqual([changed.old, changed.mark], [s(650), s(675)]);
  // VAN is not in the file: left alone
  assert.ok(!d.some((x) => x.subject === 'VAN'));
  // a row naming c's TOAN mark that failed its checks holds the published mark
  assert.ok(!diffMarks(published, incoming, [{ candidateId: 'c', subject: 'TOAN' }]).some((x) => x.change === 'removed'));
});

test('a school-year average: 0–10, at most 2 decimals; empty is none', () => {
  assert.deepEqual(parseAverage('7,8', 'grade10'), { ok: true, centi: 780 });
  assert.deepEqual(parseAverage('8.25', 'grade10'), { ok: true, centi: 825 });
  assert.deepEqual(parseAverage('', 'grade10'), { ok: true, centi: null });
  for (const bad of ['10.5', '7.123', 'x', '-1']) {
    const r = parseAverage(bad, 'grade11');
    assert.ok(!r.ok && r.finding.code === 'AVERAGE_INVALID' && r.finding.field === 'grade11', bad);
  }
});

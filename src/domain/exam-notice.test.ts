import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSchedule, sessionWhen, slotEnd, timeSessions, timetableFor, type ExamScheduleReference, type SchemeTimetable } from './exam-notice.ts';

const CT2018: SchemeTimetable = {
  fixed: { VAN: { date: '2026-06-11', start: '07:35', minutes: 120 }, TOAN: { date: '2026-06-11', start: '14:30', minutes: 90 } },
  electives: {
    order: ['LI', 'HOA', 'SINH', 'SU', 'DIA', 'KTPL', 'TIN', 'CNCN', 'CNNN', 'NN'],
    slots: [
      { date: '2026-06-12', start: '07:35', minutes: 50 },
      { date: '2026-06-12', start: '08:35', minutes: 50 },
    ],
  },
};
const seat = (session: string, room = 1, seat = 1) => ({ session, room, seat });

test('fixed sessions at their own time, electives in the timetable’s order, sorted by time', () => {
  const out = timeSessions(CT2018, [seat('NN', 3, 7), seat('TOAN'), seat('LI', 2, 4), seat('VAN')]);
  assert.deepEqual(
    out.map((s) => [s.session, s.slot?.date, s.slot?.start, s.room, s.seat]),
    [
      ['VAN', '2026-06-11', '07:35', 1, 1],
      ['TOAN', '2026-06-11', '14:30', 1, 1],
      // Physics comes before the foreign language in the ministry's list: first slot
      ['LI', '2026-06-12', '07:35', 2, 4],
      ['NN', '2026-06-12', '08:35', 3, 7],
    ],
  );
});

test('a session the timetable does not place has no time and comes last; no timetable places nothing', () => {
  const out = timeSessions(CT2018, [seat('KHTN'), seat('VAN'), seat('HOA'), seat('SU'), seat('DIA')]);
  assert.deepEqual(out.map((s) => [s.session, s.slot?.start ?? null]), [['VAN', '07:35'], ['HOA', '07:35'], ['SU', '08:35'], ['DIA', null], ['KHTN', null]]);
  assert.deepEqual(timeSessions(null, [seat('VAN'), seat('TOAN')]).map((s) => [s.session, s.slot]), [['TOAN', null], ['VAN', null]]);
});

test('end of a paper', () => {
  assert.equal(slotEnd({ date: '2026-06-11', start: '07:35', minutes: 120 }), '09:35');
  assert.equal(slotEnd({ date: '2026-06-11', start: '14:30', minutes: 90 }), '16:00');
});

test('the timetable of a year and scheme, or none', () => {
  const ref: ExamScheduleReference = { version: 1, years: [{ year: 2026, checkIn: { date: '2026-06-10', time: '08:00' }, schemes: { CT2018 }, assumptions: [] }], rules: ['x'] };
  assert.equal(timetableFor(ref, 2026, 'CT2018').timetable, CT2018);
  assert.deepEqual(timetableFor(ref, 2026, 'CT2018').checkIn, { date: '2026-06-10', time: '08:00' });
  assert.deepEqual(timetableFor(ref, 2026, 'CT2006'), { checkIn: { date: '2026-06-10', time: '08:00' }, timetable: null });
  assert.deepEqual(timetableFor(ref, 2030, 'CT2018'), { checkIn: null, timetable: null });
});

test('a timetable with a bad date, time, length or a subject both fixed and elective is refused, naming the field', () => {
  const bad: ExamScheduleReference = {
    version: 1,
    years: [
      {
        year: 2026,
        checkIn: { date: '2026-06-10', time: '8h' },
        schemes: { CT2018: { fixed: { VAN: { date: '2025-06-11', start: '07:35', minutes: 120 }, NN: { date: '2026-06-12', start: '25:00', minutes: 0 } }, electives: CT2018.electives! } },
        assumptions: [],
      },
    ],
    rules: [],
  };
  const fields = checkSchedule(bad).map((f) => f.field);
  assert.deepEqual(fields, [
    'years[0].checkIn.time',
    'years[0].schemes.CT2018.fixed.VAN.date',
    'years[0].schemes.CT2018.fixed.NN.start',
    'years[0].schemes.CT2018.fixed.NN.minutes',
    'years[0].schemes.CT2018.electives.order',
    'rules',
  ]);
  assert.deepEqual(checkSchedule({ version: 1, years: [{ year: 2026, checkIn: null, schemes: { CT2018 }, assumptions: [] }], rules: ['x'] }), []);
});

test('a room list’s time: a fixed session’s slot, an elective’s day only', () => {
  assert.deepEqual(sessionWhen(CT2018, 'TOAN'), { date: '2026-06-11', start: '14:30', rank: '2026-06-11 14:30' });
  assert.deepEqual(sessionWhen(CT2018, 'HOA'), { date: '2026-06-12', start: null, rank: '2026-06-12 07:35 001' });
  assert.equal(sessionWhen(CT2018, 'KHTN'), null);
  assert.equal(sessionWhen(null, 'VAN'), null);
  const ranks = ['NN', 'VAN', 'LI', 'TOAN'].map((s) => [s, sessionWhen(CT2018, s)!.rank] as const).sort((a, b) => (a[1] < b[1] ? -1 : 1));
  assert.deepEqual(ranks.map(([s]) => s), ['VAN', 'TOAN', 'LI', 'NN']);
});

// The timetable the notices print (reference/exam-schedule.json) passes the domain's check, and every
// session a scheme seats is placed for the years it has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REFERENCE_DIR } from '../reference/reference.repository.ts';
import { checkSchedule, timeSessions, timetableFor, type ExamScheduleReference } from '../../domain/exam-notice.ts';

const ref = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'exam-schedule.json'), 'utf8')) as ExamScheduleReference;

test('the exam timetable reference file is well formed', () => {
  assert.deepEqual(checkSchedule(ref), []);
  for (const y of ref.years) assert.ok(y.assumptions.length > 0, `${y.year} names its assumptions`);
});

test('a CT2018 candidate of 2026 has a time for each of their four papers', () => {
  const { timetable, checkIn } = timetableFor(ref, 2026, 'CT2018');
  assert.ok(checkIn);
  const out = timeSessions(timetable, ['VAN', 'TOAN', 'SU', 'TIN'].map((session) => ({ session, room: 1, seat: 1 })));
  assert.ok(out.every((s) => s.slot !== null));
  assert.deepEqual(out.map((s) => s.session), ['VAN', 'TOAN', 'SU', 'TIN']);
});

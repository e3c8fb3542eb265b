import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatVietnameseDate, isLeapYear, parseIsoDate, validateDateOfBirth, validatePastDate, vietnamToday } from './dates.ts';
import { vietnamLocalToInstant } from './time.ts';

const now = vietnamLocalToInstant('2025-04-21', '09:00');
const ctx = { now, examYear: 2025 };
const codes = (v: string, c = ctx) => validateDateOfBirth(v, c).map((f) => `${f.severity}:${f.code}`);

test('strict YYYY-MM-DD', () => {
  assert.deepEqual(parseIsoDate('2007-03-09'), { year: 2007, month: 3, day: 9 });
  for (const bad of ['2007-3-9', '09/03/2007', '2007-03-09T00:00', ' 2007-03-09', '2007-13-01', '2007-00-10', '2007-01-00', '2007-01-32']) {
    assert.equal(parseIsoDate(bad), null, bad);
  }
  assert.deepEqual(codes('09/03/2007'), ['error:DATE_FORMAT']);
  assert.deepEqual(codes(''), ['error:REQUIRED']);
});

test('31/02 and 29/02 outside leap years are rejected', () => {
  assert.deepEqual(codes('2007-02-31'), ['error:DATE_INVALID']);
  assert.deepEqual(codes('2007-04-31'), ['error:DATE_INVALID']);
  assert.deepEqual(codes('2007-02-29'), ['error:DATE_INVALID']);
  assert.deepEqual(codes('2008-02-29'), []); // leap
  assert.deepEqual(codes('2000-02-29'), []); // divisible by 400
  assert.equal(parseIsoDate('1900-02-29'), null); // divisible by 100, not 400
  assert.equal(isLeapYear(2100), false);
});

test('future dates are rejected, judged by the Vietnamese calendar day', () => {
  // 2025-04-20T17:30Z is already 2025-04-21 00:30 in Vietnam
  const atMidnight = { now: new Date('2025-04-20T17:30:00Z'), examYear: 2025, plausibleAge: { min: 0, max: 200 } };
  assert.deepEqual(vietnamToday(atMidnight.now), { year: 2025, month: 4, day: 21 });
  assert.deepEqual(codes('2025-04-21', atMidnight), []);
  assert.deepEqual(codes('2025-04-22', atMidnight), ['error:DATE_IN_FUTURE']);
  assert.deepEqual(validatePastDate('2025-04-22', atMidnight.now, 'exemption.issuedOn').map((f) => f.code), ['DATE_IN_FUTURE']);
  assert.deepEqual(validatePastDate('2025-04-21', atMidnight.now, 'exemption.issuedOn'), []);
});

test('age warning below 16 and above 60 in the exam year, no error', () => {
  assert.deepEqual(codes('2009-12-31'), []); // 16 in 2025
  assert.deepEqual(codes('2010-01-01'), ['warning:AGE_IMPLAUSIBLE']); // 15
  assert.deepEqual(codes('1965-01-01'), []); // 60
  assert.deepEqual(codes('1964-12-31'), ['warning:AGE_IMPLAUSIBLE']); // 61
  const w = validateDateOfBirth('2010-01-01', ctx)[0];
  assert.equal(w?.params?.age, 15);
  assert.match(w?.vi ?? '', /không giới hạn tuổi/);
  assert.deepEqual(codes('1899-12-31'), ['error:DATE_TOO_EARLY']);
});

test('formatVietnameseDate prints DD/MM/YYYY', () => {
  assert.equal(formatVietnameseDate('2025-04-28'), '28/04/2025');
});

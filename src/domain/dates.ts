// Calendar dates typed by people (date of birth, certificate dates): strict ISO YYYY-MM-DD, real days
// only, never in the future as seen in Vietnam, and a plausibility warning on age.
import { error, warning, type Finding } from './messages.ts';
import { instantToVietnamLocal } from './time.ts';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** A real calendar date in strict YYYY-MM-DD, or null ("2024-02-30", "2024-2-3", "03/02/2024" are null). */
export function parseIsoDate(s: string): CalendarDate | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Today's date in Vietnam at the instant `now` (a date typed by a candidate is a Vietnamese calendar date). */
export function vietnamToday(now: Date): CalendarDate {
  const d = parseIsoDate(instantToVietnamLocal(now).date);
  if (!d) throw new RangeError('invalid instant');
  return d;
}

/** Display form used in messages: DD/MM/YYYY, as Vietnamese documents print dates. */
export function formatVietnameseDate(d: CalendarDate | string): string {
  const c = typeof d === 'string' ? parseIsoDate(d) : d;
  if (!c) return String(d);
  return `${String(c.day).padStart(2, '0')}/${String(c.month).padStart(2, '0')}/${c.year}`;
}

/**
 * Age bounds that only warn (there is no age limit for the exam): under 16 or over 60 in the exam year
 * usually means a typo in the year. Ages are counted by calendar year (exam year − birth year), which is
 * how schools reckon a cohort (a candidate born in 2007 is "18" in the 2025 exam).
 */
export const PLAUSIBLE_AGE = { min: 16, max: 60 } as const;

/** The earliest birth year accepted at all: a CCCD cannot encode births before 1900. */
export const EARLIEST_BIRTH_YEAR = 1900;

export interface DateOfBirthContext {
  now: Date;
  examYear: number;
  plausibleAge?: { min: number; max: number };
}

export function validateDateOfBirth(value: string, ctx: DateOfBirthContext, field = 'personal.dateOfBirth'): Finding[] {
  if (value.trim() === '') return [error('REQUIRED', field, 'Vui lòng nhập ngày sinh.', 'Enter the date of birth.')];
  const m = ISO_DATE.exec(value);
  if (!m) {
    return [error('DATE_FORMAT', field, 'Ngày sinh phải có đủ ngày, tháng và năm (năm gồm 4 chữ số), ví dụ 14/03/2008.', 'The date of birth must have a day, a month and a 4-digit year, for example 14/03/2008.')];
  }
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < EARLIEST_BIRTH_YEAR) {
    return [error('DATE_TOO_EARLY', field, `Năm sinh phải gồm 4 chữ số, từ ${EARLIEST_BIRTH_YEAR} trở đi (bạn nhập ${y}).`, `The birth year must have 4 digits, ${EARLIEST_BIRTH_YEAR} or later (you entered ${y}).`, { min: EARLIEST_BIRTH_YEAR, value })];
  }
  if (mo < 1 || mo > 12) {
    return [error('DATE_INVALID', field, `Tháng sinh phải từ 1 đến 12 (bạn nhập ${mo}).`, `The month of birth must be from 1 to 12 (you entered ${mo}).`, { value })];
  }
  const d = parseIsoDate(value);
  if (!d) {
    const max = daysInMonth(y, mo);
    return [
      error('DATE_INVALID', field, `Ngày ${da}/${String(mo).padStart(2, '0')}/${y} không có trên lịch: tháng ${mo} năm ${y} chỉ có ${max} ngày.`, `${da}/${String(mo).padStart(2, '0')}/${y} is not a real date: month ${mo} of ${y} has ${max} days.`, {
        value,
      }),
    ];
  }
  const today = vietnamToday(ctx.now);
  if (compareDates(d, today) > 0) {
    return [error('DATE_IN_FUTURE', field, 'Ngày sinh không thể ở tương lai.', 'The date of birth cannot be in the future.', { value })];
  }
  const bounds = ctx.plausibleAge ?? PLAUSIBLE_AGE;
  const age = ctx.examYear - d.year;
  if (age < bounds.min || age > bounds.max) {
    return [
      warning(
        'AGE_IMPLAUSIBLE',
        field,
        `Năm thi ${ctx.examYear} bạn ${age} tuổi. Hãy kiểm tra lại năm sinh (không giới hạn tuổi dự thi).`,
        `You would be ${age} in the ${ctx.examYear} exam. Please check the birth year (there is no age limit).`,
        { age, examYear: ctx.examYear },
      ),
    ];
  }
  return [];
}

/** A past-or-today date (certificate issue dates, etc.): format, real day, not in the future. */
export function validatePastDate(value: string, now: Date, field: string): Finding[] {
  const d = parseIsoDate(value);
  if (!d) return [error('DATE_INVALID', field, 'Ngày không có trên lịch; hãy nhập ngày, tháng và năm (4 chữ số), ví dụ 14/03/2008.', 'Not a real date; enter the day, the month and a 4-digit year, for example 14/03/2008.', { value })];
  if (compareDates(d, vietnamToday(now)) > 0) return [error('DATE_IN_FUTURE', field, 'Ngày không thể ở tương lai.', 'The date cannot be in the future.', { value })];
  return [];
}

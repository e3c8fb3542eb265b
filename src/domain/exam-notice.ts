// The exam notice (giấy báo dự thi): when each subject session a candidate sits takes place, from the
// year's timetable (reference/exam-schedule.json, configurable data whose assumptions it names), and
// the check of that timetable. Pure: the timetable and the seats come in as arguments.
import { error, type Finding } from './messages.ts';
import type { SchemeCode } from './exam-year.ts';

/** One paper's time: local date and the time the paper starts (tính giờ làm bài), its length in minutes. */
export interface ExamSlot {
  date: string;
  start: string;
  minutes: number;
}

export interface SchemeTimetable {
  /** sessions sat at a time of their own: Literature, Mathematics (and each CT2006 subject) */
  fixed: Readonly<Record<string, ExamSlot>>;
  /** CT2018: a candidate's electives take these slots in turn, in `order` (assumption, see the file) */
  electives?: { order: readonly string[]; slots: readonly ExamSlot[] };
}

export interface YearTimetable {
  year: number;
  /** check-in at the site (làm thủ tục dự thi), the day before the first paper */
  checkIn: { date: string; time: string } | null;
  schemes: Partial<Record<SchemeCode, SchemeTimetable>>;
  assumptions: readonly string[];
}

/** reference/exam-schedule.json */
export interface ExamScheduleReference {
  version: number;
  years: readonly YearTimetable[];
  /** the rules for candidates printed on every notice */
  rules: readonly string[];
}

export interface SeatedSession {
  session: string;
  room: number;
  seat: number;
}

export interface TimedSession extends SeatedSession {
  /** null when the year's timetable does not place this session: printed "as the council announces" */
  slot: ExamSlot | null;
}

/** The timetable of a year and scheme, if the reference data has one. */
export function timetableFor(ref: Pick<ExamScheduleReference, 'years'>, year: number, scheme: SchemeCode): { checkIn: YearTimetable['checkIn']; timetable: SchemeTimetable | null } {
  const y = ref.years.find((t) => t.year === year);
  return { checkIn: y?.checkIn ?? null, timetable: y?.schemes[scheme] ?? null };
}

/** unplaced sessions after every placed one */
const slotOrder = (a: ExamSlot | null, b: ExamSlot | null): number => {
  if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);
  const x = `${a.date} ${a.start}`;
  const y = `${b.date} ${b.start}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Each seated session with its time: a fixed session at its own slot; the electives (sessions the
 * timetable does not fix) in the timetable's elective order, the first in the first slot and so on.
 * Sorted by time; sessions the timetable does not place come last, in code order.
 */
export function timeSessions(timetable: SchemeTimetable | null, seats: readonly SeatedSession[]): TimedSession[] {
  const fixed = timetable?.fixed ?? {};
  const order = timetable?.electives?.order ?? [];
  const slots = timetable?.electives?.slots ?? [];
  const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  const electives = seats.filter((s) => !Object.hasOwn(fixed, s.session)).sort((a, b) => rank(a.session) - rank(b.session) || a.session.localeCompare(b.session));
  const electiveSlot = new Map(electives.map((s, i) => [s.session, order.includes(s.session) ? (slots[i] ?? null) : null] as const));
  const timed = seats.map((s) => ({ ...s, slot: Object.hasOwn(fixed, s.session) ? fixed[s.session]! : (electiveSlot.get(s.session) ?? null) }));
  return timed.sort((a, b) => slotOrder(a.slot, b.slot) || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0));
}

/** "07:35" + 120 → "09:35" (local clock time, a paper never runs past midnight). */
export function slotEnd(s: ExamSlot): string {
  const [h, m] = s.start.split(':').map(Number) as [number, number];
  const t = h * 60 + m + s.minutes;
  return `${String(Math.floor(t / 60) % 24).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function checkSlot(s: ExamSlot | undefined, field: string, year: number): Finding[] {
  if (!s) return [error('SCHEDULE_SLOT_MISSING', field, 'Thiếu giờ thi.', 'A slot is missing.')];
  const out: Finding[] = [];
  if (!DATE.test(s.date) || !s.date.startsWith(`${year}-`)) out.push(error('SCHEDULE_DATE', `${field}.date`, `Ngày thi phải là một ngày của năm ${year} (YYYY-MM-DD).`, `The date must be a day of ${year} (YYYY-MM-DD).`));
  if (!TIME.test(s.start)) out.push(error('SCHEDULE_TIME', `${field}.start`, 'Giờ bắt đầu viết dạng HH:MM.', 'The start time is written HH:MM.'));
  if (!Number.isInteger(s.minutes) || s.minutes < 1 || s.minutes > 300) out.push(error('SCHEDULE_MINUTES', `${field}.minutes`, 'Thời gian làm bài từ 1 đến 300 phút.', 'A paper lasts 1 to 300 minutes.'));
  return out;
}

/** What is wrong with a timetable file (an empty list when it can be printed). */
export function checkSchedule(ref: ExamScheduleReference): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<number>();
  ref.years.forEach((y, i) => {
    const at = `years[${i}]`;
    if (seen.has(y.year)) out.push(error('SCHEDULE_YEAR_TWICE', `${at}.year`, `Năm ${y.year} có hai lịch thi.`, `Year ${y.year} has two timetables.`));
    seen.add(y.year);
    if (y.checkIn) {
      if (!DATE.test(y.checkIn.date)) out.push(error('SCHEDULE_DATE', `${at}.checkIn.date`, 'Ngày làm thủ tục viết dạng YYYY-MM-DD.', 'The check-in date is written YYYY-MM-DD.'));
      if (!TIME.test(y.checkIn.time)) out.push(error('SCHEDULE_TIME', `${at}.checkIn.time`, 'Giờ làm thủ tục viết dạng HH:MM.', 'The check-in time is written HH:MM.'));
    }
    for (const [scheme, t] of Object.entries(y.schemes)) {
      if (!t) continue;
      for (const [code, s] of Object.entries(t.fixed)) out.push(...checkSlot(s, `${at}.schemes.${scheme}.fixed.${code}`, y.year));
      t.electives?.slots.forEach((s, j) => out.push(...checkSlot(s, `${at}.schemes.${scheme}.electives.slots[${j}]`, y.year)));
      for (const code of t.electives?.order ?? []) {
        if (Object.hasOwn(t.fixed, code)) out.push(error('SCHEDULE_ELECTIVE_FIXED', `${at}.schemes.${scheme}.electives.order`, `Môn ${code} vừa có giờ riêng vừa là môn tự chọn.`, `${code} is both fixed and an elective.`));
      }
    }
  });
  if (ref.rules.length === 0) out.push(error('SCHEDULE_RULES', 'rules', 'Giấy báo dự thi cần có quy định đối với thí sinh.', 'The notice needs the rules for candidates.'));
  return out;
}

/**
 * When a session takes place for everyone sitting it (a room list's heading): a fixed session's slot; an
 * elective's day only, since which of the elective slots it takes depends on the candidate's other
 * elective; null when the timetable does not place it. `rank` orders sessions on the lists.
 */
export function sessionWhen(timetable: SchemeTimetable | null, session: string): { date: string; start: string | null; rank: string } | null {
  const fixed = timetable?.fixed[session];
  if (fixed && Object.hasOwn(timetable!.fixed, session)) return { date: fixed.date, start: fixed.start, rank: `${fixed.date} ${fixed.start}` };
  const e = timetable?.electives;
  const i = e ? e.order.indexOf(session) : -1;
  const first = e?.slots[0];
  if (!e || i < 0 || !first) return null;
  return { date: first.date, start: null, rank: `${first.date} ${first.start} ${String(i).padStart(3, '0')}` };
}

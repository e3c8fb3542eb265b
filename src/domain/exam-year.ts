// An exam year (kỳ thi) and the phase an instant falls in. Windows are stored as local dates in
// Vietnam; each window opens at its opening hour on the first day and closes at its closing hour on the
// last day (the official window closes at 17:00). Pure: the instant is an argument, never read here.
import { vietnamLocalToInstant } from './time.ts';

export type SchemeCode = 'CT2006' | 'CT2018';

export interface LocalWindow {
  /** first day, YYYY-MM-DD, local */
  from: string;
  /** last day, YYYY-MM-DD, local */
  to: string;
  /** local opening time on `from`, HH:MM (default 00:00) */
  opensAt?: string;
  /** local closing time on `to`, HH:MM (default 23:59:59 end of day, i.e. 24:00) */
  closesAt?: string;
}

export interface ExamYearWindows {
  accountIssuing: LocalWindow;
  trial: LocalWindow;
  official: LocalWindow;
  /** registration points review and correct after the official window closes */
  correction: LocalWindow;
}

export interface ExamYear {
  year: number;
  scheme: SchemeCode;
  windows: ExamYearWindows;
  published: boolean;
}

export type Phase =
  | 'before' // nothing open yet
  | 'account_issuing' // points hand out accounts; candidates may sign in and change the password
  | 'trial' // trial registration: data is wiped at the end
  | 'between' // trial over, official window not yet open
  | 'official' // the real registration
  | 'correction' // locked for candidates; points review and correct
  | 'closed'; // everything over

export interface WindowBounds {
  start: Date;
  /** exclusive: the first instant that is no longer inside */
  end: Date;
}

// Every request asks which phase it is in; the same few windows are converted again and again. Each
// window's bounds are kept with the window object, checked against its fields (a changed window is
// converted anew), and handed out as fresh Dates.
const boundsOf = new WeakMap<LocalWindow, { key: string; start: number; end: number }>();

export function windowBounds(w: LocalWindow): WindowBounds {
  const key = `${w.from}|${w.to}|${w.opensAt ?? ''}|${w.closesAt ?? ''}`;
  let b = boundsOf.get(w);
  if (!b || b.key !== key) {
    const start = vietnamLocalToInstant(w.from, w.opensAt ?? '00:00').getTime();
    const end = w.closesAt ? vietnamLocalToInstant(w.to, w.closesAt).getTime() : vietnamLocalToInstant(w.to, '00:00').getTime() + 24 * 3600 * 1000;
    b = { key, start, end };
    boundsOf.set(w, b);
  }
  return { start: new Date(b.start), end: new Date(b.end) };
}

export function isWithin(w: LocalWindow, now: Date): boolean {
  const b = windowBounds(w);
  return now.getTime() >= b.start.getTime() && now.getTime() < b.end.getTime();
}

/**
 * Which phase `now` is in. Windows may overlap (account issuing usually overlaps the trial); the later
 * stage of the process wins, since it is what a candidate can do at that instant.
 */
export function phaseAt(year: Pick<ExamYear, 'windows'>, now: Date): Phase {
  const w = year.windows;
  if (isWithin(w.official, now)) return 'official';
  if (isWithin(w.correction, now)) return 'correction';
  if (isWithin(w.trial, now)) return 'trial';
  if (isWithin(w.accountIssuing, now)) return 'account_issuing';
  const t = now.getTime();
  if (t < windowBounds(w.accountIssuing).start.getTime() && t < windowBounds(w.trial).start.getTime()) return 'before';
  if (t >= windowBounds(w.correction).end.getTime() && t >= windowBounds(w.official).end.getTime()) return 'closed';
  if (t < windowBounds(w.official).start.getTime()) return 'between';
  return 'correction';
}

/** Candidates may write their dossier only in the trial and the official window. */
export function candidateMayEdit(phase: Phase): boolean {
  return phase === 'trial' || phase === 'official';
}

export interface YearProblem {
  code: string;
  field: string;
  vi: string;
  en: string;
}

/**
 * Contradictions in an exam year's windows, checked before the ministry publishes it.
 * Sensible closing hours are 08:00–22:00 local: a window closing at 03:00 is almost always a typo.
 */
export function checkExamYear(year: Pick<ExamYear, 'year' | 'windows'>): YearProblem[] {
  const problems: YearProblem[] = [];
  const names: Array<keyof ExamYearWindows> = ['accountIssuing', 'trial', 'official', 'correction'];
  const bounds: Partial<Record<keyof ExamYearWindows, WindowBounds>> = {};
  for (const n of names) {
    const w = year.windows[n];
    let b: WindowBounds;
    try {
      b = windowBounds(w);
    } catch {
      problems.push({ code: 'WINDOW_INVALID', field: `windows.${n}`, vi: 'Ngày giờ không hợp lệ.', en: 'Invalid date or time.' });
      continue;
    }
    bounds[n] = b;
    if (b.end.getTime() <= b.start.getTime()) {
      problems.push({ code: 'WINDOW_EMPTY', field: `windows.${n}`, vi: 'Thời điểm kết thúc phải sau thời điểm bắt đầu.', en: 'The window must end after it starts.' });
    }
    if (w.closesAt) {
      const hour = Number(w.closesAt.slice(0, 2));
      if (hour < 8 || hour > 22) {
        problems.push({ code: 'WINDOW_ODD_CLOSING_HOUR', field: `windows.${n}.closesAt`, vi: 'Giờ đóng cổng nên nằm trong khoảng 08:00–22:00.', en: 'The closing time should fall between 08:00 and 22:00.' });
      }
    }
    if (!w.from.startsWith(String(year.year)) && !w.to.startsWith(String(year.year))) {
      problems.push({ code: 'WINDOW_WRONG_YEAR', field: `windows.${n}`, vi: 'Khung thời gian không thuộc năm thi.', en: 'The window is not in the exam year.' });
    }
  }
  const order: Array<[keyof ExamYearWindows, keyof ExamYearWindows]> = [
    ['accountIssuing', 'official'],
    ['trial', 'official'],
    ['official', 'correction'],
  ];
  for (const [a, b] of order) {
    const ba = bounds[a];
    const bb = bounds[b];
    if (ba && bb && ba.end.getTime() > bb.start.getTime()) {
      problems.push({ code: 'WINDOWS_OUT_OF_ORDER', field: `windows.${b}`, vi: `Khung "${b}" phải bắt đầu sau khi khung "${a}" kết thúc.`, en: `"${b}" must start after "${a}" ends.` });
    }
  }
  if (bounds.trial && bounds.accountIssuing && bounds.trial.start.getTime() < bounds.accountIssuing.start.getTime()) {
    problems.push({ code: 'WINDOWS_OUT_OF_ORDER', field: 'windows.trial', vi: 'Đăng ký thử không thể bắt đầu trước khi cấp tài khoản.', en: 'The trial cannot start before accounts are issued.' });
  }
  return problems;
}

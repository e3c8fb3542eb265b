// The results morning's rules: when a year's results are released (a local instant in Vietnam, 08:00 by
// default on the date the ministry sets), and what a public look-up by candidate number shows.
// *Assumption* (DOMAIN.md names no rule for the public look-up): the public answer shows the number, the
// council, each paper's mark (absences and disciplinary marks as printed) and the graduation result, and
// no name, date of birth, personal number, school average, priority or ĐXTN: a number alone must not
// reveal who sat it. The candidate sees everything on their own account.
import { formatMark, type StoredMark } from './exam-marks.ts';
import { vietnamLocalToInstant } from './time.ts';

export const DEFAULT_RELEASE_TIME = '08:00';

export interface ResultsRelease {
  /** the UTC instant results become visible (ISO-8601) */
  at: string;
  /** local date and time in Vietnam, as the ministry set them */
  localDate: string;
  localTime: string;
  setBy: string;
  setAt: string;
}

/** The instant of a local release date and time (08:00 Vietnam time when no time is given). */
export function releaseInstant(localDate: string, localTime: string = DEFAULT_RELEASE_TIME): Date {
  return vietnamLocalToInstant(localDate, localTime);
}

/** Released from the set instant's very second on; never before, never without a set instant. */
export function isReleased(release: Pick<ResultsRelease, 'at'> | null | undefined, now: Date): boolean {
  if (!release) return false;
  return now.getTime() >= Date.parse(release.at);
}

export type PublicStatus = 'passed' | 'failed' | 'incomplete' | 'not_applicable';

export interface PublicPaper {
  subject: string;
  kind: StoredMark['kind'];
  score: number | null;
  sanction: 'reprimand' | 'warning' | null;
  vi: string;
  en: string;
}

export interface PublicResult {
  number: string;
  examYear: number;
  departmentCode: string;
  papers: PublicPaper[];
  graduation: { status: PublicStatus; vi: string; en: string };
}

const STATUS_TEXT: Record<PublicStatus, { vi: string; en: string }> = {
  passed: { vi: 'Đỗ tốt nghiệp', en: 'Graduated' },
  failed: { vi: 'Không đỗ tốt nghiệp', en: 'Did not graduate' },
  incomplete: { vi: 'Chưa đủ dữ liệu xét tốt nghiệp', en: 'Graduation not yet decided (data missing)' },
  not_applicable: { vi: 'Không xét tốt nghiệp (chỉ dự thi để xét tuyển)', en: 'Not considered for graduation (sat for admission only)' },
};

export function statusText(status: PublicStatus): { vi: string; en: string } {
  return STATUS_TEXT[status];
}

export interface SubjectName {
  code: string;
  vi: string;
  en: string;
}

/** A paper on the candidate's own page: with the subject's name. */
export type OwnPaper = PublicPaper & { name: { vi: string; en: string } };

/**
 * A paper's mark as shown to the public and to the candidate, papers in the order of `subjects`. The public
 * answer leaves the subject's name out (the page names the code from the reference list): a million and
 * more answers are kept ready in memory, and the names would double them.
 */
export function presentPapers(marks: Record<string, StoredMark>, subjects: readonly SubjectName[] = []): OwnPaper[] {
  const order = subjects.map((x) => x.code);
  const rank = (s: string) => {
    const i = order.indexOf(s);
    return i < 0 ? order.length : i;
  };
  return Object.keys(marks)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((subject) => {
      const m = marks[subject]!;
      const ref = subjects.find((x) => x.code === subject);
      return { subject, name: { vi: ref?.vi ?? subject, en: ref?.en ?? subject }, kind: m.kind, score: m.kind === 'score' ? m.centi / 100 : null, sanction: m.kind === 'score' ? m.sanction : null, ...formatMark(m) };
    });
}

/** What the public look-up answers for one number: nothing that names or identifies the person. */
export function publicResult(r: { number: string; examYear: number; departmentCode: string; status: PublicStatus; marks: Record<string, StoredMark> }, subjects: readonly SubjectName[] = []): PublicResult {
  return { number: r.number, examYear: r.examYear, departmentCode: r.departmentCode, papers: presentPapers(r.marks, subjects).map(({ name: _name, ...p }) => p), graduation: { status: r.status, ...STATUS_TEXT[r.status] } };
}

/** A candidate number: 2-digit council + 6-digit serial. */
export const CANDIDATE_NUMBER = /^\d{8}$/;

// The life of an admission run after the matching (issue 24, item 4), as pure rules: who sees a run in
// which state, when one may be published, when a candidate may confirm enrolment, and why a candidate's
// result changed between two runs. No I/O, no clock: `now` and the rows come in.
import { error, type Finding } from '../messages.ts';

/**
 * - `queued`: asked for, waiting for the job worker; nothing of it exists yet.
 * - `running`: reading and matching; nobody sees its results yet.
 * - `provisional`: finished; the ministry and the institutions see it, candidates do not.
 * - `published`: the year's result; candidates see theirs. One published run a year at a time.
 * - `superseded`: a published run replaced by a later published one (with the audited reason).
 * - `failed`: the run stopped (its input was refused, or the process failed); nothing of it is shown.
 */
export type AdmissionRunKind = 'queued' | 'running' | 'provisional' | 'published' | 'superseded' | 'failed';

export type RunViewer = 'ministry' | 'institution' | 'candidate';

/** Whether a viewer may see a run's results. */
export function runVisibleTo(kind: AdmissionRunKind, viewer: RunViewer): boolean {
  if (kind === 'queued' || kind === 'running' || kind === 'failed') return false;
  if (viewer === 'candidate') return kind === 'published';
  return true;
}

/**
 * How a run after a publication treats the published result (second-run.ts): `protect-published` keeps every
 * published admission; `recompute` starts from scratch and needs a reason. Here, beside the other rules of a
 * run's life, so that the contracts and the browser read them without the engine.
 */
export const SECOND_RUN_POLICIES = ['protect-published', 'recompute'] as const;
export type SecondRunPolicy = (typeof SECOND_RUN_POLICIES)[number];
/** The policy a run after a publication takes when none is asked for: the one that takes nothing back. */
export const DEFAULT_SECOND_RUN_POLICY: SecondRunPolicy = 'protect-published';

/** How a protect-published run admitted each candidate (ProtectedRun.how), for the change list. */
export const HOW_UNCHANGED = 0;
/** admitted in the published run, now at a higher wish whose published cut-off the new score reaches */
export const HOW_MOVED_UP = 1;
/** not admitted before, now at a wish of a programme that filled, whose published cut-off the new score reaches */
export const HOW_REACHED_CUTOFF = 2;
/** not admitted before, now in a free place of a programme that did not fill */
export const HOW_FREE_PLACE = 3;

/** The least length of a reason for a run after a published one. */
export const MIN_REASON_LENGTH = 10;

/**
 * A run after a publication that recomputes from scratch may take published admissions back once it is
 * published: so it must say why (score reviews changed marks, a programme's quota was corrected …). One
 * that protects the published result (second-run.ts) takes nothing back and needs no reason. Null when it
 * may start.
 */
export function checkRunReason(publishedExists: boolean, reason: string | null | undefined, policy: SecondRunPolicy = 'recompute'): Finding | null {
  if (!publishedExists || policy === 'protect-published') return null;
  if (reason && reason.trim().length >= MIN_REASON_LENGTH) return null;
  return error(
    'ADMISSION_RUN_REASON_REQUIRED',
    'reason',
    `Đã có kết quả xét tuyển được công bố: chạy lại từ đầu có thể lấy lại kết quả đã công bố, cần nêu lý do (ít nhất ${MIN_REASON_LENGTH} ký tự), ví dụ điểm thay đổi sau phúc khảo.`,
    `A result is already published: a run from scratch may take published admissions back, so give the reason (at least ${MIN_REASON_LENGTH} characters), e.g. marks changed by score reviews.`,
  );
}

/** Only a provisional run can be published. */
export function checkPublishable(kind: AdmissionRunKind): Finding | null {
  if (kind === 'provisional') return null;
  return error('ADMISSION_RUN_NOT_PROVISIONAL', 'run', 'Chỉ công bố được lần chạy tạm thời đã hoàn tất.', 'Only a finished provisional run can be published.', { kind });
}

/** Enrolment is confirmed up to and including the deadline instant. */
export function enrolmentOpen(now: Date, deadline: Date | null): boolean {
  return deadline === null || now.getTime() <= deadline.getTime();
}

// ---- what changed between two runs, and why ----

/** A candidate's line of a run, as stored. */
export interface RunLine {
  programme: string | null;
  wish: number | null;
  score: number | null;
  /** [wish, programme, reason, score] of every wish above the admission */
  notObtained: ReadonlyArray<readonly [number, string, string, number]>;
}

/**
 * Why a candidate's result changed:
 * - `own-score`: one of their own scores changed (score reviews) on a wish up to the one obtained;
 * - `wishes`: one of their wishes took part in one run and not the other (payment, eligibility), or the
 *   wish list differs;
 * - `cutoff`: nothing of theirs changed: others' changes moved a cut-off;
 * - `new` / `gone`: they are in only one of the two runs.
 * Under protect-published (second-run.ts) a result only ever improves, and the change says how:
 * - `moved-up`: admitted before, now at a higher wish whose published cut-off their new score reaches;
 * - `reached-cutoff`: not admitted before, now admitted additionally at a wish whose published cut-off their new score reaches;
 * - `free-place`: not admitted before, now in a place left free in a programme that had not filled.
 */
export type ChangeWhy = 'own-score' | 'wishes' | 'cutoff' | 'new' | 'gone' | 'moved-up' | 'reached-cutoff' | 'free-place';

export const CHANGE_WHYS = ['own-score', 'wishes', 'cutoff', 'new', 'gone', 'moved-up', 'reached-cutoff', 'free-place'] as const satisfies readonly ChangeWhy[];

/** The why of a protect-published change from how the run admitted the candidate (second-run.ts HOW_*), or null for another cause. */
export function whyProtected(how: number): ChangeWhy | null {
  return how === HOW_MOVED_UP ? 'moved-up' : how === HOW_REACHED_CUTOFF ? 'reached-cutoff' : how === HOW_FREE_PLACE ? 'free-place' : null;
}

export function sameResult(a: RunLine | null, b: RunLine | null): boolean {
  return (a?.programme ?? null) === (b?.programme ?? null) && (a?.wish ?? null) === (b?.wish ?? null);
}

/** The wish → [programme, excluded-or-not, score] a line tells about (wishes up to the one obtained). */
function known(l: RunLine): Map<number, { programme: string; excluded: boolean; score: number }> {
  const m = new Map<number, { programme: string; excluded: boolean; score: number }>();
  for (const [wish, programme, reason, score] of l.notObtained) m.set(wish, { programme, excluded: reason === 'unpaid' || reason === 'ineligible', score });
  if (l.wish !== null && l.programme !== null && l.score !== null) m.set(l.wish, { programme: l.programme, excluded: false, score: l.score });
  return m;
}

export function whyChanged(before: RunLine | null, after: RunLine | null): ChangeWhy {
  if (!before) return 'new';
  if (!after) return 'gone';
  const a = known(before);
  const b = known(after);
  let wishes = false;
  for (const [wish, x] of a) {
    const y = b.get(wish);
    if (!y) continue;
    if (y.programme !== x.programme || y.excluded !== x.excluded) wishes = true;
    else if (y.score !== x.score) return 'own-score';
  }
  return wishes ? 'wishes' : 'cutoff';
}

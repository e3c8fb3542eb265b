// The results morning (issue 22, item 5): the ministry's release instant for the year, and the read path
// of the public look-up. Results are immutable between two publications, so each process builds, once per
// publication, a snapshot of every published result keyed by candidate number: the numbers as a sorted
// Uint32Array, beside one Buffer holding each answer's JSON, already serialised. A look-up is a binary
// search and a slice of that Buffer; the database is asked only, at most once a second, whether anything
// was published since (publicationStamp), and the year and its release come from the cached current year.
// The snapshot is built from ten minutes before the release, so it is ready at 08:00.
import type { Db } from '../db/create-db.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { authorize } from '../policy/policy.ts';
import { requireYear } from '../dossiers/access.ts';
import { currentExamYearCached, forgetCurrentExamYear, setYearRule, type StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { getReference } from '../reference/reference.repository.ts';
import { isReleased, publicResult, releaseInstant, type PublicStatus, type ResultsRelease, type SubjectName } from '../../domain/results-release.ts';
import type { StoredMark } from '../../domain/exam-marks.ts';
import { findResult, publicationStamp, resultsPage } from './results.repository.ts';
import { findCandidateOfUser } from '../exam/exam.repository.ts';

/** the key of the year's rules that holds the release */
export const RELEASE_RULE = 'resultsRelease';
/** how long before the release the snapshot is built */
export const PREPARE_BEFORE_MS = 10 * 60_000;
/** how often a process asks whether a council published since its snapshot */
export const CHECK_EVERY_MS = 1000;
const PAGE = 20_000;

export function releaseOf(year: Pick<StoredExamYear, 'rules'>): ResultsRelease | null {
  const r = year.rules[RELEASE_RULE] as ResultsRelease | undefined;
  return r && typeof r.at === 'string' ? r : null;
}

/** The ministry sets (or moves) the year's release instant: a local date, 08:00 unless another time is given. Audited. */
export async function setResultsRelease(ctx: Ctx, input: { date: string; time?: string | undefined }): Promise<ResultsRelease> {
  authorize(ctx.actor, 'exam_year.manage', { type: 'national' });
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  const year = await requireYear(ctx.db);
  const localTime = input.time ?? '08:00';
  const at = releaseInstant(input.date, localTime);
  const before = releaseOf(year);
  // a release that has happened stays: results once shown are never taken back
  if (before && isReleased(before, ctx.now)) {
    throw new AppError('CONFLICT', 'Kết quả đã được công bố, không thể đổi thời điểm công bố.', 'The results have been released: the release instant can no longer change.', { code: 'RESULTS_ALREADY_RELEASED', details: { at: before.at } });
  }
  const release: ResultsRelease = { at: at.toISOString(), localDate: input.date, localTime, setBy: ctx.actor.userId, setAt: ctx.now.toISOString() };
  await ctx.db.write(async (trx) => {
    await setYearRule(trx, year.year, RELEASE_RULE, release, ctx.now);
    await appendAudit(trx, { action: 'results.release_set', actor: ctx.actor, targetType: 'exam_year', targetId: String(year.year), ip: ctx.ip, details: { at: release.at, previous: before?.at ?? null } }, ctx.now);
  });
  forgetCurrentExamYear(ctx.db.read);
  forgetResultsMorning(ctx.db);
  return release;
}

/** Every published result of a year, by number, each answer's JSON ready to send. Immutable. */
export class ResultsSnapshot {
  constructor(
    readonly examYear: number,
    readonly stamp: string,
    private readonly numbers: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly body: Buffer,
  ) {}

  get size(): number {
    return this.numbers.length;
  }

  get bytes(): number {
    return this.body.length + this.numbers.byteLength + this.ends.byteLength;
  }

  /** The answer's JSON for an 8-digit number, or undefined. */
  get(number: string): Buffer | undefined {
    const key = Number(number);
    let lo = 0;
    let hi = this.numbers.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.numbers[mid]!;
      if (v < key) lo = mid + 1;
      else if (v > key) hi = mid - 1;
      else return this.body.subarray(mid === 0 ? 0 : this.ends[mid - 1]!, this.ends[mid]!);
    }
    return undefined;
  }
}

/** Reads the year's results page by page in number order and serialises each public answer once. */
export async function buildSnapshot(db: Db, examYear: number, stamp: string): Promise<ResultsSnapshot> {
  let subjects: SubjectName[] = [];
  try {
    subjects = (await getReference<{ subjects: SubjectName[] }>(db.read, 'subjects')).subjects;
  } catch {
    subjects = [];
  }
  const numbers: number[] = [];
  const ends: number[] = [];
  const parts: Buffer[] = [];
  let pending: string[] = [];
  let total = 0;
  let after = '';
  for (;;) {
    const page = await resultsPage(db.read, examYear, after, PAGE);
    for (const r of page) {
      let marks: Record<string, StoredMark> = {};
      try {
        marks = (JSON.parse(r.detail) as { marks?: Record<string, StoredMark> }).marks ?? {};
      } catch {
        marks = {};
      }
      const json = JSON.stringify(publicResult({ number: r.number, examYear, departmentCode: r.departmentCode, status: r.status as PublicStatus, marks }, subjects));
      total += Buffer.byteLength(json);
      numbers.push(Number(r.number));
      ends.push(total);
      pending.push(json);
    }
    // one Buffer a page: the strings of a page are let go as soon as they are copied
    parts.push(Buffer.from(pending.join(''), 'utf8'));
    pending = [];
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.number;
  }
  return new ResultsSnapshot(examYear, stamp, Uint32Array.from(numbers), Uint32Array.from(ends), Buffer.concat(parts, total));
}

export type MorningState =
  | { released: false; examYear: number; release: ResultsRelease | null }
  | { released: true; examYear: number; release: ResultsRelease; snapshot: ResultsSnapshot };

/** One process's view of the morning on one database. */
class ResultsMorning {
  private checkedAt = -Infinity;
  private checking: Promise<void> | undefined;
  private year: StoredExamYear | undefined;
  private stamp = '';
  private snapshot: ResultsSnapshot | undefined;
  private building: { stamp: string; done: Promise<ResultsSnapshot> } | undefined;

  constructor(private readonly db: Db) {}

  private async check(now: Date): Promise<void> {
    const year = await currentExamYearCached(this.db.read);
    this.year = year;
    if (!year) return;
    const release = releaseOf(year);
    if (!release || now.getTime() < Date.parse(release.at) - PREPARE_BEFORE_MS) return;
    this.stamp = await publicationStamp(this.db.read, year.year);
    const key = `${year.year}:${this.stamp}`;
    if ((this.snapshot && `${this.snapshot.examYear}:${this.snapshot.stamp}` === key) || this.building?.stamp === key) return;
    const done = buildSnapshot(this.db, year.year, this.stamp);
    const building = { stamp: key, done };
    this.building = building;
    done.then(
      (s) => {
        if (this.building === building) {
          this.snapshot = s;
          this.building = undefined;
        }
      },
      () => {
        // a failed build is tried again at the next check
        if (this.building === building) this.building = undefined;
      },
    );
  }

  /**
   * The snapshot to answer from at once, without a database read or a wait: only while nothing is due (a
   * check ran within the last second and none is running), the year is released and its snapshot is there.
   * Otherwise undefined, and the caller goes the full way (`state`), which starts the check that is due.
   */
  ready(now: Date): ResultsSnapshot | undefined {
    if (this.checking || Date.now() - this.checkedAt >= CHECK_EVERY_MS) return undefined;
    const year = this.year;
    if (!year) return undefined;
    const release = releaseOf(year);
    if (!release || !isReleased(release, now)) return undefined;
    return this.snapshot?.examYear === year.year ? this.snapshot : undefined;
  }

  async state(now: Date): Promise<MorningState | undefined> {
    const t = Date.now();
    if (t - this.checkedAt >= CHECK_EVERY_MS && !this.checking) {
      this.checkedAt = t;
      this.checking = this.check(now).finally(() => (this.checking = undefined));
    }
    // the request that starts a check waits for it (two cheap reads, once a second; a build runs on its
    // own), so a release moved or a version published is seen by the first request after the check is due
    if (this.checking) await this.checking;
    const year = this.year;
    if (!year) return undefined;
    const release = releaseOf(year);
    if (!release || !isReleased(release, now)) return { released: false, examYear: year.year, release };
    // released: the snapshot of the last publication, or (the first time, or a year changed) wait for one
    let snap = this.snapshot?.examYear === year.year ? this.snapshot : undefined;
    if (!snap) {
      if (this.checking) await this.checking;
      if (this.building) snap = await this.building.done;
      else snap = this.snapshot?.examYear === year.year ? this.snapshot : undefined;
    }
    if (!snap) throw new AppError('UNAVAILABLE', 'Kết quả đang được chuẩn bị, xin thử lại sau ít giây.', 'The results are being prepared; please try again in a few seconds.', { code: 'RESULTS_PREPARING', headers: { 'retry-after': '2' } });
    return { released: true, examYear: year.year, release, snapshot: snap };
  }
}

const mornings = new WeakMap<Db, ResultsMorning>();

export function resultsMorning(db: Db): ResultsMorning {
  let m = mornings.get(db);
  if (!m) mornings.set(db, (m = new ResultsMorning(db)));
  return m;
}

/** After this process publishes or moves the release: its next look-up checks again at once (others within a second). */
export function forgetResultsMorning(db: Db): void {
  mornings.delete(db);
}

export function notReleased(release: ResultsRelease | null): AppError {
  const when = release ? ` (${release.localTime} ngày ${release.localDate.split('-').reverse().join('/')})` : '';
  const whenEn = release ? ` (${release.localTime} on ${release.localDate}, Vietnam time)` : '';
  return new AppError('NOT_FOUND', `Kết quả thi chưa được công bố${when}.`, `The results have not been released yet${whenEn}.`, {
    code: 'RESULTS_NOT_RELEASED',
    details: { releaseAt: release?.at ?? null },
    headers: { 'cache-control': 'no-store' },
  });
}

export function unknownNumber(number: string): AppError {
  return new AppError('NOT_FOUND', `Không có kết quả cho số báo danh ${number}: xin kiểm tra lại số báo danh.`, `No result for candidate number ${number}: please check the number.`, {
    code: 'RESULT_NOT_FOUND',
    fields: [{ code: 'RESULT_NOT_FOUND', field: 'number', severity: 'error', vi: 'Số báo danh không có kết quả.', en: 'No result for this candidate number.' }],
    headers: { 'cache-control': 'no-store' },
  });
}

export interface OwnResult {
  examYear: number;
  release: ResultsRelease;
  result: StoredResultOf;
  subjects: SubjectName[];
}
type StoredResultOf = NonNullable<Awaited<ReturnType<typeof findResult>>>;

/** The signed-in candidate's own result, from the release instant on (one keyed read). */
export async function ownResult(ctx: Ctx): Promise<OwnResult> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (ctx.actor.role !== 'candidate') throw AppError.forbidden();
  const year = await requireYear(ctx.db);
  const release = releaseOf(year);
  if (!isReleased(release, ctx.now)) throw notReleased(release);
  const me = await findCandidateOfUser(ctx.db.read, year.year, ctx.actor.userId);
  if (!me) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'candidate.read', { type: 'candidate', userId: ctx.actor.userId, pointId: me.pointId, departmentCode: me.departmentCode });
  const result = await findResult(ctx.db.read, year.year, me.id);
  if (!result) {
    throw new AppError('NOT_FOUND', 'Chưa có kết quả thi của bạn: hội đồng thi chưa công bố điểm của bạn.', 'There is no result of yours yet: your exam council has not published your marks.', { code: 'RESULT_NOT_FOUND' });
  }
  let subjects: SubjectName[] = [];
  try {
    subjects = (await getReference<{ subjects: SubjectName[] }>(ctx.db.read, 'subjects')).subjects;
  } catch {
    subjects = [];
  }
  return { examYear: year.year, release: release!, result, subjects };
}

// A candidate's admission wishes (issue 23 item 2): finding published programmes, reading the list with
// each wish's eligibility (checkWish from src/domain, the same the browser runs), and saving the list as
// it is edited: If-Match on the list's version (412 when stale, 428 without it), the year's cap, no
// repeats, only in the window (closing 17:00 local) and never once frozen. An institution's counts.
import { AppError } from '../http/errors.ts';
import { authorize, authorizeScope } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { currentExamYearCached } from '../exam-years/exam-years.repository.ts';
import { getReference } from '../reference/reference.repository.ts';
import { newId } from '../ids.ts';
import { etagOf } from '../http/etag.ts';
import type { z } from 'zod';
import { admissionConfigOf, type AdmissionConfig, type wishListResponse } from '../../contracts/admission.ts';
import type { CombinationsFile } from '../../domain/admission-score.ts';
import { priorityTableFor, type PriorityFile, type PriorityTable } from '../../domain/priority-object.ts';
import { admissionWindowState, bestCombination, checkWishList, searchKey, wishEligibility, type AdmissionWindowState } from '../../domain/admission-wishes.ts';
import type { Finding } from '../../domain/messages.ts';
import {
  candidateOfUser,
  institutionWishCounts,
  programmesByIds,
  publishedMarks,
  replaceWishList,
  searchPublishedProgrammes,
  wishList,
  type ProgrammeRow,
  type StoredWish,
} from './admission.repository.ts';
import type { Ctx } from '../context.ts';

export interface Programme {
  id: string;
  institutionCode: string;
  code: string;
  method: string;
  name: string;
  combinations: Array<{ code: string; weights?: Record<string, number> }>;
  scoring: 'sum' | 'weighted-30';
  quota: number;
  minScore: number | null;
  teacherTraining: boolean;
}

export const programmeOf = (r: ProgrammeRow): Programme => ({
  id: r.id,
  institutionCode: r.institution_code,
  code: r.code,
  method: r.method,
  name: r.name,
  combinations: JSON.parse(r.combinations) as Programme['combinations'],
  scoring: r.scoring,
  quota: r.quota,
  minScore: r.min_score_centi === null ? null : r.min_score_centi / 100,
  teacherTraining: r.teacher_training === 1,
});

async function admissionYear(ctx: Ctx): Promise<{ year: number; config: AdmissionConfig }> {
  const y = await currentExamYearCached(ctx.db.read);
  const config = y ? admissionConfigOf(y.rules) : null;
  if (!y || !config) {
    throw new AppError('CONFLICT', 'Kỳ tuyển sinh năm nay chưa được cấu hình.', "This year's admission registration is not configured yet.", { code: 'ADMISSION_NOT_CONFIGURED' });
  }
  return { year: y.year, config };
}

export async function findProgrammes(ctx: Ctx, q: string, limit: number): Promise<{ items: Programme[]; truncated: boolean }> {
  authorizeScope(ctx.actor, 'admission.wish');
  const { year } = await admissionYear(ctx);
  // LIKE's own wildcards are not the candidate's to use
  const key = searchKey(q).replace(/[%_\\]/g, '');
  const code = q.trim().toUpperCase().replace(/[^A-Z0-9-]/g, '');
  if (key.length < 2 && code.length < 2) return { items: [], truncated: false };
  const rows = await searchPublishedProgrammes(ctx.db.read, year, key || '\u0000', code || '\u0000', limit + 1);
  return { items: rows.slice(0, limit).map(programmeOf), truncated: rows.length > limit };
}

export interface WishView {
  position: number;
  programme: Programme;
  combination: string;
  feeStatus: StoredWish['feeStatus'];
  eligibility: 'eligible' | 'ineligible' | 'no_results';
  score: number | null;
  reasons: Finding[];
}

export interface WishListView {
  examYear: number;
  version: number;
  window: { opensAt: string; closesAt: string; state: AdmissionWindowState };
  wishCap: number | null;
  teacherTrainingMaxPosition: number | null;
  feePerWishVnd: number;
  frozen: boolean;
  wishes: WishView[];
  eligibilityInput: ListInput;
}

/** the domain's EligibilityInput as the API sends it */
type ListInput = z.output<typeof wishListResponse>['eligibilityInput'];

interface Me {
  year: number;
  config: AdmissionConfig;
  candidate: { id: string; pointId: string; departmentCode: string };
}

async function me(ctx: Ctx): Promise<Me> {
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  const { year, config } = await admissionYear(ctx);
  const candidate = await candidateOfUser(ctx.db.read, actor.userId, year);
  if (!candidate) throw AppError.notFound('candidate');
  authorize(actor, 'admission.wish', { type: 'candidate', userId: actor.userId, pointId: candidate.pointId, departmentCode: candidate.departmentCode });
  return { year, config, candidate };
}

/**
 * The part of the year's priority table an admission score reads (areas, the objects the candidate
 * claims, the reduction): the list is answered on every save, so the rest of the table stays behind.
 */
function admissionPart(table: PriorityTable | undefined, objects: readonly string[]): PriorityTable | null {
  if (!table) return null;
  const { assumption: _a, encouragementNote: _n, graduation: _g, ...kept } = table;
  return { ...kept, objects: table.objects.filter((o) => objects.includes(o.code)), graduation: { groups: [] } };
}

/** What every wish of the candidate is checked against (the same the browser is sent). */
async function listInput(ctx: Ctx, m: Me): Promise<ListInput> {
  const [combos, priority, exam] = await Promise.all([
    getReference<CombinationsFile>(ctx.db.read, 'combinations'),
    getReference<PriorityFile>(ctx.db.read, 'priority'),
    publishedMarks(ctx.db.read, m.year, m.candidate.id),
  ]);
  // assumption: the priority standing (area, objects) is not read yet; the score counts none
  const standing = { area: null, objects: [] as string[], graduationYear: m.year };
  return {
    rules: { wishCap: m.config.wishCap, teacherTrainingMaxPosition: m.config.teacherTrainingMaxPosition, combinationFloor: m.config.combinationFloor },
    exam: exam.hasResult ? { scores: exam.marks, ...(exam.foreignLanguage ? { foreignLanguage: exam.foreignLanguage } : {}) } : null,
    combinations: combos.combinations,
    priority: admissionPart(priorityTableFor(priority, m.year), standing.objects),
    standing,
    admissionYear: m.year,
  };
}

/** Each wish's eligibility (wishEligibility, the same the browser runs) and what it was checked against. */
async function view(ctx: Ctx, m: Me, list: { version: number; frozenAt: string | null; wishes: StoredWish[] }, known?: ListInput): Promise<WishListView> {
  const [programmes, input] = await Promise.all([programmesByIds(ctx.db.read, list.wishes.map((w) => w.programmeId)), known ?? listInput(ctx, m)]);
  const byId = new Map(programmes.map((p) => [p.id, programmeOf(p)]));
  const state = admissionWindowState(m.config.window, ctx.now);
  const wishes: WishView[] = [];
  for (const w of list.wishes) {
    const p = byId.get(w.programmeId);
    if (!p) continue;
    wishes.push({ position: w.position, programme: p, combination: w.combination, feeStatus: w.feeStatus, ...wishEligibility(p, w.combination, w.position, input) });
  }
  return {
    examYear: m.year,
    version: list.version,
    window: { opensAt: m.config.window.opensAt, closesAt: m.config.window.closesAt, state },
    wishCap: m.config.wishCap,
    teacherTrainingMaxPosition: m.config.teacherTrainingMaxPosition,
    feePerWishVnd: m.config.feePerWishVnd,
    frozen: list.frozenAt !== null || state === 'closed',
    wishes,
    eligibilityInput: input,
  };
}

export async function getOwnWishes(ctx: Ctx): Promise<WishListView> {
  const m = await me(ctx);
  return view(ctx, m, await wishList(ctx.db.read, m.year, m.candidate.id));
}

function stale(current: number): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    'Danh sách nguyện vọng đã được thay đổi ở nơi khác (thiết bị hoặc cửa sổ khác). Hãy xem bản hiện tại rồi lưu lại.',
    'The wish list was changed elsewhere (another device or window). Review the current list, then save again.',
    { code: 'VERSION_CONFLICT', details: { version: current }, headers: { etag: etagOf(current) } },
  );
}

export async function saveOwnWishes(ctx: Ctx, ifMatch: number | undefined, input: { wishes: Array<{ programmeId: string; combination?: string | undefined }> }): Promise<WishListView> {
  const m = await me(ctx);
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw AppError.unauthenticated();
  const current = await wishList(ctx.db.read, m.year, m.candidate.id);
  const state = admissionWindowState(m.config.window, ctx.now);
  if (current.frozenAt !== null || state === 'closed') {
    throw new AppError('CONFLICT', 'Đã hết hạn đăng ký nguyện vọng (17:00); danh sách của bạn đã được chốt.', 'Wish registration has closed (17:00); your list is final.', { code: 'WISHES_FROZEN' });
  }
  if (state === 'not_open') {
    throw new AppError('CONFLICT', 'Chưa đến thời gian đăng ký nguyện vọng.', 'Wish registration is not open yet.', { code: 'WINDOW_NOT_OPEN', details: { opensAt: m.config.window.opensAt } });
  }
  if (ifMatch === undefined) {
    throw new AppError('PRECONDITION_REQUIRED', 'Thiếu phiên bản danh sách nguyện vọng (If-Match). Hãy tải lại rồi lưu lại.', 'The wish list version (If-Match) is missing. Reload, then save again.', {
      code: 'IF_MATCH_REQUIRED',
      details: { version: current.version },
      headers: { etag: etagOf(current.version) },
    });
  }
  if (ifMatch !== current.version) throw stale(current.version);
  const ids = input.wishes.map((w) => w.programmeId);
  const findings = checkWishList(ids, m.config);
  const programmes = new Map((await programmesByIds(ctx.db.read, ids)).map((p) => [p.id, p]));
  input.wishes.forEach((w, i) => {
    const p = programmes.get(w.programmeId);
    if (!p || p.status !== 'published' || p.exam_year !== m.year) {
      findings.push({ code: 'PROGRAMME_UNKNOWN', field: `wishes.${i + 1}`, severity: 'error', vi: `Nguyện vọng ${i + 1}: không có ngành ${w.programmeId} đã công bố.`, en: `Wish ${i + 1}: no published programme ${w.programmeId}.` });
    } else if (w.combination !== undefined && !(JSON.parse(p.combinations) as Array<{ code: string }>).some((c) => c.code === w.combination)) {
      findings.push({ code: 'WISH_COMBINATION_UNKNOWN', field: `wishes.${i + 1}.combination`, severity: 'error', vi: `Ngành ${p.name} không xét tổ hợp ${w.combination}.`, en: `${p.name} does not admit on ${w.combination}.` });
    }
  });
  if (findings.length > 0) throw AppError.validation(findings);
  // a wish without a chosen combination takes the candidate's best one (the page shows the same by default)
  const checkedAgainst = input.wishes.some((w) => w.combination === undefined) ? await listInput(ctx, m) : null;
  const rows = input.wishes.map((w, i) => {
    const p = programmes.get(w.programmeId)!;
    return { id: newId(), programmeId: w.programmeId, combination: w.combination ?? bestCombination(programmeOf(p), i + 1, checkedAgainst!) };
  });
  await ctx.db.write(async (trx) => {
    if (!(await replaceWishList(trx, m.year, m.candidate.id, ifMatch, rows, current.wishes, ctx.now))) throw stale(current.version + 1);
    await appendAudit(trx, { action: 'admission.wishes_saved', actor, targetType: 'candidate', targetId: m.candidate.id, departmentCode: m.candidate.departmentCode, ip: ctx.ip, details: { version: ifMatch + 1, wishes: rows.length } }, ctx.now);
  });
  // the save's own reading of the marks and tables answers too (read once a save)
  return view(ctx, m, await wishList(ctx.db.read, m.year, m.candidate.id), checkedAgainst ?? undefined);
}

export interface InstitutionCounts {
  examYear: number;
  institutionId: string;
  positions: number;
  totals: { wishes: number; paidWishes: number; candidates: number; paidCandidates: number };
  programmes: Array<{ id: string; code: string; method: string; name: string; quota: number; wishes: number; paidWishes: number; byPosition: Record<string, number> }>;
}

export async function countsForInstitution(ctx: Ctx, institutionId: string): Promise<InstitutionCounts> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  authorize(ctx.actor, 'admission.stats', { type: 'institution', institutionId });
  const { year, config } = await admissionYear(ctx);
  const { programmes, counts, candidates, paidCandidates } = await institutionWishCounts(ctx.db.read, year, institutionId);
  const sum = (xs: ReadonlyArray<{ n: number }>) => xs.reduce((a, c) => a + c.n, 0);
  const list = programmes.map((p) => {
    const mine = counts.filter((c) => c.programme_id === p.id);
    const byPosition: Record<string, number> = {};
    for (const c of mine) byPosition[String(c.position)] = (byPosition[String(c.position)] ?? 0) + c.n;
    return { id: p.id, code: p.code, method: p.method, name: p.name, quota: p.quota, wishes: sum(mine), paidWishes: sum(mine.filter((c) => c.paid)), byPosition };
  });
  return {
    examYear: year,
    institutionId,
    positions: config.wishCap ?? counts.reduce((m, c) => Math.max(m, c.position), 0),
    totals: { wishes: sum(counts), paidWishes: sum(counts.filter((c) => c.paid)), candidates, paidCandidates },
    programmes: list,
  };
}

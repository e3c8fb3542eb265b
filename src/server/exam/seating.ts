// The department's commands for candidate numbers and rooms (issue 22, item 1): map registration points
// to exam sites, then number and seat the verified candidates with the domain's plan. Each run takes the
// stored plan and the current roster and writes only the difference, so a late correction never
// renumbers anyone else. Every change and every read of the numbered list is audited.
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize, type Resource } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { orgIdForCode } from '../org/org.repository.ts';
import { newId } from '../ids.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { timeSessions, timetableFor, type ExamScheduleReference, type TimedSession } from '../../domain/exam-notice.ts';
import { getReference } from '../reference/reference.repository.ts';
import { error as finding, type Finding } from '../../domain/messages.ts';
import { DEFAULT_SEATING, checkSeatingConfig, updateSeating, type SeatingChanges, type SeatingConfig } from '../../domain/exam-seating.ts';
import {
  applyPlanChanges, countSeating, findCandidateOfUser, findCandidateSeating, findCouncil, findSite, listNumbered, listSites, loadPlan, pointsOfDepartment, replaceSites, saveCouncil, verifiedRoster,
  type Council, type NumberedCandidate, type StoredSite,
} from './exam.repository.ts';

/**
 * The sessions every candidate of a scheme sits besides the electives and combinations on their dossier
 * (assumption: the dossier's filter column carries only those; a CT2006 GDTX candidate without the
 * language is seated for it too until the dossier module exposes the subjects sat).
 */
export const COMPULSORY_SESSIONS: Readonly<Record<'CT2006' | 'CT2018', readonly string[]>> = { CT2018: ['VAN', 'TOAN'], CT2006: ['VAN', 'TOAN', 'NN'] };

const departmentResource = (departmentCode: string): Resource => ({ type: 'org', orgUnitId: orgIdForCode(departmentCode), orgKind: 'department', departmentCode });

function authorizeDepartment(ctx: Ctx, departmentCode: string): void {
  authorize(ctx.actor, 'exam.manage', departmentResource(departmentCode));
}

export interface SeatingOverview {
  examYear: number;
  council: Council | null;
  sites: StoredSite[];
  points: Array<{ id: string; code: string; name: string; siteId: string | null }>;
  counts: { numbered: number; withdrawn: number; seats: number; rooms: number };
}

export async function seatingOverview(ctx: Ctx, departmentCode: string): Promise<SeatingOverview> {
  authorizeDepartment(ctx, departmentCode);
  const year = await requireYear(ctx.db);
  const [council, sites, points, counts] = await Promise.all([
    findCouncil(ctx.db.read, year.year, departmentCode),
    listSites(ctx.db.read, year.year, departmentCode),
    pointsOfDepartment(ctx.db.read, departmentCode),
    countSeating(ctx.db.read, year.year, departmentCode),
  ]);
  const siteOf = new Map(sites.flatMap((s) => s.pointIds.map((p) => [p, s.id] as const)));
  return { examYear: year.year, council: council ?? null, sites, points: points.map((p) => ({ ...p, siteId: siteOf.get(p.id) ?? null })), counts };
}

export interface SiteInput {
  id?: string | undefined;
  code: string;
  name: string;
  address: string;
  pointIds: string[];
}

/** The department's exam sites become exactly these, in this order (the order serials follow). */
export async function saveSites(ctx: Ctx, departmentCode: string, input: SiteInput[]): Promise<StoredSite[]> {
  authorizeDepartment(ctx, departmentCode);
  const year = await requireYear(ctx.db);
  const own = new Set((await pointsOfDepartment(ctx.db.read, departmentCode)).map((p) => p.id));
  const existing = new Set((await listSites(ctx.db.read, year.year, departmentCode)).map((s) => s.id));
  const problems: Finding[] = [];
  const seenPoint = new Map<string, number>();
  const seenCode = new Set<string>();
  input.forEach((s, i) => {
    if (seenCode.has(s.code)) problems.push(finding('EXAM_SITE_CODE_TWICE', `sites[${i}].code`, `Mã điểm thi ${s.code} bị trùng.`, `Site code ${s.code} is used twice.`));
    seenCode.add(s.code);
    if (s.id !== undefined && !existing.has(s.id)) problems.push(finding('EXAM_SITE_UNKNOWN', `sites[${i}].id`, 'Điểm thi không tồn tại.', 'No such exam site.'));
    s.pointIds.forEach((p, j) => {
      if (!own.has(p)) problems.push(finding('EXAM_SITE_POINT_OUTSIDE', `sites[${i}].pointIds[${j}]`, 'Điểm tiếp nhận không thuộc sở này.', 'The registration point is not in this department.', { pointId: p }));
      const had = seenPoint.get(p);
      if (had !== undefined) problems.push(finding('EXAM_SITE_POINT_TWICE', `sites[${i}].pointIds[${j}]`, `Điểm tiếp nhận đã được xếp vào điểm thi thứ ${had + 1}.`, `The registration point is already mapped to site ${had + 1}.`, { pointId: p }));
      seenPoint.set(p, i);
    });
  });
  if (problems.length > 0) throw AppError.validation(problems);
  const sites: StoredSite[] = input.map((s) => ({ id: s.id ?? newId(), code: s.code, name: s.name.normalize('NFC'), address: s.address.normalize('NFC'), pointIds: s.pointIds }));
  await ctx.db.write(async (trx) => {
    await replaceSites(trx, year.year, departmentCode, sites, ctx.now);
    await appendAudit(trx, { action: 'exam.sites_saved', actor: ctx.actor, targetType: 'department', targetId: departmentCode, departmentCode, ip: ctx.ip, details: { sites: sites.length, points: seenPoint.size } }, ctx.now);
  });
  return sites;
}

export interface AssignResult {
  planVersion: number;
  changes: { numbered: number; withdrawn: number; reinstated: number; seatsAdded: number; seatsRemoved: number };
  /** numbers of candidates who were numbered in this run (the rest kept theirs) */
  newlyNumbered: string[];
  findings: Finding[];
  counts: { numbered: number; withdrawn: number; seats: number; rooms: number };
}

/**
 * Numbers and seats the department's verified candidates, or brings the stored plan up to date with the
 * roster (a late correction: newcomers get the next serials, a withdrawn candidate's number is retired,
 * nobody else moves). Only once registration has closed. The room size and the last room's allowance may
 * be set on any run; they shape rooms laid out from then on.
 */
export async function assignSeating(ctx: Ctx, departmentCode: string, config: Partial<SeatingConfig> = {}): Promise<AssignResult> {
  authorizeDepartment(ctx, departmentCode);
  const year = await requireYear(ctx.db);
  const phase = phaseAt(year, ctx.now);
  if (phase !== 'correction' && phase !== 'closed') {
    throw new AppError('CONFLICT', 'Chỉ đánh số báo danh sau khi hết hạn đăng ký dự thi.', 'Candidate numbers are assigned only after registration has closed.', { code: 'EXAM_REGISTRATION_OPEN' });
  }
  const councilCode = departmentCode;
  return ctx.db.write(async (trx) => {
    const council = await findCouncil(trx, year.year, departmentCode);
    const cfg: SeatingConfig = {
      roomSize: config.roomSize ?? council?.roomSize ?? DEFAULT_SEATING.roomSize,
      lastRoomMax: config.lastRoomMax ?? council?.lastRoomMax ?? DEFAULT_SEATING.lastRoomMax,
      // the first serial is fixed by the first run
      firstSerial: council?.firstSerial ?? config.firstSerial ?? DEFAULT_SEATING.firstSerial,
    };
    const bad = checkSeatingConfig(cfg, councilCode);
    if (bad.length > 0) throw AppError.validation(bad);
    const prev = await loadPlan(trx, year.year, departmentCode, councilCode, council?.lastSerial ?? cfg.firstSerial - 1);
    const sites = await listSites(trx, year.year, departmentCode);
    const compulsory = COMPULSORY_SESSIONS[year.scheme];
    const roster = (await verifiedRoster(trx, year.year, departmentCode)).map((c) => ({
      id: c.id,
      pointId: c.pointId,
      fullName: c.fullName,
      sessions: [...new Set([...compulsory, ...(c.subjectsCombo ? c.subjectsCombo.split('+') : [])])],
    }));
    const { plan, changes, findings } = updateSeating(prev, roster, sites, cfg);
    const written = await applyPlanChanges(trx, year.year, departmentCode, prev, plan, ctx.now);
    await saveCouncil(trx, { examYear: year.year, departmentCode, councilCode, ...cfg, lastSerial: plan.lastSerial, planned: true }, ctx.now);
    const summary = summarize(changes);
    await appendAudit(
      trx,
      { action: 'exam.seating_assigned', actor: ctx.actor, targetType: 'department', targetId: departmentCode, departmentCode, ip: ctx.ip, details: { ...summary, ...written, roomSize: cfg.roomSize, lastRoomMax: cfg.lastRoomMax, problems: findings.length } },
      ctx.now,
    );
    const after = await findCouncil(trx, year.year, departmentCode);
    const numberOf = new Map(plan.numbers.map((n) => [n.candidateId, n.number]));
    return {
      planVersion: after?.planVersion ?? 1,
      changes: summary,
      newlyNumbered: changes.numbered.map((id) => numberOf.get(id) ?? '').filter((n) => n !== ''),
      findings,
      counts: await countSeating(trx, year.year, departmentCode),
    };
  });
}

function summarize(c: SeatingChanges): AssignResult['changes'] {
  return { numbered: c.numbered.length, withdrawn: c.withdrawn.length, reinstated: c.reinstated.length, seatsAdded: c.seatsAdded.length, seatsRemoved: c.seatsRemoved.length };
}

export const NUMBERS_PAGE = 200;

/** A page of the department's numbered candidates in serial order (personal data: audited). */
export async function listCandidateNumbers(ctx: Ctx, departmentCode: string, q: { pointId?: string | undefined; after?: number | undefined }): Promise<{ items: Array<NumberedCandidate & { serial: number }>; nextAfter: number | null }> {
  authorizeDepartment(ctx, departmentCode);
  const year = await requireYear(ctx.db);
  const rows = await listNumbered(ctx.db.read, year.year, departmentCode, { ...(q.pointId !== undefined ? { pointId: q.pointId } : {}), limit: NUMBERS_PAGE + 1, afterSerial: q.after ?? 0 });
  const more = rows.length > NUMBERS_PAGE;
  const items = more ? rows.slice(0, NUMBERS_PAGE) : rows;
  await ctx.db.write((trx) =>
    appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'candidate_numbers', targetId: departmentCode, departmentCode, ip: ctx.ip, details: { what: 'exam.numbers', results: items.length } }, ctx.now),
  );
  return { items, nextAfter: more ? items[items.length - 1]!.serial : null };
}

export interface OwnSeating {
  examYear: number;
  /** null until the department has numbered the candidate */
  number: string | null;
  site: { code: string; name: string; address: string } | null;
  /** when to come to the site for the check-in (làm thủ tục dự thi), from the year's timetable */
  checkIn: { date: string; time: string } | null;
  /** in the order they are sat; `slot` null when the timetable does not place the session */
  sessions: TimedSession[];
}

/** The signed-in candidate's own number, site and rooms (what the exam notice will print). */
export async function ownSeating(ctx: Ctx): Promise<OwnSeating> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (ctx.actor.role !== 'candidate') throw AppError.forbidden();
  const year = await requireYear(ctx.db);
  const me = await findCandidateOfUser(ctx.db.read, year.year, ctx.actor.userId);
  if (!me) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'candidate.read', { type: 'candidate', userId: ctx.actor.userId, pointId: me.pointId, departmentCode: me.departmentCode });
  const s = await findCandidateSeating(ctx.db.read, year.year, me.id);
  if (!s) return { examYear: year.year, number: null, site: null, checkIn: null, sessions: [] };
  const [site, schedule] = await Promise.all([findSite(ctx.db.read, s.siteId), getReference<ExamScheduleReference>(ctx.db.read, 'exam-schedule')]);
  // the same times the notice prints
  const { checkIn, timetable } = timetableFor(schedule, year.year, year.scheme);
  return { examYear: year.year, number: s.number, site: site ?? null, checkIn, sessions: timeSessions(timetable, s.seats) };
}

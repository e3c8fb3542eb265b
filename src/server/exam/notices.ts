// The exam notice (giấy báo dự thi) and the room lists (issue 22, item 2). A candidate downloads their
// own notice; staff download one candidate's in their scope, a point a whole class's in one PDF and the
// room lists of its candidates, a department the full room lists. Only once the department has numbered
// the candidates (else a bilingual 409 EXAM_NOT_NUMBERED). Files are drawn on the render threads
// (notice-pdf.ts, room-lists-xlsx.ts); staff downloads are audited as personal-data reads, and a refusal
// is the policy's one 403, recorded by the access audit.
import type { Ctx } from '../context.ts';
import type { RenderPool } from '../render/pool.ts';
import type { PreparedExport } from '../exports/export-list.ts';
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { formPhoto } from '../dossiers/form-pdf.ts';
import { staticContext } from '../dossiers/rules.ts';
import { findOrgUnit, orgIdForCode } from '../org/org.repository.ts';
import { getReference } from '../reference/reference.repository.ts';
import { resolvePointClass } from '../accounts/point-classes.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { formatVietnameseDate } from '../../domain/dates.ts';
import { instantToVietnamLocal } from '../../domain/time.ts';
import type { ExamYear } from '../../domain/exam-year.ts';
import { sessionWhen, slotEnd, timeSessions, timetableFor, type ExamScheduleReference, type SchemeTimetable } from '../../domain/exam-notice.ts';
import {
  classWithoutNumbers, findCandidateOfUser, findCandidateRecord, findCouncil, noticeCandidates, roomGroups, roomListRows, seatsOf, sitesById, type NoticeCandidate, type RoomListUnit,
} from './exam.repository.ts';
import type { ClassNoticesInput, NoticeCommon, NoticeData, NoticePage } from './notice-pdf.ts';
import type { RoomGroupPage, RoomListsInput } from './room-lists-xlsx.ts';

/** A class is a few dozen candidates (as for the class's registration forms). */
export const MAX_NOTICES = 120;
/** notices read and sent to the render thread at a time: a few photos' worth of memory */
const NOTICES_PER_PAGE = 10;

export function notNumbered(whose: 'own' | 'candidate' | 'class' | 'unit'): AppError {
  const text = {
    own: ['Bạn chưa có số báo danh: giấy báo dự thi có sau khi Sở GD&ĐT đánh số báo danh cho hồ sơ đã được duyệt.', 'You have no candidate number yet: the exam notice comes once the department has numbered the verified candidates.'],
    candidate: ['Thí sinh chưa có số báo danh: giấy báo dự thi có sau khi Sở GD&ĐT đánh số báo danh.', 'This candidate has no candidate number yet: the notice comes once the department has numbered them.'],
    class: ['Chưa có thí sinh nào của lớp được đánh số báo danh: giấy báo dự thi có sau khi Sở GD&ĐT đánh số.', 'No candidate of this class has a candidate number yet: notices come once the department has numbered them.'],
    unit: ['Chưa có thí sinh nào được đánh số báo danh và xếp phòng thi.', 'No candidate has been numbered and seated yet.'],
  }[whose];
  return new AppError('CONFLICT', text[0]!, text[1]!, { code: 'EXAM_NOT_NUMBERED' });
}

interface NoticeContext {
  common: NoticeCommon;
  timetable: SchemeTimetable | null;
  subjectName: (code: string) => string;
}

async function noticeContext(ctx: Ctx, year: ExamYear, departmentCode: string, title: string): Promise<NoticeContext> {
  const [dept, council, schedule, names] = await Promise.all([
    findOrgUnit(ctx.db.read, orgIdForCode(departmentCode)),
    findCouncil(ctx.db.read, year.year, departmentCode),
    getReference<ExamScheduleReference>(ctx.db.read, 'exam-schedule'),
    staticContext(ctx.db.read),
  ]);
  const { checkIn, timetable } = timetableFor(schedule, year.year, year.scheme);
  return {
    common: {
      title,
      examYear: year.year,
      departmentName: dept?.name ?? departmentCode,
      councilCode: council?.councilCode ?? departmentCode,
      issuedOn: instantToVietnamLocal(ctx.now).date,
      checkIn,
      rules: [...schedule.rules],
    },
    timetable,
    subjectName: (code) => names.subjectNames.get(code)?.vi ?? code,
  };
}

/** The notices of these candidates, with their seats, sites and photos (a page's worth). */
async function noticesOf(ctx: Ctx, year: ExamYear, dataDir: string, nc: NoticeContext, list: readonly NoticeCandidate[]): Promise<NoticeData[]> {
  const [seats, sites] = await Promise.all([seatsOf(ctx.db.read, year.year, list.map((c) => c.candidateId)), sitesById(ctx.db.read, list.map((c) => c.siteId))]);
  const pointNames = new Map<string, string>();
  const out: NoticeData[] = [];
  for (const c of list) {
    if (!pointNames.has(c.pointId)) pointNames.set(c.pointId, (await findOrgUnit(ctx.db.read, c.pointId))?.name ?? '');
    const site = sites.get(c.siteId);
    out.push({
      number: c.number,
      fullName: c.fullName,
      dateOfBirth: c.dateOfBirth,
      gender: c.gender,
      idNumber: c.idNumber,
      className: c.className,
      pointName: pointNames.get(c.pointId) ?? '',
      site: { code: site?.code ?? '', name: site?.name ?? '', address: site?.address ?? '' },
      sessions: timeSessions(nc.timetable, seats.get(c.candidateId) ?? []).map((s) => ({
        name: nc.subjectName(s.session),
        date: s.slot?.date ?? null,
        start: s.slot?.start ?? null,
        end: s.slot ? slotEnd(s.slot) : null,
        minutes: s.slot?.minutes ?? null,
        room: s.room,
        seat: s.seat,
      })),
      photo: await formPhoto(ctx.db, dataDir, c.dossierId ?? undefined),
    });
  }
  return out;
}

async function oneNotice(ctx: Ctx, render: RenderPool, dataDir: string, year: ExamYear, c: NoticeCandidate): Promise<{ pdf: Buffer; fileName: string }> {
  const nc = await noticeContext(ctx, year, c.departmentCode, `Giấy báo dự thi ${year.year} — ${c.number}`);
  const [notice] = await noticesOf(ctx, year, dataDir, nc, [c]);
  const pdf = await render.run('exam-notice', { ...nc.common, notice: notice! });
  return { pdf, fileName: `giay-bao-du-thi-${year.year}-${c.number}.pdf` };
}

/** The signed-in candidate's own notice. */
export async function ownNotice(ctx: Ctx, render: RenderPool, dataDir: string): Promise<{ pdf: Buffer; fileName: string }> {
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (ctx.actor.role !== 'candidate') throw AppError.forbidden();
  const year = await requireYear(ctx.db);
  const me = await findCandidateOfUser(ctx.db.read, year.year, ctx.actor.userId);
  if (!me) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'candidate.read', { type: 'candidate', userId: ctx.actor.userId, pointId: me.pointId, departmentCode: me.departmentCode });
  const [c] = await noticeCandidates(ctx.db.read, year.year, { candidateId: me.id });
  if (!c) throw notNumbered('own');
  return oneNotice(ctx, render, dataDir, year, c);
}

/** One candidate's notice for staff in scope (their point, their department), audited. */
export async function candidateNotice(ctx: Ctx, render: RenderPool, dataDir: string, candidateId: string): Promise<{ pdf: Buffer; fileName: string }> {
  const year = await requireYear(ctx.db);
  const rec = await findCandidateRecord(ctx.db.read, year.year, candidateId);
  if (!rec) throw AppError.notFound('candidate');
  authorize(ctx.actor, 'candidate.read', { type: 'candidate', userId: rec.userId, pointId: rec.pointId, departmentCode: rec.departmentCode });
  const [c] = await noticeCandidates(ctx.db.read, year.year, { candidateId });
  if (!c) throw notNumbered('candidate');
  const out = await oneNotice(ctx, render, dataDir, year, c);
  if (ctx.actor.kind === 'user' && ctx.actor.role !== 'candidate') {
    await ctx.db.write((trx) =>
      appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'candidate', targetId: candidateId, departmentCode: rec.departmentCode, ip: ctx.ip, details: { document: 'exam_notice_pdf', examYear: year.year } }, ctx.now),
    );
  }
  return out;
}

const slug = (s: string) => foldDiacritics(s).replace(/[^a-z0-9]+/gi, '-');

/** Every notice of a class in one PDF, in number order, streamed from the render thread. */
export async function prepareClassNotices(ctx: Ctx, render: RenderPool, dataDir: string, target: { pointId: string; className: string }): Promise<PreparedExport> {
  const p = await findOrgUnit(ctx.db.read, target.pointId);
  if (!p || p.kind !== 'point' || !p.departmentCode) throw AppError.notFound('registration point');
  authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode });
  const year = await requireYear(ctx.db);
  const className = await resolvePointClass(ctx.db.read, p.id, year.year, target.className);
  const rows = await noticeCandidates(ctx.db.read, year.year, { pointId: p.id, className }, MAX_NOTICES + 1);
  if (rows.length > MAX_NOTICES) {
    throw new AppError('BAD_REQUEST', `Lớp có hơn ${MAX_NOTICES} thí sinh: hãy kiểm tra tên lớp.`, `More than ${MAX_NOTICES} candidates in this class: check the class name.`, { code: 'CLASS_TOO_LARGE' });
  }
  if (rows.length === 0) throw notNumbered('class');
  const withoutNumbers = await classWithoutNumbers(ctx.db.read, year.year, p.id, className);
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      { action: 'personal_data.read', actor: ctx.actor, targetType: 'export', targetId: p.id, departmentCode: p.departmentCode, ip: ctx.ip, details: { document: 'class_exam_notices_pdf', examYear: year.year, className, notices: rows.length } },
      ctx.now,
    ),
  );
  const nc = await noticeContext(ctx, year, p.departmentCode, `Giấy báo dự thi ${year.year} — ${p.code} — lớp ${className}`);
  const input: ClassNoticesInput = { ...nc.common, emptyText: `Lớp ${className} chưa có giấy báo dự thi. / No exam notices in class ${className} yet.`, withoutNumbers };
  async function* pages(): AsyncGenerator<NoticePage> {
    for (let i = 0; i < rows.length; i += NOTICES_PER_PAGE) yield await noticesOf(ctx, year, dataDir, nc, rows.slice(i, i + NOTICES_PER_PAGE));
  }
  return { fileName: `giay-bao-du-thi-${p.code}-${slug(className)}-${year.year}.pdf`, write: (out) => render.stream('class-notices', input, pages(), out) };
}

/**
 * The room lists as XLSX: a department's every room; a point's rooms holding its candidates, with only its
 * own candidates on them (their seats keep their numbers, so the gaps show where others sit).
 */
export async function prepareRoomLists(ctx: Ctx, render: RenderPool, unit: RoomListUnit): Promise<PreparedExport> {
  let departmentCode: string;
  let title: string;
  let code: string;
  if ('pointId' in unit) {
    const p = await findOrgUnit(ctx.db.read, unit.pointId);
    if (!p || p.kind !== 'point' || !p.departmentCode) throw AppError.notFound('registration point');
    authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode });
    departmentCode = p.departmentCode;
    title = `Đơn vị ĐKDT ${p.code} — ${p.name}`;
    code = p.code;
  } else {
    departmentCode = unit.departmentCode;
    authorize(ctx.actor, 'exam.manage', { type: 'org', orgUnitId: orgIdForCode(departmentCode), orgKind: 'department', departmentCode });
    const d = await findOrgUnit(ctx.db.read, orgIdForCode(departmentCode));
    title = `Hội đồng thi ${departmentCode}${d ? ` — ${d.name}` : ''}`;
    code = departmentCode;
  }
  const year = await requireYear(ctx.db);
  const groups = await roomGroups(ctx.db.read, year.year, unit);
  if (groups.length === 0) throw notNumbered('unit');
  const nc = await noticeContext(ctx, year, departmentCode, title);
  const sites = await sitesById(ctx.db.read, groups.map((g) => g.siteId));
  const whenOf = new Map(groups.map((g) => [g.session, sessionWhen(nc.timetable, g.session)] as const));
  const rank = (s: string) => whenOf.get(s)?.rank ?? `~${s}`;
  groups.sort((a, b) => (rank(a.session) < rank(b.session) ? -1 : rank(a.session) > rank(b.session) ? 1 : (sites.get(a.siteId)?.position ?? 0) - (sites.get(b.siteId)?.position ?? 0)));
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      {
        action: 'personal_data.read',
        actor: ctx.actor,
        targetType: 'export',
        targetId: 'pointId' in unit ? unit.pointId : departmentCode,
        departmentCode,
        ip: ctx.ip,
        details: { document: 'exam_room_lists_xlsx', examYear: year.year, groups: groups.length },
      },
      ctx.now,
    ),
  );
  const input: RoomListsInput = {
    examYear: year.year,
    title,
    withPoint: !('pointId' in unit),
    partialNote: 'pointId' in unit ? 'Chỉ gồm thí sinh của đơn vị; phòng thi có thể có thí sinh của đơn vị khác.' : null,
  };
  const pointId = 'pointId' in unit ? unit.pointId : undefined;
  async function* pages(): AsyncGenerator<RoomGroupPage> {
    for (const g of groups) {
      const site = sites.get(g.siteId);
      const w = whenOf.get(g.session);
      const when = w ? (w.start ? `${w.start} ngày ${formatVietnameseDate(w.date)}` : `ngày ${formatVietnameseDate(w.date)} (buổi thi môn tự chọn)`) : null;
      yield {
        site: { code: site?.code ?? '', name: site?.name ?? '', address: site?.address ?? '' },
        session: { code: g.session, name: nc.subjectName(g.session), when },
        rows: await roomListRows(ctx.db.read, year.year, g.siteId, g.session, pointId),
      };
    }
  }
  return { fileName: `danh-sach-phong-thi-${code}-${year.year}.xlsx`, write: (out) => render.stream('room-lists', input, pages(), out) };
}

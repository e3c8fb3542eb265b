// After a run (issue 24, items 4 and 5): a candidate's published result with the reason for every higher
// wish, the confirmation of enrolment by the year's deadline, an institution's admitted list (XLSX, drawn on
// a render thread) and cut-offs, and the dashboards (cut-offs by programme and combination, admissions by
// wish position) for the ministry (national) and an institution (its own). Provisional runs are seen by
// the ministry and the institutions only; candidates see the published run alone.
import type { Ctx } from '../context.ts';
import type { Services } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { authorize, can, type UserActor } from '../policy/policy.ts';
import { requireYear } from '../dossiers/access.ts';
import { renderPool } from '../render/pool.ts';
import { enrolmentOpen, runVisibleTo, type RunViewer } from '../../domain/admission/run-state.ts';
import { admissionRulesOf } from './runs.ts';
import { parseNotObtained } from './execute-run.ts';
import type { AdmittedListInput } from './admitted-list-xlsx.ts';
import {
  admittedTo,
  candidateChange,
  candidateOfUser,
  candidateResult,
  enrolmentCounts,
  enrolmentOf,
  findRun,
  institutionProgrammeIds,
  listRuns,
  orgUnitOf,
  programmeNames,
  programmeResults,
  publishedRun,
  upsertEnrolment,
  type ProgrammeResultRow,
  type RunRecord,
} from './run.repository.ts';

export interface ProgrammeRef {
  id: string;
  name: string;
  institutionCode: string;
  code: string;
  method: string;
}

const refOf = (id: string, names: Map<string, { name: string; institutionCode: string; code: string; method: string }>): ProgrammeRef => {
  const n = names.get(id);
  return { id, name: n?.name ?? id, institutionCode: n?.institutionCode ?? '', code: n?.code ?? '', method: n?.method ?? '' };
};

function notPublished(): AppError {
  return new AppError('NOT_FOUND', 'Kết quả xét tuyển chưa được công bố.', 'The admission results are not published yet.', { code: 'ADMISSION_NOT_PUBLISHED' });
}

// ---- the candidate ----

export interface OwnAdmission {
  examYear: number;
  run: { id: string; publishedAt: string | null };
  inRun: boolean;
  admitted: { wish: number; programme: ProgrammeRef; score: number } | null;
  notObtained: Array<{ wish: number; programme: ProgrammeRef; reason: string; score: number; cutoff: number | null; decidedBy: string | null }>;
  enrolment: { deadline: string | null; open: boolean; confirmedAt: string | null };
  /**
   * When this publication replaced an earlier one and changed the candidate's result: what they had before
   * (null: admitted nowhere, or not in that run) and why it changed; an enrolment confirmed for the earlier result is named too.
   */
  change: { before: { wish: number; programme: ProgrammeRef } | null; why: string; confirmedBefore: { programme: ProgrammeRef; confirmedAt: string } | null } | null;
}

async function ownContext(ctx: Ctx): Promise<{ actor: UserActor; year: number; candidateId: string; run: RunRecord; deadline: string | null }> {
  authorize(ctx.actor, 'admission.own', { type: 'candidate', userId: ctx.actor.kind === 'user' ? ctx.actor.userId : '', pointId: '', departmentCode: '' });
  const actor = ctx.actor as UserActor;
  const year = await requireYear(ctx.db);
  const run = await publishedRun(ctx.db.read, year.year);
  if (!run || !runVisibleTo(run.kind, 'candidate')) throw notPublished();
  const cand = await candidateOfUser(ctx.db.read, actor.userId, year.year);
  if (!cand) throw AppError.notFound('candidate');
  return { actor, year: year.year, candidateId: cand.id, run, deadline: admissionRulesOf(year.rules).enrolmentDeadline };
}

export async function ownAdmission(ctx: Ctx): Promise<OwnAdmission> {
  const o = await ownContext(ctx);
  const line = await candidateResult(ctx.db.read, o.run.id, o.candidateId);
  const not = line ? parseNotObtained(line.not_obtained) : [];
  const ids = [...(line?.programme_id ? [line.programme_id] : []), ...not.map((n) => n[1])];
  const [names, progs, enrolment] = await Promise.all([programmeNames(ctx.db.read, ids), programmeResults(ctx.db.read, o.run.id, [...new Set(ids)]), enrolmentOf(ctx.db.read, o.year, o.candidateId)]);
  const cutoff = new Map(progs.map((p) => [p.programme_id, p.cutoff_centi]));
  const confirmed = enrolment && line?.programme_id === enrolment.programmeId ? enrolment.confirmedAt : null;
  // a change is the candidate's to see only against a result they were shown: the publication this one replaced
  const previous = o.run.previousRunId ? await findRun(ctx.db.read, o.run.previousRunId) : null;
  const diff = previous?.publishedAt ? await candidateChange(ctx.db.read, o.run.id, o.candidateId) : null;
  let change: OwnAdmission['change'] = null;
  if (diff) {
    const before = diff.before_programme_id;
    const refs = await programmeNames(ctx.db.read, [before, enrolment?.programmeId].filter((x): x is string => !!x));
    change = {
      before: before && diff.before_wish !== null ? { wish: diff.before_wish, programme: refOf(before, refs) } : null,
      why: diff.why,
      confirmedBefore: enrolment && !confirmed ? { programme: refOf(enrolment.programmeId, refs), confirmedAt: enrolment.confirmedAt } : null,
    };
  }
  return {
    examYear: o.year,
    run: { id: o.run.id, publishedAt: o.run.publishedAt },
    inRun: line !== null,
    admitted: line?.programme_id ? { wish: line.wish!, programme: refOf(line.programme_id, names), score: line.score_centi! } : null,
    notObtained: not.map(([wish, programme, reason, score, decidedBy]) => ({ wish, programme: refOf(programme, names), reason, score, cutoff: cutoff.get(programme) ?? null, decidedBy })),
    enrolment: { deadline: o.deadline, open: enrolmentOpen(ctx.now, o.deadline ? new Date(o.deadline) : null), confirmedAt: confirmed },
    change,
  };
}

/** Confirms enrolment (xác nhận nhập học) at the programme the published run admits the candidate to. */
export async function confirmEnrolment(ctx: Ctx): Promise<{ programme: ProgrammeRef; confirmedAt: string }> {
  const o = await ownContext(ctx);
  const line = await candidateResult(ctx.db.read, o.run.id, o.candidateId);
  const refuse = async (reason: string, err: AppError): Promise<never> => {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'admission.enrolment_refused', actor: o.actor, targetType: 'candidate', targetId: o.candidateId, ip: ctx.ip, details: { runId: o.run.id, reason } }, ctx.now));
    throw err;
  };
  if (!line?.programme_id) {
    return refuse('not_admitted', new AppError('CONFLICT', 'Bạn không trúng tuyển nguyện vọng nào nên không có gì để xác nhận nhập học.', 'You were not admitted to any wish, so there is nothing to confirm.', { code: 'ADMISSION_NOT_ADMITTED' }));
  }
  if (!enrolmentOpen(ctx.now, o.deadline ? new Date(o.deadline) : null)) {
    return refuse(
      'deadline',
      new AppError('CONFLICT', `Đã hết hạn xác nhận nhập học (${formatLocal(o.deadline!)}, giờ Việt Nam).`, `The deadline to confirm enrolment has passed (${formatLocal(o.deadline!)}, Vietnam time).`, {
        code: 'ENROLMENT_CLOSED',
        details: { deadline: o.deadline },
      }),
    );
  }
  const at = ctx.now.toISOString();
  const programmeId = line.programme_id;
  await ctx.db.write(async (trx) => {
    await upsertEnrolment(trx, { examYear: o.year, candidateId: o.candidateId, runId: o.run.id, programmeId, at, by: o.actor.userId });
    await appendAudit(trx, { action: 'admission.enrolment_confirmed', actor: o.actor, targetType: 'candidate', targetId: o.candidateId, ip: ctx.ip, details: { runId: o.run.id, programmeId } }, ctx.now);
  });
  return { programme: refOf(programmeId, await programmeNames(ctx.db.read, [programmeId])), confirmedAt: at };
}

/** 30/08/2026 17:00 from an instant, in Vietnam time (UTC+7, no daylight saving). */
export function formatLocal(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

// ---- institutions ----

/**
 * May the actor see this institution's results? Its admissions officers and the ministry; a refusal is
 * audited (a staff member reaching for another institution's list is what an auditor asks about).
 */
async function authorizeInstitution(ctx: Ctx, institutionId: string): Promise<{ id: string; code: string; name: string }> {
  const unit = await orgUnitOf(ctx.db.read, institutionId);
  if (ctx.actor.kind !== 'user') throw AppError.unauthenticated();
  if (!can(ctx.actor, 'admission.results', { type: 'institution', institutionId })) {
    await ctx.db.write((trx) => appendAudit(trx, { action: 'admission.access_denied', actor: ctx.actor, targetType: 'institution', targetId: institutionId, ip: ctx.ip, details: { action: 'admission.results' } }, ctx.now));
    throw AppError.forbidden();
  }
  if (!unit) throw AppError.notFound('institution');
  return { id: unit.id, code: unit.code, name: unit.name };
}

/** The run an institution or the ministry looks at: the one named, else the published one, else the latest finished. */
async function viewedRun(ctx: Ctx, viewer: RunViewer, runId: string | undefined): Promise<RunRecord> {
  const year = await requireYear(ctx.db);
  let run: RunRecord | null;
  if (runId) run = await findRun(ctx.db.read, runId);
  else run = (await publishedRun(ctx.db.read, year.year)) ?? (await listRuns(ctx.db.read, year.year)).find((r) => runVisibleTo(r.kind, viewer)) ?? null;
  if (!run || run.examYear !== year.year || !runVisibleTo(run.kind, viewer)) throw new AppError('NOT_FOUND', 'Chưa có lần chạy xét tuyển nào hoàn tất.', 'No admission run has finished yet.', { code: 'ADMISSION_RUN_NOT_FOUND' });
  return run;
}

export interface DashboardProgramme {
  programme: ProgrammeRef;
  quota: number;
  applicants: number;
  admitted: number;
  confirmed: number;
  full: boolean;
  cutoff: number | null;
  lowestAdmitted: number | null;
  byCombination: Array<{ combination: string; admitted: number; lowest: number | null }>;
}

export interface Dashboard {
  run: RunRecord;
  scope: { kind: 'national' } | { kind: 'institution'; id: string; code: string; name: string };
  totals: { programmes: number; quota: number; applicants: number; admitted: number; confirmed: number; admittedAtFirstWish: number; shareAtFirstWish: number | null };
  byWish: Array<{ wish: number; admitted: number }>;
  byCombination: Array<{ combination: string; programmes: number; admitted: number; lowestMin: number | null; lowestMedian: number | null }>;
  programmes: DashboardProgramme[];
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};

async function dashboardOf(ctx: Ctx, run: RunRecord, programmeIds: string[] | null, scope: Dashboard['scope']): Promise<Dashboard> {
  const rows: ProgrammeResultRow[] = await programmeResults(ctx.db.read, run.id, programmeIds ?? undefined);
  const [names, confirmed] = await Promise.all([programmeNames(ctx.db.read, rows.map((r) => r.programme_id)), enrolmentCounts(ctx.db.read, run.id, run.examYear)]);
  const byWish = new Map<number, number>();
  const combos = new Map<string, { programmes: number; admitted: number; lowest: number[] }>();
  const programmes: DashboardProgramme[] = rows.map((r) => {
    for (const [k, v] of Object.entries(JSON.parse(r.by_wish) as Record<string, number>)) byWish.set(Number(k), (byWish.get(Number(k)) ?? 0) + v);
    const bc = Object.entries(JSON.parse(r.by_combination) as Record<string, { admitted: number; lowest: number }>).map(([combination, v]) => ({ combination, admitted: v.admitted, lowest: Number.isFinite(v.lowest) ? v.lowest : null }));
    for (const c of bc) {
      const e = combos.get(c.combination) ?? { programmes: 0, admitted: 0, lowest: [] };
      e.programmes += 1;
      e.admitted += c.admitted;
      if (c.lowest !== null) e.lowest.push(c.lowest);
      combos.set(c.combination, e);
    }
    return {
      programme: refOf(r.programme_id, names),
      quota: r.quota,
      applicants: r.applicants,
      admitted: r.admitted,
      confirmed: confirmed.get(r.programme_id) ?? 0,
      full: r.full === 1,
      cutoff: r.cutoff_centi,
      lowestAdmitted: r.lowest_admitted_centi,
      byCombination: bc.sort((a, b) => (a.combination < b.combination ? -1 : 1)),
    };
  });
  const admitted = programmes.reduce((s, p) => s + p.admitted, 0);
  const first = byWish.get(1) ?? 0;
  return {
    run,
    scope,
    totals: {
      programmes: programmes.length,
      quota: programmes.reduce((s, p) => s + p.quota, 0),
      applicants: programmes.reduce((s, p) => s + p.applicants, 0),
      admitted,
      confirmed: programmes.reduce((s, p) => s + p.confirmed, 0),
      admittedAtFirstWish: first,
      shareAtFirstWish: admitted > 0 ? first / admitted : null,
    },
    byWish: [...byWish].sort((a, b) => a[0] - b[0]).map(([wish, n]) => ({ wish, admitted: n })),
    byCombination: [...combos]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([combination, e]) => ({ combination, programmes: e.programmes, admitted: e.admitted, lowestMin: e.lowest.length ? Math.min(...e.lowest) : null, lowestMedian: median(e.lowest) })),
    programmes,
  };
}

/** The national dashboard (the ministry). */
export async function nationalDashboard(ctx: Ctx, runId: string | undefined): Promise<Dashboard> {
  authorize(ctx.actor, 'admission.run', { type: 'national' });
  const run = await viewedRun(ctx, 'ministry', runId);
  return dashboardOf(ctx, run, null, { kind: 'national' });
}

/** An institution's dashboard and cut-offs (its admissions officers, the ministry). */
export async function institutionDashboard(ctx: Ctx, institutionId: string, runId: string | undefined): Promise<Dashboard> {
  const inst = await authorizeInstitution(ctx, institutionId);
  const run = await viewedRun(ctx, 'institution', runId);
  const ids = await institutionProgrammeIds(ctx.db.read, run.examYear, inst.id);
  return dashboardOf(ctx, run, ids, { kind: 'institution', ...inst });
}

/** The institution's admitted list as XLSX, drawn on a render thread; a read of personal data, audited. */
export async function institutionAdmittedXlsx(ctx: Ctx, s: Services, institutionId: string, runId: string | undefined): Promise<{ fileName: string; data: Uint8Array }> {
  const inst = await authorizeInstitution(ctx, institutionId);
  const run = await viewedRun(ctx, 'institution', runId);
  const ids = await institutionProgrammeIds(ctx.db.read, run.examYear, inst.id);
  const [rows, names, progs] = await Promise.all([admittedTo(ctx.db.read, run.id, run.examYear, ids), programmeNames(ctx.db.read, ids), programmeResults(ctx.db.read, run.id, ids)]);
  await ctx.db.write((trx) =>
    appendAudit(trx, { action: 'personal_data.read', actor: ctx.actor, targetType: 'institution', targetId: inst.id, ip: ctx.ip, details: { document: 'admitted_list_xlsx', runId: run.id, kind: run.kind, rows: rows.length } }, ctx.now),
  );
  const input: AdmittedListInput = {
    examYear: run.examYear,
    institution: { code: inst.code, name: inst.name },
    run: { id: run.id, kind: run.kind === 'published' ? 'published' : 'provisional', resultHash: run.resultHash ?? '' },
    programmes: progs.map((p) => ({ ...refOf(p.programme_id, names), quota: p.quota, admitted: p.admitted, cutoff: p.cutoff_centi })),
    rows: rows.map((r) => ({ programmeId: r.programmeId, number: r.number, fullName: r.fullName, dateOfBirth: r.dateOfBirth, wish: r.wish, score: r.scoreCenti, confirmedAt: r.confirmedAt })),
  };
  const data = await renderPool(s).run('admitted-list', input);
  return { fileName: `danh-sach-trung-tuyen-${inst.code}-${run.examYear}${run.kind === 'published' ? '' : '-tam-thoi'}.xlsx`, data };
}

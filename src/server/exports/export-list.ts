// The class list for signature as XLSX, streamed: rows are read here in keyset pages of PAGE_SIZE and
// sent one page at a time to a render thread that writes the workbook (candidate-list-xlsx.ts), waiting
// for the client between pages, so a province of 120,000 candidates never sits in memory.
import type { Writable } from 'node:stream';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { authorize } from '../policy/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { findOrgUnit, orgIdForCode } from '../org/org.repository.ts';
import { getReference } from '../reference/reference.repository.ts';
import { requireYear } from '../dossiers/access.ts';
import { resolvePointClass } from '../accounts/point-classes.ts';
import { fillMissingSortKeys } from '../verification/verification.repository.ts';
import type { RenderPool } from '../render/pool.ts';
import { phaseAt } from '../../domain/exam-year.ts';
import { foldDiacritics } from '../../domain/names.ts';
import { exportPage, type ExportRow, type ExportUnit } from './exports.repository.ts';
import type { CandidateListInput } from './candidate-list-xlsx.ts';

export const PAGE_SIZE = 2000;

export interface PreparedExport {
  fileName: string;
  /**
   * Writes the file to `out` and ends it; resolves with the number of candidates. Throws at once (503)
   * when the render queue is full, before anything is sent.
   */
  write(out: Writable): Promise<number>;
}

function fileNameOf(parts: string[]): string {
  return `${parts.map((p) => foldDiacritics(p).replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')).filter(Boolean).join('-')}.xlsx`;
}

/** Resolves and authorizes the unit, audits the export, and returns the writer (nothing is read yet). */
export async function prepareCandidateList(
  ctx: Ctx,
  render: RenderPool,
  target: { pointId: string; className?: string | undefined } | { departmentCode: string },
  opts: { pageSize?: number; onPage?: (rows: number) => void; onWorkerHeap?: (bytes: number) => void } = {},
): Promise<PreparedExport> {
  let unit: ExportUnit;
  let title: string;
  let nameParts: string[];
  let departmentCode: string;
  let className = 'pointId' in target ? target.className : undefined;
  if ('pointId' in target) {
    const p = await findOrgUnit(ctx.db.read, target.pointId);
    if (!p || p.kind !== 'point' || !p.departmentCode) throw AppError.notFound('registration point');
    authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: p.id, orgKind: 'point', departmentCode: p.departmentCode });
    // a class the point does not have is said so, not answered with an empty file
    if (className !== undefined) className = await resolvePointClass(ctx.db.read, p.id, (await requireYear(ctx.db)).year, className);
    unit = { pointId: p.id };
    departmentCode = p.departmentCode;
    title = `${p.code} — ${p.name}${className ? ` — lớp ${className}` : ''}`;
    nameParts = ['danh-sach', p.code, ...(className ? [className] : [])];
  } else {
    const d = await findOrgUnit(ctx.db.read, orgIdForCode(target.departmentCode));
    if (!d || d.kind !== 'department') throw AppError.notFound('department');
    authorize(ctx.actor, 'dossier.export', { type: 'org', orgUnitId: d.id, orgKind: 'department', departmentCode: target.departmentCode });
    unit = { departmentCode: target.departmentCode };
    departmentCode = target.departmentCode;
    title = `${d.code} — ${d.name}`;
    nameParts = ['danh-sach-so', d.code];
  }
  const year = await requireYear(ctx.db);
  const isTrial = phaseAt(year, ctx.now) === 'trial';
  const withPoint = 'departmentCode' in unit;
  await ctx.db.write((trx) =>
    appendAudit(
      trx,
      { action: 'personal_data.read', actor: ctx.actor, targetType: 'export', targetId: 'pointId' in unit ? unit.pointId : `department:${departmentCode}`, departmentCode, ip: ctx.ip, details: { document: 'candidate_list_xlsx', examYear: year.year, ...(className ? { className } : {}) } },
      ctx.now,
    ),
  );
  const subjects = await getReference<{ subjects: Array<{ code: string; vi: string }> }>(ctx.db.read, 'subjects').catch(() => ({ subjects: [] }));
  const subjectNames = new Map(subjects.subjects.map((s) => [s.code, s.vi]));
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const input: CandidateListInput = { examYear: year.year, title, withPoint, subjectNames };
  async function* pages(): AsyncGenerator<ExportRow[]> {
    // bulk-loaded rows get their Vietnamese sort key first, the way the verification queue does
    await fillMissingSortKeys(ctx.db, unit);
    let after: { sortKey: string; id: string } | undefined;
    for (;;) {
      const rows = await exportPage(ctx.db.read, unit, { examYear: year.year, isTrial, className, after, limit: pageSize });
      opts.onPage?.(rows.length);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { sortKey: last.sortKey, id: last.candidateId };
    }
  }
  return {
    fileName: fileNameOf([...nameParts, String(year.year)]),
    write: (out) => render.stream('candidate-list', input, pages(), out, { onWorkerHeap: opts.onWorkerHeap }),
  };
}

// Computes and stores the graduation results of a council's candidates with the domain's formula
// (src/domain/graduation-candidate.ts), from the published marks, the verified dossiers and the school
// averages. Called inside the publication's transaction, so the results and the marks they come from
// are published together.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getReference } from '../reference/reference.repository.ts';
import { candidateGraduation, type GraduationRefs } from '../../domain/graduation-candidate.ts';
import type { SchemeCode } from '../../domain/exam-year.ts';
import type { Scheme } from '../../domain/subjects.ts';
import { averagesOf, marksOf, numbersOf, upsertResults, verifiedDossiers, type ResultRow } from './results.repository.ts';

export async function graduationRefs(db: Kysely<DB>): Promise<GraduationRefs> {
  const [schemes, graduation, priority, subjects] = await Promise.all([
    getReference<{ schemes: Scheme[] }>(db, 'schemes'),
    getReference<GraduationRefs['graduation']>(db, 'graduation'),
    getReference<GraduationRefs['priority']>(db, 'priority'),
    getReference<{ subjects: GraduationRefs['subjects'] }>(db, 'subjects'),
  ]);
  return { schemes: schemes.schemes, graduation, priority, subjects: subjects.subjects };
}

const centi = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 100));

export interface ComputeSummary {
  computed: number;
  passed: number;
  failed: number;
  incomplete: number;
  notApplicable: number;
}

/** Computes and stores the results of `candidateIds` as of the council's version `version`. */
export async function computeResults(
  trx: Kysely<DB>,
  at: { examYear: number; departmentCode: string; yearScheme: SchemeCode; version: number; importId: string },
  candidateIds: readonly string[],
  now: Date,
): Promise<ComputeSummary> {
  const summary: ComputeSummary = { computed: 0, passed: 0, failed: 0, incomplete: 0, notApplicable: 0 };
  if (candidateIds.length === 0) return summary;
  const refs = await graduationRefs(trx);
  const [dossiers, marks, averages, numbers] = await Promise.all([
    verifiedDossiers(trx, at.examYear, candidateIds),
    marksOf(trx, at.examYear, candidateIds),
    averagesOf(trx, at.examYear, candidateIds),
    numbersOf(trx, at.examYear, candidateIds),
  ]);
  const rows: ResultRow[] = [];
  for (const id of candidateIds) {
    const number = numbers.get(id);
    if (!number) continue; // withdrawn since: no result to publish
    const d = dossiers.get(id);
    const a = averages.get(id);
    const programme: SchemeCode = d?.programme === 'CT2006' || d?.programme === 'CT2018' ? d.programme : at.yearScheme;
    const g = candidateGraduation(refs, at.examYear, { dossier: d?.data ?? {}, programme, marks: marks.get(id) ?? {}, averages: a ? { grade10: a.grade10, grade11: a.grade11, grade12: a.grade12, graduationGroups: a.graduationGroups } : null });
    const r = g.result;
    rows.push({
      candidateId: id,
      departmentCode: at.departmentCode,
      number,
      scheme: g.scheme,
      version: at.version,
      importId: at.importId,
      status: g.status,
      scoreCenti: centi(r?.score),
      schoolAverageCenti: centi(r?.schoolAverage),
      encouragementCenti: centi(r?.encouragementPoints) ?? 0,
      priorityCenti: centi(r?.priorityPoints) ?? 0,
      divisor: r?.divisor ?? 0,
      detail: { parts: r?.parts ?? [], marks: marks.get(id) ?? {} },
      reasons: g.reasons,
    });
    summary.computed++;
    if (g.status === 'passed') summary.passed++;
    else if (g.status === 'failed') summary.failed++;
    else if (g.status === 'incomplete') summary.incomplete++;
    else summary.notApplicable++;
  }
  await upsertResults(trx, at.examYear, rows, now);
  return summary;
}

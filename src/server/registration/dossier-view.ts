// How a dossier is summarised and presented: the task list and findings from the domain validators, the
// filter columns the back office sorts on, the pre-fill from the point's import, and the response shape.
import { instantToVietnamLocal } from '../../domain/time.ts';
import { DOSSIER_SECTIONS, validateDossier, type Dossier, type DossierContext, type SectionId } from '../../domain/dossier.ts';
import { STATUS_LABELS, type DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';
import { maskId } from '../../domain/cccd.ts';
import type { Phase } from '../../domain/exam-year.ts';
import type { CandidateRef, DossierFilters, StoredDossier } from './registration.repository.ts';

export type TaskState = 'not_started' | 'complete' | 'has_errors';

export interface Summary {
  findings: Finding[];
  tasks: Array<{ id: SectionId; vi: string; en: string; state: TaskState; findings: Finding[] }>;
  errors: number;
  warnings: number;
  readyToSubmit: boolean;
}

function sectionOfField(field: string): string {
  return field.split(/[.[]/)[0] ?? field;
}

// A dossier's findings depend only on its data (fixed by its version), the year's rules and the local
// day (age and future-date checks): a read or a submit of an unchanged dossier reuses them instead of
// validating it again, and a save hands the summary of the version it writes to the next request. The
// rules enter the key by the year's last change (rulesVersion), so an audited change to a published
// year's rules is seen by the next request, not the next day.
const SUMMARY_CACHE_MAX = 20_000;
const summaries = new Map<string, Summary>();

function summaryKey(dossierId: string, version: number, dctx: DossierContext & { rulesVersion?: string }): string {
  return `${dossierId}:${version}:${dctx.rulesVersion ?? dctx.examYear}:${instantToVietnamLocal(dctx.now).date}`;
}

/** The summary of a stored version of a dossier (data must be that version's). */
export function summariseVersion(dossierId: string, version: number, data: Partial<Dossier>, dctx: DossierContext): Summary {
  const key = summaryKey(dossierId, version, dctx);
  const hit = summaries.get(key);
  if (hit) return hit;
  const summary = summarise(data, dctx);
  rememberSummary(dossierId, version, dctx, summary);
  return summary;
}

/** Keeps the summary a save computed for the version it is writing. */
export function rememberSummary(dossierId: string, version: number, dctx: DossierContext, summary: Summary): void {
  if (summaries.size >= SUMMARY_CACHE_MAX) summaries.delete(summaries.keys().next().value as string);
  summaries.set(summaryKey(dossierId, version, dctx), summary);
}

export function summarise(data: Partial<Dossier>, dctx: DossierContext): Summary {
  const findings = validateDossier(data, dctx);
  const bySection = new Map<string, Finding[]>();
  for (const f of findings) {
    const s = sectionOfField(f.field);
    bySection.set(s, [...(bySection.get(s) ?? []), f]);
  }
  const tasks = DOSSIER_SECTIONS.map((s) => {
    const fs = bySection.get(s.id) ?? [];
    const state: TaskState = data[s.id] === undefined ? 'not_started' : fs.some((f) => f.severity === 'error') ? 'has_errors' : 'complete';
    return { id: s.id, vi: s.vi, en: s.en, state, findings: fs };
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { findings, tasks, errors, warnings: findings.length - errors, readyToSubmit: errors === 0 };
}

export function filtersOf(data: Partial<Dossier>, summary: Summary, candidate: CandidateRef, photoMissing: boolean): DossierFilters {
  const s = data.subjects;
  const combo = s ? [...(s.combinations ?? []), ...s.electives].sort().join('+') : '';
  const ex = data.exemption;
  const pr = data.priority;
  const res = data.residence;
  return {
    subjectsCombo: combo === '' ? null : combo,
    purpose: data.purpose ?? null,
    candidateType: data.status?.candidateType ?? candidate.candidateType,
    programme: data.status?.programme ?? null,
    cccdMismatch: summary.findings.some((f) => f.code.startsWith('CCCD_') && f.severity === 'warning'),
    photoMissing,
    exemptionClaimed: Boolean(ex?.foreignLanguage || ex?.literature),
    priorityClaimed: Boolean(pr?.object || res?.kv1Over18Months || res?.disadvantagedCommuneOver18Months),
    errorsCount: summary.errors,
    warningsCount: summary.warnings,
  };
}

/** What the point imported, offered to the candidate as the starting values of unsaved sections. */
export function prefillOf(c: CandidateRef): { personal: Record<string, unknown>; status: Record<string, unknown> } {
  return {
    personal: {
      fullName: c.fullName,
      gender: c.gender === 'M' ? 'male' : 'female',
      dateOfBirth: c.dateOfBirth,
      idNumber: c.idNumber,
      ...(c.birthProvince ? { birthPlace: { provinceCode: c.birthProvince } } : {}),
      ...(c.idKind === 'cccd' || c.idKind === 'personal' ? { nationality: 'VN' } : {}),
    },
    status: { candidateType: c.candidateType },
  };
}

export interface DossierView {
  id: string | null;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  statusLabel: { vi: string; en: string };
  version: number;
  channel: 'online' | 'desk';
  formNumber: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
  photoUploaded: boolean;
  sections: Partial<Dossier>;
  prefill: { personal: Record<string, unknown>; status: Record<string, unknown> };
  tasks: Summary['tasks'];
  findings: Finding[];
  readyToSubmit: boolean;
  candidate: { id: string; fullName: string; idNumberMasked: string; candidateType: 'current' | 'free'; pointId: string; departmentCode: string };
  phase: Phase;
  mayEdit: boolean;
}

export function viewOf(
  candidate: CandidateRef,
  dossier: StoredDossier | null,
  summary: Summary,
  o: { examYear: number; isTrial: boolean; phase: Phase; mayEdit: boolean },
): DossierView {
  const status: DossierStatus = dossier?.status ?? 'draft';
  return {
    id: dossier?.id ?? null,
    examYear: o.examYear,
    isTrial: dossier?.isTrial ?? o.isTrial,
    status,
    statusLabel: STATUS_LABELS[status],
    version: dossier?.version ?? 0,
    channel: dossier?.channel ?? 'online',
    formNumber: dossier?.formNumber ?? null,
    submittedAt: dossier?.submittedAt ?? null,
    verifiedAt: dossier?.verifiedAt ?? null,
    returnedAt: dossier?.returnedAt ?? null,
    returnReason: dossier?.returnReason ?? null,
    photoUploaded: dossier ? !dossier.filters.photoMissing : false,
    sections: dossier?.data ?? {},
    prefill: prefillOf(candidate),
    tasks: summary.tasks,
    findings: summary.findings,
    readyToSubmit: summary.readyToSubmit,
    candidate: {
      id: candidate.id,
      fullName: candidate.fullName,
      idNumberMasked: maskId(candidate.idNumber),
      candidateType: candidate.candidateType,
      pointId: candidate.pointId,
      departmentCode: candidate.departmentCode,
    },
    phase: o.phase,
    mayEdit: o.mayEdit,
  };
}

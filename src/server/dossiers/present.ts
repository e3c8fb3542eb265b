// How a dossier is shown (the shapes of src/contracts/dossier.ts). The candidate's page is the hottest read
// of the last afternoon: its answer is written as JSON text around what the database stored as JSON text
// (the sections, the findings, the task list, the uploads), without parsing and stringifying them again.
// Everything else is built as objects and serialised through the route's schema.
import { candidateMayEditDossier, DOSSIER_EVENT_LABELS, ROLE_LABELS, STATUS_LABELS, type DossierStatus } from '../../domain/lifecycle.ts';
import { DOSSIER_SECTIONS, type SectionId } from '../../domain/dossier.ts';
import { windowBounds } from '../../domain/exam-year.ts';
import { maskId } from '../../domain/cccd.ts';
import type { z } from 'zod';
import type { dossierView, statusResponse } from '../../contracts/dossier.ts';
import type { Loaded } from './access.ts';
import type { Summary } from './rules.ts';
import type { CandidateRef, DossierEvent, StoredDossier } from './model.ts';

export type DossierView = z.infer<typeof dossierView>;
export type StatusResponse = z.infer<typeof statusResponse>;

/** Whether the actor may change the dossier now (the page shows its buttons or not). */
export function mayEdit(l: Pick<Loaded, 'actor' | 'dossier' | 'phase'>): boolean {
  if (l.actor.role === 'candidate') return candidateMayEditDossier(l.dossier?.status ?? 'draft', l.phase) && (!l.dossier?.isTrial || l.phase === 'trial');
  return l.phase === 'official' || l.phase === 'correction';
}

/** What the point imported, offered to the candidate as the starting values of unsaved sections. */
export function prefillOf(c: CandidateRef): DossierView['prefill'] {
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

function candidateOf(c: CandidateRef): DossierView['candidate'] {
  return { id: c.id, fullName: c.fullName, idNumberMasked: maskId(c.idNumber), candidateType: c.candidateType, pointId: c.pointId, departmentCode: c.departmentCode };
}

export interface ViewParts {
  /** the sections as JSON text ('{}' before the first save) */
  dataJson: string;
  findingsJson: string;
  tasksJson: string;
  readyToSubmit: boolean;
}

const STATUS_LABEL_JSON = Object.fromEntries(Object.entries(STATUS_LABELS).map(([k, v]) => [k, JSON.stringify(v)])) as Record<DossierStatus, string>;
const q = JSON.stringify;

/** The dossier's view as JSON text, with the stored JSON spliced in. */
export function viewJson(l: Pick<Loaded, 'candidate' | 'year' | 'isTrial' | 'phase'>, d: StoredDossier | null, parts: ViewParts, editable: boolean): string {
  const status: DossierStatus = d?.status ?? 'draft';
  return (
    `{"id":${q(d?.id ?? null)},"code":${q(d?.code ?? null)},"examYear":${l.year.year},"isTrial":${d?.isTrial ?? l.isTrial},` +
    `"status":${q(status)},"statusLabel":${STATUS_LABEL_JSON[status]},"version":${d?.version ?? 0},"channel":${q(d?.channel ?? 'online')},` +
    `"formNumber":${q(d?.formNumber ?? null)},"submittedAt":${q(d?.submittedAt ?? null)},"verifiedAt":${q(d?.verifiedAt ?? null)},` +
    `"returnedAt":${q(d?.returnedAt ?? null)},"returnReason":${q(d?.returnReason ?? null)},"photoUploaded":${d ? !d.filters.photoMissing : false},` +
    `"sections":${parts.dataJson},"prefill":${q(prefillOf(l.candidate))},"tasks":${parts.tasksJson},"findings":${parts.findingsJson},` +
    `"readyToSubmit":${parts.readyToSubmit},"candidate":${q(candidateOf(l.candidate))},"phase":${q(l.phase)},"mayEdit":${editable}}`
  );
}

/**
 * What a save answers about the dossier (contract: savedDossier), as JSON text: the verdict's stored texts
 * spliced in, and of the sections only those saved.
 */
export function savedJson(d: StoredDossier, saved: readonly SectionId[], parts: Omit<ViewParts, 'dataJson'>, editable: boolean): string {
  // a section the save removed (no longer asked) is saved but absent: the answer's `saved` names it
  const sections = saved.flatMap((s) => (d.data[s] === undefined ? [] : [`${q(s)}:${q(d.data[s])}`])).join(',');
  return (
    `{"id":${q(d.id)},"code":${q(d.code)},"status":${q(d.status)},"statusLabel":${STATUS_LABEL_JSON[d.status]},"version":${d.version},` +
    `"sections":{${sections}},"tasks":${parts.tasksJson},"findings":${parts.findingsJson},"readyToSubmit":${parts.readyToSubmit},"mayEdit":${editable}}`
  );
}

/** The dossier's view as an object (answers that are not on the hot path: desk registration). */
export function viewObject(l: Pick<Loaded, 'candidate' | 'year' | 'isTrial' | 'phase'>, d: StoredDossier | null, summary: Summary, editable: boolean): DossierView {
  const status: DossierStatus = d?.status ?? 'draft';
  return {
    id: d?.id ?? null,
    code: d?.code ?? null,
    examYear: l.year.year,
    isTrial: d?.isTrial ?? l.isTrial,
    status,
    statusLabel: STATUS_LABELS[status],
    version: d?.version ?? 0,
    channel: d?.channel ?? 'online',
    formNumber: d?.formNumber ?? null,
    submittedAt: d?.submittedAt ?? null,
    verifiedAt: d?.verifiedAt ?? null,
    returnedAt: d?.returnedAt ?? null,
    returnReason: d?.returnReason ?? null,
    photoUploaded: d ? !d.filters.photoMissing : false,
    sections: d?.data ?? {},
    prefill: prefillOf(l.candidate),
    tasks: summary.tasks,
    findings: summary.findings,
    readyToSubmit: summary.readyToSubmit,
    candidate: candidateOf(l.candidate),
    phase: l.phase,
    mayEdit: editable,
  };
}

/** The window's closing instants for the page (the deadline with its date). */
export function windowJson(l: Pick<Loaded, 'year' | 'phase'>): string {
  return q({ phase: l.phase, officialClosesAt: windowBounds(l.year.windows.official).end.toISOString(), trialClosesAt: windowBounds(l.year.windows.trial).end.toISOString() });
}

// ---- the status page ----

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Leaf-level differences between two section values: `personal.fullName`, `subjects.electives`. */
export function diffSections(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const out: FieldChange[] = [];
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  const walk = (path: string, a: unknown, b: unknown) => {
    if (isObj(a) || isObj(b)) {
      const ka = isObj(a) ? Object.keys(a as object) : [];
      const kb = isObj(b) ? Object.keys(b as object) : [];
      for (const k of [...new Set([...ka, ...kb])]) walk(path ? `${path}.${k}` : k, isObj(a) ? (a as Record<string, unknown>)[k] : undefined, isObj(b) ? (b as Record<string, unknown>)[k] : undefined);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field: path, before: a ?? null, after: b ?? null });
  };
  walk('', before ?? {}, after ?? {});
  return out;
}

function historyEntryOf(e: DossierEvent, viewerIsCandidate: boolean): StatusResponse['history'][number] {
  return {
    at: e.at,
    event: e.event,
    label: DOSSIER_EVENT_LABELS[e.event] ?? { vi: e.event, en: e.event },
    // staff names are shown to the candidate only as their role; staff see the name
    by: {
      role: e.actorRole,
      roleLabel: e.actorRole ? (ROLE_LABELS[e.actorRole] ?? null) : null,
      name: viewerIsCandidate && e.actorRole !== 'candidate' ? null : e.actorName,
    },
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    version: e.version,
    sections: e.sections.map((id) => {
      const s = DOSSIER_SECTIONS.find((x) => x.id === id);
      return { id, vi: s?.vi ?? id, en: s?.en ?? id };
    }),
    changes: diffSections(e.before, e.after),
    reason: e.reason,
  };
}

export function statusOf(l: Loaded): StatusResponse {
  const d = l.dossier;
  const status = d?.status ?? 'draft';
  return {
    dossierId: d?.id ?? null,
    code: d?.code ?? null,
    examYear: l.year.year,
    isTrial: d?.isTrial ?? l.isTrial,
    status,
    statusLabel: STATUS_LABELS[status],
    version: d?.version ?? 0,
    formNumber: d?.formNumber ?? null,
    submittedAt: d?.submittedAt ?? null,
    verifiedAt: d?.verifiedAt ?? null,
    returned: d && d.status === 'returned' ? { at: d.returnedAt, reason: d.returnReason ?? '' } : null,
    phase: l.phase,
    mayEdit: mayEdit(l),
    officialClosesAt: windowBounds(l.year.windows.official).end.toISOString(),
    history: (l.history ?? []).map((e) => historyEntryOf(e, l.actor.role === 'candidate')),
  };
}

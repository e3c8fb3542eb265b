// Reading a dossier: the candidate's task list and data (with the point's pre-fill), and the status page
// (where it stands, what the point asked to correct and why, the history with who and when). Reads use
// the read connection and index lookups only; nothing here writes.
import { candidateMayEditDossier, DOSSIER_EVENT_LABELS, ROLE_LABELS, STATUS_LABELS, type DossierStatus } from '../../domain/lifecycle.ts';
import { windowBounds, type Phase } from '../../domain/exam-year.ts';
import { DOSSIER_SECTIONS } from '../../domain/dossier.ts';
import { dossierContext } from './dossier-context.ts';
import { loadTarget, type DossierTarget, type RegistrationCtx, type Loaded } from './dossier-access.ts';
import { summarise, summariseVersion, viewOf, type DossierView, type Summary } from './dossier-view.ts';

export interface UploadInfo {
  id: string;
  kind: 'photo' | 'evidence';
  purpose: string | null;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  createdAt: string;
}

export interface DossierResponse {
  dossier: DossierView;
  uploads: UploadInfo[];
  window: { phase: Phase; officialClosesAt: string; trialClosesAt: string };
}

function mayEdit(l: Loaded): boolean {
  if (l.actor.role === 'candidate') return candidateMayEditDossier(l.dossier?.status ?? 'draft', l.phase) && (!l.dossier?.isTrial || l.phase === 'trial');
  return l.phase === 'official' || l.phase === 'correction';
}

async function summaryOf(ctx: RegistrationCtx, l: Loaded): Promise<Summary> {
  const dctx = await dossierContext(ctx.db.read, l.year, ctx.now);
  return l.dossier ? summariseVersion(l.dossier.id, l.dossier.version, l.dossier.data, dctx) : summarise({}, dctx);
}

export async function getDossier(ctx: RegistrationCtx, target: DossierTarget): Promise<DossierResponse> {
  const l = await loadTarget(ctx, target, 'candidate.read', 'uploads');
  const summary = await summaryOf(ctx, l);
  const uploads = l.uploads ?? [];
  return {
    dossier: viewOf(l.candidate, l.dossier, summary, { examYear: l.year.year, isTrial: l.isTrial, phase: l.phase, mayEdit: mayEdit(l) }),
    uploads: uploads.map((u) => ({ id: u.id, kind: u.kind, purpose: u.purpose, mime: u.mime, bytes: u.bytes, width: u.width, height: u.height, createdAt: u.createdAt })),
    window: {
      phase: l.phase,
      officialClosesAt: windowBounds(l.year.windows.official).end.toISOString(),
      trialClosesAt: windowBounds(l.year.windows.trial).end.toISOString(),
    },
  };
}


export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Leaf-level differences between two section values: `personal.fullName`, `subjects.electives`. */
export function diffSections(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    if (isObj(a) || isObj(b)) {
      const ka = isObj(a) ? Object.keys(a as object) : [];
      const kb = isObj(b) ? Object.keys(b as object) : [];
      for (const k of [...new Set([...ka, ...kb])]) {
        walk(path ? `${path}.${k}` : k, isObj(a) ? (a as Record<string, unknown>)[k] : undefined, isObj(b) ? (b as Record<string, unknown>)[k] : undefined);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field: path, before: a ?? null, after: b ?? null });
  };
  walk('', before ?? {}, after ?? {});
  return out;
}

export interface StatusResponse {
  dossierId: string | null;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  statusLabel: { vi: string; en: string };
  version: number;
  formNumber: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
  /** what the point asked to correct and why (while returned) */
  returned: { at: string | null; reason: string } | null;
  phase: Phase;
  mayEdit: boolean;
  officialClosesAt: string;
  history: Array<{
    at: string;
    event: string;
    label: { vi: string; en: string };
    by: { role: string | null; roleLabel: { vi: string; en: string } | null; name: string | null };
    fromStatus: string | null;
    toStatus: string | null;
    version: number;
    sections: Array<{ id: string; vi: string; en: string }>;
    changes: FieldChange[];
    reason: string | null;
  }>;
}

export async function getDossierStatus(ctx: RegistrationCtx, target: DossierTarget): Promise<StatusResponse> {
  const l = await loadTarget(ctx, target, 'candidate.read', 'history');
  const d = l.dossier;
  const events = l.history ?? [];
  const status = d?.status ?? 'draft';
  return {
    dossierId: d?.id ?? null,
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
    history: events.map((e) => ({
      at: e.at,
      event: e.event,
      label: DOSSIER_EVENT_LABELS[e.event] ?? { vi: e.event, en: e.event },
      // staff names are shown to the candidate only as their role; staff see the name
      by: {
        role: e.actorRole,
        roleLabel: e.actorRole ? (ROLE_LABELS[e.actorRole] ?? null) : null,
        name: l.actor.role === 'candidate' && e.actorRole !== 'candidate' ? null : e.actorName,
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
    })),
  };
}

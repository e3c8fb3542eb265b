// The candidate's dossier as the page sees it: the server's view (sections, status, version) loaded once
// per visit, the instant findings computed here with the same domain validator the server runs, and the
// write operations (save a section with its version, submit once) with their error cases explained.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DOSSIER_SECTIONS, sectionApplies, type Dossier, type DossierContext, type SectionId } from '../../domain/dossier.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { dossierApi, type DossierView, type DossierWindow, type SavedDossier } from '../api/endpoints.ts';
import { hasDrafts } from '../api/drafts.ts';
import { useSession } from '../session.tsx';
import { dossierContext } from './reference.ts';

export type LocalTaskState = 'not_started' | 'complete' | 'has_errors';

interface Store {
  view: DossierView | null;
  /** the year's registration window (when it closes), from the last full load */
  window: DossierWindow | null;
  loadError: ApiError | null;
  ctx: DossierContext;
  /** the server's stored verdict on the saved dossier: the one source of the task states and the findings */
  findings: Finding[];
  taskState: (id: SectionId) => LocalTaskState;
  sectionFindings: (id: SectionId) => Finding[];
  reload: () => Promise<DossierView | null>;
  setView: (v: DossierView) => void;
  /** a save's answer merged into the view held (false when there was none to merge into: reload) */
  applySaved: (s: SavedDossier) => boolean;
  /** sections with answers typed on this device and not yet saved (shown as a note, never as a state) */
  drafts: string[];
  refreshDrafts: () => void;
}

const Ctx = createContext<Store | null>(null);

export function useDossier(): Store {
  const v = useContext(Ctx);
  if (!v) throw new Error('useDossier outside DossierProvider');
  return v;
}

export const sectionOf = (field: string) => field.split(/[.[]/)[0] ?? field;

export function DossierProvider({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const [view, setView] = useState<DossierView | null>(null);
  const [win, setWin] = useState<DossierWindow | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [drafts, setDrafts] = useState<string[]>([]);
  const refreshDrafts = useCallback(() => setDrafts(user ? hasDrafts(user.id) : []), [user]);

  const reload = useCallback(async () => {
    try {
      const r = await dossierApi.load();
      setView(r.data.dossier);
      setWin(r.data.window);
      setLoadError(null);
      return r.data.dossier;
    } catch (e) {
      if (e instanceof ApiError) setLoadError(e);
      return null;
    }
  }, []);

  // a save answers only what it changed (version, status, verdict, the saved sections); the rest of the
  // view (pre-fill, candidate, photo) is the one held
  const applySaved = useCallback(
    (saved: SavedDossier) => {
      if (!view) return false;
      setView((held) => (held ? { ...held, ...saved, sections: { ...held.sections, ...saved.sections } } : held));
      return true;
    },
    [view],
  );

  useEffect(() => {
    void reload();
    refreshDrafts();
  }, [reload, refreshDrafts]);

  const ctx = useMemo(() => dossierContext(view?.examYear ?? new Date().getFullYear()), [view?.examYear]);
  const findings = useMemo(() => view?.findings ?? [], [view]);

  const store = useMemo<Store>(() => {
    const sectionFindings = (id: SectionId) => findings.filter((f) => sectionOf(f.field) === id);
    // the state the server stored with the dossier (its tasks), never one worked out again here
    const taskState = (id: SectionId): LocalTaskState => view?.tasks.find((x) => x.id === id)?.state ?? 'not_started';
    return { view, window: win, loadError, ctx, findings, taskState, sectionFindings, reload, setView, applySaved, drafts, refreshDrafts };
  }, [view, win, loadError, ctx, findings, reload, applySaved, drafts, refreshDrafts]);

  return <Ctx.Provider value={store}>{children}</Ctx.Provider>;
}

export const SECTION_IDS = DOSSIER_SECTIONS.map((s) => s.id);

/** The next section asked of this candidate (one that does not apply is skipped, as the task list skips it). */
export function nextSection(id: SectionId, sections: Partial<Dossier> = {}, accountType?: 'current' | 'free'): SectionId | null {
  for (let i = SECTION_IDS.indexOf(id) + 1; i < SECTION_IDS.length; i++) {
    const n = SECTION_IDS[i]!;
    if (sectionApplies(n, sections, accountType)) return n;
  }
  return null;
}

// The candidate's dossier as the page sees it: the server's view (sections, status, version) loaded once
// per visit, the instant findings computed here with the same domain validator the server runs, and the
// write operations (save a section with its version, submit once) with their error cases explained.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DOSSIER_SECTIONS, validateDossier, type Dossier, type DossierContext, type SectionId } from '../../domain/dossier.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { dossierApi, type DossierView } from '../api/endpoints.ts';
import { hasDrafts } from '../api/drafts.ts';
import { useSession } from '../session.tsx';
import { dossierContext } from './reference.ts';

export type LocalTaskState = 'not_started' | 'in_progress' | 'complete' | 'has_errors';

interface Store {
  view: DossierView | null;
  loadError: ApiError | null;
  ctx: DossierContext;
  findings: Finding[];
  taskState: (id: SectionId) => LocalTaskState;
  sectionFindings: (id: SectionId) => Finding[];
  reload: () => Promise<DossierView | null>;
  setView: (v: DossierView) => void;
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
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [drafts, setDrafts] = useState<string[]>([]);
  const refreshDrafts = useCallback(() => setDrafts(user ? hasDrafts(user.id) : []), [user]);

  const reload = useCallback(async () => {
    try {
      const r = await dossierApi.get();
      setView(r.data);
      setLoadError(null);
      return r.data;
    } catch (e) {
      if (e instanceof ApiError) setLoadError(e);
      return null;
    }
  }, []);

  useEffect(() => {
    void reload();
    refreshDrafts();
  }, [reload, refreshDrafts]);

  const ctx = useMemo(() => dossierContext(view?.examYear ?? new Date().getFullYear()), [view?.examYear]);
  const findings = useMemo(() => (view ? validateDossier(view.sections, ctx) : []), [view, ctx]);

  const store = useMemo<Store>(() => {
    const sectionFindings = (id: SectionId) => findings.filter((f) => sectionOf(f.field) === id);
    const taskState = (id: SectionId): LocalTaskState => {
      if (drafts.includes(id)) return 'in_progress';
      const data = view?.sections as Partial<Dossier> | undefined;
      if (data?.[id] === undefined) return 'not_started';
      return sectionFindings(id).some((f) => f.severity === 'error') ? 'has_errors' : 'complete';
    };
    return { view, loadError, ctx, findings, taskState, sectionFindings, reload, setView, drafts, refreshDrafts };
  }, [view, loadError, ctx, findings, reload, drafts, refreshDrafts]);

  return <Ctx.Provider value={store}>{children}</Ctx.Provider>;
}

export const SECTION_IDS = DOSSIER_SECTIONS.map((s) => s.id);

export function nextSection(id: SectionId): SectionId | null {
  const i = SECTION_IDS.indexOf(id);
  return SECTION_IDS[i + 1] ?? null;
}

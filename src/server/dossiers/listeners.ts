// How other features follow dossiers. A listener is told of every change (the dossier before and after,
// as snapshots without personal data, and what happened) and answers the writes that must commit with it:
// statements (a job for the notification or the national portal) and work merged at commit (counters).
// The dossier module writes them in the same unit as the change, so they commit or roll back together.
// Listeners are plain functions listed where the app is built (src/server/app.ts): nothing registers
// itself on import. Nothing slow may happen in one: it describes writes, it never performs I/O.
import type { CommitWork, UnitPart } from '../db/write-unit.ts';
import type { DossierChange, DossierSnapshot } from './model.ts';

export interface Effects {
  parts?: ReadonlyArray<UnitPart<any>>;
  atCommit?: ReadonlyArray<CommitWork<any>>;
}

/** `before` is null for a new dossier. */
export type DossierListener = (before: DossierSnapshot | null, after: DossierSnapshot, change: DossierChange) => Effects | null;

/** The year's trial dossiers were deleted (once per wipe, not per dossier: a trial holds about a million). */
export type TrialWipeListener = (wiped: { examYear: number; dossiers: number; at: Date }) => Effects | null;

export interface DossierListeners {
  readonly changed: readonly DossierListener[];
  readonly trialWiped: readonly TrialWipeListener[];
}

/** Every listener's effects for one change, in listing order. */
export function effectsOf(listeners: DossierListeners, before: DossierSnapshot | null, after: DossierSnapshot, change: DossierChange): Required<Effects> {
  const parts: UnitPart<any>[] = [];
  const atCommit: CommitWork<any>[] = [];
  for (const l of listeners.changed) {
    const e = l(before, after, change);
    if (e?.parts) parts.push(...e.parts);
    if (e?.atCommit) atCommit.push(...e.atCommit);
  }
  return { parts, atCommit };
}

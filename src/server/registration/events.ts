// The hook other features use to follow dossiers: registration calls it inside the SAME write transaction
// as every change, so an outbox message or a statistics counter commits (or rolls back) with the change
// itself. The back office (outbox notifications, stats counters) registers its listeners here; nothing
// slow may run inside: enqueue, do not send.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';

/** What a listener sees of a dossier: the filter fields, not the personal data. */
export interface DossierSnapshot {
  id: string;
  candidateId: string;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  version: number;
  pointId: string;
  departmentCode: string;
  channel: 'online' | 'desk';
  subjectsCombo: string | null;
  purpose: string | null;
  candidateType: string | null;
  flags: { cccdMismatch: boolean; photoMissing: boolean; exemptionClaimed: boolean; priorityClaimed: boolean };
  submittedAt: string | null;
}

export type DossierChangeKind = 'created' | 'edited' | 'submitted' | 'corrected' | 'desk_registered' | 'photo' | 'evidence' | 'verified' | 'returned';

export interface DossierChange {
  kind: DossierChangeKind;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  /** sections touched, when the data changed */
  sections?: string[];
  /** who to tell and how, when the caller has the dossier in hand (saves the listener a read) */
  recipient?: { userId: string; email: string | null; phone: string | null };
}

/** Called in the write transaction: `before` is null for a new dossier. */
export type OnDossierChanged = (trx: Kysely<DB>, before: DossierSnapshot | null, after: DossierSnapshot, change: DossierChange) => Promise<void>;
/** Called in the wipe's transaction, once per wipe (not per dossier: a trial holds about a million). */
export type OnTrialWiped = (trx: Kysely<DB>, wiped: { examYear: number; dossiers: number; at: Date }) => Promise<void>;

const changeListeners: OnDossierChanged[] = [];
const wipeListeners: OnTrialWiped[] = [];

/** Register a listener (back office: outbox, stats). Returns a function that removes it (for tests). */
export function addDossierChangedListener(fn: OnDossierChanged): () => void {
  changeListeners.push(fn);
  return () => {
    const i = changeListeners.indexOf(fn);
    if (i >= 0) changeListeners.splice(i, 1);
  };
}

export function addTrialWipedListener(fn: OnTrialWiped): () => void {
  wipeListeners.push(fn);
  return () => {
    const i = wipeListeners.indexOf(fn);
    if (i >= 0) wipeListeners.splice(i, 1);
  };
}

/** No-op until a listener is registered. A listener that throws rolls the change back. */
export async function onDossierChanged(trx: Kysely<DB>, before: DossierSnapshot | null, after: DossierSnapshot, change: DossierChange): Promise<void> {
  for (const fn of changeListeners) await fn(trx, before, after, change);
}

export async function onTrialWiped(trx: Kysely<DB>, wiped: { examYear: number; dossiers: number; at: Date }): Promise<void> {
  for (const fn of wipeListeners) await fn(trx, wiped);
}

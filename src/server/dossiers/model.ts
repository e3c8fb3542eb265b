// The dossier aggregate as the rest of the server sees it: a candidate's registration dossier with its
// candidate, its uploads and its history. Row types stay in dossier.repository.ts; these are what commands,
// presenters and listeners handle. Only the dossier module writes any of it.
import type { Dossier } from '../../domain/dossier.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { Finding } from '../../domain/messages.ts';

export interface CandidateRef {
  id: string;
  userId: string;
  examYear: number;
  pointId: string;
  departmentCode: string;
  idKind: 'cccd' | 'personal' | 'passport' | 'assigned';
  idNumber: string;
  fullName: string;
  gender: 'M' | 'F';
  dateOfBirth: string;
  birthProvince: string | null;
  candidateType: 'current' | 'free';
}

export interface DossierFilters {
  subjectsCombo: string | null;
  purpose: string | null;
  candidateType: string | null;
  programme: string | null;
  cccdMismatch: boolean;
  photoMissing: boolean;
  exemptionClaimed: boolean;
  priorityClaimed: boolean;
  errorsCount: number;
  warningsCount: number;
}

export interface DeskDocuments {
  checked: string[];
  note?: string;
  checkedBy: string;
  checkedAt: string;
}

/** The rules' verdict on one version of a dossier, as stored with it. */
export interface StoredSummary {
  /** the year's rules and the local day it was computed for (rules.ts: summaryKey) */
  key: string;
  findings: Finding[];
  /** the same, as the JSON text stored (spliced into answers without a stringify) */
  findingsJson: string;
  tasksJson: string;
}

export interface StoredDossier {
  id: string;
  /** the readable dossier code (null only for rows a bulk load wrote before codes existed) */
  code: string | null;
  candidateId: string;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  version: number;
  /** the declared sections (parsed when first read) */
  readonly data: Partial<Dossier>;
  /** the same, as the JSON text stored */
  dataJson: string;
  summary: StoredSummary | null;
  pointId: string;
  departmentCode: string;
  formNumber: string | null;
  channel: 'online' | 'desk';
  submittedAt: string | null;
  verifiedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
  createdAt: string;
  updatedAt: string;
  filters: DossierFilters;
  deskDocuments: DeskDocuments | null;
}

/** A dossier at its first write (version 1): what the caller knows, the rest not yet happened. */
export function newStoredDossier(
  p: Pick<StoredDossier, 'id' | 'code' | 'candidateId' | 'examYear' | 'isTrial' | 'status' | 'data' | 'dataJson' | 'summary' | 'pointId' | 'departmentCode' | 'channel' | 'submittedAt' | 'filters' | 'deskDocuments'>,
  nowIso: string,
): StoredDossier {
  return { ...p, version: 1, formNumber: null, verifiedAt: null, returnedAt: null, returnReason: null, createdAt: nowIso, updatedAt: nowIso };
}

export interface StoredUpload {
  id: string;
  dossierId: string;
  kind: 'photo' | 'evidence';
  purpose: string | null;
  storagePath: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  originalName: string | null;
  createdAt: string;
}

export interface DossierEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  actorName: string | null;
  event: string;
  fromStatus: string | null;
  toStatus: string | null;
  version: number;
  sections: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
}

/** What a listener sees of a dossier: where it counts and what it is, never the personal data. */
export interface DossierSnapshot {
  id: string;
  code: string | null;
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
  /** the candidate's account (who a notification is for) */
  candidateUserId: string;
  /** sections touched, when the data changed */
  sections?: readonly string[];
  /** a return's reason, shown to the candidate */
  reason?: string | null;
}

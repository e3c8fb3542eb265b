// The National Public Service Portal link as the rest of the app sees it: push a dossier (an idempotent
// upsert by dossier code + version), push a progress update, look a dossier up.
import { z } from 'zod';

/** A dossier as the portal is told about it: built when the dossier changes, carried in the job's payload. */
export const portalDossier = z.object({
  /** the readable dossier code (mã hồ sơ) the candidate sees */
  code: z.string().min(1).max(40),
  /** the dossier's version at this change: the portal applies each version once and never an older one */
  version: z.number().int().min(1),
  procedure: z.enum(['registration', 'review', 'admission']).default('registration'),
  /** the exam status (draft, submitted, verified, returned …), mapped through reference/portal-status-map.json */
  status: z.string().min(1),
  holderName: z.string().min(1).max(100),
  email: z.string().max(200).nullable(),
  phone: z.string().max(20).nullable(),
  summary: z.string().max(500),
  /** UTC ISO instants */
  receivedAt: z.string(),
  dueAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  office: z.string().max(200),
});
export type PortalDossier = z.infer<typeof portalDossier>;

export const portalProgress = z.object({
  code: z.string().min(1).max(40),
  version: z.number().int().min(1),
  status: z.string().min(1),
  /** who acted, as the citizen may read it: "Thí sinh", the point's name */
  by: z.string().max(100),
  at: z.string(),
  /** what happened; the mapping's default text for the status when null */
  note: z.string().max(1000).nullable(),
});
export type PortalProgress = z.infer<typeof portalProgress>;

export interface SyncResult {
  outcome: 'applied' | 'duplicate' | 'stale' | 'not_pushed';
  currentVersion: number;
  /** the portal status code this message carried (null when nothing was pushed) */
  statusCode: number | null;
}

export interface PortalLookUp {
  code: string;
  version: number;
  statusCode: number;
  holderName: string;
  progress: Array<{ version: number; statusCode: number; at: string; by: string; note: string }>;
}

export interface PortalLink {
  upsertDossier(d: PortalDossier): Promise<SyncResult>;
  pushProgress(p: PortalProgress): Promise<SyncResult>;
  lookUp(code: string): Promise<PortalLookUp | null>;
}

// What the national links' jobs record: identity checks, the portal's acknowledged versions and the
// records given back to the population database. All SQL on these tables lives here.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB, IdentityCheckTable } from '../db/schema.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import { runPart, type UnitPart } from '../db/write-unit.ts';
import type { IdentityCheckResult } from './population/population.ts';

export interface StoredIdentityCheck {
  id: string;
  candidateId: string;
  dossierId: string | null;
  reason: string;
  outcome: IdentityCheckTable['outcome'];
  mismatches: IdentityCheckResult['mismatches'];
  permanentResidence: IdentityCheckResult['permanentResidence'];
  error: string | null;
  checkedAt: string;
}

const IDENTITY_CHECK_COLUMNS = {
  id: 'text',
  candidate_id: 'text',
  dossier_id: 'text',
  reason: 'text',
  outcome: 'text',
  mismatches: 'text',
  permanent_residence: 'text',
  error: 'text',
  checked_at: 'text',
} as const;

/** A check's answer as a write unit's part (the check job writes it with its flag and its done mark). */
export function identityCheckPart(c: StoredIdentityCheck): UnitPart<Record<string, unknown>> {
  const row = {
    id: c.id,
    candidate_id: c.candidateId,
    dossier_id: c.dossierId,
    reason: c.reason,
    outcome: c.outcome,
    mismatches: c.mismatches.length ? JSON.stringify(c.mismatches) : null,
    permanent_residence: c.permanentResidence ? JSON.stringify(c.permanentResidence) : null,
    error: c.error,
    checked_at: c.checkedAt,
  };
  return insertRowsPart('identity_checks', IDENTITY_CHECK_COLUMNS, [row], { shape: 'identity-check' });
}

/** A candidate's checks, newest first. */
export async function identityChecksOf(db: Kysely<DB>, candidateId: string): Promise<StoredIdentityCheck[]> {
  const rows = await db.selectFrom('identity_checks').selectAll().where('candidate_id', '=', candidateId).orderBy('checked_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    candidateId: r.candidate_id,
    dossierId: r.dossier_id,
    reason: r.reason,
    outcome: r.outcome,
    mismatches: r.mismatches ? (JSON.parse(r.mismatches) as StoredIdentityCheck['mismatches']) : [],
    permanentResidence: r.permanent_residence ? (JSON.parse(r.permanent_residence) as StoredIdentityCheck['permanentResidence']) : null,
    error: r.error,
    checkedAt: r.checked_at,
  }));
}

export interface PortalSyncState {
  dossierCode: string;
  dossierVersion: number;
  dossierStatusCode: number | null;
  dossierOutcome: string | null;
  progressVersion: number;
  progressOutcome: string | null;
  updatedAt: string;
}

const PORTAL_SYNC_COLUMNS = {
  dossier_code: 'text',
  dossier_version: 'integer',
  dossier_status_code: 'integer',
  dossier_outcome: 'text',
  progress_version: 'integer',
  progress_outcome: 'text',
  updated_at: 'text',
} as const;

/**
 * What the portal acknowledged for a dossier, as one statement (a write unit's part): this version of the
 * dossier (applied, or the portal already had it or a newer one), this version's progress, or both. Each
 * side moves only forward: an older acknowledgement arriving late never moves the record back, and a side
 * not given (version 0) leaves the record's as it is.
 */
export function portalSyncPart(
  code: string,
  dossier: { version: number; statusCode: number | null; outcome: string } | null,
  progress: { version: number; outcome: string } | null,
  now: Date,
): UnitPart<Record<string, unknown>> {
  const row = {
    dossier_code: code,
    dossier_version: dossier?.version ?? 0,
    dossier_status_code: dossier?.statusCode ?? null,
    dossier_outcome: dossier?.outcome ?? null,
    progress_version: progress?.version ?? 0,
    progress_outcome: progress?.outcome ?? null,
    updated_at: now.toISOString(),
  };
  const dossierMoves = sql`excluded.dossier_version > 0 and excluded.dossier_version >= portal_sync.dossier_version`;
  const progressMoves = sql`excluded.progress_version > 0 and excluded.progress_version >= portal_sync.progress_version`;
  const pick = (moves: RawBuilder<unknown>, column: string) => sql`case when ${moves} then ${sql.ref(`excluded.${column}`)} else ${sql.ref(`portal_sync.${column}`)} end`;
  return insertRowsPart('portal_sync', PORTAL_SYNC_COLUMNS, [row], {
    shape: 'portal-sync',
    onConflict: (oc) =>
      oc
        .column('dossier_code')
        .doUpdateSet({
          dossier_version: pick(dossierMoves, 'dossier_version'),
          dossier_status_code: pick(dossierMoves, 'dossier_status_code'),
          dossier_outcome: pick(dossierMoves, 'dossier_outcome'),
          progress_version: pick(progressMoves, 'progress_version'),
          progress_outcome: pick(progressMoves, 'progress_outcome'),
          updated_at: sql`excluded.updated_at`,
        } as never)
        .where(sql<SqlBool>`(${dossierMoves}) or (${progressMoves})`),
  });
}

/** The portal acknowledged this version of the dossier (applied, or already had it or a newer one). */
export async function recordPortalDossier(db: Kysely<DB>, code: string, version: number, statusCode: number | null, outcome: string, now: Date): Promise<void> {
  await runPart(db, portalSyncPart(code, { version, statusCode, outcome }, null, now));
}

export async function recordPortalProgress(db: Kysely<DB>, code: string, version: number, outcome: string, now: Date): Promise<void> {
  await runPart(db, portalSyncPart(code, null, { version, outcome }, now));
}

export async function findPortalSync(db: Kysely<DB>, code: string): Promise<PortalSyncState | undefined> {
  const r = await db.selectFrom('portal_sync').selectAll().where('dossier_code', '=', code).executeTakeFirst();
  return r
    ? {
        dossierCode: r.dossier_code,
        dossierVersion: r.dossier_version,
        dossierStatusCode: r.dossier_status_code,
        dossierOutcome: r.dossier_outcome,
        progressVersion: r.progress_version,
        progressOutcome: r.progress_outcome,
        updatedAt: r.updated_at,
      }
    : undefined;
}

/** The record given back for a candidate's year (a write unit's part); an older version never replaces a newer. */
export function giveBackPart(candidateId: string, examYear: number, version: number, outcome: string, now: Date): UnitPart<Record<string, unknown>> {
  const row = { candidate_id: candidateId, exam_year: examYear, version, outcome, sent_at: now.toISOString() };
  return insertRowsPart('population_give_backs', { candidate_id: 'text', exam_year: 'integer', version: 'integer', outcome: 'text', sent_at: 'text' }, [row], {
    shape: 'give-back',
    onConflict: (oc) =>
      oc
        .columns(['candidate_id', 'exam_year'])
        .doUpdateSet({ version: sql`excluded.version`, outcome: sql`excluded.outcome`, sent_at: sql`excluded.sent_at` } as never)
        .where(sql<SqlBool>`population_give_backs.version <= excluded.version`),
  });
}

export async function findGiveBack(db: Kysely<DB>, candidateId: string, examYear: number): Promise<{ version: number; outcome: string; sentAt: string } | undefined> {
  const r = await db.selectFrom('population_give_backs').selectAll().where('candidate_id', '=', candidateId).where('exam_year', '=', examYear).executeTakeFirst();
  return r ? { version: r.version, outcome: r.outcome, sentAt: r.sent_at } : undefined;
}

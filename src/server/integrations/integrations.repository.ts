// What the national links' jobs record: identity checks, the portal's acknowledged versions and the
// records given back to the population database. All SQL on these tables lives here.
import type { Kysely } from 'kysely';
import type { DB, IdentityCheckTable } from '../db/schema.ts';
import { newId } from '../ids.ts';
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

export async function insertIdentityCheck(db: Kysely<DB>, c: Omit<StoredIdentityCheck, 'id'>): Promise<string> {
  const id = newId();
  await db
    .insertInto('identity_checks')
    .values({
      id,
      candidate_id: c.candidateId,
      dossier_id: c.dossierId,
      reason: c.reason,
      outcome: c.outcome,
      mismatches: c.mismatches.length ? JSON.stringify(c.mismatches) : null,
      permanent_residence: c.permanentResidence ? JSON.stringify(c.permanentResidence) : null,
      error: c.error,
      checked_at: c.checkedAt,
    })
    .execute();
  return id;
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

/** The portal acknowledged this version of the dossier (applied, or already had it or a newer one). */
export async function recordPortalDossier(db: Kysely<DB>, code: string, version: number, statusCode: number | null, outcome: string, now: Date): Promise<void> {
  const ts = now.toISOString();
  await db
    .insertInto('portal_sync')
    .values({ dossier_code: code, dossier_version: version, dossier_status_code: statusCode, dossier_outcome: outcome, progress_version: 0, progress_outcome: null, updated_at: ts })
    .onConflict((oc) =>
      oc
        .column('dossier_code')
        .doUpdateSet({ dossier_version: version, dossier_status_code: statusCode, dossier_outcome: outcome, updated_at: ts })
        // an older acknowledgement arriving late never moves the record back
        .where('portal_sync.dossier_version', '<=', version),
    )
    .execute();
}

export async function recordPortalProgress(db: Kysely<DB>, code: string, version: number, outcome: string, now: Date): Promise<void> {
  const ts = now.toISOString();
  await db
    .insertInto('portal_sync')
    .values({ dossier_code: code, dossier_version: 0, dossier_status_code: null, dossier_outcome: null, progress_version: version, progress_outcome: outcome, updated_at: ts })
    .onConflict((oc) => oc.column('dossier_code').doUpdateSet({ progress_version: version, progress_outcome: outcome, updated_at: ts }).where('portal_sync.progress_version', '<=', version))
    .execute();
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

export async function recordGiveBack(db: Kysely<DB>, candidateId: string, examYear: number, version: number, outcome: string, now: Date): Promise<void> {
  const ts = now.toISOString();
  await db
    .insertInto('population_give_backs')
    .values({ candidate_id: candidateId, exam_year: examYear, version, outcome, sent_at: ts })
    .onConflict((oc) => oc.columns(['candidate_id', 'exam_year']).doUpdateSet({ version, outcome, sent_at: ts }).where('population_give_backs.version', '<=', version))
    .execute();
}

export async function findGiveBack(db: Kysely<DB>, candidateId: string, examYear: number): Promise<{ version: number; outcome: string; sentAt: string } | undefined> {
  const r = await db.selectFrom('population_give_backs').selectAll().where('candidate_id', '=', candidateId).where('exam_year', '=', examYear).executeTakeFirst();
  return r ? { version: r.version, outcome: r.outcome, sentAt: r.sent_at } : undefined;
}

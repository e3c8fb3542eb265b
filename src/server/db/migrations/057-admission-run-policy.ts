// 057: a run that follows a published run records the policy it was asked to follow (issue 24, item 4):
// 'protect-published' (every published admission stands) or 'recompute' (from scratch, with a reason);
// null for a run that follows no publication. The policy is part of the run's hashed input.
// admission_run_programmes.last_place_candidate_id: the candidate at a programme's last place (where it
// turned applicants away, at its cut-off), so that a later run holds to exactly that place even when that
// candidate's own score is reviewed; null when the programme turned nobody away.
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admission_runs').addColumn('policy', 'text').execute();
  await db.schema.alterTable('admission_run_programmes').addColumn('last_place_candidate_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admission_run_programmes').dropColumn('last_place_candidate_id').execute();
  await db.schema.alterTable('admission_runs').dropColumn('policy').execute();
}

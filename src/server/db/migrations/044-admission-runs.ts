// 044: the national admission runs (issue 24, items 3 and 4). admission_runs is every run of the matching
// over the year's paid, eligible wishes (provisional → published, or superseded by a later published run,
// with the audited reason), with the SHA-256 of its canonical input and result; admission_run_candidates
// and admission_run_programmes its result, per candidate (the admitted wish, or none, and the reason for
// every higher wish) and per programme-method (cut-off, admitted); admission_run_changes what a run changed
// against the run it follows, candidate by candidate, and why; admission_enrolments the candidates'
// confirmations of enrolment (xác nhận nhập học).
// Frozen in time: this file never imports application code; later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admission_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    /** 'running' while it reads and matches; then 'provisional' | 'published' | 'superseded' | 'failed' */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('input_hash', 'text')
    .addColumn('result_hash', 'text')
    .addColumn('algorithm', 'text')
    .addColumn('programmes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('candidates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wishes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('considered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('admitted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unpaid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ineligible', 'integer', (c) => c.notNull().defaultTo(0))
    /** candidates whose result differs from the run it follows (null for a first run) */
    .addColumn('changed', 'integer')
    /** JSON: time per phase (ms) and peak memory of the run */
    .addColumn('timings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    /** the run this one follows (the published one when it was started, else the last provisional) */
    .addColumn('previous_run_id', 'text')
    /** why a new run after a published one (score reviews, corrections): required then, audited */
    .addColumn('reason', 'text')
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .addColumn('superseded_by_run', 'text')
    .addColumn('superseded_at', 'text')
    .execute();
  await db.schema.createIndex('admission_runs_year').on('admission_runs').columns(['exam_year', 'started_at']).execute();

  await db.schema
    .createTable('admission_run_candidates')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    /** the admitted programme-method and wish number, or null: admitted nowhere */
    .addColumn('programme_id', 'text')
    .addColumn('wish', 'integer')
    .addColumn('score_centi', 'integer')
    /** JSON: every higher wish not obtained, [[wish, programme, reason, score, decidedBy]] (cut-offs in admission_run_programmes) */
    .addColumn('not_obtained', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_run_candidates_pk', ['run_id', 'candidate_id'])
    .execute();
  await db.schema.createIndex('admission_run_candidates_programme').on('admission_run_candidates').columns(['run_id', 'programme_id', 'score_centi']).execute();

  await db.schema
    .createTable('admission_run_programmes')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addColumn('admitted', 'integer', (c) => c.notNull())
    .addColumn('full', 'integer', (c) => c.notNull())
    .addColumn('cutoff_centi', 'integer')
    .addColumn('lowest_admitted_centi', 'integer')
    /** applicants whose wish took part in the run */
    .addColumn('applicants', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON: admitted per wish number {"1": n, …} */
    .addColumn('by_wish', 'text', (c) => c.notNull().defaultTo('{}'))
    /** JSON: admitted per combination {"A00": {"admitted": n, "lowest": centi}, …} */
    .addColumn('by_combination', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('admission_run_programmes_pk', ['run_id', 'programme_id'])
    .execute();

  await db.schema
    .createTable('admission_run_changes')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('before_programme_id', 'text')
    .addColumn('before_wish', 'integer')
    .addColumn('after_programme_id', 'text')
    .addColumn('after_wish', 'integer')
    /** 'own-score' | 'wishes' | 'cutoff' | 'new' (a candidate the run it follows did not have) | 'gone' */
    .addColumn('why', 'text', (c) => c.notNull())
    /** JSON: the figures behind `why` (scores before and after, the cut-off that moved) */
    .addColumn('detail', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_run_changes_pk', ['run_id', 'candidate_id'])
    .execute();

  await db.schema
    .createTable('admission_enrolments')
    .addColumn('exam_year', 'integer', (c) => c.notNull())
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admission_enrolments_pk', ['exam_year', 'candidate_id'])
    .execute();
  await db.schema.createIndex('admission_enrolments_programme').on('admission_enrolments').columns(['exam_year', 'programme_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['admission_enrolments', 'admission_run_changes', 'admission_run_programmes', 'admission_run_candidates', 'admission_runs']) await db.schema.dropTable(t).ifExists().execute();
}

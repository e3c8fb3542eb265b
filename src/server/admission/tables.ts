// Row types of migration 044's tables (the admission runs), merged into the schema's DB interface so that
// the three admission branches do not all edit schema.ts. Only the admission run's repository uses them.
import type { AdmissionRunKind } from '../../domain/admission/run-state.ts';

export interface AdmissionRunTable {
  id: string;
  exam_year: number;
  kind: AdmissionRunKind;
  input_hash: string | null;
  result_hash: string | null;
  algorithm: string | null;
  programmes: number;
  candidates: number;
  wishes: number;
  considered: number;
  admitted: number;
  unpaid: number;
  ineligible: number;
  changed: number | null;
  timings: string;
  started_by: string;
  started_at: string;
  finished_at: string | null;
  previous_run_id: string | null;
  reason: string | null;
  published_by: string | null;
  published_at: string | null;
  superseded_by_run: string | null;
  superseded_at: string | null;
  /** migration 051: why the run failed */
  message: string | null;
  /** migration 057: the policy of a run that follows a published run ('protect-published' | 'recompute'), null otherwise */
  policy: string | null;
}

export interface AdmissionRunCandidateTable {
  run_id: string;
  candidate_id: string;
  programme_id: string | null;
  wish: number | null;
  score_centi: number | null;
  not_obtained: string;
}

/** A run's admitted candidates in an institution's list order (programme, score), written in that order (migration 055). */
export interface AdmissionRunAdmittedTable {
  run_id: string;
  programme_id: string;
  score_centi: number;
  candidate_id: string;
  wish: number;
}

export interface AdmissionRunProgrammeTable {
  run_id: string;
  programme_id: string;
  quota: number;
  admitted: number;
  full: number;
  cutoff_centi: number | null;
  lowest_admitted_centi: number | null;
  applicants: number;
  by_wish: string;
  by_combination: string;
  /** migration 057: the candidate at its last place (where it turned applicants away), null when none */
  last_place_candidate_id: string | null;
}

export interface AdmissionRunChangeTable {
  run_id: string;
  candidate_id: string;
  before_programme_id: string | null;
  before_wish: number | null;
  after_programme_id: string | null;
  after_wish: number | null;
  why: string;
  detail: string;
}

export interface AdmissionEnrolmentTable {
  exam_year: number;
  candidate_id: string;
  run_id: string;
  programme_id: string;
  confirmed_at: string;
  confirmed_by: string;
}

declare module '../db/schema.ts' {
  interface DB {
    admission_runs: AdmissionRunTable;
    admission_run_candidates: AdmissionRunCandidateTable;
    admission_run_admitted: AdmissionRunAdmittedTable;
    admission_run_programmes: AdmissionRunProgrammeTable;
    admission_run_changes: AdmissionRunChangeTable;
    admission_enrolments: AdmissionEnrolmentTable;
  }
}


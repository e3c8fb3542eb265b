// Row types of every table, for Kysely. Only repositories and migrations-adjacent code see these;
// the rest of the server works with domain types. Portable columns: text ids, integer booleans (0/1),
// ISO-8601 UTC timestamps as text, JSON as text.
import type { Generated } from 'kysely';

export interface SchemaMigrationTable {
  name: string;
  applied_at: string;
}

export interface ReferenceDataTable {
  /** e.g. 'exam-departments' */
  name: string;
  version: number;
  /** the whole versioned JSON document */
  content: string;
  loaded_at: string;
}

export interface OrgUnitTable {
  id: string;
  kind: 'ministry' | 'department' | 'point' | 'institution';
  /** ministry 'BGD'; department the exam department code '01'…'65'; point the department code + 3 digits;
   * institution (042) its admission code (e.g. 'QHI'), with department_code the province of its seat */
  code: string;
  name: string;
  parent_id: string | null;
  /** the exam department code this node belongs to (null for the ministry) */
  department_code: string | null;
  /** for points: 'school' (a high school) or 'free' (a point for free candidates) */
  point_kind: 'school' | 'free' | null;
  address: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface ExamYearTable {
  year: number;
  scheme: 'CT2006' | 'CT2018';
  /** JSON: ExamYearWindows (local dates and times in Vietnam) */
  windows: string;
  status: 'draft' | 'published';
  /** JSON: per-year rule parameters (priority table version, exemption list version …) */
  rules: string;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export type Role = 'ministry_admin' | 'department_officer' | 'point_officer' | 'support_agent' | 'candidate' | 'admissions_officer';

export interface UserTable {
  id: string;
  /** staff: chosen login; candidate: CCCD / personal number / passport / assigned code */
  username: string;
  role: Role;
  /** staff: the node they work in; candidate: their registration point */
  org_unit_id: string;
  display_name: string;
  /** null until an account is issued (the seed makes 'not_issued' candidates without a hash) */
  password_hash: string | null;
  status: 'not_issued' | 'active' | 'disabled';
  must_change_password: number;
  password_set_at: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CandidateTable {
  id: string;
  user_id: string;
  exam_year: number;
  point_id: string;
  department_code: string;
  id_kind: 'cccd' | 'personal' | 'passport' | 'assigned';
  id_number: string;
  full_name: string;
  family_name: string;
  middle_name: string;
  given_name: string;
  /** lower-case, diacritics removed: search without diacritics */
  name_folded: string;
  gender: 'M' | 'F';
  date_of_birth: string;
  /** province of birth: CCCD prefix / statistics code, or null if born abroad */
  birth_province: string | null;
  class_name: string | null;
  candidate_type: 'current' | 'free';
  created_at: string;
  updated_at: string;
}

export interface DossierTable {
  id: string;
  candidate_id: string;
  exam_year: number;
  /** 1 for a trial-window dossier (wiped when the trial ends) */
  is_trial: number;
  status: 'draft' | 'submitted' | 'returned' | 'verified';
  version: number;
  /** JSON: the declared sections */
  data: string;
  point_id: string;
  department_code: string;
  form_number: string | null;
  /** 'online' (the candidate) or 'desk' (registered by the point at its desk) */
  channel: 'online' | 'desk';
  submitted_at: string | null;
  verified_at: string | null;
  returned_at: string | null;
  return_reason: string | null;
  created_at: string;
  updated_at: string;
  /** the readable dossier code (src/domain/dossier-code.ts) */
  code: string | null;
  /** the rules' verdict stored with this version: valid for this key (rules version and local day) */
  summary_key: string | null;
  /** JSON: the findings, in the answer's shape */
  findings: string | null;
  /** JSON: the task list, in the answer's shape */
  tasks: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** department code of the record touched, so a department reads its own trail */
  department_code: string | null;
  ip: string | null;
  /** JSON, personal numbers masked */
  details: string | null;
  /** the hash chain (migration 012): filled by the database on insert, never by the application */
  seq: Generated<string | number | null>;
  prev_hash: Generated<string | null>;
  hash: Generated<string | null>;
}

/** The audit chain's end: one row (id 1), moved by the insert trigger. */
export interface AuditHeadTable {
  id: number;
  seq: string | number;
  hash: string;
  at: string | null;
}

// 002-accounts
export interface SessionTable {
  id: string;
  /** hex SHA-256 of the token in the cookie; the token itself is never stored */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
  ip: string | null;
}

export interface AuthThrottleTable {
  key: string;
  failures: number;
  window_ends_at: string;
}

export interface AccountImportTable {
  id: string;
  point_id: string;
  exam_year: number;
  created_by: string;
  created_at: string;
  file_name: string;
  status: 'validated' | 'committed' | 'discarded';
  total_rows: number;
  valid_rows: number;
  error_rows: number;
  rows: string;
  report: string;
  committed_at: string | null;
  committed_by: string | null;
  imported_rows: number | null;
}

export interface AccountIssuanceTable {
  id: string;
  point_id: string;
  issued_by: string;
  issued_at: string;
  kind: 'initial' | 'reissue';
  count: number;
  sealed: string | null;
  documents_expire_at: string;
}

// 003-registration
/** Filter and sort columns on dossiers, kept in step with `data` by the registration commands. */
export interface DossierFilterColumns {
  subjects_combo: string | null;
  purpose: string | null;
  candidate_type: string | null;
  programme: string | null;
  cccd_mismatch: Generated<number>;
  photo_missing: Generated<number>;
  exemption_claimed: Generated<number>;
  priority_claimed: Generated<number>;
  errors_count: Generated<number>;
  warnings_count: Generated<number>;
  desk_documents: string | null;
}

export interface IdempotencyKeyTable {
  actor_id: string;
  key: string;
  operation: string;
  request_hash: string;
  dossier_id: string | null;
  status_code: number;
  response: string;
  created_at: string;
}

export interface DossierEventTable {
  id: string;
  dossier_id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  event: string;
  from_status: string | null;
  to_status: string | null;
  version: number;
  sections: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
}

export interface UploadTable {
  id: string;
  dossier_id: string;
  kind: 'photo' | 'evidence';
  purpose: string | null;
  storage_path: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  original_name: string | null;
  created_by: string | null;
  created_at: string;
}

// 004-back-office
/** candidates.sort_key: nameSortKey(full_name) (src/domain/sort-key.ts); null until filled */
export interface CandidateSortKeyColumn {
  sort_key: string | null;
}

export interface StatCounterTable {
  exam_year: number;
  level: 'point' | 'department' | 'national';
  /** point id, department code, or '' for national */
  unit: string;
  metric: string;
  shard: number;
  value: number;
}

export interface JobTable {
  id: string;
  kind: string;
  dedup_key: string | null;
  /** one record's jobs run one at a time, in order_no then id order */
  ordering_key: string | null;
  order_no: Generated<number>;
  /** JSON: the job's input */
  payload: string;
  /** JSON: what a job of several steps has done so far */
  progress: string | null;
  status: 'pending' | 'done' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
}
export interface DossierCodeCounterTable {
  department_code: string;
  exam_year: number;
  is_trial: number;
  next_serial: number;
}

export interface SupportCallTable {
  id: string;
  agent_id: string;
  candidate_id: string | null;
  department_code: string | null;
  category: string;
  note: string;
  outcome: string;
  status: 'open' | 'closed';
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface FormNumberSequenceTable {
  point_id: string;
  exam_year: number;
  last_value: number;
}

// 020-vneid-sign-in
/** candidates.identity_source / identity_verified_at: 'vneid' when the person's identity was verified there */
export interface CandidateIdentityColumns {
  identity_source: string | null;
  identity_verified_at: string | null;
}

export interface ExternalIdentityTable {
  provider: string;
  /** VNeID: the personal number (SoDinhDanh) */
  subject: string;
  user_id: string;
  level: number;
  full_name: string;
  date_of_birth: string;
  gender: 'M' | 'F';
  ethnicity_code: string | null;
  /** JSON { provinceCode, communeCode } */
  permanent_residence: string | null;
  current_residence: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface OidcSignInTable {
  state: string;
  provider: string;
  nonce: string;
  code_verifier: string;
  browser_binding: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  ip: string | null;
}

// 021-national-links
export interface IdentityCheckTable {
  id: string;
  candidate_id: string;
  dossier_id: string | null;
  reason: string;
  outcome: 'match' | 'mismatch' | 'not_found' | 'rejected' | 'not_configured';
  /** JSON: [{ field, sent, registered }] */
  mismatches: string | null;
  permanent_residence: string | null;
  error: string | null;
  checked_at: string;
}

export interface PortalSyncTable {
  dossier_code: string;
  dossier_version: Generated<number>;
  dossier_status_code: number | null;
  dossier_outcome: string | null;
  progress_version: Generated<number>;
  progress_outcome: string | null;
  updated_at: string;
}

export interface PopulationGiveBackTable {
  candidate_id: string;
  exam_year: number;
  version: number;
  outcome: string;
  sent_at: string;
}

// 022-identity-flags
export interface IdentityFlagTable {
  id: string;
  candidate_id: string;
  dossier_id: string | null;
  point_id: string;
  department_code: string;
  exam_year: number;
  check_id: string;
  outcome: 'mismatch' | 'not_found';
  /** JSON: [{ field, sent, registered }] */
  mismatches: string | null;
  status: 'open' | 'corrected' | 'confirmed' | 'cleared' | 'superseded';
  note: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

export interface LinkRunTable {
  name: string;
  cursor: string;
  queued: number;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
}

// 040-exam-seating
export interface ExamCouncilTable {
  exam_year: number;
  department_code: string;
  council_code: string;
  room_size: number;
  last_room_max: number;
  first_serial: number;
  /** the highest serial ever issued, withdrawn numbers included */
  last_serial: number;
  plan_version: Generated<number>;
  planned_at: string | null;
  updated_at: string;
}

export interface ExamSiteTable {
  id: string;
  exam_year: number;
  department_code: string;
  code: string;
  name: string;
  address: string;
  /** the site's place in the serial order */
  position: number;
  created_at: string;
  updated_at: string;
}

export interface ExamSitePointTable {
  exam_year: number;
  point_id: string;
  site_id: string;
  department_code: string;
  position: number;
}

export interface CandidateNumberTable {
  candidate_id: string;
  exam_year: number;
  department_code: string;
  number: string;
  serial: number;
  site_id: string;
  withdrawn: Generated<number>;
  assigned_at: string;
  updated_at: string;
}

export interface ExamSeatTable {
  exam_year: number;
  candidate_id: string;
  session: string;
  department_code: string;
  site_id: string;
  room: number;
  seat: number;
}

/** 048: a council's published results as counts (src/server/results-stats) */
export interface ResultStatsTable {
  exam_year: number;
  department_code: string;
  version: number;
  marks: string;
  graduation: string;
  computed_at: string;
}

export interface DB {
  schema_migrations: SchemaMigrationTable;
  reference_data: ReferenceDataTable;
  org_units: OrgUnitTable;
  exam_years: ExamYearTable;
  users: UserTable;
  candidates: CandidateTable & Partial<CandidateSortKeyColumn> & Partial<CandidateIdentityColumns>;
  dossiers: DossierTable & DossierFilterColumns;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  sessions: SessionTable;
  auth_throttles: AuthThrottleTable;
  account_imports: AccountImportTable;
  account_issuances: AccountIssuanceTable;
  idempotency_keys: IdempotencyKeyTable;
  dossier_events: DossierEventTable;
  uploads: UploadTable;
  stat_counters: StatCounterTable;
  jobs: JobTable;
  dossier_code_counters: DossierCodeCounterTable;
  support_calls: SupportCallTable;
  form_number_sequences: FormNumberSequenceTable;
  external_identities: ExternalIdentityTable;
  oidc_sign_ins: OidcSignInTable;
  identity_checks: IdentityCheckTable;
  portal_sync: PortalSyncTable;
  population_give_backs: PopulationGiveBackTable;
  identity_flags: IdentityFlagTable;
  link_runs: LinkRunTable;
  staff_mfa: StaffMfaTable;
  mfa_recovery_codes: MfaRecoveryCodeTable;
  known_devices: KnownDeviceTable;
  schools: SchoolTable;
  exam_councils: ExamCouncilTable;
  exam_sites: ExamSiteTable;
  exam_site_points: ExamSitePointTable;
  candidate_numbers: CandidateNumberTable;
  exam_seats: ExamSeatTable;
  result_imports: ResultImportTable;
  result_import_rows: ResultImportRowTable;
  exam_marks: ExamMarkTable;
  school_averages: SchoolAverageTable;
  exam_results: ExamResultTable;
  review_requests: ReviewRequestTable;
  review_items: ReviewItemTable;
  result_stats: ResultStatsTable;
  admission_programme_imports: AdmissionProgrammeImportTable;
  admission_programmes: AdmissionProgrammeTable;
  admission_wish_lists: AdmissionWishListTable;
  admission_wishes: AdmissionWishTable;
  admission_payment_orders: AdmissionPaymentOrderTable;
  admission_payment_txns: AdmissionPaymentTxnTable;
  admission_payment_events: AdmissionPaymentEventTable;
  admission_payment_reconciliations: AdmissionPaymentReconciliationTable;
  admission_payment_closures: AdmissionPaymentClosureTable;
}

// Generated is re-exported for tables that later migrations add with database-generated columns.
export type { Generated };

/** 015: a staff account's TOTP secret, sealed with the server's key (src/server/mfa) */
export interface StaffMfaTable {
  user_id: string;
  secret_sealed: string;
  status: 'pending' | 'active';
  last_step: number | null;
  created_at: string;
  confirmed_at: string | null;
}

/** 015: recovery codes, argon2-hashed, looked up by their public prefix */
export interface MfaRecoveryCodeTable {
  user_id: string;
  prefix: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** 054: one row per known-device cookie (src/server/mfa/known-devices.ts) */
export interface KnownDeviceTable {
  id: string;
  user_id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  /** a short summary such as 'Chrome / Windows', never the whole user-agent string */
  user_agent: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/** 030: the schools each department imports (src/server/places). */
export interface SchoolTable {
  /** the exam department code the school belongs to (pre-merger provinces keep theirs) */
  department_code: string;
  code: string;
  name: string;
  name_folded: string;
  /** the 2025 province (statistics code) the school is in today */
  province_code: string;
  commune_code: string | null;
  area: 'KV1' | 'KV2-NT' | 'KV2' | 'KV3';
  /** ethnic boarding school: students take their residence's area */
  residence_based: number;
  updated_at: string;
}

// 045-exam-results
export interface ResultImportTable {
  id: string;
  exam_year: number;
  department_code: string;
  /** 1, 2, … per department and year */
  version: number;
  status: 'staged' | 'published' | 'superseded';
  file_name: string;
  /** JSON: the papers the file covers */
  subjects: string;
  /** the council's published version the difference was computed against */
  base_version: number;
  total_rows: number;
  valid_rows: number;
  error_rows: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** JSON: the row findings */
  findings: string;
  uploaded_by: string;
  uploaded_at: string;
  published_by: string | null;
  published_at: string | null;
  results_computed: number | null;
  /** 047: 'file' (a council's upload) or 'review' (changed marks from score reviews) */
  kind: 'file' | 'review';
}

export interface ResultImportRowTable {
  import_id: string;
  row: number;
  candidate_id: string;
  number: string;
  subject: string;
  change: 'added' | 'changed' | 'unchanged' | 'removed';
  kind: string | null;
  score_centi: number | null;
  sanction: string | null;
  old_kind: string | null;
  old_score_centi: number | null;
  old_sanction: string | null;
}

export interface ExamMarkTable {
  exam_year: number;
  candidate_id: string;
  subject: string;
  department_code: string;
  kind: string;
  score_centi: number | null;
  sanction: string | null;
  version: number;
  updated_at: string;
}

export interface SchoolAverageTable {
  exam_year: number;
  candidate_id: string;
  point_id: string;
  department_code: string;
  grade10_centi: number | null;
  grade11_centi: number | null;
  grade12_centi: number | null;
  /** comma-separated graduation priority groups (TN1, TN2), or null */
  graduation_groups: string | null;
  updated_by: string;
  updated_at: string;
}

export interface ExamResultTable {
  exam_year: number;
  candidate_id: string;
  department_code: string;
  number: string;
  scheme: string;
  version: number;
  import_id: string;
  status: 'passed' | 'failed' | 'incomplete' | 'not_applicable';
  score_centi: number | null;
  school_average_centi: number | null;
  encouragement_centi: number;
  priority_centi: number;
  divisor: number;
  detail: string;
  reasons: string;
  computed_at: string;
}

// 047-score-reviews
export interface ReviewRequestTable {
  id: string;
  exam_year: number;
  candidate_id: string;
  user_id: string;
  department_code: string;
  point_id: string;
  number: string;
  status: 'requested' | 'withdrawn' | 'in_review' | 'done';
  papers: number;
  fee_per_paper_vnd: number;
  fee_total_vnd: number;
  /** 'at_point': paid at the point; 'online': through the payment gateway (052) */
  payment: 'at_point' | 'online';
  requested_at: string;
  withdrawn_at: string | null;
  started_by: string | null;
  started_at: string | null;
  completed_at: string | null;
  /** 052: 'at_point' (paid at the point), or online 'unpaid' → 'pending' → 'paid' */
  fee_status: 'at_point' | 'unpaid' | 'pending' | 'paid';
  paid_at: string | null;
  payment_id: string | null;
}

export interface ReviewItemTable {
  request_id: string;
  exam_year: number;
  candidate_id: string;
  department_code: string;
  subject: string;
  paper_kind: 'essay' | 'multiple_choice';
  /** 'open' while the request is not withdrawn; the request's id after */
  open_key: string;
  original_score_centi: number;
  original_sanction: string | null;
  reviewed_score_centi: number | null;
  outcome: 'unchanged' | 'changed' | null;
  new_score_centi: number | null;
  recorded_by: string | null;
  recorded_at: string | null;
  import_id: string | null;
  published_at: string | null;
  result_before: string | null;
  result_after: string | null;
}

// 041-admission-catalogue (issue 23)

/** One upload of an institution's programme catalogue, with its row-by-row report. */
export interface AdmissionProgrammeImportTable {
  id: string;
  exam_year: number;
  institution_id: string;
  institution_code: string;
  file_name: string;
  status: 'validated' | 'committed' | 'discarded';
  total_rows: number;
  valid_rows: number;
  error_rows: number;
  /** JSON: the parsed, normalised programmes that passed */
  rows: string;
  /** JSON: the findings row by row, with the original cells of the rows that failed */
  report: string;
  created_by: string;
  created_at: string;
  committed_by: string | null;
  committed_at: string | null;
  imported_rows: number | null;
}

/** A programme-method of an institution for a year (the unit with a quota that ranks its applicants). */
export interface AdmissionProgrammeTable {
  /** institution code, programme code, method code: `QHI-7480201-100` */
  id: string;
  exam_year: number;
  /** org_units.id of the institution */
  institution_id: string;
  institution_code: string;
  code: string;
  method: string;
  name: string;
  /** lower case, diacritics folded (đ → d), for search */
  search_name: string;
  /** JSON: [{ code, weights?: { subject: weight } }] */
  combinations: string;
  scoring: 'sum' | 'weighted-30';
  quota: number;
  min_score_centi: number | null;
  teacher_training: number;
  /** JSON: the matching engine's TiePolicy (src/domain/admission/types.ts) */
  tie_policy: string;
  status: 'draft' | 'published';
  import_id: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  published_by: string | null;
}

/** A candidate's wish list for a year: its version (If-Match) and when it was frozen. */
export interface AdmissionWishListTable {
  exam_year: number;
  candidate_id: string;
  version: number;
  updated_at: string;
  frozen_at: string | null;
}

export type AdmissionFeeStatus = 'unpaid' | 'pending' | 'paid' | 'refunded';

/** One wish (nguyện vọng); position 1 is the first. Only 'paid' wishes take part in the matching run. */
export interface AdmissionWishTable {
  id: string;
  exam_year: number;
  candidate_id: string;
  position: number;
  programme_id: string;
  /** the combination the candidate chose (or the best one at save time) */
  combination: string;
  fee_status: Generated<AdmissionFeeStatus>;
  paid_at: string | null;
  payment_id: string | null;
  created_at: string;
  updated_at: string;
}

/** 043: one order a candidate pays at the gateway (its id is the gateway's vnp_TxnRef) */
export interface AdmissionPaymentOrderTable {
  id: string;
  exam_year: number;
  candidate_id: string;
  user_id: string;
  department_code: string;
  group_code: string;
  /** JSON: the ids of the wishes it pays for */
  wish_ids: string;
  wish_count: number;
  fee_per_wish_vnd: number;
  amount_vnd: number;
  status: 'open' | 'paid' | 'superseded' | 'expired' | 'failed';
  /** 'open' while open, the order's id otherwise (one open order per candidate) */
  open_key: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  txn_id: string | null;
  /** 052: what the order pays for */
  purpose: 'admission' | 'review';
}

/** 043: one payment the gateway made (a verified notification, a query's answer or the statement) */
export interface AdmissionPaymentTxnTable {
  id: string;
  exam_year: number;
  order_id: string;
  candidate_id: string;
  group_code: string;
  gateway_txn_no: string;
  amount_vnd: number;
  bank_code: string | null;
  pay_date: string;
  pay_day: string;
  status: 'applied' | 'duplicate' | 'after_window' | 'refunded';
  source: 'ipn' | 'query' | 'reconcile';
  late: number;
  received_at: string;
  refunded_at: string | null;
  refunded_by: string | null;
  refund_reason: string | null;
  refund_gateway: string | null;
}

/** 043: every notification, return, query and reconciliation step about an order, with its outcome */
export interface AdmissionPaymentEventTable {
  id: string;
  order_id: string | null;
  gateway_txn_no: string | null;
  kind: 'ipn' | 'return' | 'query' | 'reconcile';
  outcome: string;
  details: string | null;
  at: string;
}

/** 043: a day compared with the gateway's statement */
export interface AdmissionPaymentReconciliationTable {
  id: string;
  statement_day: string;
  run_at: string;
  run_by: string | null;
  gateway_lines: number;
  fixed: number;
  flagged: number;
  differences: string;
}

/** 043: a payment group's close: its wishes left unpaid */
export interface AdmissionPaymentClosureTable {
  exam_year: number;
  group_code: string;
  closed_at: string;
  unpaid_wishes: number;
  expired_orders: number;
}

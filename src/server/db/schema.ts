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
  kind: 'ministry' | 'department' | 'point';
  /** ministry 'BGD'; department the exam department code '01'…'65'; point the department code + 3 digits */
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

export type Role = 'ministry_admin' | 'department_officer' | 'point_officer' | 'support_agent' | 'candidate';

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
}

export interface DB {
  schema_migrations: SchemaMigrationTable;
  reference_data: ReferenceDataTable;
  org_units: OrgUnitTable;
  exam_years: ExamYearTable;
  users: UserTable;
  candidates: CandidateTable;
  dossiers: DossierTable;
  audit_log: AuditLogTable;
}

// Generated is re-exported for tables that later migrations add with database-generated columns.
export type { Generated };

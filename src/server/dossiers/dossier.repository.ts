// All SQL on the dossier aggregate: dossiers with their candidate, the dossier's history, its uploads, the
// candidate's registered data, dossier codes and the trial wipe. Reads return the model's types (model.ts);
// writes are parts of write units (src/server/db/write-unit.ts) that the dossier module's commands combine
// with other features' parts, or small statements inside a write. Row types stay in this file.
import { sql, type Kysely, type QueryCreator, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { DB, DossierFilterColumns, DossierTable, UploadTable } from '../db/schema.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import type { Dossier } from '../../domain/dossier.ts';
import type { Finding } from '../../domain/messages.ts';
import { prepared } from '../db/prepared.ts';
import { jsonArrayText, jsonObject } from '../db/dialects/json-sql.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import type { Arg, UnitPart } from '../db/write-unit.ts';
import type { SessionRow } from '../accounts/sessions.repository.ts';
import { SESSION_COLUMNS } from '../accounts/sessions.repository.ts';
import type { CandidateRef, DeskDocuments, DossierEvent, DossierFilters, DossierSnapshot, StoredDossier, StoredSummary, StoredUpload } from './model.ts';

// ---- rows → model ----

const CANDIDATE_COLUMNS = [
  'c.id as c_id',
  'c.user_id as c_user_id',
  'c.exam_year as c_exam_year',
  'c.point_id as c_point_id',
  'c.department_code as c_department_code',
  'c.id_kind as c_id_kind',
  'c.id_number as c_id_number',
  'c.full_name as c_full_name',
  'c.gender as c_gender',
  'c.date_of_birth as c_date_of_birth',
  'c.birth_province as c_birth_province',
  'c.candidate_type as c_candidate_type',
] as const;

interface CandidateCols {
  c_id: string;
  c_user_id: string;
  c_exam_year: number;
  c_point_id: string;
  c_department_code: string;
  c_id_kind: CandidateRef['idKind'];
  c_id_number: string;
  c_full_name: string;
  c_gender: 'M' | 'F';
  c_date_of_birth: string;
  c_birth_province: string | null;
  c_candidate_type: 'current' | 'free';
}

function candidateOf(r: CandidateCols): CandidateRef {
  return {
    id: r.c_id,
    userId: r.c_user_id,
    examYear: r.c_exam_year,
    pointId: r.c_point_id,
    departmentCode: r.c_department_code,
    idKind: r.c_id_kind,
    idNumber: r.c_id_number,
    fullName: r.c_full_name,
    gender: r.c_gender,
    dateOfBirth: r.c_date_of_birth,
    birthProvince: r.c_birth_province,
    candidateType: r.c_candidate_type,
  };
}

type DossierRow = Selectable<DossierTable & DossierFilterColumns>;

function summaryOf(r: DossierRow): StoredSummary | null {
  if (r.summary_key === null || r.findings === null || r.tasks === null) return null;
  const findingsJson = r.findings;
  let parsed: Finding[] | undefined;
  return {
    key: r.summary_key,
    get findings() {
      return (parsed ??= JSON.parse(findingsJson) as Finding[]);
    },
    findingsJson,
    tasksJson: r.tasks,
  };
}

/** A dossier row as the model; `data` is parsed only when something reads it (a read that splices never does). */
export function dossierOf(r: DossierRow): StoredDossier {
  const dataJson = r.data;
  let data: Partial<Dossier> | undefined;
  return {
    id: r.id,
    code: r.code,
    candidateId: r.candidate_id,
    examYear: r.exam_year,
    isTrial: r.is_trial === 1,
    status: r.status,
    version: r.version,
    get data() {
      return (data ??= JSON.parse(dataJson) as Partial<Dossier>);
    },
    dataJson,
    summary: summaryOf(r),
    pointId: r.point_id,
    departmentCode: r.department_code,
    formNumber: r.form_number,
    channel: r.channel,
    submittedAt: r.submitted_at,
    verifiedAt: r.verified_at,
    returnedAt: r.returned_at,
    returnReason: r.return_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    filters: {
      subjectsCombo: r.subjects_combo,
      purpose: r.purpose,
      candidateType: r.candidate_type,
      programme: r.programme,
      cccdMismatch: r.cccd_mismatch === 1,
      photoMissing: r.photo_missing === 1,
      exemptionClaimed: r.exemption_claimed === 1,
      priorityClaimed: r.priority_claimed === 1,
      errorsCount: r.errors_count,
      warningsCount: r.warnings_count,
    },
    deskDocuments: r.desk_documents ? (JSON.parse(r.desk_documents) as DeskDocuments) : null,
  };
}

// ---- reads: a dossier with its candidate, and what a page needs besides ----

/** What a dossier query brings besides the candidate and the dossier. */
export type DossierExtra = 'none' | 'uploads' | 'history';

/** How much history a dossier's status page shows. */
export const HISTORY_LIMIT = 100;

/** The uploads as the API shows them (no storage path), written by the database in the answer's shape. */
const UPLOAD_VIEW: ReadonlyArray<readonly [string, string]> = [
  ['id', 'id'],
  ['kind', 'kind'],
  ['purpose', 'purpose'],
  ['mime', 'mime'],
  ['bytes', 'bytes'],
  ['width', 'width'],
  ['height', 'height'],
  ['createdAt', 'created_at'],
];
const EVENT_FIELDS = ['id', 'dossier_id', 'at', 'actor_id', 'actor_role', 'event', 'from_status', 'to_status', 'version', 'sections', 'before', 'after', 'reason'] as const;

function extraJson(db: Kysely<DB>, extra: Exclude<DossierExtra, 'none'>) {
  if (extra === 'uploads') {
    const element = jsonObject(db, UPLOAD_VIEW.map(([k, col]) => [k, sql.ref(`u.${col}`)] as const));
    return sql<string>`(select ${jsonArrayText(db, element, sql`u.created_at desc, u.id desc`)} from uploads as u where u.dossier_id = d.id)`.as('extra_json');
  }
  const element = jsonObject(db, [...EVENT_FIELDS, 'actor_name'].map((f) => [f, sql.ref(`h.${f}`)] as const));
  return sql<string>`(select ${jsonArrayText(db, element, sql`h.at desc, h.version desc, h.id desc`)} from (
      select ${sql.join(EVENT_FIELDS.map((f) => sql.ref(`e.${f}`)))}, u.display_name as actor_name
      from dossier_events as e left join users as u on u.id = e.actor_id
      where e.dossier_id = d.id order by e.at desc, e.version desc, e.id desc limit ${sql.lit(HISTORY_LIMIT)}) as h)`.as('extra_json');
}

interface ExtraCol {
  extra_json?: string | null;
}

export interface FoundDossier {
  candidate: CandidateRef;
  /** null: nothing saved yet in this window */
  dossier: StoredDossier | null;
  /** with extra 'uploads': the uploads as the API shows them, newest first, as JSON text ('[]' without a dossier) */
  uploadsJson?: string;
  /** with extra 'history': the last HISTORY_LIMIT events, newest first */
  history?: DossierEvent[];
}

type EventRow = Record<(typeof EVENT_FIELDS)[number], unknown> & { actor_name: string | null };

function eventOf(r: EventRow): DossierEvent {
  return {
    id: r.id as string,
    at: r.at as string,
    actorId: r.actor_id as string | null,
    actorRole: r.actor_role as string | null,
    actorName: r.actor_name,
    event: r.event as string,
    fromStatus: r.from_status as string | null,
    toStatus: r.to_status as string | null,
    version: Number(r.version),
    sections: r.sections ? String(r.sections).split(',') : [],
    before: r.before ? (JSON.parse(String(r.before)) as Record<string, unknown>) : null,
    after: r.after ? (JSON.parse(String(r.after)) as Record<string, unknown>) : null,
    reason: r.reason as string | null,
  };
}

function found(candidate: CandidateRef, dossier: StoredDossier | null, extra: DossierExtra, r: ExtraCol): FoundDossier {
  if (extra === 'uploads') return { candidate, dossier, uploadsJson: r.extra_json ?? '[]' };
  if (extra === 'history') return { candidate, dossier, history: (JSON.parse(r.extra_json ?? '[]') as EventRow[]).map(eventOf) };
  return { candidate, dossier };
}

type OwnRow = CandidateCols & DossierRow & ExtraCol;

function byUserQuery(extra: DossierExtra) {
  return prepared<{ userId: string; examYear: number; isTrial: number }, OwnRow>((db, p) => {
    const q = db
      .selectFrom('candidates as c')
      .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', p('isTrial')))
      .select(CANDIDATE_COLUMNS)
      .selectAll('d')
      .where('c.user_id', '=', p('userId'))
      .where('c.exam_year', '=', p('examYear'));
    return extra === 'none' ? (q as never) : (q.select(extraJson(db, extra)) as never);
  });
}

function byIdQuery(extra: DossierExtra) {
  return prepared<{ dossierId: string }, OwnRow>((db, p) => {
    const q = db.selectFrom('dossiers as d').innerJoin('candidates as c', 'c.id', 'd.candidate_id').select(CANDIDATE_COLUMNS).selectAll('d').where('d.id', '=', p('dossierId'));
    return extra === 'none' ? (q as never) : (q.select(extraJson(db, extra)) as never);
  });
}

const EXTRAS: readonly DossierExtra[] = ['none', 'uploads', 'history'];
const byUser = new Map(EXTRAS.map((e) => [e, byUserQuery(e)]));
const byId = new Map(EXTRAS.map((e) => [e, byIdQuery(e)]));

/** The candidate a user is for `examYear`, with their dossier of that kind (trial or official) if any. */
export async function findOwnDossier(db: Kysely<DB>, userId: string, examYear: number, isTrial: boolean, extra: DossierExtra = 'none'): Promise<FoundDossier | undefined> {
  const r = (await byUser.get(extra)!(db, { userId, examYear, isTrial: isTrial ? 1 : 0 })).rows[0];
  if (!r) return undefined;
  return found(candidateOf(r), r.id ? dossierOf(r) : null, extra, r);
}

/** A dossier by primary key with its candidate. */
export async function findDossierById(db: Kysely<DB>, dossierId: string, extra: DossierExtra = 'none'): Promise<(FoundDossier & { dossier: StoredDossier }) | undefined> {
  const r = (await byId.get(extra)!(db, { dossierId })).rows[0];
  if (!r) return undefined;
  const d = dossierOf(r);
  return { ...found(candidateOf(r), d, extra, r), dossier: d };
}

// A candidate's own pages read the session and the dossier in ONE query (the candidate routes' session read,
// access.ts): one read per request instead of two. With a submit's Idempotency-Key, what is stored under it too.
const SESSION_KEYS = SESSION_COLUMNS.map((c) => c.slice(c.indexOf('.') + 1) as keyof SessionRow);
const SESSION_AS = SESSION_COLUMNS.map((c, i) => `${c} as s_${SESSION_KEYS[i]}` as const);
type SessionCols = { [K in keyof SessionRow as `s_${K}`]: SessionRow[K] };
interface KeyCols {
  k_request_hash: string | null;
  k_status_code: number | null;
  k_response: string | null;
}
type SessionOwnRow = SessionCols & Partial<CandidateCols> & DossierRow & ExtraCol & Partial<KeyCols>;

function sessionOwnQuery(extra: DossierExtra, withKey: boolean) {
  return prepared<{ tokenHash: string; examYear: number; isTrial: number; key: string }, SessionOwnRow>((db, p) => {
    let q = db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .leftJoin('candidates as c', (j) => j.onRef('c.user_id', '=', 's.user_id').on('c.exam_year', '=', p('examYear')))
      .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', p('isTrial')))
      .select(SESSION_AS)
      .select(CANDIDATE_COLUMNS)
      .selectAll('d')
      .where('s.token_hash', '=', p('tokenHash'));
    if (withKey) {
      q = q
        .leftJoin('idempotency_keys as k', (j) => j.onRef('k.actor_id', '=', 's.user_id').on('k.key', '=', p('key')))
        .select(['k.request_hash as k_request_hash', 'k.status_code as k_status_code', 'k.response as k_response']) as unknown as typeof q;
    }
    return extra === 'none' ? (q as never) : (q.select(extraJson(db, extra)) as never);
  });
}
const sessionOwn = new Map(EXTRAS.map((e) => [e, sessionOwnQuery(e, false)]));
const sessionOwnWithKey = sessionOwnQuery('none', true);

export interface StoredKeyRecord {
  requestHash: string;
  statusCode: number;
  response: string;
}

/**
 * The session of `tokenHash` with its user's candidate for `examYear` and their dossier of that kind;
 * `found` undefined when the user has no candidate record that year. With `idempotencyKey`, also the
 * record stored under that key for the session's user (null when there is none).
 */
export async function findSessionWithOwnDossier(
  db: Kysely<DB>,
  tokenHash: string,
  examYear: number,
  isTrial: boolean,
  extra: DossierExtra,
  idempotencyKey?: string,
): Promise<{ session: SessionRow; found: FoundDossier | undefined; key?: StoredKeyRecord | null } | undefined> {
  const withKey = idempotencyKey !== undefined && extra === 'none';
  const args = { tokenHash, examYear, isTrial: isTrial ? 1 : 0, key: idempotencyKey ?? '' };
  const r = (await (withKey ? sessionOwnWithKey : sessionOwn.get(extra)!)(db, args)).rows[0];
  if (!r) return undefined;
  const session = {} as Record<string, unknown>;
  for (const k of SESSION_KEYS) session[k] = r[`s_${k}`];
  const key = withKey ? (r.k_request_hash ? { requestHash: r.k_request_hash, statusCode: r.k_status_code ?? 0, response: r.k_response ?? 'null' } : null) : undefined;
  const f = r.c_id === null || r.c_id === undefined ? undefined : found(candidateOf(r as CandidateCols), r.id ? dossierOf(r) : null, extra, r);
  return { session: session as unknown as SessionRow, found: f, ...(key !== undefined ? { key } : {}) };
}

export async function findCandidateIdByIdNumber(db: Kysely<DB>, examYear: number, idNumber: string): Promise<string | undefined> {
  return (await db.selectFrom('candidates').select('id').where('exam_year', '=', examYear).where('id_number', '=', idNumber).executeTakeFirst())?.id;
}

/** The dossier's current version and data (for a 412's body). */
export async function findVersionAndData(db: Kysely<DB>, dossierId: string): Promise<{ version: number; status: DossierStatus; data: Partial<Dossier> } | undefined> {
  const r = await db.selectFrom('dossiers').select(['version', 'status', 'data']).where('id', '=', dossierId).executeTakeFirst();
  return r ? { version: r.version, status: r.status, data: JSON.parse(r.data) as Partial<Dossier> } : undefined;
}

// ---- the history ----

const eventsOf = prepared<{ dossierId: string; limit: number }, EventRow>((db, p) =>
  db
    .selectFrom('dossier_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(EVENT_FIELDS.map((f) => `e.${f}` as const))
    .select('u.display_name as actor_name')
    .where('e.dossier_id', '=', p('dossierId'))
    .orderBy('e.at', 'desc')
    .orderBy('e.version', 'desc')
    // a photo and an evidence upload can share the moment and the version: the order stays the same
    .orderBy('e.id', 'desc')
    .limit(p('limit')),
);

/** The dossier's history, newest first, with the name of whoever acted. */
export async function listDossierEvents(db: Kysely<DB>, dossierId: string, limit = HISTORY_LIMIT): Promise<DossierEvent[]> {
  return (await eventsOf(db, { dossierId, limit })).rows.map(eventOf);
}

// ---- contact details and reminders (for notifications) ----

/** Where to reach a candidate: the contact section of their most recent official dossier. */
export async function findContactOfUser(db: Kysely<DB>, userId: string): Promise<{ email: string | null; phone: string | null } | undefined> {
  const r = await db
    .selectFrom('candidates as c')
    .innerJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', 0))
    .select('d.data')
    .where('c.user_id', '=', userId)
    .orderBy('c.exam_year', 'desc')
    .executeTakeFirst();
  if (!r) return undefined;
  const d = JSON.parse(r.data) as { contact?: { email?: string; phone?: string } };
  return { email: d.contact?.email || null, phone: d.contact?.phone || null };
}

/** Official dossiers of `examYear` still a draft or returned, after `afterId` in id order (pages of the reminder). */
export async function listUnsubmittedForReminder(db: Kysely<DB>, examYear: number, afterId: string, limit: number): Promise<Array<{ dossierId: string; userId: string }>> {
  const rows = await db
    .selectFrom('dossiers as d')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .select(['d.id', 'c.user_id'])
    .where('d.exam_year', '=', examYear)
    .where('d.is_trial', '=', 0)
    .where('d.status', 'in', ['draft', 'returned'])
    .where('d.id', '>', afterId)
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ dossierId: r.id, userId: r.user_id }));
}

// ---- writes: parts of write units ----

/** What a change writes on the dossier row. Every versioned change also writes version and updated_at. */
export interface DossierPatch {
  status?: DossierStatus;
  /** the declared data with the filter columns derived from it */
  data?: { json: string; filters: DossierFilters };
  summary?: { key: string; findingsJson: string; tasksJson: string };
  submittedAt?: string | null;
  verifiedAt?: string | null;
  returnedAt?: string | null;
  returnReason?: string | null;
  /** a code for a dossier a bulk load left without one */
  code?: string;
  /** only an upload changes it, without a new version (a save whose read predates the upload must not put back the value it read) */
  photoMissing?: boolean;
}

// The filter columns a versioned change writes (not photo_missing: see DossierPatch).
type FilterColumn = 'subjects_combo' | 'purpose' | 'candidate_type' | 'programme' | 'cccd_mismatch' | 'exemption_claimed' | 'priority_claimed' | 'errors_count' | 'warnings_count';

function filterValues(f: DossierFilters): Record<FilterColumn, unknown> {
  return {
    subjects_combo: f.subjectsCombo,
    purpose: f.purpose,
    candidate_type: f.candidateType,
    programme: f.programme,
    cccd_mismatch: f.cccdMismatch ? 1 : 0,
    exemption_claimed: f.exemptionClaimed ? 1 : 0,
    priority_claimed: f.priorityClaimed ? 1 : 0,
    errors_count: f.errorsCount,
    warnings_count: f.warningsCount,
  };
}

function patchValues(patch: DossierPatch): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (patch.status !== undefined) v['status'] = patch.status;
  if (patch.data !== undefined) Object.assign(v, { data: patch.data.json }, filterValues(patch.data.filters));
  if (patch.summary !== undefined) Object.assign(v, { summary_key: patch.summary.key, findings: patch.summary.findingsJson, tasks: patch.summary.tasksJson });
  if (patch.submittedAt !== undefined) v['submitted_at'] = patch.submittedAt;
  if (patch.verifiedAt !== undefined) v['verified_at'] = patch.verifiedAt;
  if (patch.returnedAt !== undefined) v['returned_at'] = patch.returnedAt;
  if (patch.returnReason !== undefined) v['return_reason'] = patch.returnReason;
  if (patch.code !== undefined) v['code'] = patch.code;
  if (patch.photoMissing !== undefined) v['photo_missing'] = patch.photoMissing ? 1 : 0;
  return v;
}

const INTEGER_COLUMNS = new Set(['cccd_mismatch', 'exemption_claimed', 'priority_claimed', 'errors_count', 'warnings_count', 'photo_missing', 'version', 'expected']);
const typed = (arg: Arg<Record<string, unknown>>, name: string): RawBuilder<unknown> => sql`cast(${arg(name)} as ${sql.raw(INTEGER_COLUMNS.has(name) ? 'integer' : 'text')})`;

/**
 * The compare-and-set of a change on a dossier: written only when the row is still at `expectedVersion`
 * (and, with `keyFree`, while the request's Idempotency-Key is unused), then at expectedVersion + 1 (or at
 * the same version when `sameVersion`; `anyVersion`: whatever the version, which it keeps, for what no save
 * can contradict, an upload's flag). The unit's primary statement.
 */
export function dossierUpdatePart(
  id: string,
  expectedVersion: number,
  patch: DossierPatch,
  now: Date,
  opts: { sameVersion?: boolean; anyVersion?: boolean; keyFree?: { actorId: string; key: string } } = {},
): UnitPart<Record<string, unknown>> {
  const values = patchValues(patch);
  const columns = Object.keys(values).sort();
  const args: Record<string, unknown> = { ...values, id, expected: expectedVersion, version: opts.sameVersion ? expectedVersion : expectedVersion + 1, updated_at: now.toISOString() };
  if (opts.keyFree) Object.assign(args, { k_actor: opts.keyFree.actorId, k_key: opts.keyFree.key });
  if (opts.anyVersion) delete args['version'];
  return {
    shape: `dossier-update:${columns.join(',')}:${opts.keyFree ? 'key' : ''}:${opts.anyVersion ? 'any' : ''}`,
    args,
    build(qc: QueryCreator<DB>, arg: Arg<Record<string, unknown>>) {
      const set: Record<string, RawBuilder<unknown>> = { updated_at: typed(arg, 'updated_at') };
      if (!opts.anyVersion) set['version'] = typed(arg, 'version');
      for (const c of columns) set[c] = typed(arg, c);
      let q = qc
        .updateTable('dossiers')
        .set(set as never)
        .where('id', '=', arg('id') as string);
      if (!opts.anyVersion) q = q.where('version', '=', arg('expected') as number);
      if (opts.keyFree) {
        q = q.where((eb) => eb.not(eb.exists(eb.selectFrom('idempotency_keys').select(sql`1`.as('one')).where('actor_id', '=', arg('k_actor') as string).where('key', '=', arg('k_key') as string))));
      }
      return q.returning(sql<number>`1`.as('one'));
    },
  };
}

export interface NewDossierRow {
  id: string;
  code: string;
  candidateId: string;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  dataJson: string;
  filters: DossierFilters;
  summary: { key: string; findingsJson: string; tasksJson: string };
  pointId: string;
  departmentCode: string;
  channel: 'online' | 'desk';
  submittedAt: string | null;
  deskDocuments?: DeskDocuments | null;
}

const DOSSIER_INSERT_COLUMNS = {
  id: 'text',
  code: 'text',
  candidate_id: 'text',
  exam_year: 'integer',
  is_trial: 'integer',
  status: 'text',
  version: 'integer',
  data: 'text',
  point_id: 'text',
  department_code: 'text',
  channel: 'text',
  submitted_at: 'text',
  created_at: 'text',
  updated_at: 'text',
  subjects_combo: 'text',
  purpose: 'text',
  candidate_type: 'text',
  programme: 'text',
  cccd_mismatch: 'integer',
  photo_missing: 'integer',
  exemption_claimed: 'integer',
  priority_claimed: 'integer',
  errors_count: 'integer',
  warnings_count: 'integer',
  desk_documents: 'text',
  summary_key: 'text',
  findings: 'text',
  tasks: 'text',
} as const;

/** A new dossier at version 1: the primary of a first save. Changes nothing when the candidate already has one of that kind. */
export function dossierInsertPart(d: NewDossierRow, now: Date): UnitPart<Record<string, unknown>> {
  const ts = now.toISOString();
  return insertRowsPart(
    'dossiers',
    DOSSIER_INSERT_COLUMNS,
    [
      {
        id: d.id,
        code: d.code,
        candidate_id: d.candidateId,
        exam_year: d.examYear,
        is_trial: d.isTrial ? 1 : 0,
        status: d.status,
        version: 1,
        data: d.dataJson,
        point_id: d.pointId,
        department_code: d.departmentCode,
        channel: d.channel,
        submitted_at: d.submittedAt,
        created_at: ts,
        updated_at: ts,
        ...filterValues(d.filters),
        photo_missing: 1,
        desk_documents: d.deskDocuments ? JSON.stringify(d.deskDocuments) : null,
        summary_key: d.summary.key,
        findings: d.summary.findingsJson,
        tasks: d.summary.tasksJson,
      },
    ],
    { shape: 'dossier-new', onConflict: (oc) => oc.columns(['candidate_id', 'is_trial']).doNothing(), returning: true },
  );
}

export interface NewDossierEvent {
  id: string;
  dossierId: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  event: string;
  fromStatus: DossierStatus | null;
  toStatus: DossierStatus | null;
  version: number;
  sections?: readonly string[];
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

const EVENT_INSERT_COLUMNS = {
  id: 'text',
  dossier_id: 'text',
  at: 'text',
  actor_id: 'text',
  actor_role: 'text',
  event: 'text',
  from_status: 'text',
  to_status: 'text',
  version: 'integer',
  sections: 'text',
  before: 'text',
  after: 'text',
  reason: 'text',
} as const;

function eventRow(e: NewDossierEvent) {
  return {
    id: e.id,
    dossier_id: e.dossierId,
    at: e.at.toISOString(),
    actor_id: e.actorId,
    actor_role: e.actorRole,
    event: e.event,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    version: e.version,
    sections: e.sections && e.sections.length > 0 ? e.sections.join(',') : null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    reason: e.reason ?? null,
  };
}

/** The history entry recording a change. */
export function eventPart(e: NewDossierEvent): UnitPart<Record<string, unknown>> {
  return insertRowsPart('dossier_events', EVENT_INSERT_COLUMNS, [eventRow(e)], { shape: 'event' });
}

/** The candidate's registered name (and what lists sort and search on), after a correction of it. */
export function candidateNamePart(candidateId: string, n: { fullName: string; family: string; middle: string; given: string; folded: string; sortKey: string }, now: Date): UnitPart<Record<string, unknown>> {
  const args = { id: candidateId, full_name: n.fullName, family_name: n.family, middle_name: n.middle, given_name: n.given, name_folded: n.folded, sort_key: n.sortKey, updated_at: now.toISOString() };
  return {
    shape: 'candidate-name',
    args,
    build(qc: QueryCreator<DB>, arg: Arg<Record<string, unknown>>, gate: RawBuilder<SqlBool> | undefined) {
      const set: Record<string, RawBuilder<unknown>> = {};
      for (const c of Object.keys(args).filter((k) => k !== 'id')) set[c] = sql`cast(${arg(c)} as text)`;
      let q = qc.updateTable('candidates').set(set as never).where('id', '=', arg('id') as string);
      if (gate) q = q.where(gate);
      return q;
    },
  };
}

// ---- uploads ----

type UploadRow = Omit<Selectable<UploadTable>, 'created_by'>;

function uploadOf(r: UploadRow): StoredUpload {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    kind: r.kind,
    purpose: r.purpose,
    storagePath: r.storage_path,
    mime: r.mime,
    bytes: r.bytes,
    width: r.width,
    height: r.height,
    sha256: r.sha256,
    originalName: r.original_name,
    createdAt: r.created_at,
  };
}

const UPLOAD_COLUMNS = {
  id: 'text',
  dossier_id: 'text',
  kind: 'text',
  purpose: 'text',
  storage_path: 'text',
  mime: 'text',
  bytes: 'integer',
  width: 'integer',
  height: 'integer',
  sha256: 'text',
  original_name: 'text',
  created_by: 'text',
  created_at: 'text',
} as const;

export function uploadPart(u: StoredUpload, createdBy: string | null): UnitPart<Record<string, unknown>> {
  return insertRowsPart(
    'uploads',
    UPLOAD_COLUMNS,
    [
      {
        id: u.id,
        dossier_id: u.dossierId,
        kind: u.kind,
        purpose: u.purpose,
        storage_path: u.storagePath,
        mime: u.mime,
        bytes: u.bytes,
        width: u.width,
        height: u.height,
        sha256: u.sha256,
        original_name: u.originalName,
        created_by: createdBy,
        created_at: u.createdAt,
      },
    ],
    { shape: 'upload' },
  );
}

/** Deletes the uploads of a dossier of one kind except `keep` (a new photo replaces the old). */
export function replacedUploadsPart(dossierId: string, kind: 'photo' | 'evidence', keep: string): UnitPart<Record<string, unknown>> {
  return {
    shape: 'uploads-replaced',
    args: { dossierId, kind, keep },
    build(qc: QueryCreator<DB>, arg: Arg<Record<string, unknown>>, gate: RawBuilder<SqlBool> | undefined) {
      let q = qc
        .deleteFrom('uploads')
        .where('dossier_id', '=', arg('dossierId') as string)
        .where('kind', '=', arg('kind') as 'photo')
        .where('id', '<>', arg('keep') as string);
      if (gate) q = q.where(gate);
      return q;
    },
  };
}

const uploadsOfDossier = prepared<{ dossierId: string }, UploadRow>((db, p) =>
  db
    .selectFrom('uploads')
    .select(['id', 'dossier_id', 'kind', 'purpose', 'storage_path', 'mime', 'bytes', 'width', 'height', 'sha256', 'original_name', 'created_at'])
    .where('dossier_id', '=', p('dossierId'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);

export async function listUploads(db: Kysely<DB>, dossierId: string, kind?: 'photo' | 'evidence'): Promise<StoredUpload[]> {
  const rows = (await uploadsOfDossier(db, { dossierId })).rows;
  return (kind ? rows.filter((r) => r.kind === kind) : rows).map(uploadOf);
}

export async function findUpload(db: Kysely<DB>, id: string): Promise<StoredUpload | undefined> {
  const r = await db
    .selectFrom('uploads')
    .select(['id', 'dossier_id', 'kind', 'purpose', 'storage_path', 'mime', 'bytes', 'width', 'height', 'sha256', 'original_name', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? uploadOf(r) : undefined;
}

// ---- dossier codes: serials reserved in blocks ----

/**
 * Reserves `count` serials of a department's year (trial and official apart) and returns the first. Inside a
 * write of its own: the counter row is the only thing it touches, and it holds the row a moment only.
 */
export async function reserveCodeSerials(trx: Kysely<DB>, departmentCode: string, examYear: number, isTrial: boolean, count: number): Promise<number> {
  const r = await trx
    .insertInto('dossier_code_counters')
    .values({ department_code: departmentCode, exam_year: examYear, is_trial: isTrial ? 1 : 0, next_serial: count + 1 })
    .onConflict((oc) => oc.columns(['department_code', 'exam_year', 'is_trial']).doUpdateSet({ next_serial: sql<number>`dossier_code_counters.next_serial + ${count}` }))
    .returning('next_serial')
    .executeTakeFirstOrThrow();
  return r.next_serial - count;
}

/** Dossiers a bulk load left without a code, a page at a time (the worker gives them one). */
export async function listDossiersWithoutCode(db: Kysely<DB>, limit: number): Promise<Array<{ id: string; version: number; departmentCode: string; examYear: number; isTrial: boolean }>> {
  const rows = await db.selectFrom('dossiers').select(['id', 'version', 'department_code', 'exam_year', 'is_trial']).where('code', 'is', null).limit(limit).execute();
  return rows.map((r) => ({ id: r.id, version: r.version, departmentCode: r.department_code, examYear: r.exam_year, isTrial: r.is_trial === 1 }));
}

/** Gives a dossier without a code its code (no new version: the declared data did not change). */
export async function setCodeIfMissing(trx: Kysely<DB>, id: string, code: string): Promise<boolean> {
  const r = await trx.updateTable('dossiers').set({ code }).where('id', '=', id).where('code', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A dossier by its code (the support desk and the point find a candidate by it). */
export async function findDossierIdByCode(db: Kysely<DB>, code: string): Promise<string | undefined> {
  return (await db.selectFrom('dossiers').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

// ---- form numbers (the point numbers its registered dossiers for signature) ----

export async function dossiersWithoutFormNumber(trx: Kysely<DB>, pointId: string, examYear: number): Promise<Array<{ id: string }>> {
  return trx
    .selectFrom('dossiers as d')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .select('d.id')
    .where('d.point_id', '=', pointId)
    .where('d.exam_year', '=', examYear)
    .where('d.is_trial', '=', 0)
    .where('d.status', 'in', ['submitted', 'returned', 'verified'])
    .where('d.form_number', 'is', null)
    .orderBy('c.sort_key')
    .orderBy('c.id')
    .execute();
}

/** Reserves `count` form numbers of a point's year and returns the first (one upsert: numbers are never reused). */
export async function reserveFormNumbers(trx: Kysely<DB>, pointId: string, examYear: number, count: number): Promise<number> {
  const r = await trx
    .insertInto('form_number_sequences')
    .values({ point_id: pointId, exam_year: examYear, last_value: count })
    .onConflict((oc) => oc.columns(['point_id', 'exam_year']).doUpdateSet({ last_value: sql<number>`form_number_sequences.last_value + ${count}` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return r.last_value - count + 1;
}

export async function setFormNumber(trx: Kysely<DB>, dossierId: string, formNumber: string, now: Date): Promise<void> {
  await trx.updateTable('dossiers').set({ form_number: formNumber, updated_at: now.toISOString() }).where('id', '=', dossierId).where('form_number', 'is', null).execute();
}

// ---- the trial wipe ----

export async function listTrialUploadPaths(db: Kysely<DB>, examYear: number): Promise<string[]> {
  const rows = await db
    .selectFrom('uploads as u')
    .innerJoin('dossiers as d', 'd.id', 'u.dossier_id')
    .select('u.storage_path')
    .where('d.exam_year', '=', examYear)
    .where('d.is_trial', '=', 1)
    .execute();
  return rows.map((r) => r.storage_path);
}

/** Deletes the year's trial dossiers and everything hanging off them; nothing else. Returns the dossier count. */
export async function deleteTrialDossiers(trx: Kysely<DB>, examYear: number): Promise<number> {
  const trialIds = trx.selectFrom('dossiers').select('id').where('exam_year', '=', examYear).where('is_trial', '=', 1);
  await trx.deleteFrom('dossier_events').where('dossier_id', 'in', trialIds).execute();
  await trx.deleteFrom('uploads').where('dossier_id', 'in', trialIds).execute();
  await trx.deleteFrom('idempotency_keys').where('dossier_id', 'in', trialIds).execute();
  await trx.deleteFrom('dossier_code_counters').where('exam_year', '=', examYear).where('is_trial', '=', 1).execute();
  const r = await trx.deleteFrom('dossiers').where('exam_year', '=', examYear).where('is_trial', '=', 1).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- the recount's read ----

type SnapshotRow = Pick<
  Selectable<DB['dossiers']>,
  | 'id' | 'code' | 'candidate_id' | 'exam_year' | 'is_trial' | 'status' | 'version' | 'point_id' | 'department_code' | 'channel'
  | 'subjects_combo' | 'purpose' | 'candidate_type' | 'cccd_mismatch' | 'photo_missing' | 'exemption_claimed' | 'priority_claimed' | 'submitted_at'
>;

const SNAPSHOT_COLUMNS = [
  'id', 'code', 'candidate_id', 'exam_year', 'is_trial', 'status', 'version', 'point_id', 'department_code', 'channel',
  'subjects_combo', 'purpose', 'candidate_type', 'cccd_mismatch', 'photo_missing', 'exemption_claimed', 'priority_claimed', 'submitted_at',
] as const;

/** The listeners' view of a dossier row, for a recount (the same shape a command's listeners get). */
function snapshotOfRow(r: SnapshotRow): DossierSnapshot {
  return {
    id: r.id,
    code: r.code,
    candidateId: r.candidate_id,
    examYear: r.exam_year,
    isTrial: r.is_trial === 1,
    status: r.status,
    version: r.version,
    pointId: r.point_id,
    departmentCode: r.department_code,
    channel: r.channel,
    subjectsCombo: r.subjects_combo,
    purpose: r.purpose,
    candidateType: r.candidate_type,
    flags: {
      cccdMismatch: r.cccd_mismatch === 1,
      photoMissing: r.photo_missing === 1,
      exemptionClaimed: r.exemption_claimed === 1,
      priorityClaimed: r.priority_claimed === 1,
    },
    submittedAt: r.submitted_at,
  };
}

/** A year's dossiers as the listeners see them, paged in id order, one page in memory at a time (the recount). */
export async function* yearDossierSnapshots(db: Kysely<DB>, examYear: number, page = 5000): AsyncGenerator<DossierSnapshot> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('dossiers').select(SNAPSHOT_COLUMNS).where('exam_year', '=', examYear).where('id', '>', after).orderBy('id').limit(page).execute();
    for (const r of rows) yield snapshotOfRow(r);
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.id;
  }
}

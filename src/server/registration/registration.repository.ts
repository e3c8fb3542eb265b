// All SQL of the registration feature: dossiers with their candidate, the dossier's history, uploads and
// the trial wipe. Rows stay here; the commands see StoredDossier and CandidateRef.
import { sql, type Insertable, type Kysely, type QueryCreator, type Selectable } from 'kysely';
import { jsonArrayText, jsonObject, onPostgres } from '../db/dialects/json-sql.ts';
import type { DB, DossierEventTable, DossierFilterColumns, DossierTable, UploadTable } from '../db/schema.ts';
import type { Dossier } from '../../domain/dossier.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import { prepared, type Placeholder } from '../db/prepared.ts';
import { SESSION_COLUMNS, sessionOf, type SessionRow, type SessionWithUser } from '../accounts/sessions.repository.ts';
import { claimIdempotencyKey, keyClaimArgs, keyClaimInsert, resultOfTakenKey, type KeyClaimArgs, type StoredKeyRow, type StoredResult } from '../http/idempotency.ts';

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

export interface StoredDossier {
  id: string;
  candidateId: string;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  version: number;
  data: Partial<Dossier>;
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

type CandidateCols = {
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
};

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

export function dossierOf(r: DossierRow): StoredDossier {
  return {
    id: r.id,
    candidateId: r.candidate_id,
    examYear: r.exam_year,
    isTrial: r.is_trial === 1,
    status: r.status,
    version: r.version,
    data: JSON.parse(r.data) as Partial<Dossier>,
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

function filterColumns(f: DossierFilters): Insertable<Omit<DossierFilterColumns, 'desk_documents'>> {
  return {
    subjects_combo: f.subjectsCombo,
    purpose: f.purpose,
    candidate_type: f.candidateType,
    programme: f.programme,
    cccd_mismatch: f.cccdMismatch ? 1 : 0,
    photo_missing: f.photoMissing ? 1 : 0,
    exemption_claimed: f.exemptionClaimed ? 1 : 0,
    priority_claimed: f.priorityClaimed ? 1 : 0,
    errors_count: f.errorsCount,
    warnings_count: f.warningsCount,
  };
}

// The hot reads and writes of the last afternoon are compiled once (src/server/db/prepared.ts).
// The dossier page also shows the dossier's uploads, and the status page its history: their variants
// carry these as one JSON column, so each page costs one query instead of two (on PostgreSQL a round
// trip each).
const UPLOAD_FIELDS = ['id', 'kind', 'purpose', 'storage_path', 'mime', 'bytes', 'width', 'height', 'sha256', 'original_name', 'created_at'] as const;
const EVENT_FIELDS = ['id', 'dossier_id', 'at', 'actor_id', 'actor_role', 'event', 'from_status', 'to_status', 'version', 'sections', 'before', 'after', 'reason'] as const;
/** How much history a dossier's status page shows. */
export const HISTORY_LIMIT = 100;

/** What a dossier query brings besides the candidate and the dossier. */
export type DossierExtra = 'none' | 'uploads' | 'history';

function extraJson(db: Kysely<DB>, extra: Exclude<DossierExtra, 'none'>) {
  if (extra === 'uploads') {
    const element = jsonObject(db, UPLOAD_FIELDS.map((f) => [f, sql.ref(`u.${f}`)] as const));
    return sql<string>`(select ${jsonArrayText(db, element, sql`u.created_at desc, u.id desc`)} from uploads as u where u.dossier_id = d.id)`.as('extra_json');
  }
  const element = jsonObject(db, [...EVENT_FIELDS, 'actor_name'].map((f) => [f, sql.ref(`h.${f}`)] as const));
  return sql<string>`(select ${jsonArrayText(db, element, sql`h.at desc, h.version desc, h.id desc`)} from (
      select ${sql.join(EVENT_FIELDS.map((f) => sql.ref(`e.${f}`)))}, u.display_name as actor_name
      from dossier_events as e left join users as u on u.id = e.actor_id
      where e.dossier_id = d.id order by e.at desc, e.version desc, e.id desc limit ${sql.lit(HISTORY_LIMIT)}) as h)`.as('extra_json');
}

type ExtraCol = { extra_json?: string | null };

function candidateDossierByUserQuery(extra: DossierExtra) {
  return prepared<{ userId: string; examYear: number; isTrial: number }, CandidateCols & DossierRow & ExtraCol & { id: string | null }>((db, p) => {
    const q = db
      .selectFrom('candidates as c')
      .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', p('isTrial')))
      .select(CANDIDATE_COLUMNS)
      .selectAll('d')
      .where('c.user_id', '=', p('userId'))
      .where('c.exam_year', '=', p('examYear'));
    return (extra === 'none' ? q : q.select(extraJson(db, extra))) as never;
  });
}

function dossierByIdQuery(extra: DossierExtra) {
  return prepared<{ dossierId: string }, CandidateCols & DossierRow & ExtraCol>((db, p) => {
    const q = db.selectFrom('dossiers as d').innerJoin('candidates as c', 'c.id', 'd.candidate_id').select(CANDIDATE_COLUMNS).selectAll('d').where('d.id', '=', p('dossierId'));
    return (extra === 'none' ? q : q.select(extraJson(db, extra))) as never;
  });
}

const EXTRAS: readonly DossierExtra[] = ['none', 'uploads', 'history'];
const candidateDossierByUser = new Map(EXTRAS.map((e) => [e, candidateDossierByUserQuery(e)]));
const dossierById = new Map(EXTRAS.map((e) => [e, dossierByIdQuery(e)]));

export interface FoundDossier {
  candidate: CandidateRef;
  dossier: StoredDossier | null;
  /** with extra 'uploads': the dossier's uploads, newest first ([] without a dossier) */
  uploads?: StoredUpload[];
  /** with extra 'history': the dossier's last HISTORY_LIMIT events, newest first ([] without a dossier) */
  history?: DossierEvent[];
}

function withExtra(found: FoundDossier, extra: DossierExtra, r: ExtraCol): FoundDossier {
  if (extra === 'none') return found;
  const list = JSON.parse(r.extra_json ?? '[]') as unknown[];
  if (extra === 'uploads') return { ...found, uploads: (list as Array<Selectable<UploadTable>>).map((u) => uploadOf({ ...u, dossier_id: found.dossier?.id ?? '' })) };
  return { ...found, history: (list as EventRow[]).map(eventOf) };
}

/** The candidate a user is for `examYear`, with their dossier of that kind (trial or official) if any: one indexed query. */
export async function findCandidateDossierByUser(
  db: Kysely<DB>,
  userId: string,
  examYear: number,
  isTrial: boolean,
  extra: DossierExtra = 'none',
): Promise<FoundDossier | undefined> {
  const row = (await candidateDossierByUser.get(extra)!(db, { userId, examYear, isTrial: isTrial ? 1 : 0 })).rows[0];
  if (!row) return undefined;
  return withExtra({ candidate: candidateOf(row), dossier: row.id ? dossierOf(row) : null }, extra, row);
}

/** A dossier by primary key, with its candidate (and what `extra` asks for). */
export async function findDossierById(db: Kysely<DB>, dossierId: string, extra: DossierExtra = 'none'): Promise<(FoundDossier & { dossier: StoredDossier }) | undefined> {
  const row = (await dossierById.get(extra)!(db, { dossierId })).rows[0];
  if (!row) return undefined;
  const dossier = dossierOf(row);
  return { ...withExtra({ candidate: candidateOf(row), dossier }, extra, row), dossier };
}

// A candidate's own pages read the session and the dossier in one query (the auth layer's session
// companion, src/server/http/auth.ts): one read per request instead of two.
// the session's columns, each prefixed s_ (the dossier has columns of the same names)
const SESSION_KEYS = SESSION_COLUMNS.map((c) => c.slice(c.indexOf('.') + 1) as keyof SessionRow);
const SESSION_AS = SESSION_COLUMNS.map((c, i) => `${c} as s_${SESSION_KEYS[i]}`);
type SessionCols = { [K in keyof SessionRow as `s_${K}`]: SessionRow[K] };

type IdempotencyCols = { k_request_hash: string | null; k_status_code: number | null; k_response: string | null };

function sessionWithOwnDossierQuery(extra: DossierExtra, withKey: boolean) {
  type Args = { tokenHash: string; examYear: number; isTrial: number; key: string };
  return prepared<Args, SessionCols & Partial<CandidateCols> & DossierRow & ExtraCol & Partial<IdempotencyCols> & { id: string | null }>((db, p) => {
    let q = db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .leftJoin('candidates as c', (j) => j.onRef('c.user_id', '=', 's.user_id').on('c.exam_year', '=', p('examYear')))
      .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', p('isTrial')))
      .select(SESSION_AS as never)
      .select(CANDIDATE_COLUMNS)
      .selectAll('d')
      .where('s.token_hash', '=', p('tokenHash'));
    if (withKey) {
      // a submit's Idempotency-Key: what an earlier request with it stored, if any
      q = q
        .leftJoin('idempotency_keys as k', (j) => j.onRef('k.actor_id', '=', 's.user_id').on('k.key', '=', p('key')))
        .select(['k.request_hash as k_request_hash', 'k.status_code as k_status_code', 'k.response as k_response']) as never;
    }
    return (extra === 'none' ? q : q.select(extraJson(db, extra))) as never;
  });
}
const sessionWithOwnDossier = new Map(EXTRAS.map((e) => [e, sessionWithOwnDossierQuery(e, false)]));
const sessionWithOwnDossierAndKey = sessionWithOwnDossierQuery('none', true);


/**
 * The session of `tokenHash` with its user's candidate for `examYear` and their dossier of that kind
 * (and what `extra` asks for); `candidate` undefined when the user has no candidate record that year.
 * With `idempotencyKey` (extra 'none'), also what is stored under that key for the session's user.
 */
export async function findSessionWithOwnDossier(
  db: Kysely<DB>,
  tokenHash: string,
  examYear: number,
  isTrial: boolean,
  extra: DossierExtra,
  idempotencyKey?: string,
): Promise<{ session: SessionWithUser; found: FoundDossier | undefined; keyRow?: StoredKeyRow | null } | undefined> {
  const args = { tokenHash, examYear, isTrial: isTrial ? 1 : 0, key: idempotencyKey ?? '' };
  const withKey = idempotencyKey !== undefined && extra === 'none';
  const r = (await (withKey ? sessionWithOwnDossierAndKey : sessionWithOwnDossier.get(extra)!)(db, args)).rows[0];
  if (!r) return undefined;
  const session = sessionOf(Object.fromEntries(SESSION_KEYS.map((k) => [k, r[`s_${k}`]])) as unknown as SessionRow);
  const keyRow: StoredKeyRow | null | undefined = !withKey
    ? undefined
    : r.k_request_hash
      ? { request_hash: r.k_request_hash, status_code: r.k_status_code ?? 0, response: r.k_response ?? 'null' }
      : null;
  const withRow = keyRow === undefined ? {} : { keyRow };
  if (r.c_id === null || r.c_id === undefined) return { session, found: undefined, ...withRow };
  return { session, found: withExtra({ candidate: candidateOf(r as CandidateCols), dossier: r.id ? dossierOf(r) : null }, extra, r), ...withRow };
}

export async function findCandidateByIdNumber(db: Kysely<DB>, examYear: number, idNumber: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('candidates').select('id').where('exam_year', '=', examYear).where('id_number', '=', idNumber).executeTakeFirst();
}

export interface NewDossier {
  id: string;
  candidateId: string;
  examYear: number;
  isTrial: boolean;
  status: DossierStatus;
  data: Partial<Dossier>;
  pointId: string;
  departmentCode: string;
  channel: 'online' | 'desk';
  submittedAt: string | null;
  filters: DossierFilters;
  deskDocuments?: DeskDocuments;
}

/** Inserts version 1. False when the candidate already has a dossier of that kind (a concurrent first save). */
export async function insertDossier(trx: Kysely<DB>, d: NewDossier, now: Date): Promise<boolean> {
  const ts = now.toISOString();
  const r = await trx
    .insertInto('dossiers')
    .values({
      id: d.id,
      candidate_id: d.candidateId,
      exam_year: d.examYear,
      is_trial: d.isTrial ? 1 : 0,
      status: d.status,
      version: 1,
      data: JSON.stringify(d.data),
      point_id: d.pointId,
      department_code: d.departmentCode,
      form_number: null,
      channel: d.channel,
      submitted_at: d.submittedAt,
      verified_at: null,
      returned_at: null,
      return_reason: null,
      created_at: ts,
      updated_at: ts,
      ...filterColumns(d.filters),
      desk_documents: d.deskDocuments ? JSON.stringify(d.deskDocuments) : null,
    })
    .onConflict((oc) => oc.columns(['candidate_id', 'is_trial']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export interface DossierPatch {
  status?: DossierStatus;
  data?: Partial<Dossier>;
  submittedAt?: string | null;
  filters?: DossierFilters;
}

type DossierUpdateArgs = Record<string, unknown>;
// The filter columns a versioned change writes. Not photo_missing: only an upload changes it
// (setPhotoMissing), without a new version, so a save whose read predates the upload must not put back
// the value it read.
const FILTER_KEYS = ['subjects_combo', 'purpose', 'candidate_type', 'programme', 'cccd_mismatch', 'exemption_claimed', 'priority_claimed', 'errors_count', 'warnings_count'] as const;
/** One prepared update per combination of patched fields (a handful: submit, save, correct, …). */
const dossierUpdates = new Map<string, ReturnType<typeof prepareDossierUpdate>>();

type PatchedFields = { status: boolean; data: boolean; submittedAt: boolean; filters: boolean };

function dossierUpdateQuery(qc: QueryCreator<DB>, p: Placeholder<DossierUpdateArgs>, fields: PatchedFields) {
  return qc
    .updateTable('dossiers')
    .set({
      version: p('version') as number,
      updated_at: p('updated_at') as string,
      ...(fields.status ? { status: p('status') as DossierStatus } : {}),
      ...(fields.data ? { data: p('data') as string } : {}),
      ...(fields.submittedAt ? { submitted_at: p('submitted_at') as string | null } : {}),
      ...(fields.filters ? Object.fromEntries(FILTER_KEYS.map((k) => [k, p(k)])) : {}),
    })
    .where('id', '=', p('id') as string)
    .where('version', '=', p('expected') as number);
}

function prepareDossierUpdate(fields: PatchedFields) {
  return prepared<DossierUpdateArgs, never>((db, p) => dossierUpdateQuery(db, p, fields));
}

function patchedFields(patch: DossierPatch) {
  const fields = { status: patch.status !== undefined, data: patch.data !== undefined, submittedAt: patch.submittedAt !== undefined, filters: patch.filters !== undefined };
  return { fields, key: `${+fields.status}${+fields.data}${+fields.submittedAt}${+fields.filters}` };
}

function updateArgs(id: string, expectedVersion: number, patch: DossierPatch, now: Date): DossierUpdateArgs {
  const args: DossierUpdateArgs = { id, expected: expectedVersion, version: expectedVersion + 1, updated_at: now.toISOString() };
  if (patch.status !== undefined) args['status'] = patch.status;
  if (patch.data !== undefined) args['data'] = JSON.stringify(patch.data);
  if (patch.submittedAt !== undefined) args['submitted_at'] = patch.submittedAt;
  if (patch.filters !== undefined) Object.assign(args, filterColumns(patch.filters));
  return args;
}

/** Compare-and-set on the version: true when the row was at `expectedVersion` and is now at +1. */
export async function updateDossierIfVersion(trx: Kysely<DB>, id: string, expectedVersion: number, patch: DossierPatch, now: Date): Promise<boolean> {
  const { fields, key } = patchedFields(patch);
  let update = dossierUpdates.get(key);
  if (!update) dossierUpdates.set(key, (update = prepareDossierUpdate(fields)));
  const r = await update(trx, updateArgs(id, expectedVersion, patch, now));
  return Number(r.numAffectedRows ?? 0n) === 1;
}

const atVersion = prepared<{ id: string; version: number }, { one: number }>((db, p) =>
  db
    .selectFrom('dossiers')
    .select(sql<number>`1`.as('one'))
    .where('id', '=', p('id'))
    .where('version', '=', p('version')),
);

/** Whether the dossier is still at `version` (inside a write: what the write would be based on). */
export async function dossierIsAtVersion(trx: Kysely<DB>, id: string, version: number): Promise<boolean> {
  return (await atVersion(trx, { id, version })).rows.length === 1;
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

const EVENT_COLUMNS = ['id', 'dossier_id', 'at', 'actor_id', 'actor_role', 'event', 'from_status', 'to_status', 'version', 'sections', 'before', 'after', 'reason'] as const;
const insertEvent = prepared<Record<(typeof EVENT_COLUMNS)[number], unknown>, never>((db, p) =>
  db.insertInto('dossier_events').values(Object.fromEntries(EVENT_COLUMNS.map((c) => [c, p(c)])) as never),
);

export async function insertDossierEvent(trx: Kysely<DB>, e: NewDossierEvent): Promise<void> {
  await insertEvent(trx, eventArgs(e));
}

function eventArgs(e: NewDossierEvent): Record<(typeof EVENT_COLUMNS)[number], unknown> {
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

// PostgreSQL: the compare-and-set and its event as ONE statement, the update in a WITH and the event
// inserted from its result (nothing when the version did not match). Every dossier change then costs a
// round trip less. SQLite has no writing WITH, and runs inside the app: it takes the two statements.
const updatesWithEvent = new Map<string, ReturnType<typeof prepareUpdateWithEvent>>();

// the event's values (`ev_…` arguments) as a SELECT list: PostgreSQL needs their types spelled out
const eventValues = (p: Placeholder<DossierUpdateArgs>) =>
  EVENT_COLUMNS.map((c) => sql`cast(${p(`ev_${c}`)} as ${sql.raw(c === 'version' ? 'integer' : 'text')})`.as(c));

/** The arguments of a compare-and-set with its event: the update's, and the event's under `ev_`. */
function updateWithEventArgs(id: string, expectedVersion: number, patch: DossierPatch, now: Date, e: NewDossierEvent): DossierUpdateArgs {
  const args = updateArgs(id, expectedVersion, patch, now);
  for (const [k, v] of Object.entries(eventArgs(e))) args[`ev_${k}`] = v;
  return args;
}

function prepareUpdateWithEvent(fields: PatchedFields) {
  return prepared<DossierUpdateArgs, never>((db, p) =>
    db
      .with('u', (qc) => dossierUpdateQuery(qc, p, fields).returning(sql<number>`1`.as('changed')))
      .insertInto('dossier_events')
      .columns([...EVENT_COLUMNS])
      .expression((eb) => eb.selectFrom('u').select(eventValues(p)) as never),
  );
}

/**
 * Compare-and-set on the version and the event that records it, together: true when the dossier was at
 * `expectedVersion` (it is now at +1 and the event is written), false when it was not (nothing written).
 */
export async function updateDossierWithEvent(trx: Kysely<DB>, id: string, expectedVersion: number, patch: DossierPatch, now: Date, e: NewDossierEvent): Promise<boolean> {
  if (!onPostgres(trx)) {
    if (!(await updateDossierIfVersion(trx, id, expectedVersion, patch, now))) return false;
    await insertDossierEvent(trx, e);
    return true;
  }
  const { fields, key } = patchedFields(patch);
  let both = updatesWithEvent.get(key);
  if (!both) updatesWithEvent.set(key, (both = prepareUpdateWithEvent(fields)));
  const r = await both(trx, updateWithEventArgs(id, expectedVersion, patch, now, e));
  return Number(r.numAffectedRows ?? 0n) === 1;
}

// PostgreSQL: a submit's Idempotency-Key claimed in the same statement as the compare-and-set and its
// event. The change is made only when the key was free (`exists (select 1 from k)`), and the statement
// says both outcomes: claimed (the key was free) and written (the version matched too). Data-changing
// WITHs all run, to the end, whether or not the final SELECT reads them.
const claimsWithUpdate = new Map<string, ReturnType<typeof prepareClaimWithUpdate>>();

function prepareClaimWithUpdate(fields: PatchedFields) {
  return prepared<DossierUpdateArgs, { claimed: number; written: number }>((db, p) =>
    db
      .with('k', (qc) => keyClaimInsert(qc, p as Placeholder<KeyClaimArgs<'k_'>>, 'k_').returning(sql<number>`1`.as('claimed')))
      .with('u', (qc) =>
        dossierUpdateQuery(qc as unknown as QueryCreator<DB>, p, fields)
          .where(sql<boolean>`exists (select 1 from k)`)
          .returning(sql<number>`1`.as('changed')),
      )
      .with('e', (qc) =>
        qc
          .insertInto('dossier_events')
          .columns([...EVENT_COLUMNS])
          .expression((eb) => eb.selectFrom('u').select(eventValues(p)) as never)
          .returning(sql<number>`1`.as('one')),
      )
      .selectNoFrom([sql<number>`(select count(*) from k)::int`.as('claimed'), sql<number>`(select count(*) from e)::int`.as('written')]),
  );
}

export type ClaimedChange = { kind: 'written' } | { kind: 'version_moved' } | { kind: 'key_taken'; result: StoredResult };

/**
 * A request's Idempotency-Key claimed with its result, then the compare-and-set and its event, in the
 * caller's write: `written` (all three done), `key_taken` (another request holds the key: nothing
 * changed, its stored result is returned) or `version_moved` (the key is claimed but the dossier moved
 * on: the caller rolls its write back, the claim with it). One statement on PostgreSQL, three on SQLite.
 */
export async function claimKeyAndUpdateWithEvent(
  trx: Kysely<DB>,
  claim: Parameters<typeof claimIdempotencyKey>[1] & { result: StoredResult },
  id: string,
  expectedVersion: number,
  patch: DossierPatch,
  now: Date,
  e: NewDossierEvent,
): Promise<ClaimedChange> {
  if (!onPostgres(trx)) {
    const first = await claimIdempotencyKey(trx, claim);
    if (first) return { kind: 'key_taken', result: first };
    return (await updateDossierWithEvent(trx, id, expectedVersion, patch, now, e)) ? { kind: 'written' } : { kind: 'version_moved' };
  }
  const { fields, key } = patchedFields(patch);
  let statement = claimsWithUpdate.get(key);
  if (!statement) claimsWithUpdate.set(key, (statement = prepareClaimWithUpdate(fields)));
  const args: DossierUpdateArgs = { ...updateWithEventArgs(id, expectedVersion, patch, now, e), ...keyClaimArgs(claim, 'k_') };
  const r = (await statement(trx, args)).rows[0];
  if (!r || r.claimed === 0) return { kind: 'key_taken', result: await resultOfTakenKey(trx, claim.actorId, claim.key, claim.hash) };
  return r.written === 1 ? { kind: 'written' } : { kind: 'version_moved' };
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

type EventRow = Selectable<DossierEventTable> & { actor_name: string | null };

const eventsOf = prepared<{ dossierId: string; limit: number }, EventRow>((db, p) =>
  db
    .selectFrom('dossier_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .selectAll('e')
    .select('u.display_name as actor_name')
    .where('e.dossier_id', '=', p('dossierId'))
    .orderBy('e.at', 'desc')
    .orderBy('e.version', 'desc')
    // a photo and an evidence upload can share the moment and the version: the order stays the same
    .orderBy('e.id', 'desc')
    .limit(p('limit')),
);

function eventOf(r: EventRow): DossierEvent {
  return {
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    actorName: r.actor_name,
    event: r.event,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    version: r.version,
    sections: r.sections ? r.sections.split(',') : [],
    before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
    after: r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null,
    reason: r.reason,
  };
}

/** The dossier's history, newest first, with the name of whoever acted. */
export async function listDossierEvents(db: Kysely<DB>, dossierId: string, limit = HISTORY_LIMIT): Promise<DossierEvent[]> {
  return (await eventsOf(db, { dossierId, limit })).rows.map(eventOf);
}

// ---- uploads ----

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

function uploadOf(r: Selectable<UploadTable>): StoredUpload {
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

export async function insertUpload(trx: Kysely<DB>, u: StoredUpload & { createdBy: string | null }): Promise<void> {
  await trx
    .insertInto('uploads')
    .values({
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
      created_by: u.createdBy,
      created_at: u.createdAt,
    })
    .execute();
}

const uploadsOf = prepared<{ dossierId: string }, Selectable<UploadTable>>((db, p) =>
  db.selectFrom('uploads').selectAll().where('dossier_id', '=', p('dossierId')).orderBy('created_at', 'desc').orderBy('id', 'desc'),
);

export async function listUploads(db: Kysely<DB>, dossierId: string, kind?: 'photo' | 'evidence'): Promise<StoredUpload[]> {
  const rows = (await uploadsOf(db, { dossierId })).rows;
  return (kind ? rows.filter((r) => r.kind === kind) : rows).map(uploadOf);
}

export async function findUpload(db: Kysely<DB>, id: string): Promise<StoredUpload | undefined> {
  const r = await db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? uploadOf(r) : undefined;
}

export async function deleteUploads(trx: Kysely<DB>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('uploads').where('id', 'in', ids).execute();
}

/** Sets only the photo flag: an upload is not a change of the declared data, so the version stays. */
export async function setPhotoMissing(trx: Kysely<DB>, dossierId: string, missing: boolean, now: Date): Promise<void> {
  await trx
    .updateTable('dossiers')
    .set({ photo_missing: missing ? 1 : 0, updated_at: now.toISOString() })
    .where('id', '=', dossierId)
    .execute();
}

// ---- trial wipe ----

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
  const r = await trx.deleteFrom('dossiers').where('exam_year', '=', examYear).where('is_trial', '=', 1).executeTakeFirst();
  return Number(r.numDeletedRows);
}

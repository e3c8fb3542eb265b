// All SQL of the verification queue: the scoped, filtered, keyset-paged list of a point's (or a
// province's) candidates with their dossier; the status changes a point makes (compare-and-set on the
// version); form-number sequences; filling missing sort keys.
import { sql, type Expression, type Kysely, type SqlBool, type ExpressionBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Scope } from '../policy/policy.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';
import { nameSortKey } from '../../domain/sort-key.ts';
import { jsonFlag, jsonObject, jsonObjectOrNull, jsonText } from '../db/dialects/json-sql.ts';

/** `text` for a LIKE pattern: %, _ and the escape itself match literally (with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type QueueFlag = 'cccd_mismatch' | 'photo_missing' | 'exemption' | 'priority';
const FLAG_COLUMN: Record<QueueFlag, 'd.cccd_mismatch' | 'd.photo_missing' | 'd.exemption_claimed' | 'd.priority_claimed'> = {
  cccd_mismatch: 'd.cccd_mismatch',
  photo_missing: 'd.photo_missing',
  exemption: 'd.exemption_claimed',
  priority: 'd.priority_claimed',
};

export interface QueueQuery {
  examYear: number;
  isTrial: boolean;
  pointId?: string;
  departmentCode?: string;
  status?: DossierStatus | 'not_started';
  className?: string;
  subject?: string;
  combination?: string;
  purpose?: string;
  flags?: QueueFlag[];
  /** a personal number (exact or leading digits) */
  idNumber?: string;
  /** a dossier code, canonical (src/domain/dossier-code.ts) */
  dossierCode?: string;
  /** folded (no diacritics, lower case): several words are the start of the folded full name, one word anywhere in it */
  nameFolded?: string;
  after?: { sortKey: string; id: string };
  /** lines a page (one more is read to know whether more follow) */
  limit: number;
}

/** One line of the queue in the shape the API returns (the database writes it: see lineJson). */
export interface QueueItem {
  candidateId: string;
  pointId: string;
  departmentCode: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  className: string | null;
  idNumber: string;
  candidateType: 'current' | 'free';
  dossier: null | {
    id: string;
    code: string | null;
    status: DossierStatus;
    version: number;
    channel: 'online' | 'desk';
    formNumber: string | null;
    purpose: string | null;
    subjectsCombo: string | null;
    flags: { cccdMismatch: boolean; photoMissing: boolean; exemptionClaimed: boolean; priorityClaimed: boolean };
    submittedAt: string | null;
    returnReason: string | null;
    errorsCount: number;
  };
}

export interface QueuePage {
  /** the page's lines, each a QueueItem's JSON text written by the database, joined by commas (no brackets) */
  json: string;
  /** how many lines `json` holds */
  count: number;
  /** the keyset position of the page's last line when more lines follow, else null */
  next: { sortKey: string; id: string } | null;
}

/** The lines as objects (tests, and any caller that looks inside them). */
export function queueItems(page: QueuePage): QueueItem[] {
  return JSON.parse(`[${page.json}]`) as QueueItem[];
}

function scopeWhere(scope: Scope) {
  return (eb: ExpressionBuilder<DB & { c: DB['candidates'] }, 'c'>) => {
    if ('all' in scope) return eb.lit(true) as unknown as ReturnType<typeof eb.and>;
    if ('pointId' in scope) return eb('c.point_id', '=', scope.pointId);
    if ('departmentCode' in scope) return eb('c.department_code', '=', scope.departmentCode);
    if ('institutionId' in scope) return eb.lit(false) as unknown as ReturnType<typeof eb.and>;
    return eb('c.user_id', '=', scope.userId);
  };
}

type CandidateWhere = (eb: ExpressionBuilder<DB & { c: DB['candidates'] }, 'c'>) => Expression<SqlBool>;

const like = (column: 'c.name_folded' | 'c.id_number', pattern: string): CandidateWhere => () => sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;

/**
 * `column` starts with `prefix`: a range an index can seek (the next string after every such value is the
 * prefix with its last character moved up by one), and LIKE to be exact under any collation.
 */
function startsWith(column: 'c.name_folded' | 'c.id_number', prefix: string): CandidateWhere {
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  const upper = chars.join('') + String.fromCodePoint(last + 1);
  const exact = like(column, `${escapeLike(prefix)}%`);
  return (eb) => eb.and([eb(column, '>=', prefix), eb(column, '<', upper), exact(eb)]);
}

/**
 * The search as two conditions: `find` for looking the matches up through an index (a name prefix or a
 * personal-number prefix is a range), `filter` for checking rows met in name order (no range, so the
 * planner is not tempted away from the sort-key index).
 */
function searchOf(q: QueueQuery): { find: CandidateWhere; filter: CandidateWhere } | undefined {
  if (q.dossierCode !== undefined) {
    const code = q.dossierCode;
    const byCode: CandidateWhere = (eb) => eb.exists(eb.selectFrom('dossiers as dc').select('dc.id').whereRef('dc.candidate_id', '=', 'c.id').where('dc.code', '=', code));
    return { find: byCode, filter: byCode };
  }
  if (q.idNumber !== undefined) {
    // a full number is an exact, indexed match; leading digits a prefix
    if (q.idNumber.length >= 12) {
      const exact: CandidateWhere = (eb) => eb('c.id_number', '=', q.idNumber!);
      return { find: exact, filter: exact };
    }
    return { find: startsWith('c.id_number', q.idNumber), filter: like('c.id_number', `${escapeLike(q.idNumber)}%`) };
  }
  if (q.nameFolded !== undefined && q.nameFolded !== '') {
    // Several words ("nguyen van an") are the start of a full name; one word (a given name, a family
    // name) may sit anywhere in it.
    if (q.nameFolded.includes(' ')) return { find: startsWith('c.name_folded', q.nameFolded), filter: like('c.name_folded', `${escapeLike(q.nameFolded)}%`) };
    const anywhere = like('c.name_folded', `%${escapeLike(q.nameFolded)}%`);
    return { find: anywhere, filter: anywhere };
  }
  return undefined;
}

/** The unit (year, scope, asked point or department) and the filters on the candidate's own columns. */
function candidateWhere(scope: Scope, q: QueueQuery): CandidateWhere {
  return (eb) => {
    const all: Array<Expression<SqlBool>> = [eb('c.exam_year', '=', q.examYear), scopeWhere(scope)(eb)];
    if (q.pointId !== undefined) all.push(eb('c.point_id', '=', q.pointId));
    if (q.departmentCode !== undefined) all.push(eb('c.department_code', '=', q.departmentCode));
    if (q.className !== undefined) all.push(eb('c.class_name', '=', q.className));
    return eb.and(all);
  };
}

function afterWhere(after: { sortKey: string; id: string }): CandidateWhere {
  return (eb) => eb.or([eb('c.sort_key', '>', after.sortKey), eb.and([eb('c.sort_key', '=', after.sortKey), eb('c.id', '>', after.id)])]);
}

function hasDossierFilters(q: QueueQuery): boolean {
  return (q.status !== undefined && q.status !== 'not_started') || q.purpose !== undefined || q.combination !== undefined || q.subject !== undefined || (q.flags?.length ?? 0) > 0;
}

/** Filters on the dossier (status other than not_started, purpose, subjects, flags), on `d`. */
function dossierConditions(eb: ExpressionBuilder<DB & { d: DB['dossiers'] }, 'd'>, q: QueueQuery): Array<Expression<SqlBool>> {
  const all: Array<Expression<SqlBool>> = [];
  if (q.status !== undefined && q.status !== 'not_started') all.push(eb('d.status', '=', q.status));
  if (q.purpose !== undefined) all.push(eb('d.purpose', '=', q.purpose));
  if (q.combination !== undefined) all.push(eb('d.subjects_combo', '=', q.combination));
  if (q.subject !== undefined) {
    const pattern = `%+${escapeLike(q.subject)}+%`;
    all.push(sql<SqlBool>`('+' || ${sql.ref('d.subjects_combo')} || '+') like ${pattern} escape '\\'`);
  }
  for (const f of q.flags ?? []) all.push(eb(FLAG_COLUMN[f], '=', 1));
  return all;
}

// A line is written by the database as JSON text (src/server/db/dialects/json-sql.ts), in QueueItem's
// shape: a page holds up to a thousand lines, and reading twenty columns of each, building three objects
// per line and stringifying them again was nearly all the CPU a page cost the app (13.5 ms a page on
// PostgreSQL). The database also joins the page's lines into one string (pageOf), so the driver hands over
// one row per page.
function lineJson(db: Kysely<DB>) {
  const ref = (c: string) => sql.ref(c);
  const flag = (c: string) => jsonFlag(db, ref(c));
  const dossier = jsonObject(db, [
    ['id', ref('d.id')],
    ['code', ref('d.code')],
    ['status', ref('d.status')],
    ['version', ref('d.version')],
    ['channel', ref('d.channel')],
    ['formNumber', ref('d.form_number')],
    ['purpose', ref('d.purpose')],
    ['subjectsCombo', ref('d.subjects_combo')],
    ['flags', jsonObject(db, [['cccdMismatch', flag('d.cccd_mismatch')], ['photoMissing', flag('d.photo_missing')], ['exemptionClaimed', flag('d.exemption_claimed')], ['priorityClaimed', flag('d.priority_claimed')]])],
    ['submittedAt', ref('d.submitted_at')],
    ['returnReason', ref('d.return_reason')],
    ['errorsCount', sql`coalesce(d.errors_count, 0)`],
  ]);
  const line = jsonObject(db, [
    ['candidateId', ref('c.id')],
    ['pointId', ref('c.point_id')],
    ['departmentCode', ref('c.department_code')],
    ['fullName', ref('c.full_name')],
    ['dateOfBirth', ref('c.date_of_birth')],
    ['gender', ref('c.gender')],
    ['className', ref('c.class_name')],
    ['idNumber', ref('c.id_number')],
    ['candidateType', ref('c.candidate_type')],
    ['dossier', jsonObjectOrNull(sql`d.id is null`, dossier)],
  ]);
  return jsonText(db, line).as('line');
}

/**
 * The page from `rows` (line, sort_key, id[, matches]: at most limit + 1 lines in name order), joined by
 * the database into one string: the driver then hands over one row per page. Also returns
 * the rows' `matches` column (null when `rows` has none or is empty).
 */
async function pageOf(db: Kysely<DB>, rows: Expression<unknown>, limit: number, withMatches: boolean): Promise<{ page: QueuePage; matches: number | null }> {
  type PageRow = { json: string | null; n: number | string; last_key: string | null; last_id: string | null; matches: number | string | null };
  const { rows: [r] } = await sql<PageRow>`select string_agg(line, ',' order by rn) filter (where rn <= ${limit}) as json, count(*) as n,
      max(case when rn = ${limit} then sort_key end) as last_key, max(case when rn = ${limit} then id end) as last_id,
      ${withMatches ? sql`max(matches)` : sql`null`} as matches
    from (select p.*, row_number() over (order by p.sort_key, p.id) as rn from ${rows} as p) as numbered`.execute(db);
  const { json, n, last_key: lastKey, last_id: lastId, matches } = r!;
  const count = Math.min(Number(n), limit);
  return {
    page: { json: json ?? '', count, next: Number(n) > limit && lastId !== null ? { sortKey: lastKey ?? '', id: lastId } : null },
    matches: matches === null ? null : Number(matches),
  };
}

/**
 * How many matches a search may have and still be found first and then sorted. Above it the search is
 * common (a one-word "an", the first digits a whole province shares) and reading in name order meets the
 * first page quickly instead.
 */
const MATCH_CAP = 10_000;

/**
 * The queue page. The scope is ANDed into the query itself, whatever the filters ask for. `matchCap` is
 * MATCH_CAP but for tests, which compare both ways of answering a search.
 */
export async function listQueue(db: Kysely<DB>, scope: Scope, q: QueueQuery, matchCap = MATCH_CAP): Promise<QueuePage> {
  const search = searchOf(q);
  if (search) {
    const page = await listMatchesFirst(db, scope, q, search.find, matchCap);
    if (page) return page;
  }
  return listInOrder(db, scope, q, search?.filter);
}

/**
 * A search: the matching candidates (id and sort key, from the index alone when the unit is a department)
 * are found first, at most cap + 1 of them; the page is the first `limit` of them in name order, and
 * only those rows are read whole. Each step is a materialized CTE so that neither database can merge
 * them back into a walk of the whole department in name order, filtering names as it goes (what a
 * planner picks for `order by sort_key limit n` when it misjudges how rare the name is). Returns
 * undefined when the cap was passed.
 */
async function listMatchesFirst(db: Kysely<DB>, scope: Scope, q: QueueQuery, find: CandidateWhere, cap: number): Promise<QueuePage | undefined> {
  const trial = q.isTrial ? 1 : 0;
  // the dossier filters as (not) exists: a probe per match and no join, so the matches stay index-only
  const dossierOf = (eb: ExpressionBuilder<DB & { c: DB['candidates'] }, 'c'>) =>
    eb.selectFrom('dossiers as d').select('d.id').whereRef('d.candidate_id', '=', 'c.id').where('d.is_trial', '=', trial);
  let matches = db.selectFrom('candidates as c').select(['c.id', 'c.sort_key']).where(candidateWhere(scope, q)).where(find);
  if (q.status === 'not_started') matches = matches.where((eb) => eb.not(eb.exists(dossierOf(eb))));
  else if (hasDossierFilters(q)) matches = matches.where((eb) => eb.exists(dossierOf(eb).where((d) => d.and(dossierConditions(d, q)))));
  if (q.after) matches = matches.where(afterWhere(q.after));
  const rows = db
    .with((w) => w('m').materialized(), () => matches.limit(cap + 1))
    .with((w) => w('page').materialized(), (qc) => qc.selectFrom('m').select('m.id').orderBy('m.sort_key').orderBy('m.id').limit(q.limit + 1))
    .selectFrom('page')
    .crossJoin('candidates as c')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', trial))
    .whereRef('c.id', '=', 'page.id')
    .select([lineJson(db), 'c.sort_key', 'c.id'])
    // the number of matches, on every line
    .select((eb) => eb.selectFrom('m').select((m) => m.fn.countAll<number>().as('n')).as('matches'));
  const { page, matches: found } = await pageOf(db, rows, q.limit, true);
  if (found !== null && found > cap) return undefined;
  return page;
}

/** A list (or a common search): read in name order on the point's or department's sort-key index. */
async function listInOrder(db: Kysely<DB>, scope: Scope, q: QueueQuery, filter: CandidateWhere | undefined): Promise<QueuePage> {
  let query = db
    .selectFrom('candidates as c')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', q.isTrial ? 1 : 0))
    .select([lineJson(db), 'c.sort_key', 'c.id'])
    .where(candidateWhere(scope, q));
  if (filter) query = query.where(filter);
  if (q.status === 'not_started') query = query.where('d.id', 'is', null);
  else if (hasDossierFilters(q)) query = query.where((eb) => eb.and(dossierConditions(eb, q)));
  if (q.after) query = query.where(afterWhere(q.after));
  return (await pageOf(db, query.orderBy('c.sort_key').orderBy('c.id').limit(q.limit + 1), q.limit, false)).page;
}

/**
 * Fills sort keys that a bulk load left empty, within a point or department (or everywhere), a page at a
 * time. Returns how many it filled. Cheap when there are none: a partial index holds only the empty ones.
 */
export async function fillMissingSortKeys(
  db: { read: Kysely<DB>; write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> },
  where: { pointId?: string; departmentCode?: string } = {},
  maxRows = Number.POSITIVE_INFINITY,
): Promise<number> {
  let filled = 0;
  while (filled < maxRows) {
    let q = db.read.selectFrom('candidates').select(['id', 'full_name']).where('sort_key', 'is', null);
    if (where.pointId) q = q.where('point_id', '=', where.pointId);
    if (where.departmentCode) q = q.where('department_code', '=', where.departmentCode);
    const rows = await q.limit(2000).execute();
    if (rows.length === 0) break;
    await db.write(async (trx) => {
      for (const r of rows) await trx.updateTable('candidates').set({ sort_key: nameSortKey(r.full_name) }).where('id', '=', r.id).where('sort_key', 'is', null).execute();
    });
    filled += rows.length;
    if (rows.length < 2000) break;
  }
  return filled;
}

export async function setCandidateSortKey(trx: Kysely<DB>, candidateId: string, fullName: string): Promise<void> {
  await trx.updateTable('candidates').set({ sort_key: nameSortKey(fullName) }).where('id', '=', candidateId).execute();
}

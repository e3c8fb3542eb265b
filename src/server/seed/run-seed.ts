// Writes the synthetic country into a migrated database: the organisation tree and the exam year
// (skipping rows that already exist, so it can run on top of the demo), then the candidates and their
// accounts in batches, never holding more than one batch in memory, through the dialect's bulk load.
import { sql, type Kysely } from 'kysely';
import type { BulkTarget } from '../db/dialects/bulk.ts';
import type { Db } from '../db/create-db.ts';
import type { AdmissionWishListTable, AdmissionWishTable, CandidateSortKeyColumn, CandidateTable, DB, UserTable } from '../db/schema.ts';
import { admissionConfigOf } from '../../contracts/admission.ts';
import { setYearRule } from '../exam-years/exam-years.repository.ts';
import { generateCandidates, planCountry, plannedCandidates, type CountryPlan, type SeedOptions, type SeedRow } from './generate.ts';
import { insertResultImport, markImportPublished, nextImportVersion } from '../results/results.repository.ts';
import {
  WISH_COUNT_WEIGHTS, generateMarks, generateWishLists, generateWishes, planAdmission, seedAdmissionConfig,
  type AdmissionPlan, type AdmissionSeedOptions, type MarkRow, type MarkTally, type WishRow,
} from './admission.ts';

export interface RunSeedOptions extends SeedOptions {
  /** delete the year's candidates (and their accounts and dossiers) first */
  reset?: boolean;
  /** rows per transaction */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** the admission season too (institutions, programmes, wish lists); none when absent */
  admission?: AdmissionSeedOptions | null;
  onAdmissionProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  candidates: number;
  users: number;
  orgUnitsInserted: number;
  examYearCreated: boolean;
  /** candidates deleted by --reset */
  deleted: number;
  /** seconds spent writing the exam season's candidates and accounts */
  candidateSeconds: number;
  admission: {
    institutions: number;
    programmes: number;
    candidates: number;
    wishes: number;
    wishCap: number | null;
    /** the share asked for, the candidates who paid and their wishes (every wish of a paying candidate) */
    paidShare: number;
    paidCandidates: number;
    paidWishes: number;
    /** published marks written (0: left out), and the councils' publications standing for them */
    marks: number;
    publications: number;
    seconds: number;
  } | null;
}

/** The year already holds candidates and no reset was asked for. */
export class SeedRefusedError extends Error {
  constructor(readonly year: number, readonly existing: number) {
    super(
      `Năm thi ${year} đã có ${existing} thí sinh trong cơ sở dữ liệu; chạy lại với --reset để xoá thí sinh (và tài khoản) của năm này trước. / ` +
        `Exam year ${year} already has ${existing} candidates in this database; run again with --reset to delete that year's candidates (and their accounts) first.`,
    );
    this.name = 'SeedRefusedError';
  }
}

export const USER_COLUMNS = [
  'id', 'username', 'role', 'org_unit_id', 'display_name', 'password_hash', 'status', 'must_change_password',
  'password_set_at', 'last_sign_in_at', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof UserTable>;

export const CANDIDATE_COLUMNS = [
  'id', 'user_id', 'exam_year', 'point_id', 'department_code', 'id_kind', 'id_number', 'full_name', 'family_name',
  'middle_name', 'given_name', 'name_folded', 'gender', 'date_of_birth', 'birth_province', 'class_name',
  'candidate_type', 'created_at', 'updated_at', 'sort_key',
] as const satisfies ReadonlyArray<keyof (CandidateTable & CandidateSortKeyColumn)>;

/** Each generated row is an account and its candidate, loaded together. */
const SEED_TARGETS: ReadonlyArray<BulkTarget<SeedRow>> = [
  { table: 'users', columns: USER_COLUMNS, pgTypes: { must_change_password: 'int4' }, rowOf: (r) => r.user },
  { table: 'candidates', columns: CANDIDATE_COLUMNS, pgTypes: { exam_year: 'int4' }, rowOf: (r) => r.candidate },
];

export async function countYearCandidates(db: Kysely<DB>, year: number): Promise<number> {
  const r = await db
    .selectFrom('candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('exam_year', '=', year)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Deletes a year's dossiers, candidates and the candidates' accounts. Returns the candidates deleted. */
export async function resetYear(db: Kysely<DB>, year: number): Promise<number> {
  if (!Number.isInteger(year)) throw new RangeError('year must be an integer');
  return db.transaction().execute(async (trx) => {
    const n = await countYearCandidates(trx, year);
    await trx.deleteFrom('dossiers').where('exam_year', '=', year).execute();
    // the candidates' admission wishes go with them (the catalogue stays: runSeed replaces its own programmes)
    await trx.deleteFrom('admission_wishes').where('exam_year', '=', year).execute();
    await trx.deleteFrom('admission_wish_lists').where('exam_year', '=', year).execute();
    // and the runs over them, and their published marks and results (the councils' publications of the year)
    const runs = trx.selectFrom('admission_runs').select('id').where('exam_year', '=', year);
    await trx.deleteFrom('admission_enrolments').where('exam_year', '=', year).execute();
    await trx.deleteFrom('admission_run_changes').where('run_id', 'in', runs).execute();
    await trx.deleteFrom('admission_run_candidates').where('run_id', 'in', runs).execute();
    await trx.deleteFrom('admission_run_admitted').where('run_id', 'in', runs).execute();
    await trx.deleteFrom('admission_run_programmes').where('run_id', 'in', runs).execute();
    await trx.deleteFrom('admission_runs').where('exam_year', '=', year).execute();
    await trx.deleteFrom('exam_results').where('exam_year', '=', year).execute();
    await trx.deleteFrom('exam_marks').where('exam_year', '=', year).execute();
    await trx.deleteFrom('result_import_rows').where('import_id', 'in', (eb) => eb.selectFrom('result_imports').select('id').where('exam_year', '=', year)).execute();
    await trx.deleteFrom('result_imports').where('exam_year', '=', year).execute();
    // Candidates reference their account, so remember the accounts before the candidates go.
    // (A literal: CREATE TABLE AS takes no bind parameters on PostgreSQL; `year` is checked above.)
    await sql`create temp table seed_reset_users as select user_id from candidates where exam_year = ${sql.lit(year)}`.execute(trx);
    await trx.deleteFrom('candidates').where('exam_year', '=', year).execute();
    // what signing in left on those accounts refers to them: their sessions, known devices and VNeID links
    // (a demo candidate who signed in before the reset); the staff-only rows (second factor) cannot be theirs
    for (const table of ['sessions', 'known_devices', 'external_identities'] as const) {
      await sql`delete from ${sql.table(table)} where user_id in (select user_id from seed_reset_users)`.execute(trx);
    }
    await sql`delete from users where id in (select user_id from seed_reset_users)`.execute(trx);
    await sql`drop table seed_reset_users`.execute(trx);
    return n;
  });
}

async function writeStructure(db: Kysely<DB>, plan: CountryPlan): Promise<{ inserted: number; yearCreated: boolean }> {
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    // Parents first: the plan lists the ministry, then each department followed by its points.
    for (let i = 0; i < plan.orgUnits.length; i += 500) {
      const chunk = plan.orgUnits.slice(i, i + 500);
      // Do nothing on any conflict: the demo loader may already hold the ministry, the departments
      // and a few points under the same ids (org-<code>); their rows win.
      const r = await trx.insertInto('org_units').values(chunk).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    // A point whose code is taken by a unit with another id would leave candidates pointing nowhere.
    const ids = plan.orgUnits.map((u) => u.id);
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await trx.selectFrom('org_units').select('id').where('id', 'in', ids.slice(i, i + 1000)).execute();
      for (const r of rows) found.add(r.id);
    }
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new Error(
        `Mã đơn vị đã được dùng cho đơn vị khác / org unit codes already used by other units: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`,
      );
    }
    const y = await trx.insertInto('exam_years').values(plan.examYear).onConflict((oc) => oc.column('year').doNothing()).executeTakeFirst();
    return { inserted, yearCreated: Number(y.numInsertedOrUpdatedRows ?? 0) > 0 };
  });
}

export const WISH_LIST_COLUMNS = ['exam_year', 'candidate_id', 'version', 'updated_at', 'frozen_at'] as const satisfies ReadonlyArray<keyof AdmissionWishListTable>;
export const WISH_COLUMNS = [
  'id', 'exam_year', 'candidate_id', 'position', 'programme_id', 'combination', 'fee_status', 'paid_at', 'payment_id', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof AdmissionWishTable>;
const WISH_LIST_TARGET: BulkTarget<AdmissionWishListTable> = {
  table: 'admission_wish_lists',
  columns: WISH_LIST_COLUMNS,
  pgTypes: { exam_year: 'int4', version: 'int4' },
  rowOf: (r) => r,
  valuesOf: (r) => [r.exam_year, r.candidate_id, r.version, r.updated_at, r.frozen_at],
};
const WISH_TARGET: BulkTarget<WishRow> = {
  table: 'admission_wishes',
  columns: WISH_COLUMNS,
  pgTypes: { exam_year: 'int4', position: 'int4' },
  rowOf: (r) => r,
  valuesOf: (r) => [r.id, r.exam_year, r.candidate_id, r.position, r.programme_id, r.combination, r.fee_status, r.paid_at, r.payment_id, r.created_at, r.updated_at],
};
export const MARK_COLUMNS = ['exam_year', 'candidate_id', 'subject', 'department_code', 'kind', 'score_centi', 'version', 'updated_at'] as const satisfies ReadonlyArray<keyof MarkRow>;
const MARK_TARGET: BulkTarget<MarkRow> = {
  table: 'exam_marks',
  columns: MARK_COLUMNS,
  pgTypes: { exam_year: 'int4', score_centi: 'int4', version: 'int4' },
  rowOf: (r) => r,
  valuesOf: (r) => [r.exam_year, r.candidate_id, r.subject, r.department_code, r.kind, r.score_centi, r.version, r.updated_at],
};

/** Counts the paying candidates and their wishes as the wishes stream past. */
function* countingPaid(wishes: Iterable<WishRow>, paid: { candidates: number; wishes: number }): Generator<WishRow> {
  for (const w of wishes) {
    if (w.fee_status === 'paid') {
      paid.wishes += 1;
      if (w.position === 1) paid.candidates += 1;
    }
    yield w;
  }
}

/**
 * The marks, then for each department one council publication standing for them (a published result
 * import of the 'file' kind with no staged rows: the seed did not go through an upload), so that the
 * councils' published version is the marks' version, as after a real publication.
 */
async function writeMarks(db: Db, country: CountryPlan, plan: AdmissionPlan, rules: { wishCap: number | null; teacherTrainingMaxPosition: number | null }, batchSize: number): Promise<{ marks: number; publications: number }> {
  const year = country.options.year;
  const at = new Date(`${year}-07-01T10:00:00.000Z`);
  // a reset year has no publications: version 1; on a year that kept some, the next
  const versions = new Map<string, number>();
  for (const d of country.departments) versions.set(d.code, await nextImportVersion(db.writer, year, d.code));
  const tally: MarkTally = { byDepartment: new Map() };
  const rows = (function* () {
    for (const m of generateMarks(country, plan, rules, tally)) yield versions.get(m.department_code) === 1 ? m : { ...m, version: versions.get(m.department_code)! };
  })();
  const marks = await db.dialect.bulkLoad(db.writer, [MARK_TARGET], rows, { batchSize, total: plan.candidates * 6 });
  await db.write(async (trx) => {
    for (const [dep, t] of [...tally.byDepartment].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const id = `seed-${year}-${dep}-v${versions.get(dep)!}`;
      await insertResultImport(
        trx,
        {
          id, examYear: year, departmentCode: dep, version: versions.get(dep)!, status: 'staged', kind: 'file', fileName: 'seed', subjects: [...t.subjects].sort(),
          baseVersion: versions.get(dep)! - 1, totalRows: t.rows, validRows: t.rows, errorRows: 0, added: t.rows, changed: 0, removed: 0, unchanged: 0,
          uploadedBy: 'seed', uploadedAt: at.toISOString(),
        },
        [],
        [],
      );
      await markImportPublished(trx, id, 'seed', at);
    }
  });
  return { marks, publications: tally.byDepartment.size };
}

/** The institutions (kept when they exist, as the structure's units) and their programmes (replaced). */
async function writeCatalogue(db: Kysely<DB>, plan: AdmissionPlan, year: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('org_units').values(plan.institutions).onConflict((oc) => oc.doNothing()).execute();
    const ids = plan.institutions.map((u) => u.id);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await trx.selectFrom('org_units').select('id').where('id', 'in', chunk).where('kind', '=', 'institution').execute();
      if (rows.length !== chunk.length) {
        const have = new Set(rows.map((r) => r.id));
        const missing = chunk.filter((id) => !have.has(id));
        throw new Error(`Mã trường đã được dùng cho đơn vị khác / institution codes already used by other units: ${missing.slice(0, 5).join(', ')}`);
      }
      await trx.deleteFrom('admission_programmes').where('exam_year', '=', year).where('institution_id', 'in', chunk).execute();
    }
    for (let i = 0; i < plan.programmes.length; i += 200) await trx.insertInto('admission_programmes').values(plan.programmes.slice(i, i + 200)).execute();
  });
}

/** The year's admission rules: its own configuration, or the 2026 rules written for it when it has none. */
async function admissionRulesFor(db: Kysely<DB>, country: CountryPlan, at: string): Promise<{ wishCap: number | null; teacherTrainingMaxPosition: number | null }> {
  const year = country.options.year;
  const row = await db.selectFrom('exam_years').select('rules').where('year', '=', year).executeTakeFirstOrThrow();
  let config = admissionConfigOf(row.rules);
  if (!config) {
    const fresh = seedAdmissionConfig(year, country.departments);
    await db.transaction().execute((trx) => setYearRule(trx, year, 'admission', fresh, new Date(at)));
    config = admissionConfigOf({ admission: fresh });
    if (!config) throw new Error('the seed\'s admission configuration does not pass its own schema');
  }
  return { wishCap: config.wishCap, teacherTrainingMaxPosition: config.teacherTrainingMaxPosition };
}

async function runAdmissionSeed(db: Db, country: CountryPlan, opts: RunSeedOptions & { admission: AdmissionSeedOptions }): Promise<NonNullable<SeedResult['admission']>> {
  const started = performance.now();
  const plan = planAdmission(country, opts.admission);
  await writeCatalogue(db.writer, plan, country.options.year);
  const rules = await admissionRulesFor(db.writer, country, plan.timestamp);
  await db.dialect.bulkLoad(db.writer, [WISH_LIST_TARGET], generateWishLists(country, plan), { batchSize: opts.batchSize ?? 20_000, total: plan.candidates });
  const mean = WISH_COUNT_WEIGHTS.reduce((s, w, i) => s + w * (i + 1), 0) / WISH_COUNT_WEIGHTS.reduce((s, w) => s + w, 0);
  const paid = { candidates: 0, wishes: 0 };
  const wishes = await db.dialect.bulkLoad(db.writer, [WISH_TARGET], countingPaid(generateWishes(country, plan, rules), paid), {
    batchSize: (opts.batchSize ?? 20_000) * 2,
    total: Math.round(plan.candidates * mean),
    onProgress: opts.onAdmissionProgress,
  });
  const written = opts.admission.marks === false ? { marks: 0, publications: 0 } : await writeMarks(db, country, plan, rules, (opts.batchSize ?? 20_000) * 2);
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  return {
    institutions: plan.institutions.length, programmes: plan.programmes.length, candidates: plan.candidates, wishes, wishCap: rules.wishCap,
    paidShare: plan.paidShare, paidCandidates: paid.candidates, paidWishes: paid.wishes, ...written, seconds,
  };
}

export async function runSeed(db: Db, opts: RunSeedOptions): Promise<SeedResult> {
  const plan = planCountry(opts);
  const existing = await countYearCandidates(db.writer, opts.year);
  let deleted = 0;
  if (existing > 0) {
    if (!opts.reset) throw new SeedRefusedError(opts.year, existing);
    deleted = await resetYear(db.writer, opts.year);
  }
  const structure = await writeStructure(db.writer, plan);
  const total = plannedCandidates(plan);
  const rows = generateCandidates(plan);
  const batchSize = opts.batchSize ?? 20_000;
  const candidatesStarted = performance.now();
  const written = await db.dialect.bulkLoad(db.writer, SEED_TARGETS, rows, { batchSize, total, onProgress: opts.onProgress });
  const candidateSeconds = Math.round((performance.now() - candidatesStarted) / 10) / 100;
  const admission = opts.admission && opts.admission.candidates > 0 ? await runAdmissionSeed(db, plan, { ...opts, admission: opts.admission }) : null;
  return { candidates: written, users: written, orgUnitsInserted: structure.inserted, examYearCreated: structure.yearCreated, deleted, candidateSeconds, admission };
}

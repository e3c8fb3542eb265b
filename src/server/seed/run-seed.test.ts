// The seed end to end against a real database: a temp SQLite file always, and PostgreSQL too when
// TEST_DATABASE_URL is set (each in a database of its own, created and dropped by the test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../db/create-db.ts';
import { migrate } from '../db/migrate.ts';
import { generateCandidates, planCountry } from './generate.ts';
import { CANDIDATE_COLUMNS, MARK_COLUMNS, USER_COLUMNS, WISH_COLUMNS, SeedRefusedError, resetYear, runSeed } from './run-seed.ts';
import { generateMarks, generateWishes, planAdmission } from './admission.ts';
import { emptyDatabase } from '../../../test/helpers/db.ts';

const N = 3_000;
const SEED = 42;

function digest(rows: Array<Record<string, unknown>>, columns: readonly string[]): string {
  const h = createHash('sha256');
  for (const r of [...rows].sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1))) {
    h.update(JSON.stringify(columns.map((c) => r[c] ?? null)));
    h.update('\n');
  }
  return h.digest('hex');
}

function expectedDigests(year: number): { candidates: string; users: string } {
  const cs: Array<Record<string, unknown>> = [];
  const us: Array<Record<string, unknown>> = [];
  for (const r of generateCandidates(planCountry({ candidates: N, seed: SEED, year }))) {
    cs.push(r.candidate as unknown as Record<string, unknown>);
    us.push(r.user as unknown as Record<string, unknown>);
  }
  return { candidates: digest(cs, CANDIDATE_COLUMNS), users: digest(us, USER_COLUMNS) };
}

async function stored(db: Db, year: number): Promise<{ candidates: string; users: string }> {
  const cs = await db.read.selectFrom('candidates').selectAll().where('exam_year', '=', year).execute();
  const us = await db.read
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('candidates').select('user_id').where('exam_year', '=', year))
    .execute();
  return { candidates: digest(cs, CANDIDATE_COLUMNS), users: digest(us, USER_COLUMNS) };
}

async function count(db: Db, table: 'candidates' | 'users' | 'dossiers' | 'org_units', year?: number): Promise<number> {
  let q = db.read.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (year !== undefined && table !== 'users' && table !== 'org_units') q = q.where('exam_year', '=', year);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function scenario(db: Db, year: number): Promise<void> {
  await migrate(db.writer, db.dialect);
  await resetYear(db.writer, year); // a reused PostgreSQL test database may hold an earlier run
  // What the demo loader creates first: the ministry and a department under the contract ids, with its own names.
  const ts = new Date().toISOString();
  const demo = { address: null, active: 1, created_at: ts, updated_at: ts } as const;
  await db.writer
    .insertInto('org_units')
    .values([
      { ...demo, id: 'org-BGD', kind: 'ministry', code: 'BGD', name: 'Bộ GD&ĐT (demo)', parent_id: null, department_code: null, point_kind: null },
      { ...demo, id: 'org-01', kind: 'department', code: '01', name: 'Sở Hà Nội (demo)', parent_id: 'org-BGD', department_code: '01', point_kind: null },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute();
  const usersBefore = await count(db, 'users');
  const hanoiBefore = (await db.read.selectFrom('org_units').select('name').where('id', '=', 'org-01').executeTakeFirstOrThrow()).name;

  const plan = planCountry({ candidates: N, seed: SEED, year });
  const r = await runSeed(db, { candidates: N, seed: SEED, year, batchSize: 700 });
  assert.equal(r.candidates, N);
  assert.equal(r.users, N);
  assert.equal(await count(db, 'candidates', year), N);
  assert.equal(await count(db, 'users'), usersBefore + N);
  assert.equal(await count(db, 'dossiers', year), 0);
  const units = await db.read.selectFrom('org_units').select(['id', 'name', 'kind']).execute();
  const ids = new Set(units.map((u) => u.id));
  assert.ok(plan.orgUnits.every((u) => ids.has(u.id)), 'every planned unit exists');
  assert.equal(units.find((u) => u.id === 'org-01')?.name, hanoiBefore, 'an existing unit is kept');
  const y = await db.read.selectFrom('exam_years').selectAll().where('year', '=', year).executeTakeFirstOrThrow();
  assert.equal(y.status, 'published');
  assert.equal(JSON.parse(y.windows).official.closesAt, '17:00');
  const byType = await db.read
    .selectFrom('candidates')
    .select(['candidate_type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('exam_year', '=', year)
    .groupBy('candidate_type')
    .execute();
  const free = Number(byType.find((t) => t.candidate_type === 'free')?.n ?? 0);
  assert.ok(free > N * 0.03 && free < N * 0.07, `free candidates ${free}`);
  const issued = await db.read.selectFrom('users').select('status').where('role', '=', 'candidate').where('password_hash', 'is not', null).execute();
  assert.equal(issued.length, 0, 'no candidate account is issued by the seed');

  // byte for byte what the generator produced, whichever database it went into
  const want = expectedDigests(year);
  assert.deepEqual(await stored(db, year), want);

  // a seeded candidate who signed in (with VNeID, on a remembered device) before the reset
  const signedIn = (await db.read.selectFrom('candidates').select('user_id').where('exam_year', '=', year).orderBy('id').executeTakeFirstOrThrow()).user_id;
  const ts2 = new Date().toISOString();
  await db.writer.insertInto('sessions').values({ id: 'seed-reset-s', token_hash: 'ab'.repeat(32), user_id: signedIn, created_at: ts2, last_seen_at: ts2, expires_at: ts2, ended_at: null, end_reason: null, ip: null }).execute();
  await db.writer.insertInto('known_devices').values({ id: 'seed-reset-d', user_id: signedIn, created_at: ts2, last_used_at: ts2, expires_at: ts2, user_agent: null, revoked_at: null, revoked_reason: null }).execute();
  await db.writer
    .insertInto('external_identities')
    .values({ provider: 'vneid', subject: '001207000001', user_id: signedIn, level: 2, full_name: 'Thí sinh', date_of_birth: '2007-01-01', gender: 'F', ethnicity_code: null, permanent_residence: null, current_residence: null, first_seen_at: ts2, last_seen_at: ts2 })
    .execute();

  // a second run refuses; with reset it replaces the year with identical data
  await assert.rejects(runSeed(db, { candidates: N, seed: SEED, year }), SeedRefusedError);
  const again = await runSeed(db, { candidates: N, seed: SEED, year, reset: true });
  assert.equal(again.deleted, N);
  assert.equal(again.orgUnitsInserted, 0);
  assert.equal(await count(db, 'users'), usersBefore + N);
  assert.deepEqual(await stored(db, year), want);
  // what the old account's sign-in left went with it
  for (const table of ['sessions', 'known_devices', 'external_identities'] as const) {
    assert.equal((await db.read.selectFrom(table).select('user_id').where('user_id', '=', signedIn).execute()).length, 0, `${table} of the reset account are gone`);
  }
}

test('seeds a small country into SQLite, refuses a second run, resets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-seed-'));
  const db = await createDb({ url: `sqlite:${path.join(dir, 'seed.sqlite')}` });
  try {
    await scenario(db, 2025);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('seeds a small country into PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL not set' }, async () => {
  // a database of its own: another suite seeding the same year at the same time would share its ids
  const pgdb = await emptyDatabase('postgres');
  const db = await createDb({ url: pgdb.url, poolSize: 4 });
  try {
    await scenario(db, 2025);
  } finally {
    await db.close();
    await pgdb.destroy();
  }
});

// ---- the admission season ----

const ADM = { candidates: 2_000, institutions: 8, programmes: 60 };

/** The same year as the exam scenario: a reused PostgreSQL database holds that one's accounts, reset here. */
async function admissionScenario(db: Db, year: number): Promise<void> {
  await migrate(db.writer, db.dialect);
  await resetYear(db.writer, year);
  const r = await runSeed(db, { candidates: N, seed: SEED, year, batchSize: 700, admission: ADM });
  const a = r.admission!;
  assert.equal(a.candidates, ADM.candidates);
  assert.equal(a.institutions, ADM.institutions);
  assert.equal(a.programmes, ADM.programmes);
  const mean = a.wishes / a.candidates;
  assert.ok(mean > 8 && mean < 10, `about 9 wishes a candidate (2025: 7,615,560 / 849,544), got ${mean}`);

  // the year's configuration is what the wishes obey: the cap and the teacher-training positions
  const rules = JSON.parse((await db.read.selectFrom('exam_years').select('rules').where('year', '=', year).executeTakeFirstOrThrow()).rules) as { admission: { wishCap: number; teacherTrainingMaxPosition: number; paymentGroups: Array<{ provinceCodes: string[] }> } };
  assert.equal(a.wishCap, rules.admission.wishCap);
  const most = await db.read.selectFrom('admission_wishes').select((eb) => eb.fn.max('position').as('m')).where('exam_year', '=', year).executeTakeFirstOrThrow();
  assert.ok(Number(most.m) <= rules.admission.wishCap, `no list beyond the cap ${rules.admission.wishCap}`);
  const tt = await db.read
    .selectFrom('admission_wishes as w')
    .innerJoin('admission_programmes as p', 'p.id', 'w.programme_id')
    .select([(eb) => eb.fn.max('w.position').as('m'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('w.exam_year', '=', year)
    .where('p.teacher_training', '=', 1)
    .executeTakeFirstOrThrow();
  assert.ok(Number(tt.n) > 0, 'some wishes are for teacher training');
  assert.ok(Number(tt.m) <= rules.admission.teacherTrainingMaxPosition, 'teacher training only among the first wishes');
  const provinces = rules.admission.paymentGroups.flatMap((g) => g.provinceCodes);
  assert.equal(new Set(provinces).size, provinces.length, 'a province pays in one group');

  // every wish names a seeded candidate and a published programme; every list has its row
  const orphans = await db.read
    .selectFrom('admission_wishes as w')
    .leftJoin('candidates as c', 'c.id', 'w.candidate_id')
    .leftJoin('admission_programmes as p', (j) => j.onRef('p.id', '=', 'w.programme_id').on('p.status', '=', 'published'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('w.exam_year', '=', year)
    .where((eb) => eb.or([eb('c.id', 'is', null), eb('p.id', 'is', null)]))
    .executeTakeFirstOrThrow();
  assert.equal(Number(orphans.n), 0);
  const lists = await db.read.selectFrom('admission_wish_lists').select((eb) => eb.fn.countAll<number>().as('n')).where('exam_year', '=', year).executeTakeFirstOrThrow();
  assert.equal(Number(lists.n), ADM.candidates);

  // byte for byte what the generator produced, so the same on SQLite and PostgreSQL
  const country = planCountry({ candidates: N, seed: SEED, year });
  const plan = planAdmission(country, ADM);
  const want = digest([...generateWishes(country, plan, { wishCap: rules.admission.wishCap, teacherTrainingMaxPosition: rules.admission.teacherTrainingMaxPosition })], WISH_COLUMNS);
  const got = digest(await db.read.selectFrom('admission_wishes').selectAll().where('exam_year', '=', year).execute(), WISH_COLUMNS);
  assert.equal(got, want);
  // and the published marks, likewise (keyed by candidate and paper)
  const markKey = (rows: Array<Record<string, unknown>>) => rows.map((r) => ({ ...r, id: `${String(r['candidate_id'])}|${String(r['subject'])}` }));
  const seedRules = { wishCap: rules.admission.wishCap, teacherTrainingMaxPosition: rules.admission.teacherTrainingMaxPosition };
  const wantMarks = digest(markKey([...generateMarks(country, plan, seedRules)] as unknown as Array<Record<string, unknown>>), MARK_COLUMNS);
  const gotMarks = digest(markKey(await db.read.selectFrom('exam_marks').selectAll().where('exam_year', '=', year).execute() as unknown as Array<Record<string, unknown>>), MARK_COLUMNS);
  assert.equal(gotMarks, wantMarks);
  assert.equal(a.marks, await db.read.selectFrom('exam_marks').select((eb) => eb.fn.countAll<number>().as('n')).where('exam_year', '=', year).executeTakeFirstOrThrow().then((x) => Number(x.n)));
  const progs = await db.read.selectFrom('admission_programmes').selectAll().where('exam_year', '=', year).where('institution_id', 'in', plan.institutions.map((u) => u.id)).execute();
  assert.equal(digest(progs, Object.keys(plan.programmes[0]!)), digest(plan.programmes as unknown as Array<Record<string, unknown>>, Object.keys(plan.programmes[0]!)));

  // reset replaces the season with the same one
  const again = await runSeed(db, { candidates: N, seed: SEED, year, reset: true, admission: ADM });
  assert.equal(again.admission?.wishes, a.wishes);
  assert.equal(digest(await db.read.selectFrom('admission_wishes').selectAll().where('exam_year', '=', year).execute(), WISH_COLUMNS), want);
  await resetYear(db.writer, year);
}

test('seeds a small admission season into SQLite: the year\'s cap and teacher-training rule, the generator\'s rows', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-seed-adm-'));
  const db = await createDb({ url: `sqlite:${path.join(dir, 'seed.sqlite')}` });
  try {
    await admissionScenario(db, 2025);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('seeds a small admission season into PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL not set' }, async () => {
  // a database of its own: another suite seeding the same year at the same time would share its ids
  const pgdb = await emptyDatabase('postgres');
  const db = await createDb({ url: pgdb.url, poolSize: 4 });
  try {
    await admissionScenario(db, 2025);
  } finally {
    await db.close();
    await pgdb.destroy();
  }
});

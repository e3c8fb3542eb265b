// The seed end to end against a real database: a temp SQLite file always, and PostgreSQL too when
// TEST_DATABASE_URL is set (a throwaway database: the test deletes its own year's candidates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../db/create-db.ts';
import { migrate } from '../db/migrate.ts';
import { generateCandidates, planCountry } from './generate.ts';
import { CANDIDATE_COLUMNS, USER_COLUMNS, SeedRefusedError, resetYear, runSeed } from './run-seed.ts';

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

  // a second run refuses; with reset it replaces the year with identical data
  await assert.rejects(runSeed(db, { candidates: N, seed: SEED, year }), SeedRefusedError);
  const again = await runSeed(db, { candidates: N, seed: SEED, year, reset: true });
  assert.equal(again.deleted, N);
  assert.equal(again.orgUnitsInserted, 0);
  assert.equal(await count(db, 'users'), usersBefore + N);
  assert.deepEqual(await stored(db, year), want);
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
  const db = await createDb({ url: process.env.TEST_DATABASE_URL!, poolSize: 4 });
  try {
    await scenario(db, 2025);
  } finally {
    await db.close();
  }
});

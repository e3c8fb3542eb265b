// The benchmark's synthetic country is built once per (size, seed) and kept: a SQLite file under
// .cache/bench/ and a PostgreSQL template database. Each run works on a copy, so runs never disturb
// the cached country and never see each other's writes.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb } from '../../src/server/db/create-db.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { loadReferenceData } from '../../src/server/reference/reference.repository.ts';
import { runSeed, countYearCandidates } from '../../src/server/seed/run-seed.ts';
import { ROOT } from './server-process.ts';

export const SEED_YEAR = 2025;
const CACHE = path.join(ROOT, '.cache', 'bench');

/**
 * Brings a cached country up to date: newer migrations applied (so a run does not build new indexes on
 * its copy), seeded if it is not yet, and the planner's statistics gathered after any change (a copy
 * without them plans unlike a production database).
 */
async function seedInto(url: string, candidates: number, seed: number, log: (s: string) => void): Promise<void> {
  const db = await createDb({ url, poolSize: 4, sqliteSynchronous: 'NORMAL' });
  try {
    const { applied } = await migrate(db.writer, db.dialect);
    await loadReferenceData(db.writer, new Date());
    const have = await countYearCandidates(db.writer, SEED_YEAR);
    if (have !== candidates) {
      const started = Date.now();
      log(`seeding ${candidates.toLocaleString('en')} candidates (seed ${seed}) into ${url.split('@').pop()} …`);
      await runSeed(db, { candidates, seed, year: SEED_YEAR, reset: have > 0 });
      log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    if (have !== candidates || applied.length > 0) {
      log(`gathering planner statistics on ${url.split('@').pop()} …`);
      await sql`analyze`.execute(db.writer);
    }
  } finally {
    await db.close();
  }
}

/** A fresh SQLite file holding the cached country; returns its sqlite: URL. */
export async function sqliteWorkingCopy(candidates: number, seed: number, log: (s: string) => void): Promise<{ url: string; dispose(): void }> {
  fs.mkdirSync(CACHE, { recursive: true });
  const template = path.join(CACHE, `country-${candidates}-${seed}.sqlite`);
  const marker = `${template}.done`;
  if (!fs.existsSync(marker)) {
    for (const f of [template, `${template}-wal`, `${template}-shm`]) fs.rmSync(f, { force: true });
    await seedInto(`sqlite:${template}`, candidates, seed, log);
    fs.writeFileSync(marker, new Date().toISOString());
  } else {
    await seedInto(`sqlite:${template}`, candidates, seed, log); // newer migrations, statistics
  }
  const dir = fs.mkdtempSync(path.join(CACHE, 'run-'));
  const file = path.join(dir, 'bench.sqlite');
  fs.copyFileSync(template, file);
  return { url: `sqlite:${file}`, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh PostgreSQL database cloned from the cached template; returns its URL. */
export async function postgresWorkingCopy(
  adminUrl: string,
  candidates: number,
  seed: number,
  log: (s: string) => void,
): Promise<{ url: string; dispose(): Promise<void> }> {
  const template = `ghidanh_bench_tpl_${candidates}_${seed}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
    const done = await admin.query("select 1 from pg_database where datname = $1 and pg_catalog.shobj_description(oid, 'pg_database') = 'complete'", [template]);
    if (exists.rowCount && !done.rowCount) await admin.query(`drop database ${template} with (force)`);
    if (!done.rowCount) {
      await admin.query(`create database ${template}`);
      await seedInto(withDatabase(adminUrl, template), candidates, seed, log);
      await admin.query(`comment on database ${template} is 'complete'`);
    } else {
      await seedInto(withDatabase(adminUrl, template), candidates, seed, log); // newer migrations, statistics
    }
    const name = `ghidanh_bench_run_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`create database ${name} template ${template}`);
    return {
      url: withDatabase(adminUrl, name),
      dispose: async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  } finally {
    await admin.end();
  }
}

/** A working copy of the small (20,000-candidate) country on either database: for the in-process development aids. */
export function quickCountryCopy(db: string, log: (s: string) => void): Promise<{ url: string; dispose(): void | Promise<void> }> {
  return db === 'sqlite'
    ? sqliteWorkingCopy(20_000, 1, log)
    : postgresWorkingCopy(process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres', 20_000, 1, log);
}

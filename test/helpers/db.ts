// Every suite that touches the database runs once per database: on a fresh SQLite file always, and on a
// fresh, throwaway PostgreSQL database when TEST_DATABASE_URL is set (the run is told it was skipped
// otherwise, by src/cli/test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, before, after } from 'node:test';
import { createDb, type Db, type DbOptions } from '../../src/server/db/create-db.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { loadReferenceData } from '../../src/server/reference/reference.repository.ts';

export type DbKind = 'sqlite' | 'postgres';

export function databaseKinds(): DbKind[] {
  return process.env['TEST_DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDb {
  kind: DbKind;
  url: string;
  db: Db;
  /** close the handle and delete the database */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new empty database URL of the given kind, and a function that deletes it. */
export async function emptyDatabase(kind: DbKind): Promise<{ url: string; destroy(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-test-'));
    return { url: `sqlite:${path.join(dir, 'test.sqlite')}`, destroy: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env['TEST_DATABASE_URL'];
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ghidanh_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  return {
    url: withDatabase(admin, name),
    destroy: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

export async function createTestDb(kind: DbKind, opts: { migrate?: boolean; db?: Partial<DbOptions> } = {}): Promise<TestDb> {
  const { url, destroy } = await emptyDatabase(kind);
  const db = await createDb({ url, poolSize: 5, ...opts.db });
  if (opts.migrate !== false) {
    await migrate(db.writer, db.dialect);
    await loadReferenceData(db.writer, new Date());
  }
  return {
    kind,
    url,
    db,
    async drop() {
      await db.close();
      await destroy();
    },
  };
}

/**
 * describe() once per database kind. `fn` receives a getter for the suite's database, created before
 * the suite's tests and dropped after them.
 */
export function describeEachDb(title: string, fn: (get: () => TestDb) => void, opts: { migrate?: boolean } = {}): void {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let t: TestDb | undefined;
      before(async () => {
        t = await createTestDb(kind, opts);
      });
      after(async () => {
        await t?.drop();
      });
      fn(() => {
        if (!t) throw new Error('database not ready');
        return t;
      });
    });
  }
}

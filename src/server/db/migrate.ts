// Applies pending migrations, each in its own transaction (both SQLite and PostgreSQL have transactional
// DDL), so a migration that fails midway leaves nothing half-applied. Several processes starting at once
// wait on the dialect's migration lock (PostgreSQL: an advisory lock; SQLite: its single writer).
import type { Kysely } from 'kysely';
import type { DialectAdapter } from './dialects/types.ts';
import type { DB } from './schema.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

async function ensureTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
}

export async function appliedMigrations(db: Kysely<DB>): Promise<string[]> {
  try {
    const rows = await db.selectFrom('schema_migrations').select('name').orderBy('name').execute();
    return rows.map((r) => r.name);
  } catch {
    return [];
  }
}

export async function pendingMigrations(
  db: Kysely<DB>,
  list: ReadonlyArray<readonly [string, Migration]> = MIGRATIONS,
): Promise<string[]> {
  const done = new Set(await appliedMigrations(db));
  return list.map(([n]) => n).filter((n) => !done.has(n));
}

export interface MigrateResult {
  applied: string[];
}

export async function migrate(
  db: Kysely<DB>,
  dialect: Pick<DialectAdapter, 'lockMigrations'>,
  list: ReadonlyArray<readonly [string, Migration]> = MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<MigrateResult> {
  await ensureTable(db);
  const applied: string[] = [];
  for (const [name, m] of list) {
    const did = await db.transaction().execute(async (trx) => {
      await dialect.lockMigrations(trx);
      const exists = await trx.selectFrom('schema_migrations').select('name').where('name', '=', name).executeTakeFirst();
      if (exists) return false;
      try {
        await m.up(trx as unknown as Kysely<any>);
      } catch (e) {
        throw new Error(`migration ${name} failed and was rolled back: ${(e as Error).message}`, { cause: e });
      }
      await trx.insertInto('schema_migrations').values({ name, applied_at: now().toISOString() }).execute();
      return true;
    });
    if (did) applied.push(name);
  }
  return { applied };
}

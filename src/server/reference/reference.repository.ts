// Reference data (code lists, schemes, priority tables) lives as versioned JSON files in /reference and
// is loaded into the reference_data table at start; a file whose version is newer replaces the stored
// one. The database copy is what the service reads, so every process sees the same lists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export const REFERENCE_DIR = fileURLToPath(new URL('../../../reference/', import.meta.url));

export interface ReferenceFile {
  name: string;
  version: number;
  content: unknown;
}

export function readReferenceFiles(dir = REFERENCE_DIR): ReferenceFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const content = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { version?: unknown };
      if (typeof content.version !== 'number' || !Number.isInteger(content.version) || content.version < 1) {
        throw new Error(`reference/${f}: "version" must be a positive integer`);
      }
      return { name: f.replace(/\.json$/, ''), version: content.version, content };
    });
}

/** Loads every file whose version is newer than the stored one. Returns the names it (re)loaded. */
export async function loadReferenceData(db: Kysely<DB>, now: Date, files = readReferenceFiles()): Promise<string[]> {
  const loaded: string[] = [];
  await db.transaction().execute(async (trx) => {
    const stored = new Map(
      (await trx.selectFrom('reference_data').select(['name', 'version']).execute()).map((r) => [r.name, r.version]),
    );
    for (const f of files) {
      const have = stored.get(f.name);
      if (have !== undefined && have >= f.version) continue;
      const row = { name: f.name, version: f.version, content: JSON.stringify(f.content), loaded_at: now.toISOString() };
      await trx
        .insertInto('reference_data')
        .values(row)
        .onConflict((oc) => oc.column('name').doUpdateSet({ version: row.version, content: row.content, loaded_at: row.loaded_at }))
        .execute();
      loaded.push(f.name);
    }
  });
  return loaded;
}

const cache = new Map<string, { version: number; value: unknown }>();

/** A reference document by name, cached per process (reference data changes only with a deploy). */
export async function getReference<T>(db: Kysely<DB>, name: string): Promise<T> {
  const hit = cache.get(name);
  if (hit) return hit.value as T;
  const row = await db.selectFrom('reference_data').select(['version', 'content']).where('name', '=', name).executeTakeFirst();
  if (!row) throw new Error(`reference data "${name}" is not loaded`);
  const value = JSON.parse(row.content) as T;
  cache.set(name, { version: row.version, value });
  return value;
}

export function clearReferenceCache(): void {
  cache.clear();
}

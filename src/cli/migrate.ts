// `npm run db:migrate`: apply pending migrations and reference data; exits non-zero on any failure.
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb, describeUrl } from '../server/db/create-db.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadReferenceData } from '../server/reference/reference.repository.ts';

try {
  const c = loadConfig();
  const db = await createDb({ url: c.DATABASE_URL, poolSize: 2, sqliteSynchronous: c.SQLITE_SYNCHRONOUS, busyTimeoutMs: c.SQLITE_BUSY_TIMEOUT_MS });
  try {
    const { applied } = await migrate(db.writer, db.dialect);
    const loaded = await loadReferenceData(db.writer, new Date());
    process.stdout.write(
      `${describeUrl(c.DATABASE_URL)}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}` +
        `${loaded.length ? `; reference data loaded: ${loaded.join(', ')}` : ''}\n`,
    );
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Migration thất bại / migration failed: ${(e as Error).message}`}\n`);
  process.exit(1);
}

// `npm run restore -- <backup file>`: replaces DATABASE_URL (and DATA_DIR/uploads) with a backup taken by
// `npm run backup`, then checks the audit chain. Stop the service first. See README "Backups".
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb, describeUrl } from '../server/db/create-db.ts';
import { restoreDatabase } from '../server/backup/backup.ts';
import { verifyChain } from '../server/audit/chain.ts';

try {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  const file = positionals[0];
  if (!file) throw new Error('usage: npm run restore -- <backup file>');
  const c = loadConfig();
  await restoreDatabase(c.DATABASE_URL, file, c.DATA_DIR);
  const db = await createDb({ url: c.DATABASE_URL, poolSize: 2 });
  try {
    const v = await verifyChain(db.read);
    process.stdout.write(`${file} → ${describeUrl(c.DATABASE_URL)}: restored; audit chain ${v.ok ? `intact (${v.entries} entries)` : `BROKEN at ${v.firstBad.seq}: ${v.firstBad.reason}`}\n`);
    if (!v.ok) process.exitCode = 1;
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Khôi phục thất bại / restore failed: ${(e as Error).message}`}\n`);
  process.exit(1);
}

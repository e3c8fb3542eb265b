// `npm run backup [-- --out <folder>]`: a consistent backup of DATABASE_URL (and DATA_DIR/uploads) while
// the service runs; default folder DATA_DIR/backups. See README "Backups".
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { describeUrl } from '../server/db/create-db.ts';
import { backupDatabase } from '../server/backup/backup.ts';

try {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const c = loadConfig();
  const r = await backupDatabase(c.DATABASE_URL, values.out ?? path.join(c.DATA_DIR, 'backups'), new Date(), c.DATA_DIR);
  process.stdout.write(`${describeUrl(c.DATABASE_URL)} → ${r.file} (${r.bytes} bytes${r.uploads ? `, uploads in ${r.uploads}` : ''}, ${r.tookMs} ms)\n`);
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Sao lưu thất bại / backup failed: ${(e as Error).message}`}\n`);
  process.exit(1);
}

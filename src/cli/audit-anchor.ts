// `npm run audit:anchor [-- --dir <folder>]`: appends the audit chain's head (seq, hash, time) to
// <folder>/audit-anchors.jsonl (default DATA_DIR/anchors), for the operator to copy off the machine. The
// worker does the same once a day (start-worker.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb } from '../server/db/create-db.ts';
import { exportAnchor } from '../server/audit/chain.ts';

try {
  const { values } = parseArgs({ options: { dir: { type: 'string' } } });
  const c = loadConfig();
  const db = await createDb({ url: c.DATABASE_URL, poolSize: 2, sqliteSynchronous: c.SQLITE_SYNCHRONOUS, busyTimeoutMs: c.SQLITE_BUSY_TIMEOUT_MS });
  try {
    const { file, anchor } = await exportAnchor(db.read, values.dir ?? path.join(c.DATA_DIR, 'anchors'), new Date());
    process.stdout.write(`${file}: ${JSON.stringify(anchor)}\n`);
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Không xuất được mốc / anchor failed: ${(e as Error).message}`}\n`);
  process.exit(2);
}

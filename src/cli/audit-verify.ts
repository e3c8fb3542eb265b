// `npm run audit:verify [-- --anchors <file>]`: checks the audit log's hash chain end to end (and against
// the anchors an operator kept, when given). Exits 0 when it holds; 1 naming the first bad entry; 2 when
// it cannot run. Reads only, so it can run on a copy or a restored backup.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb, describeUrl } from '../server/db/create-db.ts';
import { readAnchors, verifyChain } from '../server/audit/chain.ts';

try {
  const { values } = parseArgs({ options: { anchors: { type: 'string' } } });
  const c = loadConfig();
  const db = await createDb({ url: c.DATABASE_URL, poolSize: 2, sqliteSynchronous: c.SQLITE_SYNCHRONOUS, busyTimeoutMs: c.SQLITE_BUSY_TIMEOUT_MS });
  try {
    const anchors = values.anchors ? readAnchors(values.anchors) : [];
    const r = await verifyChain(db.read, anchors);
    if (r.ok) {
      process.stdout.write(`${describeUrl(c.DATABASE_URL)}: audit chain intact / nhật ký nguyên vẹn: ${r.entries} entries, head ${r.head.seq} ${r.head.hash}${anchors.length ? `, ${anchors.length} anchors match` : ''}\n`);
    } else {
      process.stdout.write(
        `${describeUrl(c.DATABASE_URL)}: AUDIT CHAIN BROKEN / nhật ký bị sửa: first bad entry seq=${r.firstBad.seq ?? '?'} id=${r.firstBad.id ?? '?'}: ${r.firstBad.reason}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Không kiểm tra được / verify failed: ${(e as Error).message}`}\n`);
  process.exit(2);
}

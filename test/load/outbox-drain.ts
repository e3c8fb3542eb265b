// `node --import tsx test/load/outbox-drain.ts [--db sqlite|postgres] [--n 5000] [--pause 100] [--provider file|none]`:
// how fast one outbox worker delivers a backlog of n messages, and its CPU per message, in-process on a copy
// of the cached quick country. `--pause` is the worker's wait between full batches (100 ms beside the web
// service, 0 or 10 in a worker-only process). A development aid, not a benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDb } from '../../src/server/db/create-db.ts';
import { enqueueMessages, outboxDepth } from '../../src/server/jobs/outbox.repository.ts';
import { OutboxWorker } from '../../src/server/jobs/worker.ts';
import { FileProvider, NoneProvider } from '../../src/server/jobs/providers.ts';
import { quickCountryCopy } from './seed-cache.ts';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, n: { type: 'string', default: '5000' }, pause: { type: 'string', default: '100' }, provider: { type: 'string', default: 'file' } } });
const n = Number(values.n);
const log = (s: string) => process.stderr.write(`outbox-drain: ${s}\n`);
const copy = await quickCountryCopy(values.db, log);
const db = await createDb({ url: copy.url, poolSize: 4 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-drain-'));
try {
  const now = new Date();
  for (let i = 0; i < n; i += 500) {
    const list = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
      kind: 'dossier.submitted',
      dedupKey: `drain:${i + j}:email`,
      channel: 'email' as const,
      recipientUserId: null,
      address: `thisinh${i + j}@example.vn`,
      payload: { subject: 'Đã nhận hồ sơ đăng ký dự thi / Registration received', text: 'Hồ sơ đăng ký dự thi của bạn đã được nộp. / Your registration was submitted.' },
    }));
    await db.write((trx) => enqueueMessages(trx, list, now));
  }
  const provider = values.provider === 'none' ? new NoneProvider() : new FileProvider(path.join(dir, 'outbox.log'));
  const worker = new OutboxWorker(db, provider, () => new Date(), pino({ level: 'silent' }), { drainPauseMs: Number(values.pause) });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  worker.start();
  while ((await outboxDepth(db.read)).pending > 0) await new Promise((r) => setTimeout(r, 50));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await worker.stop();
  process.stdout.write(`${n} messages (${values.provider}, ${values.db}, pause ${values.pause} ms) in ${(wall / 1000).toFixed(2)} s: ${Math.round((n * 1000) / wall)}/s, ${Math.round((cpu.user + cpu.system) / n)} µs of CPU per message\n`);
} finally {
  await db.close();
  await copy.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}

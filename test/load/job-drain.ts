// `node --import tsx test/load/job-drain.ts [--db sqlite|postgres] [--n 5000] [--pause 100] [--provider file|none]`:
// how fast one job worker delivers a backlog of n notification messages (jobs of kind `notify.message`:
// claimed under a lease, sent through the provider, marked done), and its CPU per job, in-process on a copy
// of the cached quick country. `--pause` is the worker's wait between full batches (100 ms beside the web
// service; 0 or 10 in a process that is only the worker). A development aid, not a benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDb } from '../../src/server/db/create-db.ts';
import { enqueueJobs, jobDepth } from '../../src/server/jobs/jobs.repository.ts';
import { JobWorker } from '../../src/server/jobs/worker.ts';
import { renderedMessageKind } from '../../src/server/notifications/notify.ts';
import { FileProvider, NoneProvider } from '../../src/server/notifications/providers.ts';
import { quickCountryCopy } from './seed-cache.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'sqlite' }, n: { type: 'string', default: '5000' }, pause: { type: 'string', default: '100' }, provider: { type: 'string', default: 'file' } },
  strict: true,
});
const n = Number(values.n);
const log = (s: string) => process.stderr.write(`job-drain: ${s}\n`);
const copy = await quickCountryCopy(values.db, log);
const db = await createDb({ url: copy.url, poolSize: 4 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-drain-'));
try {
  const now = new Date();
  for (let i = 0; i < n; i += 500) {
    const list = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
      kind: 'notify.message',
      dedupKey: `drain:${i + j}`,
      payload: {
        channel: 'email',
        address: `thisinh${i + j}@example.vn`,
        message: { subject: 'Đã nhận hồ sơ đăng ký dự thi / Registration received', text: 'Hồ sơ đăng ký dự thi của bạn đã được nộp. / Your registration was submitted.' },
      },
    }));
    await db.write((trx) => enqueueJobs(trx, list, now));
  }
  const provider = values.provider === 'none' ? new NoneProvider() : new FileProvider(path.join(dir, 'outbox.log'));
  const worker = new JobWorker(db, [renderedMessageKind(provider)], [], () => new Date(), pino({ level: 'silent' }), { drainPauseMs: Number(values.pause) });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  worker.start();
  while ((await jobDepth(db.read)).pending > 0) await new Promise((r) => setTimeout(r, 50));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await worker.stop();
  const dead = (await jobDepth(db.read)).dead;
  process.stdout.write(
    `${n} jobs (${values.provider}, ${values.db}, pause ${values.pause} ms) in ${(wall / 1000).toFixed(2)} s: ${Math.round((n * 1000) / wall)}/s, ` +
      `${Math.round((cpu.user + cpu.system) / n)} µs of CPU per job${dead ? `, ${dead} given up` : ''}\n`,
  );
  if (dead) process.exitCode = 1;
} finally {
  await db.close();
  await copy.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}

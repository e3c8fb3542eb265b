// How fast the job worker drains a backlog of identity checks against the population database simulator
// (a real process), on SQLite or PostgreSQL, with the worker paced as beside the web service (100 ms between
// full batches) or as a worker-only process (no pause). No request mix runs meanwhile: this is the drain
// rate alone. Each check reads its candidate, calls the simulator and writes the check (and a flag for an
// unknown number) in one write.
//   node --import tsx test/load/links-drain.ts [--jobs 5000] [--db sqlite|postgres] [--pause 100]
import { parseArgs } from 'node:util';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createTestDb } from '../helpers/db.ts';
import { spawnSim } from '../../src/sims/shared/spawn.ts';
import { loadConfig } from '../../src/server/config.ts';
import { insertOrgUnits, orgIdForCode } from '../../src/server/org/org.repository.ts';
import { insertCandidates, type NewCandidate } from '../../src/server/candidates/candidates.repository.ts';
import { insertUsers, type NewUser } from '../../src/server/accounts/users.repository.ts';
import { enqueueJobs } from '../../src/server/jobs/jobs.repository.ts';
import { JobWorker } from '../../src/server/jobs/worker.ts';
import { identityCheckJob, linkJobKinds, LINK_JOB_KINDS } from '../../src/server/integrations/pipeline.ts';
import { pendingByKind } from '../../src/server/jobs/jobs.repository.ts';
import { newId } from '../../src/server/ids.ts';
import { insertExamYear } from '../../src/server/exam-years/exam-years.repository.ts';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '5000' }, db: { type: 'string', default: 'sqlite' }, pause: { type: 'string', default: '100' } } });
const n = Number(values.jobs);
const kind = values.db === 'postgres' ? 'postgres' : 'sqlite';
const log = pino({ level: 'silent' });
const t = await createTestDb(kind);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-drain-'));
const sim = await spawnSim('population', { dataDir });
try {
  const now = new Date();
  await t.db.write(async (trx) => {
    await insertOrgUnits(
      trx,
      [
        { kind: 'ministry', code: 'BGD', name: 'Bộ GD&ĐT', parentId: null, departmentCode: null },
        { kind: 'department', code: '01', name: 'Sở GD&ĐT Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
        { kind: 'point', code: '01001', name: 'Trường THPT Chu Văn An', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
      ],
      now,
    );
    await insertExamYear(
      trx,
      {
        year: 2026,
        scheme: 'CT2018',
        published: true,
        windows: {
          accountIssuing: { from: '2026-04-10', to: '2026-04-15' },
          trial: { from: '2026-04-15', to: '2026-04-18', closesAt: '17:00' },
          official: { from: '2026-04-21', to: '2026-04-28', closesAt: '17:00' },
          correction: { from: '2026-04-28', opensAt: '17:00', to: '2026-05-09', closesAt: '17:00' },
        },
      },
      now,
    );
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const users: NewUser[] = [];
    const cands: NewCandidate[] = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const userId = newId();
      const cccd = `001208${String(200000 + j).padStart(6, '0')}`;
      users.push({ id: userId, username: cccd, role: 'candidate' as const, orgUnitId: orgIdForCode('01001'), displayName: 'Thí sinh', passwordHash: null, mustChangePassword: true });
      const id = newId();
      ids.push(id);
      cands.push({ id, userId, examYear: 2026, pointId: orgIdForCode('01001'), departmentCode: '01', idKind: 'cccd', idNumber: cccd, fullName: 'Nguyễn Văn Thử', gender: 'M', dateOfBirth: '2008-01-01', birthProvince: '01', className: '12A1', candidateType: 'current' });
    }
    await t.db.write(async (trx) => {
      await insertUsers(trx, users, now);
      await insertCandidates(trx, cands, now);
      await enqueueJobs(trx, cands.map((c) => identityCheckJob(c.id, null, 'recheck', `bench:${c.id}`)), now);
    });
  }
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite:unused', POPULATION_URL: sim.url, LINK_TIMEOUT_MS: '5000' });
  const s = { config, db: t.db, clock: () => new Date(), log };
  const worker = new JobWorker(t.db, linkJobKinds(s), [], s.clock, log, { drainPauseMs: Number(values.pause), pollMs: 200 });
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  worker.start();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const left = (await pendingByKind(t.db.read, [LINK_JOB_KINDS.check]))[LINK_JOB_KINDS.check] ?? 0;
    if (left === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const cpu = process.cpuUsage(cpu0);
  const checks = await t.db.read.selectFrom('identity_checks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  process.stdout.write(
    `${JSON.stringify({ db: kind, jobs: n, pauseMs: Number(values.pause), seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(n / seconds), checksStored: Number(checks.n), appCpuMsPerJob: Math.round(((cpu.user + cpu.system) / 1000 / n) * 100) / 100 })}\n`,
  );
} finally {
  await sim.stop();
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// `npm run links -- recheck --year 2026 [--restart]`: queue an identity check of every candidate of the
// year against the population database (resumable: run it again after a stop and it goes on from where it
// was), and report the counts so far. Run it again later to see the outcomes as the worker makes them.
// `npm run links -- reconcile --year 2026 [--restart]`: compare each dossier with the portal and queue a
// new push of those that differ (resumable too). The jobs run in the service's worker (npm start).
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb } from '../server/db/create-db.ts';
import { createLogger } from '../server/logger.ts';
import { systemClock } from '../server/context.ts';
import { currentExamYear } from '../server/exam-years/exam-years.repository.ts';
import { integrationsRuntime } from '../server/integrations/runtime.ts';
import { loadPortalStatusMap } from '../server/integrations/portal/status-map.ts';
import { recheckYear, reconcilePortal } from '../server/integrations/commands.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { year: { type: 'string' }, restart: { type: 'boolean', default: false } } });
const command = positionals[0];
if (command !== 'recheck' && command !== 'reconcile') {
  process.stderr.write('Dùng / usage: npm run links -- recheck|reconcile [--year 2026] [--restart]\n');
  process.exit(2);
}

try {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const db = await createDb({ url: config.DATABASE_URL, poolSize: 2, sqliteSynchronous: config.SQLITE_SYNCHRONOUS, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  try {
    const year = values.year ? Number(values.year) : (await currentExamYear(db.read))?.year;
    if (!year || !Number.isInteger(year)) throw new Error('không có kỳ thi / no exam year: pass --year');
    if (command === 'recheck') {
      const r = await recheckYear(db, year, systemClock, { restart: values.restart });
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    } else {
      const rt = integrationsRuntime({ config, db, clock: systemClock, log });
      if (!rt.portal) throw new Error('PORTAL_URL chưa được cấu hình / PORTAL_URL is not set');
      const r = await reconcilePortal(db, rt.portal, () => loadPortalStatusMap(db.read), year, systemClock, log, { restart: values.restart });
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    }
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Lỗi / failed: ${(e as Error).message}`}\n`);
  process.exit(1);
}

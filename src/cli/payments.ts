// `npm run payments -- reconcile --date 2026-07-16`: compare the day's admission-fee payments with the
// payment gateway's statement; a payment missing here is applied, what differs is listed (and flagged on
// the ministry's payments page). `npm run payments -- mark-unpaid [--year 2026]`: after a payment group's
// window has closed, its open orders expire and its wishes not paid are marked unpaid (left out of the
// matching run); once per group. The worker does both on its own every hour (start-worker.ts).
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb } from '../server/db/create-db.ts';
import { systemClock } from '../server/context.ts';
import { paymentGateway } from '../server/payments/gateway-client.ts';
import { localDay, markUnpaid, reconcileDay } from '../server/payments/payments.service.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { date: { type: 'string' }, year: { type: 'string' } } });
const command = positionals[0];
if (command !== 'reconcile' && command !== 'mark-unpaid') {
  process.stderr.write('Dùng / usage: npm run payments -- reconcile --date YYYY-MM-DD | mark-unpaid [--year 2026]\n');
  process.exit(2);
}

try {
  const config = loadConfig();
  const db = await createDb({ url: config.DATABASE_URL, poolSize: 2, sqliteSynchronous: config.SQLITE_SYNCHRONOUS, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  try {
    if (command === 'reconcile') {
      const day = values.date ?? localDay(new Date(systemClock().getTime() - 86_400_000));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error('--date phải là YYYY-MM-DD / --date must be YYYY-MM-DD');
      const gateway = paymentGateway(config);
      if (!gateway) throw new Error('PAYMENT_URL, PAYMENT_MERCHANT_CODE, PAYMENT_SECRET chưa được cấu hình / are not set');
      const r = await reconcileDay(db, gateway, day, systemClock());
      process.stdout.write(`${JSON.stringify({ day: r.statement_day, gatewayLines: r.gateway_lines, fixed: r.fixed, flagged: r.flagged, differences: JSON.parse(r.differences) as unknown }, null, 2)}\n`);
    } else {
      const r = await markUnpaid(db, systemClock(), values.year ? Number(values.year) : undefined);
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    }
  } finally {
    await db.close();
  }
} catch (e) {
  const b = e as { vi?: string; en?: string; message: string };
  process.stderr.write(`${e instanceof ConfigError ? e.message : `Lỗi / failed: ${b.vi && b.en ? `${b.vi} / ${b.en}` : b.message}`}\n`);
  process.exit(1);
}

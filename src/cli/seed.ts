// `npm run seed -- --candidates N --seed S [--database-url URL] [--year Y] [--reset]`: a deterministic
// synthetic country for benchmarks and demos. Prints one line of JSON (timings, rows/s, peak memory)
// and one line for people.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb, describeUrl } from '../server/db/create-db.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadReferenceData } from '../server/reference/reference.repository.ts';
import { MAX_CANDIDATES } from '../server/seed/generate.ts';
import { runSeed, SeedRefusedError } from '../server/seed/run-seed.ts';

const USAGE =
  'Cách dùng / usage: npm run seed -- --candidates N --seed S [--database-url URL] [--year 2025] [--reset]';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** A whole number ≥ 1 written in digits; anything else (1e3, 12.5, -3, "abc") is refused. */
function positiveInt(name: string, raw: string | undefined, max: number): number {
  if (raw === undefined) fail(`Thiếu --${name} / --${name} is required\n${USAGE}`);
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    fail(`--${name} phải là số nguyên dương (1–${max}), nhận được "${raw}" / --${name} must be a positive integer (1–${max}), got "${raw}"\n${USAGE}`);
  }
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      candidates: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      year: { type: 'string', default: '2025' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ / invalid arguments: ${(e as Error).message}\n${USAGE}`);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const candidates = positiveInt('candidates', args.candidates, MAX_CANDIDATES);
const seed = positiveInt('seed', args.seed, 2 ** 31 - 1);
const year = positiveInt('year', args.year, 2100);
if (year < 2000) fail(`--year phải từ 2000 / --year must be 2000 or later, got ${year}`);

let url = args['database-url'];
if (!url) {
  try {
    url = loadConfig().DATABASE_URL;
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e));
  }
}

const started = process.hrtime.bigint();
let db;
try {
  db = await createDb({ url, poolSize: 4 });
} catch (e) {
  fail((e as Error).message, 1);
}
try {
  await migrate(db.writer, db.dialect);
  await loadReferenceData(db.writer, new Date());
  const loadStarted = process.hrtime.bigint();
  const tty = process.stderr.isTTY;
  const r = await runSeed(db, {
    candidates,
    seed,
    year,
    reset: args.reset,
    onProgress: tty ? (done, total) => process.stderr.write(`\r${done.toLocaleString('en')} / ${total.toLocaleString('en')}`) : undefined,
  });
  if (tty) process.stderr.write('\n');
  await db.close();
  const end = process.hrtime.bigint();
  const seconds = Number(end - started) / 1e9;
  const loadSeconds = Number(end - loadStarted) / 1e9;
  const rows = r.candidates + r.users;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const report = {
    database: describeUrl(url),
    dialect: db.dialect.name,
    year,
    seed,
    candidates: r.candidates,
    users: r.users,
    orgUnitsInserted: r.orgUnitsInserted,
    examYearCreated: r.examYearCreated,
    deleted: r.deleted,
    seconds: Number(seconds.toFixed(2)),
    loadSeconds: Number(loadSeconds.toFixed(2)),
    rowsPerSecond: Math.round(rows / loadSeconds),
    candidatesPerSecond: Math.round(r.candidates / loadSeconds),
    peakRssMb,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stdout.write(
    `Đã tạo ${r.candidates.toLocaleString('vi')} thí sinh năm ${year} / seeded ${r.candidates.toLocaleString('en')} candidates for ${year} ` +
      `in ${seconds.toFixed(1)} s (${report.candidatesPerSecond.toLocaleString('en')} candidates/s, ${report.rowsPerSecond.toLocaleString('en')} rows/s), peak RSS ${peakRssMb} MB\n`,
  );
} catch (e) {
  await db.close().catch(() => {});
  if (e instanceof SeedRefusedError) fail(e.message, 3);
  fail(`Tạo dữ liệu thất bại / seed failed: ${(e as Error).message}`, 1);
}

// `npm run seed -- --candidates N --seed S [--database-url URL] [--year Y] [--reset]
//   [--admission-candidates K] [--admission-institutions I] [--admission-programmes P]
//   [--admission-paid-share S] [--admission-no-marks]`: a deterministic synthetic country for benchmarks and
// demos: the exam season, then the admission season (by default the 2025 share of the candidates file wishes,
// at most 849,544; --admission-candidates 0 leaves it out) with their published marks and 95 % of them paid,
// so the national run can admit from it. Prints one line of JSON (timings, rows/s, peak memory) and one line
// for people.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.ts';
import { createDb, describeUrl } from '../server/db/create-db.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadReferenceData } from '../server/reference/reference.repository.ts';
import { MAX_CANDIDATES } from '../server/seed/generate.ts';
import { runSeed, SeedRefusedError } from '../server/seed/run-seed.ts';
import { defaultAdmissionCandidates } from '../server/seed/admission.ts';

const USAGE =
  'Cách dùng / usage: npm run seed -- --candidates N --seed S [--database-url URL] [--year 2025] [--reset]\n' +
  '  [--admission-candidates K (0: none)] [--admission-institutions I] [--admission-programmes P]\n' +
  '  [--admission-paid-share 0.95 (0: no fees paid)] [--admission-no-marks]';

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
      'admission-candidates': { type: 'string' },
      'admission-institutions': { type: 'string' },
      'admission-programmes': { type: 'string' },
      'admission-paid-share': { type: 'string' },
      'admission-no-marks': { type: 'boolean', default: false },
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
const admissionCandidates =
  args['admission-candidates'] === undefined
    ? defaultAdmissionCandidates(candidates)
    : args['admission-candidates'].trim() === '0'
      ? 0
      : positiveInt('admission-candidates', args['admission-candidates'], candidates);
const admissionInstitutions = args['admission-institutions'] === undefined ? undefined : positiveInt('admission-institutions', args['admission-institutions'], 999);
const admissionProgrammes = args['admission-programmes'] === undefined ? undefined : positiveInt('admission-programmes', args['admission-programmes'], 200_000);
let admissionPaidShare: number | undefined;
if (args['admission-paid-share'] !== undefined) {
  const raw = args['admission-paid-share'].trim();
  admissionPaidShare = /^(0(\.\d+)?|1(\.0+)?)$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(admissionPaidShare)) fail(`--admission-paid-share phải từ 0 đến 1, nhận được "${raw}" / --admission-paid-share must be between 0 and 1, got "${raw}"\n${USAGE}`);
}

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
    admission:
      admissionCandidates > 0
        ? {
            candidates: admissionCandidates,
            ...(admissionInstitutions ? { institutions: admissionInstitutions } : {}),
            ...(admissionProgrammes ? { programmes: admissionProgrammes } : {}),
            ...(admissionPaidShare !== undefined ? { paidShare: admissionPaidShare } : {}),
            marks: !args['admission-no-marks'],
          }
        : null,
    onAdmissionProgress: tty ? (done, total) => process.stderr.write(`\rnguyện vọng / wishes ${done.toLocaleString('en')} / ~${total.toLocaleString('en')}`) : undefined,
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
    admission: r.admission,
    seconds: Number(seconds.toFixed(2)),
    loadSeconds: Number(loadSeconds.toFixed(2)),
    // the exam season's rates over its own load; the admission season's over its own
    rowsPerSecond: Math.round(rows / r.candidateSeconds),
    candidatesPerSecond: Math.round(r.candidates / r.candidateSeconds),
    ...(r.admission ? { admissionSeconds: r.admission.seconds, wishesPerSecond: Math.round(r.admission.wishes / r.admission.seconds) } : {}),
    peakRssMb,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stdout.write(
    `Đã tạo ${r.candidates.toLocaleString('vi')} thí sinh năm ${year} / seeded ${r.candidates.toLocaleString('en')} candidates for ${year} ` +
      `in ${seconds.toFixed(1)} s (${report.candidatesPerSecond.toLocaleString('en')} candidates/s, ${report.rowsPerSecond.toLocaleString('en')} rows/s), peak RSS ${peakRssMb} MB\n`,
  );
  if (r.admission) {
    const a = r.admission;
    process.stdout.write(
      `Xét tuyển / admission: ${a.institutions.toLocaleString('en')} institutions, ${a.programmes.toLocaleString('en')} programmes (published), ` +
        `${a.candidates.toLocaleString('en')} candidates with ${a.wishes.toLocaleString('en')} wishes (cap ${a.wishCap ?? 'none'}); ` +
        `${a.paidCandidates.toLocaleString('en')} candidates paid (${a.paidWishes.toLocaleString('en')} wishes, share ${a.paidShare}); ` +
        `${a.marks.toLocaleString('en')} published marks from ${a.publications} councils; in ${a.seconds.toFixed(1)} s\n`,
    );
  }
} catch (e) {
  await db.close().catch(() => {});
  if (e instanceof SeedRefusedError) fail(e.message, 3);
  fail(`Tạo dữ liệu thất bại / seed failed: ${(e as Error).message}`, 1);
}

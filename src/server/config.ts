// The process configuration: read from the environment once, checked with zod, frozen. Nothing else in
// the server reads process.env. A bad value stops start-up with one message naming every bad variable.
import os from 'node:os';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  /** default: http://localhost:<PORT> */
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file> or postgres://…')
    .default('sqlite:./data/ghidanh.sqlite'),
  DB_POOL_SIZE: int(1, 500).default(10),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  SQLITE_BUSY_TIMEOUT_MS: int(0, 60_000).default(5000),
  WRITE_BATCH_MAX: int(1, 10_000).default(256),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICES: z
    .string()
    .default('web,worker')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['web', 'worker'])).min(1)),
  WORKERS: int(1, 256).default(1),
  DEMO_DATA: bool.default(true),
  COOKIE_SECURE: bool.optional(),
  TRUST_PROXY: bool.default(false),
  SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: int(1, 24 * 14).default(12),
  // one more than the cores: a hash is always queued when one finishes, so no core waits for the main thread
  HASH_CONCURRENCY: int(1, 256).default(os.availableParallelism() + 1),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be redis://…').optional(),
  NOTIFY_PROVIDER: z.enum(['file', 'none']).default('file'),
  MAX_EVENT_LOOP_DELAY_MS: int(0, 10_000).default(200),
  MAX_IN_FLIGHT: int(0, 1_000_000).default(512),
  WRITE_QUEUE_MAX: int(0, 1_000_000).default(5000),
  // PDF and XLSX files are drawn on worker threads; one core is left to the event loop. 0 draws on the
  // event loop itself, which only a comparison or a CPU profile should want.
  RENDER_THREADS: int(0, 256).default(Math.max(1, os.availableParallelism() - 1)),
  RENDER_QUEUE_MAX: int(1, 100_000).default(64),
  // The national admission run's reading (and hashing) threads. 0 reads, scores and hashes on the run's
  // own thread: on a machine whose cores others are using, that is the fastest (docs/capacity.md,
  // "Admission run"); 2 when the run has two cores to itself.
  ADMISSION_RUN_THREADS: int(0, 16).default(0),
  // National links (src/server/integrations). Sign-in with VNeID: without the issuer, client and redirect
  // URL the button is hidden. The population database and the portal: without a URL the link is off.
  VNEID_ISSUER: z.url().optional(),
  VNEID_CLIENT_ID: z.string().min(1).optional(),
  VNEID_CLIENT_SECRET: z.string().min(1).optional(),
  /** default: <PUBLIC_URL>/api/auth/vneid/callback */
  VNEID_REDIRECT_URL: z.url().optional(),
  VNEID_REQUIRED_LEVEL: int(1, 2).default(2),
  POPULATION_URL: z.url().optional(),
  POPULATION_API_KEY: z.string().min(1).optional(),
  PORTAL_URL: z.url().optional(),
  PORTAL_API_KEY: z.string().min(1).optional(),
  LINK_TIMEOUT_MS: int(100, 120_000).default(5000),
  /** an answer slower than this marks the link "slow" on the operations page */
  LINK_SLOW_MS: int(1, 120_000).default(2000),
  LINK_BREAKER_FAILURES: int(1, 1000).default(5),
  LINK_BREAKER_COOLDOWN_MS: int(100, 3_600_000).default(30_000),
  /** a link's job that failed is tried again after about this, doubling up to LINK_RETRY_MAX_MS */
  LINK_RETRY_BASE_MS: int(10, 3_600_000).default(2000),
  LINK_RETRY_MAX_MS: int(10, 24 * 3_600_000).default(120_000),
  /**
   * Each kind of national-link job (identity checks, the give-back, portal updates) starts at most this
   * many runs a second per worker process (0: no limit): the national services' quotas, and a backlog
   * after an outage drains beside the last afternoon's requests without taking their CPU
   */
  LINK_RATE_PER_SECOND: int(0, 100_000).default(50),
  /**
   * The job worker beside the web service: jobs of a batch run at once (0: 2 beside the web, the whole
   * batch in a worker-only process), and the event-loop lag past which it pauses longer between batches
   * (0: never; the pause then stays at its base)
   */
  JOB_CONCURRENCY: int(0, 1000).default(0),
  JOB_YIELD_LAG_MS: int(0, 10_000).default(20),
  /**
   * A national link's job (redoable: done again to the same effect if its record is lost) holds its last
   * write up to this many ms for the others of its batch, so that several commit together (0: each at
   * once): on SQLite a worker process then takes the one write lock once for several jobs instead of once
   * each; on PostgreSQL the batch's finishes of one shape are one statement (one round trip, one commit).
   */
  JOB_GATHER_MS: int(0, 5_000).default(400),
  /**
   * A process that is only the job worker (SERVICES=worker) lowers its own CPU priority to this nice value
   * (0: leaves it), so on a machine the web shares with it the web's requests are scheduled first and the
   * backlog drains on the time they leave. Only raised, never lowered (which would need privileges).
   */
  WORKER_NICE: int(0, 19).default(10),
  // Staff second factor (src/server/mfa). The roles that must sign in with TOTP; the others may enrol.
  // AUTH_SECRET_KEY (32+ bytes, base64 or hex) seals TOTP secrets and signs the sign-in challenge and the
  // known-device cookies; unset, a key file is created once in DATA_DIR (mode 0600).
  // Unset: ministry and department officers must, except in the demo (DEMO_DATA=true), where the printed
  // demo logins must let a newcomer in with a password alone (two-step verification is offered there).
  // 'none' for no role. Empty strings count as unset.
  MFA_REQUIRED_ROLES: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x && x !== 'none')))
    .pipe(z.array(z.enum(['ministry_admin', 'department_officer', 'point_officer', 'support_agent', 'admissions_officer'])).optional()),
  AUTH_SECRET_KEY: z.string().min(43, 'must be at least 32 bytes (base64 or hex)').optional(),
  /** days a known-device cookie lets its account's owner past the account-wide sign-in lock */
  KNOWN_DEVICE_DAYS: int(1, 400).default(90),
  /** a scraper sends `Authorization: Bearer <token>` to read /metrics; without it only an operator's session can */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  // public results look-ups an address may make a minute in one process (a class behind one NAT address)
  RESULTS_LOOKUPS_PER_MINUTE: int(1, 1_000_000_000).default(120),
  // The payment gateway of the admission fees (src/server/payments; VNPAY-shaped): its URL, the merchant
  // code it gave us and the shared secret of its HMAC-SHA512 signatures. Without all three the candidates'
  // pay button says payments are not open. The return URL defaults to <PUBLIC_URL>/candidate/fees/return.
  PAYMENT_URL: z.url().optional(),
  PAYMENT_MERCHANT_CODE: z.string().regex(/^[A-Za-z0-9]{4,16}$/, '4–16 letters and digits').optional(),
  PAYMENT_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PAYMENT_RETURN_URL: z.url().optional(),
  PAYMENT_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /**
   * Outside the demo, the national links (VNEID_ISSUER, POPULATION_URL, PORTAL_URL) must be https and a
   * PostgreSQL DATABASE_URL off this machine must ask for TLS (sslmode=require, verify-ca or verify-full).
   * true turns the check off, on purpose (a closed test network, a link behind a TLS-terminating proxy on
   * the same host).
   */
  ALLOW_INSECURE_LINKS: bool.default(false),
});

type StaffRole = 'ministry_admin' | 'department_officer' | 'point_officer' | 'support_agent' | 'admissions_officer';
export type Config = Readonly<Omit<z.infer<typeof schema>, 'COOKIE_SECURE' | 'PUBLIC_URL' | 'MFA_REQUIRED_ROLES'> & { COOKIE_SECURE: boolean; PUBLIC_URL: string; MFA_REQUIRED_ROLES: readonly StaffRole[] }>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const LINK_SETTINGS = ['VNEID_ISSUER', 'POPULATION_URL', 'PORTAL_URL'] as const;
const SSL_MODES = new Set(['require', 'verify-ca', 'verify-full']);

/** The PostgreSQL URL without its password, for a message. */
function shownDbUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Whether a PostgreSQL URL reaches the database on this machine (a loopback address or a Unix socket). */
function localPostgres(u: URL): boolean {
  const host = decodeURIComponent(u.hostname).replace(/^\[|\]$/g, '');
  const socketParam = u.searchParams.get('host');
  if (host === '' || host.startsWith('/') || host.startsWith('%2F')) return socketParam === null || socketParam.startsWith('/');
  if (socketParam !== null) return socketParam.startsWith('/');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}

/**
 * Outside the demo, personal data must not cross the network in clear: the national links must be https and
 * a PostgreSQL server on another machine must be reached with TLS. One message per setting, in both languages.
 */
function insecureLinks(c: z.infer<typeof schema>): string[] {
  if (c.DEMO_DATA || c.ALLOW_INSECURE_LINKS) return [];
  const problems: string[] = [];
  for (const name of LINK_SETTINGS) {
    const v = c[name];
    if (v && !v.toLowerCase().startsWith('https:')) {
      problems.push(
        `${name}=${JSON.stringify(v)}: phải dùng https:// khi DEMO_DATA=false (dữ liệu cá nhân không được truyền không mã hoá); đặt ALLOW_INSECURE_LINKS=true nếu cố ý / must be https:// when DEMO_DATA=false (personal data must not travel in clear); set ALLOW_INSECURE_LINKS=true to allow it on purpose`,
      );
    }
  }
  if (/^postgres(ql)?:/.test(c.DATABASE_URL)) {
    let u: URL | null = null;
    try {
      u = new URL(c.DATABASE_URL);
    } catch {
      u = null;
    }
    const mode = u?.searchParams.get('sslmode') ?? null;
    if (!u || (!localPostgres(u) && !(mode && SSL_MODES.has(mode)))) {
      problems.push(
        `DATABASE_URL=${JSON.stringify(shownDbUrl(c.DATABASE_URL))}: máy chủ PostgreSQL ở máy khác phải dùng TLS, thêm ?sslmode=verify-full (hoặc require, verify-ca) khi DEMO_DATA=false; đặt ALLOW_INSECURE_LINKS=true nếu cố ý / a PostgreSQL server on another machine must be reached with TLS: add ?sslmode=verify-full (or require, verify-ca) when DEMO_DATA=false; set ALLOW_INSECURE_LINKS=true to allow it on purpose`,
      );
    }
  }
  return problems;
}

/** Parse a configuration from an environment-like record (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(problems);
  }
  const c = parsed.data;
  const insecure = insecureLinks(c);
  if (insecure.length > 0) throw new ConfigError(insecure);
  // Where people reach the service; without it, this machine on the port it listens on.
  const publicUrl = c.PUBLIC_URL ?? `http://localhost:${c.PORT}`;
  // Cookies are Secure unless the service is deliberately served over plain http (a local demo).
  const cookieSecure = c.COOKIE_SECURE ?? publicUrl.startsWith('https:');
  const mfaRoles: StaffRole[] = c.MFA_REQUIRED_ROLES ?? (c.DEMO_DATA ? [] : ['ministry_admin', 'department_officer']);
  return Object.freeze({ ...c, MFA_REQUIRED_ROLES: Object.freeze(mfaRoles) as StaffRole[], PUBLIC_URL: publicUrl, SERVICES: Object.freeze([...c.SERVICES]) as unknown as typeof c.SERVICES, COOKIE_SECURE: cookieSecure });
}

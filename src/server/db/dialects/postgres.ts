// PostgreSQL through node-postgres: one pool, sized by config, shared by reads and writes.
import pg from 'pg';
import { PostgresDialect, sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { DialectAdapter } from './types.ts';
import { statementNameFor } from '../prepared.ts';
import { unitStatementNameFor } from '../write-unit.ts';
import { bulkLoadPostgres } from './bulk-postgres.ts';
import { queryNamed } from './pg-named-query.ts';

// bigint counts come back as strings by default; every count here fits in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** An arbitrary constant: the advisory lock of "ghidanh migrations". */
const MIGRATIONS_LOCK_KEY = 7_406_021;

export function postgresAdapter(opts: { url: string; poolSize: number; applicationName?: string | undefined }): DialectAdapter {
  const pool = new pg.Pool({
    connectionString: opts.url,
    // what pg_stat_activity shows for these connections: the operator tells the web's from the worker's
    ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
    max: opts.poolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // The hot path's prepared queries run as named statements: PostgreSQL parses and plans each once per
  // connection instead of on every call (src/server/db/prepared.ts decides which texts qualify).
  const named = new WeakSet<pg.PoolClient>();
  const dialect = new PostgresDialect({
    pool: {
      async connect() {
        const client = await pool.connect();
        if (!named.has(client)) {
          named.add(client);
          const query = client.query.bind(client) as (...a: unknown[]) => unknown;
          (client as unknown as { query: (...a: unknown[]) => unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
            const name = typeof text === 'string' ? (statementNameFor(text) ?? unitStatementNameFor(text)) : undefined;
            if (!name) return query(text, values, ...rest);
            // a named statement, with its row shape kept (pg-named-query.ts); a callback-style call is pg's own
            return rest.length === 0 ? queryNamed(client, name, text as string, values) : query({ name, text, values }, ...rest);
          };
        }
        return client;
      },
      end: () => pool.end(),
    },
  });
  return {
    name: 'postgres',
    readDialect: dialect,
    writeDialect: dialect,
    async init(read: Kysely<DB>) {
      await sql`select 1`.execute(read);
    },
    isUniqueViolation: (err) => (err as { code?: string } | null)?.code === '23505',
    // serialization failure, deadlock, lock not available, too many connections
    isBusy: (err) => ['40001', '40P01', '55P03', '53300'].includes((err as { code?: string } | null)?.code ?? ''),
    async close() {},
    unitMode: 'combined',
    embedded: false,
    lockSkipping: (q) => q.forUpdate().skipLocked() as typeof q,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async lockMigrations(trx) {
      await sql`select pg_advisory_xact_lock(${MIGRATIONS_LOCK_KEY})`.execute(trx);
    },
    bulkLoad: bulkLoadPostgres,
  };
}

// Opens the database named by a URL (sqlite:<file> or postgres://…) and returns the read handle, the
// write path (group commit on SQLite, the pool on PostgreSQL) and a close that waits for queued writes.
import { Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';
import type { DialectAdapter } from './dialects/types.ts';
import { sqliteAdapter, sqliteReaderDialect } from './dialects/sqlite.ts';
import { postgresAdapter } from './dialects/postgres.ts';
import { GroupCommitQueue, type WriteJob, type WriteStats } from './write-queue.ts';
import { closeScope, openScope } from './end-of-transaction.ts';
import { applyUnitCombined, applyUnitInWrite, applyUnitsCombined, unitKey, type WriteUnit } from './write-unit.ts';

export interface DbOptions {
  url: string;
  poolSize?: number;
  /** PostgreSQL: the connections' application_name (the process's roles), seen in pg_stat_activity */
  applicationName?: string;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
  writeBatchMax?: number;
  /** SQLite: the WAL checkpointed on a thread of its own every this many ms (a long-running service); unset: SQLite's own */
  sqliteCheckpointEveryMs?: number;
}

export interface WriteOptions {
  alone?: boolean;
  relaxed?: boolean;
}

export interface Db {
  readonly dialect: DialectAdapter;
  /** The URL it was opened with (a worker thread opens its own connection to the same database). */
  readonly url: string;
  /** For reads. On SQLite a separate connection that never waits for the writer. */
  readonly read: Kysely<DB>;
  /**
   * Runs `fn` in a write transaction; resolves only after that transaction has committed. On SQLite it
   * shares the transaction with other writes (group commit) unless `alone`. `relaxed`: what it writes is
   * done again, harmlessly, if lost (a job's lease, a link job's record; see WriteUnit's `relaxed`), so its
   * commit need not wait for the disk.
   */
  write<T>(fn: WriteJob<T>, opts?: WriteOptions): Promise<T>;
  /**
   * Applies a write unit (write-unit.ts): true when its primary statement changed a row (and every other
   * part was written with it), false when it changed nothing (and nothing was written). Committed when it
   * resolves.
   */
  apply(unit: WriteUnit): Promise<boolean>;
  /**
   * Applies several units that change different rows (a job batch's finishes, one job per ordering key),
   * in as few commits as it can: on SQLite they join one group commit; on PostgreSQL the units of one shape
   * are one statement (write-unit.ts's applyUnitsCombined), and a statement that fails is tried again unit
   * by unit, so that one unit's failure is its own. Each unit's outcome as apply's, settled on its own.
   */
  applyEach(units: readonly WriteUnit[]): Promise<Array<PromiseSettledResult<boolean>>>;
  /** The raw writer, for migrations and maintenance (seed, wipes) that own their transactions. */
  readonly writer: Kysely<DB>;
  writeStats(): WriteStats;
  close(): Promise<void>;
}

export function describeUrl(url: string): string {
  // never print a password
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

export async function createDb(opts: DbOptions): Promise<Db> {
  let adapter: DialectAdapter;
  if (opts.url.startsWith('sqlite:')) {
    adapter = sqliteAdapter({
      file: opts.url.slice('sqlite:'.length),
      synchronous: opts.sqliteSynchronous ?? 'FULL',
      busyTimeoutMs: opts.busyTimeoutMs ?? 5000,
      ...(opts.sqliteCheckpointEveryMs ? { checkpointEveryMs: opts.sqliteCheckpointEveryMs } : {}),
    });
  } else if (/^postgres(ql)?:\/\//.test(opts.url)) {
    adapter = postgresAdapter({ url: opts.url, poolSize: opts.poolSize ?? 10, applicationName: opts.applicationName });
  } else {
    throw new Error(`DATABASE_URL must be sqlite:<file> or postgres://…, got ${describeUrl(opts.url)}`);
  }

  const writer = new Kysely<DB>({ dialect: adapter.writeDialect });
  const read = adapter.readDialect === adapter.writeDialect ? writer : new Kysely<DB>({ dialect: adapter.readDialect });
  try {
    await adapter.init(read, writer);
  } catch (e) {
    await writer.destroy().catch(() => {});
    if (read !== writer) await read.destroy().catch(() => {});
    throw new Error(`Không kết nối được cơ sở dữ liệu / cannot reach the database ${describeUrl(opts.url)}: ${(e as Error).message}`, {
      cause: e,
    });
  }

  let write: <T>(fn: WriteJob<T>, opts?: WriteOptions) => Promise<T>;
  let writeStats: () => WriteStats;
  let inFlight = 0;
  if (adapter.name === 'sqlite') {
    const setWait = adapter.setWriterBusyTimeout?.bind(adapter);
    // another process's commit is waited for on a timer, not in SQLite's busy handler (which sleeps on the event loop)
    const queue = new GroupCommitQueue(writer, opts.writeBatchMax ?? 256, setWait ? { timeoutMs: opts.busyTimeoutMs ?? 5000, isBusy: (e) => adapter.isBusy(e), setBusyTimeout: setWait } : null, opts.sqliteSynchronous ?? 'FULL');
    write = (fn, o) => queue.run(fn, o);
    writeStats = () => queue.snapshot();
  } else {
    let jobs = 0;
    const relax = sql`set local synchronous_commit to off`;
    write = async (fn, o) => {
      inFlight += 1;
      try {
        const r = await writer.transaction().execute(async (trx) => {
          if (o?.relaxed) await relax.execute(trx);
          const scope = openScope(trx, { combine: true });
          try {
            const value = await fn(trx);
            await scope.flush(trx);
            return value;
          } finally {
            closeScope(trx);
          }
        });
        jobs += 1;
        return r;
      } finally {
        inFlight -= 1;
      }
    };
    writeStats = () => ({ depth: inFlight, batches: jobs, jobs, lastBatchSize: 1 });
  }

  const apply =
    adapter.unitMode === 'combined'
      ? async (unit: WriteUnit) => {
          inFlight += 1;
          try {
            return await applyUnitCombined(writer, unit);
          } finally {
            inFlight -= 1;
          }
        }
      : (unit: WriteUnit) => write((trx) => applyUnitInWrite(trx, unit), { relaxed: unit.relaxed === true });

  /** at most this many units in one statement (a batch of the worker is 20 by default) */
  const COMBINED_MAX = 32;
  const applyEach =
    adapter.unitMode === 'combined'
      ? async (units: readonly WriteUnit[]) => {
          const out: Array<PromiseSettledResult<boolean>> = new Array(units.length);
          const groups = new Map<string, number[]>();
          units.forEach((u, i) => {
            // work merged at commit (counters) is shared by every write: such a unit goes alone
            const key = u.atCommit?.length ? `alone:${i}` : unitKey(u);
            const g = groups.get(key);
            if (g) g.push(i);
            else groups.set(key, [i]);
          });
          const settle = async (i: number) => {
            try {
              out[i] = { status: 'fulfilled', value: await apply(units[i]!) };
            } catch (reason) {
              out[i] = { status: 'rejected', reason };
            }
          };
          // one statement at a time: a batch's finishes are background work, never a burst
          for (const all of groups.values()) {
            for (let at = 0; at < all.length; at += COMBINED_MAX) {
              const idx = all.slice(at, at + COMBINED_MAX);
              if (idx.length === 1) {
                await settle(idx[0]!);
                continue;
              }
              inFlight += 1;
              let changed: boolean[] | null = null;
              try {
                changed = await applyUnitsCombined(
                  writer,
                  idx.map((i) => units[i]!),
                );
              } catch {
                changed = null;
              } finally {
                inFlight -= 1;
              }
              if (changed) idx.forEach((i, k) => (out[i] = { status: 'fulfilled', value: changed![k]! }));
              else for (const i of idx) await settle(i);
            }
          }
          return out;
        }
      : (units: readonly WriteUnit[]) => Promise.allSettled(units.map((u) => apply(u)));

  let closed = false;
  return {
    apply,
    applyEach,
    dialect: adapter,
    url: opts.url,
    read,
    writer,
    write,
    writeStats,
    async close() {
      if (closed) return;
      closed = true;
      // Let queued writes finish: every acknowledged write must be committed before the handle goes.
      for (let i = 0; i < 200 && writeStats().depth > 0; i++) await new Promise((r) => setTimeout(r, 25));
      await adapter.close();
      if (read !== writer) await read.destroy();
      await writer.destroy();
    },
  };
}

/**
 * A read-only handle of its own to the database at `url`, for a worker thread that reads beside the
 * process's own handle (the admission run's readers): no writer, nothing done at close but closing.
 */
export function openReader(url: string, poolSize = 2): Kysely<DB> {
  if (url.startsWith('sqlite:')) return new Kysely<DB>({ dialect: sqliteReaderDialect(url.slice('sqlite:'.length), 5000) });
  return new Kysely<DB>({ dialect: postgresAdapter({ url, poolSize }).readDialect });
}

/** A cheap round trip for readiness checks. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db.read);
}

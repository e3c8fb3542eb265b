// What differs between the embedded SQLite database and PostgreSQL, in one interface. Nothing outside
// db/dialects asks which database it is on.
import type { Dialect, Kysely, SelectQueryBuilder } from 'kysely';
import type { DB } from '../schema.ts';
import type { BulkOptions, BulkTarget } from './bulk.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectAdapter {
  readonly name: DialectName;
  /** Kysely dialect for reads (SQLite: its own WAL reader connection; PostgreSQL: the pool). */
  readonly readDialect: Dialect;
  /** Kysely dialect for writes (SQLite: the single writer connection; PostgreSQL: the same pool). */
  readonly writeDialect: Dialect;
  /** Runs once after the Kysely instances exist: pragmas, a first round-trip to fail fast. */
  init(read: Kysely<DB>, write: Kysely<DB>): Promise<void>;
  isUniqueViolation(err: unknown): boolean;
  /** A transient lock/contention error that a retry (or a 503 with Retry-After) answers. */
  isBusy(err: unknown): boolean;
  /** Connections to close at shutdown, beyond what Kysely's destroy() closes. */
  close(): Promise<void>;
  /**
   * How a write unit (write-unit.ts) reaches the database: 'combined', one statement outside any explicit
   * transaction (PostgreSQL: one round trip); 'stepwise', statement by statement inside a write (SQLite's
   * group commit, where a statement costs no round trip).
   */
  readonly unitMode: 'combined' | 'stepwise';
  /**
   * Whether the database's own work runs on this process's threads (SQLite, embedded) or in a server of its
   * own (PostgreSQL): a bulk write to a server leaves this process waiting, free for other work meanwhile.
   */
  readonly embedded: boolean;
  /** A claim's select, made to skip rows other workers hold (FOR UPDATE SKIP LOCKED); as is where one writer claims. */
  lockSkipping<Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q;
  /** Pool figures for /metrics. */
  poolStats(): { total: number; idle: number; waiting: number };
  /** Held by a migration's transaction so that processes starting at once apply each migration once. */
  lockMigrations(trx: Kysely<any>): Promise<void>;
  /**
   * The writer connection's own wait for another connection's write lock, in ms (SQLite: its busy timeout,
   * spent sleeping in the calling thread); absent where writers do not wait on a file lock (PostgreSQL).
   */
  setWriterBusyTimeout?(ms: number): void;
  /** Loads items (one row per target each) in batches of one transaction; returns the items loaded. */
  bulkLoad<T>(write: Kysely<DB>, targets: ReadonlyArray<BulkTarget<T>>, items: Iterator<T>, o: BulkOptions): Promise<number>;
}

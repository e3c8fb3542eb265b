// What differs between the embedded SQLite database and PostgreSQL, in one interface. Nothing outside
// db/dialects asks which database it is on.
import type { Dialect, Kysely } from 'kysely';
import type { DB } from '../schema.ts';

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
  /** Pool figures for /metrics. */
  poolStats(): { total: number; idle: number; waiting: number };
}

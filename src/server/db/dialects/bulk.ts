// Bulk loading (the seed's millions of rows) is the one write that bypasses Kysely's builder: each
// dialect loads rows its fastest way. A `BulkTarget` names a table and its columns; a loaded item gives
// one row per target, and each batch of items is written in one transaction.
export interface BulkTarget<T> {
  readonly table: string;
  readonly columns: ReadonlyArray<string>;
  /** PostgreSQL array element type of a column when it is not text (e.g. `int4`). */
  readonly pgTypes?: Readonly<Record<string, string>>;
  /** The target's row of one loaded item. */
  rowOf(item: T): object;
  /** The row as its values in column order, when a load of millions should not make an object per row. */
  valuesOf?(item: T): unknown[];
}

export interface BulkOptions {
  /** items per transaction */
  batchSize: number;
  /** for progress reports */
  total: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Batches written at once where the database can (PostgreSQL: each on its own connection); only for
   * rows that do not depend on one another across batches. Default 1, one after the other.
   */
  parallel?: number;
}

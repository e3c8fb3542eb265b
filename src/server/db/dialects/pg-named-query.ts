// A named statement's result shape, built once per statement instead of on every execution. node-postgres
// describes the portal on every execution, and for each row description it builds the row's empty object
// (a null-prototype object with every column, then copied) and looks up each column's parser: about 14 µs
// for a 60-column row, the candidate's session-and-dossier read, against the 0.24 ms the whole read costs
// the app. The description of a named statement is the same every time unless the schema changed, so the
// first one's shape is kept by statement name and reused while the next description has the same columns
// (name, type and format compared one by one; a changed table simply builds and keeps a new shape).
// This reaches into node-postgres's Result (fields, _parsers, _prebuiltEmptyResultObject, _types), the
// fields its own parseRow reads; when they are not there (another version), it does what pg does itself,
// and pg-named-query.test.ts compares the rows with pg's own, so an upgrade that changes them is caught.
import pg from 'pg';

interface FieldDescription {
  name: string;
  dataTypeID: number;
  format?: string;
}

/** The members of node-postgres's Result that addFields sets and parseRow reads. */
interface ResultInternals {
  fields: FieldDescription[];
  _parsers: unknown[] | undefined;
  _prebuiltEmptyResultObject: object | undefined;
  _types: unknown;
}

interface QueryInternals {
  name?: string;
  callback?: unknown;
  _result: ResultInternals;
  _accumulateRows: boolean;
  _checkForMultirow(): void;
  listeners(event: string): unknown[];
}

interface Shape {
  fields: FieldDescription[];
  parsers: unknown[];
  empty: object;
  types: unknown;
}

const shapes = new Map<string, Shape>();

function sameColumns(a: readonly FieldDescription[], b: readonly FieldDescription[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.dataTypeID !== y.dataTypeID || (x.format || 'text') !== (y.format || 'text')) return false;
  }
  return true;
}

const PgQuery = pg.Query as unknown as new (config: pg.QueryConfig) => pg.Submittable & { callback?: (err: Error | undefined, res: pg.QueryResult) => void };

/** A query of a named statement (`name` set) that reuses its statement's row shape. */
class NamedQuery extends PgQuery {
  handleRowDescription(msg: { fields: FieldDescription[] }): void {
    const self = this as unknown as QueryInternals;
    const r = self._result;
    const known = self.name ? shapes.get(self.name) : undefined;
    if (known && r && typeof self._checkForMultirow === 'function' && known.types === r._types && sameColumns(known.fields, msg.fields)) {
      self._checkForMultirow();
      const res = self._result;
      res.fields = msg.fields;
      res._parsers = known.parsers;
      res._prebuiltEmptyResultObject = known.empty;
      self._accumulateRows = Boolean(self.callback) || !self.listeners('row').length;
      return;
    }
    (PgQuery.prototype as unknown as { handleRowDescription(m: unknown): void }).handleRowDescription.call(this, msg);
    const res = self._result;
    if (self.name && res && Array.isArray(res._parsers) && res._prebuiltEmptyResultObject) {
      shapes.set(self.name, { fields: msg.fields, parsers: res._parsers, empty: res._prebuiltEmptyResultObject, types: res._types });
    }
  }
}

/** Runs a named statement on `client` with its kept row shape; resolves as client.query does. */
export function queryNamed(client: pg.PoolClient, name: string, text: string, values: unknown): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const q = new NamedQuery({ name, text, values: values as unknown[] });
    q.callback = (err, res) => (err ? reject(err) : resolve(res));
    client.query(q);
  });
}

/** The statements whose shape is kept (tests). */
export function keptShapes(): ReadonlySet<string> {
  return new Set(shapes.keys());
}

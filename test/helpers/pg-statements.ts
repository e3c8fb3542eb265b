// The SQL texts PostgreSQL receives while a piece of code runs: for tests that count round trips.
import pg from 'pg';

/** The SQL texts PostgreSQL receives while `fn` runs (every query object pg sends goes through submit). */
export async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const proto = (pg as unknown as { Query: { prototype: { submit: (...a: unknown[]) => unknown } } }).Query.prototype;
  const original = proto.submit;
  proto.submit = function (this: { text?: string }, ...args: unknown[]) {
    seen.push(this.text ?? '');
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.submit = original;
  }
  return seen;
}

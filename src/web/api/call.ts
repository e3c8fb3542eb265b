// Calls an API operation from its contract (src/contracts): the path is filled from the parameters, the
// query and body are the contract's input types, and the answer is typed as the contract's response. No
// type here is written by hand: what the server declares is what the browser gets.
import type { BodyOf, OperationShape, ParamsOf, QueryOf, ResponseOf } from '../../contracts/operation.ts';
import { api, type ApiResult, type RequestOptions } from './client.ts';

type Part<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : undefined extends T ? { [P in K]?: T } : { [P in K]: T };

/** The input of an operation: path parameters, query and body as its contract declares them. */
export type CallInput<O extends OperationShape> = Part<'params', ParamsOf<O>> & Part<'query', QueryOf<O>> & Part<'body', BodyOf<O>>;

function queryString(query: unknown): string {
  if (!query || typeof query !== 'object') return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The URL of an operation with its parameters and query (for links: a PDF, an XLSX). */
export function urlOf<O extends OperationShape>(op: O, input: { params?: unknown; query?: unknown } = {}): string {
  const params = (input.params ?? {}) as Record<string, unknown>;
  const path = op.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined || v === null) throw new Error(`${op.path}: missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
  return `${path}${queryString(input.query)}`;
}

/** Calls the operation and returns the whole result (data, status, ETag). */
export function callWith<O extends OperationShape>(op: O, input: CallInput<O>, o: Omit<RequestOptions, 'body'> = {}): Promise<ApiResult<ResponseOf<O>>> {
  const body = (input as { body?: unknown }).body;
  return api<ResponseOf<O>>(op.method, urlOf(op, input), body === undefined ? o : { ...o, body });
}

/** Calls the operation and returns its answer. */
export function call<O extends OperationShape>(op: O, input: CallInput<O>, o: Omit<RequestOptions, 'body'> = {}): Promise<ResponseOf<O>> {
  return callWith(op, input, o).then((r) => r.data);
}

// The one way the browser talks to the server. It sends the CSRF token on every write, names the version
// it edits (If-Match) and the attempt it repeats (Idempotency-Key), reads the one error shape
// { error: { code, vi, en, fields } }, and rides out a busy server: on 503 it waits for Retry-After and
// tries again (the overload guard refuses before doing anything, so a repeat is safe), and while it
// waits it tells the page, which says so kindly. A network failure (server restarting) is treated alike.
import type { Finding } from '../../domain/messages.ts';

export interface ErrorBody {
  error: { code: string; vi: string; en: string; fields?: Finding[]; details?: Record<string, unknown> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly vi: string;
  readonly en: string;
  readonly fields: Finding[];
  readonly details: Record<string, unknown>;
  readonly retryAfter: number | null;

  constructor(status: number, body: ErrorBody['error'], retryAfter: number | null = null) {
    super(body.en);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.vi = body.vi;
    this.en = body.en;
    this.fields = body.fields ?? [];
    this.details = body.details ?? {};
    this.retryAfter = retryAfter;
  }
}

export const NETWORK_ERROR = {
  code: 'NETWORK',
  vi: 'Không kết nối được máy chủ. Những gì bạn đã nhập vẫn được giữ trên máy này; xin thử lại sau ít phút.',
  en: 'Cannot reach the server. What you typed is kept on this device; please try again in a few minutes.',
};

export type ApiEvent =
  | { type: 'busy'; retryInSeconds: number; attempt: number }
  | { type: 'recovered' }
  | { type: 'unauthenticated'; code: string }
  | { type: 'activity' };

const listeners = new Set<(e: ApiEvent) => void>();
export function onApiEvent(l: (e: ApiEvent) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
function emit(e: ApiEvent): void {
  for (const l of listeners) l(e);
}

let csrfToken: string | null = null;
export function setCsrfToken(t: string | null): void {
  csrfToken = t;
}
function currentCsrf(): string | null {
  const m = /(?:^|;\s*)ghidanh_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : csrfToken;
}

export interface RequestOptions {
  body?: unknown;
  /** a FormData body (multipart upload) */
  form?: FormData;
  ifMatch?: string | number | null;
  idempotencyKey?: string;
  /** how many times to wait out a 503 or a network failure (default 4) */
  retries?: number;
  /**
   * do not repeat after a network failure: for a write whose answer cannot be had again (issuing
   * passwords: a lost answer holds the only key), a 503 is still retried since it refused before acting
   */
  noNetworkRetry?: boolean;
  signal?: AbortSignal;
  /** return the raw Response (a PDF, an image) */
  raw?: boolean;
  /** do not announce 401 to the session (sign-in itself) */
  quiet401?: boolean;
}

export interface ApiResult<T> {
  data: T;
  status: number;
  etag: string | null;
}

/** Seconds to wait, from a Retry-After header (seconds or an HTTP date), bounded to 1..60. */
export function parseRetryAfter(h: string | null): number {
  if (!h) return 2;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.min(60, Math.max(1, Math.ceil(n)));
  const at = Date.parse(h);
  return Number.isNaN(at) ? 2 : Math.min(60, Math.max(1, Math.ceil((at - Date.now()) / 1000)));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export async function api<T>(method: string, path: string, o: RequestOptions = {}): Promise<ApiResult<T>> {
  const retries = o.retries ?? 4;
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: BodyInit | undefined;
    if (o.form) body = o.form;
    else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      const csrf = currentCsrf();
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    if (o.ifMatch !== undefined && o.ifMatch !== null) headers['if-match'] = typeof o.ifMatch === 'number' ? `"${o.ifMatch}"` : o.ifMatch;
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;

    let res: Response;
    try {
      res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: o.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      if (attempt < retries && !o.noNetworkRetry) {
        const wait = Math.min(2 ** attempt * 2, 15);
        emit({ type: 'busy', retryInSeconds: wait, attempt: attempt + 1 });
        await sleep(wait * 1000, o.signal);
        continue;
      }
      throw new ApiError(0, NETWORK_ERROR);
    }
    if (res.status === 503 && attempt < retries) {
      const wait = parseRetryAfter(res.headers.get('retry-after'));
      emit({ type: 'busy', retryInSeconds: wait, attempt: attempt + 1 });
      await sleep(wait * 1000, o.signal);
      continue;
    }
    if (attempt > 0) emit({ type: 'recovered' });
    if (res.ok) {
      emit({ type: 'activity' });
      const etag = res.headers.get('etag');
      if (o.raw) return { data: res as unknown as T, status: res.status, etag };
      const text = await res.text();
      return { data: (text ? JSON.parse(text) : null) as T, status: res.status, etag };
    }
    let err: ErrorBody['error'];
    try {
      const parsed = (await res.json()) as Partial<ErrorBody>;
      err = parsed.error ?? { code: `HTTP_${res.status}`, vi: `Lỗi ${res.status}.`, en: `Error ${res.status}.` };
    } catch {
      err = { code: `HTTP_${res.status}`, vi: `Máy chủ trả lời lỗi ${res.status}.`, en: `The server answered ${res.status}.` };
    }
    const retryAfter = res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : null;
    const error = new ApiError(res.status, err, retryAfter);
    if (res.status === 401 && !o.quiet401) emit({ type: 'unauthenticated', code: error.code });
    throw error;
  }
}

export const get = <T,>(path: string, o?: RequestOptions) => api<T>('GET', path, o).then((r) => r.data);
export const post = <T,>(path: string, body?: unknown, o?: RequestOptions) => api<T>('POST', path, { ...o, body }).then((r) => r.data);

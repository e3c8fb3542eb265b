// One error type for the whole server and one table from code to HTTP status. The handler in
// error-handler.ts turns it into the JSON body the browser reads: { error: { code, vi, en, fields } }.
import type { Finding } from '../../domain/messages.ts';

export const STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  PRECONDITION_REQUIRED: 428,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorKind = keyof typeof STATUS_BY_CODE;

export interface AppErrorOptions {
  /** a more specific, stable code for clients (e.g. WINDOW_CLOSED); defaults to the kind */
  code?: string;
  fields?: Finding[];
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly vi: string;
  readonly en: string;
  readonly fields: Finding[];
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(kind: ErrorKind, vi: string, en: string, opts: AppErrorOptions = {}) {
    super(en);
    this.name = 'AppError';
    this.kind = kind;
    this.code = opts.code ?? kind;
    this.vi = vi;
    this.en = en;
    this.fields = opts.fields ?? [];
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }

  get status(): number {
    return STATUS_BY_CODE[this.kind];
  }

  static validation(fields: Finding[]): AppError {
    return new AppError('VALIDATION_FAILED', 'Thông tin chưa hợp lệ, xin kiểm tra các mục được nêu.', 'Some information is not valid; please check the fields listed.', {
      fields,
    });
  }

  static notFound(what = 'record'): AppError {
    return new AppError('NOT_FOUND', 'Không tìm thấy dữ liệu.', `Not found: ${what}.`);
  }

  static forbidden(): AppError {
    return new AppError('FORBIDDEN', 'Bạn không có quyền thực hiện thao tác này.', 'You are not allowed to do this.');
  }

  static unauthenticated(): AppError {
    return new AppError('UNAUTHENTICATED', 'Bạn cần đăng nhập.', 'Please sign in.');
  }

  static unavailable(retryAfterSeconds: number): AppError {
    return new AppError(
      'UNAVAILABLE',
      'Hệ thống đang đông, dữ liệu của bạn vẫn được giữ. Xin thử lại sau ít giây.',
      'The service is busy; your data is kept. Please try again in a few seconds.',
      { headers: { 'retry-after': String(retryAfterSeconds) } },
    );
  }
}

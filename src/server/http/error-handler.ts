// The one place that turns any thrown thing into a response. A 5xx never shows its internals; every
// body has the same shape so the browser can show the message in the chosen language.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';
import type { Finding } from '../../domain/messages.ts';

export interface ErrorBody {
  error: { code: string; vi: string; en: string; fields: Finding[]; details?: Record<string, unknown> };
}

// Messages for schema failures caught before a handler runs (types, lengths, unknown keys).
const SCHEMA_MESSAGES: Record<string, [vi: string, en: string]> = {
  invalid_type: ['Thiếu hoặc sai kiểu dữ liệu', 'Missing or of the wrong type'],
  too_big: ['Quá dài hoặc quá lớn', 'Too long or too large'],
  too_small: ['Quá ngắn, quá nhỏ hoặc còn trống', 'Too short, too small or empty'],
  unrecognized_keys: ['Có trường không được phép gửi', 'Contains fields that may not be sent'],
  invalid_format: ['Sai định dạng', 'Wrong format'],
  invalid_value: ['Giá trị không được chấp nhận', 'Value not accepted'],
};

function validationFinding(keyword: string, field: string, detail: string): Finding {
  const [vi, en] = SCHEMA_MESSAGES[keyword] ?? ['Giá trị không hợp lệ', 'Invalid value'];
  const code = keyword ? `SCHEMA_${keyword.toUpperCase()}` : 'SCHEMA_INVALID';
  return { code, field, severity: 'error', vi: `${vi}: ${field}`, en: `${en}: ${field}${detail ? ` (${detail})` : ''}` };
}

/** The body every refusal carries (exported for the front door's answers, which must be the same). */
export function errorBody(e: AppError): ErrorBody {
  return { error: { code: e.code, vi: e.vi, en: e.en, fields: e.fields, ...(e.details ? { details: e.details } : {}) } };
}

export function registerErrorHandler(app: FastifyInstance, isBusy: (err: unknown) => boolean): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    let e: AppError;
    if (err instanceof AppError) {
      e = err;
    } else if ((err as FastifyError).validation) {
      const fe = err as FastifyError;
      const fields: Finding[] = (fe.validation ?? []).map((v) => {
        const params = (v.params ?? {}) as { missingProperty?: string; keys?: string[] };
        const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
        const field = path || params.missingProperty || (params.keys ?? []).join(',') || '';
        return validationFinding(String(v.keyword ?? ''), field, v.message ?? '');
      });
      e = AppError.validation(fields);
    } else if (isBusy(err)) {
      e = AppError.unavailable(2);
    } else {
      const status = (err as FastifyError).statusCode ?? 500;
      if (status === 413) e = new AppError('PAYLOAD_TOO_LARGE', 'Dữ liệu gửi lên quá lớn.', 'The request is too large.');
      else if (status === 415) e = new AppError('UNSUPPORTED_MEDIA_TYPE', 'Định dạng dữ liệu không được hỗ trợ.', 'Unsupported content type.');
      else if (status === 429) e = new AppError('TOO_MANY_REQUESTS', 'Quá nhiều yêu cầu, xin thử lại sau.', 'Too many requests; please try again later.');
      else if (status === 503) e = AppError.unavailable(2);
      else if (status >= 400 && status < 500)
        e = new AppError('BAD_REQUEST', 'Yêu cầu không hợp lệ.', `Bad request: ${err.message}`);
      else {
        req.log.error({ err }, 'unhandled error');
        e = new AppError('INTERNAL', 'Đã có lỗi hệ thống. Dữ liệu đã lưu không bị mất; xin thử lại.', 'Something went wrong on our side. Saved data is safe; please try again.');
      }
    }
    for (const [k, v] of Object.entries(e.headers)) void reply.header(k, v);
    void reply.status(e.status).send(errorBody(e));
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(errorBody(AppError.notFound(`${req.method} ${req.url.split('?')[0]}`)));
  });
}

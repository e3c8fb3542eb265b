// Idempotency-Key for non-repeatable POSTs (submit, desk registration): the header, the request's
// fingerprint, and what a stored record means for a request coming in. The records themselves live in
// src/server/idempotency/idempotency.repository.ts.
import { createHash } from 'node:crypto';
import { AppError } from './errors.ts';
import type { KeyRecord } from '../idempotency/idempotency.repository.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long a key is kept (a retry after a day is a new request). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** The key from the header, or undefined. 8–128 characters of [A-Za-z0-9_.:-] (a UUID fits). */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const v = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (v === '') return undefined;
  if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(v)) {
    throw new AppError('BAD_REQUEST', 'Idempotency-Key không hợp lệ (8–128 ký tự chữ, số, - _ . :).', 'Invalid Idempotency-Key (8–128 letters, digits, - _ . :).', {
      code: 'IDEMPOTENCY_KEY_INVALID',
    });
  }
  return v;
}

/** Nesting deeper than this is no dossier: refused before anything walks it. */
const MAX_DEPTH = 64;

function tooDeep(): AppError {
  return AppError.validation([{ code: 'TOO_DEEP', field: '', severity: 'error', vi: 'Dữ liệu gửi lên lồng nhau quá sâu.', en: 'The request is nested too deeply.' }]);
}

function canonical(v: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw tooDeep();
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, depth + 1)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k], depth + 1)}`)
    .join(',')}}`;
}

/** A fingerprint of what the request asks for: the operation, its target and its body (key order ignored). */
export function requestHash(operation: string, target: string, body: unknown): string {
  return createHash('sha256').update(`${operation}\n${target}\n${canonical(body, 0)}`).digest('hex');
}

export function keyReused(): AppError {
  return new AppError('UNPROCESSABLE', 'Mã Idempotency-Key này đã được dùng cho một yêu cầu khác.', 'This Idempotency-Key was already used for a different request.', {
    code: 'IDEMPOTENCY_KEY_REUSED',
  });
}

/** A stored record met by a request: the result to give back, or 422 when the key served another request. */
export function replayOf(record: KeyRecord | null, hash: string): { statusCode: number; responseJson: string } | undefined {
  if (!record) return undefined;
  if (record.requestHash !== hash) throw keyReused();
  return { statusCode: record.statusCode, responseJson: record.response };
}

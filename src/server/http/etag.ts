// Version preconditions for writes (RFC 9110): the server sends the dossier's version as a strong ETag,
// the client sends it back in If-Match, and a write against a version that is no longer current is
// refused with 412 rather than silently overwriting someone else's change.
import { createHash } from 'node:crypto';
import { AppError } from './errors.ts';

/** `"7"`: the dossier version as a strong entity tag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version named by an If-Match header, or undefined when the header is absent. Accepts `"7"`,
 * `W/"7"` and a bare `7` (lenient for hand-written clients). `*` and lists are refused: a write must
 * name the one version it was based on.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const raw = (Array.isArray(header) ? header.join(',') : header).trim();
  if (raw === '') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw);
  if (!m) {
    throw new AppError('BAD_REQUEST', 'Tiêu đề If-Match phải là phiên bản hồ sơ, ví dụ "3".', 'If-Match must name the dossier version, e.g. "3".', {
      code: 'IF_MATCH_INVALID',
    });
  }
  return Number(m[1]);
}

/** 428: an update without If-Match. */
export function preconditionRequired(current: { version: number }): AppError {
  return new AppError(
    'PRECONDITION_REQUIRED',
    'Thiếu phiên bản hồ sơ (If-Match). Hãy tải lại hồ sơ rồi lưu lại.',
    'The dossier version (If-Match) is missing. Reload the dossier, then save again.',
    { code: 'IF_MATCH_REQUIRED', details: { version: current.version }, headers: { etag: etagOf(current.version) } },
  );
}

/** 412: the write was based on an older version; the body carries the current one so nothing is lost. */
export function versionConflict(current: { version: number; data: unknown }): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    'Hồ sơ đã được thay đổi ở nơi khác (thiết bị hoặc cửa sổ khác). Hãy xem bản hiện tại rồi lưu lại.',
    'The dossier was changed elsewhere (another device or window). Review the current version, then save again.',
    { code: 'VERSION_CONFLICT', details: { version: current.version, current: current.data }, headers: { etag: etagOf(current.version) } },
  );
}

/**
 * A weak validator of a read answer (counts a page polls): the hash of its JSON. A poll naming it in
 * If-None-Match gets 304 and no body while nothing changed.
 */
export function contentTag(body: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
}

/** Whether If-None-Match names this tag (weak comparison, lists and `*` understood). */
export function noneMatchHits(header: string | string[] | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  const want = bare(tag);
  return (Array.isArray(header) ? header.join(',') : header).split(',').some((t) => t.trim() === '*' || bare(t) === want);
}

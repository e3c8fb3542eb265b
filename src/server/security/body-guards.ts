// JSON bodies are checked for nesting depth before they are parsed: a 100,000-deep array parses, but
// anything that walks it recursively afterwards (a canonicaliser, JSON.stringify, a logger) overflows the
// stack and answers 500. No request of this API nests deeper than a few levels, so every route refuses
// deeper bodies with a 400 naming the reason, in one scan of the text that never recurses.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/errors.ts';

/** Deeper than any request of the API (a dossier nests about five levels). */
export const MAX_JSON_DEPTH = 32;

export function tooDeep(limit = MAX_JSON_DEPTH): AppError {
  return AppError.validation([
    {
      code: 'TOO_DEEP',
      field: '',
      severity: 'error',
      vi: `Dữ liệu gửi lên lồng nhau quá sâu (tối đa ${limit} cấp).`,
      en: `The request body is nested too deeply (at most ${limit} levels).`,
    },
  ]);
}

/** The deepest nesting of arrays and objects in a JSON text, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

export function registerBodyGuards(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonDepthExceeds(body as string)) return done(tooDeep(), undefined);
    return parse(req, body as string, done);
  });
}

// JSON logs through pino. Personal data never reaches a log line: cookies, auth headers, passwords and
// bodies are redacted, and personal numbers go through maskId before they are logged anywhere.
import pino, { type LoggerOptions } from 'pino';

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.idNumber',
        '*.username',
      ],
      censor: '[redacted]',
    },
  };
}

export function createLogger(level: string): pino.Logger {
  return pino(loggerOptions(level));
}

/** 001012345645 → 0010******45: enough to tell two records apart in a log, not enough to identify. */
export function maskId(id: string | null | undefined): string {
  if (!id) return '';
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 6) + id.slice(-2);
}

// Session tokens: 256 random bits in the cookie; the server keeps only their SHA-256. The CSRF token is
// derived from the session token (SHA-256 under a fixed label), so it needs no storage, changes with every
// session, and cannot be turned back into the session token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`ghidanh-csrf:${sessionToken}`).digest('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A plausible token shape: anything else is ignored without a database round trip. */
export const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

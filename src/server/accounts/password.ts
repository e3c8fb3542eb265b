// Password hashing: argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). @node-rs/argon2 runs the
// hash on libuv's thread pool, so it never blocks the event loop; the number hashed at once is bounded
// by the caller (see hash-limiter) so a burst of sign-ins cannot exhaust memory.
import { hash, verify } from '@node-rs/argon2';

export const ARGON2_OPTIONS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import)
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFC'));
  } catch {
    return false;
  }
}

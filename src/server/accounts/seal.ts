// Sealing a batch's one-time passwords for the slips and the teacher's list: AES-256-GCM under a random
// key that goes to the issuer in the answer and is not kept by the server. The database holds only the
// ciphertext, for a day; without the key it is useless, and after a day it is gone.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function seal(plain: string): { sealed: string; key: string } {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return { sealed: Buffer.concat([iv, c.getAuthTag(), body]).toString('base64'), key: key.toString('base64url') };
}

/** The plaintext, or null when the key is wrong (GCM authenticates). */
export function unseal(sealed: string, key: string): string | null {
  try {
    const buf = Buffer.from(sealed, 'base64');
    const k = Buffer.from(key, 'base64url');
    if (k.length !== 32) return null;
    const d = createDecipheriv('aes-256-gcm', k, buf.subarray(0, 12));
    d.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

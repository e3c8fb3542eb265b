// The server's own secret for the second factor: it seals TOTP secrets at rest (AES-256-GCM) and signs the
// sign-in challenge and the known-device cookies (HMAC-SHA256), each with its own key derived by HKDF.
// It comes from AUTH_SECRET_KEY; unset (a demo, a single machine), a random key is written once to
// DATA_DIR/auth-secret.key with mode 0600, atomically (several workers may start at once).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

export interface ServerKeys {
  seal(plain: string): string;
  /** the plaintext, or null when the sealed text was not made with this key */
  unseal(sealed: string): string | null;
  /** base64url HMAC of `data` under the key named by `purpose` */
  sign(purpose: 'challenge' | 'device', data: string): string;
  verify(purpose: 'challenge' | 'device', data: string, mac: string): boolean;
}

function decodeKey(text: string): Buffer {
  const t = text.trim();
  const b = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (b.length < 32) throw new Error('AUTH_SECRET_KEY must hold at least 32 bytes');
  return b;
}

function keyFromFile(dataDir: string): Buffer {
  const file = path.resolve(dataDir, 'auth-secret.key');
  try {
    return decodeKey(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, randomBytes(32).toString('base64'), { mode: 0o600 });
  try {
    linkSync(tmp, file); // fails if another process got there first: then its key is the key
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return decodeKey(readFileSync(file, 'utf8'));
}

const cache = new WeakMap<Config, ServerKeys>();

export function serverKeys(config: Config): ServerKeys {
  const hit = cache.get(config);
  if (hit) return hit;
  const master = config.AUTH_SECRET_KEY ? decodeKey(config.AUTH_SECRET_KEY) : keyFromFile(config.DATA_DIR);
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `ghidanh:${info}`, 32));
  const sealKey = sub('mfa-seal');
  const macKeys = { challenge: sub('mfa-challenge'), device: sub('known-device') };
  const keys: ServerKeys = {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', sealKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    },
    unseal(sealed) {
      if (!sealed.startsWith('v1.')) return null;
      try {
        const buf = Buffer.from(sealed.slice(3), 'base64');
        const d = createDecipheriv('aes-256-gcm', sealKey, buf.subarray(0, 12));
        d.setAuthTag(buf.subarray(12, 28));
        return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
    sign: (purpose, data) => createHmac('sha256', macKeys[purpose]).update(data).digest('base64url'),
    verify(purpose, data, mac) {
      const want = Buffer.from(createHmac('sha256', macKeys[purpose]).update(data).digest('base64url'));
      const got = Buffer.from(mac);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
  cache.set(config, keys);
  return keys;
}

// TOTP (RFC 6238) through the otpauth library: 6 digits, 30-second steps, SHA-1 (what every authenticator
// app reads from a QR code), one step of drift either way. Recovery codes: ten per enrolment, 60 random
// bits each, written in groups of four; the first group is a public prefix that finds the row, the whole
// code is argon2-hashed like a password.
import { randomBytes, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

export const TOTP_PERIOD = 30;
const ISSUER = 'Ghi danh THPT';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label = 'ghidanh'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

export function otpauthUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

/** The current code (tests, the demo's helper). */
export function totpCode(secretBase32: string, at: Date): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

export const stepAt = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD);

/** The time step the code belongs to (within one step of `at`), or null when it matches none. */
export function matchTotp(secretBase32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : stepAt(at) + delta;
}

// no 0/O, 1/I/L: read aloud over the phone or copied from paper without doubt
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newRecoveryCodes(n = 10): string[] {
  const codes = new Set<string>();
  while (codes.size < n) {
    const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    codes.add(`${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`);
  }
  return [...codes];
}

/** A recovery code as typed (lower case, spaces, no dashes) in its canonical form, or null. */
export function canonicalRecoveryCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== 12 || [...s].some((ch) => !ALPHABET.includes(ch))) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** The QR code of a URI as one SVG path (drawn by the page as an inline <svg>, no data: URL needed). */
export function qrPath(text: string): { size: number; path: string } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  let path = '';
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (data[r * size + c]) path += `M${c} ${r}h1v1h-1z`;
  return { size, path };
}

/** A random nonce for signed tokens. */
export const nonce = (): string => randomBytes(12).toString('base64url');

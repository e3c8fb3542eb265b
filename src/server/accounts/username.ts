// Usernames: a staff login is lower-case words joined by dots ("diem.01001"); a candidate's is an ID
// number (CCCD, passport or system code), which people type with spaces, dots or in lower case.
import { normaliseIdNumber } from '../../domain/cccd.ts';

export const STAFF_USERNAME_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

export function normaliseUsername(raw: string): string {
  const v = raw.normalize('NFKC').trim();
  if (/[a-z]/i.test(v) && v.includes('.') && STAFF_USERNAME_PATTERN.test(v.toLowerCase())) return v.toLowerCase();
  return normaliseIdNumber(v);
}

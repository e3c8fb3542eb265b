// Contact details: a Vietnamese mobile number (the point and the support desk call it), an e-mail address,
// and a free-text postal address.
import { error, type Finding } from './messages.ts';

/**
 * Leading two digits of a valid Vietnamese mobile number in national form (0 + 9 digits), since the
 * 2018 move from 11 to 10 digits: 03x (Viettel), 05x (Vietnamobile, Gmobile, Reddi), 07x (MobiFone),
 * 08x (VinaPhone, Viettel, MobiFone, Itelecom), 09x (all). Deliberately by decade, not by carrier
 * prefix: the ministry of information keeps allotting new 3-digit blocks inside these ranges, and a list
 * too strict would lock real candidates out on the closing day. Landlines (02x) are not mobiles.
 * Update here if the numbering plan changes.
 */
export const MOBILE_PREFIXES: readonly string[] = ['03', '05', '07', '08', '09'];
export const MOBILE_LENGTH = 10;

export type ContactParsed<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };

/**
 * National form 0XXXXXXXXX from what people type: "+84 912 345 678", "84912345678", "0084…",
 * "(091) 234-5678", even "+84 0912…" (a doubled trunk zero). Returns the digits it could make, unchecked.
 */
export function normalisePhone(raw: string): string {
  let s = raw.normalize('NFKC').trim().replace(/[\s.\-()\u00A0]/g, '');
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('0084')) s = s.slice(2);
  if (!/^\d+$/.test(s)) return s;
  if (s.startsWith('84') && s.length >= 11) {
    s = s.slice(2);
    if (s.startsWith('0')) s = s.slice(1);
    s = '0' + s;
  }
  return s;
}

export function validatePhone(raw: string, field = 'contact.phone'): ContactParsed<string> {
  if (raw.trim() === '') return { ok: false, findings: [error('REQUIRED', field, 'Vui lòng nhập số điện thoại di động.', 'Enter a mobile phone number.')] };
  const s = normalisePhone(raw);
  if (!/^0\d{9}$/.test(s)) {
    return {
      ok: false,
      findings: [error('PHONE_INVALID', field, 'Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).', 'A mobile number has 10 digits starting with 0 (or +84).')],
    };
  }
  if (!MOBILE_PREFIXES.some((p) => s.startsWith(p))) {
    return {
      ok: false,
      findings: [
        error('PHONE_NOT_MOBILE', field, 'Vui lòng nhập số di động (đầu số 03, 05, 07, 08, 09), không dùng số cố định.', 'Enter a mobile number (starting 03, 05, 07, 08 or 09), not a landline.', { prefix: s.slice(0, 3) }),
      ],
    };
  }
  return { ok: true, value: s };
}

/** RFC 5321: a path is at most 256 octets including the angle brackets, so an address at most 254. */
export const EMAIL_MAX_LENGTH = 254;
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Trimmed, NFC, domain lower-cased (the local part is case-sensitive in theory, so it is left alone). */
export function normaliseEmail(raw: string): string {
  const s = raw.normalize('NFC').replace(/[\p{Cf}\p{Cc}]/gu, '').trim();
  const at = s.lastIndexOf('@');
  return at < 0 ? s : s.slice(0, at) + '@' + s.slice(at + 1).toLowerCase();
}

/**
 * Pragmatic check, not full RFC 5322: dot-atom local part (≤ 64), a domain of LDH labels with a
 * top-level label of letters. ASCII only: an address typed with Vietnamese diacritics ("nguyễn@…") is
 * almost always a keyboard slip, and the mail would not arrive.
 */
export function validateEmail(raw: string, field = 'contact.email'): ContactParsed<string> {
  const s = normaliseEmail(raw);
  if (s.length > EMAIL_MAX_LENGTH) {
    return { ok: false, findings: [error('EMAIL_TOO_LONG', field, `Địa chỉ email dài tối đa ${EMAIL_MAX_LENGTH} ký tự.`, `An e-mail address may be at most ${EMAIL_MAX_LENGTH} characters.`, { max: EMAIL_MAX_LENGTH })] };
  }
  const bad = () => ({ ok: false as const, findings: [error('EMAIL_INVALID', field, 'Địa chỉ email không đúng (ví dụ: ten@example.com).', 'The e-mail address is not valid (e.g. name@example.com).')] });
  const parts = s.split('@');
  if (parts.length !== 2) return bad();
  const [local = '', domain = ''] = parts;
  if (local.length === 0 || local.length > 64 || !LOCAL_PART.test(local)) return bad();
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return bad();
  if (!/^[a-z]{2,63}$/.test(labels[labels.length - 1] ?? '')) return bad();
  return { ok: true, value: s };
}

export const ADDRESS_MAX_LENGTH = 200;

/** Free text on the way in: NFC, controls and zero-width characters out (line breaks become spaces), spaces collapsed. */
export function normaliseFreeText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\r\n\t\v\f\u2028\u2029]/g, ' ')
    .replace(/[\p{Cf}\p{Cc}]/gu, '')
    .replace(/[\s\p{Zs}]+/gu, ' ')
    .trim();
}

export function validateAddress(raw: string, field = 'contact.address', max = ADDRESS_MAX_LENGTH): ContactParsed<string> {
  const s = normaliseFreeText(raw);
  if (s.length === 0) return { ok: false, findings: [error('REQUIRED', field, 'Vui lòng nhập địa chỉ liên hệ.', 'Enter a contact address.')] };
  if ([...s].length > max) {
    return { ok: false, findings: [error('TOO_LONG', field, `Địa chỉ liên hệ dài tối đa ${max} ký tự.`, `The contact address may be at most ${max} characters.`, { max })] };
  }
  return { ok: true, value: s };
}

// What a new password must be (NIST SP 800-63B): 8..128 characters, not a known common password, not the
// username, no composition rules. Length counts characters (code points after NFC), so a Vietnamese
// passphrase with diacritics is measured as people see it.
import fs from 'node:fs';
import { error, type Finding } from '../../domain/messages.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../contracts/accounts.ts';

const COMMON: ReadonlySet<string> = new Set(
  fs
    .readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.normalize('NFC').toLowerCase()),
);

export function isCommonPassword(pw: string): boolean {
  const p = pw.normalize('NFC').toLowerCase();
  if (COMMON.has(p)) return true;
  // one character repeated, or a run of consecutive digits/letters ("aaaaaaaa", "23456789", "abcdefghi")
  if (/^(.)\1+$/u.test(p)) return true;
  const codes = [...p].map((c) => c.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  return (step === 1 || step === -1) && codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step);
}

const FIELD = 'newPassword';

/** Findings for a proposed password; empty when it may be used. */
export function checkNewPassword(pw: string, username: string, current?: string): Finding[] {
  const p = pw.normalize('NFC');
  const length = [...p].length;
  if (length < PASSWORD_MIN) {
    return [error('PASSWORD_TOO_SHORT', FIELD, `Mật khẩu cần ít nhất ${PASSWORD_MIN} ký tự.`, `The password needs at least ${PASSWORD_MIN} characters.`, { min: PASSWORD_MIN })];
  }
  if (length > PASSWORD_MAX) {
    return [error('PASSWORD_TOO_LONG', FIELD, `Mật khẩu dài tối đa ${PASSWORD_MAX} ký tự.`, `The password may be at most ${PASSWORD_MAX} characters long.`, { max: PASSWORD_MAX })];
  }
  if (p.toLowerCase() === username.toLowerCase() || p.replace(/\s/g, '') === username) {
    return [error('PASSWORD_IS_USERNAME', FIELD, 'Mật khẩu không được trùng tên đăng nhập.', 'The password may not be the username.')];
  }
  if (isCommonPassword(p)) {
    return [error('PASSWORD_TOO_COMMON', FIELD, 'Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác (ví dụ một câu ngắn dễ nhớ).', 'This password is too common and easy to guess. Choose another (a short sentence you remember works well).')];
  }
  if (current !== undefined && p === current.normalize('NFC')) {
    return [error('PASSWORD_UNCHANGED', FIELD, 'Mật khẩu mới phải khác mật khẩu đang dùng.', 'The new password must differ from the current one.')];
  }
  return [];
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS_MAX_LENGTH, normaliseFreeText, normalisePhone, validateAddress, validateEmail, validatePhone } from './contact.ts';

const phone = (raw: string) => {
  const r = validatePhone(raw);
  return r.ok ? r.value : r.findings.map((f) => f.code).join(',');
};

test('phone: +84 / 84 / 0084 / 0 prefixes normalise to 0XXXXXXXXX', () => {
  assert.equal(phone('0912345678'), '0912345678');
  assert.equal(phone('+84912345678'), '0912345678');
  assert.equal(phone('+84 91 234 5678'), '0912345678');
  assert.equal(phone('84912345678'), '0912345678');
  assert.equal(phone('0084912345678'), '0912345678');
  assert.equal(phone('+84 0912 345 678'), '0912345678');
  assert.equal(phone('(091) 234-5678'), '0912345678');
  assert.equal(normalisePhone('0845123456'), '0845123456'); // an 08x number is not mistaken for +84
});

test('phone: each mobile decade is accepted, landlines and wrong lengths are not', () => {
  for (const p of ['0321234567', '0561234567', '0771234567', '0861234567', '0981234567']) assert.equal(phone(p), p);
  assert.equal(phone('0241234567'), 'PHONE_NOT_MOBILE'); // Hà Nội landline
  assert.equal(phone('0123456789'), 'PHONE_NOT_MOBILE'); // old 11-digit era prefix
  assert.equal(phone('091234567'), 'PHONE_INVALID'); // 9 digits
  assert.equal(phone('09123456789'), 'PHONE_INVALID'); // 11 digits
  assert.equal(phone('09123abc78'), 'PHONE_INVALID');
  assert.equal(phone('  '), 'REQUIRED');
});

test('email: pragmatic syntax, 254 characters at most', () => {
  const ok = (s: string) => validateEmail(s).ok;
  assert.equal(ok('an.nguyen+thi@gmail.com'), true);
  const r = validateEmail('  An@Example.EDU.VN ');
  assert.ok(r.ok);
  assert.equal(r.value, 'An@example.edu.vn');
  for (const bad of ['an', 'an@', '@x.vn', 'an@@x.vn', 'an@x', 'a..n@x.vn', '.an@x.vn', 'an@-x.vn', 'an@x.v1', 'nguyễn@gmail.com', 'an nguyen@x.vn']) {
    assert.equal(ok(bad), false, bad);
  }
  const domain = '@' + ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'vn'].join('.'); // 195 chars incl. @
  const local = (n: number) => 'x'.repeat(n);
  const at254 = local(59) + domain;
  assert.equal(at254.length, 254);
  assert.equal(ok(at254), true);
  const r255 = validateEmail(local(60) + domain);
  assert.equal(r255.ok, false);
  assert.equal(r255.ok ? '' : r255.findings[0]?.code, 'EMAIL_TOO_LONG');
  assert.equal(ok(local(65) + '@x.vn'), false); // local part over 64
});

test('address: NFC, controls out, spaces collapsed, length limit', () => {
  const nfd = 'Số 1,\tđường Lê Lợi\r\nphường Bến Thành\u200B'.normalize('NFD');
  assert.equal(normaliseFreeText(nfd), 'Số 1, đường Lê Lợi phường Bến Thành'.normalize('NFC'));
  const r = validateAddress(' \u0007 ');
  assert.equal(r.ok ? '' : r.findings[0]?.code, 'REQUIRED');
  assert.equal(validateAddress('x'.repeat(ADDRESS_MAX_LENGTH)).ok, true);
  const long = validateAddress('x'.repeat(ADDRESS_MAX_LENGTH + 1));
  assert.equal(long.ok ? '' : long.findings[0]?.code, 'TOO_LONG');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyId,
  crossCheckCccd,
  CROCKFORD32,
  isValidSystemCode,
  maskId,
  parseCccd,
  systemCodeFromBytes,
  validateIdNumber,
  validatePassport,
} from './cccd.ts';

const PREFIXES = ['001', '031', '030', '079', '096'];

function parsed(raw: string) {
  const r = parseCccd(raw, PREFIXES);
  assert.ok(r.ok, JSON.stringify(r.findings));
  return r.value;
}

test('parses PPP G YY NNNNNN', () => {
  const c = parsed('001207012345');
  assert.deepEqual(c, { value: '001207012345', provincePrefix: '001', genderCenturyDigit: 2, gender: 'male', century: 2000, birthYear: 2007, serial: '012345' });
  assert.equal(parsed('079 305 000001').gender, 'female'); // spaces between groups are fine
  assert.equal(parsed('079305000001').birthYear, 2005);
});

test('gender/century digit: 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s; 6–9 rejected', () => {
  assert.deepEqual([parsed('001099000000').century, parsed('001099000000').gender, parsed('001099000000').birthYear], [1900, 'male', 1999]);
  assert.deepEqual([parsed('001100000000').century, parsed('001100000000').gender], [1900, 'female']);
  assert.deepEqual([parsed('001300000000').century, parsed('001300000000').gender, parsed('001300000000').birthYear], [2000, 'female', 2000]);
  assert.deepEqual([parsed('001401000000').century, parsed('001501000000').gender], [2100, 'female']);
  const r = parseCccd('001607000000', PREFIXES);
  assert.equal(r.ok, false);
  assert.deepEqual(r.findings.map((f) => f.code), ['CCCD_CENTURY_DIGIT']);
});

test('not 12 digits is an error; 11 and 13 digits at the edges', () => {
  for (const bad of ['00120701234', '0012070123456', '00120701234X', '']) {
    const r = parseCccd(bad, PREFIXES);
    assert.equal(r.ok, false, bad);
    assert.equal(r.findings[0]?.severity, 'error');
  }
  assert.equal(parseCccd('00120701234', PREFIXES).findings[0]?.code, 'CCCD_FORMAT');
  assert.equal(parseCccd('', PREFIXES).findings[0]?.code, 'REQUIRED');
});

test('a 9-digit old CMND is refused with its own code', () => {
  const r = parseCccd('012345678', PREFIXES);
  assert.equal(r.ok, false);
  assert.equal(r.findings[0]?.code, 'CMND_NOT_ACCEPTED');
  assert.equal(r.findings[0]?.field, 'personal.idNumber');
  assert.match(r.findings[0]?.vi ?? '', /12 số/);
  assert.equal(classifyId('012345678'), 'cmnd');
});

test('an unknown province prefix is an error (prefixes come in as data)', () => {
  const r = parseCccd('003207012345', PREFIXES); // 003 is unused
  assert.equal(r.ok, false);
  assert.deepEqual(r.findings.map((f) => f.code), ['CCCD_UNKNOWN_PROVINCE']);
  assert.equal(parseCccd('003207012345', [...PREFIXES, '003']).ok, true);
});

test('cross-check: a gender digit that mismatches the declared gender is a warning, not an error', () => {
  const c = parsed('001207012345'); // 2 = male, born 2007
  const f = crossCheckCccd(c, { gender: 'female', dateOfBirth: '2007-03-01' });
  assert.deepEqual(f.map((x) => [x.code, x.severity, x.field]), [['CCCD_GENDER_MISMATCH', 'warning', 'personal.gender']]);
  assert.deepEqual(crossCheckCccd(c, { gender: 'male', dateOfBirth: '2007-12-31' }), []);
});

test('cross-check: birth year and century', () => {
  const c = parsed('001207012345');
  assert.deepEqual(crossCheckCccd(c, { dateOfBirth: '2008-01-01' }).map((x) => x.code), ['CCCD_BIRTH_YEAR_MISMATCH']);
  // same YY, wrong century: 1907 is not 2007
  assert.deepEqual(crossCheckCccd(c, { dateOfBirth: '1907-01-01' }).map((x) => x.code), ['CCCD_BIRTH_YEAR_MISMATCH']);
  assert.deepEqual(crossCheckCccd(c, { dateOfBirth: 'garbage' }), []); // the date rule reports that
});

test('cross-check: birth province, including a merged province covering several prefixes', () => {
  const c = parsed('030207012345'); // registered in Hải Dương (030), now part of Hải Phòng
  assert.deepEqual(crossCheckCccd(c, { birthProvincePrefixes: ['031', '030'] }), []);
  const f = crossCheckCccd(c, { birthProvincePrefixes: ['001'] });
  assert.deepEqual(f.map((x) => [x.code, x.severity, x.field]), [['CCCD_BIRTH_PROVINCE_MISMATCH', 'warning', 'personal.birthPlace']]);
  assert.deepEqual(crossCheckCccd(c, {}), []); // born abroad: nothing to compare
});

test('passport: 6–12 letters/digits, for foreigners only', () => {
  assert.equal(validatePassport('C1234567', 'FR').ok, true);
  assert.equal(validatePassport('123456', 'US').ok, true);
  assert.equal(validatePassport('12345', 'US').findings[0]?.code, 'PASSPORT_FORMAT');
  assert.equal(validatePassport('ABCDEFGHIJKLM', 'US').findings[0]?.code, 'PASSPORT_FORMAT');
  assert.equal(validatePassport('ABCDEFGHIJKL', 'US').ok, true);
  assert.equal(validatePassport('AB-12*34', 'US').ok, false);
  assert.deepEqual(validatePassport('C1234567', 'VN').findings.map((f) => f.code), ['PASSPORT_NOT_FOR_CITIZENS']);
});

test('system code: TS + 9 Crockford base-32 + check character', () => {
  const code = systemCodeFromBytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  assert.equal(code.length, 12);
  assert.match(code, /^TS[0-9A-HJKMNP-TV-Z]{10}$/);
  assert.equal(isValidSystemCode(code), true);
  assert.equal(isValidSystemCode(code.toLowerCase()), true);
  assert.equal(classifyId(code), 'system');
  // any single changed character is caught
  for (let i = 2; i < 12; i++) {
    const ch = code[i] ?? '0';
    const other = CROCKFORD32[(CROCKFORD32.indexOf(ch) + 7) % 32] ?? '0';
    assert.equal(isValidSystemCode(code.slice(0, i) + other + code.slice(i + 1)), false, `position ${i}`);
  }
  assert.equal(isValidSystemCode('TS' + 'I'.repeat(10)), false); // I is not in the alphabet
  assert.throws(() => systemCodeFromBytes(new Uint8Array(5)));
});

test('validateIdNumber routes by kind and nationality', () => {
  assert.equal(validateIdNumber('001207012345', 'VN', PREFIXES).ok, true);
  const p = validateIdNumber('C1234567', 'FR', PREFIXES);
  assert.ok(p.ok);
  assert.equal(p.value.kind, 'passport');
  assert.equal(validateIdNumber('C1234567', 'VN', PREFIXES).findings[0]?.code, 'CCCD_FORMAT');
  assert.equal(validateIdNumber('012345678', 'FR', PREFIXES).findings[0]?.code, 'CMND_NOT_ACCEPTED');
  const code = systemCodeFromBytes(new Uint8Array([9, 9, 9, 9, 9, 9]));
  const s = validateIdNumber(code, 'VN', PREFIXES);
  assert.ok(s.ok);
  assert.equal(s.value.kind, 'system');
});

test('maskId keeps 4 + 2 characters', () => {
  assert.equal(maskId('001045012345'), '0010******45');
});

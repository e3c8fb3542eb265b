// Identity numbers that serve as the username: the 12-digit personal identification number (CCCD / số
// định danh cá nhân), a passport number for foreigners, or a code the system assigns. The CCCD encodes the
// birth province, gender, century and birth year; a mismatch with the form only warns, since the card wins
// over a typo in the form and a person's civil record may legitimately differ.
import { error, warning, type Finding } from './messages.ts';

export type Gender = 'male' | 'female';
export type IdKind = 'cccd' | 'passport' | 'system';

export interface ParsedCccd {
  value: string;
  /** PPP: '0' + the pre-2025 statistics-office code of the province where the birth was registered */
  provincePrefix: string;
  /** G: gender and century digit */
  genderCenturyDigit: number;
  gender: Gender;
  /** first year of the century of birth: 1900, 2000, 2100 */
  century: number;
  /** century + YY */
  birthYear: number;
  /** NNNNNN: random, no checksum */
  serial: string;
}

export type Parsed<T> = { ok: true; value: T; findings: Finding[] } | { ok: false; findings: Finding[] };

const CCCD_FIELD = 'personal.idNumber';

/** Spaces and dots people type between digit groups ("001 205 012345", "001.205.012345"). */
export function normaliseIdNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s.-]/g, '').toUpperCase();
}

/**
 * Gender/century digit G (Decree 137/2015, art. 7): 0/1 for the 20th century (1900–1999), 2/3 for the
 * 21st, 4/5 for the 22nd; even = male, odd = female. The decree also defines 6–9 for the 23rd–24th
 * centuries; no living person can hold one, so those are typos and rejected here.
 */
export const CCCD_CENTURY_BY_DIGIT: Readonly<Record<number, number>> = { 0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100 };

/**
 * Parse and validate a CCCD. Errors: not 12 digits (a 9-digit old CMND gets its own code), an invalid
 * gender/century digit, a province prefix not in `knownPrefixes` (data: reference CCCD prefixes).
 */
export function parseCccd(raw: string, knownPrefixes: Iterable<string>, field = CCCD_FIELD): Parsed<ParsedCccd> {
  const value = normaliseIdNumber(raw);
  if (value.length === 0) {
    return { ok: false, findings: [error('REQUIRED', field, 'Vui lòng nhập số định danh cá nhân (CCCD).', 'Enter the personal identification number (CCCD).')] };
  }
  if (/^\d{9}$/.test(value)) {
    return {
      ok: false,
      findings: [
        error(
          'CMND_NOT_ACCEPTED',
          field,
          'Số CMND 9 số không còn được dùng làm tên đăng nhập. Hãy nhập số định danh cá nhân 12 số (trên thẻ CCCD hoặc ứng dụng VNeID).',
          'The old 9-digit ID (CMND) is no longer accepted as the username. Enter the 12-digit personal identification number (on the CCCD card or in the VNeID app).',
        ),
      ],
    };
  }
  if (!/^\d{12}$/.test(value)) {
    return {
      ok: false,
      findings: [error('CCCD_FORMAT', field, 'Số định danh cá nhân phải gồm đúng 12 chữ số.', 'The personal identification number must be exactly 12 digits.', { length: value.length })],
    };
  }
  const provincePrefix = value.slice(0, 3);
  const g = Number(value[3]);
  const century = CCCD_CENTURY_BY_DIGIT[g];
  const findings: Finding[] = [];
  const prefixes = new Set(knownPrefixes);
  if (!prefixes.has(provincePrefix)) {
    findings.push(
      error('CCCD_UNKNOWN_PROVINCE', field, `Ba số đầu ${provincePrefix} không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.`, `The first three digits ${provincePrefix} are not a valid birth-registration province code.`, { prefix: provincePrefix }),
    );
  }
  if (century === undefined) {
    findings.push(
      error('CCCD_CENTURY_DIGIT', field, `Chữ số thứ 4 (${g}) không hợp lệ: phải từ 0 đến 5 (giới tính và thế kỷ sinh).`, `The 4th digit (${g}) is invalid: it must be 0–5 (gender and century of birth).`, { digit: g }),
    );
  }
  if (findings.length > 0 || century === undefined) return { ok: false, findings };
  return {
    ok: true,
    findings: [],
    value: {
      value,
      provincePrefix,
      genderCenturyDigit: g,
      gender: g % 2 === 0 ? 'male' : 'female',
      century,
      birthYear: century + Number(value.slice(4, 6)),
      serial: value.slice(6),
    },
  };
}

export interface DeclaredIdentity {
  gender?: Gender;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  /** CCCD prefixes the declared birth province covers (a merged province covers several), or undefined if born abroad / unknown */
  birthProvincePrefixes?: readonly string[];
}

/**
 * Warnings (never errors) where the CCCD disagrees with the form. The candidate confirms or fixes the
 * form; the registration point checks the card.
 */
export function crossCheckCccd(cccd: ParsedCccd, declared: DeclaredIdentity): Finding[] {
  const out: Finding[] = [];
  if (declared.gender && declared.gender !== cccd.gender) {
    const vi = cccd.gender === 'male' ? 'nam' : 'nữ';
    out.push(
      warning(
        'CCCD_GENDER_MISMATCH',
        'personal.gender',
        `Chữ số thứ 4 của số định danh (${cccd.genderCenturyDigit}) ứng với giới tính ${vi}, khác giới tính đã khai. Hãy kiểm tra lại.`,
        `The 4th digit of the ID number (${cccd.genderCenturyDigit}) means ${cccd.gender}, which differs from the declared gender. Please check.`,
        { digit: cccd.genderCenturyDigit, cardGender: cccd.gender },
      ),
    );
  }
  const year = declared.dateOfBirth && /^\d{4}-/.test(declared.dateOfBirth) ? Number(declared.dateOfBirth.slice(0, 4)) : undefined;
  if (year !== undefined && year !== cccd.birthYear) {
    out.push(
      warning(
        'CCCD_BIRTH_YEAR_MISMATCH',
        'personal.dateOfBirth',
        `Số định danh cho biết năm sinh ${cccd.birthYear}, khác năm sinh đã khai (${year}). Hãy kiểm tra lại.`,
        `The ID number says the birth year is ${cccd.birthYear}, not the declared ${year}. Please check.`,
        { cardYear: cccd.birthYear, declaredYear: year },
      ),
    );
  }
  if (declared.birthProvincePrefixes && declared.birthProvincePrefixes.length > 0 && !declared.birthProvincePrefixes.includes(cccd.provincePrefix)) {
    out.push(
      warning(
        'CCCD_BIRTH_PROVINCE_MISMATCH',
        'personal.birthPlace',
        `Ba số đầu của số định danh (${cccd.provincePrefix}) là mã tỉnh khác với nơi sinh đã khai. Hãy kiểm tra lại (nơi sinh ghi theo giấy khai sinh).`,
        `The first three digits of the ID number (${cccd.provincePrefix}) name a different province from the declared place of birth. Please check (as on the birth certificate).`,
        { prefix: cccd.provincePrefix },
      ),
    );
  }
  return out;
}

/** Passport numbers vary by country (a US one is 9 digits, a Vietnamese one a letter + 7 digits): 6–12 letters or digits. */
export const PASSPORT_PATTERN = /^[A-Z0-9]{6,12}$/;

export function validatePassport(raw: string, nationality: string, field = CCCD_FIELD): Parsed<string> {
  const value = normaliseIdNumber(raw);
  const findings: Finding[] = [];
  if (!PASSPORT_PATTERN.test(value)) {
    findings.push(error('PASSPORT_FORMAT', field, 'Số hộ chiếu gồm 6–12 chữ cái hoặc chữ số.', 'A passport number is 6–12 letters or digits.'));
  }
  if (nationality === 'VN') {
    // Vietnamese citizens all have a personal identification number; the passport is for foreigners.
    findings.push(
      error('PASSPORT_NOT_FOR_CITIZENS', field, 'Công dân Việt Nam dùng số định danh cá nhân 12 số, không dùng số hộ chiếu.', 'Vietnamese citizens use the 12-digit personal identification number, not a passport number.'),
    );
  }
  return findings.length > 0 ? { ok: false, findings } : { ok: true, value, findings };
}

/**
 * System-assigned code for a candidate with no CCCD, personal number or passport: 12 characters,
 * `TS` (thí sinh) + 9 Crockford base-32 characters + 1 check character. Crockford's alphabet leaves out
 * I, L, O and U, so a code read over the phone to the support desk cannot be confused with 1 or 0; the
 * leading letters keep it apart from any 12-digit CCCD. The check character (sum of odd weights × values,
 * mod 32) catches every single wrong character (odd weights are invertible mod 32) and most swaps of
 * neighbours. 45 random bits: collisions are negligible
 * for the few thousand such candidates a year, and the issuer still checks uniqueness.
 */
export const SYSTEM_CODE_PREFIX = 'TS';
export const CROCKFORD32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SYSTEM_CODE_PATTERN = /^TS[0-9A-HJKMNP-TV-Z]{10}$/;

// Odd weights 1, 3, 5 … are units mod 32, so changing one character always changes the check.
function checkChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (2 * i + 1) * CROCKFORD32.indexOf(body[i] ?? '0');
  return CROCKFORD32[sum % 32] ?? '0';
}

/** Build a system code from at least 6 random bytes (the caller supplies the randomness: this module is pure). */
export function systemCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 6) throw new RangeError('need at least 6 random bytes');
  let bits = 0n;
  for (const b of bytes.subarray(0, 6)) bits = (bits << 8n) | BigInt(b);
  let body = '';
  for (let i = 0; i < 9; i++) {
    body += CROCKFORD32[Number(bits & 31n)];
    bits >>= 5n;
  }
  return SYSTEM_CODE_PREFIX + body + checkChar(body);
}

export function isValidSystemCode(raw: string): boolean {
  const v = normaliseIdNumber(raw);
  if (!SYSTEM_CODE_PATTERN.test(v)) return false;
  const body = v.slice(2, 11);
  return checkChar(body) === v[11];
}

/** Which kind of identifier a username looks like. */
export function classifyId(raw: string): IdKind | 'cmnd' | 'unknown' {
  const v = normaliseIdNumber(raw);
  if (/^\d{12}$/.test(v)) return 'cccd';
  if (/^\d{9}$/.test(v)) return 'cmnd';
  if (SYSTEM_CODE_PATTERN.test(v)) return 'system';
  if (PASSPORT_PATTERN.test(v)) return 'passport';
  return 'unknown';
}

/**
 * Validate the ID number that becomes the username, whichever kind it is. Citizens need a CCCD (or the
 * police-issued personal number, which has the same 12-digit form); foreigners a passport; a system code
 * is accepted only if it is well-formed (the issuing command checks it was really issued).
 */
export function validateIdNumber(raw: string, nationality: string, knownPrefixes: Iterable<string>, field = CCCD_FIELD): Parsed<{ kind: IdKind; value: string; cccd?: ParsedCccd }> {
  const kind = classifyId(raw);
  if (kind === 'system') {
    const v = normaliseIdNumber(raw);
    return isValidSystemCode(v)
      ? { ok: true, value: { kind, value: v }, findings: [] }
      : { ok: false, findings: [error('SYSTEM_CODE_INVALID', field, 'Mã do hệ thống cấp không đúng (sai ký tự kiểm tra).', 'The system-assigned code is wrong (check character mismatch).')] };
  }
  if (kind === 'cccd' || kind === 'cmnd' || nationality === 'VN') {
    const r = parseCccd(raw, knownPrefixes, field);
    return r.ok ? { ok: true, value: { kind: 'cccd', value: r.value.value, cccd: r.value }, findings: r.findings } : r;
  }
  const p = validatePassport(raw, nationality, field);
  return p.ok ? { ok: true, value: { kind: 'passport', value: p.value }, findings: [] } : p;
}

/** For logs: keep the first 4 and last 2 characters ("0010******45"). */
export function maskId(id: string): string {
  const v = normaliseIdNumber(id);
  if (v.length <= 6) return '*'.repeat(v.length);
  return v.slice(0, 4) + '*'.repeat(v.length - 6) + v.slice(-2);
}

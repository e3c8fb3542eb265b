// The dossier code (mã hồ sơ): what a candidate reads aloud to the support desk, types into the national
// portal's look-up, and sees on every page and on the form. Digits only, so a phone keypad types it:
//   CC-YY-NNNNNN-K   e.g. 01-26-004213-5
// CC the exam council (department) code, YY the exam year's last two digits, NNNNNN the department's serial
// for that year, K a Damm check digit over the 10 digits before it. Damm catches every single-digit error and
// every swap of two adjacent digits, the two mistakes people make reading a number aloud. A trial-window
// dossier's code starts with T: its data is wiped when the trial ends and its serials are its own.
// Given at the first save, kept for life.

// The Damm algorithm's quasigroup of order 10 (a totally anti-symmetric table).
const DAMM: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/** The Damm check digit of a string of digits. */
export function dammDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) {
    const d = ch.charCodeAt(0) - 48;
    if (d < 0 || d > 9) throw new Error('dammDigit: digits only');
    interim = DAMM[interim]![d]!;
  }
  return interim;
}

export const DOSSIER_SERIAL_MAX = 999_999;

/** The code of a dossier: department code, exam year, serial (1..999,999), trial or official. */
export function dossierCode(departmentCode: string, examYear: number, serial: number, isTrial = false): string {
  if (!/^\d{2}$/.test(departmentCode)) throw new Error('dossierCode: the department code has two digits');
  if (!Number.isInteger(serial) || serial < 1 || serial > DOSSIER_SERIAL_MAX) throw new Error('dossierCode: serial out of range');
  const yy = String(examYear % 100).padStart(2, '0');
  const nnnnnn = String(serial).padStart(6, '0');
  const k = dammDigit(`${departmentCode}${yy}${nnnnnn}`);
  return `${isTrial ? 'T' : ''}${departmentCode}-${yy}-${nnnnnn}-${k}`;
}

/**
 * A code as typed or read aloud (spaces, dots or no dashes, a lower-case t) in its canonical form, or null
 * when it is not a dossier code or its check digit is wrong (a typo caught before any look-up).
 */
export function parseDossierCode(input: string): string | null {
  const s = input.normalize('NFKC').trim().toUpperCase().replace(/[\s.\-_/]/g, '');
  const m = /^(T?)(\d{2})(\d{2})(\d{6})(\d)$/.exec(s);
  if (!m) return null;
  const [, trial, cc, yy, nnnnnn, k] = m;
  if (dammDigit(`${cc}${yy}${nnnnnn}`) !== Number(k)) return null;
  if (Number(nnnnnn) === 0) return null;
  return `${trial}${cc}-${yy}-${nnnnnn}-${k}`;
}

/** Whether a typed text looks like a dossier code at all (to route a search box's input). */
export const looksLikeDossierCode = (input: string): boolean => /^\s*[tT]?\s*\d{2}[\s.-]*\d{2}[\s.-]*\d{6}[\s.-]*\d\s*$/.test(input);

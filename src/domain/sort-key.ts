// A stored sort key for names whose plain byte order equals the Vietnamese order of
// compareVietnameseNames (given name, then middle, then family name, each with Intl.Collator('vi')).
// JavaScript has no collation-key API, so this rebuilds the two levels that matter for names from the
// CLDR Vietnamese tailoring: primary = the letter (a < ă < â < b … d < đ … o < ô < ơ … u < ư), secondary =
// the tone and any other accent (none < huyền < hỏi < ngã < sắc < nặng < foreign accents). Case never
// differs: stored names are upper-case.
//
// The key uses only [0-9a-z], so it sorts the same under SQLite's BINARY, PostgreSQL's "C" and the usual
// libc/ICU collations (for strings of ASCII digits and lower-case letters they all agree on byte order):
// keyset paging with `where sort_key > ?` works on both databases with a plain index.
import { normaliseName, splitName } from './names.ts';

// Primary order of base characters. Letters not in the Vietnamese alphabet (F J W Z) keep their Latin
// places. Space and the name joiners sort before letters, as ICU's root order puts them.
const PRIMARY_ORDER = [' ', '_', '-', '.', "'", '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
  'A', 'Ă', 'Â', 'B', 'C', 'D', 'Đ', 'E', 'Ê', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'Ô', 'Ơ',
  'P', 'Q', 'R', 'S', 'T', 'U', 'Ư', 'V', 'W', 'X', 'Y', 'Z'];

/** Combining marks that make a new Vietnamese letter (primary), per base letter. */
const LETTER_MARKS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  A: { '\u0306': 'Ă', '\u0302': 'Â' },
  E: { '\u0302': 'Ê' },
  O: { '\u0302': 'Ô', '\u031B': 'Ơ' },
  U: { '\u031B': 'Ư' },
};

// Secondary order of the accents, as ICU 78's Vietnamese tailoring sorts them: the five tones first,
// then the accents of foreign names.
const SECONDARY_ORDER = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323', '\u0306', '\u030C', '\u030A', '\u0308', '\u030B', '\u0307', '\u0327', '\u0328', '\u0304', '\u031B', '\u0302'];

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Separator between levels and between name parts: lower than the first character of any weight. */
const SEP = '0';

const primaryWeight = new Map<string, number>(PRIMARY_ORDER.map((c, i) => [c, i + 1]));
const secondaryWeight = new Map<string, number>(SECONDARY_ORDER.map((c, i) => [c, i + 2]));
const COMMON_SECONDARY = 1;
const PRIMARY_LIMIT = 35 * 36; // two characters, the first never '0'

/** Two characters: [1-9a-z][0-9a-z], order-preserving. */
function encodePrimary(w: number): string {
  const v = Math.min(w, PRIMARY_LIMIT - 1);
  return DIGITS[1 + Math.floor(v / 36)]! + DIGITS[v % 36]!;
}

function encodeSecondary(w: number): string {
  return DIGITS[Math.min(w, 35)]!;
}

/** Characters outside the table sort after every letter, by code point (stable and deterministic). */
function otherPrimary(ch: string): number {
  return PRIMARY_ORDER.length + 1 + (ch.codePointAt(0) ?? 0);
}

function partKey(part: string): string {
  let primary = '';
  let secondary = '';
  // NFD splits a letter from its accents; canonical order puts the dot below before the circumflex.
  const chars = [...part.normalize('NFD')];
  let i = 0;
  while (i < chars.length) {
    let base = chars[i]!;
    i += 1;
    const marks: string[] = [];
    while (i < chars.length && /\p{M}/u.test(chars[i]!)) marks.push(chars[i++]!);
    if (base === 'đ' || base === 'Đ') base = 'Đ';
    else base = base.toUpperCase();
    // at most one accent turns the letter into another Vietnamese letter (Ă, Â, Ê, Ô, Ơ, Ư)
    const letterMarks = LETTER_MARKS[base];
    let promoted = false;
    const rest: string[] = [];
    for (const m of marks) {
      const letter = promoted ? undefined : letterMarks?.[m];
      if (letter) {
        base = letter;
        promoted = true;
      } else rest.push(m);
    }
    primary += encodePrimary(primaryWeight.get(base) ?? otherPrimary(base));
    secondary += encodeSecondary(COMMON_SECONDARY);
    for (const m of rest) secondary += encodeSecondary(secondaryWeight.get(m) ?? 35);
  }
  return primary + SEP + secondary + SEP;
}

/**
 * The sort key of a full name: compare keys as plain strings to get compareVietnameseNames' order.
 * Equal keys mean the collator finds the names equal; break ties with the record id.
 */
export function nameSortKey(fullName: string): string {
  const p = splitName(normaliseName(fullName));
  return partKey(p.given) + partKey(p.middle) + partKey(p.family);
}

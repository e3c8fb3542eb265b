// People's names: normalise what was typed to the form printed on the birth certificate (capitals with
// diacritics), validate it, split it, fold it for search and sort it the Vietnamese way.
import { error, warning, type Finding } from './messages.ts';

/**
 * Longest accepted full name, in characters after normalisation. The paper form (phiếu ĐKDT) gives the
 * name one line; real Vietnamese names rarely pass 30 characters. 50 leaves room for long ethnic-minority
 * and foreign names (*assumption*: no published limit was found; keep it a named constant to adjust).
 */
export const NAME_MAX_LENGTH = 50;
/** Shortest accepted full name, in letters ("Y" alone is an Ê-đê given-name particle, not a name). */
export const NAME_MIN_LENGTH = 2;

// Zero-width and other invisible format characters that copy-paste from chat apps and Word drags in.
// \p{Cf} covers ZWSP/ZWNJ/ZWJ, BOM, soft hyphen, bidi marks; \p{Cc} the C0/C1 controls.
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;
// Those of them that stand where a break was (a zero-width space or joiner, the word joiner, a BOM, a soft
// hyphen, the Mongolian vowel separator) count as a space: a Vietnamese word is one syllable and never holds
// one, so "NGUYỄN\u200DVĂN" is two words, not "NGUYỄNVĂN". Tabs and line breaks are spaces too (they are
// also controls, so spaces are read before the rest of the invisible characters go).
const INVISIBLE_BREAKS = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;
// Every kind of space (NBSP, ideographic space, tabs…) counts as a word break.
const SPACES = /[\s\p{Zs}]+/gu;
// Word-internal joiners real names use: the apostrophe in Ê-đê / Gia-rai names ("H'HEN NIÊ") and the
// hyphen in transcribed foreign names ("JEAN-PIERRE"). Typographic apostrophes fold to ASCII.
const APOSTROPHES = /[\u2018\u2019\u02BC\u02B9\u0060\u00B4]/g;

/**
 * The stored form of a name: NFC, invisible characters removed, spaces collapsed, trimmed, upper-case
 * with diacritics kept ("nguyễn  văn\u200B an" → "NGUYỄN VĂN AN"). Idempotent.
 */
export function normaliseName(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(INVISIBLE_BREAKS, ' ')
    .replace(SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(APOSTROPHES, "'")
    .replace(SPACES, ' ')
    .trim()
    .toLocaleUpperCase('vi')
    .normalize('NFC');
}

const LATIN_LETTER = /^[\p{Script=Latin}]$/u;
const LETTER = /^\p{L}$/u;
const LOOKALIKE_SCRIPT = /^[\p{Script=Cyrillic}\p{Script=Greek}]$/u;
const DIGIT = /^\p{N}$/u;

/** Errors and warnings for a full name; `raw` is normalised first, so pass what the candidate typed. */
export function validateName(raw: string, field = 'personal.fullName'): Finding[] {
  const name = normaliseName(raw);
  if (name.length === 0) {
    return [error('REQUIRED', field, 'Vui lòng nhập họ và tên.', 'Enter the full name.')];
  }
  const findings: Finding[] = [];
  const chars = [...name];
  const lookalikes = chars.filter((c) => LOOKALIKE_SCRIPT.test(c));
  if (lookalikes.length > 0) {
    // A Cyrillic "А" or Greek "Ο" looks identical to the Latin letter but breaks search, sorting and
    // the match against the population database: name it specifically so the candidate can find it.
    findings.push(
      error(
        'NAME_LOOKALIKE_LETTER',
        field,
        `Họ tên chứa chữ cái Kirin/Hy Lạp trông giống chữ Latinh (${lookalikes.join(' ')}). Hãy gõ lại bằng bàn phím tiếng Việt.`,
        `The name contains Cyrillic/Greek letters that look like Latin ones (${lookalikes.join(' ')}). Retype it with a Vietnamese keyboard.`,
        { chars: lookalikes.join('') },
      ),
    );
  }
  if (chars.some((c) => DIGIT.test(c))) {
    findings.push(error('NAME_HAS_DIGIT', field, 'Họ tên không được chứa chữ số.', 'The name must not contain digits.'));
  }
  const others = chars.filter(
    (c) => c !== ' ' && c !== "'" && c !== '-' && !LATIN_LETTER.test(c) && !LOOKALIKE_SCRIPT.test(c) && !DIGIT.test(c),
  );
  const badJoiners = name.split(' ').some((w) => /^['-]|['-]$|['-]{2}/.test(w));
  if (others.length > 0 || badJoiners) {
    const shown = [...new Set(others)].join(' ');
    findings.push(
      error(
        'NAME_INVALID_CHARACTER',
        field,
        `Họ tên chỉ gồm chữ cái tiếng Việt hoặc Latinh${shown ? ` (không dùng: ${shown})` : ''}.`,
        `The name may contain only Vietnamese or Latin letters${shown ? ` (not allowed: ${shown})` : ''}.`,
        shown ? { chars: shown } : undefined,
      ),
    );
  }
  const letters = chars.filter((c) => LETTER.test(c)).length;
  if (letters < NAME_MIN_LENGTH) {
    findings.push(
      error('NAME_TOO_SHORT', field, `Họ tên phải có ít nhất ${NAME_MIN_LENGTH} chữ cái.`, `The name must have at least ${NAME_MIN_LENGTH} letters.`, { min: NAME_MIN_LENGTH }),
    );
  }
  if (chars.length > NAME_MAX_LENGTH) {
    findings.push(
      error('NAME_TOO_LONG', field, `Họ tên dài tối đa ${NAME_MAX_LENGTH} ký tự.`, `The name may be at most ${NAME_MAX_LENGTH} characters long.`, { max: NAME_MAX_LENGTH }),
    );
  }
  if (findings.length === 0 && !name.includes(' ')) {
    // Some foreign and ethnic-minority names are one word; usually it means the family name is missing.
    findings.push(
      warning('NAME_SINGLE_WORD', field, 'Họ tên chỉ có một từ. Hãy kiểm tra đã nhập đủ họ, chữ đệm và tên như trên giấy khai sinh.', 'The name is a single word. Check that the family, middle and given names are all there, as on the birth certificate.'),
    );
  }
  return findings;
}

export interface NameParts {
  family: string;
  middle: string;
  given: string;
}

/**
 * Family name = first word, given name = last word, the rest is the middle name (chữ đệm). A one-word
 * name is all given name. Compound family names ("TÔN THẤT", "ÂU DƯƠNG") cannot be told from a middle
 * name without a list, and sorting only needs the given name to be right.
 */
export function splitName(raw: string): NameParts {
  const words = normaliseName(raw).split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return { family: '', middle: '', given: '' };
  if (words.length === 1) return { family: '', middle: '', given: words[0] ?? '' };
  return { family: words[0] ?? '', middle: words.slice(1, -1).join(' '), given: words[words.length - 1] ?? '' };
}

/**
 * Search key: lower-case, no diacritics, đ → d, spaces collapsed ("Nguyễn Thị Đào" → "nguyen thi dao"),
 * so a support agent can find a candidate typed without a Vietnamese keyboard.
 */
export function foldDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .replace(INVISIBLE_BREAKS, ' ')
    .replace(SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .trim()
    .toLowerCase();
}

const collator = new Intl.Collator('vi', { sensitivity: 'variant' });

/**
 * Vietnamese name order for class lists and room lists: by given name, then middle name, then family
 * name, each with Vietnamese collation (a < ă < â < b, d < đ). Use as `names.sort(compareVietnameseNames)`.
 */
export function compareVietnameseNames(a: string, b: string): number {
  const pa = splitName(a);
  const pb = splitName(b);
  return (
    collator.compare(pa.given, pb.given) ||
    collator.compare(pa.middle, pb.middle) ||
    collator.compare(pa.family, pb.family) ||
    collator.compare(normaliseName(a), normaliseName(b))
  );
}

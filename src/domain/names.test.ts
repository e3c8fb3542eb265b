import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVietnameseNames, foldDiacritics, NAME_MAX_LENGTH, normaliseName, splitName, validateName } from './names.ts';

const codes = (raw: string) => validateName(raw).map((f) => f.code);

test('NFD input gives the same NFC output as NFC input', () => {
  const nfc = 'Nguyễn Thị Ánh Tuyết'.normalize('NFC');
  const nfd = nfc.normalize('NFD');
  assert.notEqual(nfd, nfc);
  assert.equal(normaliseName(nfd), normaliseName(nfc));
  assert.equal(normaliseName(nfd), 'NGUYỄN THỊ ÁNH TUYẾT');
  assert.equal(normaliseName(nfd), normaliseName(nfd).normalize('NFC'));
});

test('zero-width joiner, ZWSP, BOM, soft hyphen and controls are stripped; spaces collapse and trim', () => {
  assert.equal(normaliseName('\uFEFF  trần\u200D văn\u200B\u00AD  \t bình\u0007 '), 'TRẦN VĂN BÌNH');
  assert.equal(normaliseName('LÊ\u00A0\u00A0HOA'), 'LÊ HOA');
  assert.deepEqual(codes('nguyễn\u200Dvăn an'), []);
});

test('an invisible joiner or break between two words is a space, never a merge (issue 19)', () => {
  for (const ch of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\t', '\n']) {
    assert.equal(normaliseName(`nguyễn${ch}văn an`), 'NGUYỄN VĂN AN', JSON.stringify(ch));
    assert.equal(foldDiacritics(`Nguyễn${ch}Văn An`), 'nguyen van an', JSON.stringify(ch));
  }
  // a bidi mark or a bell inside a word is simply dropped
  assert.equal(normaliseName('ng\u200Euyễn v\u0007ăn'), 'NGUYỄN VĂN');
});

test('normalisation is idempotent and keeps diacritics when upper-casing', () => {
  const once = normaliseName('đặng ngọc ơn ưng');
  assert.equal(once, 'ĐẶNG NGỌC ƠN ƯNG');
  assert.equal(normaliseName(once), once);
});

test('a plain Vietnamese name is valid', () => {
  assert.deepEqual(validateName('Nguyễn Văn An'), []);
  assert.deepEqual(validateName("H'Hen Niê"), []); // Ê-đê names use an apostrophe
  assert.deepEqual(validateName('H’Hen Niê'), []); // typographic apostrophe folds
  assert.deepEqual(validateName('Jean-Pierre Dupont'), []);
});

test("Cyrillic 'А' and Greek 'Ο' are rejected with their own code", () => {
  const f = validateName('NGUYỄN VĂN \u0410N'); // Cyrillic capital A
  assert.deepEqual(f.map((x) => x.code), ['NAME_LOOKALIKE_LETTER']);
  assert.equal(f[0]?.field, 'personal.fullName');
  assert.equal(f[0]?.params?.chars, '\u0410');
  assert.deepEqual(codes('HOÀNG \u039FANH'), ['NAME_LOOKALIKE_LETTER']);
});

test('digits and punctuation are rejected', () => {
  assert.deepEqual(codes('Nguyễn Văn An 2'), ['NAME_HAS_DIGIT']);
  assert.deepEqual(codes('Nguyễn Văn An.'), ['NAME_INVALID_CHARACTER']);
  assert.deepEqual(codes('Nguyễn, Văn'), ['NAME_INVALID_CHARACTER']);
  assert.deepEqual(codes("'Nguyễn Văn"), ['NAME_INVALID_CHARACTER']); // joiner must be inside a word
  assert.deepEqual(codes('Lê--Hoa'), ['NAME_INVALID_CHARACTER']);
  assert.deepEqual(codes('王 小明'), ['NAME_INVALID_CHARACTER']);
});

test('empty and length limits at their edges', () => {
  assert.deepEqual(codes(''), ['REQUIRED']);
  assert.deepEqual(codes(' \u200B '), ['REQUIRED']);
  assert.deepEqual(codes('A'), ['NAME_TOO_SHORT']);
  assert.deepEqual(codes('AN'), ['NAME_SINGLE_WORD']); // valid, a warning only
  const exact = 'NGUYỄN ' + 'A'.repeat(NAME_MAX_LENGTH - 7);
  assert.equal([...exact].length, NAME_MAX_LENGTH);
  assert.deepEqual(codes(exact), []);
  assert.deepEqual(codes(exact + 'A'), ['NAME_TOO_LONG']);
});

test('a single-word name is a warning, not an error', () => {
  const f = validateName('Mai');
  assert.equal(f.length, 1);
  assert.equal(f[0]?.severity, 'warning');
  assert.match(f[0]?.vi ?? '', /giấy khai sinh/);
});

test('split: family = first word, given = last word, middle = the rest', () => {
  assert.deepEqual(splitName('Nguyễn Thị Ánh Tuyết'), { family: 'NGUYỄN', middle: 'THỊ ÁNH', given: 'TUYẾT' });
  assert.deepEqual(splitName('Lê Hoa'), { family: 'LÊ', middle: '', given: 'HOA' });
  assert.deepEqual(splitName('Mai'), { family: '', middle: '', given: 'MAI' });
  assert.deepEqual(splitName('   '), { family: '', middle: '', given: '' });
});

test('foldDiacritics: lower-case, no marks, đ → d', () => {
  assert.equal(foldDiacritics('Nguyễn Thị Đào'), 'nguyen thi dao');
  assert.equal(foldDiacritics('ĐẶNG ƯỚC'.normalize('NFD')), 'dang uoc');
  assert.equal(foldDiacritics('  Hồ\u200B  Xuân   Hương '), 'ho xuan huong');
});

test('names sort by given, then middle, then family, with Vietnamese collation', () => {
  const names = ['Trần Văn Bình', 'Nguyễn Văn An', 'Lê Thị Ánh', 'Phạm Đức Dũng', 'Vũ Ăn', 'Hồ Văn An', 'Đỗ Đức Dũng', 'Bùi Anh Đạt'];
  const sorted = [...names].sort(compareVietnameseNames);
  assert.deepEqual(sorted, [
    'Hồ Văn An', // An: same given and middle, family Hồ < Nguyễn
    'Nguyễn Văn An',
    'Lê Thị Ánh', // a < á (tone is a secondary difference)
    'Vũ Ăn', // a < ă
    'Trần Văn Bình',
    'Đỗ Đức Dũng', // same given and middle: family decides, Đ (after D) < P
    'Phạm Đức Dũng',
    'Bùi Anh Đạt', // d < đ, so Dũng before Đạt
  ]);
  assert.equal(compareVietnameseNames('nguyễn văn an', 'NGUYỄN VĂN AN'), 0);
});

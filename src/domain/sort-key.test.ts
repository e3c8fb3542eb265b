import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameSortKey } from './sort-key.ts';
import { compareVietnameseNames } from './names.ts';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byKey = (a: string, b: string) => {
  const ka = nameSortKey(a);
  const kb = nameSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

// A small deterministic generator (the domain takes no clock and no global randomness).
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Âu', 'Ưng', 'Ông', 'Ơn'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Ngọc', 'Thị Ngọc', 'Minh', 'Quốc', 'Thu', 'Xuân', 'Ánh', 'Ẩn', '', 'Bảo', 'Gia'];
const GIVEN = ['An', 'Ân', 'Ấn', 'Ăn', 'Anh', 'Ánh', 'Ảnh', 'Bình', 'Cường', 'Dũng', 'Đào', 'Đạt', 'Hà', 'Hạ', 'Hả', 'Hã', 'Há', 'Ha', 'Hoa', 'Hòa', 'Hỏa', 'Hóa', 'Ơn', 'Ôn', 'On', 'Ưng', 'Ung', 'Ứng', 'Ệ', 'Ể', 'Ẹ', 'Yến', 'Ý', 'Y', 'Tú', 'Tư', 'Từ', 'Tự', 'Tử', 'Tữ', 'Trâm', 'Tâm', 'Chi', 'Châu', 'Nhi', 'Ngân', 'Nga'];
const FOREIGN = ["H'Hen Niê", 'Jean-Pierre Dupont', 'Zoë Smith', 'José García', 'Ñandú Wu', 'Çelik Ferhat', 'Åsa Öberg'];

function name(r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return [pick(FAMILY), pick(MIDDLE), pick(GIVEN)].filter(Boolean).join(' ');
}

test('the key orders Vietnamese letters and tones as Intl.Collator("vi") does', () => {
  const letters = ['A', 'Ă', 'Â', 'B', 'D', 'Đ', 'E', 'Ê', 'O', 'Ô', 'Ơ', 'U', 'Ư', 'Z'];
  const tones = ['A', 'À', 'Ả', 'Ã', 'Á', 'Ạ'];
  for (const list of [letters, tones]) {
    const expected = [...list].sort((a, b) => compareVietnameseNames(`X ${a}`, `X ${b}`));
    const got = [...list].sort((a, b) => byKey(`X ${a}`, `X ${b}`));
    assert.deepEqual(got, expected);
  }
});

test('given name first, then middle, then family name', () => {
  assert.ok(nameSortKey('Trần Văn An') < nameSortKey('Nguyễn Văn Bình'));
  assert.ok(nameSortKey('Nguyễn Thị An') < nameSortKey('Nguyễn Văn An'));
  assert.ok(nameSortKey('Lê Văn An') < nameSortKey('Nguyễn Văn An'));
  assert.ok(nameSortKey('Lê An') < nameSortKey('Lê Văn An'), 'an empty middle name comes first');
  assert.ok(nameSortKey('Lê Văn An') < nameSortKey('Lê Văn Anh'), 'a prefix comes first');
});

test('the key uses only [0-9a-z] and is the same for any spelling of the same name', () => {
  assert.match(nameSortKey("H'Hen Niê"), /^[0-9a-z]+$/);
  assert.equal(nameSortKey('nguyễn  văn an'), nameSortKey('NGUYỄN VĂN AN'));
  assert.equal(nameSortKey('Nguye\u0302\u0303n Va\u0306n An'), nameSortKey('Nguyễn Văn An'));
});

test('byte order of keys equals compareVietnameseNames on 20,000 random pairs', () => {
  const r = rng(42);
  let checked = 0;
  for (let i = 0; i < 20_000; i++) {
    const a = r() < 0.03 ? FOREIGN[Math.floor(r() * FOREIGN.length)]! : name(r);
    const b = r() < 0.03 ? FOREIGN[Math.floor(r() * FOREIGN.length)]! : name(r);
    assert.equal(byKey(a, b), sign(compareVietnameseNames(a, b)), `${a} vs ${b}`);
    checked++;
  }
  assert.equal(checked, 20_000);
});

test('sorting a list by key equals sorting it with the collator', () => {
  const r = rng(7);
  const names = Array.from({ length: 3000 }, () => name(r));
  const expected = [...names].sort(compareVietnameseNames);
  const got = [...names].sort(byKey);
  assert.deepEqual(got, expected);
});

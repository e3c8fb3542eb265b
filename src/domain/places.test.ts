import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldName, matchesName, searchByName } from './places.ts';

test('names fold without diacritics, đ included', () => {
  assert.equal(foldName('Phường Ba Đình'), 'phuong ba dinh');
  assert.equal(foldName('  Xã  Ia Mơ '), 'xa ia mo');
  assert.equal(foldName('Thừa Thiên Huế'), 'thua thien hue');
});

test('a name is found from words typed without diacritics, in any order, with or without its kind', () => {
  assert.ok(matchesName('ba dinh', 'Phường Ba Đình'));
  assert.ok(matchesName('dinh ba', 'Phường Ba Đình'));
  assert.ok(matchesName('phuong ba d', 'Phường Ba Đình'));
  assert.ok(matchesName('00004', 'Phường Ba Đình', '00004'));
  assert.ok(!matchesName('ba dinh x', 'Phường Ba Đình'));
  assert.ok(!matchesName('hoan kiem', 'Phường Ba Đình'));
});

test('search puts names that start with the query first', () => {
  const items = [
    { code: '1', name: 'Phường Tây Hồ' },
    { code: '2', name: 'Xã Hồ Tây' },
    { code: '3', name: 'Phường Hoàn Kiếm' },
  ];
  assert.deepEqual(searchByName(items, 'ho').map((i) => i.code), ['3', '2', '1']);
  assert.deepEqual(searchByName(items, 'tay ho').map((i) => i.code), ['1', '2']);
  assert.equal(searchByName(items, '', 2).length, 2);
});

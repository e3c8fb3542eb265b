import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonWithList } from './json-pieces.ts';

test('jsonWithList writes the same JSON as JSON.stringify, whatever the length of the list', () => {
  const line = (i: number) => ({ n: i, name: i % 2 ? 'NGUYỄN VĂN ẤN' : 'CAO 100% "THỊ"_LAN\\', none: null, flags: { a: true } });
  for (const n of [0, 1, 49, 50, 51, 1000]) {
    const list = Array.from({ length: n }, (_, i) => line(i));
    for (const head of [{}, { examYear: 2026, nextCursor: null }, { cursor: 'a"b' }]) {
      const bytes = jsonWithList(head, 'items', list);
      assert.equal(bytes.toString('utf8'), JSON.stringify({ ...head, items: list }), `${n} lines, head ${JSON.stringify(head)}`);
    }
  }
});

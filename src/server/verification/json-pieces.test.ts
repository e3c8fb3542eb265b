import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonWithElements } from './json-pieces.ts';

test('jsonWithElements writes the same JSON as JSON.stringify, whatever the length of the list', () => {
  const line = (i: number) => ({ n: i, name: i % 2 ? 'NGUYỄN VĂN ẤN' : 'CAO 100% "THỊ"_LAN\\', none: null, flags: { a: true } });
  for (const n of [0, 1, 2, 50, 1000]) {
    const list = Array.from({ length: n }, (_, i) => line(i));
    for (const head of [{}, { examYear: 2026, nextCursor: null }, { cursor: 'a"b' }]) {
      const bytes = jsonWithElements(head, 'items', list.map((l) => JSON.stringify(l)).join(','));
      assert.equal(bytes.toString('utf8'), JSON.stringify({ ...head, items: list }), `${n} lines, head ${JSON.stringify(head)}`);
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTag, noneMatchHits } from './etag.ts';

test('a read answer’s tag follows its content, and If-None-Match is compared weakly, in lists and with *', () => {
  const a = contentTag({ wishes: 3 });
  assert.match(a, /^W\/"[A-Za-z0-9_-]{27}"$/);
  assert.equal(contentTag({ wishes: 3 }), a);
  assert.notEqual(contentTag({ wishes: 4 }), a);
  assert.equal(noneMatchHits(a, a), true);
  assert.equal(noneMatchHits(a.slice(2), a), true, 'a strong copy of the same tag');
  assert.equal(noneMatchHits(`W/"old", ${a}`, a), true);
  assert.equal(noneMatchHits('*', a), true);
  assert.equal(noneMatchHits('W/"old"', a), false);
  assert.equal(noneMatchHits(undefined, a), false);
});

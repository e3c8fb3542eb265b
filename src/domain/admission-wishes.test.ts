import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionWindowState, checkWishList, searchKey } from './admission-wishes.ts';

test('the window opens at its start and is closed from 17:00 local on the last day', () => {
  const w = { opensAt: '2026-07-16T00:00:00+07:00', closesAt: '2026-07-28T17:00:00+07:00' };
  assert.equal(admissionWindowState(w, new Date('2026-07-15T16:59:59Z')), 'not_open');
  assert.equal(admissionWindowState(w, new Date('2026-07-15T17:00:00Z')), 'open');
  assert.equal(admissionWindowState(w, new Date('2026-07-28T09:59:59Z')), 'open');
  assert.equal(admissionWindowState(w, new Date('2026-07-28T10:00:00Z')), 'closed');
  assert.equal(admissionWindowState(null, new Date()), 'not_open');
});

test('search keys fold diacritics and đ, so "su pham" finds "Sư phạm" and "dien" finds "Điện"', () => {
  assert.equal(searchKey('Sư phạm  Toán học'), 'su pham toan hoc');
  assert.equal(searchKey('Kỹ thuật Điện'), 'ky thuat dien');
});

test('a list repeating a programme or over the cap is refused, naming the position', () => {
  assert.deepEqual(checkWishList(['A', 'B'], { wishCap: 15 }), []);
  const dup = checkWishList(['A', 'B', 'A'], { wishCap: 15 });
  assert.deepEqual(dup.map((f) => [f.code, f.field]), [['WISH_DUPLICATE', 'wishes.3']]);
  assert.deepEqual(checkWishList(['A', 'B', 'C'], { wishCap: 2 }).map((f) => f.code), ['WISHES_TOO_MANY']);
  assert.deepEqual(checkWishList(Array.from({ length: 40 }, (_, i) => `P${i}`), { wishCap: null }), []);
});

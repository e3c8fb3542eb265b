import { test } from 'node:test';
import assert from 'node:assert/strict';
import { photoProblems } from './photo.ts';

test('a landscape or square photo is refused as such, with its size', () => {
  const f = photoProblems(1200, 800);
  assert.deepEqual(f.map((x) => x.code), ['PHOTO_NOT_PORTRAIT']);
  assert.match(f[0]?.vi ?? '', /nằm ngang \(1200×800/);
  assert.deepEqual(photoProblems(800, 800).map((x) => x.code), ['PHOTO_NOT_PORTRAIT']);
});

test('a small upright photo is refused for its size, not its shape', () => {
  const f = photoProblems(300, 400);
  assert.deepEqual(f.map((x) => x.code), ['PHOTO_TOO_SMALL']);
  assert.match(f[0]?.en ?? '', /300×400 pixels.*at least 400×600/);
});

test('3×4 and 4×6 pass; a strip does not', () => {
  assert.deepEqual(photoProblems(450, 600), []);
  assert.deepEqual(photoProblems(400, 600), []);
  assert.deepEqual(photoProblems(600, 800), []);
  assert.deepEqual(photoProblems(400, 1200).map((x) => x.code), ['PHOTO_RATIO']);
});

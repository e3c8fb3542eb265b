import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dammDigit, dossierCode, looksLikeDossierCode, parseDossierCode } from './dossier-code.ts';

describe('dossier code', () => {
  it('Damm check digit: the published example 572 → 4, and a valid number checks to 0', () => {
    assert.equal(dammDigit('572'), 4);
    assert.equal(dammDigit('5724'), 0);
  });

  it('formats council, year, serial and check digit; a trial code starts with T', () => {
    const c = dossierCode('01', 2026, 4213);
    assert.match(c, /^01-26-004213-\d$/);
    assert.equal(dammDigit(c.replace(/-/g, '')), 0);
    assert.match(dossierCode('64', 2025, 1, true), /^T64-25-000001-\d$/);
    assert.throws(() => dossierCode('1', 2026, 1));
    assert.throws(() => dossierCode('01', 2026, 0));
    assert.throws(() => dossierCode('01', 2026, 1_000_000));
  });

  it('reads a code typed with spaces, dots or no dashes back to its canonical form', () => {
    const c = dossierCode('79', 2026, 120034);
    const digits = c.replace(/-/g, '');
    assert.equal(parseDossierCode(digits), c);
    assert.equal(parseDossierCode(` ${digits.slice(0, 2)} ${digits.slice(2, 4)}.${digits.slice(4, 10)} ${digits.slice(10)} `), c);
    assert.equal(parseDossierCode(`t${digits}`), `T${c}`);
    assert.ok(looksLikeDossierCode(digits));
    assert.ok(!looksLikeDossierCode('001208100001'), 'a 12-digit CCCD is not a dossier code');
  });

  it('catches every single-digit error and every adjacent swap', () => {
    for (const serial of [1, 4213, 99999, 120034, 999999]) {
      const c = dossierCode('01', 2026, serial).replace(/-/g, '');
      for (let i = 0; i < c.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === c[i]) continue;
          const typo = c.slice(0, i) + d + c.slice(i + 1);
          assert.equal(parseDossierCode(typo), null, `${typo} must be refused`);
        }
        if (i + 1 < c.length && c[i] !== c[i + 1]) {
          const swapped = c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2);
          assert.equal(parseDossierCode(swapped), null, `${swapped} must be refused`);
        }
      }
    }
  });
});

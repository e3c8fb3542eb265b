import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idNumberVsAccount, statusVsAccount } from './account-match.ts';

test('a dossier number that is not the account’s is a warning on personal.idNumber; the same number written with spaces is not', () => {
  const acc = { idNumber: '001208012345', candidateType: 'current' as const };
  assert.deepEqual(idNumberVsAccount('001 208 012345', acc), []);
  const f = idNumberVsAccount('001308054321', acc);
  assert.deepEqual(f.map((x) => [x.code, x.field, x.severity]), [['ID_NUMBER_NOT_ACCOUNT', 'personal.idNumber', 'warning']]);
});

test('a current 12th-grader in the school’s list declaring a free or graduated candidate is a warning; a free account is not', () => {
  const current = { idNumber: '001208012345', candidateType: 'current' as const };
  assert.deepEqual(statusVsAccount({ candidateType: 'current', graduated: false }, current), []);
  assert.deepEqual(statusVsAccount({ candidateType: 'free', graduated: true }, current).map((x) => [x.code, x.severity]), [['STATUS_NOT_AS_IMPORTED', 'warning']]);
  assert.equal(statusVsAccount({ candidateType: 'current', graduated: true }, current).length, 1);
  assert.deepEqual(statusVsAccount({ candidateType: 'free', graduated: true }, { ...current, candidateType: 'free' }), []);
});

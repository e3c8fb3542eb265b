import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityFromClaims, vneidDate, vneidSignInRefusal, VNEID_REFUSALS, type VneidIdentity } from './vneid.ts';

const CLAIMS = {
  sub: '001208100001',
  SoDinhDanh: '001208100001',
  HoVaTen: 'Nguyễn Văn  An'.normalize('NFD'),
  NgayThangNamSinh: '20080314',
  GioiTinh: 'Nam',
  DanToc: '01',
  ThuongTru: { MaTinh: '01', MaXa: '00004', ChiTiet: 'Số 1' },
  MucDoDinhDanh: '2',
  NhaCungCapDinhDanh: 'VNeID',
};

test('the identity is read from the claims: NFC name, ISO date, gender, level, residence', () => {
  const r = identityFromClaims(CLAIMS);
  assert.ok('identity' in r);
  assert.equal(r.identity.fullName, 'Nguyễn Văn An'.normalize('NFC'));
  assert.equal(r.identity.dateOfBirth, '2008-03-14');
  assert.equal(r.identity.gender, 'M');
  assert.equal(r.identity.level, 2);
  assert.deepEqual(r.identity.permanentResidence, { provinceCode: '01', communeCode: '00004' });
  assert.equal(r.identity.currentResidence, null);
});

test('missing or unreadable claims are named', () => {
  const r = identityFromClaims({ ...CLAIMS, NgayThangNamSinh: '20080231', GioiTinh: undefined, MucDoDinhDanh: '3', SoDinhDanh: '12345' });
  assert.ok('missing' in r);
  assert.deepEqual(r.missing.sort(), ['GioiTinh', 'MucDoDinhDanh', 'NgayThangNamSinh', 'SoDinhDanh']);
  assert.equal(vneidDate('20240229'), '2024-02-29');
  assert.equal(vneidDate('20230229'), null);
  assert.ok('identity' in identityFromClaims({ ...CLAIMS, GioiTinh: 'Nữ' }));
});

test('who may sign in: level, an existing account’s role, status and date of birth', () => {
  const id = (identityFromClaims(CLAIMS) as { identity: VneidIdentity }).identity;
  assert.equal(vneidSignInRefusal(id, 2, null), null);
  assert.equal(vneidSignInRefusal({ ...id, level: 1 }, 2, null), 'VNEID_LEVEL_TOO_LOW');
  assert.equal(vneidSignInRefusal({ ...id, level: 1 }, 1, null), null);
  assert.equal(vneidSignInRefusal(id, 2, { role: 'candidate', status: 'active', dateOfBirth: '2008-03-14' }), null);
  assert.equal(vneidSignInRefusal(id, 2, { role: 'candidate', status: 'not_issued', dateOfBirth: '2008-03-15' }), 'VNEID_BIRTH_DATE_MISMATCH');
  assert.equal(vneidSignInRefusal(id, 2, { role: 'candidate', status: 'disabled', dateOfBirth: '2008-03-14' }), 'VNEID_ACCOUNT_UNUSABLE');
  assert.equal(vneidSignInRefusal(id, 2, { role: 'point_officer', status: 'active', dateOfBirth: null }), 'VNEID_ACCOUNT_UNUSABLE');
  for (const m of Object.values(VNEID_REFUSALS)) assert.ok(m.vi.length > 10 && m.en.length > 10);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_FIELDS, fromVnpDate, hmacSha512, signApi, signParams, signedData, verifyApi, verifyParams, vnpDate } from './gateway-protocol.ts';

const SECRET = 'TESTSECRET0123456789';

test('the signed data: vnp_ keys sorted, form-encoded, the hash fields and empty values left out', () => {
  const d = signedData({ vnp_TxnRef: 'A1', vnp_Amount: '4500000', vnp_OrderInfo: 'Le phi xet tuyen 3 nguyen vong', vnp_SecureHash: 'x', vnp_SecureHashType: 'SHA512', vnp_BankCode: '', other: 'y' });
  assert.equal(d, 'vnp_Amount=4500000&vnp_OrderInfo=Le+phi+xet+tuyen+3+nguyen+vong&vnp_TxnRef=A1');
});

test('HMAC-SHA512 in hex, 128 characters, as the gateway computes it', () => {
  const h = hmacSha512(SECRET, 'vnp_Amount=100');
  assert.match(h, /^[0-9a-f]{128}$/);
  assert.equal(h, hmacSha512(SECRET, 'vnp_Amount=100'));
  assert.notEqual(h, hmacSha512(`${SECRET}x`, 'vnp_Amount=100'));
});

test('signed parameters verify; any change of a value, of the secret or of the hash does not', () => {
  const p = signParams({ vnp_TxnRef: 'A1', vnp_Amount: '4500000', vnp_OrderInfo: 'Lệ phí xét tuyển' }, SECRET);
  assert.equal(verifyParams(p, SECRET), true);
  assert.equal(verifyParams({ ...p, vnp_Amount: '4500001' }, SECRET), false);
  assert.equal(verifyParams({ ...p, vnp_Extra: '1' }, SECRET), false);
  assert.equal(verifyParams(p, 'another secret'), false);
  assert.equal(verifyParams({ ...p, vnp_SecureHash: p['vnp_SecureHash']!.toUpperCase() }, SECRET), true);
  assert.equal(verifyParams({ ...p, vnp_SecureHash: 'abc' }, SECRET), false);
  const { vnp_SecureHash: _h, ...unsigned } = p;
  assert.equal(verifyParams(unsigned, SECRET), false);
});

test("the API's '|'-joined signature covers its fields in order", () => {
  const body = { vnp_RequestId: 'r1', vnp_Version: '2.1.0', vnp_Command: 'querydr', vnp_TmnCode: 'M', vnp_TxnRef: 'A1', vnp_TransactionDate: '20260715080000', vnp_CreateDate: '20260715080100', vnp_IpAddr: '127.0.0.1', vnp_OrderInfo: 'q' };
  const signed = { ...body, vnp_SecureHash: signApi(API_FIELDS.querydr, body, SECRET) };
  assert.equal(verifyApi(API_FIELDS.querydr, signed, SECRET), true);
  assert.equal(verifyApi(API_FIELDS.querydr, { ...signed, vnp_TxnRef: 'A2' }, SECRET), false);
});

test('gateway dates are GMT+7 yyyyMMddHHmmss', () => {
  const d = new Date('2026-07-15T10:00:05Z');
  assert.equal(vnpDate(d), '20260715170005');
  assert.equal(fromVnpDate('20260715170005')?.toISOString(), d.toISOString());
  assert.equal(fromVnpDate('2026'), null);
});

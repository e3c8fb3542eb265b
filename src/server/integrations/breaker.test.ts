import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BreakerOpenError, CircuitBreaker } from './breaker.ts';

const failing = async () => {
  throw new Error('down');
};
const all = () => true;

test('closed → open after the threshold of failures in a row; an open breaker refuses without calling', async () => {
  const t = 0;
  const b = new CircuitBreaker('portal', { failureThreshold: 3, coolDownMs: 1000, now: () => t });
  let calls = 0;
  const counted = async () => {
    calls++;
    throw new Error('down');
  };
  for (let i = 0; i < 3; i++) await assert.rejects(b.run(counted, all), /down/);
  assert.equal(b.state(), 'open');
  await assert.rejects(b.run(counted, all), BreakerOpenError);
  assert.equal(calls, 3, 'no call while open');
  const s = b.snapshot();
  assert.equal(s.failures, 3);
  assert.equal(s.rejected, 1);
  assert.equal(s.opened, 1);
  assert.equal(s.reopensAt, 1000);
});

test('after the cool-down one trial goes through: success closes, failure opens again', async () => {
  let t = 0;
  const b = new CircuitBreaker('population', { failureThreshold: 2, coolDownMs: 500, now: () => t });
  await assert.rejects(b.run(failing, all));
  await assert.rejects(b.run(failing, all));
  t = 499;
  assert.equal(b.state(), 'open');
  t = 500;
  assert.equal(b.state(), 'half_open');
  await assert.rejects(b.run(failing, all), /down/);
  assert.equal(b.state(), 'open', 'a failed trial opens it again');
  assert.equal(b.snapshot().opened, 2);
  t = 1000;
  assert.equal(await b.run(async () => 'ok', all), 'ok');
  assert.equal(b.state(), 'closed');
  assert.equal(b.snapshot().consecutiveFailures, 0);
});

test('while a half-open trial is in flight, other calls are refused', async () => {
  let t = 0;
  const b = new CircuitBreaker('portal', { failureThreshold: 1, coolDownMs: 10, now: () => t });
  await assert.rejects(b.run(failing, all));
  t = 10;
  let release!: () => void;
  const trial = b.run(() => new Promise<string>((r) => (release = () => r('ok'))), all);
  await assert.rejects(b.run(async () => 'second', all), BreakerOpenError);
  release();
  assert.equal(await trial, 'ok');
  assert.equal(b.state(), 'closed');
});

test('errors that do not say the link is unwell (a refused message) leave the breaker closed', async () => {
  const b = new CircuitBreaker('portal', { failureThreshold: 1, coolDownMs: 10 });
  const refused = Object.assign(new Error('HTTP 400'), { retryable: false });
  await assert.rejects(
    b.run(async () => {
      throw refused;
    }, (e) => (e as { retryable?: boolean }).retryable !== false),
  );
  assert.equal(b.state(), 'closed');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { IDEMPOTENCY_TTL_MS, requestHash } from '../http/idempotency.ts';
import { claimKey, purgeKeysBefore } from './idempotency.repository.ts';

describeEachDb('idempotency keys', (get) => {
  test('keys older than a day are purged in bounded rounds, newer ones and their results stay', async () => {
    const { db } = get();
    const now = new Date('2026-06-05T09:00:00Z');
    const old = new Date(now.getTime() - IDEMPOTENCY_TTL_MS - 60_000);
    const fresh = new Date(now.getTime() - IDEMPOTENCY_TTL_MS + 60_000);
    const rec = (actorId: string, key: string, at: Date, response = 'null', statusCode = 0) => ({ actorId, key, operation: 'dossier.submit', requestHash: 'h', dossierId: null, statusCode, response, now: at });
    await db.write(async (trx) => {
      for (let i = 0; i < 7; i++) await claimKey(trx, rec(`u-${i % 2}`, `old-key-${i}`, old));
      await claimKey(trx, rec('u-0', 'fresh-key', fresh, '{"ok":true}', 200));
    });
    const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
    const rounds: number[] = [];
    for (;;) {
      const n = await db.write((trx) => purgeKeysBefore(trx, cutoff, 3));
      rounds.push(n);
      if (n < 3) break;
    }
    assert.deepEqual(rounds, [3, 3, 1], 'at most three a round, until none is left');
    const left = await db.read.selectFrom('idempotency_keys').select(['key', 'status_code', 'response']).execute();
    assert.deepEqual(left, [{ key: 'fresh-key', status_code: 200, response: '{"ok":true}' }]);
    // a retry within the day still gets its stored answer
    const replay = await db.write((trx) => claimKey(trx, rec('u-0', 'fresh-key', now)));
    assert.deepEqual(replay, { requestHash: 'h', statusCode: 200, response: '{"ok":true}' });
  });
});

test('a request nested deeper than any dossier is refused with a 400, not walked', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  assert.throws(() => requestHash('desk', 'p', deep), (e: Error & { code?: string; status?: number }) => e.status === 400 && /TOO_DEEP/.test(JSON.stringify(e)));
  assert.equal(requestHash('op', 't', { b: 1, a: [1, { c: 2 }] }), requestHash('op', 't', { a: [1, { c: 2 }], b: 1 }), 'key order does not matter');
});

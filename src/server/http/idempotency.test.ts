import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { IDEMPOTENCY_TTL_MS, claimIdempotencyKey, purgeIdempotencyKeys } from './idempotency.ts';

describeEachDb('idempotency keys', (get) => {
  test('keys older than a day are purged in bounded rounds, newer ones and their results stay', async () => {
    const { db } = get();
    const now = new Date('2026-06-05T09:00:00Z');
    const old = new Date(now.getTime() - IDEMPOTENCY_TTL_MS - 60_000);
    const fresh = new Date(now.getTime() - IDEMPOTENCY_TTL_MS + 60_000);
    await db.write(async (trx) => {
      for (let i = 0; i < 7; i++) {
        await claimIdempotencyKey(trx, { actorId: `u-${i % 2}`, key: `old-key-${i}`, operation: 'dossier.submit', hash: 'h', dossierId: null, now: old });
      }
      await claimIdempotencyKey(trx, { actorId: 'u-0', key: 'fresh-key', operation: 'dossier.submit', hash: 'h', dossierId: null, now: fresh, result: { statusCode: 200, body: { ok: true } } });
    });
    const rounds: number[] = [];
    for (;;) {
      const n = await db.write((trx) => purgeIdempotencyKeys(trx, now, 3));
      rounds.push(n);
      if (n < 3) break;
    }
    assert.deepEqual(rounds, [3, 3, 1], 'at most three a round, until none is left');
    const left = await db.read.selectFrom('idempotency_keys').select(['key', 'status_code', 'response']).execute();
    assert.deepEqual(left, [{ key: 'fresh-key', status_code: 200, response: '{"ok":true}' }]);
    // a retry within the day still gets its stored answer
    const replay = await db.write((trx) => claimIdempotencyKey(trx, { actorId: 'u-0', key: 'fresh-key', operation: 'dossier.submit', hash: 'h', dossierId: null, now }));
    assert.deepEqual(replay, { statusCode: 200, body: { ok: true } });
  });
});

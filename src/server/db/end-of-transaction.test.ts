// The work a write hands to the end of its transaction (outbox messages, statistics counters), on SQLite
// and PostgreSQL: written with the write, gone with it when anything in it fails, and on PostgreSQL sent
// as one statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { statementsDuring } from '../../../test/helpers/pg-statements.ts';
import { enqueueMessagesAtCommit, type NewMessage } from '../jobs/outbox.repository.ts';
import { addCounterDeltas, readCounters, type CounterDelta } from '../stats/stats.repository.ts';

const now = new Date('2026-04-22T03:00:00Z');
const YEAR = 2091;

function msg(key: string, channel: 'email' | 'sms'): NewMessage {
  return { kind: 'eot-test', dedupKey: `${key}:${channel}`, channel, recipientUserId: null, address: channel === 'email' ? 'a@example.vn' : '0912345678', payload: { subject: 's', text: 't' } };
}
const delta = (metric: string, value: number, level: CounterDelta['level'] = 'national'): CounterDelta => ({ examYear: YEAR, level, unit: 'VN', metric, shard: 0, value });

describeEachDb('end-of-transaction work', (getDb) => {
  const outboxKeys = async (prefix: string) =>
    (await getDb().db.read.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', `${prefix}%`).orderBy('dedup_key').execute()).map((r) => r.dedup_key);

  test('outbox messages and counter deltas are written with their write; on PostgreSQL as ONE statement before COMMIT', async () => {
    const db = getDb().db;
    const statements = await statementsDuring(() =>
      db.write(async (trx) => {
        await enqueueMessagesAtCommit(trx, [msg('eot-a', 'email'), msg('eot-a', 'sms')], now);
        await addCounterDeltas(trx, [delta('eot.submitted', 1), delta('eot.submitted', 1), delta('eot.draft', -1)]);
      }),
    );
    assert.deepEqual(await outboxKeys('eot-a'), ['eot-a:email', 'eot-a:sms']);
    const c = await readCounters(db.read, YEAR, 'national', 'VN');
    assert.equal(c.get('eot.submitted'), 2);
    assert.equal(c.get('eot.draft'), -1);
    if (db.dialect.name === 'postgres') {
      const writes = statements.filter((t) => /insert into "(outbox|stat_counters)"/.test(t));
      assert.equal(writes.length, 1, writes.join('\n---\n'));
      assert.match(writes[0]!, /^with "w0" as \(insert into "outbox".*\) insert into "stat_counters"/s);
      assert.deepEqual(
        statements.filter((t) => !writes.includes(t)),
        ['begin', 'commit'],
      );
    }
    // the same dedup key again: skipped, not an error, and the counters still add up
    await db.write(async (trx) => {
      await enqueueMessagesAtCommit(trx, [msg('eot-a', 'email'), msg('eot-b', 'email'), msg('eot-b', 'email')], now);
      await addCounterDeltas(trx, [delta('eot.submitted', 1)]);
    });
    assert.deepEqual(await outboxKeys('eot-'), ['eot-a:email', 'eot-a:sms', 'eot-b:email']);
    assert.equal((await readCounters(db.read, YEAR, 'national', 'VN')).get('eot.submitted'), 3);
  });

  test('when the end-of-transaction statement fails, the whole write fails and leaves nothing', async () => {
    const db = getDb().db;
    await assert.rejects(
      db.write(async (trx) => {
        await trx.insertInto('reference_data').values({ name: 'eot-probe', version: 1, content: '{}', loaded_at: now.toISOString() }).execute();
        await enqueueMessagesAtCommit(trx, [msg('eot-c', 'email')], now);
        // no such level: the counters' CHECK refuses it when the work is written
        await addCounterDeltas(trx, [delta('eot.bad', 1, 'planet' as never)]);
      }),
    );
    assert.deepEqual(await outboxKeys('eot-c'), []);
    assert.equal(await db.read.selectFrom('reference_data').select('name').where('name', '=', 'eot-probe').executeTakeFirst(), undefined);
    assert.equal((await readCounters(db.read, YEAR, 'national', 'VN')).get('eot.bad'), undefined);
  });
});

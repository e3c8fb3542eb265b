import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { enqueueMessages, outboxCounts, listOutbox, type OutboxMessage } from './outbox.repository.ts';
import { OutboxWorker, backoffMs } from './worker.ts';
import { FileProvider, type NotificationProvider } from './providers.ts';

const log = pino({ level: 'silent' });

/** A gateway that can be down (throws), hang (never answers until aborted) or up; it records deliveries. */
class FlakyProvider implements NotificationProvider {
  readonly name = 'flaky';
  mode: 'down' | 'hang' | 'up' = 'up';
  delivered: string[] = [];
  inFlight = new Map<string, number>();
  maxConcurrentSameMessage = 0;
  async send(m: OutboxMessage, { signal }: { signal: AbortSignal }): Promise<void> {
    const n = (this.inFlight.get(m.dedupKey) ?? 0) + 1;
    this.inFlight.set(m.dedupKey, n);
    this.maxConcurrentSameMessage = Math.max(this.maxConcurrentSameMessage, n);
    try {
      if (this.mode === 'down') throw new Error('gateway 503');
      if (this.mode === 'hang') {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
      this.delivered.push(m.dedupKey);
    } finally {
      this.inFlight.set(m.dedupKey, (this.inFlight.get(m.dedupKey) ?? 1) - 1);
    }
  }
}

test('backoff doubles and is capped', () => {
  assert.equal(backoffMs(1, 1000, 60_000, () => 1), 1000);
  assert.equal(backoffMs(3, 1000, 60_000, () => 1), 4000);
  assert.equal(backoffMs(30, 1000, 60_000, () => 1), 60_000);
  assert.equal(backoffMs(3, 1000, 60_000, () => 0), 2000);
});

test('the file provider makes its folder again when it is gone (first message, or the data folder emptied since)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-fileprov-'));
  try {
    const file = path.join(dir, 'sub', 'outbox.log');
    const p = new FileProvider(file);
    const m = (id: string): OutboxMessage => ({ id, kind: 'k', dedupKey: id, channel: 'email', recipientUserId: null, address: 'a@example.vn', payload: { subject: 's', text: 't' }, attempts: 1 });
    const signal = new AbortController().signal;
    await p.send(m('m1'), { signal });
    fs.rmSync(path.join(dir, 'sub'), { recursive: true, force: true });
    await p.send(m('m2'), { signal });
    assert.deepEqual(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id), ['m2']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describeEachDb('outbox worker', (get) => {
  test('an event\'s pair of messages is one insert that still counts and skips duplicates one by one', async () => {
    const db = get().db;
    const now = new Date('2026-04-15T02:00:00Z');
    const msg = (d: string, channel: 'email' | 'sms') => ({ kind: 'dossier.submitted', dedupKey: `pair:${d}:${channel}`, channel, recipientUserId: 'up', address: channel === 'sms' ? '0912345678' : 'a@example.vn', payload: { subject: 'Đã nộp', text: 'Hồ sơ đã nộp' } });
    assert.equal(await db.write((trx) => enqueueMessages(trx, [msg('a', 'email'), msg('a', 'sms')], now)), 2);
    assert.equal(await db.write((trx) => enqueueMessages(trx, [msg('a', 'email'), msg('b', 'sms')], now)), 1, 'the repeated e-mail is skipped, the new SMS kept');
    const pairs = (await listOutbox(db.read, { recipientUserId: 'up' })).filter((m) => m.dedupKey.startsWith('pair:'));
    assert.deepEqual(pairs.map((m) => m.dedupKey).sort(), ['pair:a:email', 'pair:a:sms', 'pair:b:sms']);
    assert.deepEqual(pairs.find((m) => m.dedupKey === 'pair:a:sms')?.payload, { subject: 'Đã nộp', text: 'Hồ sơ đã nộp' });
    await db.writer.deleteFrom('outbox').where('dedup_key', 'like', 'pair:%').execute();
  });

  test('a provider outage (failing, then hanging) loses nothing and sends nothing twice', async () => {
    const db = get().db;
    let now = new Date('2026-04-15T03:00:00Z');
    const clock = () => new Date(now);
    const msgs = Array.from({ length: 40 }, (_, i) => ({ kind: 'dossier.verified', dedupKey: `dossier.verified:d${i}:2:sms`, channel: 'sms' as const, recipientUserId: `u${i}`, address: '0912345678', payload: { subject: 's', text: 't' } }));
    assert.equal(await db.write((trx) => enqueueMessages(trx, msgs, now)), 40);
    // the same events again (a replayed request): nothing new
    assert.equal(await db.write((trx) => enqueueMessages(trx, msgs, now)), 0);

    const provider = new FlakyProvider();
    const workers = [1, 2, 3].map(() => new OutboxWorker(db, provider, clock, log, { batch: 7, sendTimeoutMs: 50, baseBackoffMs: 1000, maxBackoffMs: 8000 }));
    provider.mode = 'down';
    for (let i = 0; i < 3; i++) {
      await Promise.all(workers.map((w) => w.runOnce()));
      now = new Date(now.getTime() + 10_000);
    }
    provider.mode = 'hang';
    for (let i = 0; i < 3; i++) {
      await Promise.all(workers.map((w) => w.runOnce()));
      now = new Date(now.getTime() + 10_000);
    }
    assert.equal(provider.delivered.length, 0);
    assert.equal((await outboxCounts(db.read)).pending, 40, 'nothing lost while the provider is out');

    provider.mode = 'up';
    for (let i = 0; i < 20 && (await outboxCounts(db.read)).pending > 0; i++) {
      await Promise.all(workers.map((w) => w.runOnce()));
      now = new Date(now.getTime() + 20_000);
    }
    assert.deepEqual(await outboxCounts(db.read), { pending: 0, sent: 40, dead: 0 });
    assert.equal(provider.delivered.length, 40);
    assert.equal(new Set(provider.delivered).size, 40, 'no one got the same message twice');
    assert.equal(provider.maxConcurrentSameMessage, 1, 'a message is never claimed by two workers at once');
  });

  test('the file provider writes what would be sent; the running worker drains the queue', async () => {
    const db = get().db;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-outbox-'));
    try {
      const file = path.join(dir, 'outbox.log');
      await db.write((trx) => enqueueMessages(trx, [{ kind: 'account.password_reset', dedupKey: 'reset:file-test:email', channel: 'email', recipientUserId: 'ux', address: 'a@example.vn', payload: { subject: 'Mật khẩu', text: 'Đặt lại' } }], new Date()));
      const w = new OutboxWorker(db, new FileProvider(file), () => new Date(), log, { pollMs: 10 });
      w.start();
      for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
      await w.stop();
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; subject: string });
      assert.deepEqual(lines.map((l) => l.to), ['a@example.vn']);
      const sent = await listOutbox(db.read, { recipientUserId: 'ux' });
      assert.equal(sent[0]!.status, 'sent');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a backlog larger than a batch is delivered batch after batch, without waiting a poll interval between them', async () => {
    const db = get().db;
    const provider = new FlakyProvider();
    const now = new Date();
    const list = Array.from({ length: 23 }, (_, i) => ({ kind: 'dossier.submitted', dedupKey: `backlog:${i}:email`, channel: 'email' as const, recipientUserId: 'backlog', address: `b${i}@example.vn`, payload: { subject: 's', text: 't' } }));
    await db.write((trx) => enqueueMessages(trx, list, now));
    // a poll interval of ten minutes: only draining without it can deliver the 23 within the wait below
    const w = new OutboxWorker(db, provider, () => new Date(), log, { batch: 5, pollMs: 600_000 });
    w.start();
    for (let i = 0; i < 500 && provider.delivered.filter((k) => k.startsWith('backlog:')).length < 23; i++) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    assert.equal(provider.delivered.filter((k) => k.startsWith('backlog:')).length, 23);
    const left = (await listOutbox(db.read, { recipientUserId: 'backlog' })).filter((m) => m.status !== 'sent');
    assert.deepEqual(left, []);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { insertOrgUnits } from '../org/org.repository.ts';
import { atEndOfTransaction, type EndOfTransactionWork } from './end-of-transaction.ts';
import { prepared } from './prepared.ts';
import { createDb, type Db, type DbOptions } from './create-db.ts';
import { migrate } from './migrate.ts';
import type { OrgUnitTable } from './schema.ts';

describeEachDb('write path', (get) => {
  test('200 concurrent writes all commit, and one that fails fails alone', async () => {
    const { db } = get();
    const now = new Date('2026-04-21T01:00:00Z');
    await insertOrgUnits(db.writer, [{ kind: 'ministry', code: 'BGD', name: 'Bộ', parentId: null, departmentCode: null }], now);
    const jobs = Array.from({ length: 200 }, (_, i) =>
      db.write(async (trx) => {
        if (i === 57) {
          await insertOrgUnits(trx, [{ kind: 'department', code: 'ZZ57', name: 'half', parentId: 'org-BGD', departmentCode: 'ZZ' }], now);
          throw new Error('job 57 fails after writing');
        }
        await insertOrgUnits(trx, [{ kind: 'department', code: `D${i}`, name: `Đơn vị ${i}`, parentId: 'org-BGD', departmentCode: String(i) }], now);
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    assert.deepEqual(failed, [57]);
    assert.deepEqual(
      results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== 57),
    );
    const rows = await db.read.selectFrom('org_units').select('code').where('kind', '=', 'department').execute();
    assert.equal(rows.length, 199);
    assert.ok(!rows.some((r) => r.code === 'ZZ57'), 'the failing job left nothing behind');
    if (db.dialect.name === 'sqlite') {
      const s = db.writeStats();
      assert.ok(s.batches < s.jobs, `writes were grouped into fewer commits (${s.batches} batches for ${s.jobs} jobs)`);
    }
  });

  test('a write resolves only once it is visible to a fresh reader', async () => {
    const { db } = get();
    const now = new Date();
    await db.write((trx) => insertOrgUnits(trx, [{ kind: 'department', code: 'VIS', name: 'x', parentId: 'org-BGD', departmentCode: 'VI' }], now));
    const r = await db.read.selectFrom('org_units').select('id').where('code', '=', 'VIS').executeTakeFirst();
    assert.equal(r?.id, 'org-VIS');
  });

  test('end-of-transaction work is merged per commit, and a failed write takes its share with it', async () => {
    const { db } = get();
    const flushed: number[][] = [];
    const work: EndOfTransactionWork<number[]> = {
      name: 'test-sum',
      merge: (a, b) => [...a, ...b],
      flush: async (trx, values) => {
        flushed.push(values);
        await trx.updateTable('org_units').set({ name: `sum ${values.reduce((x, y) => x + y, 0)}` }).where('code', '=', 'VIS').execute();
      },
    };
    const jobs = Array.from({ length: 40 }, (_, i) =>
      db.write(async (trx) => {
        await atEndOfTransaction(trx, work, [i]);
        if (i === 7) throw new Error('job 7 fails after adding its share');
        return i;
      }),
    );
    const settled = await Promise.allSettled(jobs);
    assert.equal(settled.filter((r) => r.status === 'rejected').length, 1);
    const all = flushed.flat().sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 7), 'every kept write flushed once, the failed one not at all');
    if (db.dialect.name === 'sqlite') assert.ok(flushed.length < 40, `flushed once per commit (${flushed.length} flushes for 39 writes)`);
    else assert.equal(flushed.length, 39, 'one flush per transaction on PostgreSQL');
    const row = await db.read.selectFrom('org_units').select('name').where('code', '=', 'VIS').executeTakeFirstOrThrow();
    const sums = flushed.map((f) => `sum ${f.reduce((x, y) => x + y, 0)}`);
    assert.ok(sums.includes(row.name), `the flush ran inside a committed transaction (${row.name})`);
    // outside a collecting transaction the work runs at once
    flushed.length = 0;
    await atEndOfTransaction(db.writer, work, [1000]);
    assert.deepEqual(flushed, [[1000]]);
  });

  test('a write marked alone commits in a transaction of its own', async () => {
    const { db } = get();
    if (db.dialect.name !== 'sqlite') return; // every PostgreSQL write is its own transaction already
    const before = db.writeStats().batches;
    const seen: string[] = [];
    const plain = (tag: string) => db.write(async () => void seen.push(tag));
    await Promise.all([plain('a'), plain('b'), db.write(async () => void seen.push('alone'), { alone: true }), plain('c')]);
    assert.deepEqual(seen, ['a', 'b', 'alone', 'c']);
    assert.equal(db.writeStats().batches - before, 3, 'a+b, then alone, then c');
  });

  test('a prepared query is compiled once and runs with the values of each call', async () => {
    const { db } = get();
    const byCode = prepared<{ code: string; kind: OrgUnitTable['kind'] }, { id: string; name: string }>((k, p) =>
      k.selectFrom('org_units').select(['id', 'name']).where('code', '=', p('code')).where('kind', '=', p('kind')).where('parent_id', 'is not', null),
    );
    const a = await byCode(db.read, { code: 'VIS', kind: 'department' });
    assert.equal(a.rows[0]?.id, 'org-VIS');
    const b = await byCode(db.read, { code: 'D3', kind: 'department' });
    assert.equal(b.rows[0]?.id, 'org-D3');
    assert.equal((await byCode(db.read, { code: 'D3', kind: 'ministry' })).rows.length, 0);
    assert.equal(byCode.sqlFor(db.read), byCode.sqlFor(db.writer), 'one SQL text per dialect');
    assert.match(byCode.sqlFor(db.read), db.dialect.name === 'sqlite' ? /"code" = \?/ : /"code" = \$1/);
    await assert.rejects(byCode(db.read, { code: 'x' } as { code: string; kind: OrgUnitTable['kind'] }), /no value for "kind"/);
    // inside a transaction too
    const c = await db.write((trx) => byCode(trx, { code: 'D4', kind: 'department' }));
    assert.equal(c.rows[0]?.name, 'Đơn vị 4');
  });
});

// ---- SQLite in a file of its own: another connection's lock, and the WAL's checkpoints ----

/** A migrated SQLite database in a folder of its own, with the given options, removed afterwards. */
async function withSqliteFile(opts: Omit<DbOptions, 'url'>, fn: (db: Db, file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-sqlite-'));
  const file = path.join(dir, 'x.sqlite');
  const db = await createDb({ url: `sqlite:${file}`, ...opts });
  try {
    await migrate(db.writer, db.dialect);
    await fn(db, file);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A pragma's value on the writer connection. */
async function writerPragma(db: Db, name: string): Promise<unknown> {
  const r = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db.writer);
  return Object.values(r.rows[0] ?? {})[0];
}

const AT = new Date('2026-04-21T01:00:00Z');
const ministry = { kind: 'ministry' as const, code: 'BGD', name: 'Bộ', parentId: null, departmentCode: null };

test('SQLite: a write waiting for another connection\'s lock waits on a timer, and the event loop goes on meanwhile', async () => {
  await withSqliteFile({ busyTimeoutMs: 2000 }, async (db, file) => {
    // another process's writer, holding the write lock
    const other = new Database(file);
    other.exec('begin immediate');
    const started = performance.now();
    const write = db.write((trx) => insertOrgUnits(trx, [ministry], AT));
    // timers keep firing while the write waits: SQLite's own busy handler would have held the thread
    const ticks: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 10));
      ticks.push(performance.now() - t0);
    }
    assert.ok(Math.max(...ticks) < 60, `the event loop was not held (longest 10 ms timer: ${Math.max(...ticks).toFixed(0)} ms)`);
    other.exec('commit');
    await write;
    assert.ok(performance.now() - started >= 100, 'the write waited for the lock');
    assert.equal(db.writeStats().lockWaits, 1, 'one wait is counted once, however often it asked for the lock');
    // and so is the time they took (about the 100 ms the lock was held, never more than the whole write)
    const waited = db.writeStats().lockWaitMs ?? 0;
    assert.ok(waited >= 80 && waited <= performance.now() - started, `the time waited is counted (${waited.toFixed(0)} ms)`);
    assert.equal((await db.read.selectFrom('org_units').select('code').execute()).length, 1);
    // a lock never released: the write fails after the timeout, busy, without holding the loop
    other.exec('begin immediate');
    const t1 = performance.now();
    await assert.rejects(db.write((trx) => insertOrgUnits(trx, [{ kind: 'department', code: 'D1', name: 'Sở', parentId: 'org-BGD', departmentCode: '01' }], AT)), (e: { code?: string }) => db.dialect.isBusy(e));
    assert.ok(performance.now() - t1 >= 1900, 'after the busy timeout');
    other.exec('rollback');
    other.close();
    // and the connection's own wait is back for its other users
    assert.equal(await writerPragma(db, 'busy_timeout'), 2000);
  });
});

test('SQLite in a service: the WAL is checkpointed on a thread of its own, never in a request\'s commit', async () => {
  await withSqliteFile({ sqliteCheckpointEveryMs: 50 }, async (db, file) => {
    assert.equal(await writerPragma(db, 'wal_autocheckpoint'), 0, 'the writer no longer checkpoints in its commits');
    await insertOrgUnits(db.writer, [ministry], AT);
    // a large write: several thousand pages in the WAL
    for (let b = 0; b < 5; b++) {
      await db.write((trx) => insertOrgUnits(trx, Array.from({ length: 1000 }, (_, i) => ({ kind: 'department' as const, code: `D${b}-${i}`, name: `Đơn vị ${'x'.repeat(2000)} ${b}-${i}`, parentId: 'org-BGD', departmentCode: `${b}${i}` })), AT));
    }
    await new Promise((r) => setTimeout(r, 300));
    // a PASSIVE checkpoint's answer: frames in the WAL, and frames already copied into the database
    const probe = new Database(file);
    const [r] = probe.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    probe.close();
    assert.ok(r && r.log > 1000, `the large write went through the WAL (${r?.log} frames)`);
    assert.equal(r.checkpointed, r.log, 'every frame was already copied into the database by the thread');
  });
  // without the option (tools, tests), SQLite's own automatic checkpoint stays
  await withSqliteFile({}, async (db) => assert.equal(await writerPragma(db, 'wal_autocheckpoint'), 1000));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb } from '../create-db.ts';

test('SQLite keeps row-count statistics but drops the value samples that make it re-plan every join', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-stat4-'));
  const file = path.join(dir, 'stats.sqlite');
  try {
    const raw = new Database(file);
    raw.exec('create table t (id integer primary key, k text, v integer); create index t_k on t (k);');
    const ins = raw.prepare('insert into t (k, v) values (?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(i % 10 === 0 ? 'common' : `k${i}`, i);
    })();
    raw.exec('analyze');
    const count = (db: Database.Database, table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    assert.ok(count(raw, 'sqlite_stat4') > 0, 'this build of SQLite writes value samples');
    const stat1 = count(raw, 'sqlite_stat1');
    raw.close();

    const db = await createDb({ url: `sqlite:${file}`, poolSize: 1 });
    await db.close();
    const after = new Database(file, { readonly: true });
    assert.equal(count(after, 'sqlite_stat4'), 0);
    assert.equal(count(after, 'sqlite_stat1'), stat1, 'row counts per index are kept');
    after.close();

    // a database never analysed opens as before
    const fresh = path.join(dir, 'fresh.sqlite');
    const db2 = await createDb({ url: `sqlite:${fresh}`, poolSize: 1 });
    await db2.close();
    assert.ok(fs.existsSync(fresh));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// SQLite files hold every person's data: the database, its -wal and -shm and the folder made for them are
// the service user's alone, whatever the process umask, and a file left readable by others is narrowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../create-db.ts';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

test('a new SQLite database, its WAL and SHM files and its new folder are 0600/0700 under a permissive umask', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-perm-'));
  const old = process.umask(0o022);
  try {
    const file = path.join(base, 'data', 'x.sqlite');
    const db = await createDb({ url: `sqlite:${file}`, poolSize: 1 });
    await db.write((trx) => trx.schema.createTable('t').addColumn('a', 'integer').execute());
    assert.equal(mode(file).toString(8), '600');
    for (const side of [`${file}-wal`, `${file}-shm`]) if (fs.existsSync(side)) assert.equal(mode(side).toString(8), '600', side);
    assert.ok(fs.existsSync(`${file}-wal`), 'the WAL file was made (and checked above)');
    assert.equal(mode(path.dirname(file)).toString(8), '700');
    await db.close();
    // an existing database left readable by others is narrowed when opened
    fs.chmodSync(file, 0o644);
    const again = await createDb({ url: `sqlite:${file}`, poolSize: 1 });
    assert.equal(mode(file).toString(8), '600');
    await again.close();
  } finally {
    process.umask(old);
    fs.rmSync(base, { recursive: true, force: true });
  }
});

// A backup taken while candidates keep saving and staff keep reading restores into a fresh database as a
// consistent snapshot: every dossier's events match its version, the maintained counters match a full
// recount, the audit chain holds; on SQLite and PostgreSQL.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEachDb, emptyDatabase } from '../../../test/helpers/db.ts';
import { testApp, testClock } from '../../../test/helpers/app.ts';
import { quietEnv } from '../accounts/test-support.ts';
import type { Config } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import type { UserActor } from '../policy/policy.ts';
import { AT, YEAR, buildRegWorld, goodDossier, headersFor, type RegWorld } from '../dossiers/test-fixtures.ts';
import { allCounters } from '../stats/stats.repository.ts';
import { recount } from '../stats/recount.ts';
import { verifyChain } from '../audit/chain.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';

describeEachDb('backup and restore under write load', (getDb) => {
  let app: FastifyInstance;
  let config: Config;
  let w: RegWorld;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-backup-'));
    w = await buildRegWorld(getDb().db);
    ({ app, config } = await testApp(getDb().db, { clock: testClock(AT.official), env: quietEnv({ DATA_DIR: path.join(dir, 'data') }) }));
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken during saves restores to a consistent snapshot', async () => {
    const { db, url } = getDb();
    let stop = false;
    let acknowledged = 0;
    const saver = async (u: UserActor) => {
      const headers = await headersFor(db, config, u, AT.official);
      let version = 0;
      const contact = goodDossier().contact;
      for (let i = 0; !stop; i++) {
        const r = await app.inject({ method: 'PUT', url: '/api/dossier/sections/contact', headers: { ...headers, 'if-match': `"${version}"` }, payload: { ...contact, address: `Số ${i + 1} Tràng Tiền, Hoàn Kiếm, Hà Nội` } as object });
        assert.equal(r.statusCode, 200, r.body);
        version = (r.json() as { dossier: { version: number } }).dossier.version;
        acknowledged++;
        // let timers run: injected requests alone can keep the event loop in its microtask queue
        await new Promise((r) => setImmediate(r));
      }
    };
    const reader = async () => {
      const headers = await headersFor(db, config, w.users.dept, AT.official);
      while (!stop) {
        await app.inject({ method: 'GET', url: '/api/verification/dossiers', headers });
        await new Promise((r) => setImmediate(r));
      }
    };
    const guarded = (p: Promise<void>) => p.catch((e: unknown) => { stop = true; throw e; });
    const load = Promise.all([guarded(saver(w.users.candA)), guarded(saver(w.users.candB)), guarded(reader())]);
    // the backup starts once saves are flowing (counted, not timed: a loaded machine may take a second for ten)
    while (acknowledged < 10 && !stop) await new Promise((r) => setTimeout(r, 20));
    const before = acknowledged;
    const b = await backupDatabase(url, path.join(dir, 'backups'), new Date(), path.join(dir, 'data')).finally(() => {
      // and goes on until a few more saves are acknowledged after it
      const target = acknowledged + 3;
      const until = Date.now() + 20_000;
      const tick = (): void => void (acknowledged >= target || Date.now() > until ? (stop = true) : setTimeout(tick, 20));
      tick();
    });
    await load;
    assert.ok(acknowledged > before, `writes went on around the backup (${before} before it, ${acknowledged} in all)`);

    const target = await emptyDatabase(getDb().kind);
    try {
      await restoreDatabase(target.url, b.file);
      const restored = await createDb({ url: target.url, poolSize: 2 });
      try {
        const dossiers = await restored.read.selectFrom('dossiers').select(['id', 'version']).execute();
        assert.ok(dossiers.length >= 1, 'the snapshot has the dossiers saved before it');
        for (const d of dossiers) {
          const events = await restored.read.selectFrom('dossier_events').select('version').where('dossier_id', '=', d.id).orderBy('version').execute();
          assert.deepEqual(events.map((e) => Number(e.version)), Array.from({ length: Number(d.version) }, (_, i) => i + 1), `dossier ${d.id}: one event per version`);
        }
        const stored = await allCounters(restored.read, YEAR);
        const expected = await recount(restored.read, YEAR);
        // the fixture's accounts were inserted without their counters: the dossiers' counters are compared
        const dossierCounters = (m: Map<string, number>) => Object.fromEntries([...m].filter(([k]) => !k.includes('|accounts')).sort());
        assert.ok(stored.size > 0);
        assert.deepEqual(dossierCounters(stored), dossierCounters(expected), 'counters match a recount');
        const v = await verifyChain(restored.read);
        assert.equal(v.ok, true, JSON.stringify(v));
        const live = await db.read.selectFrom('dossiers').select(['id', 'version']).execute();
        const liveVersion = new Map(live.map((d) => [d.id, Number(d.version)]));
        assert.ok(dossiers.every((d) => Number(d.version) <= liveVersion.get(d.id)!), 'the snapshot is never ahead of the live database');
        assert.ok(dossiers.some((d) => Number(d.version) < liveVersion.get(d.id)!), 'the backup was taken in the middle of the load');
      } finally {
        await restored.close();
      }
    } finally {
      await target.destroy();
    }
  });

  test('backup files are owner-only (0600, folders 0700) under a permissive umask, the copied uploads too', async () => {
    const { url } = getDb();
    const data = path.join(dir, 'modes-data');
    // an upload folder as a hand copy may leave it: readable by others
    fs.mkdirSync(path.join(data, 'uploads', 'ab'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(data, 'uploads', 'ab', 'photo.jpg'), 'x', { mode: 0o644 });
    const old = process.umask(0o022);
    try {
      const b = await backupDatabase(url, path.join(dir, 'modes-backups'), new Date(), data);
      const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
      assert.equal(mode(path.join(dir, 'modes-backups')), '700', 'the backup folder');
      assert.equal(mode(b.file), '600', 'the database backup');
      assert.ok(b.uploads);
      assert.equal(mode(b.uploads), '700');
      assert.equal(mode(path.join(b.uploads, 'ab')), '700');
      assert.equal(mode(path.join(b.uploads, 'ab', 'photo.jpg')), '600');
    } finally {
      process.umask(old);
    }
  });
});

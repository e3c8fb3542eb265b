// The audit chain on both databases: appends (one, a batch, many at once) chain without a fork, and an
// edited, deleted or reordered entry is caught and named; the anchor catches a chain rewritten whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { DB } from '../db/schema.ts';
import { appendAudit } from './audit.repository.ts';
import { entryHash, exportAnchor, readAnchors, verifyChain, type VerifyResult } from './chain.ts';

const actor = { kind: 'user', userId: 'u-1', role: 'department_officer', departmentCode: '01' } as never;
const T = new Date('2026-03-10T02:00:00Z');

describeEachDb('audit hash chain', (get) => {
  test('single, batch and concurrent appends form one unbroken chain', async () => {
    const { db } = get();
    await db.write((trx) => appendAudit(trx, { action: 'x.one', actor, targetType: 'dossier', targetId: 'd1', ip: '10.0.0.1', details: { a: 'Nguyễn Văn A 😀' } }, T));
    await db.write((trx) => appendAudit(trx, [0, 1, 2].map((i) => ({ action: 'x.batch', actor: null, targetId: `b${i}` })), T));
    // concurrent writers: on PostgreSQL each is its own transaction, they queue on the head row
    await Promise.all(Array.from({ length: 30 }, (_, i) => db.write((trx) => appendAudit(trx, { action: 'x.concurrent', actor, targetId: `c${i}` }, T))));
    const r = await verifyChain(db.read);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.entries, 34);
    const rows = await db.read.selectFrom('audit_log').select(['seq', 'hash', 'prev_hash']).orderBy('seq').execute();
    assert.deepEqual(rows.map((x) => Number(x.seq)), Array.from({ length: 34 }, (_, i) => i + 1));
    assert.equal(new Set(rows.map((x) => x.prev_hash)).size, 34, 'no two entries share a predecessor (no fork)');
  });

  test('the database computes the same hash as the verifier (canonical form)', async () => {
    const { db } = get();
    const first = await db.read.selectFrom('audit_log').selectAll().where('seq', '=', 1 as never).executeTakeFirstOrThrow();
    assert.equal(first.hash, entryHash('0'.repeat(64), 1, first));
  });

  test('the application cannot update or delete an entry', async () => {
    const { db } = get();
    await assert.rejects(db.write((trx) => trx.updateTable('audit_log').set({ action: 'edited' }).where('seq', '=', 2 as never).execute()));
    await assert.rejects(db.write((trx) => trx.deleteFrom('audit_log').where('seq', '=', 2 as never).execute()));
  });

  // Each tampering runs in a transaction that is rolled back, with the guard trigger dropped as someone
  // with the database's own rights would.
  async function tampered(fn: (trx: Kysely<DB>) => Promise<unknown>): Promise<VerifyResult> {
    const { db, kind } = get();
    let result: VerifyResult | undefined;
    await db.writer
      .transaction()
      .execute(async (trx) => {
        if (kind === 'postgres') await sql`alter table audit_log disable trigger audit_immutable`.execute(trx);
        else {
          await sql`drop trigger audit_immutable_u`.execute(trx);
          await sql`drop trigger audit_immutable_d`.execute(trx);
        }
        await fn(trx);
        result = await verifyChain(trx);
        throw new Error('rollback');
      })
      .catch((e: Error) => {
        if (e.message !== 'rollback') throw e;
      });
    assert.equal((await verifyChain(db.read)).ok, true, 'the rollback left the chain intact');
    return result!;
  }

  test('an edited entry is named', async () => {
    const r = await tampered((trx) => trx.updateTable('audit_log').set({ ip: '1.2.3.4' }).where('seq', '=', 5 as never).execute());
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.firstBad.seq, 5);
      assert.match(r.firstBad.reason, /edited/);
    }
  });

  test('an entry edited with its hash recomputed breaks the next one', async () => {
    const r = await tampered(async (trx) => {
      const row = await trx.selectFrom('audit_log').selectAll().where('seq', '=', 7 as never).executeTakeFirstOrThrow();
      const forged = { ...row, action: 'x.forged' };
      await trx.updateTable('audit_log').set({ action: 'x.forged', hash: entryHash(row.prev_hash!, 7, forged) }).where('seq', '=', 7 as never).execute();
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.firstBad.seq, 8);
  });

  test('a deleted entry is named', async () => {
    const r = await tampered((trx) => trx.deleteFrom('audit_log').where('seq', '=', 10 as never).execute());
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.firstBad.seq, 10);
      assert.match(r.firstBad.reason, /missing/);
    }
  });

  test('the last entry deleted is caught by the head', async () => {
    const r = await tampered((trx) => trx.deleteFrom('audit_log').where('seq', '=', 34 as never).execute());
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.firstBad.seq, 34);
  });

  test('two entries swapped are caught', async () => {
    const r = await tampered(async (trx) => {
      await trx.updateTable('audit_log').set({ seq: -1 as never }).where('seq', '=', 12 as never).execute();
      await trx.updateTable('audit_log').set({ seq: 12 as never }).where('seq', '=', 13 as never).execute();
      await trx.updateTable('audit_log').set({ seq: 13 as never }).where('seq', '=', -1 as never).execute();
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.firstBad.seq, 12);
  });

  test('a chain rewritten from the start is caught by a kept anchor', async () => {
    const { db } = get();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anchors-'));
    try {
      const { file } = await exportAnchor(db.read, dir, T);
      const anchors = readAnchors(file);
      assert.equal(anchors[0]!.seq, 34);
      assert.equal((await verifyChain(db.read, anchors)).ok, true);
      const r = await tampered(async (trx) => {
        // rewrite everything from entry 20 on, hashes and head included, so the chain alone looks whole
        const rows = await trx.selectFrom('audit_log').selectAll().orderBy('seq').execute();
        let prev = rows[18]!.hash!;
        for (const row of rows.slice(19)) {
          const changed = { ...row, action: row.action + '.x', prev_hash: prev };
          const h = entryHash(prev, Number(row.seq), changed);
          await trx.updateTable('audit_log').set({ action: changed.action, prev_hash: prev, hash: h }).where('id', '=', row.id).execute();
          prev = h;
        }
        await trx.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
        assert.equal((await verifyChain(trx)).ok, true, 'without the anchor the rewrite goes unseen');
        return undefined;
      });
      assert.equal(r.ok, true);
      const withAnchor = await tampered(async (trx) => {
        await trx.updateTable('audit_log').set({ action: 'x' }).where('seq', '=', 34 as never).execute();
        const row = await trx.selectFrom('audit_log').selectAll().where('seq', '=', 34 as never).executeTakeFirstOrThrow();
        const h = entryHash(row.prev_hash!, 34, row);
        await trx.updateTable('audit_log').set({ hash: h }).where('seq', '=', 34 as never).execute();
        await trx.updateTable('audit_head').set({ hash: h }).where('id', '=', 1).execute();
        const v = await verifyChain(trx, anchors);
        assert.equal(v.ok, false);
        if (!v.ok) assert.match(v.firstBad.reason, /anchor/);
      });
      assert.equal(withAnchor.ok, true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('npm run audit:verify on a tampered copy fails and names the entry', async () => {
    const { db, kind, url } = get();
    if (kind !== 'sqlite') {
      // on PostgreSQL the CLI is run against the live database, which is intact
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
      assert.match(out, /intact.*34 entries/);
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tampered-'));
    try {
      const copy = path.join(dir, 'copy.sqlite');
      await sql`vacuum into ${copy}`.execute(db.writer);
      const { default: Database } = await import('better-sqlite3');
      const raw = new Database(copy);
      raw.exec('drop trigger audit_immutable_u');
      raw.prepare("update audit_log set details = '{\"n\":1}' where seq = 21").run();
      raw.close();
      let code = 0;
      let out = '';
      try {
        execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], { env: { ...process.env, DATABASE_URL: `sqlite:${copy}` }, encoding: 'utf8' });
      } catch (e) {
        code = (e as { status: number }).status;
        out = (e as { stdout: string }).stdout;
      }
      assert.equal(code, 1);
      assert.match(out, /first bad entry seq=21/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// `npm run mfa:reset -- <username> "<reason>"` run as the operator runs it (a child process on the same
// database): a ministry administrator's second factor and recovery codes are gone, their sessions end and
// their known devices are revoked, the reset is audited `via: 'cli'` and the audit chain still holds; a wrong
// call changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEachDb } from '../../test/helpers/db.ts';
import { loadConfig } from '../server/config.ts';
import { buildWorld, sessionHeaders, type World } from '../server/accounts/test-support.ts';
import { activateMfa, putPendingSecret, replaceRecoveryCodes } from '../server/mfa/mfa.repository.ts';
import { insertKnownDevice } from '../server/mfa/known-devices.repository.ts';
import { verifyChain } from '../server/audit/chain.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function cli(url: string, dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/mfa-reset.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describeEachDb('npm run mfa:reset', (get) => {
  test("removes a ministry administrator's second factor from the command line: codes gone, sessions ended, audited via cli, the chain holds", async () => {
    const { db, url } = get();
    const now = new Date();
    const world: World = await buildWorld(db, now);
    const config = loadConfig({ AUTH_SECRET_KEY: 'k'.repeat(44) });
    const target = world.ids.ministry;
    await db.write(async (trx) => {
      await putPendingSecret(trx, target, 'v1.sealed-secret', now);
      await activateMfa(trx, target, 1, now);
      await replaceRecoveryCodes(trx, target, [{ prefix: 'ABCD', hash: '$argon2id$x' }, { prefix: 'EFGH', hash: '$argon2id$y' }], now);
      const until = new Date(now.getTime() + 86_400_000).toISOString();
      for (const [deviceId, userId] of [['thiet-bi-1', target], ['thiet-bi-2', world.ids.ministry2]] as const) {
        await insertKnownDevice(trx, { id: deviceId, userId, createdAt: now.toISOString(), lastUsedAt: now.toISOString(), expiresAt: until, userAgent: 'Chrome / Windows' });
      }
    });
    await sessionHeaders(db, config, target, now);
    await sessionHeaders(db, config, target, now);
    await sessionHeaders(db, config, world.ids.ministry2, now);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-mfa-reset-'));
    try {
      // wrong calls: no reason, an unknown account, a candidate; nothing changes
      assert.equal((await cli(url, dataDir, [world.usernames['ministry']!])).code, 2);
      const unknown = await cli(url, dataDir, ['khong.co.ai', 'mất điện thoại']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no such staff account/);
      assert.equal((await cli(url, dataDir, [world.usernames['candidateA']!, 'mất điện thoại'])).code, 1);
      assert.equal((await db.read.selectFrom('staff_mfa').select('user_id').where('user_id', '=', target).execute()).length, 1);

      const r = await cli(url, dataDir, [world.usernames['ministry']!, 'mất điện thoại và mã khôi phục']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /second factor removed; 2 session\(s\) ended/);

      assert.equal((await db.read.selectFrom('staff_mfa').select('user_id').where('user_id', '=', target).execute()).length, 0, 'the second factor is gone');
      assert.equal((await db.read.selectFrom('mfa_recovery_codes').select('user_id').where('user_id', '=', target).execute()).length, 0, 'and its recovery codes');
      const open = await db.read.selectFrom('sessions').select(['user_id', 'end_reason']).where('ended_at', 'is', null).where('user_id', 'in', [target, world.ids.ministry2]).execute();
      assert.deepEqual(open.map((s) => s.user_id), [world.ids.ministry2], "the account's sessions ended, no one else's");
      const ended = await db.read.selectFrom('sessions').select('end_reason').where('user_id', '=', target).execute();
      assert.ok(ended.every((s) => s.end_reason === 'mfa_reset'));

      const devices = await db.read.selectFrom('known_devices').select(['id', 'revoked_reason']).orderBy('id').execute();
      assert.deepEqual(devices.map((d) => [d.id, d.revoked_reason]), [['thiet-bi-1', 'mfa_reset'], ['thiet-bi-2', null]], "the account's known devices are revoked, no one else's");

      const audit = await db.read.selectFrom('audit_log').selectAll().where('action', '=', 'mfa.reset').where('target_id', '=', target).execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_id, null);
      const details = typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details;
      assert.equal(details.via, 'cli');
      assert.equal(details.reason, 'mất điện thoại và mã khôi phục');
      assert.equal(details.hadSecondFactor, true);
      assert.equal(details.sessionsEnded, 2);
      assert.equal(details.devicesRevoked, 1);
      assert.ok(!JSON.stringify(details).includes(world.usernames['ministry']!), 'the username is masked');
      const chain = await verifyChain(db.read);
      assert.equal(chain.ok, true, JSON.stringify(chain));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

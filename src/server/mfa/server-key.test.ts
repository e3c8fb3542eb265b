// The server key when AUTH_SECRET_KEY is unset: made once into DATA_DIR/auth-secret.key, owner-only,
// atomically (processes starting together agree on one key), and the same key read on the next start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { serverKeys } from './server-key.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('unset AUTH_SECRET_KEY: a 0600 key file is made once under a permissive umask, and the next start reads the same key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-key-'));
  const dataDir = path.join(dir, 'data', 'nested');
  const old = process.umask(0o022);
  try {
    const first = serverKeys(loadConfig({ DATA_DIR: dataDir }));
    const file = path.join(dataDir, 'auth-secret.key');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'owner-only');
    assert.equal(Buffer.from(fs.readFileSync(file, 'utf8'), 'base64').length, 32, '32 random bytes');
    assert.deepEqual(fs.readdirSync(dataDir), ['auth-secret.key'], 'no temporary file left behind');
    const before = fs.readFileSync(file, 'utf8');
    const sealed = first.seal('JBSWY3DPEHPK3PXP');
    const mac = first.sign('device', 'abc');

    // the next start: a new configuration object, so nothing is cached
    const next = serverKeys(loadConfig({ DATA_DIR: dataDir }));
    assert.notEqual(next, first);
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'the key file is not rewritten');
    assert.equal(next.unseal(sealed), 'JBSWY3DPEHPK3PXP', 'secrets sealed before the restart open after it');
    assert.equal(next.verify('device', 'abc', mac), true, 'known-device cookies signed before the restart stay valid');

    // another data folder is another key; a set AUTH_SECRET_KEY writes no file
    const other = serverKeys(loadConfig({ DATA_DIR: path.join(dir, 'other') }));
    assert.equal(other.unseal(sealed), null);
    const keyed = path.join(dir, 'keyed');
    serverKeys(loadConfig({ DATA_DIR: keyed, AUTH_SECRET_KEY: 'k'.repeat(44) }));
    assert.equal(fs.existsSync(path.join(keyed, 'auth-secret.key')), false);
  } finally {
    process.umask(old);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('processes starting at once on an empty data folder end up with one key', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-key-race-'));
  try {
    const script = `import { loadConfig } from './src/server/config.ts'; import { serverKeys } from './src/server/mfa/server-key.ts';
      process.stdout.write(serverKeys(loadConfig({ DATA_DIR: ${JSON.stringify(dir)} })).sign('device', 'same'));`;
    const outs = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '' } })),
    );
    const macs = new Set(outs.map((o) => o.stdout.trim()));
    assert.equal(macs.size, 1, `one key for all: ${[...macs].join(', ')}`);
    assert.equal(serverKeys(loadConfig({ DATA_DIR: dir })).sign('device', 'same'), [...macs][0], 'and it is the file on disk');
    assert.deepEqual(fs.readdirSync(dir), ['auth-secret.key']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

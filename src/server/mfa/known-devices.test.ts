// Known devices below the routes: the browser summary kept instead of the user-agent string, and the
// worker's purge of devices that ended long ago (both databases). The journey through the app is in mfa.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { buildWorld } from '../accounts/test-support.ts';
import { ENDED_DEVICES_KEPT_MS } from '../jobs/start-worker.ts';
import { insertKnownDevice, isActiveDeviceOf, purgeKnownDevicesBefore, revokeDevice } from './known-devices.repository.ts';
import { summariseUserAgent } from './known-devices.ts';

test('a browser summary tells devices apart without keeping the user-agent string', () => {
  const cases: Array<[string | undefined, string | null]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome / Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0', 'Edge / Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari / macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'Safari / iOS'],
    ['Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36', 'Samsung Internet / Android'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', 'Chrome / Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/117.0 Chrome/111.0 Safari/537.36', 'Cốc Cốc / Windows'],
    ['curl/8.4.0', 'Trình duyệt khác / other browser / hệ điều hành khác / other system'],
    [undefined, null],
  ];
  for (const [ua, want] of cases) assert.equal(summariseUserAgent(ua), want, String(ua));
});

describeEachDb('known devices: purge of ended devices', (get) => {
  test('devices expired or revoked before the cutoff are purged, a few at a time; those in force and recently ended stay', async () => {
    const db = get().db;
    const now = new Date('2026-06-01T03:00:00Z');
    const world = await buildWorld(db, now);
    const day = 86_400_000;
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const user = world.ids.point01;
    await db.write(async (trx) => {
      for (const [id, expires] of [['in-force', 80 * day], ['expired-long-ago', -40 * day], ['expired-lately', -2 * day], ['revoked-long-ago', 50 * day], ['revoked-lately', 50 * day], ['expired-long-ago-2', -60 * day]] as const) {
        await insertKnownDevice(trx, { id, userId: user, createdAt: at(-100 * day), lastUsedAt: at(-100 * day), expiresAt: at(expires), userAgent: null });
      }
      await revokeDevice(trx, user, 'revoked-long-ago', new Date(now.getTime() - 31 * day), 'owner');
      await revokeDevice(trx, user, 'revoked-lately', new Date(now.getTime() - day), 'owner');
    });
    assert.equal(await isActiveDeviceOf(db.read, 'in-force', world.usernames['point01']!, now), true);
    assert.equal(await isActiveDeviceOf(db.read, 'revoked-lately', world.usernames['point01']!, now), false);
    assert.equal(await isActiveDeviceOf(db.read, 'in-force', world.usernames['point02']!, now), false, "another account's device");

    const cutoff = new Date(now.getTime() - ENDED_DEVICES_KEPT_MS);
    assert.equal(await db.write((trx) => purgeKnownDevicesBefore(trx, cutoff, 2)), 2, 'a batch at a time');
    assert.equal(await db.write((trx) => purgeKnownDevicesBefore(trx, cutoff, 2)), 1);
    assert.equal(await db.write((trx) => purgeKnownDevicesBefore(trx, cutoff, 2)), 0);
    const left = (await db.read.selectFrom('known_devices').select('id').where('user_id', '=', user).orderBy('id').execute()).map((r) => r.id);
    assert.deepEqual(left, ['expired-lately', 'in-force', 'revoked-lately']);
  });
});

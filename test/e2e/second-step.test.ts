// A staff member's second step in a real browser (see harness.ts), on a demo server where department
// officers must use it: the first sign-in sets it up (the key shown once, a code from an authenticator app,
// the recovery codes shown once), then after signing out the officer signs in with the password and a code;
// a recovery code works once; the browser is then one known device, which the officer revokes. The codes
// are computed here with otpauth, the library the server checks them with.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { checkPage, DEMO_STAFF_PASSWORD, demoInBrowser, signIn } from './harness.ts';

/** The authenticator app: the code of the 30-second step `stepsAhead` steps from now (the server allows one step of drift). */
function codeFrom(secret: string, stepsAhead = 0): string {
  const totp = new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/sign-in/);
}

async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Mã xác thực').fill(code);
  await page.getByRole('button', { name: 'Xác nhận' }).click();
}

describe("a staff member's second step", () => {
  const demo = demoInBrowser({ MFA_REQUIRED_ROLES: 'department_officer' });

  test('enrol at the first sign-in, sign out, sign in with password then code; a recovery code works once; the known device is revoked', async () => {
    const ctx = await demo.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    try {
      // the password is right, but the role must have a second factor and has none: set it up now
      await signIn(page, demo.server.url, 'so.hanoi', DEMO_STAFF_PASSWORD);
      await page.getByRole('heading', { level: 1, name: 'Bật xác thực hai lớp' }).waitFor();
      await page.getByTestId('mfa-qr').waitFor();
      const secret = (await page.getByTestId('mfa-secret').textContent())?.trim() ?? '';
      assert.match(secret, /^[A-Z2-7]{32}$/, 'the key in base32, to type by hand');
      await checkPage(page, 'second-step-01-enrol');
      assert.ok(!page.url().includes('/dashboard'), 'no way in before the code');

      await typeCode(page, codeFrom(secret));
      await page.getByTestId('mfa-recovery-codes').waitFor();
      const codes = (await page.getByTestId('mfa-recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
      assert.equal(codes.length, 10);
      assert.ok(codes.every((c) => /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(c)), codes.join(' '));
      await checkPage(page, 'second-step-02-recovery-codes');
      await page.getByRole('button', { name: 'Tôi đã lưu các mã, tiếp tục' }).click();
      await page.waitForURL(/\/dashboard/);
      await signOut(page);

      // the next sign-in: the password, then a code from the app (the next step's: the one used to
      // confirm may not be used again)
      await signIn(page, demo.server.url, 'so.hanoi', DEMO_STAFF_PASSWORD);
      await page.getByRole('heading', { level: 1, name: 'Xác thực hai lớp' }).waitFor();
      await checkPage(page, 'second-step-03-code');
      await typeCode(page, codeFrom(secret, 1));
      await page.waitForURL(/\/dashboard/);
      await signOut(page);

      // a lost phone: a recovery code lets the officer in once
      await signIn(page, demo.server.url, 'so.hanoi', DEMO_STAFF_PASSWORD);
      await page.getByRole('heading', { level: 1, name: 'Xác thực hai lớp' }).waitFor();
      await typeCode(page, codes[0]!);
      await page.waitForURL(/\/dashboard/);
      await signOut(page);

      await signIn(page, demo.server.url, 'so.hanoi', DEMO_STAFF_PASSWORD);
      await page.getByRole('heading', { level: 1, name: 'Xác thực hai lớp' }).waitFor();
      await typeCode(page, codes[0]!);
      await page.getByText('Mã xác thực không đúng hoặc đã được dùng.').first().waitFor();
      assert.ok(!page.url().includes('/dashboard'), 'a used recovery code opens nothing');
      // another one still works
      await typeCode(page, codes[1]!);
      await page.waitForURL(/\/dashboard/);

      // every sign-in came from this browser: one known device, which the officer can revoke
      await page.goto(`${demo.server.url}/account/two-step`);
      await page.getByRole('heading', { level: 2, name: 'Thiết bị đã biết' }).waitFor();
      const devices = page.getByTestId('known-device');
      await devices.first().waitFor();
      assert.equal(await devices.count(), 1);
      assert.match((await devices.first().textContent()) ?? '', /Chrome \/ Linux.*trình duyệt này/);
      await checkPage(page, 'second-step-04-known-devices');
      await devices.first().getByRole('button', { name: 'Thu hồi' }).click();
      await page.getByText('Đã thu hồi thiết bị.').waitFor();
      await page.getByText('Chưa có thiết bị nào.').waitFor();
    } finally {
      await ctx.close();
    }
  });
});

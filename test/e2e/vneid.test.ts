// "Đăng nhập bằng VNeID" in a real browser: the demo server (npm start) starts the VNeID simulator beside
// itself; a free candidate goes through the simulator's login page, comes back with a new account,
// chooses a registration point and reaches the task list; a level-1 identity is sent back with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, startServer, writeAxeReport, type Server } from './harness.ts';
import { freePersonalNumber } from '../../src/sims/shared/citizens.ts';

let server: Server;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

after(async () => {
  writeAxeReport();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  // bypassCSP: axe-core is injected as an inline script into the simulator's page too
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** From the sign-in page to the simulator, pick a citizen by personal number and level, come back. */
async function throughVneid(page: Page, personalNumber: string, level: 1 | 2): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/interaction/'));
  assert.notEqual(new URL(page.url()).origin, server.url, 'the login page is the simulator’s, on its own port');
  await page.getByLabel(new RegExp(personalNumber)).check();
  await page.getByLabel(level === 2 ? /Mức 2/ : /Mức 1/).check();
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

describe('sign-in with VNeID through the simulator', () => {
  test('the banner of npm start names the simulator', () => {
    assert.match(server.output(), /VNeID \(mô phỏng \/ simulator\): http:\/\/127\.0\.0\.1:\d+/);
  });

  test('a free candidate signs in, gets an account, chooses a point for free candidates and reaches the dossier', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).waitFor();
    await checkPage(page, 'vneid-01-sign-in');
    await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/interaction/'));
    await checkPage(page, 'vneid-02-simulator-login');
    await page.getByLabel(new RegExp(freePersonalNumber(1))).check();
    await page.getByLabel(/Mức 2/).check();
    await page.getByRole('button', { name: 'Đăng nhập' }).click();

    await page.waitForURL((u) => u.origin === server.url && u.pathname === '/registration-point');
    await page.getByRole('heading', { name: 'Chọn nơi đăng ký dự thi' }).waitFor();
    assert.match(await page.getByTestId('vneid-identity').innerText(), /Mai Văn Hùng[\s\S]*02\/11\/2005[\s\S]*Nam/);
    // bad input: continue without a province → the error summary links to the field
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.locator('.error-summary a[href="#department"]').waitFor();
    await checkPage(page, 'vneid-03-choose-point-error');
    await page.getByLabel('Tỉnh, thành phố').selectOption({ label: 'Sở GD&ĐT Hà Nội' });
    await page.getByLabel(/Điểm tiếp nhận thí sinh tự do Hà Nội/).check();
    await checkPage(page, 'vneid-04-choose-point');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.match(await page.locator('main').innerText(), /Hồ sơ đăng ký dự thi/);
    // the dossier starts from the identity VNeID verified
    await page.getByRole('link', { name: 'Thông tin cá nhân' }).click();
    await page.waitForURL((u) => u.pathname === '/candidate/section/personal');
    const values = await page.locator('main input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    assert.ok(values.some((v) => /MAI VĂN HÙNG/i.test(v)), `the name is pre-filled: ${values.join(' | ')}`);
  });

  test('a level-1 identity is sent back to the sign-in page with the reason, in Vietnamese', async () => {
    const page = await newPage();
    await throughVneid(page, freePersonalNumber(2), 1);
    await page.waitForURL((u) => u.origin === server.url && u.pathname === '/sign-in');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /mới ở mức 1/);
    await checkPage(page, 'vneid-05-refused-level-1');
  });
});

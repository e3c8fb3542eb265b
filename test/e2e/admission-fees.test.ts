// A candidate pays the admission fee of their wishes in a real browser on a 360 px phone, through the
// payment gateway simulator that `npm start` runs beside the app in demo mode (see harness.ts): the fees
// page, the gateway's pay page, the return ("confirming" until the gateway's own notification arrives,
// here held back, then sent, then sent again), the receipt; then the ministry's total for the group has moved. The demo year's admission
// configuration is replaced by one whose payment window is open now, and the candidate's wishes (on the
// demo's published programmes) are written straight into the demo database through the shared schema.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'le phi xet tuyen 2026';
const STAFF_PW = 'ghidanh-demo-2026';

describe('the candidate pays the admission fees through the gateway', () => {
  let server: Server;
  let browser: Browser;
  let collectedBefore = -1;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.dbFile);
    const y = db.prepare('SELECT year, rules FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number; rules: string };
    const c = db.prepare('SELECT c.id, c.department_code FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.username = ? AND c.exam_year = ?').get(CANDIDATE, y.year) as { id: string; department_code: string };
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const rules = JSON.parse(y.rules) as Record<string, unknown>;
    rules['admission'] = {
      wishCap: 15,
      teacherTrainingMaxPosition: 5,
      combinationFloor: 15,
      window: { opensAt: iso(now - 20 * 86_400_000), closesAt: iso(now - 86_400_000) },
      feePerWishVnd: 15_000,
      paymentGroups: [
        { code: 'N1', name: 'Nhóm 1', provinceCodes: ['01', '31'], opensAt: iso(now - 3600_000), closesAt: iso(now + 2 * 86_400_000) },
        { code: 'N2', name: 'Nhóm 2', provinceCodes: ['79'], opensAt: iso(now + 86_400_000), closesAt: iso(now + 3 * 86_400_000) },
      ],
    };
    db.prepare('UPDATE exam_years SET rules = ? WHERE year = ?').run(JSON.stringify(rules), y.year);
    const at = iso(now);
    const wish = db.prepare("INSERT INTO admission_wishes (id, exam_year, candidate_id, position, programme_id, combination, fee_status, paid_at, payment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'A00', 'unpaid', NULL, NULL, ?, ?)");
    // three of the demo's published programmes (demo-admission.ts)
    ['QHI-7480201-100', 'QHI-7520207-100', 'QHI-7510302-100'].forEach((id, i) => wish.run(`w-e2e-${i + 1}`, y.year, c.id, i + 1, id, at, at));
    db.close();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const collected = async (page: import('playwright-core').Page): Promise<number> => {
    await page.goto(`${server.url}/admission/payments`);
    await page.getByTestId('payments-total').waitFor();
    return Number(await page.getByTestId('payments-total').getAttribute('data-collected'));
  };

  test('the ministry sees nothing collected yet', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'bo.quantri', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    collectedBefore = await collected(page);
    assert.equal(collectedBefore, 0);
    await ctx.close();
  });

  test('at 360 px: the fees page, the gateway page, the return confirming until the (duplicated) notification, the receipt', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    assert.equal(await page.locator('.header__title').innerText(), 'Đăng ký dự thi tốt nghiệp THPT');
    // the candidate's pages fold under the Menu button on a phone: the fees page is one of them
    await page.getByRole('button', { name: /Menu/ }).click();
    await page.getByRole('link', { name: 'Lệ phí xét tuyển' }).click();
    await page.waitForURL(/\/candidate\/fees$/);
    await page.getByRole('heading', { level: 1, name: 'Lệ phí xét tuyển' }).waitFor();
    assert.equal(await page.getByTestId('fees-state').getAttribute('data-state'), 'due');
    // admission is a second service on the same account: its pages say so in the header
    assert.equal(await page.locator('.header__title').innerText(), 'Đăng ký xét tuyển đại học, cao đẳng');
    assert.match(await page.getByTestId('fees-window').innerText(), /Nhóm 1/);
    assert.equal(await page.getByTestId('fees-wishes').locator('li').count(), 3);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'fees-01-due');
    await page.getByTestId('fees-pay').click();
    // at the gateway simulator: the amount it was asked for
    await page.getByTestId('gw-amount').waitFor();
    assert.match(await page.getByTestId('gw-amount').innerText(), /45\.000 VND/);
    const gateway = new URL(page.url()).origin;
    assert.notEqual(gateway, new URL(server.url).origin);
    // the notification is held back until the page has shown "confirming"
    const post = async (p: string, body: unknown) => (await fetch(`${gateway}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ answer: { RspCode: string } }>;
    await post('/__ipn', { mode: 'none' });
    await page.getByRole('button', { name: /Thanh toán/ }).click();
    await page.waitForURL(/\/candidate\/fees\/return/);
    // back before the notification: confirming, never "paid" on the browser's word
    await page.getByTestId('payment-state').waitFor();
    assert.equal(await page.getByTestId('payment-state').getAttribute('data-state'), 'confirming');
    await checkPage(page, 'fees-02-confirming');
    const orderId = new URL(page.url()).searchParams.get('vnp_TxnRef')!;
    assert.equal((await post('/__ipn/resend', { txnRef: orderId })).answer.RspCode, '00');
    await page.locator('[data-testid="payment-state"][data-state="paid"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('fee-receipt').waitFor();
    assert.match(await page.getByTestId('fee-receipt').innerText(), /45\.000 đ/);
    await checkPage(page, 'fees-03-paid');
    // the same notification again (a duplicate): answered "already confirmed", nothing changes twice
    assert.equal((await post('/__ipn/resend', { txnRef: orderId })).answer.RspCode, '02');
    await post('/__ipn', { mode: 'normal' });
    await page.goto(`${server.url}/candidate/fees`);
    await page.locator('[data-testid="fees-state"][data-state="paid"]').waitFor();
    assert.equal(await page.getByTestId('fee-receipt').count(), 1);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'fees-04-receipt');
    await ctx.close();
  });

  test("the ministry's total for the group has moved by the fee, once", async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'bo.quantri', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    assert.equal(await collected(page), collectedBefore + 45_000);
    assert.match(await page.getByTestId('collected-N1').innerText(), /45\.000/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'fees-05-ministry');
    await ctx.close();
  });
});

// A candidate pays a score review's fee online, in a real browser on a 360 px phone, through the payment
// gateway simulator that `npm start` runs beside the app in demo mode (so the demo year pays reviews online
// by default): the request owes its fee and the department cannot start it yet; the first payment is
// declined at the gateway and the return page says so and how to pay again; the second is approved, the
// return page confirms with the server (not the query string) and says paid, and stays so after a refresh;
// the department then starts the review. The marks are published straight into the demo database
// (reviews-fixture.ts); everything else is the real app.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';
import { publishMarksForReview } from './reviews-fixture.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'le phi phuc khao 2026';
const STAFF_PW = 'ghidanh-demo-2026';

describe('the candidate pays a score review online and the department starts it', () => {
  let server: Server;
  let browser: Browser;
  let requestId = '';
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // no payment mode named: the year's default, online since the demo's gateway is configured
    await publishMarksForReview(server.dbFile, CANDIDATE);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const phone = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  };
  const department = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'so.hanoi', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('link', { name: 'Phúc khảo' }).click();
    await page.waitForURL(/\/exam\/reviews/);
    await page.getByRole('heading', { level: 1, name: 'Phúc khảo bài thi' }).waitFor();
    return page;
  };
  const noSidewaysScroll = async (page: Page) => assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');

  test('the request owes its fee online: the page says so and offers to pay it', async () => {
    const page = await phone();
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/reviews`);
    await page.getByRole('heading', { level: 1, name: 'Phúc khảo bài thi' }).waitFor();
    assert.match(await page.getByTestId('review-fee-rule').innerText(), /thanh toán trực tuyến qua cổng thanh toán/);
    await page.getByLabel(/Toán/).check();
    await page.getByLabel(/Ngữ văn/).check();
    assert.match(await page.getByTestId('review-fee').innerText(), /Lệ phí: 60\.000 đồng \(2 bài\)/);
    await page.getByRole('button', { name: 'Nộp đơn phúc khảo' }).click();
    await page.getByTestId('review-done').waitFor();
    assert.match(await page.getByTestId('review-done').innerText(), /Hãy thanh toán lệ phí 60\.000 đồng trực tuyến/);
    const pay = page.locator('[data-testid^="review-pay-"]');
    await pay.waitFor();
    requestId = (await pay.getAttribute('data-testid'))!.slice('review-pay-'.length);
    assert.match(await pay.innerText(), /Thanh toán 60\.000 đ \(2 bài\)/);
    assert.equal(await page.getByTestId(`review-fee-${requestId}`).getAttribute('data-fee-status'), 'unpaid');
    assert.match(await page.getByTestId(`review-fee-${requestId}`).innerText(), /chưa nộp/);
    await noSidewaysScroll(page);
    await checkPage(page, 'reviews-pay-01-owed');
    await page.context().close();
  });

  test('the department sees it waiting for the payment, with nothing to start', async () => {
    const page = await department();
    assert.match(await page.getByTestId('reviews-total').innerText(), /^1 đơn/);
    assert.match(await page.getByTestId('review-requests').innerText(), /chờ thí sinh nộp trực tuyến/);
    assert.equal(await page.getByRole('button', { name: /^Bắt đầu phúc khảo/ }).count(), 0);
    await page.context().close();
  });

  test('at 360 px: declined at the gateway, then paid; the return page confirms with the server and stays paid after a refresh', async () => {
    const page = await phone();
    await signIn(page, server.url, CANDIDATE, NEW_PW);
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/reviews`);
    await page.getByTestId(`review-pay-${requestId}`).click();
    // at the gateway simulator (another origin): the amount of the two papers
    await page.getByTestId('gw-amount').waitFor();
    assert.match(await page.getByTestId('gw-amount').innerText(), /60\.000 VND/);
    assert.notEqual(new URL(page.url()).origin, new URL(server.url).origin);
    await page.getByRole('button', { name: /Hủy giao dịch/ }).click();
    await page.waitForURL(/\/candidate\/reviews\/return/);
    await page.locator('[data-testid="payment-state"][data-state="declined"]').waitFor();
    assert.match(await page.getByTestId('payment-state').innerText(), /thanh toán lại ở trang Phúc khảo/);
    await noSidewaysScroll(page);
    await checkPage(page, 'reviews-pay-02-declined');
    // a forged "success" in the address changes nothing: the server checks the gateway's signature
    const forged = new URL(page.url());
    forged.searchParams.set('vnp_ResponseCode', '00');
    forged.searchParams.set('vnp_TransactionStatus', '00');
    await page.goto(forged.toString());
    await page.getByText('Thông tin trả về từ cổng thanh toán không hợp lệ.', { exact: false }).waitFor();
    assert.equal(await page.getByTestId('payment-state').count(), 0);

    await page.getByTestId('payment-back').click();
    await page.waitForURL(/\/candidate\/reviews$/);
    await page.getByTestId(`review-pay-${requestId}`).click();
    await page.getByTestId('gw-amount').waitFor();
    await page.getByRole('button', { name: /Thanh toán/ }).click();
    await page.waitForURL(/\/candidate\/reviews\/return/);
    // "confirming" until the gateway's own notification has arrived; then paid
    await page.locator('[data-testid="payment-state"][data-state="paid"]').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('payment-state').innerText(), /Đã nộp lệ phí phúc khảo/);
    assert.match(await page.getByTestId('fee-receipt').innerText(), /60\.000 đ/);
    await noSidewaysScroll(page);
    await checkPage(page, 'reviews-pay-03-paid');
    await page.reload();
    await page.locator('[data-testid="payment-state"][data-state="paid"]').waitFor();
    await page.getByTestId('payment-back').click();
    await page.waitForURL(/\/candidate\/reviews$/);
    await page.locator(`[data-testid="review-fee-${requestId}"][data-fee-status="paid"]`).waitFor();
    assert.match(await page.getByTestId(`review-fee-${requestId}`).innerText(), /đã nộp trực tuyến/);
    // paid: nothing more to pay, and no longer withdrawn by the candidate
    assert.equal(await page.getByTestId(`review-pay-${requestId}`).count(), 0);
    assert.equal(await page.getByTestId(`withdraw-${requestId}`).count(), 0);
    await noSidewaysScroll(page);
    await checkPage(page, 'reviews-pay-04-request-paid');
    await page.context().close();
  });

  test('the department starts the paid request', async () => {
    const page = await department();
    assert.match(await page.getByTestId('review-requests').innerText(), /đã nộp trực tuyến/);
    await page.getByRole('button', { name: /^Bắt đầu phúc khảo/ }).click();
    await page.getByTestId('reviews-total').getByText(/^0 đơn/).waitFor();
    await page.selectOption('#review-status', 'in_review');
    await page.getByLabel('Điểm phúc khảo môn Ngữ văn').waitFor();
    await checkPage(page, 'reviews-pay-05-department');
    await page.context().close();
  });
});

// The candidate asks for a score review (phúc khảo) in a real browser on a 360 px phone (see harness.ts),
// in a year that chose to take review fees at the registration point (rules.reviews.payment 'at_point'; the
// default, paying online through the gateway, is reviews-payment.test.ts). The marks are published straight
// into the demo database (reviews-fixture.ts); the page, the choice, the fee, the request and its
// withdrawal are the real ones.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';
import { publishMarksForReview } from './reviews-fixture.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'phuc khao bai thi 2026';
const STAFF_PW = 'ghidanh-demo-2026';

describe('the candidate asks for a score review', () => {
  let server: Server;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('choose two papers, see the fee (paid at the point), send, then withdraw', async () => {
    await publishMarksForReview(server.dbFile, CANDIDATE, { payment: 'at_point' });

    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/reviews`);
    await page.getByRole('heading', { level: 1, name: 'Phúc khảo bài thi' }).waitFor();
    assert.match(await page.getByTestId('review-window').innerText(), /Nhận đơn phúc khảo từ/);
    assert.match(await page.getByTestId('review-fee-rule').innerText(), /nộp tại điểm tiếp nhận hồ sơ/);
    // nothing chosen: the error summary names the field
    await page.getByRole('button', { name: 'Nộp đơn phúc khảo' }).click();
    await page.getByText('Hãy chọn ít nhất một bài thi để phúc khảo.').first().waitFor();
    await page.getByLabel(/Toán/).check();
    await page.getByLabel(/Ngữ văn/).check();
    assert.match(await page.getByTestId('review-fee').innerText(), /Lệ phí: 60\.000 đồng \(2 bài\)/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'reviews-01-choose');
    await page.getByRole('button', { name: 'Nộp đơn phúc khảo' }).click();
    await page.getByTestId('review-done').waitFor();
    assert.match(await page.getByTestId('review-done').innerText(), /60\.000 đồng nộp tại điểm tiếp nhận/);
    assert.match(await page.getByTestId('review-item-TOAN').innerText(), /Chờ kết quả/);
    // the papers asked for are no longer offered; Vật lí still is
    assert.equal(await page.getByLabel(/Toán/).count(), 0);
    assert.equal(await page.getByLabel(/Vật lí/).count(), 1);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'reviews-02-requested');
    await page.getByRole('button', { name: 'Rút đơn' }).click();
    await page.getByText('Đã rút đơn phúc khảo.').waitFor();
    await page.getByText('Đã rút', { exact: true }).waitFor();
    // withdrawn: the papers may be asked for again
    await page.getByLabel(/Toán/).check();
    await page.getByLabel(/Ngữ văn/).check();
    await page.getByRole('button', { name: 'Nộp đơn phúc khảo' }).click();
    await page.getByTestId('review-done').waitFor();
    await ctx.close();
  });

  test('the department starts the request, records both papers and sends the changed mark for checking', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, server.url, 'so.hanoi', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('link', { name: 'Phúc khảo' }).click();
    await page.waitForURL(/\/exam\/reviews/);
    await page.getByRole('heading', { level: 1, name: 'Phúc khảo bài thi' }).waitFor();
    assert.match(await page.getByTestId('reviews-total').innerText(), /^1 đơn/);
    await page.getByRole('button', { name: /^Bắt đầu phúc khảo/ }).click();
    // started: it leaves the list of new requests
    await page.getByTestId('reviews-total').getByText(/^0 đơn/).waitFor();
    await page.selectOption('#review-status', 'in_review');
    // the papers by name, not the codes "VAN", "TOAN"
    await page.getByText(/Ngữ văn \(tự luận\)/).first().waitFor();
    await page.getByLabel('Điểm phúc khảo môn Ngữ văn').fill('6,1');
    await page.getByLabel('Điểm phúc khảo môn Ngữ văn').press('Enter');
    await page.getByText(/Giữ nguyên \(phúc khảo 6,1\)/).waitFor();
    await page.getByLabel('Điểm phúc khảo môn Toán').fill('1,25');
    await page.getByLabel('Điểm phúc khảo môn Toán').press('Enter');
    await page.getByText(/Đổi thành 1,25 \(chưa gửi kiểm tra\)/).waitFor();
    await checkPage(page, 'reviews-03-department');
    await page.getByRole('button', { name: 'Gửi các điểm thay đổi để kiểm tra' }).click();
    assert.match(await page.getByTestId('reviews-done').innerText(), /Đã gửi 1 điểm thay đổi để kiểm tra \(phiên bản 2\)/);
    await page.getByText(/Đổi thành 1,25 \(chờ công bố\)/).waitFor();
    // the review version waits on the marks page for another officer
    await page.getByRole('link', { name: 'Điểm bài thi', exact: true }).first().click();
    await page.waitForURL(/\/exam\/results/);
    assert.match(await page.getByTestId('marks-versions').innerText(), /Chờ công bố · phúc khảo/);
    await ctx.close();
  });
});

// The ministry sets the year's score-review settings on the exam-year page, in a real browser on a 360 px
// phone: the defaults shown (10 days from the publication, 30.000 đ a paper, paid online), bad values
// refused in both languages on their fields before anything is sent, then 12 days, a new fee and payment
// at the point saved with a reason and still there after a reload.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, demoInBrowser, staffPage } from './harness.ts';

describe("the ministry edits the year's score-review settings", () => {
  const demo = demoInBrowser();

  test('defaults shown, bad values refused on their fields, a change saved with its reason', async () => {
    const { page, close } = await staffPage(demo, 'bo.quantri', { width: 360, height: 800 });
    await page.goto(`${demo.server.url}/config`);
    const settings = page.getByTestId('review-settings');
    await settings.waitFor();
    assert.equal(await page.inputValue('#reviews-days'), '10');
    assert.equal(await page.inputValue('#reviews-feePerPaperVnd'), '30000');
    assert.equal(await settings.getByLabel('Trực tuyến qua cổng thanh toán').isChecked(), true);

    await page.fill('#reviews-days', '0');
    await page.fill('#reviews-feePerPaperVnd', 'ba mươi nghìn');
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await page.locator('.error-summary a[href="#reviews-days"]').waitFor();
    await page.locator('.error-summary a[href="#reviews-feePerPaperVnd"]').waitFor();
    assert.match(await page.locator('.error-summary').innerText(), /Lệ phí một bài thi phải là số đồng nguyên/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'exam-year-reviews-01-refused');

    // a fixed window asks for its dates (the API test saves one: the demo's windows move with the clock)
    await settings.getByLabel('Cùng một khung thời gian cho cả nước').check();
    await page.locator('#reviews-window-from').waitFor();
    assert.equal(await page.locator('#reviews-days').count(), 0);
    await settings.getByLabel('Từ lúc Sở GD&ĐT công bố điểm, trong một số ngày').check();
    await page.fill('#reviews-days', '12');
    await page.fill('#reviews-feePerPaperVnd', '25.000');
    await settings.getByLabel('Tại điểm tiếp nhận hồ sơ').check();
    await page.fill('#reason', 'Lệ phí phúc khảo theo nghị quyết của tỉnh.');
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await page.getByTestId('config-done').waitFor();
    await page.reload();
    await page.getByTestId('review-settings').waitFor();
    assert.equal(await page.inputValue('#reviews-feePerPaperVnd'), '25000', 'the fee is saved');
    assert.equal(await page.inputValue('#reviews-days'), '12');
    assert.equal(await page.getByTestId('review-settings').getByLabel('Tại điểm tiếp nhận hồ sơ').isChecked(), true);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'exam-year-reviews-02-saved');
    await close();
  });
});

// The ministry's admission settings in a real browser: the demo year's settings open in the form; a broken
// value is named on its field before anything is sent (the domain's rule, as the server's); a change needs
// a reason; once wish registration has opened the server refuses a new cap, named on its field; a fee
// change with a reason is saved. Also at 360 px without sideways scrolling.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, demoInBrowser, staffPage } from './harness.ts';

describe("the ministry's admission settings", () => {
  const demo = demoInBrowser();

  test('edits the fee with a reason; a bad cap and a locked rule are named on their field', async () => {
    const { page, close } = await staffPage(demo, 'bo.quantri');
    await page.getByRole('link', { name: 'Thiết lập xét tuyển' }).click();
    await page.getByRole('heading', { level: 1, name: /Thiết lập xét tuyển/ }).waitFor();
    // the demo's settings: 15 wishes, 15,000 đồng, two payment groups
    assert.equal(await page.inputValue('#wishCap'), '15');
    assert.equal(await page.inputValue('#feePerWishVnd'), '15000');
    await page.getByTestId('payment-group-1').waitFor();
    // the demo's enrolment deadline, 30 days on, shown as its day
    const deadline = new Date(Date.now() + 7 * 3600_000 + 30 * 86400_000).toISOString().slice(0, 10);
    assert.equal(`${await page.inputValue('#enrolmentDeadline-year')}-${(await page.inputValue('#enrolmentDeadline-month')).padStart(2, '0')}-${(await page.inputValue('#enrolmentDeadline')).padStart(2, '0')}`, deadline);
    await checkPage(page, 'admission-settings-01-form');

    // checked in the browser: nothing is sent
    await page.fill('#wishCap', '0');
    await page.fill('#feePerWishVnd', '20000');
    await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
    await page.locator('#wishCap-error').waitFor();
    await page.locator('#reason-error').waitFor();
    assert.match(await page.locator('#wishCap-error').innerText(), /từ 1 đến 100/);

    // once the window opened, the server keeps the cap: its refusal lands on the same field
    await page.fill('#wishCap', '10');
    await page.fill('#reason', 'Thông tư sửa đổi');
    await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
    await page.locator('#wishCap-error').getByText(/đã mở/).waitFor();

    await page.fill('#wishCap', '15');
    await page.getByRole('button', { name: 'Lưu thiết lập' }).click();
    await page.getByTestId('settings-saved').waitFor();
    assert.equal(await page.inputValue('#feePerWishVnd'), '20000');
    assert.equal(await page.inputValue('#reason'), '', 'the reason is asked again for the next change');

    await page.setViewportSize({ width: 360, height: 800 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'admission-settings-02-saved');
    await close();
  });
});

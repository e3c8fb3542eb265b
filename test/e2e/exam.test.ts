// The department's walk through numbering in a real browser (see harness.ts): the officer maps the
// registration points to an exam site, saves it, and is told numbering waits for registration to close
// (the demo year is in its official window). Numbering itself is covered against both databases in
// src/server/exam/seating.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, demoInBrowser, staffPage } from './harness.ts';

describe('the department numbers its candidates', () => {
  const demo = demoInBrowser();

  test('sites, points mapped, numbering refused while registration is open', async () => {
    const { page, close } = await staffPage(demo, 'so.hanoi', { timeoutMs: 15_000 });
    await page.getByRole('link', { name: 'Số báo danh, phòng thi' }).click();
    await page.waitForURL(/\/exam\/seating/);
    await page.getByRole('heading', { level: 1, name: 'Số báo danh, điểm thi, phòng thi' }).waitFor();
    await page.getByRole('button', { name: 'Thêm điểm thi' }).click();
    await page.fill('#sites-0-code', 'A01');
    await page.fill('#sites-0-name', 'Điểm thi THPT Chu Văn An');
    await page.fill('#sites-0-address', '10 Thụy Khuê, Tây Hồ, Hà Nội');
    for (const code of ['01001', '01002', '01900']) await page.selectOption(`#point-${code}`, { label: 'Điểm thi THPT Chu Văn An' });
    await page.getByRole('button', { name: 'Lưu điểm thi' }).click();
    await page.getByText('Đã lưu các điểm thi.').waitFor();
    await checkPage(page, 'exam-01-sites');
    // saved: the page reloaded from the server shows the mapping
    await page.reload();
    assert.equal(await page.inputValue('#sites-0-name'), 'Điểm thi THPT Chu Văn An');
    assert.notEqual(await page.inputValue('#point-01002'), '');
    await page.getByRole('button', { name: 'Đánh số báo danh' }).click();
    await page.getByText('Chỉ đánh số báo danh sau khi hết hạn đăng ký dự thi.').first().waitFor();
    assert.match(await page.getByTestId('counts').innerText(), /Đã đánh số: 0 thí sinh/);
    await close();
  });
});

// The department's results page in a real browser (see harness.ts): the officer uploads a marks file,
// reads the row-by-row report naming the row and the column, sees the version staged and is told that
// another officer must publish it (four eyes). Publication, the difference and the graduation results are
// covered against both databases in src/server/results/results.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, demoInBrowser, staffPage } from './harness.ts';

describe('the department uploads the council’s marks', () => {
  const demo = demoInBrowser();

  test('upload, the row report, the version staged, and no publish button for the uploader', async () => {
    const { page, close } = await staffPage(demo, 'so.hanoi', { timeoutMs: 15_000 });
    // 'Điểm bài thi': the marks, never to be read as 'điểm thi', an exam site
    await page.getByRole('link', { name: 'Điểm bài thi', exact: true }).click();
    await page.waitForURL(/\/exam\/results/);
    await page.getByRole('heading', { level: 1, name: 'Điểm bài thi và kết quả tốt nghiệp' }).waitFor();
    const csv = 'Số báo danh,Mã môn,Điểm\r\n01999999,TOAN,"7,25"\r\n0100,VAN,12\r\n';
    await page.setInputFiles('#marks-file', { name: 'diem-toan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Kiểm tra và lưu tạm' }).click();
    await page.getByRole('heading', { level: 2, name: 'Phiên bản 1: Chờ công bố' }).waitFor();
    const rows = await page.getByTestId('marks-findings').locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 3, rows.join('\n'));
    assert.match(rows[0]!, /^2\tSố báo danh\tKhông có thí sinh số báo danh 01999999/);
    assert.match(rows[1]!, /^3\tSố báo danh\tSố báo danh gồm 8 chữ số/);
    assert.match(rows[2]!, /^3\tĐiểm\tĐiểm phải từ 0 đến 10/);
    assert.match(await page.getByTestId('four-eyes').innerText(), /một cán bộ khác của sở cần kiểm tra và công bố/);
    assert.equal(await page.getByRole('button', { name: /Công bố phiên bản/ }).count(), 0);
    await checkPage(page, 'results-01-report');
    assert.match(await page.getByTestId('marks-versions').innerText(), /Chờ công bố/);
    await close();
  });
});

// The results' statistics page in a real browser (see harness.ts), on a 360 px phone: a department reaches
// it from its navigation and sees its own council (nothing published yet, no review asked for); the ministry
// sees the nation with every province listed and opens one. The figures themselves are checked against
// both databases in src/server/results-stats/results-stats.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const STAFF_PW = 'ghidanh-demo-2026';

/** the page never scrolls sideways (tables scroll inside their own box); polled, as fonts and layout settle */
const fitsWidth = (page: Page) =>
  page
    .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, undefined, { timeout: 5_000 })
    .then(() => true)
    .catch(() => page.evaluate(() => `${document.documentElement.scrollWidth} > ${window.innerWidth}`));

describe('score distributions and graduation rates', () => {
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

  test('a department reads its own council; the ministry reads the nation and a province', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, server.url, 'so.hanoi', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    await page.goto(`${server.url}/exam/statistics`);
    await page.getByRole('heading', { level: 2, name: 'Phổ điểm' }).waitFor();
    assert.match(await page.getByTestId('reviews-none').innerText(), /Chưa có yêu cầu phúc khảo/);
    assert.equal(await page.getByTestId('provinces-table').count(), 0, 'a department sees no province table');
    assert.equal(await fitsWidth(page), true, 'no sideways scrolling of the page at 360 px');
    await checkPage(page, 'exam-statistics-department');
    await ctx.close();

    const mctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const m = await mctx.newPage();
    m.setDefaultTimeout(15_000);
    await signIn(m, server.url, 'bo.quantri', STAFF_PW);
    await m.waitForURL(/\/dashboard|\/config|\/operations/);
    await m.goto(`${server.url}/exam/statistics`);
    await m.getByRole('heading', { level: 1, name: 'Toàn quốc' }).waitFor();
    await m.getByTestId('provinces-table').locator('tbody tr').first().waitFor();
    const rows = await m.getByTestId('provinces-table').locator('tbody tr').count();
    assert.ok(rows >= 2, `every province listed (${rows})`);
    assert.equal(await fitsWidth(m), true);
    await checkPage(m, 'exam-statistics-national');
    await m.getByTestId('provinces-table').getByRole('link').first().click();
    await m.waitForURL(/level=department/);
    await m.getByRole('link', { name: 'Toàn quốc', exact: true }).waitFor();
    await mctx.close();
  });
});

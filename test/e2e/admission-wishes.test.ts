// A candidate files admission wishes in a real browser on a 360 px phone (the demo's admission season:
// its window is open, its programmes published, see demo-admission.ts): finds programmes by a name typed
// without diacritics, adds them, moves them with the buttons, sees a teacher-training wish beyond position
// 5 flagged by the page itself before the save returns (the same domain rule as the server's), saves,
// chooses the subject combination of a wish whose programme admits several, reloads and finds both kept. Then the QHI admissions officer's live counts page moves (on focus,
// without a reload), and so do the ministry's national totals and its view of the institution's counts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'nguyen vong xet tuyen 2026';
const STAFF_PW = 'ghidanh-demo-2026';

// the demo's programmes (demo-admission.ts)
const CNTT = 'QHI-7480201-100'; // Công nghệ thông tin
const DTVT = 'QHI-7520207-100'; // Kỹ thuật điện tử - viễn thông
const CNDT = 'QHI-7510302-100'; // Công nghệ kỹ thuật điện tử
const QTKD = 'KHA-7340101-100'; // Quản trị kinh doanh
const KT = 'KHA-7310101-100'; // Kinh tế
const TCNH = 'KHA-7340201-100'; // Tài chính - Ngân hàng
const SPT = 'SPH-7140209-100'; // Sư phạm Toán học (teacher training)

const noSidewaysScroll = async (page: Page) => assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');

describe('the candidate files admission wishes; the institution and the ministry see them counted', () => {
  let server: Server;
  let browser: Browser;
  let officer: BrowserContext;
  let officerPage: Page;
  let nationalBefore = { wishes: -1, candidates: -1, due: -1 };
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const national = async (page: Page) => {
    await page.goto(`${server.url}/admission/totals`);
    const el = page.getByTestId('national-totals');
    await el.waitFor();
    return { wishes: Number(await el.getAttribute('data-wishes')), candidates: Number(await el.getAttribute('data-candidates')), due: Number(await el.getAttribute('data-due')) };
  };

  test('before: the ministry reads the national totals, the QHI officer opens the live counts', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'bo.quantri', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('link', { name: 'Nguyện vọng toàn quốc' }).waitFor();
    nationalBefore = await national(page);
    await ctx.close();

    officer = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    officerPage = await officer.newPage();
    officerPage.setDefaultTimeout(20_000);
    await signIn(officerPage, server.url, 'tuyensinh.qhi', STAFF_PW);
    await officerPage.waitForURL(/\/admission\/institution$/);
    await officerPage.getByRole('button', { name: /Menu/ }).click();
    await officerPage.getByRole('link', { name: 'Nguyện vọng đăng ký' }).click();
    await officerPage.waitForURL(/\/admission\/institution\/counts$/);
    await officerPage.getByTestId('counts-total').waitFor();
    assert.equal(await officerPage.getByTestId('counts-total').getAttribute('data-wishes'), '0');
    // only QHI's own programmes
    assert.equal(await officerPage.locator('[data-testid="counts-programmes"] tbody tr').count(), 3);
  });

  test('at 360 px: find without diacritics, add, move up and down, a teacher-training wish beyond 5 flagged at once, saved, kept after a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.getByRole('button', { name: /Menu/ }).click();
    await page.getByRole('link', { name: 'Nguyện vọng', exact: true }).click();
    await page.waitForURL(/\/candidate\/wishes$/);
    await page.getByRole('heading', { level: 1, name: 'Nguyện vọng xét tuyển' }).waitFor();

    const order = async () => page.getByTestId('wish').evaluateAll((els) => els.map((e) => e.getAttribute('data-programme')));
    const saved = async (n: number) => {
      await page.locator('[data-testid="wishes-saved"][data-state="saved"]').waitFor();
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid="wish"][data-source="server"]').length === k, n);
    };
    const find = async (q: string) => {
      await page.fill('#wish-q', q);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await page.locator('[data-testid="found"] li').first().waitFor();
    };
    const add = async (name: string, n: number) => {
      await page.getByRole('button', { name: `Thêm ${name}`, exact: true }).click();
      await saved(n);
    };

    // "cong nghe" without diacritics finds both "Công nghệ …" programmes
    await find('cong nghe');
    const found = await page.locator('[data-testid="found"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-programme')));
    assert.deepEqual([...found].sort(), [CNTT, CNDT].sort());
    await checkPage(page, 'wishes-01-found');
    await add('Công nghệ thông tin', 1);
    await add('Công nghệ kỹ thuật điện tử', 2);
    await find('vien thong');
    await add('Kỹ thuật điện tử - viễn thông', 3);
    assert.deepEqual(await order(), [CNTT, CNDT, DTVT]);

    // a wish's three controls: one row of thumb-sized buttons with words, not three full-width bars
    const boxes = await page.locator('[data-testid="wish"]').nth(1).locator('.wish-actions button').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { top: Math.round(r.top), w: r.width, h: r.height, text: e.textContent }; }));
    assert.equal(boxes.length, 3);
    assert.equal(new Set(boxes.map((b) => b.top)).size, 1, `one row at 360 px: ${JSON.stringify(boxes)}`);
    for (const b of boxes) assert.ok(b.w >= 44 && b.h >= 44, `at least 44×44 px: ${JSON.stringify(b)}`);
    assert.deepEqual(boxes.map((b) => b.text), ['↑ Lên', '↓ Xuống', 'Xoá']);

    // up, then down, with the buttons
    await page.getByRole('button', { name: 'Đưa nguyện vọng 3 lên' }).click();
    assert.deepEqual(await order(), [CNTT, DTVT, CNDT], 'moved up at once');
    await saved(3);
    await page.getByRole('button', { name: 'Đưa nguyện vọng 1 xuống' }).click();
    assert.deepEqual(await order(), [DTVT, CNTT, CNDT], 'moved down at once');
    await saved(3);

    await find('kinh');
    await add('Quản trị kinh doanh', 4);
    await add('Kinh tế', 5);
    await find('tai chinh');
    await add('Tài chính - Ngân hàng', 6);

    // the teacher-training programme at position 7: the page flags it before the save has answered
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let passed: Promise<void> = Promise.resolve();
    await page.route('**/api/admission/wishes', (route) => {
      passed = (async () => {
        if (route.request().method() === 'PUT') await held;
        await route.continue();
      })();
      return passed;
    });
    await find('su pham toan');
    await page.getByRole('button', { name: 'Thêm Sư phạm Toán học', exact: true }).click();
    const spt = page.locator(`[data-testid="wish"][data-programme="${SPT}"]`);
    await spt.locator('[data-code="WISH_TEACHER_TRAINING_POSITION"]').waitFor();
    assert.deepEqual([await spt.getAttribute('data-eligibility'), await spt.getAttribute('data-source')], ['ineligible', 'browser']);
    assert.match(await spt.innerText(), /chỉ xét nguyện vọng từ 1 đến 5/);
    assert.equal(await page.getByTestId('wishes-saved').getAttribute('data-state'), 'saving');
    await noSidewaysScroll(page);
    await checkPage(page, 'wishes-02-teacher-flagged');
    release();
    await passed;
    await saved(7);
    await page.unroute('**/api/admission/wishes');
    // the server says the same
    assert.deepEqual([await spt.getAttribute('data-eligibility'), await spt.getAttribute('data-source')], ['ineligible', 'server']);
    assert.equal(await spt.locator('[data-code="WISH_TEACHER_TRAINING_POSITION"]').count(), 1);

    // up to position 5: no longer flagged
    await page.getByRole('button', { name: 'Đưa nguyện vọng 7 lên' }).click();
    await page.getByRole('button', { name: 'Đưa nguyện vọng 6 lên' }).click();
    await saved(7);
    assert.equal(await spt.locator('[data-code="WISH_TEACHER_TRAINING_POSITION"]').count(), 0);
    const expected = [DTVT, CNTT, CNDT, QTKD, SPT, KT, TCNH];
    assert.deepEqual(await order(), expected);

    // a programme admitting several combinations: the default (no marks yet: the programme's first) or the one chosen
    assert.equal(await page.inputValue('#wish-combination-2'), 'A00');
    await page.selectOption('#wish-combination-2', 'A01');
    await saved(7);
    assert.equal(await page.locator(`[data-testid="wish"][data-programme="${KT}"] [data-testid="wish-combination"]`).count(), 1, 'Kinh tế admits three combinations');

    await page.reload();
    await page.getByTestId('wish').first().waitFor();
    assert.deepEqual(await order(), expected, 'the order is kept');
    assert.deepEqual([await page.inputValue('#wish-combination-1'), await page.inputValue('#wish-combination-2')], ['A00', 'A01'], 'the chosen combination is kept');
    await noSidewaysScroll(page);
    await checkPage(page, 'wishes-03-saved');
    await ctx.close();
  });

  test("the QHI officer's counts move on focus, by position; the ministry's national totals moved", async () => {
    // the counts page is still open from before: focusing the window asks again
    await officerPage.evaluate(() => window.dispatchEvent(new Event('focus')));
    await officerPage.locator('[data-testid="counts-total"][data-wishes="3"]').waitFor();
    assert.equal(await officerPage.getByTestId('counts-total').getAttribute('data-candidates'), '1');
    assert.equal(await officerPage.getByTestId('counts-total').getAttribute('data-paid-candidates'), '0');
    const at = (programme: string, position: number) => officerPage.locator(`[data-programme="${programme}"] td[data-position="${position}"]`).innerText();
    assert.deepEqual([await at(DTVT, 1), await at(CNTT, 2), await at(CNDT, 3), await at(CNTT, 1)], ['1', '1', '1', '0']);
    await noSidewaysScroll(officerPage);
    await checkPage(officerPage, 'wishes-04-institution-counts');
    await officer.close();

    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'bo.quantri', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    const expected = { wishes: nationalBefore.wishes + 7, candidates: nationalBefore.candidates + 1, due: nationalBefore.due + 7 * 15_000 };
    // the server passes over the nation's wishes at most every few seconds: ask again until the pass is a fresh one
    let now = await national(page);
    for (let i = 0; i < 10 && now.wishes !== expected.wishes; i++) {
      await page.waitForTimeout(1000);
      now = await national(page);
    }
    assert.deepEqual(now, expected);
    assert.equal(await page.locator('[data-testid="totals-positions"] tr[data-position="5"] td').innerText(), String(1));
    await noSidewaysScroll(page);
    await checkPage(page, 'wishes-05-national');

    // the ministry opens one institution's live counts from the institutions page: the officer's figures
    await page.goto(`${server.url}/admission/institutions`);
    await page.getByTestId('counts-QHI').click();
    await page.getByRole('heading', { level: 1, name: /Nguyện vọng đăng ký vào QHI/ }).waitFor();
    await page.locator('[data-testid="counts-total"][data-wishes="3"][data-candidates="1"]').waitFor();
    await noSidewaysScroll(page);
    await checkPage(page, 'wishes-06-ministry-institution-counts');
    await ctx.close();
  });
});

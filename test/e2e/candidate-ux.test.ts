// The candidate's pages as a new user meets them (issue 20): one test per kind of defect, in a real
// browser, each page checked with axe and kept as screenshots at 360 and 1280 px (see harness.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, writeAxeReport, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'mua he xanh 2026';

let browser: Browser;
let server: Server;
let dir: string;
let page: Page;
const contexts: BrowserContext[] = [];

async function newPage(url: string, width = 1280): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: 'vi-VN' });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.setDefaultTimeout(20_000);
  void url;
  return p;
}

async function image(name: string, width: number, height: number): Promise<string> {
  const file = path.join(dir, name);
  await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 210, b: 230 } } })
    .jpeg()
    .toFile(file);
  return file;
}

/** Every link and button of the header at least 24×24 CSS px (WCAG 2.2 target size). */
async function smallTargets(p: Page, selector: string): Promise<string[]> {
  return p.evaluate((sel) => {
    return [...document.querySelectorAll<HTMLElement>(sel)]
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ text: e.textContent?.trim() ?? '', r: e.getBoundingClientRect() }))
      .filter((x) => x.r.width < 24 || x.r.height < 24)
      .map((x) => `${x.text} ${Math.round(x.r.width)}×${Math.round(x.r.height)}`);
  }, selector);
}

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-e2e-ux-'));
});

after(async () => {
  writeAxeReport();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the candidate's pages, as a new user meets them", () => {
  test('the first password is not asked again; the new one can be shown; header targets are at least 24 px', async () => {
    page = await newPage(server.url, 360);
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.getByTestId('otp-kept').waitFor();
    assert.equal(await page.locator('#currentPassword').count(), 0, 'the one-time password just typed is not asked again');
    await page.fill('#newPassword', NEW_PW);
    await page.check('#showPassword');
    assert.equal(await page.getAttribute('#newPassword', 'type'), 'text');
    await checkPage(page, 'ux-01-change-password');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.setViewportSize({ width: 360, height: 800 });
    assert.deepEqual(await smallTargets(page, '.header a, .header button'), [], 'header targets ≥ 24×24 at 360 px');
    // on a phone the pages fold under "Menu": the header stays short, the menu opens and closes on a page
    const headerHeight = () => page.evaluate(() => document.querySelector('.header')!.getBoundingClientRect().height);
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    const statusLink = page.locator('.header').getByRole('link', { name: 'Trạng thái', exact: true });
    assert.equal(await statusLink.count(), 0, 'the pages are folded');
    const folded = await headerHeight();
    assert.ok(folded <= 240, `a short header at 360 px (${folded} px)`);
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await smallTargets(page, '.header a, .header button'), [], 'open menu targets ≥ 24×24 at 360 px');
    await statusLink.click();
    await page.waitForURL(/\/candidate\/status/);
    assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'choosing a page closes the menu');
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/candidate');
    const submitBox = await page.evaluate(() => {
      const b = document.querySelector('main .button');
      return b ? b.getBoundingClientRect().height : null;
    });
    if (submitBox !== null) assert.ok(submitBox >= 44, `primary buttons ≥ 44 px on a phone (${submitBox})`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('the task list states the real deadline, counts every row, and the states agree with the server', async () => {
    const deadline = await page.getByTestId('deadline').innerText();
    assert.match(deadline, /\d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/, `a real date and time: ${deadline}`);
    assert.doesNotMatch(await page.locator('main').innerText(), /ngày đóng cổng/);
    const rows = await page.locator('.task-list').first().locator('.task-list__item').count();
    assert.match(await page.getByTestId('progress').innerText(), new RegExp(`trên ${rows} mục`), 'the count names as many sections as there are rows');
    assert.match(await page.getByTestId('dossier-code').innerText(), /có sau lần lưu đầu tiên/);
    await checkPage(page, 'ux-02-task-list');
    // English says the same date
    await page.getByRole('button', { name: 'English' }).click();
    assert.match(await page.getByTestId('deadline').innerText(), /\d{2}:\d{2} on \d{1,2} [A-Z][a-z]+ \d{4}/);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  test('every error of a page shows at once, linked to its field; a list says "chọn"; nationality is chosen by name', async () => {
    await page.click('a[href="/candidate/section/personal"]');
    await page.waitForURL(/section\/personal/);
    assert.equal(await page.locator('select#personal-nationality').count(), 1, 'nationality is a list of names');
    assert.equal(await page.locator('#personal-nationality option[value="VN"]').innerText(), 'Việt Nam');
    await page.fill('#personal-fullName', 'Nguyễn Văn An');
    await page.check('#personal-gender');
    await page.fill('#personal-dateOfBirth', '31');
    await page.fill('#personal-dateOfBirth-month', '2');
    await page.fill('#personal-dateOfBirth-year', '2008');
    await page.check('#personal-bornAbroad');
    await page.selectOption('#personal-birthPlace-provinceCode', '01');
    await page.selectOption('#personal-ethnicityCode', '');
    await page.fill('#personal-idNumber', '00120810000');
    await page.click('button[type=submit]');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['#personal-dateOfBirth', '#personal-ethnicityCode', '#personal-idNumber'], 'three problems, at once, in page order');
    const text = await summary.innerText();
    assert.match(text, /Vui lòng chọn Dân tộc/);
    assert.match(text, /31\/02\/2008 không có trên lịch/);
    assert.doesNotMatch(text, /2008-02-31|YYYY/);
    await checkPage(page, 'ux-03-personal-all-errors');
    // an impossible short year is refused in words, never shown as ISO
    await page.fill('#personal-dateOfBirth-year', '8');
    await page.click('button[type=submit]');
    await page.getByText('năm gồm 4 chữ số').first().waitFor();
    // a field put right is not taken off the summary while the candidate types: the list stays as the last
    // Save found it (the GOV.UK pattern), and the next Save checks again
    await page.selectOption('#personal-ethnicityCode', '01');
    assert.ok(
      (await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).includes('#personal-ethnicityCode'),
      'the summary keeps what the last Save found until the next Save',
    );
    // fixed, it saves and the dossier has its readable code from now on
    await page.fill('#personal-dateOfBirth', '14');
    await page.fill('#personal-dateOfBirth-year', '2008');
    await page.selectOption('#personal-ethnicityCode', '01');
    await page.fill('#personal-idNumber', '001208100001');
    await page.click('button[type=submit]');
    await page.waitForURL(/section\/residence/);
    const code = await page.getByTestId('dossier-code').innerText();
    assert.match(code, /Mã hồ sơ: \d{2}-\d{2}-\d{6}-\d/, `the readable code, not a UUID: ${code}`);
  });

  test('an unsaved draft is a note on the task list, never a state of its own', async () => {
    await page.goto(server.url + '/candidate/section/contact');
    await page.fill('#contact-phone', '0912');
    await page.goto(server.url + '/candidate');
    const row = page.locator('.task-list__item', { hasText: 'Thông tin liên hệ' });
    await row.getByText('Có thay đổi chưa lưu trên máy này').waitFor();
    assert.equal(await row.locator('.tag').innerText(), 'Chưa khai', 'the state is the server’s: not started');
    assert.equal(await page.locator('.task-list .tag--yellow').count(), 0, 'no section is "in progress" because of a draft');
  });

  test('a landscape or too small photo is refused with the real reason, which stays when Upload is pressed', async () => {
    await page.goto(server.url + '/candidate/photo');
    await page.setInputFiles('#photo', await image('wide.jpg', 1200, 800));
    await page.locator('#photo-error').getByText(/nằm ngang \(1200×800/).waitFor();
    await page.getByRole('button', { name: 'Tải ảnh lên và tiếp tục' }).click();
    assert.match(await page.locator('#photo-error').innerText(), /nằm ngang/, 'the reason is not replaced by “choose a photo”');
    await checkPage(page, 'ux-04-photo-landscape');
    await page.setInputFiles('#photo', await image('small.jpg', 300, 400));
    await page.locator('#photo-error').getByText(/quá nhỏ \(300×400/).waitFor();
    await page.setInputFiles('#photo', await image('ok.jpg', 450, 600));
    await page.getByRole('button', { name: 'Tải ảnh lên và tiếp tục' }).click();
    await page.waitForURL(/\/candidate\/check/);
  });

  test('check answers: names not codes, the photo, warnings on top; "Change" goes to that section and back', async () => {
    await page.goto(server.url + '/candidate/check');
    await page.getByRole('heading', { level: 1 }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /Mã hồ sơ: \d{2}-\d{2}-\d{6}-\d/);
    assert.match(main, /Quốc tịch\s+Việt Nam/);
    assert.match(main, /Ngày sinh\s+14\/02\/2008/);
    assert.match(main, /\d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/, 'the deadline with its date');
    assert.equal(await page.locator('img.summary-photo').count(), 1, 'the photo is shown');
    await checkPage(page, 'ux-05-check-answers');
    await page.click('a[href="/candidate/section/contact?return=check"]');
    await page.waitForURL(/section\/contact\?return=check/);
    await page.fill('#contact-phone', '0912 345 678');
    await page.fill('#contact-address', 'Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate/check' && u.searchParams.get('saved') === 'contact');
  });

  test('the timeout warning counts down, traps Tab and closes with Escape', async () => {
    const short = await startServer({ SESSION_IDLE_MINUTES: '1' });
    try {
      const p = await newPage(short.url);
      await signIn(p, short.url, CANDIDATE, FIRST_PW);
      await p.waitForURL(/\/change-password|\/candidate/);
      const dialog = p.getByRole('alertdialog');
      await dialog.waitFor({ timeout: 45_000 });
      const a = await p.getByTestId('timeout-countdown').innerText();
      assert.match(a, /hết hạn sau \d+ giây/, a);
      await p.waitForTimeout(1500);
      const b = await p.getByTestId('timeout-countdown').innerText();
      assert.notEqual(a, b, 'the countdown is live');
      assert.equal(await dialog.locator('[aria-live="polite"]').count(), 1);
      for (let i = 0; i < 5; i++) {
        await p.keyboard.press('Tab');
        assert.ok(await p.evaluate(() => Boolean(document.activeElement?.closest('[role=alertdialog]'))), 'Tab stays in the dialog');
      }
      await checkPage(p, 'ux-06-timeout-warning');
      await p.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await short.stop();
    }
  });
});

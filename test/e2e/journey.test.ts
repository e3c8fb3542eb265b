// The whole journey across roles in a real browser, and the error paths. See harness.ts for the setup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, writeAxeReport, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const CANDIDATE_PW = 'thisinh-demo-2026';
const NEW_PW = 'mua he xanh 2026';
const STAFF_PW = 'ghidanh-demo-2026';

let server: Server;
let browser: Browser;
let photoFile: string;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function save(page: Page, nextPath: string): Promise<void> {
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === nextPath);
}

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  photoFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-photo-')), 'photo.png');
  await sharp({ create: { width: 400, height: 600, channels: 3, background: { r: 200, g: 210, b: 230 } } })
    .png()
    .toFile(photoFile);
});

after(async () => {
  writeAxeReport();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('the whole journey across roles', () => {
  let candidate: Page;
  let point: Page;

  test('a candidate signs in, changes the first password, fills every section and submits', async () => {
    candidate = await newPage();
    await candidate.goto(server.url + '/');
    await candidate.waitForURL(/\/sign-in/);
    await checkPage(candidate, '01-sign-in');
    // bad input: nothing typed → error summary linking to the field
    await candidate.click('button[type=submit]');
    await candidate.locator('.error-summary a[href="#username"]').waitFor();
    await checkPage(candidate, '02-sign-in-errors');
    await signIn(candidate, server.url, CANDIDATE, CANDIDATE_PW);
    await candidate.waitForURL(/\/change-password/);
    await checkPage(candidate, '03-change-password');
    await candidate.fill('#currentPassword', CANDIDATE_PW);
    await candidate.fill('#newPassword', NEW_PW);
    await candidate.fill('#confirmPassword', NEW_PW);
    await candidate.click('button[type=submit]');
    await candidate.waitForURL((u) => u.pathname === '/candidate');
    await candidate.getByRole('heading', { level: 1 }).waitFor();
    await checkPage(candidate, '04-task-list');

    // personal: bad input first (empty name), then a name pasted in NFD form
    await candidate.click('a[href="/candidate/section/personal"]');
    await candidate.waitForURL(/section\/personal/);
    await candidate.fill('#personal-fullName', '');
    await candidate.click('button[type=submit]');
    const link = candidate.locator('.error-summary a[href="#personal-fullName"]');
    await link.waitFor();
    await checkPage(candidate, '05-personal-errors');
    await link.click();
    assert.equal(await candidate.evaluate(() => document.activeElement?.id), 'personal-fullName', 'the error summary link focuses its field');
    await candidate.fill('#personal-fullName', '  nguyễn   văn an '.normalize('NFD'));
    await candidate.selectOption('#personal-ethnicityCode', '01');
    await checkPage(candidate, '06-personal');
    await save(candidate, '/candidate/section/residence');

    await candidate.selectOption('#residence-grade10-provinceCode', '01');
    await candidate.fill('#residence-grade10-communeCode', '00101');
    await candidate.selectOption('#residence-grade10-schoolProvinceCode', '01');
    await candidate.fill('#residence-grade10-schoolCode', '001');
    for (const b of await candidate.getByRole('button', { name: 'Giống lớp 10' }).all()) await b.click();
    await checkPage(candidate, '07-residence');
    await save(candidate, '/candidate/section/contact');

    await candidate.fill('#contact-phone', '0912 345 678');
    await candidate.fill('#contact-address', '1 Phố Huế, Hà Nội');
    await checkPage(candidate, '08-contact');
    await save(candidate, '/candidate/section/status');

    await candidate.check('#status-candidateType');
    await candidate.check('#status-graduated');
    await candidate.check('#status-programme');
    await candidate.check('#status-track');
    await checkPage(candidate, '09-status');
    await save(candidate, '/candidate/section/purpose');

    await candidate.check('#purpose');
    await checkPage(candidate, '10-purpose');
    await save(candidate, '/candidate/section/subjects');

    // bad input: three electives
    await candidate.check('#subjects-electives');
    await candidate.check('#subjects-electives-1');
    await candidate.check('#subjects-electives-2');
    await candidate.click('button[type=submit]');
    await candidate.locator('.error-summary').waitFor();
    await candidate.uncheck('#subjects-electives-2');
    await checkPage(candidate, '11-subjects');
    await save(candidate, '/candidate/section/exemption');
    await checkPage(candidate, '12-exemption');
    await save(candidate, '/candidate/section/retainedScores');
    await checkPage(candidate, '13-retained');
    await save(candidate, '/candidate/section/priority');
    await checkPage(candidate, '14-priority');
    await save(candidate, '/candidate/photo');

    await candidate.setInputFiles('#photo', photoFile);
    await candidate.locator('.photo-frame img').waitFor();
    await checkPage(candidate, '15-photo');
    await candidate.getByRole('button', { name: 'Tải ảnh lên và tiếp tục' }).click();
    await candidate.waitForURL(/\/candidate\/check/);
    await checkPage(candidate, '16-check-answers');
    assert.match(await candidate.locator('.summary-list').first().innerText(), /NGUYỄN VĂN AN/, 'the name is stored in capitals, NFC');

    // double click on submit: one submission
    let submits = 0;
    candidate.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/dossier/submit')) submits++;
    });
    await candidate.getByRole('button', { name: 'Nộp hồ sơ' }).dblclick();
    await candidate.waitForURL(/\/candidate\/submitted/);
    assert.equal(submits, 1, 'a double click sends one submit');
    assert.ok((await candidate.getByTestId('dossier-reference').innerText()).length > 0);
    await checkPage(candidate, '17-confirmation');
    // the back button after submit shows the submitted state, not a blank form
    await candidate.goBack();
    await candidate.locator('h1').waitFor();
  });

  test('the point returns the dossier for correction with a reason', async () => {
    point = await newPage();
    await signIn(point, server.url, 'diem.01001', STAFF_PW);
    await point.waitForURL((u) => u.pathname === '/point');
    await point.locator('table').waitFor();
    await checkPage(point, '20-point-queue');
    await point.getByRole('link', { name: 'Nguyễn Văn An' }).click();
    await point.waitForURL(/\/point\/dossier\//);
    await checkPage(point, '21-point-dossier');
    await point.fill('#reason', 'Địa chỉ liên hệ cần ghi rõ số nhà và phường.');
    await point.getByRole('button', { name: 'Trả lại hồ sơ' }).click();
    await point.locator('.notification--success').waitFor();
  });

  test('the candidate sees what and why, corrects and resubmits', async () => {
    await candidate.goto(server.url + '/candidate/status');
    await candidate.getByTestId('return-reason').waitFor();
    assert.match(await candidate.getByTestId('return-reason').innerText(), /số nhà và phường/);
    await checkPage(candidate, '22-status-returned');
    await candidate.goto(server.url + '/candidate/section/contact');
    await candidate.fill('#contact-address', 'Số 1 Phố Huế, phường Hai Bà Trưng, Hà Nội');
    await save(candidate, '/candidate/section/status');
    await candidate.goto(server.url + '/candidate/check');
    await candidate.getByRole('button', { name: 'Nộp lại hồ sơ' }).click();
    await candidate.waitForURL(/\/candidate\/submitted/);
  });

  test('the point verifies; the candidate sees "verified" and downloads the form', async () => {
    await point.goto(server.url + '/point');
    await point.getByRole('link', { name: 'Nguyễn Văn An' }).click();
    await point.getByRole('button', { name: 'Xác nhận hồ sơ' }).click();
    await point.locator('.notification--success').waitFor();
    await candidate.goto(server.url + '/candidate/status');
    await candidate.getByTestId('dossier-status').getByText('Đã xác nhận').waitFor();
    await checkPage(candidate, '23-status-verified');
    const [download] = await Promise.all([candidate.waitForEvent('download'), candidate.getByRole('link', { name: /Tải phiếu đăng ký/ }).click()]);
    const file = await download.path();
    assert.ok(file && fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-', 'the form is a PDF');
  });

  test('the ministry dashboard counts it', async () => {
    const ministry = await newPage();
    await signIn(ministry, server.url, 'bo.quantri', STAFF_PW);
    await ministry.waitForURL(/\/dashboard/);
    await ministry.getByTestId('stat-registered').waitFor();
    assert.ok(Number((await ministry.getByTestId('stat-registered').innerText()).replace(/\D/g, '')) >= 1);
    assert.ok(Number((await ministry.getByTestId('stat-verified').innerText()).replace(/\D/g, '')) >= 1);
    await checkPage(ministry, '30-ministry-dashboard');
    // the English toggle switches the language and the lang attribute
    await ministry.getByRole('button', { name: 'English' }).click();
    assert.equal(await ministry.evaluate(() => document.documentElement.lang), 'en');
    await ministry.getByRole('heading', { name: 'Country' }).waitFor();
    await checkPage(ministry, '31-ministry-dashboard-en');
    await ministry.goto(server.url + '/config');
    await ministry.locator('h1').waitFor();
    await checkPage(ministry, '32-exam-year-config');
    const support = await newPage();
    await signIn(support, server.url, 'hotro.01', STAFF_PW);
    await support.waitForURL(/\/support/);
    await checkPage(support, '33-support-desk');
  });
});

describe('error paths', () => {
  test('a 503 keeps the draft, says so kindly and retries after Retry-After', async () => {
    const page = await newPage();
    await signIn(page, server.url, CANDIDATE, NEW_PW);
    await page.waitForURL((u) => u.pathname === '/candidate');
    let refused = 0;
    await page.route('**/api/dossier/sections/contact', async (route) => {
      if (refused < 1) {
        refused++;
        await route.fulfill({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'UNAVAILABLE', vi: 'Hệ thống đang đông', en: 'Busy', fields: [] } }) });
      } else await route.continue();
    });
    await page.goto(server.url + '/candidate/section/contact');
    await page.fill('#contact-address', 'Số 2 Phố Huế, Hà Nội');
    await page.click('button[type=submit]');
    await page.getByText('Hệ thống đang đông').first().waitFor();
    await checkPage(page, '40-busy-503');
    await page.waitForURL(/section\/status/);
    assert.equal(refused, 1);
  });

  test('the session expired: the typing is kept and a sign-in dialog carries on', async () => {
    const page = await newPage();
    await signIn(page, server.url, CANDIDATE, NEW_PW);
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(server.url + '/candidate/section/contact');
    await page.fill('#contact-address', 'Số 3 Phố Huế, Hà Nội');
    await page.context().clearCookies();
    await page.click('button[type=submit]');
    await page.getByRole('alertdialog').waitFor();
    await checkPage(page, '41-session-expired');
    assert.equal(await page.inputValue('#contact-address'), 'Số 3 Phố Huế, Hà Nội');
    await page.fill('#resignin-password', NEW_PW);
    await page.getByRole('button', { name: 'Đăng nhập lại' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.click('button[type=submit]');
    await page.waitForURL(/section\/status/);
  });

  test('two tabs editing: the second save gets the conflict explained, with the current data', async () => {
    const tab1 = await newPage();
    await signIn(tab1, server.url, CANDIDATE, NEW_PW);
    await tab1.waitForURL((u) => u.pathname === '/candidate');
    const tab2 = await tab1.context().newPage();
    await tab1.goto(server.url + '/candidate/section/contact');
    await tab2.goto(server.url + '/candidate/section/contact');
    await tab1.fill('#contact-address', 'Địa chỉ từ cửa sổ một');
    await tab1.click('button[type=submit]');
    await tab1.waitForURL(/section\/status/);
    await tab2.locator('#contact-address').waitFor();
    await tab2.fill('#contact-address', 'Địa chỉ từ cửa sổ hai');
    await tab2.click('button[type=submit]');
    await tab2.getByText('Hồ sơ đã được thay đổi ở nơi khác').waitFor();
    await tab2.getByText('Địa chỉ từ cửa sổ một').waitFor();
    await checkPage(tab2, '42-version-conflict');
    await tab2.getByRole('button', { name: 'Giữ bản tôi đang nhập' }).click();
    await tab2.waitForURL(/section\/status/);
  });

  test('the window closed: the candidate is told and cannot edit', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.dbFile);
    const row = db.prepare('SELECT year, windows FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number; windows: string };
    const w = JSON.parse(row.windows) as Record<string, { from: string; to: string; opensAt?: string; closesAt?: string }>;
    const day = (n: number) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
    w['official'] = { from: day(-5), to: day(-1), closesAt: '17:00' };
    w['correction'] = { from: day(-1), opensAt: '17:00', to: day(10), closesAt: '17:00' };
    db.prepare('UPDATE exam_years SET windows = ? WHERE year = ?').run(JSON.stringify(w), row.year);
    db.close();
    const page = await newPage();
    await signIn(page, server.url, CANDIDATE, NEW_PW);
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.getByText('Cổng đăng ký đã đóng').first().waitFor();
    await checkPage(page, '43-window-closed');
    await page.goto(server.url + '/candidate/section/contact');
    assert.equal(await page.locator('button[type=submit]').count(), 0, 'no save button once closed');
  });
});

// The catalogue's journey in a real browser: the ministry creates an institution and its admissions
// officer (the one-time password shown once); the officer signs in on a 360 px phone, changes the password,
// uploads a small XLSX built here (one bad row first: the report names its row and column and nothing is
// imported; then the corrected file, imported); the ministry publishes the drafts; and a candidate's
// programme search finds the new programme. Before the wishes open, a re-import revising a published
// programme is shown to the ministry beside the published version, and published onto it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const STAFF_PW = 'ghidanh-demo-2026';
const CANDIDATE = '001208100001';
const CANDIDATE_PW = 'thisinh-demo-2026';
const OFFICER_NEW_PW = 'chuong trinh dao tao 2026';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function catalogueXlsx(quota: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Chương trình');
  ws.addRow(['Mã ngành / Programme code', 'Tên ngành / Programme name', 'Mã phương thức / Method code', 'Tổ hợp / Combinations', 'Chỉ tiêu / Quota', 'Ngưỡng điểm (thang 30)', 'Sư phạm', 'Xét bằng điểm']);
  ws.addRow(['7460108', 'Khoa học dữ liệu thử nghiệm', '100', 'A00;A01', 80, 21, '', 'break-by-rule: wish-order']);
  ws.addRow(['7480101', 'Khoa học máy tính thử nghiệm', '100', 'A00', quota, '', '', 'admit-all-tied']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const noSidewaysScroll = async (page: Page) => assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');

describe('the catalogue: an institution, its officer, an import with its report, publication, a candidate finds it', () => {
  let server: Server;
  let browser: Browser;
  let officerPassword = '';
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the ministry creates the institution and its admissions officer', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'bo.quantri', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('link', { name: 'Cơ sở đào tạo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cơ sở đào tạo' }).waitFor();
    await page.getByTestId('institution-QHI').waitFor();
    // a wrong code is named on its field, from the same rule as the server's
    await page.fill('#institution-code', 'tt-e');
    await page.fill('#institution-name', 'Trường Đại học Thử nghiệm');
    await page.fill('#institution-provinceCode', '01');
    await page.getByTestId('create-institution').click();
    await page.locator('#institution-code-error').waitFor();
    await page.fill('#institution-code', 'TTE');
    await page.getByTestId('create-institution').click();
    await page.getByTestId('institution-TTE').waitFor();
    await page.getByTestId('institution-review').getByRole('heading', { level: 2, name: /TTE/ }).waitFor();
    await page.fill('#officer-username', 'tte.tuyensinh');
    await page.fill('#officer-displayName', 'Cán bộ tuyển sinh TTE');
    await page.getByTestId('create-officer').click();
    await page.getByTestId('officer-password').waitFor();
    officerPassword = await page.getByTestId('officer-password').innerText();
    assert.ok(officerPassword.length >= 8);
    await page.getByTestId('institution-officers').getByText(/tte\.tuyensinh/).waitFor();
    await page.setViewportSize({ width: 360, height: 800 });
    await noSidewaysScroll(page);
    await checkPage(page, 'catalogue-01-ministry-created');
    await ctx.close();
  });

  test('at 360 px the officer uploads a file with a bad row (report, nothing imported), then the corrected one', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'tte.tuyensinh', officerPassword);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', OFFICER_NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname.startsWith('/admission/'));
    await page.getByRole('button', { name: /Menu/ }).click();
    await page.getByRole('link', { name: 'Chương trình đào tạo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chương trình đào tạo' }).waitFor();

    await page.setInputFiles('#catalogue-file', { name: 'chuong-trinh.xlsx', mimeType: XLSX_TYPE, buffer: await catalogueXlsx(0) });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    const findings = page.getByTestId('catalogue-findings');
    await findings.waitFor();
    const text = await findings.innerText();
    assert.match(text, /3\s+7480101\s+Chỉ tiêu/, 'the bad row is named with its row number and column');
    assert.equal(await page.getByTestId('catalogue-commit').count(), 0, 'nothing can be imported while a row is wrong');
    // the rows to fix: the refused row as typed, with its row in the file and the reason, to correct and upload again
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('catalogue-rows-to-fix').click()]);
    assert.equal(download.suggestedFilename(), 'dong-can-sua-chuong-trinh.xlsx');
    const fix = new ExcelJS.Workbook();
    await fix.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const rows = fix.worksheets[0]!;
    assert.equal(rows.rowCount, 2, 'the header and the one refused row');
    const refused = (rows.getRow(2).values as unknown[]).slice(1);
    assert.deepEqual(refused.slice(0, 2), ['7480101', 'Khoa học máy tính thử nghiệm']);
    assert.equal(refused[8], 3, 'its row in the uploaded file');
    assert.match(String(refused[9]), /quota: .*Chỉ tiêu/);
    await noSidewaysScroll(page);
    await checkPage(page, 'catalogue-02-report');

    await page.setInputFiles('#catalogue-file', { name: 'chuong-trinh.xlsx', mimeType: XLSX_TYPE, buffer: await catalogueXlsx(60) });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await page.getByTestId('catalogue-commit').click();
    await page.getByTestId('catalogue-imported').waitFor();
    const table = page.getByTestId('catalogue-programmes');
    await table.getByText('Khoa học dữ liệu thử nghiệm').waitFor();
    assert.match(await table.innerText(), /Chờ duyệt/);
    await noSidewaysScroll(page);
    await checkPage(page, 'catalogue-03-imported');
    await ctx.close();
  });

  test('the ministry publishes the drafts; a candidate finds the programme', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'bo.quantri', STAFF_PW);
    await page.waitForURL(/\/dashboard/);
    await page.goto(`${server.url}/admission/institutions`);
    await page.getByTestId('review-TTE').click();
    await page.getByTestId('publish-catalogue').click();
    await page.getByTestId('review-done').waitFor();
    assert.match(await page.getByTestId('review-done').innerText(), /Đã công bố 2 chương trình/);
    await noSidewaysScroll(page);
    await checkPage(page, 'catalogue-04-published');
    await ctx.close();

    const c = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const cp = await c.newPage();
    cp.setDefaultTimeout(20_000);
    await signIn(cp, server.url, CANDIDATE, CANDIDATE_PW);
    await cp.waitForURL(/\/change-password/);
    await cp.fill('#newPassword', 'nguyen vong dai hoc 2026');
    await cp.click('button[type=submit]');
    await cp.waitForURL((u) => u.pathname === '/candidate');
    await cp.goto(`${server.url}/candidate/wishes`);
    await cp.fill('#wish-q', 'khoa hoc du lieu thu nghiem');
    await cp.getByRole('button', { name: 'Tìm', exact: true }).click();
    await cp.getByText('TTE-7460108-100').waitFor();
    await c.close();
  });

  test('before the wishes open, a re-import revises a published programme: the ministry sees it beside the published one', async () => {
    // the season as it stands before wish registration opens: the window moved a week on
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.dbFile);
    const y = db.prepare('SELECT year, rules FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number; rules: string };
    const rules = JSON.parse(y.rules) as { admission: { window: { opensAt: string; closesAt: string } } };
    rules.admission.window = { opensAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), closesAt: new Date(Date.now() + 14 * 86_400_000).toISOString() };
    db.prepare('UPDATE exam_years SET rules = ? WHERE year = ?').run(JSON.stringify(rules), y.year);
    db.close();
    await new Promise((r) => setTimeout(r, 1200)); // the server keeps the current year for a second

    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, 'tte.tuyensinh', OFFICER_NEW_PW);
    await page.waitForURL((u) => u.pathname.startsWith('/admission/'));
    await page.goto(`${server.url}/admission/catalogue`);
    await page.setInputFiles('#catalogue-file', { name: 'chuong-trinh.xlsx', mimeType: XLSX_TYPE, buffer: await catalogueXlsx(75) });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await page.getByTestId('catalogue-findings').getByText(/bản sửa/).waitFor();
    await page.getByTestId('catalogue-commit').click();
    await page.getByTestId('catalogue-imported').waitFor();
    // the officer sees the revision as the ministry will, beside the published programme
    const own = page.locator('[data-testid="revision"][data-programme="TTE-7480101-100"]');
    await own.waitFor();
    assert.deepEqual(await own.locator('tr[data-field="quota"] td').allInnerTexts(), ['60', '75']);
    await ctx.close();

    const m = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const mp = await m.newPage();
    mp.setDefaultTimeout(20_000);
    await signIn(mp, server.url, 'bo.quantri', STAFF_PW);
    await mp.waitForURL(/\/dashboard/);
    await mp.goto(`${server.url}/admission/institutions`);
    await mp.getByTestId('review-TTE').click();
    const revision = mp.locator('[data-testid="revision"][data-programme="TTE-7480101-100"]');
    await revision.waitFor();
    assert.equal(await revision.locator('tr[data-changed="yes"]').count(), 1, 'only the quota changed');
    assert.deepEqual(await revision.locator('tr[data-field="quota"] td').allInnerTexts(), ['60', '75']);
    await noSidewaysScroll(mp);
    await checkPage(mp, 'catalogue-05-revision');
    await mp.getByTestId('publish-catalogue').click();
    await mp.getByTestId('review-done').waitFor();
    // published onto the programme: nothing left to compare, the programme's quota the revision's
    await mp.getByTestId('catalogue-revisions').waitFor({ state: 'detached' });
    await mp.getByTestId('institution-review').getByText('75').first().waitFor();
    await m.close();
  });
});

// Places by name in a real browser: the demo candidate picks communes and schools by typing names without
// diacritics (with the mouse and with the keyboard, at 1280 and 360 px), the grade-12 school comes
// pre-filled from the registration point, a school of a pre-merger province is found under today's
// province, the priority area is computed from the schools, and a Kinh candidate claiming the group that
// includes ethnic minorities is warned, uploads the evidence there, and the point sees it beside the
// claim. See harness.ts for the setup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, writeAxeReport, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const CANDIDATE_PW = 'thisinh-demo-2026';
const NEW_PW = 'mua he xanh 2026';

let browser: Browser;
let server: Server;
let evidenceFile: string;
const contexts: BrowserContext[] = [];

async function changeFirstPassword(base: string): Promise<void> {
  const r = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: CANDIDATE, password: CANDIDATE_PW }) });
  assert.equal(r.status, 200, 'the demo candidate signs in');
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const c = await fetch(`${base}/api/account/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ currentPassword: CANDIDATE_PW, newPassword: NEW_PW }),
  });
  assert.equal(c.status, 200, 'the first password is changed');
}

/** Types into a picker and chooses the option named `option` with a click. */
async function pick(page: Page, id: string, typed: string, option: string): Promise<void> {
  await page.click(`#${id}`);
  await page.fill(`#${id}`, typed);
  await page.getByRole('option', { name: option }).click();
  assert.equal(await page.inputValue(`#${id}`), option.split(/ Tỉnh cũ| Khu vực/)[0]);
}

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  await changeFirstPassword(server.url);
  evidenceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-e2e-evidence-')), 'giay-chung-nhan.png');
  await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 240, g: 235, b: 220 } } })
    .png()
    .toFile(evidenceFile);
});

after(async () => {
  writeAxeReport();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('places by name', () => {
  let page: Page;

  test('communes and schools are picked by name without diacritics; the priority area is computed', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    contexts.push(ctx);
    page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, CANDIDATE, NEW_PW);
    await page.waitForURL((u) => u.pathname === '/candidate');
    // personal first (a Kinh candidate), so the dossier exists
    await page.goto(`${server.url}/candidate/section/personal`);
    await page.fill('#personal-fullName', 'Nguyễn Văn An');
    await page.selectOption('#personal-ethnicityCode', '01');
    await page.click('button[type=submit]');
    await page.waitForURL(/section\/residence/);

    // the grade-12 school: the registration point's (Chu Văn An, point 01001), pre-filled
    await page.locator('#residence-grade12-schoolCode').waitFor();
    await page.waitForFunction(() => (document.querySelector('#residence-grade12-schoolCode') as HTMLInputElement | null)?.value === 'Trường THPT Chu Văn An');
    await checkPage(page, 'places-01-residence-prefilled');

    // grade 10: Hà Nội, a commune typed without diacritics, a school by name
    await page.selectOption('#residence-grade10-provinceCode', '01');
    await pick(page, 'residence-grade10-communeCode', 'tay ho', 'Phường Tây Hồ');
    await page.click('#residence-grade10-schoolCode');
    await page.fill('#residence-grade10-schoolCode', 'phan dinh phung');
    await checkPage(page, 'places-02-school-list-open');
    await page.getByRole('option', { name: /Trường THPT Phan Đình Phùng/ }).click();
    assert.equal(await page.inputValue('#residence-grade10-schoolCode'), 'Trường THPT Phan Đình Phùng');

    // grade 11: a school of Hà Giang, a province merged into Tuyên Quang, found under today's name
    await page.selectOption('#residence-grade11-provinceCode', '08');
    await pick(page, 'residence-grade11-communeCode', 'ha giang 1', 'Phường Hà Giang 1');
    await page.click('#residence-grade11-schoolCode');
    await page.fill('#residence-grade11-schoolCode', 'chuyen ha giang');
    const hg = page.getByRole('option', { name: /Trường THPT chuyên Hà Giang/ });
    assert.match((await hg.textContent()) ?? '', /Tỉnh cũ: Hà Giang/);
    await hg.click();

    // grade 12: the commune with the keyboard only (arrow down, Enter)
    await page.selectOption('#residence-grade12-provinceCode', '01');
    await page.click('#residence-grade12-communeCode');
    await page.keyboard.type('ba dinh');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#residence-grade12-communeCode'), 'Phường Ba Đình');

    // KV3 (grades 10 and 12) beats KV1 (grade 11): two years against one
    await page.getByTestId('priority-area').getByText('Khu vực 3 (KV3)').waitFor();
    assert.match((await page.getByTestId('priority-area').textContent()) ?? '', /tính từ các trường bạn đã học/);
    await checkPage(page, 'places-03-residence-filled');

    await page.click('button[type=submit]');
    await page.waitForURL(/section\/contact/);
    // what was saved is codes; the page shows names again
    await page.goto(`${server.url}/candidate/section/residence`);
    await page.waitForFunction(() => (document.querySelector('#residence-grade11-schoolCode') as HTMLInputElement | null)?.value === 'Trường THPT chuyên Hà Giang');
    assert.equal(await page.inputValue('#residence-grade10-communeCode'), 'Phường Tây Hồ');
  });

  test('at 360 px the picker opens under the field with thumb-sized options', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.click('#residence-grade10-communeCode');
    await page.fill('#residence-grade10-communeCode', 'hoan kiem');
    const option = page.getByRole('option', { name: 'Phường Hoàn Kiếm' });
    const box = await option.boundingBox();
    assert.ok(box && box.height >= 44 && box.width <= 360, `option box ${JSON.stringify(box)}`);
    await checkPage(page, 'places-04-picker-360');
    await page.keyboard.press('Escape');
    assert.equal(await page.inputValue('#residence-grade10-communeCode'), 'Phường Tây Hồ', 'Escape keeps the chosen commune');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('a Kinh candidate choosing the group that includes ethnic minorities is warned', async () => {
    await page.goto(`${server.url}/candidate/section/priority`);
    await page.getByLabel(/^05: Người dân tộc thiểu số/).check();
    // the evidence is uploaded where the claim is made
    await page.setInputFiles('#evidence-priority', evidenceFile);
    await page.getByRole('button', { name: 'Tải minh chứng lên' }).click();
    await page.getByTestId('evidence-priority-list').getByRole('link').first().waitFor();
    await checkPage(page, 'places-05-priority-evidence');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => !u.pathname.endsWith('/section/priority'));
    // check answers lists what the candidate must confirm
    await page.goto(`${server.url}/candidate/check`);
    await page.getByText(/Bạn khai dân tộc Kinh nhưng chọn đối tượng ưu tiên 05/).first().waitFor();
    // the places are read back by name, never as "xã 00103 / Trường 01-001"
    // each province's school names arrive on their own: wait for the last of the three (an old province's)
    await page.getByText('Trường THPT Phan Đình Phùng').first().waitFor();
    await page.getByText(/Trường THPT chuyên Hà Giang \(tỉnh cũ Hà Giang\)/).first().waitFor();
    const answers = await page.locator('main').innerText();
    assert.match(answers, /Phường Tây Hồ, Hà Nội/);
    assert.match(answers, /Trường THPT chuyên Hà Giang \(tỉnh cũ Hà Giang\)/);
    assert.doesNotMatch(answers, /xã \d|Trường \d/, 'no commune or school code');
    // and so does the printed form
    const bytes = await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch('/api/dossier/form.pdf')).arrayBuffer())));
    const pdfFile = path.join(os.tmpdir(), `places-form-${process.pid}.pdf`);
    fs.writeFileSync(pdfFile, Buffer.from(bytes));
    const form = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).normalize('NFC');
    fs.rmSync(pdfFile, { force: true });
    assert.match(form, /Phường Tây Hồ, Hà Nội/);
    assert.match(form, /Trường THPT Phan Đình Phùng/);
    assert.doesNotMatch(form, /xã \d|trường \d{2}-/, 'no commune or school code on the form');
    await checkPage(page, 'places-06-check-kinh-warning');
  });

  test('the point sees the evidence beside the claim and opens it through the access checks', async () => {
    const dossierId = await page.evaluate(async () => ((await (await fetch('/api/dossier')).json()) as { dossier: { id: string } }).dossier.id);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    contexts.push(ctx);
    const point = await ctx.newPage();
    point.setDefaultTimeout(20_000);
    await signIn(point, server.url, 'diem.01001', 'ghidanh-demo-2026');
    await point.waitForURL((u) => u.pathname.startsWith('/point'));
    await point.goto(`${server.url}/point/dossier/${dossierId}`);
    const box = point.getByTestId('evidence-priority');
    await box.waitFor();
    const href = (await box.getByRole('link').first().getAttribute('href')) ?? '';
    assert.match(href, new RegExp(`^/api/dossiers/${dossierId}/evidence/`));
    const thumb = box.locator('img').first();
    await point.waitForFunction(() => {
      const i = document.querySelector('[data-testid="evidence-priority"] img') as HTMLImageElement | null;
      return Boolean(i && i.complete && i.naturalWidth > 0);
    });
    assert.ok(await thumb.isVisible(), 'the thumbnail loads through the point’s access');
    await checkPage(point, 'places-07-point-evidence');
    // the officer reads the same names as the candidate
    await point.getByText('Trường THPT Phan Đình Phùng').first().waitFor();
    assert.doesNotMatch(await point.locator('main').innerText(), /xã \d|Trường \d/, 'no commune or school code on the officer’s view');
    // the file is not public: someone signed out is refused
    const anon = await fetch(`${server.url}${href}`);
    assert.ok(anon.status === 401 || anon.status === 403, `anonymous: ${anon.status}`);
  });
});

// The candidate downloads their exam notice in a real browser on a 360 px phone (see harness.ts). The
// demo year is still in its registration window, so the seating is written straight into the demo
// database (numbering itself is tested against both databases in src/server/exam); the page, the link,
// the download and the PDF it saves are the real ones.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'giay bao du thi 2026';

describe('the candidate downloads their exam notice', () => {
  let server: Server;
  let browser: Browser;
  let dir: string;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-e2e-notice-'));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('numbered: the exam page shows the number and the notice downloads as a PDF', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.dbFile);
    const year = (db.prepare('SELECT year FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number }).year;
    const c = db.prepare('SELECT c.id, c.department_code FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.username = ? AND c.exam_year = ?').get(CANDIDATE, year) as { id: string; department_code: string };
    const at = new Date().toISOString();
    db.prepare('INSERT INTO exam_sites (id, exam_year, department_code, code, name, address, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)').run('site-e2e', year, c.department_code, 'A01', 'THPT Chu Văn An', '10 Thụy Khuê, Tây Hồ, Hà Nội', at, at);
    db.prepare('INSERT INTO candidate_numbers (candidate_id, exam_year, department_code, number, serial, site_id, withdrawn, assigned_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, 0, ?, ?)').run(c.id, year, c.department_code, `${c.department_code}000001`, 'site-e2e', at, at);
    const seat = db.prepare('INSERT INTO exam_seats (exam_year, candidate_id, session, department_code, site_id, room, seat) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const [session, room, place] of [['VAN', 3, 12], ['TOAN', 3, 12], ['LI', 7, 4], ['HOA', 9, 20]] as const) seat.run(year, c.id, session, c.department_code, 'site-e2e', room, place);
    db.close();

    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN', acceptDownloads: true });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/exam`);
    assert.equal(await page.getByTestId('own-number').innerText(), `${c.department_code}000001`);
    // sessions by subject name with the notice's times (reference/exam-schedule.json has 2025 and 2026; a
    // year it does not have says the council will announce them)
    const vanTime = year === 2026 ? 'Thứ Năm, 11/06/2026, 07:35–09:35' : 'Theo thông báo của Hội đồng thi';
    assert.match(await page.getByTestId('own-sessions').innerText(), new RegExp(`Ngữ văn\\s+${vanTime}\\s+3\\s+12`), 'sessions by subject name, with their times');
    if (year === 2026) assert.equal(await page.getByTestId('check-in').innerText(), '08:00, Thứ Tư, 10/06/2026');
    const link = page.getByTestId('own-notice');
    const box = await link.boundingBox();
    assert.ok(box && box.height >= 44 && box.x + box.width <= 360, `a full-size button inside a 360 px screen (${JSON.stringify(box)})`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'notice-01-exam-page');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^giay-bao-du-thi-${year}-${c.department_code}000001\\.pdf$`));
    const file = path.join(dir, 'notice.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    assert.match(text, /GIẤY BÁO DỰ THI/);
    assert.match(text, new RegExp(`${c.department_code}000001`));
    assert.match(text, /10 Thụy Khuê, Tây Hồ, Hà Nội/);
    assert.match(text, /QUY ĐỊNH ĐỐI VỚI THÍ SINH/);
    await ctx.close();
  });
});

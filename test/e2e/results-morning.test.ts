// The results morning in a real browser on a 360 px phone: the candidate's results page before the
// release (when the results come) and after it (scores per paper, ĐXTN, graduation). The demo year has no
// published marks, so a result row and the release are written straight into the demo database (the
// publication and the release are tested against both databases in src/server/results); the page and
// the API are the real ones.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'ket qua thi 2026 sang';

describe('the candidate reads their results on the results morning', () => {
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

  test('before the release: when; from the release: scores, ĐXTN and the result', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.dbFile);
    const y = db.prepare('SELECT year, rules FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number; rules: string };
    const c = db.prepare('SELECT c.id, c.department_code FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.username = ? AND c.exam_year = ?').get(CANDIDATE, y.year) as { id: string; department_code: string };
    const number = `${c.department_code}000001`;
    const setRelease = (at: Date) => {
      const rules = { ...(JSON.parse(y.rules) as object), resultsRelease: { at: at.toISOString(), localDate: '2026-07-16', localTime: '08:00', setBy: 'e2e', setAt: at.toISOString() } };
      db.prepare('UPDATE exam_years SET rules = ? WHERE year = ?').run(JSON.stringify(rules), y.year);
    };
    const marks = { TOAN: { kind: 'score', centi: 750, sanction: null }, VAN: { kind: 'score', centi: 675, sanction: 'reprimand' }, LI: { kind: 'score', centi: 800, sanction: null }, NN: { kind: 'absent' } };
    db.prepare(
      `INSERT INTO exam_results (exam_year, candidate_id, department_code, number, scheme, version, import_id, status, score_centi, school_average_centi, encouragement_centi, priority_centi, divisor, detail, reasons, computed_at)
       VALUES (?, ?, ?, ?, 'CT2018', 1, 'imp-e2e', 'failed', NULL, 750, 0, 0, 4, ?, ?, ?)`,
    ).run(y.year, c.id, c.department_code, number, JSON.stringify({ parts: [], marks }), JSON.stringify([{ code: 'PAPER_ABSENT', field: 'NN', severity: 'error', vi: 'Vắng thi môn Ngoại ngữ.', en: 'Absent from the foreign language paper.' }]), new Date().toISOString());
    setRelease(new Date(Date.now() + 3600_000));

    const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, CANDIDATE, FIRST_PW);
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', NEW_PW);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/results`);
    assert.match(await page.getByTestId('results-message').innerText(), /chưa được công bố/);
    const early = await page.request.get(`${server.url}/api/public/results/${number}`);
    assert.equal(early.status(), 404);

    setRelease(new Date(Date.now() - 1000));
    db.close();
    await new Promise((r) => setTimeout(r, 1200)); // each process reads the year again within a second
    await page.goto(`${server.url}/candidate/results`);
    assert.equal(await page.getByTestId('results-number').innerText(), number);
    const table = await page.getByTestId('results-papers').innerText();
    assert.match(table, /Toán\s+7,50/);
    assert.match(table, /Ngữ văn\s+6,75 \(KT\)/);
    assert.match(table, /Vắng/);
    assert.match(await page.locator('main').innerText(), /Không đỗ tốt nghiệp/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
    await checkPage(page, 'results-01-own-page');
    const pub = await page.request.get(`${server.url}/api/public/results/${number}`);
    assert.equal(pub.status(), 200, await pub.text());
    assert.match(pub.headers()['cache-control'] ?? '', /^public, max-age=/);
    await ctx.close();
  });
});

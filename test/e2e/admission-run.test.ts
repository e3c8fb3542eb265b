// The national admission run in a real browser (see harness.ts): the ministry starts a provisional run and
// publishes it from its page (on a 360 px phone), then a candidate sees the wish obtained with the reason
// for the higher wish not obtained (its cut-off, their score) and confirms enrolment. The demo year has the
// catalogue's institutions and published programmes but no wishes or marks, so the wishes (paid) and the
// marks are written straight into the demo database, and one programme's quota is cut to one place; the run,
// the publication, the result page and the confirmation are the real ones. Then a score review and a second
// run that protects the published result: the candidate moves up, nobody loses their place.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, type Server } from './harness.ts';

const CANDIDATE = '001208100001';
const FIRST_PW = 'thisinh-demo-2026';
const NEW_PW = 'xet tuyen dai hoc 2026';
const STAFF_PW = 'ghidanh-demo-2026';

const fitsWidth = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= 360);

describe('the national admission run through the UI', () => {
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

  test('the ministry runs a provisional run and publishes it; the candidate sees the result with reasons and confirms enrolment; a second run after a score review moves them up and takes nothing back', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.dbFile);
    const year = (db.prepare('SELECT year FROM exam_years ORDER BY year DESC LIMIT 1').get() as { year: number }).year;
    const rules = JSON.parse((db.prepare('SELECT rules FROM exam_years WHERE year = ?').get(year) as { rules: string }).rules) as Record<string, unknown>;
    const soon = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();
    rules['admission'] = {
      wishCap: 15,
      teacherTrainingMaxPosition: 5,
      combinationFloor: 15,
      window: { opensAt: soon(-40), closesAt: soon(-30) },
      feePerWishVnd: 15000,
      paymentGroups: [{ code: 'N1', name: 'Nhóm 1', provinceCodes: ['01'], opensAt: soon(-29), closesAt: soon(-20) }],
      enrolmentDeadline: soon(10),
    };
    db.prepare('UPDATE exam_years SET rules = ? WHERE year = ?').run(JSON.stringify(rules), year);
    const at = new Date().toISOString();
    // the demo's published programmes (demo-admission.ts): QHI's IT programme cut to one place, so that the
    // candidate (24.00) loses it to the other candidate (27.00) and is admitted at their second wish
    db.prepare(`UPDATE admission_programmes SET quota = 1, min_score_centi = 1500, tie_policy = '{"kind":"break-by-rule","criteria":[{"by":"value","key":"math"},{"by":"wish-order"}]}' WHERE id = 'QHI-7480201-100'`).run();
    db.prepare("UPDATE admission_programmes SET quota = 5, min_score_centi = 1500 WHERE id = 'KHA-7340101-100'").run();
    const candidateOf = (username: string) => db.prepare('SELECT c.id, c.department_code FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.username = ? AND c.exam_year = ?').get(username, year) as { id: string; department_code: string };
    const mark = db.prepare("INSERT INTO exam_marks (exam_year, candidate_id, subject, department_code, kind, score_centi, sanction, version, updated_at) VALUES (?, ?, ?, ?, 'score', ?, NULL, 1, ?)");
    const wish = db.prepare("INSERT INTO admission_wishes (id, exam_year, candidate_id, position, programme_id, combination, fee_status, paid_at, payment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'A00', 'paid', ?, NULL, ?, ?)");
    // the candidate (24.00) wants QHI first, whose one place goes to the other candidate (27.00); KHA second
    const me = candidateOf(CANDIDATE);
    const other = db.prepare('SELECT id, department_code FROM candidates WHERE exam_year = ? AND id != ? ORDER BY id LIMIT 1').get(year, me.id) as { id: string; department_code: string };
    for (const [c, score] of [
      [me, 800],
      [other, 900],
    ] as const) {
      for (const s of ['TOAN', 'LI', 'HOA']) mark.run(year, c.id, s, c.department_code, score, at);
      db.prepare('INSERT INTO admission_wish_lists (exam_year, candidate_id, version, updated_at, frozen_at) VALUES (?, ?, 1, ?, ?)').run(year, c.id, at, at);
      wish.run(`${c.id}-1`, year, c.id, 1, 'QHI-7480201-100', at, at, at);
      wish.run(`${c.id}-2`, year, c.id, 2, 'KHA-7340101-100', at, at, at);
    }
    db.close();

    // the ministry: a provisional run, then its publication
    const mctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const m = await mctx.newPage();
    m.setDefaultTimeout(30_000);
    await signIn(m, server.url, 'bo.quantri', STAFF_PW);
    await m.waitForURL(/\/dashboard|\/config|\/operations/);
    await m.goto(`${server.url}/admission/runs`);
    await m.getByRole('heading', { level: 1, name: 'Xét tuyển đại học' }).waitFor();
    await m.getByTestId('start-run').click();
    await m.getByTestId('admission-run-done').waitFor();
    assert.match(await m.getByTestId('admission-run-done').innerText(), /2 thí sinh trúng tuyển/);
    await m.locator('[data-testid=runs] tbody tr[data-kind=provisional]').waitFor();
    assert.equal(await m.locator('[data-testid=runs] tbody tr[data-kind=provisional]').count(), 1);
    await m.getByTestId('admission-dashboard').waitFor();
    assert.match(await m.getByTestId('cutoffs').innerText(), /QHI-7480201-100/);
    assert.equal(await fitsWidth(m), true, 'no sideways scrolling of the page at 360 px');
    await checkPage(m, 'admission-run-provisional');

    // before publication the candidate is told the result is not published
    const cctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' });
    const c = await cctx.newPage();
    c.setDefaultTimeout(20_000);
    await signIn(c, server.url, CANDIDATE, FIRST_PW);
    await c.waitForURL(/\/change-password/);
    await c.fill('#newPassword', NEW_PW);
    await c.click('button[type=submit]');
    await c.waitForURL((u) => u.pathname === '/candidate');
    await c.goto(`${server.url}/candidate/admission`);
    await c.getByTestId('admission-message').waitFor();
    assert.match(await c.getByTestId('admission-message').innerText(), /chưa được công bố/);

    await m.getByTestId('publish-run').click();
    await m.getByText('Đã công bố kết quả xét tuyển').waitFor();
    await m.locator('[data-testid=runs] tbody tr[data-kind=published]').waitFor();
    assert.equal(await m.locator('[data-testid=runs] tbody tr[data-kind=published]').count(), 1);
    assert.match(await m.getByTestId('share-first-wish').innerText(), /50/);

    // the candidate: admitted at wish 2, with the reason for wish 1 (its cut-off and their score)
    await c.reload();
    await c.getByTestId('admission-admitted').waitFor();
    assert.match(await c.getByTestId('admission-admitted').innerText(), /Nguyện vọng 2: .*Quản trị kinh doanh/);
    const reasons = await c.getByTestId('admission-reasons').innerText();
    assert.match(reasons, /NV1: Công nghệ thông tin/);
    assert.match(reasons, /Điểm chuẩn 27,00 · điểm của bạn 24,00/);
    assert.match(reasons, /thấp hơn điểm chuẩn/);
    assert.equal(await fitsWidth(c), true, 'no sideways scrolling at 360 px');
    await checkPage(c, 'admission-candidate-result');
    await c.getByTestId('confirm-enrolment').click();
    await c.getByText(/Đã xác nhận lúc/).waitFor();
    assert.equal(await c.getByTestId('confirm-enrolment').count(), 0);
    await checkPage(c, 'admission-candidate-confirmed');

    // a score review raises the candidate to 28.50, above QHI's published cut-off (27.00): the second run
    // protects the published result (the default), so they move up to QHI beyond its one place and the other
    // candidate keeps it
    const db2 = new Database(server.dbFile);
    db2.prepare("UPDATE exam_marks SET score_centi = 950 WHERE exam_year = ? AND candidate_id = ? AND kind = 'score'").run(year, me.id);
    db2.close();
    await m.getByRole('radio', { name: /Giữ kết quả đã công bố/ }).waitFor();
    assert.equal(await m.getByRole('radio', { name: /Giữ kết quả đã công bố/ }).isChecked(), true);
    // recomputing from scratch asks for a reason, and refuses to start without one
    assert.equal(await m.getByLabel(/Lý do tính lại từ đầu/).count(), 0);
    await m.getByRole('radio', { name: /Tính lại từ đầu/ }).check();
    await m.getByLabel(/Lý do tính lại từ đầu/).waitFor();
    await m.getByTestId('start-run').click();
    await m.getByText(/cần nêu lý do/).first().waitFor();
    await checkPage(m, 'admission-run-recompute-reason');
    await m.getByRole('radio', { name: /Giữ kết quả đã công bố/ }).check();
    await m.getByTestId('start-run').click();
    const second = m.locator('[data-testid=runs] tbody tr[data-kind=provisional]');
    await second.waitFor();
    await m.getByText(/1 thí sinh có kết quả thay đổi/).waitFor();
    assert.match(await second.innerText(), /Giữ kết quả đã công bố/);
    await second.getByRole('button', { name: 'Xem thay đổi' }).click();
    await m.getByTestId('run-changes').waitFor();
    const changes = await m.getByTestId('run-changes').innerText();
    assert.match(changes, /KHA-7340101-100 \(NV2\)\s+QHI-7480201-100 \(NV1\)/);
    assert.match(changes, /Được xét lên nguyện vọng cao hơn sau phúc khảo/);
    assert.equal(await m.locator('[data-testid=run-changes] tbody tr').count(), 1, 'only the candidate who moved up changed');
    assert.equal(await fitsWidth(m), true, 'no sideways scrolling at 360 px');
    await checkPage(m, 'admission-run-second');
    await second.getByTestId('publish-run').click();
    await m.getByText('Đã công bố kết quả xét tuyển').waitFor();
    await m.locator('[data-testid=runs] tbody tr[data-kind=superseded]').waitFor();
    await mctx.close();

    // the candidate: admitted at wish 1 now, told why, and that the earlier confirmation does not hold
    await c.reload();
    await c.getByTestId('admission-admitted').waitFor();
    assert.match(await c.getByTestId('admission-admitted').innerText(), /Nguyện vọng 1: .*Công nghệ thông tin/);
    const page = await c.locator('main').innerText();
    assert.match(page, /Lý do: Được xét lên nguyện vọng cao hơn sau phúc khảo/);
    assert.match(page, /không còn hiệu lực/);
    await checkPage(c, 'admission-candidate-moved-up');
    await cctx.close();
  });
});

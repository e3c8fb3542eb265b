// The whole journey across roles in a real browser, and the error paths. See harness.ts for the setup.
// It starts where a school year starts: the point imports a class list and issues the accounts; the
// candidate the journey follows is one of that class, signing in with the password from the teacher's list.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { CURRENT_TTL_MS } from '../../src/server/exam-years/exam-years.repository.ts';
import { overlappingWords, pdfWords } from '../helpers/pdf-words.ts';
import { checkPage, launchBrowser, signIn, startServer, writeAxeReport, type Server } from './harness.ts';

/** the candidate the journey follows: imported, issued, then registers */
const CANDIDATE = '001308200101';
const CANDIDATE_NAME = 'Trịnh Thu Trang';
const CANDIDATE_DOB = '2008-02-14';
/** the other valid row of the class list (the support desk resets this one's password) */
const CLASSMATE = '001208200102';
const CLASS = '12A9';
const NEW_PW = 'mua he xanh 2026';
const STAFF_PW = 'ghidanh-demo-2026';

let server: Server;
let browser: Browser;
let photoFile: string;
let classListFile: string;
let correctedListFile: string;
/** the one-time password the point's issuance gave the candidate (read from the teacher's list) */
let firstPassword = '';
const contexts: BrowserContext[] = [];

/** A class list as a school exports it: the template's headers, two good rows and one with two errors (row 4). */
async function writeClassList(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Lớp 12A9');
  ws.addRow(['STT / No.', 'Họ và tên / Full name', 'Ngày sinh / Date of birth (dd/mm/yyyy)', 'Giới tính / Gender (Nam/Nữ)', 'Số định danh (CCCD) hoặc hộ chiếu / ID or passport number', 'Quốc tịch / Nationality', 'Lớp / Class']);
  ws.addRow(['1', CANDIDATE_NAME, CANDIDATE_DOB.split('-').reverse().join('/'), 'Nữ', CANDIDATE, 'VN', CLASS]);
  ws.addRow(['2', 'Mai Đức Long', '15/06/2008', 'Nam', CLASSMATE, 'VN', CLASS]);
  ws.addRow(['3', 'Phan Văn Bảo', '31/02/2008', 'Nam', '00120820', 'VN', CLASS]);
  await wb.xlsx.writeFile(file);
}

/**
 * The same list corrected and sent again: the candidate as before, the classmate's date of birth put right,
 * the refused row fixed (into class 12A8) and a name typed without diacritics.
 */
async function writeCorrectedClassList(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Lớp 12A9');
  ws.addRow(['STT / No.', 'Họ và tên / Full name', 'Ngày sinh / Date of birth (dd/mm/yyyy)', 'Giới tính / Gender (Nam/Nữ)', 'Số định danh (CCCD) hoặc hộ chiếu / ID or passport number', 'Quốc tịch / Nationality', 'Lớp / Class']);
  ws.addRow(['1', CANDIDATE_NAME, CANDIDATE_DOB.split('-').reverse().join('/'), 'Nữ', CANDIDATE, 'VN', CLASS]);
  ws.addRow(['2', 'Mai Đức Long', '05/06/2008', 'Nam', CLASSMATE, 'VN', CLASS]);
  ws.addRow(['3', 'Phan Văn Bảo', '28/02/2008', 'Nam', '001208200103', 'VN', '12A8']);
  ws.addRow(['4', 'Nguyen Van Tu', '01/01/2008', 'Nam', '001208200104', 'VN', '12A8']);
  await wb.xlsx.writeFile(file);
}

/** Clicks a download button and answers the file's bytes. */
async function download(page: Page, testId: string): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const file = await d.path();
  assert.ok(file, `the ${testId} download was saved`);
  return fs.readFileSync(file);
}

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-e2e-files-'));
  photoFile = path.join(dir, 'photo.png');
  classListFile = path.join(dir, 'lop-12a9.xlsx');
  await writeClassList(classListFile);
  correctedListFile = path.join(dir, 'lop-12a9-da-sua.xlsx');
  await writeCorrectedClassList(correctedListFile);
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

  test('a point imports a class list, reads the report, imports the valid rows and issues accounts', async () => {
    point = await newPage();
    await signIn(point, server.url, 'diem.01001', STAFF_PW);
    await point.waitForURL((u) => u.pathname === '/point');
    await point.goto(server.url + '/point/import');
    // bad input: no file chosen → error summary linking to the file field
    await point.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    const fileLink = point.locator('.error-summary a[href="#class-list-file"]');
    await fileLink.waitFor();
    await checkPage(point, '00a-point-import-errors');
    await fileLink.click();
    assert.equal(await point.evaluate(() => document.activeElement?.id), 'class-list-file', 'the error summary link focuses the file field');

    await point.setInputFiles('#class-list-file', classListFile);
    await point.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    const report = point.getByTestId('import-findings');
    await report.waitFor();
    const rows = await report.locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      rows.map((r) => r.split('\t').map((c) => c.trim())),
      [
        ['4', 'Phan Văn Bảo', 'Ngày sinh', 'Lỗi', 'Ngày 31/02/2008 không có trên lịch: tháng 2 năm 2008 chỉ có 29 ngày.'],
        ['4', 'Phan Văn Bảo', 'Số định danh', 'Lỗi', 'Số định danh cá nhân phải gồm đúng 12 chữ số.'],
      ],
      'the report names the row, its student, the column and the problem, in Vietnamese',
    );
    // the row to fix downloads as typed, with what to fix, ready to correct and upload again
    const toFix = new ExcelJS.Workbook();
    await toFix.xlsx.load((await download(point, 'download-failed-rows')) as unknown as ArrayBuffer);
    const fixRow = toFix.worksheets[0]!.getRow(2);
    assert.equal(fixRow.getCell(2).text, 'Phan Văn Bảo');
    assert.equal(fixRow.getCell(8).text, '4', 'the row of the original file');
    assert.match(fixRow.getCell(9).text, /12 chữ số/);
    assert.match(await point.locator('.summary-list').innerText(), /Học sinh mới, hợp lệ\s+2\s+Dòng có lỗi\s+1/);
    await checkPage(point, '00b-point-import-report');
    // the same report in English
    await point.getByRole('button', { name: 'English' }).click();
    await report.getByText('The personal identification number must be exactly 12 digits.').waitFor();
    await report.getByText('Date of birth').first().waitFor();
    await point.getByRole('button', { name: 'Tiếng Việt' }).click();

    await point.getByRole('button', { name: 'Chỉ nhập 2 dòng hợp lệ' }).click();
    await point.getByTestId('import-result').waitFor();
    assert.match(await point.getByTestId('import-result').innerText(), /Đã nhập 2 học sinh/);
    await checkPage(point, '00c-point-imported');

    // the corrected list sent again: the students already imported are no errors (one unchanged, one
    // updated), each note names its student, and a name without diacritics is flagged
    await point.setInputFiles('#class-list-file', correctedListFile);
    await point.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await point.getByText('Đã có từ lần nhập trước, sẽ cập nhật').waitFor();
    const again = await point.getByTestId('import-findings').locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      again.map((r) => r.split('\t').map((c) => c.trim()).slice(0, 4)),
      [
        ['3', 'Mai Đức Long', 'Ngày sinh', 'Lưu ý'],
        ['5', 'Nguyen Van Tu', 'Họ và tên', 'Lưu ý'],
      ],
      again.join(' | '),
    );
    assert.match(again[0]!, /sẽ cập nhật ngày sinh/);
    assert.match(again[1]!, /không có dấu/);
    const summaryText = await point.locator('.summary-list').innerText();
    assert.match(summaryText, /Học sinh mới, hợp lệ\s+2\s+Dòng có lỗi\s+0\s+Đã có từ lần nhập trước, sẽ cập nhật\s+1\s+Đã có từ lần nhập trước \(giữ nguyên\)\s+1/);
    await checkPage(point, '00c2-point-reimport-report');
    await point.getByRole('button', { name: 'Nhập 2 học sinh mới, cập nhật 1 học sinh' }).click();
    await point.getByTestId('import-result').getByText('Đã cập nhật 1 học sinh').waitFor();
    assert.match(await point.getByTestId('import-result').innerText(), /Đã nhập 2 học sinh\. Đã cập nhật 1 học sinh/);

    await point.getByRole('link', { name: 'Cấp tài khoản cho các học sinh vừa nhập' }).click();
    await point.waitForURL(/\/point\/accounts/);
    // bad input: re-issuing needs a class
    await point.check('#issue-reissue');
    await point.getByRole('button', { name: 'Cấp lại mật khẩu' }).click();
    await point.locator('.error-summary a[href="#issue-className"]').waitFor();
    await point.uncheck('#issue-reissue');
    // the class is chosen from the point's list, with its counts; "every class" is the list's one empty choice
    // (a second, blank "—" above it read as if nothing could be chosen)
    const emptyChoices = await point.locator('#issue-className option[value=""]').allInnerTexts();
    assert.deepEqual(emptyChoices, ['Mọi lớp']);
    assert.equal(await point.locator('#issue-className option:checked').innerText(), 'Mọi lớp');
    await point.selectOption('#issue-className', CLASS);
    await checkPage(point, '00d-point-accounts');
    await point.getByRole('button', { name: 'Cấp tài khoản', exact: true }).click();
    await point.getByTestId('issue-result').waitFor();
    assert.match(await point.getByTestId('issue-result').innerText(), /Đã cấp 2 tài khoản cho lớp 12A9/);
    await checkPage(point, '00e-point-accounts-issued');
    // a whole class's re-issue asks first; cancelling changes nothing
    await point.check('#issue-reissue');
    await point.selectOption('#issue-className', CLASS);
    await point.getByRole('button', { name: 'Cấp lại mật khẩu' }).click();
    await point.getByTestId('reissue-confirm').waitFor();
    assert.match(await point.getByTestId('reissue-confirm').innerText(), /Cấp lại mật khẩu cho cả lớp 12A9\? Mật khẩu cũ và các phiên đăng nhập của 2 học sinh/);
    await checkPage(point, '00f-point-reissue-confirm');
    await point.getByRole('button', { name: 'Huỷ' }).click();
    await point.getByTestId('reissue-confirm').waitFor({ state: 'detached' });
    await point.uncheck('#issue-reissue');

    const slips = await download(point, 'download-slips');
    assert.equal(slips.subarray(0, 5).toString(), '%PDF-', 'the slips are a PDF');
    assert.deepEqual(overlappingWords(pdfWords(slips)), [], 'no word of the printed slips over another');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(point, 'download-teacher-list')) as unknown as ArrayBuffer);
    const accounts = new Map<string, string>();
    wb.worksheets[0]!.eachRow((row, n) => {
      const username = row.getCell(5).text;
      if (n > 1 && /^\d{12}$/.test(username)) accounts.set(username, row.getCell(6).text);
    });
    assert.deepEqual([...accounts.keys()].sort(), [CANDIDATE, CLASSMATE].sort(), "the teacher's list holds the class just issued, no one else");
    firstPassword = accounts.get(CANDIDATE) ?? '';
    assert.match(firstPassword, /^[a-z0-9]{10}$/, 'a one-time password for the candidate');
  });

  test('the new candidate signs in, changes the first password, fills every section and submits', async () => {
    assert.ok(firstPassword, 'the issuance gave a password');
    candidate = await newPage();
    await candidate.goto(server.url + '/');
    await candidate.waitForURL(/\/sign-in/);
    await checkPage(candidate, '01-sign-in');
    // bad input: nothing typed → error summary linking to the field
    await candidate.click('button[type=submit]');
    await candidate.locator('.error-summary a[href="#username"]').waitFor();
    await checkPage(candidate, '02-sign-in-errors');
    await signIn(candidate, server.url, CANDIDATE, firstPassword);
    await candidate.waitForURL(/\/change-password/);
    await checkPage(candidate, '03-change-password');
    // the one-time password just typed is not asked again; the new one can be shown
    await candidate.getByTestId('otp-kept').waitFor();
    assert.equal(await candidate.locator('#currentPassword').count(), 0);
    await candidate.fill('#newPassword', NEW_PW);
    await candidate.check('#showPassword');
    assert.equal(await candidate.getAttribute('#newPassword', 'type'), 'text');
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
    await candidate.fill('#personal-fullName', '  trịnh   thu  trang '.normalize('NFD'));
    await candidate.selectOption('#personal-ethnicityCode', '01');
    await checkPage(candidate, '06-personal');
    await save(candidate, '/candidate/section/residence');

    // places by name (test/e2e/places.test.ts covers the pickers in full)
    await candidate.selectOption('#residence-grade10-provinceCode', '01');
    await candidate.click('#residence-grade10-communeCode');
    await candidate.fill('#residence-grade10-communeCode', 'tay ho');
    await candidate.getByRole('option', { name: 'Phường Tây Hồ' }).click();
    await candidate.click('#residence-grade10-schoolCode');
    await candidate.fill('#residence-grade10-schoolCode', 'chu van an');
    await candidate.getByRole('option', { name: /Trường THPT Chu Văn An/ }).click();
    for (const b of await candidate.getByRole('button', { name: 'Giống lớp 10' }).all()) await b.click();
    await checkPage(candidate, '07-residence');
    await save(candidate, '/candidate/section/contact');

    await candidate.fill('#contact-phone', '0912 345 678');
    await candidate.fill('#contact-address', '1 Phố Huế, Hà Nội');
    await checkPage(candidate, '08-contact');
    await save(candidate, '/candidate/section/status');

    await candidate.check('#status-candidateType');
    // a current 12th-grader is not asked whether they have graduated
    assert.equal(await candidate.locator('#status-graduated').count(), 0);
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
    // no foreign language sat, so no exemption to ask for; and retained scores (bảo lưu) are not asked of
    // a current 12th-grader: the next page is priority
    await save(candidate, '/candidate/section/priority');
    await checkPage(candidate, '14-priority');
    await save(candidate, '/candidate/photo');

    await candidate.setInputFiles('#photo', photoFile);
    await candidate.locator('.photo-frame img').waitFor();
    await checkPage(candidate, '15-photo');
    await candidate.getByRole('button', { name: 'Tải ảnh lên và tiếp tục' }).click();
    await candidate.waitForURL(/\/candidate\/check/);
    await checkPage(candidate, '16-check-answers');
    assert.match(await candidate.locator('.summary-list').first().innerText(), /TRỊNH THU TRANG/, 'the name is stored in capitals, NFC');
    // nor on check answers, nor on the task list, which is complete without them
    assert.doesNotMatch(await candidate.locator('main').innerText(), /Bảo lưu điểm|Miễn thi/);
    await candidate.goto(server.url + '/candidate');
    await candidate.getByTestId('progress').waitFor();
    assert.equal(await candidate.locator('a[href="/candidate/section/retainedScores"]').count(), 0);
    assert.equal(await candidate.locator('a[href="/candidate/section/exemption"]').count(), 0);
    const progress = await candidate.getByTestId('progress').innerText();
    const [doneCount, total] = (progress.match(/(\d+) trên (\d+)/) ?? []).slice(1);
    assert.ok(doneCount !== undefined && doneCount === total, progress);
    await candidate.click('a[href="/candidate/check"]');
    await candidate.waitForURL(/\/candidate\/check/);

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
    await point.goto(server.url + '/point');
    await point.locator('table').waitFor();
    // subjects by name, not the stored key "HOA+LI"
    const subjects = await point.getByTestId('queue-subjects').first().innerText();
    assert.match(subjects, /Vật lí/);
    assert.doesNotMatch(subjects, /\+|\bLI\b/);
    // a flag raised at the class import names the dossier made since, not "chưa có hồ sơ"
    const flag = point.locator('[data-testid^="flag-"]', { hasText: CANDIDATE_NAME });
    const head = await flag.first().locator('h3').innerText();
    assert.match(head, /\d{2}-\d{2}-\d{6}-\d/, head);
    await checkPage(point, '20-point-queue');
    await point.getByRole('link', { name: CANDIDATE_NAME }).click();
    await point.waitForURL(/\/point\/dossier\//);
    // the officer sees the code the candidate reads aloud, and the photo under its own title
    assert.match(await point.getByTestId('point-dossier-code').innerText(), /Mã hồ sơ: \d{2}-\d{2}-\d{6}-\d/);
    assert.equal(await point.locator('.summary-card', { hasText: 'Ảnh chân dung' }).locator('img.summary-photo').count(), 1);
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
    await point.getByRole('link', { name: CANDIDATE_NAME }).click();
    await point.getByRole('button', { name: 'Xác nhận hồ sơ' }).click();
    await point.locator('.notification--success').waitFor();
    await candidate.goto(server.url + '/candidate/status');
    await candidate.getByTestId('dossier-status').getByText('Đã xác nhận').waitFor();
    await checkPage(candidate, '23-status-verified');
    const [download] = await Promise.all([candidate.waitForEvent('download'), candidate.getByRole('link', { name: /Tải phiếu đăng ký/ }).click()]);
    const file = await download.path();
    assert.ok(file && fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-', 'the form is a PDF');
  });

  test('the point numbers the forms and downloads the lists and the class forms to print', async () => {
    await point.goto(server.url + '/point/exports');
    await point.locator('h1').waitFor();
    await point.getByRole('button', { name: 'Đánh số phiếu đăng ký' }).click();
    await point.getByTestId('form-numbers-result').waitFor();
    assert.match(await point.getByTestId('form-numbers-result').innerText(), /Đã đánh số 1 phiếu: từ 01001-\d{5} đến 01001-\d{5}/);
    // bad input: the class exports need the class
    await point.getByTestId('export-class-forms').click();
    await point.locator('.error-summary a[href="#export-className"]').waitFor();
    await checkPage(point, '24-point-exports-errors');
    const pointList = await download(point, 'export-point-list');
    assert.equal(pointList.subarray(0, 2).toString(), 'PK', 'the point list is an XLSX workbook');
    // the class exports choose from the point's classes too: a typed "12a9" used to miss on case
    assert.equal(await point.locator('select#export-className').count(), 1, 'the class is a list, not typed');
    assert.ok((await point.locator('#export-className option').allInnerTexts()).some((o) => o.startsWith(`${CLASS}: `)), 'with its count');
    await point.selectOption('#export-className', CLASS);
    const classList = new ExcelJS.Workbook();
    await classList.xlsx.load((await download(point, 'export-class-list')) as unknown as ArrayBuffer);
    // names are stored in capitals
    const rowsText: string[] = [];
    classList.worksheets[0]!.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell((c) => cells.push(c.text));
      rowsText.push(cells.join(' '));
    });
    const listed = (name: string) => rowsText.some((r) => r.includes(name.toLocaleUpperCase('vi')));
    assert.ok(listed(CANDIDATE_NAME) && listed('Mai Đức Long'), `the class list names the class: ${rowsText.join(' | ')}`);
    assert.ok(!listed('Nguyễn Văn An'), 'and no one of another class');
    const forms = await download(point, 'export-class-forms');
    assert.equal(forms.subarray(0, 5).toString(), '%PDF-', 'the class forms are one PDF');
    await checkPage(point, '25-point-exports');
  });

  test('the ministry dashboard counts it', async () => {
    const ministry = await newPage();
    await signIn(ministry, server.url, 'bo.quantri', STAFF_PW);
    await ministry.waitForURL(/\/dashboard/);
    await ministry.getByTestId('stat-registered').waitFor();
    assert.ok(Number((await ministry.getByTestId('stat-registered').innerText()).replace(/\D/g, '')) >= 1);
    assert.ok(Number((await ministry.getByTestId('stat-verified').innerText()).replace(/\D/g, '')) >= 1);
    await checkPage(ministry, '30-ministry-dashboard');
    // the 34 provinces candidates choose from (and the Ministry of Defence's schools), each with the exam
    // departments it took over, by name and not by code; the unpublished 2026 codes said so
    const provinces = ministry.getByTestId('national-table').locator('tbody tr');
    assert.equal(await provinces.count(), 35, `${await provinces.count()} rows`);
    const tuyenQuang = provinces.filter({ has: ministry.getByRole('rowheader', { name: 'Tuyên Quang', exact: true }) });
    assert.deepEqual(await tuyenQuang.getByRole('link').allInnerTexts(), ['Sở GD&ĐT Hà Giang', 'Sở GD&ĐT Tuyên Quang']);
    assert.doesNotMatch(await ministry.getByTestId('national-table').innerText(), /\(\d{2}\)/);
    assert.match(await ministry.getByTestId('departments-note').innerText(), /2026 .*chưa được công bố/);
    const haNoi = provinces.filter({ has: ministry.getByRole('rowheader', { name: 'Hà Nội', exact: true }) });
    assert.ok(Number((await haNoi.locator('td.num').first().innerText()).replace(/\D/g, '')) >= 1, 'Hà Nội counts its candidates');
    await ministry.getByRole('link', { name: 'Sở GD&ĐT Hà Nội', exact: true }).click();
    await ministry.getByRole('heading', { name: 'Sở GD&ĐT Hà Nội' }).waitFor();
    await ministry.getByRole('link', { name: 'Trường THPT Chu Văn An' }).click();
    await ministry.getByRole('heading', { name: 'Trường THPT Chu Văn An' }).waitFor();
    // each drill-down leads back up by a back link
    await ministry.getByRole('link', { name: '← Về Sở GD&ĐT Hà Nội' }).click();
    await ministry.getByRole('heading', { name: 'Sở GD&ĐT Hà Nội' }).waitFor();
    await checkPage(ministry, '30b-ministry-department');
    await ministry.getByRole('link', { name: '← Về số liệu toàn quốc' }).click();
    await ministry.getByRole('heading', { name: 'Toàn quốc', exact: true }).waitFor();
    await ministry.getByRole('link', { name: 'Sở GD&ĐT Hà Nội', exact: true }).click();
    await ministry.getByRole('heading', { name: 'Sở GD&ĐT Hà Nội' }).waitFor();
    await ministry.getByRole('link', { name: 'Toàn quốc', exact: true }).click();
    await ministry.getByRole('heading', { name: 'Toàn quốc', exact: true }).waitFor();
    // the English toggle switches the language and the lang attribute
    await ministry.getByRole('button', { name: 'English' }).click();
    assert.equal(await ministry.evaluate(() => document.documentElement.lang), 'en');
    await ministry.getByRole('heading', { name: 'Country' }).waitFor();
    await checkPage(ministry, '31-ministry-dashboard-en');
  });

  test('the ministry checks the exam year and changes the published year only with a reason', async () => {
    const ministry = await newPage();
    await signIn(ministry, server.url, 'bo.quantri', STAFF_PW);
    await ministry.waitForURL(/\/dashboard/);
    await ministry.goto(server.url + '/config');
    await ministry.getByRole('button', { name: 'Kiểm tra kỳ thi đã lưu' }).click();
    await ministry.getByTestId('check-result').waitFor();
    assert.match(await ministry.getByTestId('check-result').innerText(), /không có mâu thuẫn nào/);
    await checkPage(ministry, '32-exam-year-config');
    // the year's windows as a picture with the same facts in words; dates typed as day, month and year
    assert.match(await ministry.getByTestId('windows-picture').innerText(), /Đăng ký chính thức: từ (Thứ \S+|Chủ nhật) \d{2}\/\d{2}\/\d{4} đến 17:00 (Thứ \S+|Chủ nhật) \d{2}\/\d{2}\/\d{4} \(\d+ ngày\)/);
    assert.equal(await ministry.getAttribute('#windows-official', 'inputmode'), 'numeric', 'the day of a date is its own numeric field');
    assert.match(await ministry.inputValue('#windows-official-year'), /^\d{4}$/);
    // the window where points correct closes half an hour earlier; without a reason the change is refused
    assert.equal(await ministry.inputValue('#windows-correction-closesAt'), '17:00');
    await ministry.fill('#windows-correction-closesAt', '16:30');
    await ministry.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    const reasonLink = ministry.locator('.error-summary a[href="#reason"]');
    await reasonLink.waitFor();
    await checkPage(ministry, '32b-exam-year-reason-required');
    await reasonLink.click();
    assert.equal(await ministry.evaluate(() => document.activeElement?.id), 'reason');
    // a contradiction typed in is caught at once, with the same rule the server runs
    await ministry.fill('#windows-correction-closesAt', '03:00');
    await ministry.fill('#reason', 'Lùi giờ đóng để điểm tiếp nhận kịp bàn giao trong ngày.');
    await ministry.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await ministry.locator('.error-summary a[href="#windows-correction-closesAt"]').waitFor();
    await ministry.fill('#windows-correction-closesAt', '16:30');
    await ministry.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await ministry.getByTestId('config-done').waitFor();
    await checkPage(ministry, '32c-exam-year-saved');
    await ministry.reload();
    await ministry.locator('#windows-correction-closesAt').waitFor();
    assert.equal(await ministry.inputValue('#windows-correction-closesAt'), '16:30', 'the change is saved');
  });

  test('the support desk finds the candidate, logs a call, closes it and resets a classmate’s password', async () => {
    const support = await newPage();
    await signIn(support, server.url, 'hotro.01', STAFF_PW);
    await support.waitForURL(/\/support/);
    await support.locator('h1').waitFor();
    await checkPage(support, '33-support-desk');
    // bad input: nothing to look up with
    await support.getByRole('button', { name: 'Tra cứu' }).click();
    await support.locator('.error-summary a[href="#lookup-idNumber"]').waitFor();
    // by name without diacritics and date of birth
    await support.fill('#lookup-name', 'trinh thu trang');
    const [y, m, d] = CANDIDATE_DOB.split('-');
    await support.fill('#lookup-dateOfBirth', String(Number(d)));
    await support.fill('#lookup-dateOfBirth-month', String(Number(m)));
    await support.fill('#lookup-dateOfBirth-year', y!);
    await support.getByRole('button', { name: 'Tra cứu' }).click();
    await support.getByTestId('support-hits').getByRole('button', { name: CANDIDATE_NAME }).click();
    const card = support.getByTestId('support-card');
    await card.waitFor();
    assert.match(await card.innerText(), /Đã xác nhận/, 'the desk sees the dossier verified');
    assert.match(await card.innerText(), /Điểm tiếp nhận yêu cầu chỉnh sửa/, 'and its history');
    // and the code the candidate reads aloud from their own page
    assert.match(await card.getByTestId('support-dossier-code').innerText(), /^\d{2}-\d{2}-\d{6}-\d$/);
    await checkPage(support, '34-support-card');
    // log a call that needs following up, then close it from the open calls
    await support.selectOption('#call-category', 'dossier_status');
    await support.fill('#call-note', 'Hỏi khi nào hồ sơ được xác nhận; đã xác nhận.');
    await support.selectOption('#call-outcome', 'callback_needed');
    await support.check('#call-status-1');
    await support.getByRole('button', { name: 'Lưu cuộc gọi' }).click();
    await support.getByText('Đã ghi nhận cuộc gọi.').waitFor();
    const openCalls = support.getByRole('region', { name: /cuộc gọi cần theo dõi/ });
    await openCalls.getByText('Hỏi khi nào hồ sơ được xác nhận').waitFor();
    await checkPage(support, '35-support-call-logged');
    await openCalls.getByRole('button', { name: /^Đóng cuộc gọi/ }).first().click();
    await support.getByText('Không có cuộc gọi nào đang mở.').waitFor();
    // by ID number: the classmate forgot the password
    await support.fill('#lookup-idNumber', CLASSMATE);
    await support.getByRole('button', { name: 'Tra cứu' }).click();
    await support.getByTestId('support-hits').getByRole('button', { name: 'Mai Đức Long' }).click();
    await card.getByRole('heading', { name: 'Mai Đức Long' }).waitFor();
    await support.fill('#reset-reason', 'Học sinh làm mất phiếu tài khoản, đã xác minh ngày sinh.');
    await support.getByRole('button', { name: 'Cấp lại mật khẩu' }).click();
    // a reset asks again before it ends the candidate's password and sessions
    await support.getByTestId('reset-confirm').waitFor();
    await support.getByRole('button', { name: 'Xác nhận cấp lại' }).click();
    assert.match(await support.getByTestId('support-otp').innerText(), /^\d{4} \d{4} \d{4}$/, 'digits in groups of four, easy to read aloud');
    await checkPage(support, '36-support-reset');
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
    // the dossier was verified: the retried save lands on check answers, which says it is back to "submitted"
    await page.waitForURL((u) => u.pathname === '/candidate/check' && u.searchParams.get('reverted') === '1');
    await page.getByTestId('reverted-notice').waitFor();
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
    // both tabs hold the dossier as it was before either saves (the page fetches it after loading: a tab
    // that fetched after the other's save would hold the new version and see no conflict)
    const loaded = (tab: typeof tab1) =>
      tab.waitForFunction(() => ((document.querySelector('#contact-address') as HTMLInputElement | null)?.value ?? '') !== '');
    await loaded(tab1);
    await loaded(tab2);
    await tab1.fill('#contact-address', 'Địa chỉ từ cửa sổ một');
    await tab1.click('button[type=submit]');
    await tab1.waitForURL(/section\/status/);
    await tab2.fill('#contact-address', 'Địa chỉ từ cửa sổ hai');
    await tab2.click('button[type=submit]');
    await tab2.getByText('Hồ sơ đã được thay đổi ở nơi khác').waitFor();
    await tab2.getByText('Địa chỉ từ cửa sổ một').waitFor();
    await checkPage(tab2, '42-version-conflict');
    await tab2.getByRole('button', { name: 'Giữ bản tôi đang nhập' }).click();
    await tab2.waitForURL(/section\/status/);
    // the tab read the dossier again after keeping its version: its next save names the current version
    // and goes through, and the section it kept shows what it typed
    await tab2.click('button[type=submit]');
    await tab2.waitForURL(/section\/purpose/);
    assert.equal(await tab2.getByText('Hồ sơ đã được thay đổi ở nơi khác').count(), 0);
    await tab2.getByRole('link', { name: /Về danh sách mục|Để sau/ }).first().click();
    await tab2.waitForURL((u) => u.pathname === '/candidate');
    await tab2.goto(server.url + '/candidate/check');
    await tab2.getByText('Địa chỉ từ cửa sổ hai').waitFor();
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
    // the change went behind the server's back, so it reaches the server when the current year it keeps
    // expires (a change made through the app reaches it at once); the tests before this one just read it,
    // and a sign-in can finish inside that second
    await sleep(CURRENT_TTL_MS + 200);
    const page = await newPage();
    await signIn(page, server.url, CANDIDATE, NEW_PW);
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.getByText('Cổng đăng ký đã đóng').first().waitFor();
    await checkPage(page, '43-window-closed');
    await page.goto(server.url + '/candidate/section/contact');
    assert.equal(await page.locator('button[type=submit]').count(), 0, 'no save button once closed');
  });
});

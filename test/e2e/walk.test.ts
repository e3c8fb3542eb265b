// Every role walked again as a new user would (issue 20), for what the journeys do not assert: the small
// native controls (a file input's button, a disclosure's summary, a link-styled button) are targets of at
// least 24×24 CSS px at 360 px, and the candidate's pages name sections as the task list does and lead to
// what must come first. Each page checked with axe and kept as screenshots at 360 and 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, startServer, writeAxeReport, type Server } from './harness.ts';

const STAFF_PW = 'ghidanh-demo-2026';
const CANDIDATE = '001208100001';

let browser: Browser;
let server: Server;
const contexts: BrowserContext[] = [];

async function newPage(width = 360): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, locale: 'vi-VN' });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.setDefaultTimeout(20_000);
  return p;
}

/** Visible controls matched by `selector` smaller than 24×24 CSS px, as "text w×h". */
async function smallTargets(p: Page, selector: string): Promise<string[]> {
  await p.waitForLoadState('networkidle').catch(() => {});
  return p.evaluate((sel) => {
    return [...document.querySelectorAll<HTMLElement>(sel)]
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ text: (e.textContent ?? '').trim() || e.id, r: e.getBoundingClientRect() }))
      .filter((x) => x.r.width < 24 || x.r.height < 24)
      .map((x) => `${x.text} ${Math.round(x.r.width)}×${Math.round(x.r.height)}`);
  }, selector);
}
const CONTROLS = 'main input[type=file], main summary, main button';

/**
 * On the page's main content: interactive targets under 24×24 CSS px (a link inside a sentence is exempt,
 * as WCAG 2.5.8 allows), and text printed over other text, as "text w×h" and "a / b".
 */
async function targetsAndOverlaps(p: Page): Promise<{ small: string[]; overlapping: string[] }> {
  await p.waitForLoadState('networkidle').catch(() => {});
  return p.evaluate(() => {
    const main = document.querySelector('main') ?? document.body;
    const small: string[] = [];
    for (const e of main.querySelectorAll<HTMLElement>('a, button, input:not([type=hidden]), select, textarea, summary')) {
      if (e.offsetParent === null) continue;
      const b = e.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      const text = (e.textContent ?? '').trim();
      const inSentence = e.tagName === 'A' && getComputedStyle(e).display === 'inline' && (e.parentElement?.textContent ?? '').trim().length > text.length + 3;
      // radios and checkboxes are targets with their label, which GOV.UK makes 40 px or more
      const labelled = (e as HTMLInputElement).type === 'radio' || (e as HTMLInputElement).type === 'checkbox';
      const target = labelled && e.id ? (document.querySelector(`label[for="${e.id}"]`)?.getBoundingClientRect() ?? b) : b;
      if (!inSentence && (Math.max(target.width, b.width) < 24 || Math.max(target.height, b.height) < 24)) small.push(`${text.slice(0, 40) || e.id} ${Math.round(b.width)}×${Math.round(b.height)}`);
    }
    const rects: Array<{ t: string; r: DOMRect }> = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!t || !el || el.closest('.visually-hidden, option, script, style')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) rects.push({ t: t.slice(0, 30), r });
    }
    const overlapping: string[] = [];
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i]!.r;
        const b = rects[j]!.r;
        if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 3) overlapping.push(`${rects[i]!.t} / ${rects[j]!.t}`);
      }
    }
    return { small, overlapping };
  });
}

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

after(async () => {
  writeAxeReport();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('every role, walked again at 360 px', () => {
  test('file inputs, disclosures and link-styled buttons are targets of at least 24×24 px on every role’s pages', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.locator('summary').first().waitFor();
    assert.deepEqual(await smallTargets(page, CONTROLS), [], 'sign-in: "Tôi quên mật khẩu"');

    // the candidate: the residence page's "Giống lớp 10", the photo's file input
    await signIn(page, server.url, CANDIDATE, 'thisinh-demo-2026');
    await page.waitForURL(/\/change-password/);
    await page.fill('#newPassword', 'mua he xanh 2026');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/section/residence`);
    await page.getByRole('button', { name: 'Giống lớp 10' }).first().waitFor();
    assert.deepEqual(await smallTargets(page, CONTROLS), [], 'residence');
    await page.goto(`${server.url}/candidate/photo`);
    await page.locator('#photo').waitFor();
    assert.deepEqual(await smallTargets(page, CONTROLS), [], 'photo');
    await checkPage(page, 'walk-01-photo-file-input');

    // the point's class-list import, the department's marks import, the ministry's chart tables
    const staff: Array<[string, string, string]> = [
      ['diem.01001', '/point/import', 'walk-02-point-import'],
      ['so.hanoi', '/exam/results', 'walk-03-department-marks'],
      ['bo.quantri', '/operations', 'walk-04-ministry-operations'],
    ];
    for (const [user, path, shot] of staff) {
      const p = await newPage();
      await signIn(p, server.url, user, STAFF_PW);
      await p.waitForURL((u) => u.pathname !== '/sign-in');
      await p.goto(server.url + path);
      await p.locator('main h1').waitFor();
      await p.locator('main input[type=file], main summary').first().waitFor();
      assert.deepEqual(await smallTargets(p, CONTROLS), [], `${user} ${path}`);
      await checkPage(p, shot);
    }
  });

  test('a section that needs another first leads there, and check your answers names sections as the task list does', async () => {
    const page = await newPage();
    await signIn(page, server.url, CANDIDATE, 'mua he xanh 2026');
    await page.waitForURL((u) => u.pathname === '/candidate');
    await page.goto(`${server.url}/candidate/section/subjects`);
    const first = page.getByTestId('subjects-need-status').getByRole('link', { name: 'Khai mục “Diện dự thi” trước' });
    await first.waitFor();
    await checkPage(page, 'walk-05-subjects-needs-status');
    await first.click();
    await page.waitForURL(/\/candidate\/section\/status/);

    await page.goto(`${server.url}/candidate/check`);
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const text = await summary.innerText();
    // the names of the task list, not field labels ("Vui lòng nhập Ưu tiên", "Vui lòng nhập Môn thi")
    assert.match(text, /Chưa khai mục “Đăng ký môn thi”/);
    assert.match(text, /Chưa khai mục “Đối tượng ưu tiên, điểm khuyến khích”/);
    assert.doesNotMatch(text, /Vui lòng nhập (Ưu tiên|Môn thi|Nơi thường trú và trường học\.)/);
    // the photo is a task like the sections: named, linked, and the submit button waits for it
    assert.match(text, /Chưa có ảnh chân dung/);
    assert.equal(await summary.getByRole('link', { name: /Chưa có ảnh chân dung/ }).getAttribute('href'), '/candidate/photo');
    assert.equal(await page.getByRole('button', { name: 'Nộp hồ sơ' }).isDisabled(), true);
    await checkPage(page, 'walk-06-check-sections-named');
  });

  test("every candidate page at 360 px: each link and control a target of at least 24×24 px, no text over other text", async () => {
    const page = await newPage();
    await signIn(page, server.url, CANDIDATE, 'mua he xanh 2026');
    await page.waitForURL((u) => u.pathname === '/candidate');
    const sections = ['personal', 'residence', 'contact', 'status', 'purpose', 'subjects', 'exemption', 'priority'];
    const paths = ['/candidate', ...sections.map((x) => `/candidate/section/${x}`), '/candidate/photo', '/candidate/check', '/candidate/status', '/candidate/exam', '/candidate/results', '/candidate/wishes', '/candidate/fees', '/candidate/admission'];
    const problems: string[] = [];
    for (const path of paths) {
      await page.goto(server.url + path);
      await page.locator('main h1').first().waitFor();
      const r = await targetsAndOverlaps(page);
      problems.push(...r.small.map((x) => `${path}: small target ${x}`), ...r.overlapping.map((x) => `${path}: overlapping text ${x}`));
    }
    // a section's error summary, whose links lead to the fields
    await page.goto(`${server.url}/candidate/section/contact`);
    await page.locator('#contact-phone').fill('');
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await page.locator('.error-summary a').first().waitFor();
    const r = await targetsAndOverlaps(page);
    problems.push(...r.small.map((x) => `contact errors: small target ${x}`), ...r.overlapping.map((x) => `contact errors: overlapping text ${x}`));
    await checkPage(page, 'walk-07-candidate-errors-360');
    assert.deepEqual(problems, []);
  });
});

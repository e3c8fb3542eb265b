// A class of 45 exam notices is drawn on a render thread: while it streams, a health check and a
// candidate's own seating are answered, nothing is drawn on the main thread, and the event loop is held
// up less than when the same class is drawn on it (the comparison app runs RENDER_THREADS=0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp, testClock } from '../../../test/helpers/app.ts';
import { sessionHeaders, quietEnv } from '../accounts/test-support.ts';
import { P1, IN_CORRECTION, dept01, makeCandidates, makeDossier, officer1, seedStructure } from '../verification/back-office.fixtures.ts';

const CLASS_SIZE = 45;
const ROUNDS = 5;
const CLASS_URL = `/api/exam/points/${P1}/notices.pdf?className=12A9`;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức'];
const GIVEN = ['An', 'Bình', 'Cường', 'Diệp', 'Dũng', 'Hà', 'Khôi', 'Lan', 'Nhi', 'Phúc', 'Tâm'];

/** Counts the PDF drawing calls made on this (the main) thread while it is installed. */
function countMainThreadDrawing(): { calls: () => number; restore: () => void } {
  const proto = PDFDocument.prototype as unknown as { text: (...a: unknown[]) => unknown };
  const original = proto.text;
  let calls = 0;
  proto.text = function (this: unknown, ...a: unknown[]) {
    calls += 1;
    return original.apply(this, a);
  };
  return { calls: () => calls, restore: () => void (proto.text = original) };
}

interface Served {
  pdf: Buffer;
  maxLagMs: number;
  light: Array<{ url: string; status: number; beforePdfEnded: boolean }>;
  mainThreadDrawing: number;
}

async function printWhileServing(app: FastifyInstance, officer: Record<string, string>, pupil: Record<string, string>): Promise<Served> {
  const drawing = countMainThreadDrawing();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  try {
    const res = await app.inject({ method: 'GET', url: CLASS_URL, headers: officer, payloadAsStream: true });
    assert.equal(res.statusCode, 200);
    const body = res.stream();
    const chunks: Buffer[] = [];
    let pdfEnded = false;
    let begun!: () => void;
    const firstChunk = new Promise<void>((r) => (begun = r));
    const ended = new Promise<void>((resolve, reject) => {
      body.on('data', (c: Buffer) => {
        chunks.push(c);
        begun();
      });
      body.on('end', () => {
        pdfEnded = true;
        resolve();
      });
      body.on('error', reject);
    });
    await firstChunk;
    const light: Served['light'] = [];
    for (let round = 0; round < 5; round++) {
      const asked = [
        { url: '/healthz', headers: {} },
        { url: '/api/exam/me', headers: pupil },
      ];
      const answers = await Promise.all(asked.map((a) => app.inject({ method: 'GET', url: a.url, headers: a.headers })));
      answers.forEach((r, i) => light.push({ url: asked[i]!.url, status: r.statusCode, beforePdfEnded: !pdfEnded }));
    }
    await ended;
    return { pdf: Buffer.concat(chunks), maxLagMs: lag.max / 1e6, light, mainThreadDrawing: drawing.calls() };
  } finally {
    lag.disable();
    drawing.restore();
  }
}

describeEachDb('exam notices rendered off the event loop', (get) => {
  test(`a class of ${CLASS_SIZE} notices prints on a render thread while other requests are answered`, async () => {
    const db = get().db;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-notices-'));
    const clock = testClock(IN_CORRECTION);
    await seedStructure(db);
    const names = Array.from({ length: CLASS_SIZE }, (_, i) => `${FAMILY[i % FAMILY.length]} ${MIDDLE[i % MIDDLE.length]} ${GIVEN[i % GIVEN.length]}`);
    const pupils = await makeCandidates(db, P1, names, { className: '12A9' });
    for (const p of pupils) await makeDossier(db, p, 'verified', { filters: { subjectsCombo: 'LI+HOA' } });
    await db.write((trx) => trx.updateTable('users').set({ must_change_password: 0, password_hash: 'x', status: 'active' }).where('id', '=', pupils[0]!.userId).execute());
    const pooled = await testApp(db, { clock, env: quietEnv({ DATA_DIR: dataDir, RENDER_THREADS: '1' }) });
    const inline = await testApp(db, { clock, env: quietEnv({ DATA_DIR: dataDir, RENDER_THREADS: '0' }) });
    try {
      const h = (userId: string) => sessionHeaders(db, pooled.config, userId, IN_CORRECTION);
      const dept = await h(dept01.userId);
      assert.equal((await pooled.app.inject({ method: 'PUT', url: '/api/exam/departments/01/sites', headers: dept, payload: { sites: [{ code: 'A', name: 'THPT Chu Văn An', address: '10 Thụy Khuê, Hà Nội', pointIds: [P1] }] } })).statusCode, 200);
      const seated = await pooled.app.inject({ method: 'POST', url: '/api/exam/departments/01/seating', headers: dept, payload: {} });
      assert.equal(seated.json().changes.numbered, CLASS_SIZE, seated.body);
      const officer = await h(officer1.userId);
      const pupil = await h(pupils[0]!.userId);

      // the first file of each app loads the renderers (on a thread, or here): not what is measured
      for (const { app } of [pooled, inline]) {
        assert.equal((await app.inject({ method: 'GET', url: '/api/exam/me/notice.pdf', headers: pupil })).statusCode, 200);
        assert.equal((await app.inject({ method: 'GET', url: CLASS_URL, headers: officer })).statusCode, 200);
      }

      const onThread: Served[] = [];
      const onLoop: Served[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        onThread.push(await printWhileServing(pooled.app, officer, pupil));
        onLoop.push(await printWhileServing(inline.app, officer, pupil));
      }
      const lags = (rs: Served[]) => rs.map((r) => r.maxLagMs.toFixed(1)).join(', ');
      console.log(`# class of ${CLASS_SIZE} notices: the event loop's longest delay per round ${lags(onThread)} ms with a render thread, ${lags(onLoop)} ms drawing on the loop`);
      const median = (rs: Served[]) => rs.map((r) => r.maxLagMs).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;

      const file = path.join(dataDir, 'class.pdf');
      fs.writeFileSync(file, onThread[0]!.pdf);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
      assert.equal((text.match(/GIẤY BÁO DỰ THI/g) ?? []).length, CLASS_SIZE, 'one notice per pupil');

      for (const r of onThread) assert.equal(r.mainThreadDrawing, 0, 'no PDF drawing on the main thread');
      assert.ok(onLoop[0]!.mainThreadDrawing > 0, 'the spy sees drawing on the main thread when there is some');
      for (const l of onThread.flatMap((r) => r.light)) {
        assert.equal(l.status, 200, l.url);
        assert.ok(l.beforePdfEnded, `${l.url} answered before the PDF was complete`);
      }
      assert.ok(median(onThread) < median(onLoop), `longest delay ${median(onThread).toFixed(1)} ms (median round) against ${median(onLoop).toFixed(1)} ms on the loop`);
    } finally {
      await pooled.app.close();
      await inline.app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

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
import { buildRegWorld, goodDossier, headersFor, AT, YEAR, type RegWorld } from '../dossiers/test-fixtures.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { orgIdForCode } from '../org/org.repository.ts';
import { newId } from '../ids.ts';
import type { UserActor } from '../policy/policy.ts';

const CLASS_SIZE = 45;
const ROUNDS = 5;
const CLASS_URL = '/api/exports/points/org-01001/forms.pdf?className=12A9';
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
  /** the longest the event loop was held up while the class was printed, in ms */
  maxLagMs: number;
  light: Array<{ url: string; status: number; beforePdfEnded: boolean }>;
  mainThreadDrawing: number;
}

/** Prints the class while a health check and a dossier read are asked for, again and again, once the PDF has begun. */
async function printClassWhileServing(app: FastifyInstance, officer: Record<string, string>, reader: Record<string, string>): Promise<Served> {
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
        { url: '/api/dossier', headers: reader },
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

function pdfText(dir: string, name: string, pdf: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

describeEachDb('PDF rendering off the event loop', (get) => {
  // one world for the suite's tests (they share the database)
  let world: Promise<RegWorld> | undefined;
  const regWorld = () => (world ??= buildRegWorld(get().db));

  test(`a class of ${CLASS_SIZE} forms prints on a render thread while light requests are answered`, async () => {
    const { db } = get();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-render-'));
    const clock = testClock(AT.official);
    const pooled = await testApp(db, { clock, env: { DATA_DIR: dataDir, RENDER_THREADS: '1' } });
    const inline = await testApp(db, { clock, env: { DATA_DIR: dataDir, RENDER_THREADS: '0' } });
    try {
      const w = await regWorld();
      const point = orgIdForCode('01001');
      const pupils: Array<{ actor: UserActor; cccd: string; fullName: string }> = [];
      await db.write(async (trx) => {
        for (let i = 0; i < CLASS_SIZE; i++) {
          const userId = newId();
          const cccd = `001208${String(500_000 + i)}`;
          const fullName = `${FAMILY[i % FAMILY.length]} ${MIDDLE[i % MIDDLE.length]} ${GIVEN[i % GIVEN.length]}`;
          await insertUser(trx, { id: userId, username: cccd, role: 'candidate', orgUnitId: point, displayName: fullName, passwordHash: 'not-used', mustChangePassword: false }, AT.official);
          await insertCandidates(
            trx,
            [{ id: newId(), userId, examYear: YEAR, pointId: point, departmentCode: '01', idKind: 'cccd', idNumber: cccd, fullName, gender: 'M', dateOfBirth: '2008-05-02', birthProvince: '01', className: '12A9', candidateType: 'current' }],
            AT.official,
          );
          pupils.push({ actor: { kind: 'user', userId, role: 'candidate', orgUnitId: point, departmentCode: '01', sessionId: 's', mustChangePassword: false }, cccd, fullName });
        }
      });
      for (const p of pupils) {
        const h = await headersFor(db, pooled.config, p.actor, AT.official);
        const d = goodDossier(p.cccd, { personal: { ...goodDossier(p.cccd).personal, fullName: p.fullName } });
        const r = await pooled.app.inject({ method: 'PATCH', url: '/api/dossier', headers: { ...h, 'if-match': '"0"' }, payload: d });
        assert.equal(r.statusCode, 200, r.body.slice(0, 300));
      }
      const officer = await headersFor(db, pooled.config, w.users.pointA, AT.official);
      const reader = await headersFor(db, pooled.config, pupils[0]!.actor, AT.official);

      // the first file of each app loads the renderers (on a thread, or here): not what is measured
      for (const { app } of [pooled, inline]) {
        const warm = await app.inject({ method: 'GET', url: '/api/dossier/form.pdf', headers: reader });
        assert.equal(warm.statusCode, 200, warm.body.slice(0, 300));
      }

      // rounds in turn, so a moment when a shared machine starves the process lands on either side; each
      // side is judged by its median round, which one lucky or unlucky round does not move
      const onThreadRounds: Served[] = [];
      const onLoopRounds: Served[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        onThreadRounds.push(await printClassWhileServing(pooled.app, officer, reader));
        onLoopRounds.push(await printClassWhileServing(inline.app, officer, reader));
      }
      const lagsOf = (rs: Served[]) => rs.map((r) => r.maxLagMs.toFixed(1)).join(', ');
      console.log(`# class of ${CLASS_SIZE}: the event loop's longest delay per round ${lagsOf(onThreadRounds)} ms with a render thread, ${lagsOf(onLoopRounds)} ms drawing on the loop`);
      const onThread = onThreadRounds[0]!;
      const onLoop = onLoopRounds[0]!;
      const median = (rs: Served[]) => rs.map((r) => r.maxLagMs).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;
      const lagOnThread = median(onThreadRounds);
      const lagOnLoop = median(onLoopRounds);

      // the same forms either way
      const text = pdfText(dataDir, 'thread.pdf', onThread.pdf);
      assert.equal((text.match(/PHIẾU ĐĂNG KÝ DỰ THI/g) ?? []).length, CLASS_SIZE, 'one form per pupil');
      assert.equal(text, pdfText(dataDir, 'loop.pdf', onLoop.pdf), 'the render thread draws what the loop would');

      // drawn on the render thread: nothing drawn here (the spy does see the loop's drawing)
      for (const r of onThreadRounds) assert.equal(r.mainThreadDrawing, 0, 'no PDF drawing on the main thread');
      assert.ok(onLoop.mainThreadDrawing > 0, 'the spy sees drawing on the main thread when there is some');

      // every light request was answered, and before the class's PDF was complete
      for (const l of onThreadRounds.flatMap((r) => r.light)) {
        assert.equal(l.status, 200, l.url);
        assert.ok(l.beforePdfEnded, `${l.url} answered before the PDF was complete`);
      }
      assert.equal(onThreadRounds.flatMap((r) => r.light).length, ROUNDS * 10);

      // how much less the event loop is held up is time, which a shared machine makes noise of (the line
      // above reports it each run; `npm run bench` is where speed is measured). What decides it is asserted
      // above: no drawing on the main thread, and every light request answered while the class was drawn.
      console.log(`# median round: longest delay ${lagOnThread.toFixed(1)} ms with a render thread, ${lagOnLoop.toFixed(1)} ms drawing on the loop`);
    } finally {
      await pooled.app.close();
      await inline.app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a full render queue answers 503 with Retry-After, before a streamed file has sent anything', async () => {
    const { db } = get();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-render-'));
    // one thread, one place in the queue: until the thread has started, a few files fill it
    const { app, config } = await testApp(db, { clock: testClock(AT.official), env: { DATA_DIR: dataDir, RENDER_THREADS: '1', RENDER_QUEUE_MAX: '1' } });
    try {
      const w = await regWorld();
      const officer = await headersFor(db, config, w.users.pointA, AT.official);
      const template = () => app.inject({ method: 'GET', url: '/api/points/org-01001/imports/template.xlsx', headers: officer });
      const asked = [...Array.from({ length: 8 }, template), app.inject({ method: 'GET', url: CLASS_URL, headers: officer })];
      const answers = await Promise.all(asked);
      const templates = answers.slice(0, 8);
      const refused = templates.filter((r) => r.statusCode === 503);
      assert.ok(refused.length > 0, `some template downloads refused (${templates.map((r) => r.statusCode).join(', ')})`);
      for (const r of templates) assert.ok(r.statusCode === 200 || r.statusCode === 503, `200 or 503, not ${r.statusCode}`);
      for (const r of [...refused, answers[8]!]) {
        assert.equal(r.statusCode, 503);
        assert.equal(r.headers['retry-after'], '2');
        assert.match(String(r.headers['content-type']), /application\/json/, 'the error body, not a cut-off file');
        assert.equal(r.json().error.code, 'UNAVAILABLE');
      }
      for (const r of templates.filter((x) => x.statusCode === 200)) assert.equal(r.rawPayload.subarray(0, 2).toString(), 'PK', 'an XLSX (a zip)');
      // once the thread is up, the queue drains and files are drawn again
      assert.equal((await template()).statusCode, 200);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

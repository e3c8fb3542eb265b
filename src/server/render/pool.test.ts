import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { threadId } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { RenderPool } from './pool.ts';
import { AppError } from '../http/errors.ts';
import type { ExportRow } from '../exports/exports.repository.ts';

const row = (i: number): ExportRow => ({
  candidateId: `c${i}`,
  sortKey: `k${i}`,
  fullName: `Nguyễn Văn ${i}`,
  dateOfBirth: '2008-01-02',
  gender: 'M',
  idNumber: `001208${String(i).padStart(6, '0')}`,
  className: '12A1',
  pointCode: '01001',
  status: null,
  formNumber: null,
  subjectsCombo: 'LI+NN',
  dossierId: null,
});
const listInput = { examYear: 2026, title: '01001 — Trường thử', withPoint: false, subjectNames: new Map([['LI', 'Vật lí']]) };

async function* rowPages(pages: number, perPage: number, onRead?: (page: number) => void): AsyncGenerator<ExportRow[]> {
  for (let p = 0; p < pages; p++) {
    onRead?.(p);
    yield Array.from({ length: perPage }, (_, i) => row(p * perPage + i));
  }
}

function collect(out: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(chunks)));
    out.on('error', reject);
  });
}

test('a file task is drawn on a render thread and arrives whole', async () => {
  const pool = new RenderPool({ threads: 1, maxQueue: 8 });
  try {
    const xlsx = await pool.run('class-list-template', {});
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['Danh sách lớp', 'Hướng dẫn']);
    const { ranOn } = pool.stats();
    assert.equal(ranOn.length, 1);
    assert.notEqual(ranOn[0], threadId, 'not on the thread that asked');
  } finally {
    await pool.close();
  }
});

test('a stream task writes a file from pages it asks for one at a time', async () => {
  const pool = new RenderPool({ threads: 1, maxQueue: 8 });
  try {
    const out = new PassThrough();
    const file = collect(out);
    const n = await pool.stream('candidate-list', listInput, rowPages(3, 500), out);
    assert.equal(n, 1500);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.rowCount, 1500 + 2, 'the title, the header and every row');
    assert.equal(ws.getRow(3).getCell(2).value, 'Nguyễn Văn 0');
    assert.equal(ws.getRow(3).getCell(9).value, 'Vật lí, NN', 'names from the map sent, codes otherwise');
    assert.ok(!pool.stats().ranOn.includes(threadId));
  } finally {
    await pool.close();
  }
});

test('a client that goes away stops the reading of pages, and the task fails', async () => {
  const pool = new RenderPool({ threads: 1, maxQueue: 8 });
  try {
    const read: number[] = [];
    let stopped = false;
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, cb) {
        // the client reads the first bytes and hangs up
        this.destroy();
        cb();
      },
    });
    const pages = (async function* () {
      try {
        yield* rowPages(50, 2000, (p) => read.push(p));
      } finally {
        stopped = true;
      }
    })();
    await assert.rejects(pool.stream('candidate-list', listInput, pages, out));
    assert.ok(stopped, 'the page source was closed');
    assert.ok(read.length < 50, `stopped after ${read.length} pages of 50`);
  } finally {
    await pool.close();
  }
});

test('a page that cannot be read fails the task with its own error', async () => {
  const pool = new RenderPool({ threads: 1, maxQueue: 8 });
  try {
    const pages = (async function* () {
      yield [row(1)];
      throw new Error('database went away');
    })();
    await assert.rejects(pool.stream('candidate-list', listInput, pages, new PassThrough()), /database went away/);
  } finally {
    await pool.close();
  }
});

test('a full queue refuses with 503 and Retry-After, at once for a stream', async () => {
  // threads take a moment to start: until then the tasks wait (a starting thread counts as room for a few)
  const pool = new RenderPool({ threads: 1, maxQueue: 1, retryAfterSeconds: 3 });
  try {
    const accepted: Array<Promise<Buffer>> = [];
    let refused: unknown;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      const task = pool.run('class-list-template', {});
      // a refusal is already settled: give it a turn to show
      const settled = await Promise.race([task.then(() => 'drawn', (e: unknown) => e), new Promise((r) => setImmediate(() => r('pending')))]);
      if (settled === 'pending') accepted.push(task);
      else refused = settled;
    }
    assert.ok(refused instanceof AppError, `refused after ${accepted.length} tasks`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '3');
    assert.throws(
      () => pool.stream('candidate-list', listInput, rowPages(1, 1), new PassThrough()),
      (e: unknown) => e instanceof AppError && e.status === 503,
      'thrown before anything is written, so a route can still answer 503',
    );
    for (const t of accepted) assert.ok((await t).length > 0, 'every accepted task is still drawn');
  } finally {
    await pool.close();
  }
});

test('RENDER_THREADS=0 draws on the calling thread (for comparisons and profiles)', async () => {
  const pool = new RenderPool({ threads: 0, maxQueue: 1 });
  const out = new PassThrough();
  const file = collect(out);
  assert.equal(await pool.stream('candidate-list', listInput, rowPages(2, 10), out), 20);
  assert.ok((await file).length > 0);
  assert.deepEqual(pool.stats().ranOn, [0]);
  await pool.close();
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P2, P3, YEAR, agent01, dept01, filters, makeCandidates, makeDossier, ministry, officer1, officer3, seedStructure, IN_OFFICIAL, actor } from '../verification/back-office.fixtures.ts';
import { insertUsers } from '../accounts/users.repository.ts';
import { insertCandidates, type NewCandidate } from '../candidates/candidates.repository.ts';
import { dossierInsertPart } from '../dossiers/dossier.repository.ts';
import { runPart } from '../db/write-unit.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { compareVietnameseNames } from '../../domain/names.ts';
import { newId } from '../ids.ts';
import { exportsRoutes } from './routes.ts';
import { prepareCandidateList, PAGE_SIZE } from './export-list.ts';
import { RenderPool } from '../render/pool.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const BIG = Number(process.env['EXPORT_TEST_ROWS'] ?? 20_000);
/** heapUsed retained above the baseline between pages (after gc); holding 20,000 rows with their XML would take well over this */
const HEAP_BOUND_MB = 8;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức', 'Thu', 'Quang', 'Phương', 'Gia', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Cường', 'Diệp', 'Dũng', 'Hà', 'Khôi', 'Lan', 'Minh', 'Nhi', 'Phúc', 'Tâm', 'Ánh', 'Ân', 'Đạt', 'Yến', 'Ơn', 'Ông'];

async function readWorkbook(buf: Buffer | string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  if (typeof buf === 'string') await wb.xlsx.readFile(buf);
  else await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

const values = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

describeEachDb('exports', (get) => {
  let app: FastifyInstance;
  const dept02 = actor('department_officer', '02', '02');

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    const a = await makeCandidates(db, P1, ['Trần Thị Bình', 'Nguyễn Văn An', 'Lê Văn Ăn', 'Nguyễn Văn Anh'], { className: '12A1' });
    await makeCandidates(db, P1, ['Phạm Ngọc Diệp'], { className: '=SUM(A1:A9)' });
    await makeCandidates(db, P1, ['Vũ Thu Hà'], { className: '+12A2' });
    await makeCandidates(db, P2, ['Đỗ Quang Minh'], { className: '12B' });
    await makeCandidates(db, P3, ['Ngô Phương Nhi'], { className: '12A1' });
    await makeDossier(db, a[1]!, 'submitted', { filters: { subjectsCombo: 'LI+NN' } });
    app = await backOfficeTestApp(db, () => IN_OFFICIAL, [exportsRoutes]);
  });
  after(async () => app?.close());

  const get_ = (a: Parameters<typeof as>[0], url: string) => app.inject({ method: 'GET', url, headers: as(a) });

  test('a point’s list: an attachment, Vietnamese name order, the columns, formula-safe cells', async () => {
    const res = await get_(officer1, `/api/exports/points/${P1}/candidates.xlsx`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="danh-sach-01001-2026\.xlsx"/);
    const ws = await readWorkbook(res.rawPayload);
    assert.deepEqual(values(ws, 2), ['STT', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'CCCD', 'Lớp', 'Trạng thái hồ sơ', 'Số phiếu', 'Môn thi', 'Chữ ký']);
    const rows = Array.from({ length: ws.rowCount - 2 }, (_, i) => values(ws, i + 3));
    const names = rows.map((r) => r[1] as string);
    assert.equal(names.length, 6);
    assert.deepEqual(names, [...names].sort(compareVietnameseNames));
    assert.deepEqual(rows.map((r) => r[0]), [1, 2, 3, 4, 5, 6]);
    const an = rows.find((r) => r[1] === 'NGUYỄN VĂN AN')!;
    assert.deepEqual([an[2], an[3], an[6]], ['14/03/2008', 'Nam', 'Đã nộp']);
    assert.match(String(an[8]), /Vật lí|LI/);
    assert.equal(rows.find((r) => r[1] === 'TRẦN THỊ BÌNH')![6], 'Chưa đăng ký');
    const classes = rows.map((r) => String(r[5]));
    assert.ok(classes.includes("'=SUM(A1:A9)") && classes.includes("'+12A2"), `formula-safe: ${classes.join(' ')}`);
    for (let r = 1; r <= ws.rowCount; r++) ws.getRow(r).eachCell((c) => assert.notEqual(c.type, ExcelJS.ValueType.Formula));
  });

  test('one class', async () => {
    const res = await get_(officer1, `/api/exports/points/${P1}/candidates.xlsx?className=12A1`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /danh-sach-01001-12a1-2026\.xlsx/);
    const ws = await readWorkbook(res.rawPayload);
    assert.equal(ws.rowCount - 2, 4);
  });

  test('scope escapes: another point, a department, another department, roles without exports', async () => {
    assert.equal((await get_(officer1, `/api/exports/points/${P3}/candidates.xlsx`)).statusCode, 403);
    assert.equal((await get_(officer1, `/api/exports/points/${P2}/candidates.xlsx?className=12B`)).statusCode, 403);
    // a class the point does not have is said so, not downloaded as an empty file; the case does not matter
    const none = await get_(officer1, `/api/exports/points/${P1}/candidates.xlsx?className=12Z9`);
    assert.equal(none.statusCode, 400, none.body);
    assert.equal(none.json().error.code, 'CLASS_NOT_FOUND');
    assert.equal((await get_(officer1, `/api/exports/points/${P1}/candidates.xlsx?className=12a1`)).statusCode, 200);
    assert.equal((await get_(officer1, '/api/exports/departments/01/candidates.xlsx')).statusCode, 403);
    assert.equal((await get_(dept01, '/api/exports/departments/02/candidates.xlsx')).statusCode, 403);
    assert.equal((await get_(dept01, `/api/exports/points/${P3}/candidates.xlsx`)).statusCode, 403);
    assert.equal((await get_(officer3, `/api/exports/points/${P1}/candidates.xlsx`)).statusCode, 403);
    assert.equal((await get_(agent01, `/api/exports/points/${P1}/candidates.xlsx`)).statusCode, 403);
    assert.equal((await get_(ministry, '/api/exports/departments/01/candidates.xlsx')).statusCode, 403);
    assert.equal((await get_(officer1, '/api/exports/points/org-99999/candidates.xlsx')).statusCode, 404);
    assert.equal((await get_(dept01, '/api/exports/departments/1x/candidates.xlsx')).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: `/api/exports/points/${P1}/candidates.xlsx` })).statusCode, 401);
    // a department's own points are in reach
    assert.equal((await get_(dept01, `/api/exports/points/${P2}/candidates.xlsx`)).statusCode, 200);
    assert.equal((await get_(dept02, `/api/exports/points/${P3}/candidates.xlsx`)).statusCode, 200);
  });

  test(`a province of ${BIG} rows streams in pages with bounded memory`, async () => {
    const db = get().db;
    // a bulk load: no sort keys, as the seed would leave them
    const list: NewCandidate[] = [];
    for (let i = 0; i < BIG; i++) {
      const fullName = `${FAMILY[i % FAMILY.length]} ${MIDDLE[Math.floor(i / 7) % MIDDLE.length]} ${GIVEN[Math.floor(i / 3) % GIVEN.length]}`;
      list.push({ id: newId(), userId: newId(), examYear: YEAR, pointId: i % 2 ? P1 : P2, departmentCode: '01', idKind: 'cccd', idNumber: `0013080${String(i).padStart(5, '0')}`, fullName, gender: i % 2 ? 'M' : 'F', dateOfBirth: '2008-01-02', birthProvince: '01', className: `12A${i % 12}`, candidateType: 'current' });
    }
    for (let i = 0; i < BIG; i += 1000) {
      const chunk = list.slice(i, i + 1000);
      await db.write(async (trx) => {
        await insertUsers(trx, chunk.map((c) => ({ id: c.userId, username: c.idNumber, role: 'candidate' as const, orgUnitId: c.pointId, displayName: c.fullName, passwordHash: null, mustChangePassword: true })), IN_OFFICIAL);
        await insertCandidates(trx, chunk, IN_OFFICIAL);
        for (const [j, c] of chunk.entries()) {
          if (j % 10 !== 0) continue;
          await runPart(
            trx,
            dossierInsertPart(
              { id: newId(), code: dossierCode('01', YEAR, 500_000 + i + j), candidateId: c.id, examYear: YEAR, isTrial: false, status: 'submitted', dataJson: '{}', filters: filters(), summary: { key: 'fixture', findingsJson: '[]', tasksJson: '[]' }, pointId: c.pointId, departmentCode: '01', channel: 'online', submittedAt: IN_OFFICIAL.toISOString() },
              IN_OFFICIAL,
            ),
          );
        }
      });
    }
    await db.writer.updateTable('candidates').set({ sort_key: null }).where('department_code', '=', '01').where('id_number', 'like', '0013080%').execute();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-export-'));
    const file = path.join(dir, 'province.xlsx');
    const render = new RenderPool({ threads: 1, maxQueue: 4 });
    try {
      const pages: number[] = [];
      let peak = 0;
      let retained = 0;
      gc();
      const base = process.memoryUsage().heapUsed;
      const sample = () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      };
      const timer = setInterval(sample, 5);
      // the render thread's live heap at each page it asks for; the first is its start (exceljs loaded)
      const workerHeaps: number[] = [];
      const prepared = await prepareCandidateList({ db, actor: dept01, now: IN_OFFICIAL, ip: null, log: pino({ level: 'silent' }) }, render, { departmentCode: '01' }, {
        onPage: (n) => {
          pages.push(n);
          sample();
          // what the export holds between pages, garbage collected: this is what must not grow with the rows
          gc();
          retained = Math.max(retained, process.memoryUsage().heapUsed - base);
        },
        onWorkerHeap: (bytes) => workerHeaps.push(bytes),
      });
      const out = fs.createWriteStream(file);
      const closed = new Promise<void>((r) => out.on('close', () => r()));
      const n = await prepared.write(out);
      await closed;
      clearInterval(timer);
      sample();
      const peakMb = peak / 1024 / 1024;
      const retainedMb = retained / 1024 / 1024;
      const workerRetainedMb = (Math.max(...workerHeaps) - workerHeaps[0]!) / 1024 / 1024;
      console.log(
        `# export of ${n} rows: retained heapUsed delta (after gc, between pages) ${retainedMb.toFixed(1)} MB here and ${workerRetainedMb.toFixed(1)} MB on the render thread, peak without gc ${peakMb.toFixed(1)} MB, file ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${pages.length} pages`,
      );
      assert.equal(n, BIG + 7, 'every candidate of the province, the fixtures included');
      assert.ok(pages.length >= Math.ceil(BIG / PAGE_SIZE), `read in pages (${pages.length})`);
      assert.ok(pages.every((p) => p <= PAGE_SIZE), 'no page above the page size');
      assert.ok(retainedMb < HEAP_BOUND_MB, `retained heap delta ${retainedMb.toFixed(1)} MB < ${HEAP_BOUND_MB} MB`);
      assert.ok(workerHeaps.length >= pages.length, `the render thread asked for every page (${workerHeaps.length})`);
      assert.ok(workerRetainedMb < HEAP_BOUND_MB, `render thread's retained heap delta ${workerRetainedMb.toFixed(1)} MB < ${HEAP_BOUND_MB} MB`);
      assert.ok(render.stats().ranOn.length > 0 && !render.stats().ranOn.includes(0), 'written on a render thread, not the main thread');

      const ws = await readWorkbook(file);
      assert.equal(ws.rowCount, BIG + 7 + 2);
      assert.equal(values(ws, 2)[6], 'Điểm tiếp nhận');
      const names: string[] = [];
      for (let r = 3; r <= ws.rowCount; r += 97) names.push(String(values(ws, r)[1]));
      assert.deepEqual(names, [...names].sort(compareVietnameseNames), 'Vietnamese order across pages');
      assert.equal(values(ws, ws.rowCount)[0], BIG + 7);
    } finally {
      await render.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sheetReader } from './read-sheet.ts';
import { closeRenderPool, renderPool } from './pool.ts';
import { readClassList } from '../accounts/class-list-file.ts';
import { AppError } from '../http/errors.ts';
import type { Services } from '../context.ts';

// only what the render pool reads of the services
const services = { config: { RENDER_THREADS: 1, RENDER_QUEUE_MAX: 8 } } as unknown as Services;

test('an uploaded workbook is read on a render thread, to the same rows as on the calling thread', async () => {
  try {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Lớp');
    ws.addRow(['STT', 'Họ và tên', 'Ngày sinh']);
    for (let i = 1; i <= 500; i++) ws.addRow([String(i), `Nguyễn Văn ${i}`, '14/03/2008']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const offThread = await sheetReader(services)(buf, 'lop.xlsx');
    assert.deepEqual(offThread, await readClassList(buf, 'lop.xlsx'));
    assert.equal(offThread.rows.length, 501);
    assert.ok(renderPool(services).stats().ranOn.some((id) => id !== 0), 'read on a render thread');
  } finally {
    await closeRenderPool(services);
  }
});

test('a refusal on the render thread arrives as the same error, with its code and details', async () => {
  try {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Lớp');
    for (let i = 0; i < 100; i++) ws.addRow([`Người ${i}`]);
    const big = Buffer.from(await wb.xlsx.writeBuffer());
    await assert.rejects(sheetReader(services)(big, 'lop.xlsx', 10), (e: unknown) => e instanceof AppError && e.code === 'TOO_MANY_ROWS' && e.status === 422 && (e.details as { max: number }).max === 10 && /quá nhiều dòng/.test(e.vi));
    await assert.rejects(sheetReader(services)(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'old.xls'), (e: unknown) => e instanceof AppError && e.code === 'FILE_FORMAT_XLS');
  } finally {
    await closeRenderPool(services);
  }
});

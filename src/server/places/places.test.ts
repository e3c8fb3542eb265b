import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { IN_OFFICIAL, dept01, officer1, seedStructure } from '../verification/back-office.fixtures.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { placesRoutes } from './routes.ts';
import { schoolAreaLookup } from './places.ts';

function multipart(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----ghidanh' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(text, 'utf8'), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDb('places by name', (get) => {
  let app: FastifyInstance;
  before(async () => {
    await seedStructure(get().db);
    app = await backOfficeTestApp(get().db, () => IN_OFFICIAL, [placesRoutes]);
  });
  after(async () => app?.close());

  test('the 34 provinces and a province’s communes are public and cacheable', async () => {
    const p = await app.inject({ method: 'GET', url: '/api/reference/provinces' });
    assert.equal(p.statusCode, 200);
    const provinces = (p.json() as { provinces: Array<{ code: string; formerProvinces: unknown[] }> }).provinces;
    assert.equal(provinces.length, 34);
    assert.match(String(p.headers['cache-control']), /public, max-age=86400/);
    const c = await app.inject({ method: 'GET', url: '/api/reference/provinces/01/communes' });
    assert.equal(c.statusCode, 200);
    const communes = (c.json() as { communes: Array<{ code: string; name: string }> }).communes;
    assert.equal(communes.length, 126);
    assert.ok(communes.some((x) => x.code === '00004' && x.name === 'Phường Ba Đình'));
    const all = await Promise.all(provinces.map((x) => app.inject({ method: 'GET', url: `/api/reference/provinces/${x.code}/communes` })));
    assert.equal(all.reduce((n, r) => n + (r.json() as { communes: unknown[] }).communes.length, 0), 3321);
    assert.equal((await app.inject({ method: 'GET', url: '/api/reference/provinces/99/communes' })).statusCode, 404);
  });

  test('a department imports its schools: good rows stored, each bad row reported with its reason', async () => {
    const csv = [
      'ma_truong,ten_truong,ma_xa,khu_vuc,noi_tru',
      '001,Trường THPT Phan Đình Phùng,00004,KV3,',
      '002,Truong THPT Khong Dau,00004,KV3,',
      '003,Trường PTDT Nội trú Hà Nội,,KV2,x',
      '004,Trường THPT Ngoài Tỉnh,99999,KV3,',
      '005,Trường THPT Sai Khu Vực,,KV9,',
      '001,Trường THPT Trùng Mã,,KV3,',
    ].join('\n');
    const up = (who = dept01) => {
      const m = multipart('truong.csv', csv);
      return app.inject({ method: 'POST', url: '/api/departments/01/schools', payload: m.payload, headers: { ...m.headers, ...as(who) } });
    };
    const res = await up();
    assert.equal(res.statusCode, 201, res.body);
    const report = res.json() as { imported: number; errors: number; rows: Array<{ row: number; findings: Array<{ code: string }> }> };
    assert.equal(report.imported, 2);
    assert.deepEqual(
      report.rows.filter((r) => r.findings.length > 0).map((r) => [r.row, r.findings.map((f) => f.code).join()]),
      [
        [3, 'SCHOOL_NAME_NO_DIACRITICS'],
        [5, 'SCHOOL_COMMUNE'],
        [6, 'SCHOOL_AREA'],
        [7, 'SCHOOL_DUPLICATE'],
      ],
    );
    const list = (await app.inject({ method: 'GET', url: '/api/reference/provinces/01/schools' })).json() as { schools: Array<{ code: string; area: string; residenceBased: boolean }> };
    assert.deepEqual(list.schools.map((s) => [s.code, s.area, s.residenceBased]).sort(), [['001', 'KV3', false], ['003', 'KV2', true]]);
    const { lookup } = await schoolAreaLookup(get().db.read);
    assert.deepEqual(lookup.school('01', '001'), { area: 'KV3', residenceBased: false });
    assert.equal(lookup.knowsSchoolsOf?.('02'), false);
    assert.equal((await listAudit(get().db.read, { all: true }, { action: 'schools.imported', limit: 5 })).length, 1);
    // a point officer manages no department's list
    assert.equal((await up(officer1)).statusCode, 403);
  });
});

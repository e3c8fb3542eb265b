// The dashboard's figures as its readers need them: every province and every point listed by name (those
// with nothing yet at zero), a unit's name and the way back up, within the reader's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { addCounterRows } from './stats.repository.ts';
import { IN_OFFICIAL, YEAR, P1, P2, dept01, makeCandidates, makeDossier, ministry, officer1, seedStructure } from '../verification/back-office.fixtures.ts';
import { statsRoutes } from './routes.ts';
import type { Actor } from '../policy/policy.ts';

describeEachDb('dashboard figures by name', (get) => {
  let app: FastifyInstance;
  before(async () => {
    const db = get().db;
    await seedStructure(db);
    const [a] = await makeCandidates(db, P1, ['Nguyễn Văn An'], { dob: '2008-03-14' });
    await makeDossier(db, a!, 'submitted');
    // candidates counted under a department with no organisation unit set up here (Hà Giang, merged into
    // Tuyên Quang on 1 July 2025)
    await db.write((trx) => addCounterRows(trx, [{ examYear: YEAR, level: 'department', unit: '05', metric: 'accounts', shard: 0, value: 3 }]));
    app = await backOfficeTestApp(db, () => IN_OFFICIAL, [statsRoutes]);
  });
  after(async () => app?.close());

  const get_ = (a: Actor, url: string) => app.inject({ method: 'GET', url, headers: as(a) });
  type Item = { unit: string; code: string; name: string; registered: number; candidates: number; province: { code: string; name: string } | null };

  test('the nation lists every department by name with its province since the merger, those with nothing yet at zero', async () => {
    const r = await get_(ministry, '/api/stats/breakdown?level=national');
    assert.equal(r.statusCode, 200, r.body);
    const items = (r.json() as { items: Item[] }).items;
    assert.deepEqual(items.map((i) => [i.unit, i.code, i.name]), [['01', '01', 'Sở Hà Nội'], ['02', '02', 'Sở TP.HCM'], ['05', '05', 'Sở GD&ĐT Hà Giang']]);
    assert.equal(items.find((i) => i.code === '02')!.registered, 0, 'a province with no registration is listed, at zero');
    // the 34 provinces candidates choose from: each department says which one it lies in
    assert.deepEqual(items.map((i) => i.province?.name), ['Hà Nội', 'TP. Hồ Chí Minh', 'Tuyên Quang']);
    assert.equal(items.find((i) => i.code === '05')!.candidates, 3, 'a department with candidates is listed with them');
    // its drill-down is named too
    const d = (await get_(ministry, '/api/stats/summary?level=department&unit=05')).json() as { unitName: string };
    assert.equal(d.unitName, 'Sở GD&ĐT Hà Giang');
  });

  test("a department lists its points by name, and a point's summary names it and its department", async () => {
    const r = await get_(dept01, '/api/stats/breakdown?level=department&unit=01');
    assert.equal(r.statusCode, 200, r.body);
    const items = (r.json() as { items: Item[] }).items;
    assert.deepEqual(items.map((i) => [i.unit, i.code, i.name]), [[P1, '01001', 'THPT Chu Văn An'], [P2, '01002', 'THPT Việt Đức']]);
    const s = await get_(dept01, `/api/stats/summary?level=point&unit=${P1}`);
    assert.equal(s.statusCode, 200, s.body);
    const summary = s.json() as { unitName: string; parent: { unit: string; name: string } | null };
    assert.equal(summary.unitName, 'THPT Chu Văn An');
    assert.deepEqual(summary.parent, { unit: '01', name: 'Sở Hà Nội' });
    const d = (await get_(dept01, '/api/stats/summary?level=department&unit=01')).json() as { unitName: string; parent: unknown };
    assert.equal(d.unitName, 'Sở Hà Nội');
    assert.equal(d.parent, null);
  });

  test("another department's figures stay refused", async () => {
    assert.equal((await get_(dept01, '/api/stats/breakdown?level=department&unit=02')).statusCode, 403);
    assert.equal((await get_(officer1, '/api/stats/breakdown?level=national')).statusCode, 403);
  });
});

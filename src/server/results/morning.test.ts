// The results morning (issue 22, item 5): nothing shown before the release instant, everything from its
// very second, the public look-up's snapshot, its throttle and its refresh after a new publication.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, IN_CORRECTION, YEAR, dept01, ministry, makeCandidates, makeDossier, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor, UserActor } from '../policy/policy.ts';
import { publicResultShape } from '../../contracts/results.ts';
import { THROTTLE_RULES } from '../accounts/throttle.ts';
import { resultsRoutes } from './routes.ts';
import { forgetResultsMorning } from './morning.ts';

const dept01b: Actor = { ...dept01, userId: 'u-department_officer-01-second' };
const RELEASE = new Date('2026-07-16T01:00:00.000Z'); // 08:00 in Vietnam

function upload(text: string): { payload: Buffer; headers: Record<string, string> } {
  const b = 'morningboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="diem.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describeEachDb('results morning: release instant, own results, public look-up', (get) => {
  let app: FastifyInstance;
  let an: MadeCandidate;
  let now = IN_CORRECTION;
  const candidate = (c: MadeCandidate): UserActor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });

  before(async () => {
    const db: Db = get().db;
    await seedStructure(db);
    [an] = (await makeCandidates(db, P1, ['Nguyễn Văn An'])) as [MadeCandidate];
    await makeDossier(db, an, 'verified');
    await db.write((trx) =>
      trx
        .updateTable('dossiers')
        .set({ data: JSON.stringify({ status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' }, purpose: 'both', subjects: { electives: ['LI', 'NN'], foreignLanguage: 'N1' } }), programme: 'CT2018' })
        .where('candidate_id', '=', an.candidateId)
        .execute(),
    );
    await db.write((trx) => trx.insertInto('candidate_numbers').values({ candidate_id: an.candidateId, exam_year: YEAR, department_code: '01', number: '01000001', serial: 1, site_id: 'site', withdrawn: 0, assigned_at: 'x', updated_at: 'x' }).execute());
    app = await backOfficeTestApp(db, () => now, [resultsRoutes]);
  });
  after(async () => {
    forgetResultsMorning(get().db);
    await app?.close();
  });

  const lookup = (n: string, ip = '10.0.0.1') => app.inject({ method: 'GET', url: `/api/public/results/${n}`, remoteAddress: ip });
  const mine = () => app.inject({ method: 'GET', url: '/api/results/me', headers: as(candidate(an)) });
  async function publishMarks(csv: string): Promise<void> {
    const u = upload(csv);
    const staged = await app.inject({ method: 'POST', url: '/api/results/departments/01/imports', payload: u.payload, headers: { ...u.headers, ...as(dept01) } });
    assert.equal(staged.statusCode, 201, staged.body);
    const pub = await app.inject({ method: 'POST', url: `/api/results/departments/01/imports/${staged.json().import.id}/publish`, headers: as(dept01b) });
    assert.equal(pub.statusCode, 200, pub.body);
  }

  test('only the ministry sets the release; 08:00 Vietnam time by default; audited', async () => {
    const refused = await app.inject({ method: 'PUT', url: '/api/results/release', payload: { date: '2026-07-16' }, headers: as(dept01) });
    assert.equal(refused.statusCode, 403);
    const res = await app.inject({ method: 'PUT', url: '/api/results/release', payload: { date: '2026-07-16' }, headers: as(ministry) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().at, RELEASE.toISOString());
    assert.equal(res.json().localTime, '08:00');
    const audit = await get().db.read.selectFrom('audit_log').selectAll().where('action', '=', 'results.release_set').execute();
    assert.equal(audit.length, 1);
  });

  test('before the instant: published marks are hidden from the candidate and the public (no-store)', async () => {
    await publishMarks('Số báo danh,Mã môn,Điểm,Kỷ luật\n01000001,TOAN,"7,5",KT\n01000001,VAN,6.75,\n01000001,LI,V,\n01000001,NN,7,\n');
    now = new Date(RELEASE.getTime() - 1);
    const pub = await lookup('01000001');
    assert.equal(pub.statusCode, 404);
    assert.equal(pub.json().error.code, 'RESULTS_NOT_RELEASED');
    assert.match(pub.json().error.vi, /chưa được công bố/);
    assert.equal(pub.headers['cache-control'], 'no-store');
    const own = await mine();
    assert.equal(own.statusCode, 404);
    assert.equal(own.json().error.code, 'RESULTS_NOT_RELEASED');
  });

  test('from the second of the release: the candidate sees everything, the public the marks and the result only', async () => {
    now = RELEASE;
    const pub = await lookup('01000001');
    assert.equal(pub.statusCode, 200, pub.body);
    assert.match(String(pub.headers['cache-control']), /^public, max-age=\d+$/);
    const body = publicResultShape.parse(pub.json());
    assert.deepEqual(
      body.papers.map((p) => [p.subject, p.vi]),
      [
        ['TOAN', '7,50 (KT)'],
        ['VAN', '6,75'],
        ['LI', 'Vắng'],
        ['NN', '7,00'],
      ].sort((a, b) => body.papers.findIndex((p) => p.subject === a[0]) - body.papers.findIndex((p) => p.subject === b[0])),
    );
    assert.equal(body.graduation.status, 'failed');
    // nothing that names the person
    const text = pub.body;
    for (const s of [an.fullName, an.idNumber, '2008-03-14']) assert.ok(!text.includes(s), s);
    const own = await mine();
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().number, '01000001');
    assert.equal(own.json().graduation.status, 'failed');
    assert.equal(own.json().papers.length, 4);
    assert.ok(own.json().reasons.length > 0);
    // once released, the instant cannot move
    const move = await app.inject({ method: 'PUT', url: '/api/results/release', payload: { date: '2026-07-20' }, headers: as(ministry) });
    assert.equal(move.statusCode, 409);
    assert.equal(move.json().error.code, 'RESULTS_ALREADY_RELEASED');
  });

  test('an unknown number: a clear bilingual answer', async () => {
    const res = await lookup('01999999');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'RESULT_NOT_FOUND');
    assert.match(res.json().error.vi, /01999999/);
    assert.match(res.json().error.en, /01999999/);
    assert.equal((await lookup('abc')).statusCode, 400);
  });

  test('a new publication version reaches the look-up (this process at once, any process within a second)', async () => {
    await publishMarks('Số báo danh,Mã môn,Điểm,Kỷ luật\n01000001,LI,8.25,\n');
    const res = (await lookup('01000001')).json();
    assert.equal(res.papers.find((p: { subject: string }) => p.subject === 'LI').vi, '8,25');
    // another process learns of it from the publication stamp, checked once a second
    await get().db.write((trx) => trx.updateTable('result_imports').set({ status: 'superseded' }).where('version', '=', 2).execute());
    await get().db.write((trx) => trx.updateTable('exam_results').set({ detail: JSON.stringify({ parts: [], marks: { LI: { kind: 'absent' } } }) }).execute());
    await new Promise((r) => setTimeout(r, 1100));
    await lookup('01000001'); // starts the check and the build
    await new Promise((r) => setTimeout(r, 300));
    const later = (await lookup('01000001')).json();
    assert.equal(later.papers.find((p: { subject: string }) => p.subject === 'LI').vi, 'Vắng');
  });

  test('the look-up is throttled per address, with Retry-After; another address goes on', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < THROTTLE_RULES.resultsLookup.limit; i++) assert.equal((await lookup('01000001', ip)).statusCode, 200);
    const over = await lookup('01000001', ip);
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().error.code, 'RESULTS_LOOKUP_THROTTLED');
    assert.ok(Number(over.headers['retry-after']) >= 1);
    assert.equal((await lookup('01000001', '10.9.9.10')).statusCode, 200);
  });
});

// The published results' figures on both databases: a small known set of marks published by a council
// gives the distribution and the graduation rates expected, a second publication refreshes them, a
// missing row is recounted on read, the reviews counted from the review feature, and the scope
// holds (a department its own, the ministry any and the nation, a point nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P3, IN_CORRECTION, dept01, makeCandidates, makeDossier, ministry, officer1, seedStructure, YEAR, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import { resultsRoutes } from '../results/routes.ts';
import { resultsStatsRoutes } from './routes.ts';

const dept01b: Actor = { ...dept01, userId: 'u-department_officer-01-second' };
const dept02: Actor = { ...dept01, userId: 'u-department_officer-02', orgUnitId: 'org-02', departmentCode: '02' };
const dept02b: Actor = { ...dept01, userId: 'u-department_officer-02-second', orgUnitId: 'org-02', departmentCode: '02' };

const DOSSIER = {
  contact: { phone: '0912345678', address: 'Hà Nội' },
  status: { candidateType: 'current', graduated: false, programme: 'CT2018', track: 'THPT' },
  purpose: 'both',
  subjects: { electives: ['LI', 'NN'], foreignLanguage: 'N1' },
};

function upload(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const b = 'statsboundary';
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

async function prepare(db: Db, c: MadeCandidate, n: string, type: 'current' | 'free'): Promise<void> {
  await makeDossier(db, c, 'verified');
  await db.write(async (trx) => {
    await trx.updateTable('dossiers').set({ data: JSON.stringify(DOSSIER), programme: 'CT2018' }).where('candidate_id', '=', c.candidateId).execute();
    await trx.updateTable('candidates').set({ candidate_type: type }).where('id', '=', c.candidateId).execute();
    await trx.insertInto('candidate_numbers').values({ candidate_id: c.candidateId, exam_year: YEAR, department_code: c.departmentCode, number: n, serial: Number(n.slice(2)), site_id: 'site', withdrawn: 0, assigned_at: 'x', updated_at: 'x' }).execute();
  });
}

interface Paper { subject: string; count: number; absent: number; bands: number[]; mean: number | null; median: number | null; modes: number[]; atOrBelow1: number; below5: number; atLeast5: number; atLeast8: number; tens: number }
interface Grad { passed: number; failed: number; incomplete: number; notApplicable: number; rate: number | null }
interface Stats {
  councils: Array<{ departmentCode: string; version: number }>;
  papers: Paper[];
  graduation: { total: Grad; byCandidateType: Record<string, Grad> };
  provinces: Array<{ code: string; name: string; version: number | null; graduation: Grad; means: Record<string, number | null> }>;
  reviews: { requested: number; decided: number; changed: number; bySubject: Record<string, { requested: number; changed: number }> } | null;
}

describeEachDb('results statistics: distributions, graduation rates, reviews, scope', (get) => {
  let app: FastifyInstance;
  let people: MadeCandidate[] = [];
  let nhi: MadeCandidate;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    people = await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Chi', 'Phạm Văn Dũng', 'Hoàng Thị Em']);
    [nhi] = (await makeCandidates(db, P3, ['Ngô Phương Nhi'])) as [MadeCandidate];
    const types = ['current', 'current', 'current', 'free', 'free'] as const;
    for (const [i, c] of people.entries()) await prepare(db, c, `0100000${i + 1}`, types[i]!);
    await prepare(db, nhi, '02000001', 'current');
    app = await backOfficeTestApp(db, () => IN_CORRECTION, [resultsRoutes, resultsStatsRoutes]);
  });
  after(async () => app?.close());

  const send = (a: Actor, url: string, name: string, text: string) => {
    const u = upload(name, text);
    return app.inject({ method: 'POST', url, payload: u.payload, headers: { ...u.headers, ...as(a) } });
  };
  /** a council's file, staged by one officer and published by a second */
  async function publishMarks(dept: string, csv: string): Promise<void> {
    const [up, pub] = dept === '01' ? [dept01, dept01b] : [dept02, dept02b];
    const staged = await send(up, `/api/results/departments/${dept}/imports`, 'diem.csv', csv);
    assert.equal(staged.statusCode, 201, staged.body);
    assert.equal(staged.json().findings.length, 0, staged.body);
    const r = await app.inject({ method: 'POST', url: `/api/results/departments/${dept}/imports/${staged.json().import.id}/publish`, headers: as(pub) });
    assert.equal(r.statusCode, 200, r.body);
  }
  const averages = async (cs: MadeCandidate[]) => {
    const csv = ['Số định danh,Điểm TB lớp 10,Điểm TB lớp 11,Điểm TB lớp 12', ...cs.map((c) => `${c.idNumber},7,7,7`)].join('\n');
    const r = await send(officer1, `/api/results/points/${P1}/averages`, 'tb.csv', csv);
    assert.equal(r.json().saved, cs.length, r.body);
  };
  const stats = async (a: Actor, q: string) => {
    const r = await app.inject({ method: 'GET', url: `/api/stats/results?${q}`, headers: as(a) });
    return { status: r.statusCode, body: r.json() as Stats, raw: r.body };
  };
  const paper = (s: Stats, code: string) => s.papers.find((p) => p.subject === code)!;

  test('before any publication: no papers, no rate, every province listed at zero, reviews not yet', async () => {
    const s = await stats(ministry, 'level=national');
    assert.equal(s.status, 200, s.raw);
    assert.deepEqual(s.body.papers, []);
    assert.equal(s.body.graduation.total.rate, null);
    assert.deepEqual(s.body.provinces.map((p) => [p.code, p.version]), [['01', null], ['02', null]]);
    assert.deepEqual(s.body.reviews, { requested: 0, decided: 0, changed: 0, bySubject: {} });
  });

  test('a known set: bands, mean, median, mode, the eliminating-mark count, and graduation by candidate type', async () => {
    // Toán: 0.5, 1, 5, 6.5, 6.5; the other three papers 8 each; Chi and Dũng have their averages (7)
    await averages([people[2]!, people[3]!]);
    const toan = ['0.5', '1', '5', '6.5', '6.5'];
    const rows = people.flatMap((c, i) => [`0100000${i + 1},TOAN,${toan[i]}`, `0100000${i + 1},VAN,8`, `0100000${i + 1},LI,8`, `0100000${i + 1},NN,8`]);
    await publishMarks('01', ['Số báo danh,Mã môn,Điểm', ...rows].join('\n'));
    await publishMarks('02', 'Số báo danh,Mã môn,Điểm\n02000001,TOAN,9\n02000001,VAN,V\n');

    const s = await stats(dept01, 'level=department&unit=01');
    assert.equal(s.status, 200, s.raw);
    assert.deepEqual(s.body.councils.map((c) => [c.departmentCode, c.version]), [['01', 1]]);
    assert.deepEqual(s.body.papers.map((p) => p.subject), ['TOAN', 'VAN', 'NN', 'LI'], 'in the reference order of subjects');
    const t = paper(s.body, 'TOAN');
    assert.equal(t.count, 5);
    assert.equal(t.bands.length, 41);
    assert.deepEqual([t.bands[2], t.bands[4], t.bands[20], t.bands[26]], [1, 1, 1, 2]);
    assert.equal(t.bands.reduce((a, b) => a + b, 0), 5);
    assert.equal(t.mean, 3.9); // (0.5 + 1 + 5 + 6.5 + 6.5) / 5
    assert.equal(t.median, 5);
    assert.deepEqual(t.modes, [6.5]);
    assert.deepEqual([t.atOrBelow1, t.below5, t.atLeast5, t.atLeast8, t.tens], [2, 2, 3, 0, 0]);
    assert.deepEqual([paper(s.body, 'VAN').count, paper(s.body, 'VAN').mean, paper(s.body, 'VAN').atLeast8], [5, 8, 5]);
    // An and Bình fail on Toán ≤ 1; Chi and Dũng pass; Em waits on averages
    const g = s.body.graduation;
    assert.deepEqual([g.total.passed, g.total.failed, g.total.incomplete, g.total.rate], [2, 2, 1, 50]);
    assert.deepEqual([g.byCandidateType.current!.passed, g.byCandidateType.current!.failed, g.byCandidateType.current!.rate], [1, 2, 33.33]);
    assert.deepEqual([g.byCandidateType.free!.passed, g.byCandidateType.free!.incomplete, g.byCandidateType.free!.rate], [1, 1, 100]);
    assert.deepEqual(s.body.provinces, [], 'a department sees no province table');

    // the nation adds the councils: Toán has six scores, Văn an absence
    const n = await stats(ministry, 'level=national');
    assert.equal(n.status, 200, n.raw);
    assert.equal(paper(n.body, 'TOAN').count, 6);
    assert.equal(paper(n.body, 'TOAN').atLeast8, 1);
    assert.equal(paper(n.body, 'TOAN').median, 5.75);
    assert.deepEqual([paper(n.body, 'VAN').count, paper(n.body, 'VAN').absent], [5, 1]);
    assert.deepEqual(n.body.provinces.map((p) => [p.code, p.name, p.version, p.graduation.rate, p.means['TOAN']]), [['01', 'Sở Hà Nội', 1, 50, 3.9], ['02', 'Sở TP.HCM', 1, 0, 9]]);
    // the ministry may read any province too
    assert.equal((await stats(ministry, 'level=department&unit=02')).body.papers[0]!.subject, 'TOAN');
  });

  test('a second publication refreshes the figures with its version', async () => {
    // Em's averages arrive and her Toán becomes 10
    await averages([people[4]!]);
    const toan = ['0.5', '1', '5', '6.5', '10'];
    await publishMarks('01', ['Số báo danh,Mã môn,Điểm', ...people.map((_, i) => `0100000${i + 1},TOAN,${toan[i]}`)].join('\n'));
    const s = await stats(dept01, 'level=department&unit=01');
    assert.deepEqual(s.body.councils.map((c) => [c.departmentCode, c.version]), [['01', 2]]);
    const t = paper(s.body, 'TOAN');
    assert.deepEqual([t.count, t.mean, t.median, t.tens, t.atLeast8, t.bands[26], t.bands[40]], [5, 4.6, 5, 1, 1, 1, 1]);
    assert.deepEqual(t.modes, [0.5, 1, 5, 6.5, 10]);
    assert.equal(paper(s.body, 'VAN').count, 5, 'papers the file did not contain are still counted');
    const g = s.body.graduation;
    assert.deepEqual([g.total.passed, g.total.failed, g.total.incomplete, g.total.rate], [3, 2, 0, 60]);
    assert.equal(g.byCandidateType.free!.passed, 2);
    const stored = await get().db.read.selectFrom('result_stats').select(['department_code', 'version']).orderBy('department_code').execute();
    assert.deepEqual(stored.map((r) => [r.department_code, r.version]), [['01', 2], ['02', 1]]);
  });

  test('a council without its row (published before the figures existed) is counted once on read', async () => {
    const db = get().db;
    await db.write((trx) => trx.deleteFrom('result_stats').where('department_code', '=', '02').execute());
    const n = await stats(ministry, 'level=national');
    assert.equal(paper(n.body, 'TOAN').count, 6);
    const row = await db.read.selectFrom('result_stats').select('version').where('department_code', '=', '02').executeTakeFirst();
    assert.equal(row?.version, 1);
  });

  test('scope: a department reads only its own, a point and another department are refused', async () => {
    assert.equal((await stats(dept02, 'level=department&unit=01')).status, 403);
    assert.equal((await stats(dept01, 'level=national')).status, 403);
    assert.equal((await stats(officer1, 'level=department&unit=01')).status, 403);
    assert.equal((await stats(dept02, 'level=department&unit=02')).status, 200);
    assert.equal((await stats(dept01, 'level=department')).status, 400);
  });

  test('the reviews: papers asked for in requests not withdrawn, decided and changed, per council and nation', async () => {
    const db = get().db;
    await db.write(async (trx) => {
      const req = (id: string, dept: string, status: string) => ({ id, exam_year: YEAR, candidate_id: `c-${id}`, user_id: `u-${id}`, department_code: dept, point_id: 'p', number: `${dept}000001`, status, papers: 1, fee_per_paper_vnd: 30000, fee_total_vnd: 30000, payment: 'at_point', requested_at: '2026-07-16T01:00:00.000Z' });
      await sql`insert into review_requests ${sql.raw('(id, exam_year, candidate_id, user_id, department_code, point_id, number, status, papers, fee_per_paper_vnd, fee_total_vnd, payment, requested_at)')} values ${sql.join(
        [req('a', '01', 'done'), req('b', '01', 'done'), req('w', '01', 'withdrawn'), req('c', '02', 'requested')].map((r) => sql`(${sql.join(Object.values(r))})`),
      )}`.execute(trx);
      const item = (request: string, dept: string, subject: string, outcome: string | null) => sql`(${sql.join([request, YEAR, `c-${request}`, dept, subject, 'multiple_choice', outcome ? request : 'open', 500, outcome])})`;
      await sql`insert into review_items (request_id, exam_year, candidate_id, department_code, subject, paper_kind, open_key, original_score_centi, outcome) values ${sql.join([
        item('a', '01', 'TOAN', 'changed'),
        item('b', '01', 'TOAN', 'unchanged'),
        item('a', '01', 'VAN', null),
        item('w', '01', 'TOAN', null),
        item('c', '02', 'TOAN', null),
      ])}`.execute(trx);
    });
    const d = await stats(dept01, 'level=department&unit=01');
    assert.deepEqual(d.body.reviews, { requested: 3, decided: 2, changed: 1, bySubject: { TOAN: { requested: 2, changed: 1 }, VAN: { requested: 1, changed: 0 } } });
    const n = await stats(ministry, 'level=national');
    assert.equal(n.body.reviews?.requested, 4);
  });
});

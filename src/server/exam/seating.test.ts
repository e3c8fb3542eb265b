import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P2, P3, IN_CORRECTION, IN_OFFICIAL, YEAR, actor, dept01, makeCandidates, makeDossier, officer1, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import { examRoutes } from './routes.ts';

describeEachDb('exam seating', (get) => {
  let app: FastifyInstance;
  let now = IN_CORRECTION;
  const dept02 = actor('department_officer', '02', '02');
  const made: MadeCandidate[] = [];

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    // P1: four verified (one without electives on file), one only submitted; P2: two verified; P3 is another department
    const p1 = await makeCandidates(db, P1, ['Trần Thị Bình', 'Nguyễn Văn An', 'Lê Văn Ăn', 'Phạm Ngọc Diệp', 'Vũ Thu Hà']);
    const p2 = await makeCandidates(db, P2, ['Đỗ Quang Minh', 'Bùi Gia Anh']);
    const p3 = await makeCandidates(db, P3, ['Ngô Phương Nhi']);
    made.push(...p1, ...p2, ...p3);
    for (const c of [...p1.slice(0, 4), ...p2, ...p3]) await makeDossier(db, c, 'verified', { filters: { subjectsCombo: c.fullName === 'Phạm Ngọc Diệp' ? 'HOA+SINH' : 'LI+NN' } });
    await makeDossier(db, p1[4]!, 'submitted');
    app = await backOfficeTestApp(db, () => now, [examRoutes]);
  });
  after(async () => app?.close());

  const call = (a: Parameters<typeof as>[0], method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: as(a), ...(payload !== undefined ? { payload: payload as object } : {}) });
  const low = (s: string) => s.toLowerCase();
  const numbersOf = async () => {
    const res = await call(dept01, 'GET', '/api/exam/departments/01/numbers');
    assert.equal(res.statusCode, 200, res.body);
    // names are stored in capitals: key them as written here
    return new Map((res.json().items as Array<{ fullName: string; number: string; siteId: string }>).map((i) => [i.fullName.toLowerCase(), i]));
  };

  test('only the department’s own officer; never before registration closes', async () => {
    assert.equal((await call(officer1, 'GET', '/api/exam/departments/01/seating')).statusCode, 403);
    assert.equal((await call(dept02, 'GET', '/api/exam/departments/01/seating')).statusCode, 403);
    assert.equal((await call(dept02, 'POST', '/api/exam/departments/01/seating', {})).statusCode, 403);
    now = IN_OFFICIAL;
    const early = await call(dept01, 'POST', '/api/exam/departments/01/seating', {});
    now = IN_CORRECTION;
    assert.equal(early.statusCode, 409, early.body);
    assert.equal(early.json().error.code, 'EXAM_REGISTRATION_OPEN');
  });

  test('sites: points of the department only, each in one site', async () => {
    const outside = await call(dept01, 'PUT', '/api/exam/departments/01/sites', { sites: [{ code: 'A', name: 'Điểm thi A', address: 'Hà Nội', pointIds: [P1, P3] }] });
    assert.equal(outside.statusCode, 400, outside.body);
    assert.equal(outside.json().error.fields[0].field, 'sites[0].pointIds[1]');
    const twice = await call(dept01, 'PUT', '/api/exam/departments/01/sites', { sites: [{ code: 'A', name: 'Điểm thi A', address: 'HN', pointIds: [P1] }, { code: 'B', name: 'Điểm thi B', address: 'HN', pointIds: [P1] }] });
    assert.equal(twice.statusCode, 400, twice.body);
    // P2 first: its candidates take the first serials
    const ok = await call(dept01, 'PUT', '/api/exam/departments/01/sites', {
      sites: [
        { code: 'B', name: 'THPT Việt Đức', address: '47 Lý Thường Kiệt, Hà Nội', pointIds: [P2] },
        { code: 'A', name: 'THPT Chu Văn An', address: '10 Thụy Khuê, Hà Nội', pointIds: [P1] },
      ],
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const view = (await call(dept01, 'GET', '/api/exam/departments/01/seating')).json();
    assert.deepEqual(view.sites.map((s: { code: string }) => s.code), ['B', 'A']);
    assert.equal(view.points.find((p: { id: string }) => p.id === P1).siteId, view.sites[1].id);
    assert.equal(view.council, null);
  });

  test('numbers: verified candidates only, site order then Vietnamese name order; rooms per session', async () => {
    const res = await call(dept01, 'POST', '/api/exam/departments/01/seating', { roomSize: 2, lastRoomMax: 3 });
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.equal(out.changes.numbered, 6);
    assert.deepEqual(out.findings, []);
    const n = await numbersOf();
    // site B (P2): Anh (Bùi Gia) < Minh (Đỗ Quang); then site A (P1): An < Ăn < Bình < Diệp
    assert.deepEqual([...n.entries()].map(([name, v]) => [name, v.number]), ([
      ['Bùi Gia Anh', '01000001'],
      ['Đỗ Quang Minh', '01000002'],
      ['Nguyễn Văn An', '01000003'],
      ['Lê Văn Ăn', '01000004'],
      ['Trần Thị Bình', '01000005'],
      ['Phạm Ngọc Diệp', '01000006'],
    ] as const).map(([a, b]) => [low(a), b]));
    assert.ok(!n.has(low('Vũ Thu Hà')), 'a dossier not verified is not numbered');
    // sessions: VAN, TOAN for all 6; LI, NN for 5; HOA, SINH for 1. Site A: 4 in VAN → rooms of 2 and 2; site B: 2 → one room
    assert.equal(out.counts.seats, 6 * 2 + 5 * 2 + 2);
    const rooms = await get().db.read.selectFrom('exam_seats').select(['session', 'site_id', 'room', 'seat', 'candidate_id']).where('session', '=', 'VAN').orderBy('site_id').orderBy('room').orderBy('seat').execute();
    const siteA = n.get(low('Nguyễn Văn An'))!.siteId;
    assert.deepEqual(rooms.filter((r) => r.site_id === siteA).map((r) => [r.room, r.seat]), [[1, 1], [1, 2], [2, 1], [2, 2]]);
    const council = (await call(dept01, 'GET', '/api/exam/departments/01/seating')).json().council;
    assert.deepEqual([council.councilCode, council.roomSize, council.lastRoomMax, council.lastSerial, council.planVersion], ['01', 2, 3, 6, 1]);
  });

  test('a late correction never renumbers anyone else; a withdrawn number is never reissued', async () => {
    const db = get().db;
    const before = await numbersOf();
    const seatsBefore = await db.read.selectFrom('exam_seats').selectAll().execute();
    // a late verification whose name sorts first, and a dossier sent back for correction
    const late = (await makeCandidates(db, P1, ['Đinh Văn A']))[0]!;
    await makeDossier(db, late, 'verified');
    const binh = made.find((m) => m.fullName === 'Trần Thị Bình')!;
    await db.write((trx) => trx.updateTable('dossiers').set({ status: 'returned' }).where('candidate_id', '=', binh.candidateId).execute());

    const res = await call(dept01, 'POST', '/api/exam/departments/01/seating', {});
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.deepEqual([out.changes.numbered, out.changes.withdrawn, out.changes.reinstated], [1, 1, 0]);
    assert.deepEqual(out.newlyNumbered, ['01000007']);
    const after = await numbersOf();
    for (const [name, v] of before) if (name !== low('Trần Thị Bình')) assert.equal(after.get(name)?.number, v.number, name);
    assert.equal(after.get(low('Đinh Văn A'))?.number, '01000007');
    assert.ok(!after.has(low('Trần Thị Bình')));
    // nobody who stayed moved seat
    const seatsAfter = await db.read.selectFrom('exam_seats').selectAll().execute();
    const key = (s: { candidate_id: string; session: string }) => `${s.candidate_id}/${s.session}`;
    const now_ = new Map(seatsAfter.map((s) => [key(s), s]));
    for (const s of seatsBefore) {
      if (s.candidate_id === binh.candidateId) assert.ok(!now_.has(key(s)));
      else assert.deepEqual(now_.get(key(s)), s);
    }
    // the newcomer fills the withdrawn seat's room (lowest room below the room size)
    const newcomer = seatsAfter.filter((s) => s.candidate_id === late.candidateId);
    assert.equal(newcomer.length, 4);

    // back again: their own number, not a new one; the serial counter never goes back
    await db.write((trx) => trx.updateTable('dossiers').set({ status: 'verified' }).where('candidate_id', '=', binh.candidateId).execute());
    const again = (await call(dept01, 'POST', '/api/exam/departments/01/seating', {})).json();
    assert.deepEqual([again.changes.numbered, again.changes.reinstated], [0, 1]);
    assert.equal((await numbersOf()).get(low('Trần Thị Bình'))?.number, '01000005');
    const council = (await call(dept01, 'GET', '/api/exam/departments/01/seating')).json().council;
    assert.deepEqual([council.lastSerial, council.planVersion], [7, 3]);

    // a run with nothing changed writes nothing
    const idle = (await call(dept01, 'POST', '/api/exam/departments/01/seating', {})).json();
    assert.deepEqual(idle.changes, { numbered: 0, withdrawn: 0, reinstated: 0, seatsAdded: 0, seatsRemoved: 0 });
  });

  test('every change is audited, and reading the list too', async () => {
    const rows = await get().db.read.selectFrom('audit_log').select(['action', 'actor_id', 'department_code']).where('action', 'in', ['exam.sites_saved', 'exam.seating_assigned', 'personal_data.read']).execute();
    assert.equal(rows.filter((r) => r.action === 'exam.sites_saved').length, 1);
    assert.equal(rows.filter((r) => r.action === 'exam.seating_assigned').length, 4);
    assert.ok(rows.some((r) => r.action === 'personal_data.read' && r.actor_id === dept01.userId && r.department_code === '01'));
    assert.ok(rows.every((r) => r.department_code === '01'));
  });

  test('a candidate sees their own number, site and rooms; before numbering, none', async () => {
    const asCandidate = (m: MadeCandidate) => ({ kind: 'user' as const, userId: m.userId, role: 'candidate' as const, orgUnitId: m.pointId, departmentCode: m.departmentCode, sessionId: 's', mustChangePassword: false });
    const an = made.find((m) => m.fullName === 'Nguyễn Văn An')!;
    const res = await call(asCandidate(an), 'GET', '/api/exam/me');
    assert.equal(res.statusCode, 200, res.body);
    const me = res.json();
    assert.equal(me.number, '01000003');
    assert.deepEqual(me.site, { code: 'A', name: 'THPT Chu Văn An', address: '10 Thụy Khuê, Hà Nội' });
    assert.deepEqual(me.sessions.map((x: { session: string }) => x.session), ['VAN', 'TOAN', 'LI', 'NN']);
    // each session with the time the notice prints (reference/exam-schedule.json), in the order they are sat
    const when = (x: { date: string | null; start: string | null; end: string | null }) => (x.date ? `${x.date} ${x.start}-${x.end}` : null);
    assert.equal(YEAR, 2026, 'the times below are 2026’s');
    assert.deepEqual(me.checkIn, { date: '2026-06-10', time: '08:00' });
    assert.deepEqual(me.sessions.map(when), ['2026-06-11 07:35-09:35', '2026-06-11 14:30-16:00', '2026-06-12 07:35-08:25', '2026-06-12 08:35-09:25']);
    const ha = made.find((m) => m.fullName === 'Vũ Thu Hà')!;
    assert.deepEqual((await call(asCandidate(ha), 'GET', '/api/exam/me')).json(), { examYear: YEAR, number: null, site: null, checkIn: null, sessions: [] });
    assert.equal((await call(dept01, 'GET', '/api/exam/me')).statusCode, 403);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  candidateSeating,
  DEFAULT_SEATING,
  formatCandidateNumber,
  parseCandidateNumber,
  planSeating,
  roomLists,
  roomSizes,
  updateSeating,
  type ExamSite,
  type SeatingCandidate,
  type SeatingConfig,
  type SeatingPlan,
} from './exam-seating.ts';
import { nameSortKey } from './sort-key.ts';

const SITES: ExamSite[] = [
  { id: 'S1', pointIds: ['P1', 'P2'] },
  { id: 'S2', pointIds: ['P3'] },
];

const cand = (id: string, pointId: string, fullName: string, sessions: string[] = ['VAN', 'TOAN']): SeatingCandidate => ({ id, pointId, fullName, sessions });

test('candidate numbers: council code and a 6-digit serial', () => {
  assert.equal(formatCandidateNumber('01', 1), '01000001');
  assert.equal(formatCandidateNumber('65', 123456), '65123456');
  assert.throws(() => formatCandidateNumber('1', 1), RangeError);
  assert.throws(() => formatCandidateNumber('01', 1_000_000), RangeError);
  assert.deepEqual(parseCandidateNumber('02000123'), { councilCode: '02', serial: 123 });
  assert.equal(parseCandidateNumber('0200012'), null);
  assert.equal(parseCandidateNumber('02000000'), null);
});

test('room sizes: rooms of 24, a remainder of up to 4 joins the last room (up to 28)', () => {
  assert.deepEqual(roomSizes(0), []);
  assert.deepEqual(roomSizes(3), [3]);
  assert.deepEqual(roomSizes(24), [24]);
  assert.deepEqual(roomSizes(28), [28]);
  assert.deepEqual(roomSizes(29), [24, 5]);
  assert.deepEqual(roomSizes(48), [24, 24]);
  assert.deepEqual(roomSizes(50), [24, 26]);
  assert.deepEqual(roomSizes(52), [24, 28]);
  assert.deepEqual(roomSizes(53), [24, 24, 5]);
  // configurable: rooms of 20, no allowance
  assert.deepEqual(roomSizes(42, { roomSize: 20, lastRoomMax: 20 }), [20, 20, 2]);
  assert.deepEqual(roomSizes(42, { roomSize: 20, lastRoomMax: 22 }), [20, 22]);
});

test('numbers follow site order, then Vietnamese name order (given name first)', () => {
  const roster = [
    cand('c1', 'P3', 'Nguyễn Văn An'), // site S2
    cand('c2', 'P1', 'Trần Thị Bình'),
    cand('c3', 'P2', 'Lê Văn An'),
    cand('c4', 'P1', 'Phạm Ân'),
    cand('c5', 'P1', 'Đỗ Văn Anh'),
  ];
  const { plan, findings } = planSeating('01', roster, SITES);
  assert.deepEqual(findings, []);
  // S1 by given name: An (Lê Văn) < Anh (Đỗ Văn) < Ân (Phạm: Â comes after A) < Bình (Trần Thị);
  // then S2: An (Nguyễn Văn), whose name would sort first but whose site comes second
  assert.deepEqual(plan.numbers.map((n) => [n.number, n.candidateId, n.siteId]), [
    ['01000001', 'c3', 'S1'],
    ['01000002', 'c5', 'S1'],
    ['01000003', 'c4', 'S1'],
    ['01000004', 'c2', 'S1'],
    ['01000005', 'c1', 'S2'],
  ]);
  assert.equal(plan.lastSerial, 5);
  // a room per session and site
  const lists = roomLists(plan, SITES, ['VAN', 'TOAN']);
  assert.deepEqual(lists.map((l) => [l.session, l.siteId, l.room, l.entries.map((e) => e.number)]), [
    ['VAN', 'S1', 1, ['01000001', '01000002', '01000003', '01000004']],
    ['VAN', 'S2', 1, ['01000005']],
    ['TOAN', 'S1', 1, ['01000001', '01000002', '01000003', '01000004']],
    ['TOAN', 'S2', 1, ['01000005']],
  ]);
});

function roster(n: number, pointId = 'P1', sessions = ['VAN', 'TOAN']): SeatingCandidate[] {
  return Array.from({ length: n }, (_, i) => cand(`c${String(i).padStart(3, '0')}`, pointId, `Nguyễn Văn A${String(i).padStart(3, '0')}`, sessions));
}

test('rooms per session: 50 candidates make a room of 24 and one of 26; an elective session has its own rooms', () => {
  const r = roster(50).map((c, i) => ({ ...c, sessions: i < 30 ? ['VAN', 'TOAN', 'LI'] : ['VAN', 'TOAN', 'SU'] }));
  const { plan } = planSeating('02', r, SITES);
  const sizes = (session: string) => roomLists(plan, SITES).filter((l) => l.session === session).map((l) => l.entries.length);
  assert.deepEqual(sizes('VAN'), [24, 26]);
  assert.deepEqual(sizes('TOAN'), [24, 26]);
  // 30 sit Vật lí: 24 + 6, and 6 is more than the last room may take on top of 24 → a second room
  assert.deepEqual(sizes('LI'), [24, 6]);
  assert.deepEqual(sizes('SU'), [20]);
  assert.deepEqual(sizes('HOA'), []);
});

test('a late correction renumbers nobody: a newcomer gets the next serial and a free seat; a withdrawn number is never reissued', () => {
  const first = planSeating('01', roster(26), SITES).plan; // rooms [26] per session (24 + 2 merged)
  const before = new Map(first.numbers.map((n) => [n.candidateId, n.number]));
  assert.equal(first.lastSerial, 26);

  // c005 withdraws; a newcomer whose name sorts first arrives
  const next = roster(26).filter((c) => c.id !== 'c005');
  next.push(cand('new1', 'P1', 'Trần An'));
  const { plan, changes, findings } = updateSeating(first, next, SITES);
  assert.deepEqual(findings, []);
  assert.deepEqual(changes.withdrawn, ['c005']);
  assert.deepEqual(changes.numbered, ['new1']);
  for (const n of plan.numbers) if (before.has(n.candidateId)) assert.equal(n.number, before.get(n.candidateId));
  assert.equal(plan.numbers.find((n) => n.candidateId === 'new1')?.number, '01000027'); // not 01000006
  assert.deepEqual(plan.withdrawn.map((n) => n.number), ['01000006']);
  // the newcomer takes the freed seat in the room (26 → 25 → 26), nobody else moved
  const seat = candidateSeating(plan, 'new1');
  assert.deepEqual(seat?.seats.map((s) => [s.session, s.room, s.seat]), [['TOAN', 1, 6], ['VAN', 1, 6]]);
  for (const s of first.seats) {
    if (s.candidateId === 'c005') continue;
    assert.ok(plan.seats.some((x) => x.candidateId === s.candidateId && x.session === s.session && x.room === s.room && x.seat === s.seat));
  }
  assert.deepEqual(changes.seatsRemoved.map((s) => s.candidateId), ['c005', 'c005']);

  // a withdrawn candidate who comes back gets their own number again
  const back = updateSeating(plan, [...next, cand('c005', 'P1', 'Nguyễn Văn A005')], SITES);
  assert.deepEqual(back.changes.reinstated, ['c005']);
  assert.equal(back.plan.numbers.find((n) => n.candidateId === 'c005')?.number, '01000006');
  assert.equal(back.plan.lastSerial, 27);
});

test('late seats: a room with fewer than 24 first, then the last room up to 28, then a new room', () => {
  const first = planSeating('01', roster(48, 'P1', ['VAN']), SITES).plan; // [24, 24]
  let plan: SeatingPlan = first;
  const names = ['Vũ Bảo', 'Vũ Cúc', 'Vũ Dung', 'Vũ Đào', 'Vũ Giang'];
  let r = roster(48, 'P1', ['VAN']);
  const rooms: number[] = [];
  for (const [i, n] of names.entries()) {
    r = [...r, cand(`late${i}`, 'P1', n, ['VAN'])];
    plan = updateSeating(plan, r, SITES).plan;
    rooms.push(candidateSeating(plan, `late${i}`)?.seats[0]?.room ?? -1);
  }
  // four join room 2 (the last, up to 28), the fifth opens room 3
  assert.deepEqual(rooms, [2, 2, 2, 2, 3]);
  // a withdrawal from room 1 frees a seat there, which the next newcomer takes
  r = r.filter((c) => c.id !== 'c000');
  r = [...r, cand('late9', 'P1', 'Vũ Hà', ['VAN'])];
  plan = updateSeating(plan, r, SITES).plan;
  assert.deepEqual(candidateSeating(plan, 'late9')?.seats.map((s) => [s.room, s.seat]), [[1, 1]]);
});

test('changed sessions or site: only that candidate’s seats change', () => {
  const first = planSeating('01', roster(10, 'P1', ['VAN', 'TOAN', 'LI']), SITES).plan;
  const r = roster(10, 'P1', ['VAN', 'TOAN', 'LI']);
  r[3] = { ...(r[3] as SeatingCandidate), sessions: ['VAN', 'TOAN', 'SU'] };
  r[4] = { ...(r[4] as SeatingCandidate), pointId: 'P3' };
  const { plan, changes } = updateSeating(first, r, SITES);
  assert.deepEqual(changes.numbered, []);
  assert.deepEqual(plan.numbers.map((n) => n.number), first.numbers.map((n) => n.number));
  assert.deepEqual(plan.numbers.find((n) => n.candidateId === 'c004')?.siteId, 'S2');
  assert.deepEqual(changes.seatsRemoved.map((s) => `${s.candidateId}:${s.session}`).sort(), ['c003:LI', 'c004:LI', 'c004:TOAN', 'c004:VAN']);
  assert.deepEqual(changes.seatsAdded.map((s) => `${s.candidateId}:${s.session}:${s.siteId}`).sort(), ['c003:SU:S1', 'c004:LI:S2', 'c004:TOAN:S2', 'c004:VAN:S2']);
});

test('unmapped points and bad configuration are named, not guessed', () => {
  const { plan, findings } = planSeating('01', [cand('a', 'P9', 'Lê An'), cand('b', 'P1', 'Lê Bình')], SITES);
  assert.deepEqual(findings.map((f) => [f.code, f.field]), [['SEATING_POINT_UNMAPPED', 'candidates.a']]);
  assert.deepEqual(plan.numbers.map((n) => n.candidateId), ['b']);
  assert.deepEqual(planSeating('1', [], SITES).findings.map((f) => f.code), ['SEATING_COUNCIL_CODE']);
  assert.deepEqual(planSeating('01', [], SITES, { ...DEFAULT_SEATING, lastRoomMax: 20 }).findings.map((f) => f.code), ['SEATING_LAST_ROOM_MAX']);
  const twice = planSeating('01', [], [...SITES, { id: 'S3', pointIds: ['P1'] }]);
  assert.deepEqual(twice.findings.map((f) => f.code), ['SEATING_POINT_IN_TWO_SITES']);
});

// ---- Properties ----

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Đỗ', 'Vũ', 'Âu'];
const GIVEN = ['An', 'Ân', 'Anh', 'Bình', 'Đào', 'Hà', 'Hạ', 'Yến', 'Ý'];
const SESSIONS = ['VAN', 'TOAN', 'LI', 'HOA', 'SU', 'NN'];
const POINTS = ['P1', 'P2', 'P3'];

const arbCandidate = (id: string) =>
  fc.record({
    id: fc.constant(id),
    pointId: fc.constantFrom(...POINTS),
    fullName: fc.tuple(fc.constantFrom(...FAMILY), fc.constantFrom('Văn', 'Thị', ''), fc.constantFrom(...GIVEN)).map((p) => p.filter(Boolean).join(' ')),
    sessions: fc.subarray(SESSIONS, { minLength: 1 }),
  });

const arbRoster = fc.integer({ min: 0, max: 120 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbCandidate(`c${i}`))));
const arbConfig: fc.Arbitrary<SeatingConfig> = fc
  .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 6 }))
  .map(([roomSize, extra]) => ({ roomSize, lastRoomMax: roomSize + extra, firstSerial: 1 }));

function checkInvariants(plan: SeatingPlan, candidates: readonly SeatingCandidate[], config: SeatingConfig): void {
  const siteOf = (p: string) => SITES.find((s) => s.pointIds.includes(p))?.id;
  // numbers: unique, 8 digits, council prefix, one per candidate on the roster
  const nums = plan.numbers.map((n) => n.number);
  assert.equal(new Set(nums).size, nums.length);
  for (const n of plan.numbers) {
    assert.match(n.number, /^01\d{6}$/);
    assert.equal(n.number, formatCandidateNumber('01', n.serial));
    assert.ok(n.serial <= plan.lastSerial);
  }
  assert.deepEqual(new Set(plan.numbers.map((n) => n.candidateId)), new Set(candidates.map((c) => c.id)));
  // withdrawn numbers never held by anyone on the roster
  for (const w of plan.withdrawn) assert.ok(!nums.includes(w.number));
  // exactly one seat per candidate and session sat, at the candidate's site
  const seatKeys = plan.seats.map((s) => `${s.candidateId}:${s.session}`);
  assert.equal(new Set(seatKeys).size, seatKeys.length);
  const expected = candidates.flatMap((c) => [...new Set(c.sessions)].map((s) => `${c.id}:${s}`));
  assert.deepEqual(new Set(seatKeys), new Set(expected));
  for (const s of plan.seats) assert.equal(s.siteId, siteOf((candidates.find((c) => c.id === s.candidateId) as SeatingCandidate).pointId));
  // rooms: never above the last room's maximum; seats distinct and within it
  for (const l of roomLists(plan, SITES)) {
    assert.ok(l.entries.length <= config.lastRoomMax, `room of ${l.entries.length}`);
    const seats = l.entries.map((e) => e.seat);
    assert.equal(new Set(seats).size, seats.length);
    for (const s of seats) assert.ok(s >= 1 && s <= config.lastRoomMax);
  }
}

test('property: a first plan numbers 1..n in site then name order and lays every group out by roomSizes()', () => {
  fc.assert(
    fc.property(arbRoster, arbConfig, (candidates, config) => {
      const { plan, findings } = planSeating('01', candidates, SITES, config);
      assert.deepEqual(findings, []);
      checkInvariants(plan, candidates, config);
      assert.deepEqual(plan.numbers.map((n) => n.serial), candidates.map((_, i) => i + 1));
      const siteIdx = (id: string) => SITES.findIndex((s) => s.id === id);
      const byId = new Map(candidates.map((c) => [c.id, c]));
      for (let i = 1; i < plan.numbers.length; i++) {
        const a = plan.numbers[i - 1] as (typeof plan.numbers)[number];
        const b = plan.numbers[i] as (typeof plan.numbers)[number];
        const ka = nameSortKey((byId.get(a.candidateId) as SeatingCandidate).fullName);
        const kb = nameSortKey((byId.get(b.candidateId) as SeatingCandidate).fullName);
        assert.ok(siteIdx(a.siteId) < siteIdx(b.siteId) || (siteIdx(a.siteId) === siteIdx(b.siteId) && ka <= kb));
      }
      // each group's rooms have the sizes roomSizes() gives, filled in number order
      const groups = new Map<string, number[]>();
      for (const l of roomLists(plan, SITES)) {
        const k = `${l.session}|${l.siteId}`;
        groups.set(k, [...(groups.get(k) ?? []), l.entries.length]);
        const serials = l.entries.map((e) => Number(e.number));
        assert.deepEqual(serials, [...serials].sort((x, y) => x - y));
      }
      for (const [k, sizes] of groups) {
        const n = sizes.reduce((x, y) => x + y, 0);
        assert.deepEqual(sizes, roomSizes(n, config), k);
      }
    }),
    { numRuns: 150 },
  );
});

test('property: after any sequence of late corrections nobody is renumbered or moved, and no number is reissued', () => {
  const arbStep = fc.record({
    withdraw: fc.array(fc.nat(), { maxLength: 4 }),
    add: fc.array(arbCandidate('x'), { maxLength: 6 }),
    reinstate: fc.boolean(),
  });
  fc.assert(
    fc.property(arbRoster, fc.array(arbStep, { minLength: 1, maxLength: 5 }), arbConfig, (initial, steps, config) => {
      let current: SeatingCandidate[] = [...initial];
      let { plan } = planSeating('01', current, SITES, config);
      const everIssued = new Map<string, string>(plan.numbers.map((n) => [n.number, n.candidateId]));
      let fresh = 0;
      const gone: SeatingCandidate[] = [];
      for (const step of steps) {
        const out = new Set(step.withdraw.filter(() => current.length > 0).map((k) => (current[k % current.length] as SeatingCandidate).id));
        gone.push(...current.filter((c) => out.has(c.id)));
        current = current.filter((c) => !out.has(c.id));
        for (const a of step.add) current.push({ ...a, id: `n${fresh++}` });
        if (step.reinstate && gone.length > 0) {
          const back = gone.shift() as SeatingCandidate;
          if (!current.some((c) => c.id === back.id)) current.push(back);
        }
        const prev = plan;
        const r = updateSeating(prev, current, SITES, config);
        plan = r.plan;
        assert.deepEqual(r.findings, []);
        checkInvariants(plan, current, config);
        // nobody still on the roster changed number or seat
        const prevNum = new Map([...prev.numbers, ...prev.withdrawn].map((n) => [n.candidateId, n.number]));
        for (const n of plan.numbers) {
          const had = prevNum.get(n.candidateId);
          if (had) assert.equal(n.number, had);
          else assert.ok(n.serial > prev.lastSerial, 'a new number comes after every number issued');
        }
        for (const s of prev.seats) {
          if (!current.some((c) => c.id === s.candidateId)) continue;
          assert.ok(plan.seats.some((x) => x.candidateId === s.candidateId && x.session === s.session && x.room === s.room && x.seat === s.seat), 'seat kept');
        }
        // a number belongs to one candidate for ever
        for (const n of [...plan.numbers, ...plan.withdrawn]) {
          const owner = everIssued.get(n.number);
          if (owner) assert.equal(owner, n.candidateId);
          else everIssued.set(n.number, n.candidateId);
        }
      }
    }),
    { numRuns: 100 },
  );
});

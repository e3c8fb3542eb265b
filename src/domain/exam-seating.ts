// Candidate numbers (số báo danh) and exam rooms, decided as pure functions over a department's verified
// candidates. The plan is plain data the server stores and hands back: each call takes the current plan
// and the current roster and returns the next plan, so a late correction is a small change, never a
// renumbering. Room size and the last room's allowance are configuration (DOMAIN.md: assumptions).
import { error, warning, type Finding } from './messages.ts';
import { nameSortKey } from './sort-key.ts';

// ---- Configuration ----

export interface SeatingConfig {
  /** candidates in a room (DOMAIN.md: 24, an assumption from published counts) */
  roomSize: number;
  /** the last room of a group may hold up to this many instead of opening a small room (28) */
  lastRoomMax: number;
  /** the first serial a council issues (1: Hà Nội's first candidate is 01000001) */
  firstSerial: number;
}

export const DEFAULT_SEATING: Readonly<SeatingConfig> = Object.freeze({ roomSize: 24, lastRoomMax: 28, firstSerial: 1 });

const SERIAL_DIGITS = 6;
const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1;

// ---- Candidate numbers ----

/** 8 digits: the 2-digit council code and a 6-digit serial (01, 1 → "01000001"). */
export function formatCandidateNumber(councilCode: string, serial: number): string {
  if (!/^\d{2}$/.test(councilCode)) throw new RangeError(`council code must be 2 digits: ${councilCode}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL) throw new RangeError(`serial out of range: ${serial}`);
  return councilCode + String(serial).padStart(SERIAL_DIGITS, '0');
}

export function parseCandidateNumber(s: string): { councilCode: string; serial: number } | null {
  const m = /^(\d{2})(\d{6})$/.exec(s.trim());
  if (!m || Number(m[2]) === 0) return null;
  return { councilCode: m[1] as string, serial: Number(m[2]) };
}

// ---- Inputs and the plan ----

export interface SeatingCandidate {
  id: string;
  /** registration point; the department maps points to exam sites */
  pointId: string;
  /** full name as registered; numbers follow Vietnamese name order (sort-key.ts) */
  fullName: string;
  /** the subject sessions the candidate sits, as codes of the council's timetable (VAN, TOAN, …) */
  sessions: readonly string[];
}

/** An exam site (điểm thi) and the registration points seated there. The list's order is the serial order. */
export interface ExamSite {
  id: string;
  pointIds: readonly string[];
}

export interface NumberAssignment {
  candidateId: string;
  number: string;
  serial: number;
  siteId: string;
}

export interface SeatAssignment {
  candidateId: string;
  session: string;
  siteId: string;
  /** room number within the site for this session, from 1 */
  room: number;
  /** place on the room list, from 1 */
  seat: number;
}

export interface SeatingPlan {
  councilCode: string;
  /** the highest serial ever issued, withdrawn ones included: the next candidate gets one more */
  lastSerial: number;
  numbers: NumberAssignment[];
  /** numbers of candidates no longer on the roster: kept so they are never issued to anyone else */
  withdrawn: NumberAssignment[];
  seats: SeatAssignment[];
}

export interface SeatingChanges {
  numbered: string[];
  withdrawn: string[];
  /** a withdrawn candidate back on the roster gets their own number back */
  reinstated: string[];
  seatsAdded: SeatAssignment[];
  seatsRemoved: SeatAssignment[];
}

export interface SeatingResult {
  plan: SeatingPlan;
  changes: SeatingChanges;
  /** errors name candidates left out (unmapped point, serials exhausted) or bad configuration */
  findings: Finding[];
}

export function emptyPlan(councilCode: string, config: Pick<SeatingConfig, 'firstSerial'> = DEFAULT_SEATING): SeatingPlan {
  return { councilCode, lastSerial: config.firstSerial - 1, numbers: [], withdrawn: [], seats: [] };
}

// ---- Rooms ----

/**
 * The room sizes for a group (one site, one session) of n candidates laid out at once: rooms of
 * `roomSize`, except that a remainder of at most lastRoomMax − roomSize joins the last full room instead
 * of opening a room of its own. 50 → [24, 26]; 53 → [24, 24, 5]; 28 → [28]; 29 → [24, 5]; 3 → [3].
 */
export function roomSizes(n: number, config: Pick<SeatingConfig, 'roomSize' | 'lastRoomMax'> = DEFAULT_SEATING): number[] {
  const { roomSize, lastRoomMax } = config;
  if (n <= 0) return [];
  const full = Math.floor(n / roomSize);
  const rest = n % roomSize;
  const sizes = Array.from({ length: full }, () => roomSize);
  if (rest === 0) return sizes;
  if (full >= 1 && rest <= lastRoomMax - roomSize) {
    sizes[full - 1] = roomSize + rest;
    return sizes;
  }
  sizes.push(rest);
  return sizes;
}

export function checkSeatingConfig(config: SeatingConfig, councilCode: string): Finding[] {
  const out: Finding[] = [];
  if (!/^\d{2}$/.test(councilCode)) out.push(error('SEATING_COUNCIL_CODE', 'councilCode', 'Mã hội đồng thi gồm 2 chữ số.', 'The council code is two digits.', { councilCode }));
  if (!Number.isInteger(config.roomSize) || config.roomSize < 1) out.push(error('SEATING_ROOM_SIZE', 'roomSize', 'Số thí sinh mỗi phòng phải là số nguyên dương.', 'The room size must be a positive whole number.'));
  if (!Number.isInteger(config.lastRoomMax) || config.lastRoomMax < config.roomSize) {
    out.push(error('SEATING_LAST_ROOM_MAX', 'lastRoomMax', 'Sức chứa tối đa của phòng cuối không được nhỏ hơn số thí sinh mỗi phòng.', 'The last room’s maximum cannot be below the room size.'));
  }
  if (!Number.isInteger(config.firstSerial) || config.firstSerial < 1 || config.firstSerial > MAX_SERIAL) {
    out.push(error('SEATING_FIRST_SERIAL', 'firstSerial', 'Số thứ tự đầu tiên phải từ 1 đến 999999.', 'The first serial must be between 1 and 999999.'));
  }
  return out;
}

const groupKey = (session: string, siteId: string) => `${session}\u0000${siteId}`;

interface Room {
  room: number;
  seats: Set<number>;
}

function lowestFreeSeat(r: Room): number {
  let s = 1;
  while (r.seats.has(s)) s++;
  return s;
}

/**
 * A seat for a candidate added to a group that already has rooms (a late correction): the
 * lowest-numbered room with fewer than roomSize; else the last room while it holds fewer than
 * lastRoomMax; else a new room after the last. Nobody already seated moves.
 */
function placeLate(rooms: Room[], config: SeatingConfig): { room: number; seat: number } {
  let target = rooms.find((r) => r.seats.size < config.roomSize);
  const last = rooms[rooms.length - 1];
  if (!target && last && last.seats.size < config.lastRoomMax) target = last;
  if (!target) {
    target = { room: (last?.room ?? 0) + 1, seats: new Set() };
    rooms.push(target);
  }
  const seat = lowestFreeSeat(target);
  target.seats.add(seat);
  return { room: target.room, seat };
}

// ---- The plan ----

/** The first plan: every verified candidate numbered in site then name order, and seated. */
export function planSeating(councilCode: string, candidates: readonly SeatingCandidate[], sites: readonly ExamSite[], config: SeatingConfig = DEFAULT_SEATING): SeatingResult {
  return updateSeating(emptyPlan(councilCode, config), candidates, sites, config);
}

/**
 * The next plan after the roster changed (the first plan is this on an empty plan).
 * - Candidates keep their numbers; a candidate no longer on the roster is withdrawn: their number is
 *   retired, their seats emptied, and nobody else moves. A withdrawn candidate who comes back gets their
 *   own number again.
 * - New candidates get the next serials after every serial ever issued, in site order then Vietnamese
 *   name order (ties by id).
 * - Seats: a group (site, session) with no rooms yet is laid out whole by roomSizes() in number order; a
 *   group that has rooms takes newcomers by placeLate(). A candidate whose sessions or site changed loses
 *   the seats no longer sat and is placed for the new ones the same way.
 */
export function updateSeating(prev: SeatingPlan, candidates: readonly SeatingCandidate[], sites: readonly ExamSite[], config: SeatingConfig = DEFAULT_SEATING): SeatingResult {
  const findings = checkSeatingConfig(config, prev.councilCode);
  const changes: SeatingChanges = { numbered: [], withdrawn: [], reinstated: [], seatsAdded: [], seatsRemoved: [] };
  if (findings.length > 0) return { plan: prev, changes, findings };

  // Point → site, and each site's position for the serial order.
  const siteOf = new Map<string, string>();
  const siteIndex = new Map<string, number>();
  sites.forEach((s, i) => {
    siteIndex.set(s.id, i);
    for (const p of s.pointIds) {
      const had = siteOf.get(p);
      if (had !== undefined && had !== s.id) {
        findings.push(error('SEATING_POINT_IN_TWO_SITES', `sites.${s.id}`, `Điểm tiếp nhận ${p} đã được xếp vào điểm thi ${had}.`, `Registration point ${p} is already mapped to site ${had}.`, { pointId: p, siteId: had }));
      } else siteOf.set(p, s.id);
    }
  });

  // The roster, once per id.
  const roster = new Map<string, SeatingCandidate>();
  for (const c of candidates) {
    if (roster.has(c.id)) findings.push(warning('SEATING_DUPLICATE_CANDIDATE', `candidates.${c.id}`, 'Thí sinh xuất hiện hai lần trong danh sách; chỉ lấy lần đầu.', 'The candidate appears twice on the roster; the first entry is used.', { candidateId: c.id }));
    else roster.set(c.id, c);
  }

  const active = new Map(prev.numbers.map((n) => [n.candidateId, { ...n }]));
  const retired = new Map(prev.withdrawn.map((n) => [n.candidateId, { ...n }]));
  const seats = new Map<string, SeatAssignment>(); // key: candidate + session
  const seatKey = (candidateId: string, session: string) => `${candidateId}\u0000${session}`;
  for (const s of prev.seats) seats.set(seatKey(s.candidateId, s.session), { ...s });

  // Withdrawals.
  for (const [id, n] of active) {
    if (roster.has(id)) continue;
    active.delete(id);
    retired.set(id, n);
    changes.withdrawn.push(id);
  }

  // Present candidates: reinstate, keep, or queue for a new number.
  const unnumbered: Array<{ c: SeatingCandidate; siteId: string }> = [];
  for (const c of roster.values()) {
    const siteId = siteOf.get(c.pointId);
    if (siteId === undefined) {
      findings.push(
        error('SEATING_POINT_UNMAPPED', `candidates.${c.id}`, `Điểm tiếp nhận ${c.pointId} chưa được xếp vào điểm thi nào; thí sinh chưa được đánh số hoặc xếp lại phòng.`, `Registration point ${c.pointId} is not mapped to an exam site; the candidate is not numbered or re-seated.`, { candidateId: c.id, pointId: c.pointId }),
      );
      continue;
    }
    const back = retired.get(c.id);
    if (back) {
      retired.delete(c.id);
      active.set(c.id, { ...back, siteId });
      changes.reinstated.push(c.id);
    } else if (active.has(c.id)) {
      (active.get(c.id) as NumberAssignment).siteId = siteId;
    } else unnumbered.push({ c, siteId });
  }

  // New numbers, in site then Vietnamese name order.
  const keyed = unnumbered.map((u) => ({ ...u, key: nameSortKey(u.c.fullName) }));
  keyed.sort((a, b) => (siteIndex.get(a.siteId) as number) - (siteIndex.get(b.siteId) as number) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
  let lastSerial = prev.lastSerial;
  for (const u of keyed) {
    if (lastSerial + 1 > MAX_SERIAL) {
      findings.push(error('SEATING_SERIALS_EXHAUSTED', `candidates.${u.c.id}`, 'Hội đồng thi đã dùng hết số báo danh.', 'The council has run out of candidate numbers.', { candidateId: u.c.id }));
      continue;
    }
    lastSerial += 1;
    active.set(u.c.id, { candidateId: u.c.id, number: formatCandidateNumber(prev.councilCode, lastSerial), serial: lastSerial, siteId: u.siteId });
    changes.numbered.push(u.c.id);
  }

  // Seats no longer wanted: withdrawn candidates, dropped sessions, a changed site. A candidate left
  // out above (unmapped point) keeps what they had.
  for (const [k, s] of seats) {
    const n = active.get(s.candidateId);
    const c = roster.get(s.candidateId);
    const unmapped = c !== undefined && siteOf.get(c.pointId) === undefined;
    if (unmapped) continue;
    if (!n || !c || !c.sessions.includes(s.session) || n.siteId !== s.siteId) {
      seats.delete(k);
      changes.seatsRemoved.push(s);
    }
  }

  // Rooms as they stand, per group.
  const rooms = new Map<string, Room[]>();
  for (const s of seats.values()) {
    const g = groupKey(s.session, s.siteId);
    const list = rooms.get(g) ?? [];
    let r = list.find((x) => x.room === s.room);
    if (!r) {
      r = { room: s.room, seats: new Set() };
      list.push(r);
    }
    r.seats.add(s.seat);
    rooms.set(g, list);
  }
  for (const list of rooms.values()) list.sort((a, b) => a.room - b.room);

  // Who needs a seat, per group, in number order.
  const waiting = new Map<string, NumberAssignment[]>();
  for (const n of [...active.values()].sort((a, b) => a.serial - b.serial)) {
    const c = roster.get(n.candidateId);
    if (!c || siteOf.get(c.pointId) === undefined) continue;
    for (const session of new Set(c.sessions)) {
      if (seats.has(seatKey(n.candidateId, session))) continue;
      const g = groupKey(session, n.siteId);
      const list = waiting.get(g) ?? [];
      list.push(n);
      waiting.set(g, list);
    }
  }
  for (const [g, list] of waiting) {
    const session = g.slice(0, g.indexOf('\u0000'));
    const existing = rooms.get(g);
    const add = (n: NumberAssignment, room: number, seat: number) => {
      const s: SeatAssignment = { candidateId: n.candidateId, session, siteId: n.siteId, room, seat };
      seats.set(seatKey(n.candidateId, session), s);
      changes.seatsAdded.push(s);
    };
    if (!existing || existing.length === 0) {
      let i = 0;
      roomSizes(list.length, config).forEach((size, r) => {
        for (let seat = 1; seat <= size; seat++) add(list[i++] as NumberAssignment, r + 1, seat);
      });
    } else {
      for (const n of list) {
        const p = placeLate(existing, config);
        add(n, p.room, p.seat);
      }
    }
  }

  const plan: SeatingPlan = {
    councilCode: prev.councilCode,
    lastSerial,
    numbers: [...active.values()].sort((a, b) => a.serial - b.serial),
    withdrawn: [...retired.values()].sort((a, b) => a.serial - b.serial),
    seats: [...seats.values()].sort(compareSeats(sites)),
  };
  return { plan, changes, findings };
}

function compareSeats(sites: readonly ExamSite[]) {
  const idx = new Map(sites.map((s, i) => [s.id, i]));
  return (a: SeatAssignment, b: SeatAssignment): number =>
    (a.session < b.session ? -1 : a.session > b.session ? 1 : 0) || (idx.get(a.siteId) ?? Infinity) - (idx.get(b.siteId) ?? Infinity) || a.room - b.room || a.seat - b.seat;
}

// ---- Presenting ----

export interface RoomList {
  session: string;
  siteId: string;
  room: number;
  entries: Array<{ seat: number; candidateId: string; number: string }>;
}

/**
 * The room lists (one per session, site and room) in the order given by `sessionOrder` (the timetable;
 * sessions not named come after, alphabetically), then site order, then room; entries by seat.
 */
export function roomLists(plan: SeatingPlan, sites: readonly ExamSite[], sessionOrder: readonly string[] = []): RoomList[] {
  const numberOf = new Map(plan.numbers.map((n) => [n.candidateId, n.number]));
  const siteIdx = new Map(sites.map((s, i) => [s.id, i]));
  const sessIdx = (s: string) => {
    const i = sessionOrder.indexOf(s);
    return i < 0 ? sessionOrder.length : i;
  };
  const lists = new Map<string, RoomList>();
  for (const s of plan.seats) {
    const k = `${s.session}\u0000${s.siteId}\u0000${s.room}`;
    let l = lists.get(k);
    if (!l) {
      l = { session: s.session, siteId: s.siteId, room: s.room, entries: [] };
      lists.set(k, l);
    }
    l.entries.push({ seat: s.seat, candidateId: s.candidateId, number: numberOf.get(s.candidateId) ?? '' });
  }
  const out = [...lists.values()];
  for (const l of out) l.entries.sort((a, b) => a.seat - b.seat);
  out.sort(
    (a, b) =>
      sessIdx(a.session) - sessIdx(b.session) ||
      (a.session < b.session ? -1 : a.session > b.session ? 1 : 0) ||
      (siteIdx.get(a.siteId) ?? Infinity) - (siteIdx.get(b.siteId) ?? Infinity) ||
      a.room - b.room,
  );
  return out;
}

/** One candidate's number and rooms, for the exam notice. */
export function candidateSeating(plan: SeatingPlan, candidateId: string): { number: NumberAssignment; seats: SeatAssignment[] } | null {
  const number = plan.numbers.find((n) => n.candidateId === candidateId);
  if (!number) return null;
  return { number, seats: plan.seats.filter((s) => s.candidateId === candidateId) };
}

// All SQL of the exam feature: a department's council settings, its exam sites and the points mapped to
// them, the seating plan (candidate numbers and seats) and the roster of verified candidates it is made
// from. Reads of dossiers are read-only; the dossier module alone writes them.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ExamSite, NumberAssignment, SeatAssignment, SeatingCandidate, SeatingConfig, SeatingPlan } from '../../domain/exam-seating.ts';

export interface Council extends SeatingConfig {
  examYear: number;
  departmentCode: string;
  councilCode: string;
  lastSerial: number;
  planVersion: number;
  plannedAt: string | null;
}

export async function findCouncil(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<Council | undefined> {
  const r = await db.selectFrom('exam_councils').selectAll().where('exam_year', '=', examYear).where('department_code', '=', departmentCode).executeTakeFirst();
  if (!r) return undefined;
  return {
    examYear: r.exam_year,
    departmentCode: r.department_code,
    councilCode: r.council_code,
    roomSize: r.room_size,
    lastRoomMax: r.last_room_max,
    firstSerial: r.first_serial,
    lastSerial: r.last_serial,
    planVersion: r.plan_version,
    plannedAt: r.planned_at,
  };
}

export async function saveCouncil(trx: Kysely<DB>, c: Omit<Council, 'planVersion' | 'plannedAt'> & { planned: boolean }, now: Date): Promise<void> {
  const at = now.toISOString();
  const existing = await findCouncil(trx, c.examYear, c.departmentCode);
  if (!existing) {
    await trx
      .insertInto('exam_councils')
      .values({ exam_year: c.examYear, department_code: c.departmentCode, council_code: c.councilCode, room_size: c.roomSize, last_room_max: c.lastRoomMax, first_serial: c.firstSerial, last_serial: c.lastSerial, plan_version: c.planned ? 1 : 0, planned_at: c.planned ? at : null, updated_at: at })
      .execute();
    return;
  }
  await trx
    .updateTable('exam_councils')
    .set({
      room_size: c.roomSize,
      last_room_max: c.lastRoomMax,
      first_serial: c.firstSerial,
      last_serial: c.lastSerial,
      updated_at: at,
      ...(c.planned ? { plan_version: existing.planVersion + 1, planned_at: at } : {}),
    })
    .where('exam_year', '=', c.examYear)
    .where('department_code', '=', c.departmentCode)
    .execute();
}

// ---- sites ----

export interface StoredSite extends ExamSite {
  code: string;
  name: string;
  address: string;
}

export async function listSites(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<StoredSite[]> {
  const [sites, points] = await Promise.all([
    db.selectFrom('exam_sites').selectAll().where('exam_year', '=', examYear).where('department_code', '=', departmentCode).orderBy('position').execute(),
    db.selectFrom('exam_site_points').select(['point_id', 'site_id']).where('exam_year', '=', examYear).where('department_code', '=', departmentCode).orderBy('position').execute(),
  ]);
  return sites.map((s) => ({ id: s.id, code: s.code, name: s.name, address: s.address, pointIds: points.filter((p) => p.site_id === s.id).map((p) => p.point_id) }));
}

/** The department's sites become exactly `sites` (in this order); sites left out are removed. */
export async function replaceSites(trx: Kysely<DB>, examYear: number, departmentCode: string, sites: readonly StoredSite[], now: Date): Promise<void> {
  const at = now.toISOString();
  const existing = new Set((await trx.selectFrom('exam_sites').select('id').where('exam_year', '=', examYear).where('department_code', '=', departmentCode).execute()).map((r) => r.id));
  const keep = new Set(sites.map((s) => s.id));
  const gone = [...existing].filter((id) => !keep.has(id));
  if (gone.length > 0) await trx.deleteFrom('exam_sites').where('id', 'in', gone).execute();
  // codes are unique per department: move every kept site out of the way before renaming
  for (const s of sites) if (existing.has(s.id)) await trx.updateTable('exam_sites').set({ code: `~${s.id}` }).where('id', '=', s.id).execute();
  for (const [i, s] of sites.entries()) {
    if (existing.has(s.id)) await trx.updateTable('exam_sites').set({ code: s.code, name: s.name, address: s.address, position: i, updated_at: at }).where('id', '=', s.id).execute();
    else await trx.insertInto('exam_sites').values({ id: s.id, exam_year: examYear, department_code: departmentCode, code: s.code, name: s.name, address: s.address, position: i, created_at: at, updated_at: at }).execute();
  }
  await trx.deleteFrom('exam_site_points').where('exam_year', '=', examYear).where('department_code', '=', departmentCode).execute();
  const rows = sites.flatMap((s) => s.pointIds.map((p, j) => ({ exam_year: examYear, point_id: p, site_id: s.id, department_code: departmentCode, position: j })));
  if (rows.length > 0) await trx.insertInto('exam_site_points').values(rows).execute();
}

/** Which of these ids are points of the department (the rest are refused). */
export async function pointsOfDepartment(db: Kysely<DB>, departmentCode: string): Promise<Array<{ id: string; code: string; name: string }>> {
  return db.selectFrom('org_units').select(['id', 'code', 'name']).where('kind', '=', 'point').where('department_code', '=', departmentCode).orderBy('code').execute();
}

// ---- the roster ----

/** The department's verified (official) candidates, with what seating needs: point, name, electives and combinations. */
export async function verifiedRoster(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<Array<Omit<SeatingCandidate, 'sessions'> & { subjectsCombo: string | null }>> {
  const rows = await db
    .selectFrom('dossiers as d')
    .innerJoin('candidates as c', 'c.id', 'd.candidate_id')
    .select(['c.id as id', 'd.point_id as point_id', 'c.full_name as full_name', 'd.subjects_combo as subjects_combo'])
    .where('d.exam_year', '=', examYear)
    .where('d.is_trial', '=', 0)
    .where('d.department_code', '=', departmentCode)
    .where('d.status', '=', 'verified')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ id: r.id, pointId: r.point_id, fullName: r.full_name, subjectsCombo: r.subjects_combo }));
}

// ---- the plan ----

export async function loadPlan(db: Kysely<DB>, examYear: number, departmentCode: string, councilCode: string, lastSerial: number): Promise<SeatingPlan> {
  const [nums, seats] = await Promise.all([
    db.selectFrom('candidate_numbers').select(['candidate_id', 'number', 'serial', 'site_id', 'withdrawn']).where('exam_year', '=', examYear).where('department_code', '=', departmentCode).orderBy('serial').execute(),
    db.selectFrom('exam_seats').select(['candidate_id', 'session', 'site_id', 'room', 'seat']).where('exam_year', '=', examYear).where('department_code', '=', departmentCode).execute(),
  ]);
  const toNum = (r: (typeof nums)[number]): NumberAssignment => ({ candidateId: r.candidate_id, number: r.number, serial: r.serial, siteId: r.site_id });
  return {
    councilCode,
    lastSerial,
    numbers: nums.filter((r) => r.withdrawn === 0).map(toNum),
    withdrawn: nums.filter((r) => r.withdrawn === 1).map(toNum),
    seats: seats.map((s) => ({ candidateId: s.candidate_id, session: s.session, siteId: s.site_id, room: s.room, seat: s.seat })),
  };
}

const seatKey = (s: Pick<SeatAssignment, 'candidateId' | 'session'>) => `${s.candidateId}\u0000${s.session}`;

/**
 * Writes the difference between two plans: rows of candidates whose number, site or withdrawal changed,
 * removed seats deleted, added seats inserted. Nobody else's row is touched. Returns the rows written.
 */
export async function applyPlanChanges(trx: Kysely<DB>, examYear: number, departmentCode: string, prev: SeatingPlan, next: SeatingPlan, now: Date): Promise<{ numbersWritten: number; seatsRemoved: number; seatsAdded: number }> {
  const at = now.toISOString();
  const before = new Map<string, NumberAssignment & { withdrawn: boolean }>();
  for (const n of prev.numbers) before.set(n.candidateId, { ...n, withdrawn: false });
  for (const n of prev.withdrawn) before.set(n.candidateId, { ...n, withdrawn: true });
  let numbersWritten = 0;
  const after = [...next.numbers.map((n) => ({ ...n, withdrawn: false })), ...next.withdrawn.map((n) => ({ ...n, withdrawn: true }))];
  const fresh = [];
  for (const n of after) {
    const b = before.get(n.candidateId);
    if (!b) {
      fresh.push({ candidate_id: n.candidateId, exam_year: examYear, department_code: departmentCode, number: n.number, serial: n.serial, site_id: n.siteId, withdrawn: n.withdrawn ? 1 : 0, assigned_at: at, updated_at: at });
      continue;
    }
    if (b.number === n.number && b.siteId === n.siteId && b.withdrawn === n.withdrawn) continue;
    await trx
      .updateTable('candidate_numbers')
      .set({ number: n.number, serial: n.serial, site_id: n.siteId, withdrawn: n.withdrawn ? 1 : 0, updated_at: at })
      .where('exam_year', '=', examYear)
      .where('candidate_id', '=', n.candidateId)
      .execute();
    numbersWritten++;
  }
  for (let i = 0; i < fresh.length; i += 500) await trx.insertInto('candidate_numbers').values(fresh.slice(i, i + 500)).execute();
  numbersWritten += fresh.length;

  const nextSeats = new Map(next.seats.map((s) => [seatKey(s), s]));
  const prevSeats = new Map(prev.seats.map((s) => [seatKey(s), s]));
  const same = (a: SeatAssignment, b: SeatAssignment) => a.siteId === b.siteId && a.room === b.room && a.seat === b.seat;
  const removed = prev.seats.filter((s) => { const n = nextSeats.get(seatKey(s)); return !n || !same(n, s); });
  const added = next.seats.filter((s) => { const p = prevSeats.get(seatKey(s)); return !p || !same(p, s); });
  for (const s of removed) await trx.deleteFrom('exam_seats').where('exam_year', '=', examYear).where('candidate_id', '=', s.candidateId).where('session', '=', s.session).execute();
  const rows = added.map((s) => ({ exam_year: examYear, candidate_id: s.candidateId, session: s.session, department_code: departmentCode, site_id: s.siteId, room: s.room, seat: s.seat }));
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('exam_seats').values(rows.slice(i, i + 500)).execute();
  return { numbersWritten, seatsRemoved: removed.length, seatsAdded: added.length };
}

// ---- presenting ----

export interface NumberedCandidate {
  candidateId: string;
  number: string;
  siteId: string;
  fullName: string;
  dateOfBirth: string;
  pointId: string;
  className: string | null;
}

export async function listNumbered(db: Kysely<DB>, examYear: number, departmentCode: string, opts: { pointId?: string; limit: number; afterSerial: number }): Promise<Array<NumberedCandidate & { serial: number }>> {
  let q = db
    .selectFrom('candidate_numbers as n')
    .innerJoin('candidates as c', 'c.id', 'n.candidate_id')
    .select(['n.candidate_id', 'n.number', 'n.serial', 'n.site_id', 'c.full_name', 'c.date_of_birth', 'c.point_id', 'c.class_name'])
    .where('n.exam_year', '=', examYear)
    .where('n.department_code', '=', departmentCode)
    .where('n.withdrawn', '=', 0)
    .where('n.serial', '>', opts.afterSerial);
  if (opts.pointId !== undefined) q = q.where('c.point_id', '=', opts.pointId);
  const rows = await q.orderBy('n.serial').limit(opts.limit).execute();
  return rows.map((r) => ({ candidateId: r.candidate_id, number: r.number, serial: r.serial, siteId: r.site_id, fullName: r.full_name, dateOfBirth: r.date_of_birth, pointId: r.point_id, className: r.class_name }));
}

export async function countSeating(db: Kysely<DB>, examYear: number, departmentCode: string): Promise<{ numbered: number; withdrawn: number; seats: number; rooms: number }> {
  const n = await db
    .selectFrom('candidate_numbers')
    .select(['withdrawn', (eb) => eb.fn.countAll<number>().as('n')])
    .where('exam_year', '=', examYear)
    .where('department_code', '=', departmentCode)
    .groupBy('withdrawn')
    .execute();
  const rooms = await db
    .selectFrom('exam_seats')
    .select(['site_id', 'session', 'room', (eb) => eb.fn.countAll<number>().as('n')])
    .where('exam_year', '=', examYear)
    .where('department_code', '=', departmentCode)
    .groupBy(['site_id', 'session', 'room'])
    .execute();
  return {
    numbered: Number(n.find((r) => r.withdrawn === 0)?.n ?? 0),
    withdrawn: Number(n.find((r) => r.withdrawn === 1)?.n ?? 0),
    seats: rooms.reduce((a, r) => a + Number(r.n), 0),
    rooms: rooms.length,
  };
}

/** One candidate's number and seats (the notice and the candidate's own page). */
export async function findCandidateSeating(db: Kysely<DB>, examYear: number, candidateId: string): Promise<{ number: string; siteId: string; departmentCode: string; seats: Array<{ session: string; room: number; seat: number }> } | undefined> {
  const n = await db.selectFrom('candidate_numbers').select(['number', 'site_id', 'department_code']).where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).where('withdrawn', '=', 0).executeTakeFirst();
  if (!n) return undefined;
  const seats = await db.selectFrom('exam_seats').select(['session', 'room', 'seat']).where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).execute();
  return { number: n.number, siteId: n.site_id, departmentCode: n.department_code, seats };
}

/** The candidate record of a candidate's account for a year (its id, point and department). */
export async function findCandidateOfUser(db: Kysely<DB>, examYear: number, userId: string): Promise<{ id: string; pointId: string; departmentCode: string } | undefined> {
  const r = await db.selectFrom('candidates').select(['id', 'point_id', 'department_code']).where('exam_year', '=', examYear).where('user_id', '=', userId).executeTakeFirst();
  return r ? { id: r.id, pointId: r.point_id, departmentCode: r.department_code } : undefined;
}

export async function findSite(db: Kysely<DB>, siteId: string): Promise<{ code: string; name: string; address: string } | undefined> {
  return db.selectFrom('exam_sites').select(['code', 'name', 'address']).where('id', '=', siteId).executeTakeFirst();
}

// ---- the exam notice and the room lists (issue 22, item 2) ----

/** A candidate record for deciding who may read their notice: whose it is and where it sits. */
export async function findCandidateRecord(db: Kysely<DB>, examYear: number, candidateId: string): Promise<{ id: string; userId: string; pointId: string; departmentCode: string } | undefined> {
  const r = await db.selectFrom('candidates').select(['id', 'user_id', 'point_id', 'department_code']).where('exam_year', '=', examYear).where('id', '=', candidateId).executeTakeFirst();
  return r ? { id: r.id, userId: r.user_id, pointId: r.point_id, departmentCode: r.department_code } : undefined;
}

/** What one notice prints about its candidate, besides the seats and the site. */
export interface NoticeCandidate {
  candidateId: string;
  number: string;
  siteId: string;
  departmentCode: string;
  pointId: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  idNumber: string;
  className: string | null;
  /** the official dossier, whose photo the notice prints */
  dossierId: string | null;
}

/** Numbered (not withdrawn) candidates: one by id, or a point's (one class's), in number order. */
export async function noticeCandidates(db: Kysely<DB>, examYear: number, who: { candidateId: string } | { pointId: string; className?: string }, limit = 1000): Promise<NoticeCandidate[]> {
  let q = db
    .selectFrom('candidate_numbers as n')
    .innerJoin('candidates as c', 'c.id', 'n.candidate_id')
    .leftJoin('dossiers as d', (j) => j.onRef('d.candidate_id', '=', 'c.id').on('d.is_trial', '=', 0))
    .select(['n.candidate_id', 'n.number', 'n.site_id', 'n.department_code', 'c.point_id', 'c.full_name', 'c.date_of_birth', 'c.gender', 'c.id_number', 'c.class_name', 'd.id as dossier_id'])
    .where('n.exam_year', '=', examYear)
    .where('n.withdrawn', '=', 0);
  if ('candidateId' in who) q = q.where('n.candidate_id', '=', who.candidateId);
  else {
    q = q.where('c.point_id', '=', who.pointId);
    if (who.className !== undefined) q = q.where('c.class_name', '=', who.className);
  }
  const rows = await q.orderBy('n.serial').limit(limit).execute();
  return rows.map((r) => ({
    candidateId: r.candidate_id,
    number: r.number,
    siteId: r.site_id,
    departmentCode: r.department_code,
    pointId: r.point_id,
    fullName: r.full_name,
    dateOfBirth: r.date_of_birth,
    gender: r.gender,
    idNumber: r.id_number,
    className: r.class_name,
    dossierId: r.dossier_id,
  }));
}

/** Names of a class's candidates who have no candidate number (yet), in name order. */
export async function classWithoutNumbers(db: Kysely<DB>, examYear: number, pointId: string, className: string): Promise<string[]> {
  const rows = await db
    .selectFrom('candidates as c')
    .leftJoin('candidate_numbers as n', (j) => j.onRef('n.candidate_id', '=', 'c.id').on('n.exam_year', '=', examYear).on('n.withdrawn', '=', 0))
    .select(['c.full_name'])
    .where('c.exam_year', '=', examYear)
    .where('c.point_id', '=', pointId)
    .where('c.class_name', '=', className)
    .where('n.candidate_id', 'is', null)
    .orderBy('c.sort_key')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => r.full_name);
}

/** The seats of these candidates, by candidate. */
export async function seatsOf(db: Kysely<DB>, examYear: number, candidateIds: readonly string[]): Promise<Map<string, Array<{ session: string; room: number; seat: number }>>> {
  const out = new Map<string, Array<{ session: string; room: number; seat: number }>>();
  if (candidateIds.length === 0) return out;
  const rows = await db.selectFrom('exam_seats').select(['candidate_id', 'session', 'room', 'seat']).where('exam_year', '=', examYear).where('candidate_id', 'in', [...candidateIds]).execute();
  for (const r of rows) {
    const l = out.get(r.candidate_id) ?? [];
    l.push({ session: r.session, room: r.room, seat: r.seat });
    out.set(r.candidate_id, l);
  }
  return out;
}

/** Sites by id (the few a class or a department sits at). */
export async function sitesById(db: Kysely<DB>, siteIds: readonly string[]): Promise<Map<string, { id: string; code: string; name: string; address: string; position: number }>> {
  if (siteIds.length === 0) return new Map();
  const rows = await db.selectFrom('exam_sites').select(['id', 'code', 'name', 'address', 'position']).where('id', 'in', [...new Set(siteIds)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export type RoomListUnit = { departmentCode: string } | { pointId: string };

/** The (site, session) groups holding the unit's candidates: one room list block each. */
export async function roomGroups(db: Kysely<DB>, examYear: number, unit: RoomListUnit): Promise<Array<{ siteId: string; session: string }>> {
  let q = db.selectFrom('exam_seats as s').select(['s.site_id', 's.session']).distinct().where('s.exam_year', '=', examYear);
  q = 'pointId' in unit ? q.innerJoin('candidates as c', 'c.id', 's.candidate_id').where('c.point_id', '=', unit.pointId) : q.where('s.department_code', '=', unit.departmentCode);
  const rows = await q.execute();
  return rows.map((r) => ({ siteId: r.site_id, session: r.session }));
}

export interface RoomListRow {
  room: number;
  seat: number;
  number: string;
  fullName: string;
  dateOfBirth: string;
  pointCode: string;
}

/** One group's seats in room and seat order; a point's list keeps only its own candidates. */
export async function roomListRows(db: Kysely<DB>, examYear: number, siteId: string, session: string, pointId?: string): Promise<RoomListRow[]> {
  let q = db
    .selectFrom('exam_seats as s')
    .innerJoin('candidate_numbers as n', (j) => j.onRef('n.candidate_id', '=', 's.candidate_id').onRef('n.exam_year', '=', 's.exam_year'))
    .innerJoin('candidates as c', 'c.id', 's.candidate_id')
    .innerJoin('org_units as o', 'o.id', 'c.point_id')
    .select(['s.room', 's.seat', 'n.number', 'c.full_name', 'c.date_of_birth', 'o.code as point_code'])
    .where('s.exam_year', '=', examYear)
    .where('s.site_id', '=', siteId)
    .where('s.session', '=', session);
  if (pointId !== undefined) q = q.where('c.point_id', '=', pointId);
  const rows = await q.orderBy('s.room').orderBy('s.seat').execute();
  return rows.map((r) => ({ room: r.room, seat: r.seat, number: r.number, fullName: r.full_name, dateOfBirth: r.date_of_birth, pointCode: r.point_code }));
}

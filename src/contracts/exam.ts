// After registration (issue 22): a department's exam council numbers its verified candidates, maps
// registration points to exam sites and seats candidates in rooms per subject session. Shared by the
// server's routes, the browser and the OpenAPI document.
import { z } from 'zod';
import { fileBody, finding, id, media } from './common.ts';
import { operation } from './operation.ts';

const tags = ['exam'] as const;

export const departmentParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/) });

const counts = z.object({ numbered: z.number().int(), withdrawn: z.number().int(), seats: z.number().int(), rooms: z.number().int() });

export const siteShape = z.object({ id: z.string(), code: z.string(), name: z.string(), address: z.string(), pointIds: z.array(z.string()) });

export const seatingOverviewResponse = z.object({
  examYear: z.number().int(),
  council: z
    .object({
      councilCode: z.string(),
      roomSize: z.number().int(),
      lastRoomMax: z.number().int(),
      firstSerial: z.number().int(),
      lastSerial: z.number().int(),
      planVersion: z.number().int(),
      plannedAt: z.string().nullable(),
    })
    .nullable(),
  sites: z.array(siteShape),
  points: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), siteId: z.string().nullable() })),
  counts,
});

export const saveSitesBody = z.strictObject({
  sites: z
    .array(
      z.strictObject({
        id: id.optional(),
        code: z.string().trim().regex(/^[0-9A-Za-z]{1,10}$/),
        name: z.string().trim().min(2).max(200),
        address: z.string().trim().min(2).max(300),
        pointIds: z.array(id).max(500),
      }),
    )
    .max(2000),
});
export const saveSitesResponse = z.object({ sites: z.array(siteShape) });

export const assignSeatingBody = z.strictObject({
  /** candidates in a room (24 unless set) */
  roomSize: z.number().int().min(1).max(100).optional(),
  /** the last room of a group may hold up to this many (28 unless set) */
  lastRoomMax: z.number().int().min(1).max(120).optional(),
  /** the council's first serial (only on the first run) */
  firstSerial: z.number().int().min(1).max(999_999).optional(),
});
export const assignSeatingResponse = z.object({
  planVersion: z.number().int(),
  changes: z.object({ numbered: z.number().int(), withdrawn: z.number().int(), reinstated: z.number().int(), seatsAdded: z.number().int(), seatsRemoved: z.number().int() }),
  newlyNumbered: z.array(z.string()),
  findings: z.array(finding),
  counts,
});

export const numbersQuery = z.strictObject({ pointId: id.optional(), after: z.coerce.number().int().min(0).optional() });
export const numbersResponse = z.object({
  items: z.array(z.object({ candidateId: z.string(), number: z.string(), siteId: z.string(), fullName: z.string(), dateOfBirth: z.string(), pointId: z.string(), className: z.string().nullable() })),
  /** pass as `after` for the next page */
  nextAfter: z.number().int().nullable(),
});

export const seatingOverview = operation({ method: 'GET', path: '/api/exam/departments/:departmentCode/seating', tags, summary: "The council's settings, exam sites, points and how many are numbered and seated", params: departmentParams, responses: { 200: seatingOverviewResponse } });
export const saveSites = operation({ method: 'PUT', path: '/api/exam/departments/:departmentCode/sites', tags, summary: 'The exam sites, in serial order, with the registration points seated at each (replaces the list; audited)', params: departmentParams, body: saveSitesBody, responses: { 200: saveSitesResponse } });
export const assignSeating = operation({
  method: 'POST',
  path: '/api/exam/departments/:departmentCode/seating',
  tags,
  summary: 'Number and seat the verified candidates, or bring the plan up to date after a late correction (nobody already numbered is renumbered; audited)',
  params: departmentParams,
  body: assignSeatingBody,
  responses: { 200: assignSeatingResponse },
});
export const listNumbers = operation({ method: 'GET', path: '/api/exam/departments/:departmentCode/numbers', tags, summary: 'The numbered candidates in serial order, a page at a time (audited)', params: departmentParams, query: numbersQuery, responses: { 200: numbersResponse } });

export const ownSeatingResponse = z.object({
  examYear: z.number().int(),
  /** null until the department has numbered the candidate */
  number: z.string().nullable(),
  site: z.object({ code: z.string(), name: z.string(), address: z.string() }).nullable(),
  /** when to come to the site for the check-in (làm thủ tục dự thi); null when the year's timetable has none */
  checkIn: z.object({ date: z.string(), time: z.string() }).nullable(),
  /** in the order they are sat, each with its time as the notice prints it (null: as the council announces) */
  sessions: z.array(
    z.object({
      session: z.string(),
      room: z.number().int(),
      seat: z.number().int(),
      date: z.string().nullable(),
      start: z.string().nullable(),
      end: z.string().nullable(),
    }),
  ),
});
export const getOwnSeating = operation({ method: 'GET', path: '/api/exam/me', tags, summary: 'My candidate number, exam site and room for each session', responses: { 200: ownSeatingResponse } });

// ---- the exam notice (giấy báo dự thi) and the room lists (issue 22, item 2) ----
// Files, served with Cache-Control: no-store and a Content-Disposition filename. Before the department
// has numbered the candidate (or anyone of the class, the unit) the answer is 409 EXAM_NOT_NUMBERED.

export const candidateParams = z.strictObject({ candidateId: id });
export const pointParams = z.strictObject({ pointId: id });
export const classQuery = z.strictObject({ className: z.string().trim().min(1).max(32) });
const pdfFile = { 200: fileBody };

export const ownNotice = operation({
  method: 'GET',
  path: '/api/exam/me/notice.pdf',
  tags,
  summary: 'My exam notice (PDF): candidate number, site and address, room and time of each session, the rules',
  produces: media.pdf,
  responses: pdfFile,
});
export const candidateNotice = operation({
  method: 'GET',
  path: '/api/exam/candidates/:candidateId/notice.pdf',
  tags,
  summary: "A candidate's exam notice (PDF), for staff in scope (audited)",
  params: candidateParams,
  produces: media.pdf,
  responses: pdfFile,
});
export const classNotices = operation({
  method: 'GET',
  path: '/api/exam/points/:pointId/notices.pdf',
  tags,
  summary: "Every exam notice of one class (?className=) in one PDF, in number order; the class's candidates without a number listed last (audited)",
  params: pointParams,
  query: classQuery,
  produces: media.pdf,
  responses: pdfFile,
});
export const pointRoomLists = operation({
  method: 'GET',
  path: '/api/exam/points/:pointId/rooms.xlsx',
  tags,
  summary: "The room lists (XLSX) of the point's candidates: per session, site and room, seat, number, name, date of birth, a column to sign (audited)",
  params: pointParams,
  produces: media.xlsx,
  responses: { 200: fileBody },
});
export const departmentRoomLists = operation({
  method: 'GET',
  path: '/api/exam/departments/:departmentCode/rooms.xlsx',
  tags,
  summary: "The council's room lists (XLSX): every room of every site and session (audited)",
  params: departmentParams,
  produces: media.xlsx,
  responses: { 200: fileBody },
});

// The exam council's API (issue 22): thin handlers over the commands in seating.ts, registered from the
// contracts in src/contracts/exam.ts, each answer an explicit mapping.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/exam.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import { assignSeating, listCandidateNumbers, ownSeating, saveSites, seatingOverview } from './seating.ts';
import type { StoredSite } from './exam.repository.ts';
import { candidateNotice, ownNotice, prepareClassNotices, prepareRoomLists } from './notices.ts';
import { renderPool } from '../render/pool.ts';
import { stream } from '../exports/routes.ts';
import { slotEnd } from '../../domain/exam-notice.ts';
import '../http/route-access.ts';

const presentSite = (s: StoredSite) => ({ id: s.id, code: s.code, name: s.name, address: s.address, pointIds: [...s.pointIds] });

export async function examRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const manage = { access: 'action', action: 'exam.manage' } as const;

  r.route({
    ...routeOf(c.seatingOverview),
    config: manage,
    handler: async (req) => {
      const o = await seatingOverview(ctxOf(s, req), req.params.departmentCode);
      const k = o.council;
      return {
        examYear: o.examYear,
        council: k ? { councilCode: k.councilCode, roomSize: k.roomSize, lastRoomMax: k.lastRoomMax, firstSerial: k.firstSerial, lastSerial: k.lastSerial, planVersion: k.planVersion, plannedAt: k.plannedAt } : null,
        sites: o.sites.map(presentSite),
        points: o.points.map((p) => ({ id: p.id, code: p.code, name: p.name, siteId: p.siteId })),
        counts: o.counts,
      };
    },
  });
  r.route({ ...routeOf(c.saveSites), config: manage, handler: async (req) => ({ sites: (await saveSites(ctxOf(s, req), req.params.departmentCode, req.body.sites)).map(presentSite) }) });
  r.route({
    ...routeOf(c.assignSeating),
    config: manage,
    handler: async (req) => {
      const b = req.body;
      const out = await assignSeating(ctxOf(s, req), req.params.departmentCode, {
        ...(b.roomSize !== undefined ? { roomSize: b.roomSize } : {}),
        ...(b.lastRoomMax !== undefined ? { lastRoomMax: b.lastRoomMax } : {}),
        ...(b.firstSerial !== undefined ? { firstSerial: b.firstSerial } : {}),
      });
      return { planVersion: out.planVersion, changes: out.changes, newlyNumbered: out.newlyNumbered, findings: out.findings, counts: out.counts };
    },
  });
  r.route({
    ...routeOf(c.listNumbers),
    config: manage,
    handler: async (req) => {
      const out = await listCandidateNumbers(ctxOf(s, req), req.params.departmentCode, req.query);
      return {
        items: out.items.map((i) => ({ candidateId: i.candidateId, number: i.number, siteId: i.siteId, fullName: i.fullName, dateOfBirth: i.dateOfBirth, pointId: i.pointId, className: i.className })),
        nextAfter: out.nextAfter,
      };
    },
  });
  r.route({
    ...routeOf(c.getOwnSeating),
    config: { access: 'action', action: 'candidate.read' },
    handler: async (req) => {
      const o = await ownSeating(ctxOf(s, req));
      return {
        examYear: o.examYear,
        number: o.number,
        site: o.site ? { code: o.site.code, name: o.site.name, address: o.site.address } : null,
        checkIn: o.checkIn,
        sessions: o.sessions.map((x) => ({ session: x.session, room: x.room, seat: x.seat, date: x.slot?.date ?? null, start: x.slot?.start ?? null, end: x.slot ? slotEnd(x.slot) : null })),
      };
    },
  });

  // ---- the exam notice and the room lists: files, never cached ----
  const pdf = (reply: FastifyReply, out: { pdf: Buffer; fileName: string }) =>
    reply.type(c.ownNotice.produces).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${out.fileName}"`).send(out.pdf);
  r.route({ ...routeOf(c.ownNotice), config: { access: 'action', action: 'candidate.read' }, handler: async (req, reply) => pdf(reply, await ownNotice(ctxOf(s, req), renderPool(s), s.config.DATA_DIR)) });
  r.route({
    ...routeOf(c.candidateNotice),
    config: { access: 'action', action: 'candidate.read' },
    handler: async (req, reply) => pdf(reply, await candidateNotice(ctxOf(s, req), renderPool(s), s.config.DATA_DIR, req.params.candidateId)),
  });
  r.route({
    ...routeOf(c.classNotices),
    config: { access: 'action', action: 'dossier.export' },
    handler: async (req, reply) => stream(reply, req, await prepareClassNotices(ctxOf(s, req), renderPool(s), s.config.DATA_DIR, { pointId: req.params.pointId, className: req.query.className }), c.classNotices.produces),
  });
  r.route({
    ...routeOf(c.pointRoomLists),
    config: { access: 'action', action: 'dossier.export' },
    handler: async (req, reply) => stream(reply, req, await prepareRoomLists(ctxOf(s, req), renderPool(s), { pointId: req.params.pointId }), c.pointRoomLists.produces),
  });
  r.route({
    ...routeOf(c.departmentRoomLists),
    config: manage,
    handler: async (req, reply) => stream(reply, req, await prepareRoomLists(ctxOf(s, req), renderPool(s), { departmentCode: req.params.departmentCode }), c.departmentRoomLists.produces),
  });
}

// The ministry's configuration API: exam years, departments and registration points. Thin handlers: the
// contract (src/contracts/admin.ts) gives the method, path and schemas; each handler calls a command and
// presents its result with an explicit mapping.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/admin.ts';
import { ctxOf, type Services } from '../context.ts';
import { routeOf } from '../http/route.ts';
import type { StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { checkYear, createYear, editYear, getYear, listYears, publishYear } from './exam-years.ts';
import { createDepartment, createPoint, editDepartment, editPoint, listDepartmentsFor, listPointsOf } from './org.ts';
import type { OrgRow } from './admin.repository.ts';
import '../http/route-access.ts';

const presentYear = (y: StoredExamYear) => ({ year: y.year, scheme: y.scheme, windows: y.windows, rules: y.rules, status: y.published ? ('published' as const) : ('draft' as const), publishedAt: y.publishedAt });
const presentOrg = (o: OrgRow) => ({ id: o.id, kind: o.kind, code: o.code, name: o.name, parentId: o.parentId, departmentCode: o.departmentCode, pointKind: o.pointKind, address: o.address, active: o.active });

export async function adminRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const years = { access: 'action', action: 'exam_year.manage' } as const;
  const org = { access: 'action', action: 'org.manage' } as const;

  r.route({ ...routeOf(c.listExamYears), config: years, handler: async (req) => ({ years: (await listYears(ctxOf(s, req))).map(presentYear) }) });
  r.route({ ...routeOf(c.createExamYear), config: years, handler: async (req, reply) => reply.status(201).send(presentYear(await createYear(ctxOf(s, req), req.body))) });
  r.route({ ...routeOf(c.getExamYear), config: years, handler: async (req) => presentYear(await getYear(ctxOf(s, req), req.params.year)) });
  r.route({ ...routeOf(c.editExamYear), config: years, handler: async (req) => presentYear(await editYear(ctxOf(s, req), req.params.year, req.body)) });
  r.route({
    ...routeOf(c.checkExamYear),
    config: years,
    handler: async (req) => {
      const findings = await checkYear(ctxOf(s, req), req.params.year);
      return { year: req.params.year, ok: findings.length === 0, findings };
    },
  });
  r.route({ ...routeOf(c.publishExamYear), config: years, handler: async (req) => presentYear(await publishYear(ctxOf(s, req), req.params.year)) });

  r.route({ ...routeOf(c.listDepartments), config: org, handler: async (req) => ({ items: (await listDepartmentsFor(ctxOf(s, req))).map(presentOrg) }) });
  r.route({ ...routeOf(c.createDepartment), config: org, handler: async (req, reply) => reply.status(201).send(presentOrg(await createDepartment(ctxOf(s, req), req.body))) });
  r.route({ ...routeOf(c.editDepartment), config: org, handler: async (req) => presentOrg(await editDepartment(ctxOf(s, req), req.params.departmentCode, req.body)) });
  r.route({ ...routeOf(c.listPoints), config: org, handler: async (req) => ({ items: (await listPointsOf(ctxOf(s, req), req.params.departmentCode)).map(presentOrg) }) });
  r.route({
    ...routeOf(c.createPoint),
    config: org,
    handler: async (req, reply) => reply.status(201).send(presentOrg(await createPoint(ctxOf(s, req), req.params.departmentCode, req.body))),
  });
  r.route({ ...routeOf(c.editPoint), config: org, handler: async (req) => presentOrg(await editPoint(ctxOf(s, req), req.params.pointId, req.body)) });
}

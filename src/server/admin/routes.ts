// The ministry's configuration API: exam years, departments and registration points. Thin handlers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../context.ts';
import type { StoredExamYear } from '../exam-years/exam-years.repository.ts';
import { checkYear, createYear, editYear, getYear, listYears, publishYear, type AdminCtx } from './exam-years.ts';
import { createDepartment, createPoint, editDepartment, editPoint, listDepartmentsFor, listPointsOf } from './org.ts';
import {
  checkResponse, createDepartmentBody, createPointBody, createYearBody, departmentCodeParams, editOrgBody, editYearBody, orgListResponse, orgUnitResponse, pointIdParams,
  yearListResponse, yearParams, yearResponse,
} from './admin.schema.ts';
import type { OrgRow } from './admin.repository.ts';
import '../http/route-access.ts';

const adminCtx = (s: Services, req: FastifyRequest): AdminCtx => ({ db: s.db, actor: req.actor, now: s.clock(), ip: req.ip ?? null });
const presentYear = (y: StoredExamYear) => ({ year: y.year, scheme: y.scheme, windows: y.windows, rules: y.rules, status: y.published ? ('published' as const) : ('draft' as const), publishedAt: y.publishedAt });
const presentOrg = (o: OrgRow) => ({ id: o.id, kind: o.kind, code: o.code, name: o.name, parentId: o.parentId, departmentCode: o.departmentCode, pointKind: o.pointKind, address: o.address, active: o.active });

export async function adminRoutes(app: FastifyInstance, s: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  const years = { access: 'action', action: 'exam_year.manage' } as const;
  const org = { access: 'action', action: 'org.manage' } as const;

  r.get('/api/admin/exam-years', { config: years, schema: { tags, summary: 'Exam years, newest first', response: { 200: yearListResponse } } }, async (req) => ({ years: (await listYears(adminCtx(s, req))).map(presentYear) }));

  r.post('/api/admin/exam-years', { config: years, schema: { tags, summary: 'Create an exam year as a draft', body: createYearBody, response: { 201: yearResponse } } }, async (req, reply) => {
    return reply.status(201).send(presentYear(await createYear(adminCtx(s, req), req.body)));
  });

  r.get('/api/admin/exam-years/:year', { config: years, schema: { tags, params: yearParams, response: { 200: yearResponse } } }, async (req) => presentYear(await getYear(adminCtx(s, req), req.params.year)));

  r.patch('/api/admin/exam-years/:year', { config: years, schema: { tags, summary: 'Edit a year: a draft freely; a published one only with a reason (audited, before and after)', params: yearParams, body: editYearBody, response: { 200: yearResponse } } }, async (req) => {
    return presentYear(await editYear(adminCtx(s, req), req.params.year, req.body));
  });

  r.get('/api/admin/exam-years/:year/check', { config: years, schema: { tags, summary: 'Contradictions that would stop publishing', params: yearParams, response: { 200: checkResponse } } }, async (req) => {
    const findings = await checkYear(adminCtx(s, req), req.params.year);
    return { year: req.params.year, ok: findings.length === 0, findings };
  });

  r.post('/api/admin/exam-years/:year/publish', { config: years, schema: { tags, summary: 'Publish a year (422 with the findings if the check fails)', params: yearParams, response: { 200: yearResponse } } }, async (req) => {
    return presentYear(await publishYear(adminCtx(s, req), req.params.year));
  });

  r.get('/api/admin/departments', { config: org, schema: { tags, summary: 'Departments (a department officer sees its own)', response: { 200: orgListResponse } } }, async (req) => ({ items: (await listDepartmentsFor(adminCtx(s, req))).map(presentOrg) }));

  r.post('/api/admin/departments', { config: org, schema: { tags, summary: 'Create a department (ministry)', body: createDepartmentBody, response: { 201: orgUnitResponse } } }, async (req, reply) => {
    return reply.status(201).send(presentOrg(await createDepartment(adminCtx(s, req), req.body)));
  });

  r.patch('/api/admin/departments/:departmentCode', { config: org, schema: { tags, summary: 'Rename, deactivate or reactivate a department (ministry)', params: departmentCodeParams, body: editOrgBody, response: { 200: orgUnitResponse } } }, async (req) => {
    return presentOrg(await editDepartment(adminCtx(s, req), req.params.departmentCode, req.body));
  });

  r.get('/api/admin/departments/:departmentCode/points', { config: org, schema: { tags, summary: "A department's registration points", params: departmentCodeParams, response: { 200: orgListResponse } } }, async (req) => ({
    items: (await listPointsOf(adminCtx(s, req), req.params.departmentCode)).map(presentOrg),
  }));

  r.post('/api/admin/departments/:departmentCode/points', { config: org, schema: { tags, summary: 'Create a registration point (code = department code + 3 digits)', params: departmentCodeParams, body: createPointBody, response: { 201: orgUnitResponse } } }, async (req, reply) => {
    return reply.status(201).send(presentOrg(await createPoint(adminCtx(s, req), req.params.departmentCode, req.body)));
  });

  r.patch('/api/admin/points/:pointId', { config: org, schema: { tags, summary: 'Rename, deactivate or reactivate a registration point', params: pointIdParams, body: editOrgBody, response: { 200: orgUnitResponse } } }, async (req) => {
    return presentOrg(await editPoint(adminCtx(s, req), req.params.pointId, req.body));
  });
}

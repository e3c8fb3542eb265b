// The ministry's configuration API (exam years, departments, registration points): request and response
// shapes and the operations, shared by the server's routes, the browser and the OpenAPI document.
import { z } from 'zod';
import { finding } from './common.ts';
import { operation } from './operation.ts';


const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const localWindow = z.strictObject({ from: localDate, to: localDate, opensAt: localTime.optional(), closesAt: localTime.optional() });
export const windowsSchema = z.strictObject({ accountIssuing: localWindow, trial: localWindow, official: localWindow, correction: localWindow });
const rulesSchema = z.record(z.string().max(64), z.unknown());

export const yearParams = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

export const createYearBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  scheme: z.enum(['CT2006', 'CT2018']),
  windows: windowsSchema,
  rules: rulesSchema.optional(),
});

/**
 * The year's score-review settings (rules.reviews): a fixed window, or null for `days` days from each
 * council's first publication; the fee per paper; paid online (through the payment gateway when it is
 * configured, else at the point) or at the point. Ranges are checked by checkReviewSettings (src/domain),
 * in words, on the field.
 */
export const reviewSettingsBody = z.strictObject({
  window: z.strictObject({ from: z.string().max(10), to: z.string().max(10), opensAt: z.string().max(5).optional(), closesAt: z.string().max(5).optional() }).nullable(),
  days: z.number(),
  feePerPaperVnd: z.number(),
  payment: z.enum(['online', 'at_point']),
});

export const editYearBody = z.strictObject({
  scheme: z.enum(['CT2006', 'CT2018']).optional(),
  windows: windowsSchema.optional(),
  rules: rulesSchema.optional(),
  /** merged into rules.reviews (what it does not name is kept) */
  reviews: reviewSettingsBody.optional(),
  /** required once the year is published; kept in the audit log with the before and after */
  reason: z.string().trim().min(5).max(1000).optional(),
});


export const yearResponse = z.object({
  year: z.number().int(),
  scheme: z.enum(['CT2006', 'CT2018']),
  windows: windowsSchema,
  rules: z.record(z.string(), z.unknown()),
  status: z.enum(['draft', 'published']),
  publishedAt: z.string().nullable(),
});
export const yearListResponse = z.object({ years: z.array(yearResponse) });
export const checkResponse = z.object({ year: z.number().int(), ok: z.boolean(), findings: z.array(finding) });

export const departmentCodeParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/) });
export const pointIdParams = z.strictObject({ pointId: z.string().min(1).max(64) });

export const createDepartmentBody = z.strictObject({ code: z.string().regex(/^\d{2}$/), name: z.string().trim().min(2).max(200) });
export const createPointBody = z.strictObject({
  /** the department code followed by 3 digits: 01001 */
  code: z.string().regex(/^\d{5}$/),
  name: z.string().trim().min(2).max(200),
  pointKind: z.enum(['school', 'free']),
  address: z.string().trim().max(300).optional(),
});
export const editOrgBody = z
  .strictObject({ name: z.string().trim().min(2).max(200).optional(), active: z.boolean().optional(), address: z.string().trim().max(300).nullable().optional() })
  .refine((b) => b.name !== undefined || b.active !== undefined || b.address !== undefined, { message: 'nothing to change' });

export const orgUnitResponse = z.object({
  id: z.string(),
  kind: z.enum(['ministry', 'department', 'point', 'institution']),
  code: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  departmentCode: z.string().nullable(),
  pointKind: z.enum(['school', 'free']).nullable(),
  address: z.string().nullable(),
  active: z.boolean(),
});
export const orgListResponse = z.object({ items: z.array(orgUnitResponse) });

const tags = ['admin'];

export const listExamYears = operation({ method: 'GET', path: '/api/admin/exam-years', tags, summary: 'Exam years, newest first', responses: { 200: yearListResponse } });
export const createExamYear = operation({ method: 'POST', path: '/api/admin/exam-years', tags, summary: 'Create an exam year as a draft', body: createYearBody, responses: { 201: yearResponse } });
export const getExamYear = operation({ method: 'GET', path: '/api/admin/exam-years/:year', tags, params: yearParams, responses: { 200: yearResponse } });
export const editExamYear = operation({
  method: 'PATCH',
  path: '/api/admin/exam-years/:year',
  tags,
  summary: 'Edit a year: a draft freely; a published one only with a reason (audited, before and after)',
  params: yearParams,
  body: editYearBody,
  responses: { 200: yearResponse },
});
export const checkExamYear = operation({ method: 'GET', path: '/api/admin/exam-years/:year/check', tags, summary: 'Contradictions that would stop publishing', params: yearParams, responses: { 200: checkResponse } });
export const publishExamYear = operation({ method: 'POST', path: '/api/admin/exam-years/:year/publish', tags, summary: 'Publish a year (422 with the findings if the check fails)', params: yearParams, responses: { 200: yearResponse } });
export const listDepartments = operation({ method: 'GET', path: '/api/admin/departments', tags, summary: 'Departments (a department officer sees its own)', responses: { 200: orgListResponse } });
export const createDepartment = operation({ method: 'POST', path: '/api/admin/departments', tags, summary: 'Create a department (ministry)', body: createDepartmentBody, responses: { 201: orgUnitResponse } });
export const editDepartment = operation({
  method: 'PATCH',
  path: '/api/admin/departments/:departmentCode',
  tags,
  summary: 'Rename, deactivate or reactivate a department (ministry)',
  params: departmentCodeParams,
  body: editOrgBody,
  responses: { 200: orgUnitResponse },
});
export const listPoints = operation({ method: 'GET', path: '/api/admin/departments/:departmentCode/points', tags, summary: "A department's registration points", params: departmentCodeParams, responses: { 200: orgListResponse } });
export const createPoint = operation({
  method: 'POST',
  path: '/api/admin/departments/:departmentCode/points',
  tags,
  summary: 'Create a registration point (code = department code + 3 digits)',
  params: departmentCodeParams,
  body: createPointBody,
  responses: { 201: orgUnitResponse },
});
export const editPoint = operation({ method: 'PATCH', path: '/api/admin/points/:pointId', tags, summary: 'Rename, deactivate or reactivate a registration point', params: pointIdParams, body: editOrgBody, responses: { 200: orgUnitResponse } });

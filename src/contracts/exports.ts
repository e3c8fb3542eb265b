// Exports for registration points and departments: the lists for signature (XLSX) and a class's
// registration forms (one PDF), streamed as they are written.
import { z } from 'zod';
import { fileBody, media } from './common.ts';
import { operation } from './operation.ts';

export const pointParams = z.strictObject({ pointId: z.string().min(1).max(64) });
export const pointListQuery = z.strictObject({ className: z.string().trim().min(1).max(32).optional() });
export const classQuery = z.strictObject({ className: z.string().trim().min(1).max(32) });
export const departmentParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/) });

const tags = ['exports'];

export const pointCandidateList = operation({
  method: 'GET',
  path: '/api/exports/points/:pointId/candidates.xlsx',
  tags,
  summary: "A point's list for signature (one class with ?className=), XLSX in Vietnamese name order",
  params: pointParams,
  query: pointListQuery,
  produces: media.xlsx,
  responses: { 200: fileBody },
});
export const classForms = operation({
  method: 'GET',
  path: '/api/exports/points/:pointId/forms.pdf',
  tags,
  summary: 'All registration forms of one class (?className=), one PDF to print and sign',
  params: pointParams,
  query: classQuery,
  produces: media.pdf,
  responses: { 200: fileBody },
});
export const departmentCandidateList = operation({
  method: 'GET',
  path: '/api/exports/departments/:departmentCode/candidates.xlsx',
  tags,
  summary: "A province's list, XLSX, streamed",
  params: departmentParams,
  produces: media.xlsx,
  responses: { 200: fileBody },
});

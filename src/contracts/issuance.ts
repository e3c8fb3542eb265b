// A registration point's bulk issuance API: the class-list template, the class-list import (upload →
// row-by-row report → commit), issuing one-time passwords, and the slips and teacher's list of an issuance.
import { z } from 'zod';
import { fileBody, media } from './common.ts';
import { operation } from './operation.ts';

export const pointIdParams = z.object({ pointId: z.string().min(1).max(64) }).strict();
export const importParams = z.object({ pointId: z.string().min(1).max(64), importId: z.string().min(1).max(64) }).strict();
export const issuanceParams = z.object({ pointId: z.string().min(1).max(64), issuanceId: z.string().min(1).max(64) }).strict();
/** the key to an issuance's sealed passwords: it travels only in the URLs the issuing answer gives */
export const documentKeyQuery = z.object({ key: z.string().min(40).max(60) }).strict();

/** One problem of one spreadsheet row (field: fullName, dateOfBirth, gender, idNumber, nationality, className, file). */
export const importFinding = z.object({
  row: z.number().int(),
  /** the row's name as typed, so the report says whose row it is */
  name: z.string().optional(),
  field: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  vi: z.string(),
  en: z.string(),
});
export const importReport = z.object({
  importId: z.string(),
  status: z.enum(['validated', 'committed', 'discarded']),
  fileName: z.string(),
  encoding: z.string().nullable(),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  /** students the point already has, the same in the file (a corrected list sent again): left as they are */
  unchangedRows: z.number().int(),
  /** students the point already has, corrected in the file (name, date of birth, gender, class): among validRows, updated on import */
  updatedRows: z.number().int(),
  /** clean and not yet imported: mode "all" is allowed */
  canImportAll: z.boolean(),
  findings: z.array(importFinding),
  findingsTruncated: z.boolean(),
});

export const importMode = z.enum(['all', 'valid_rows']);
export const commitImportBody = z.object({ mode: importMode }).strict();
export const commitImportResponse = z.object({ imported: z.number().int(), updated: z.number().int(), skipped: z.number().int() });

export const issueBody = z
  .object({
    userIds: z.array(z.string().min(1).max(64)).min(1).max(20_000).optional(),
    className: z.string().trim().min(1).max(20).optional(),
    reissue: z.boolean().optional().meta({ description: 'new one-time passwords for accounts already issued (the old ones stop working)' }),
  })
  .strict();
/** The URLs carry the only key to the passwords. */
export const issueResponse = z.object({
  issuanceId: z.string(),
  issued: z.number().int(),
  skippedDisabled: z.number().int(),
  documentsExpireAt: z.string(),
  slipsUrl: z.string().meta({ description: 'PDF, A4, ten slips a page; usable until documentsExpireAt' }),
  teacherListUrl: z.string().meta({ description: 'XLSX for the class teacher' }),
});

/** A point's classes to choose from when issuing: each with its candidates and accounts issued / signed in. */
export const pointClassesResponse = z.object({
  examYear: z.number().int(),
  items: z.array(z.object({ className: z.string(), candidates: z.number().int(), issued: z.number().int(), signedIn: z.number().int() })),
});

const tags = ['issuance'];

export const pointClasses = operation({ method: 'GET', path: '/api/points/:pointId/classes', tags, summary: "The point's classes with their candidates and accounts issued and signed in", params: pointIdParams, responses: { 200: pointClassesResponse } });

export const importTemplate = operation({ method: 'GET', path: '/api/points/:pointId/imports/template.xlsx', tags, summary: 'The class-list template (XLSX)', params: pointIdParams, produces: media.xlsx, responses: { 200: fileBody } });
export const importFailedRows = operation({
  method: 'GET',
  path: '/api/points/:pointId/imports/:importId/failed-rows.xlsx',
  tags,
  summary: 'The rows of an uploaded class list that will not be imported, as typed, with what to fix in each (XLSX in the template’s columns, to correct and upload again)',
  params: importParams,
  produces: media.xlsx,
  responses: { 200: fileBody },
});
export const uploadClassList = operation({
  method: 'POST',
  path: '/api/points/:pointId/imports',
  tags,
  summary: 'Upload a class list (multipart field "file": XLSX or CSV); answers the row-by-row report, imports nothing yet',
  params: pointIdParams,
  consumes: media.multipart,
  responses: { 201: importReport },
});
export const getImport = operation({ method: 'GET', path: '/api/points/:pointId/imports/:importId', tags, summary: 'The report of an uploaded class list', params: importParams, responses: { 200: importReport } });
export const commitImport = operation({
  method: 'POST',
  path: '/api/points/:pointId/imports/:importId/commit',
  tags,
  summary: 'Import the list: mode "all" only when it is clean, "valid_rows" to import the valid rows and leave the others',
  params: importParams,
  body: commitImportBody,
  responses: { 200: commitImportResponse },
});
export const issueAccounts = operation({
  method: 'POST',
  path: '/api/points/:pointId/accounts/issue',
  tags,
  summary: 'Issue one-time passwords (default: every candidate of the point without an account)',
  params: pointIdParams,
  body: issueBody,
  responses: { 201: issueResponse },
});
export const issuanceSlips = operation({
  method: 'GET',
  path: '/api/points/:pointId/issuances/:issuanceId/slips.pdf',
  tags,
  summary: 'Credential slips (PDF) of an issuance',
  params: issuanceParams,
  query: documentKeyQuery,
  produces: media.pdf,
  responses: { 200: fileBody },
});
export const issuanceTeacherList = operation({
  method: 'GET',
  path: '/api/points/:pointId/issuances/:issuanceId/teacher-list.xlsx',
  tags,
  summary: "The class teacher's list (XLSX) of an issuance",
  params: issuanceParams,
  query: documentKeyQuery,
  produces: media.xlsx,
  responses: { 200: fileBody },
});

// The admission catalogue (issue 23, deliverable 1): the ministry's institutions (created with their province,
// their admissions officers created through POST /api/staff), each institution's programmes imported from
// a spreadsheet (upload → row-by-row report → import, replacing its drafts), and the ministry's review
// (publish the drafts, or return them with a reason). Shared by the routes, the browser and the OpenAPI document.
import { z } from 'zod';
import { fileBody, media } from './common.ts';
import { operation } from './operation.ts';
import { programmeShape } from './admission.ts';

const tags = ['admission catalogue'] as const;

export const institutionIdParams = z.strictObject({ institutionId: z.string().min(1).max(64) });
export const catalogueImportParams = z.strictObject({ institutionId: z.string().min(1).max(64), importId: z.string().min(1).max(64) });

export const createInstitutionBody = z.strictObject({
  /** Vietnam's institution code: 2–6 upper-case letters or digits (QHI, BKA) */
  code: z.string().trim().min(1).max(20),
  name: z.string().trim().min(2).max(200),
  /** the province (exam department code) of its seat */
  provinceCode: z.string().regex(/^\d{2}$/),
});

const returnShape = z.object({ reason: z.string(), returnedAt: z.string(), drafts: z.number().int() });

export const institutionShape = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  provinceCode: z.string().nullable(),
  active: z.boolean(),
  drafts: z.number().int(),
  published: z.number().int(),
  /** the ministry's latest return of the drafts, until the next import or publication */
  returned: returnShape.nullable(),
  lastImportAt: z.string().nullable(),
});
export const institutionListResponse = z.object({ examYear: z.number().int(), items: z.array(institutionShape) });

export const catalogueProgrammeShape = programmeShape.extend({
  status: z.enum(['draft', 'published']),
  /** the run's TiePolicy */
  tiePolicy: z.object({
    kind: z.enum(['admit-all-tied', 'break-by-rule']),
    criteria: z.array(z.union([z.object({ by: z.literal('wish-order') }), z.object({ by: z.literal('value'), key: z.string() })])).optional(),
  }),
  publishedAt: z.string().nullable(),
  /** a draft revising a published programme (re-imported before the wish window opened): that programme's id, listed beside it */
  revises: z.string().nullable(),
});

export const catalogueResponse = z.object({
  examYear: z.number().int(),
  institution: institutionShape,
  programmes: z.array(catalogueProgrammeShape),
});

/** One problem of one spreadsheet row (field: code, name, method, combinations, quota, minScore, teacherTraining, tieBreak). */
export const catalogueFinding = z.object({
  row: z.number().int(),
  /** the programme's code as typed, so the report says which row it is */
  programme: z.string().optional(),
  field: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  vi: z.string(),
  en: z.string(),
});
export const catalogueImportReport = z.object({
  importId: z.string(),
  status: z.enum(['validated', 'committed', 'discarded']),
  fileName: z.string(),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  /** programmes already published, the same in the file: left as they are */
  unchangedRows: z.number().int(),
  /** clean and not yet imported */
  canImport: z.boolean(),
  findings: z.array(catalogueFinding),
  createdAt: z.string(),
  importedRows: z.number().int().nullable(),
});
export const commitCatalogueResponse = z.object({ imported: z.number().int(), replacedDrafts: z.number().int() });

export const publishCatalogueResponse = z.object({ published: z.number().int() });
export const returnCatalogueBody = z.strictObject({ reason: z.string().trim().min(5).max(1000) });
export const returnCatalogueResponse = z.object({ returned: z.number().int() });

export const listInstitutions = operation({ method: 'GET', path: '/api/admission/institutions', tags, summary: "Institutions with their draft and published programmes of the year (the ministry's review list)", responses: { 200: institutionListResponse } });
export const createInstitution = operation({ method: 'POST', path: '/api/admission/institutions', tags, summary: 'Create an institution (the ministry); its admissions officers are created through POST /api/staff', body: createInstitutionBody, responses: { 201: institutionShape } });
export const getCatalogue = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/programmes',
  tags,
  summary: "An institution's programmes of the year, drafts and published (its officers, the ministry)",
  params: institutionIdParams,
  responses: { 200: catalogueResponse },
});
export const catalogueTemplate = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/programmes/template.xlsx',
  tags,
  summary: 'The programme catalogue template (XLSX)',
  params: institutionIdParams,
  produces: media.xlsx,
  responses: { 200: fileBody },
});
export const uploadCatalogue = operation({
  method: 'POST',
  path: '/api/admission/institutions/:institutionId/programme-imports',
  tags,
  summary: 'Upload the programme catalogue (multipart field "file": XLSX or CSV); answers the row-by-row report, imports nothing yet',
  params: institutionIdParams,
  consumes: media.multipart,
  responses: { 201: catalogueImportReport },
});
export const getCatalogueImport = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/programme-imports/:importId',
  tags,
  summary: 'The report of an uploaded catalogue',
  params: catalogueImportParams,
  responses: { 200: catalogueImportReport },
});
export const catalogueImportRowsToFix = operation({
  method: 'GET',
  path: '/api/admission/institutions/:institutionId/programme-imports/:importId/rows-to-fix.xlsx',
  tags,
  summary: 'The rows of an uploaded catalogue that cannot be imported, as typed, with what to fix in each (XLSX in the template’s columns)',
  params: catalogueImportParams,
  produces: media.xlsx,
  responses: { 200: fileBody },
});
export const commitCatalogueImport = operation({
  method: 'POST',
  path: '/api/admission/institutions/:institutionId/programme-imports/:importId/commit',
  tags,
  summary: "Import a clean catalogue: it replaces the institution's drafts of the year (published programmes stay as they are); refused while any row is wrong",
  params: catalogueImportParams,
  responses: { 200: commitCatalogueResponse },
});
export const publishCatalogue = operation({
  method: 'POST',
  path: '/api/admission/institutions/:institutionId/programmes/publish',
  tags,
  summary: "Publish all of an institution's draft programmes (the ministry); candidates find them from then on",
  params: institutionIdParams,
  responses: { 200: publishCatalogueResponse },
});
export const returnCatalogue = operation({
  method: 'POST',
  path: '/api/admission/institutions/:institutionId/programmes/return',
  tags,
  summary: "Return an institution's drafts with a reason (the ministry); the institution corrects and imports again",
  params: institutionIdParams,
  body: returnCatalogueBody,
  responses: { 200: returnCatalogueResponse },
});

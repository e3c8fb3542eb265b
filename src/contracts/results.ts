// The exam results (issue 22, items 3 and 4): a council's marks uploaded as versioned imports (row-by-row
// report, the difference against the published marks), published by a second officer with the graduation
// results computed; a point's school-year averages. Shared by the server's routes, the browser and the
// OpenAPI document.
import { z } from 'zod';
import { media } from './common.ts';
import { operation } from './operation.ts';

const tags = ['results'] as const;

export const departmentParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/) });
export const resultImportParams = z.strictObject({ departmentCode: z.string().regex(/^\d{2}$/), resultImportId: z.string().min(1).max(64) });
export const pointParams = z.strictObject({ pointId: z.string().min(1).max(64) });

/** One problem of one row (field: number, subject, mark, sanction; for averages: idNumber, fullName, grade10–12, groups). */
export const rowFinding = z.object({ row: z.number().int(), field: z.string(), code: z.string(), severity: z.enum(['error', 'warning']), vi: z.string(), en: z.string() });

/** A mark as the report shows it; null: none. */
export const markShape = z
  .object({
    kind: z.enum(['score', 'absent', 'suspended']),
    /** 0–10 (score only) */
    score: z.number().nullable(),
    sanction: z.enum(['reprimand', 'warning']).nullable(),
    /** as printed: 7,25 (KT) / Vắng / Đình chỉ */
    vi: z.string(),
    en: z.string(),
  })
  .nullable();

export const resultImportShape = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(['staged', 'published', 'superseded']),
  /** a council's file, or the changed marks of score reviews (phúc khảo) */
  kind: z.enum(['file', 'review']),
  fileName: z.string(),
  subjects: z.array(z.string()),
  /** the published version the difference was computed against */
  baseVersion: z.number().int(),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  resultsComputed: z.number().int().nullable(),
});

export const marksReport = z.object({
  import: resultImportShape,
  findings: z.array(rowFinding),
  findingsTruncated: z.boolean(),
  /** what publishing changes: added (no old), changed (old → new), removed (no new); unchanged rows are counted only */
  changes: z.array(z.object({ row: z.number().int().nullable(), number: z.string(), subject: z.string(), change: z.enum(['added', 'changed', 'removed']), old: markShape, new: markShape })),
  changesTruncated: z.boolean(),
  /** the signed-in officer uploaded it: another officer must publish it */
  publishableByMe: z.boolean(),
});

export const importsList = z.object({ examYear: z.number().int(), publishedVersion: z.number().int(), items: z.array(resultImportShape) });

export const publishResponse = z.object({
  version: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  superseded: z.number().int(),
  results: z.object({ computed: z.number().int(), passed: z.number().int(), failed: z.number().int(), incomplete: z.number().int(), notApplicable: z.number().int() }),
});

export const averagesQuery = z.strictObject({ mode: z.enum(['all', 'valid_rows']).optional() });
export const averagesReport = z.object({
  examYear: z.number().int(),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  saved: z.number().int(),
  findings: z.array(rowFinding),
  findingsTruncated: z.boolean(),
});

export const uploadMarks = operation({
  method: 'POST',
  path: '/api/results/departments/:departmentCode/imports',
  tags,
  summary: "Upload a council's marks (multipart field \"file\": CSV or XLSX; columns Số báo danh, Mã môn, Điểm, optional Kỷ luật): checked row by row and staged as the next version with its difference against the published marks; publishes nothing (audited)",
  params: departmentParams,
  consumes: media.multipart,
  responses: { 201: marksReport },
});
export const listImports = operation({ method: 'GET', path: '/api/results/departments/:departmentCode/imports', tags, summary: "The council's mark imports, newest first, and its published version", params: departmentParams, responses: { 200: importsList } });
export const getImport = operation({ method: 'GET', path: '/api/results/departments/:departmentCode/imports/:resultImportId', tags, summary: 'An import: its row report and what publishing it changes', params: resultImportParams, responses: { 200: marksReport } });
export const publishImport = operation({
  method: 'POST',
  path: '/api/results/departments/:departmentCode/imports/:resultImportId/publish',
  tags,
  summary: 'Publish a staged import (a second officer, never the uploader): only the differing marks change, and the graduation results of the candidates they touch are computed and stored (audited)',
  params: resultImportParams,
  responses: { 200: publishResponse },
});
export const uploadAverages = operation({
  method: 'POST',
  path: '/api/results/points/:pointId/averages',
  tags,
  summary: "Upload the point's school-year averages (grade 10, 11, 12) and graduation priority groups (multipart field \"file\": CSV or XLSX); saved when clean, or the valid rows alone with mode=valid_rows (audited)",
  params: pointParams,
  query: averagesQuery,
  consumes: media.multipart,
  responses: { 200: averagesReport },
});

// ---- the results morning (item 5) ----

const paperShape = z.object({
  subject: z.string(),
  kind: z.enum(['score', 'absent', 'suspended']),
  score: z.number().nullable(),
  sanction: z.enum(['reprimand', 'warning']).nullable(),
  /** as printed: 7,25 (KT) / Vắng / Đình chỉ */
  vi: z.string(),
  en: z.string(),
});
const graduationShape = z.object({ status: z.enum(['passed', 'failed', 'incomplete', 'not_applicable']), vi: z.string(), en: z.string() });

/** What anyone sees for a number: no name, date of birth or personal number (see src/domain/results-release.ts). */
export const publicResultShape = z.object({ number: z.string(), examYear: z.number().int(), departmentCode: z.string(), papers: z.array(paperShape), graduation: graduationShape });
const ownPaperShape = paperShape.extend({ name: z.object({ vi: z.string(), en: z.string() }) });

export const ownResultShape = z.object({
  number: z.string(),
  examYear: z.number().int(),
  releasedAt: z.string(),
  papers: z.array(ownPaperShape),
  graduation: graduationShape,
  scheme: z.string(),
  /** ĐXTN, 2 decimals; null when it could not be computed */
  graduationScore: z.number().nullable(),
  schoolAverage: z.number().nullable(),
  encouragementPoints: z.number(),
  priorityPoints: z.number(),
  reasons: z.array(z.object({ code: z.string(), vi: z.string(), en: z.string() })),
});

export const releaseBody = z.strictObject({
  /** local date in Vietnam, YYYY-MM-DD */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** local time, HH:MM (default 08:00) */
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional(),
});
export const releaseShape = z.object({ at: z.string(), localDate: z.string(), localTime: z.string(), setBy: z.string(), setAt: z.string() });

export const numberParams = z.strictObject({ number: z.string().regex(/^\d{8}$/) });

export const setRelease = operation({
  method: 'PUT',
  path: '/api/results/release',
  tags,
  summary: "Set the year's results release instant (local date, 08:00 Vietnam time unless another time is given); refused once released (audited)",
  body: releaseBody,
  responses: { 200: releaseShape },
});
export const ownResults = operation({
  method: 'GET',
  path: '/api/results/me',
  tags,
  summary: 'My scores per paper, ĐXTN and graduation result, from the release instant on (404 RESULTS_NOT_RELEASED before it)',
  responses: { 200: ownResultShape },
});
export const publicLookup = operation({
  method: 'GET',
  path: '/api/public/results/:number',
  tags,
  summary: 'Public look-up by candidate number from the release instant on: scores per paper and graduation result, nothing personal; throttled per address; cacheable after release',
  params: numberParams,
  responses: { 200: publicResultShape },
});

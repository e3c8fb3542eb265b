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

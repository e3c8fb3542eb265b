// Places by name: the 34 provinces and 3,321 communes of 1 July 2025 and the schools each department
// imports. Public reference data (nothing personal), answered with long cache lifetimes so a phone fetches
// a province's communes once.
import { z } from 'zod';
import { finding, media } from './common.ts';
import { operation } from './operation.ts';

const tags = ['reference'];
const provinceCode = z.string().regex(/^\d{2}$/);
const area = z.enum(['KV1', 'KV2-NT', 'KV2', 'KV3']);

export const provinceEntry = z.object({
  code: provinceCode,
  name: z.string(),
  /** the provinces merged into it on 1 July 2025, with their exam department codes */
  formerProvinces: z.array(z.object({ name: z.string(), examCode: z.string() })),
});
export const communeEntry = z.object({ code: z.string(), name: z.string() });
export const schoolEntry = z.object({
  departmentCode: z.string(),
  code: z.string(),
  name: z.string(),
  provinceCode: provinceCode,
  communeCode: z.string().nullable(),
  area,
  residenceBased: z.boolean(),
  /** the pre-merger province the school belonged to, when it is not today's name */
  formerProvince: z.string().nullable(),
});

export const listProvinces = operation({
  method: 'GET',
  path: '/api/reference/provinces',
  tags,
  summary: 'The 34 provinces of 1 July 2025 with the provinces each absorbed',
  responses: { 200: z.object({ provinces: z.array(provinceEntry) }) },
});

export const listCommunes = operation({
  method: 'GET',
  path: '/api/reference/provinces/:provinceCode/communes',
  tags,
  summary: 'The communes (xã, phường, đặc khu) of a province since 1 July 2025, by name',
  params: z.object({ provinceCode }),
  responses: { 200: z.object({ provinceCode, communes: z.array(communeEntry) }) },
});

export const listSchools = operation({
  method: 'GET',
  path: '/api/reference/provinces/:provinceCode/schools',
  tags,
  summary: 'The schools in a province (today’s, including those of the provinces it absorbed), as the departments imported them',
  params: z.object({ provinceCode }),
  responses: { 200: z.object({ provinceCode, schools: z.array(schoolEntry) }) },
});

export const schoolImportReport = z.object({
  departmentCode: z.string(),
  imported: z.number().int(),
  rows: z.array(z.object({ row: z.number().int(), code: z.string(), name: z.string(), findings: z.array(finding) })),
  errors: z.number().int(),
});

export const importSchools = operation({
  method: 'POST',
  path: '/api/departments/:departmentCode/schools',
  tags,
  summary:
    'Import the department’s schools (multipart field "file": XLSX or CSV with columns ma_truong, ten_truong, ma_xa, khu_vuc, noi_tru). Rows without errors replace the stored ones; the answer reports each row',
  params: z.object({ departmentCode: z.string().regex(/^\d{2}$/) }),
  consumes: media.multipart,
  responses: { 201: schoolImportReport },
});

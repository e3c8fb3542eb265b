// Shapes every contract shares: a rule's finding, a bilingual label, the one error body, ids and dates.
import { z } from 'zod';

export const finding = z.object({
  code: z.string(),
  field: z.string(),
  severity: z.enum(['error', 'warning']),
  vi: z.string(),
  en: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const label = z.object({ vi: z.string(), en: z.string() });

/** Every error answer: { error: { code, vi, en, fields, details? } } (src/server/http/error-handler.ts). */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    vi: z.string(),
    en: z.string(),
    fields: z.array(finding),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const id = z.string().min(1).max(64);
export const isoInstant = z.string();
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const examYearNumber = z.coerce.number().int().min(2000).max(2100);

/** Media types of the file answers (an operation's `produces`) and of uploads (`consumes`). */
export const media = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  multipart: 'multipart/form-data',
} as const;

/** A file answer (PDF, XLSX): documented as bytes of the operation's `produces` type, never serialised. */
export const fileBody = z.any().meta({ description: 'file', type: 'string', format: 'binary' });

/** An answer with no body (204). */
export const noContent = z.null();

// Request schemas of the registration routes. Section bodies are checked by the domain's own strict
// schemas (src/domain/dossier.ts: SECTION_SCHEMAS), which give bilingual findings per field; here only
// the envelope is described.
import { z } from 'zod';
import { SECTION_SCHEMAS } from '../../domain/dossier.ts';
import { EVIDENCE_PURPOSES } from './upload-evidence.ts';
import { DESK_DOCUMENTS } from './register-at-desk.ts';

export const sectionIdParam = z.enum(Object.keys(SECTION_SCHEMAS) as [keyof typeof SECTION_SCHEMAS, ...Array<keyof typeof SECTION_SCHEMAS>]);

export const sectionParams = z.strictObject({ sectionId: z.string().max(40) });
export const dossierParams = z.strictObject({ dossierId: z.string().min(1).max(64) });
export const dossierSectionParams = z.strictObject({ dossierId: z.string().min(1).max(64), sectionId: z.string().max(40) });
export const uploadParams = z.strictObject({ uploadId: z.string().min(1).max(64) });
export const dossierUploadParams = z.strictObject({ dossierId: z.string().min(1).max(64), uploadId: z.string().min(1).max(64) });
export const yearParams = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

/** PATCH /api/dossier: several sections at once, each as its section schema (strict: no status, version, id). */
export const sectionsBody = z.strictObject(SECTION_SCHEMAS).partial();

/** POST …/submit: nothing is required; the body takes part in the idempotency fingerprint. */
export const submitBody = z
  .strictObject({
    /** codes of the warnings the candidate saw on the check-your-answers page and submitted over */
    confirmedWarnings: z.array(z.string().max(64)).max(20).optional(),
  })
  .optional();

export const correctionBody = z.strictObject({
  sections: z.record(z.string(), z.unknown()),
  reason: z.string().max(2000),
});

export const deskBody = z.strictObject({
  dossier: z.record(z.string(), z.unknown()),
  documentsChecked: z.array(z.enum(DESK_DOCUMENTS)).min(1).max(DESK_DOCUMENTS.length),
  note: z.string().max(1000).optional(),
});

export const evidencePurpose = z.enum(EVIDENCE_PURPOSES);

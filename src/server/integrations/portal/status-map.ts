// The mapping from the exam's dossier statuses to the portal's codes 1–10, as reference data
// (reference/portal-status-map.json, loaded into reference_data like every code list).
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { getReference } from '../../reference/reference.repository.ts';

export const portalStatusMapFile = z.object({
  version: z.number().int(),
  procedureCodes: z.object({ registration: z.string(), review: z.string(), admission: z.string() }),
  portalStatuses: z.record(z.string(), z.string()),
  examStatuses: z.record(z.string(), z.number().int().min(1).max(10).nullable()),
  progressText: z.record(z.string(), z.string()),
});
export type PortalStatusMap = z.infer<typeof portalStatusMapFile>;

export async function loadPortalStatusMap(db: Kysely<DB>): Promise<PortalStatusMap> {
  return portalStatusMapFile.parse(await getReference<unknown>(db, 'portal-status-map'));
}

/** The portal's code for an exam status; null: not pushed; an unknown status is a configuration error. */
export function portalCodeFor(map: PortalStatusMap, examStatus: string): number | null {
  if (!(examStatus in map.examStatuses)) throw new Error(`reference/portal-status-map.json has no entry for the exam status "${examStatus}"`);
  return map.examStatuses[examStatus] ?? null;
}

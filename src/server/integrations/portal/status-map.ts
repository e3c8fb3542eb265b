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

// checked once per loaded value: the reference cache hands back the same object until the file is reloaded
const checked = new WeakMap<object, PortalStatusMap>();

export async function loadPortalStatusMap(db: Kysely<DB>): Promise<PortalStatusMap> {
  const raw = await getReference<unknown>(db, 'portal-status-map');
  if (raw === null || typeof raw !== 'object') return portalStatusMapFile.parse(raw);
  let map = checked.get(raw);
  if (!map) checked.set(raw, (map = portalStatusMapFile.parse(raw)));
  return map;
}

/** The portal's code for an exam status; null: not pushed; an unknown status is a configuration error. */
export function portalCodeFor(map: PortalStatusMap, examStatus: string): number | null {
  if (!(examStatus in map.examStatuses)) throw new Error(`reference/portal-status-map.json has no entry for the exam status "${examStatus}"`);
  return map.examStatuses[examStatus] ?? null;
}

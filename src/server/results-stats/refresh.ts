// Counting a council's published results into its statistics row: called by the publication inside its
// transaction (so the figures and the marks they count are published together), and on a read for a
// council whose row is missing or older than its published version (a publication made before this
// feature). Results are immutable between publications, so a row stamped with the version stays true.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { countCouncil, saveCouncilStats } from './results-stats.repository.ts';

export async function refreshCouncilStats(trx: Kysely<DB>, examYear: number, departmentCode: string, version: number, now: Date): Promise<void> {
  const counts = await countCouncil(trx, examYear, departmentCode);
  await saveCouncilStats(trx, examYear, { departmentCode, version, ...counts, computedAt: now.toISOString() });
}

// Upkeep of dossiers written outside the app's commands (a bulk load, the synthetic country): the ones
// without a dossier code get one, a page at a time. Codes are never changed once given.
import type { Db } from '../db/create-db.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { listDossiersWithoutCode, reserveCodeSerials, setCodeIfMissing } from './dossier.repository.ts';

export async function fillMissingDossierCodes(db: Db, maxRows: number): Promise<number> {
  let filled = 0;
  while (filled < maxRows) {
    const rows = await listDossiersWithoutCode(db.read, Math.min(2000, maxRows - filled));
    if (rows.length === 0) break;
    await db.write(async (trx) => {
      // one block per department, year and kind in this page
      const groups = new Map<string, typeof rows>();
      for (const r of rows) {
        const k = `${r.departmentCode}:${r.examYear}:${r.isTrial ? 1 : 0}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      for (const list of groups.values()) {
        const f = list[0]!;
        let serial = await reserveCodeSerials(trx, f.departmentCode, f.examYear, f.isTrial, list.length);
        for (const r of list) await setCodeIfMissing(trx, r.id, dossierCode(r.departmentCode, r.examYear, serial++, r.isTrial));
      }
    });
    filled += rows.length;
    if (rows.length < 2000) break;
  }
  return filled;
}

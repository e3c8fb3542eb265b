// The full recount: the sum of every dossier's and account's contributions, computed from the rows
// themselves. The test compares it with the maintained counters; `rebuildCounters` replaces the counters
// with it after a bulk load that bypassed the listeners (the seed) or to repair a drift.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { accountContributions, dossierContributions } from './counters.ts';
import { addCounterRows, deleteCounters, pointDepartment, rolledUp, yearAccounts, type CounterDelta, type PointDelta } from './stats.repository.ts';
import { yearDossierSnapshots } from '../dossiers/dossier.repository.ts';

/** `${level}|${unit}|${metric}` → value, as allCounters() returns it. */
export async function recount(db: Kysely<DB>, examYear: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const add = (deltas: PointDelta[]) => {
    for (const d of rolledUp(deltas, () => 0)) {
      const k = `${d.level}|${d.unit}|${d.metric}`;
      out.set(k, (out.get(k) ?? 0) + d.value);
    }
  };
  for await (const d of yearDossierSnapshots(db, examYear)) {
    add(dossierContributions(d).map((metric) => ({ examYear, pointId: d.pointId, departmentCode: d.departmentCode, metric, value: 1 })));
  }
  for await (const a of yearAccounts(db, examYear)) {
    const departmentCode = await pointDepartment(db, a.pointId);
    add(accountContributions(a).map((metric) => ({ examYear, pointId: a.pointId, departmentCode, metric, value: 1 })));
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

/** Replaces a year's counters with a recount, in one transaction. Returns the number of counter rows. */
export async function rebuildCounters(
  db: { read: Kysely<DB>; write<T>(fn: (trx: Kysely<DB>) => Promise<T>, opts?: { alone?: boolean }): Promise<T> },
  examYear: number,
): Promise<number> {
  // alone: in a group commit, the writes before it would add their deferred counter deltas on top of a
  // recount that already includes their changes
  return db.write(
    async (trx) => {
      const totals = await recount(trx, examYear);
      await deleteCounters(trx, examYear);
      const rows: CounterDelta[] = [...totals].map(([k, value]) => {
        const [level, unit, metric] = k.split('|') as [CounterDelta['level'], string, string];
        return { examYear, level, unit, metric, shard: 0, value };
      });
      await addCounterRows(trx, rows);
      return rows.length;
    },
    { alone: true },
  );
}

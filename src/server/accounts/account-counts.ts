// Candidates' accounts as the dashboards count them (created, issued, signed in). Every write that creates a
// candidate's account or changes its status or first sign-in runs inside `countingAccounts`: the accounts'
// snapshots are read before and after the write in the same transaction, and the difference goes to the
// statistics counters (src/server/stats/counters.ts), so the counters always agree with a recount.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { onAccountsChanged, type AccountSnapshot } from '../stats/counters.ts';

/** The counted view of some candidates' accounts, by user id (accounts without a candidate record do not count). */
export async function accountSnapshots(trx: Kysely<DB>, userIds: readonly string[]): Promise<Map<string, AccountSnapshot>> {
  const out = new Map<string, AccountSnapshot>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom('candidates as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select(['u.id as user_id', 'c.exam_year', 'c.point_id', 'u.status', 'u.last_sign_in_at'])
      .where('u.id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.user_id, { userId: r.user_id, examYear: r.exam_year, pointId: r.point_id, status: r.status, signedIn: r.last_sign_in_at !== null });
  }
  return out;
}

/** Runs `write` in `trx` and adds the difference it made to these accounts to the counters, in the same transaction. */
export async function countingAccounts<T>(trx: Kysely<DB>, userIds: readonly string[], write: () => Promise<T>): Promise<T> {
  const before = await accountSnapshots(trx, userIds);
  const result = await write();
  const after = await accountSnapshots(trx, userIds);
  const changes: { before: AccountSnapshot | null; after: AccountSnapshot | null }[] = [];
  for (const id of new Set(userIds)) {
    const b = before.get(id) ?? null;
    const a = after.get(id) ?? null;
    if (b && a && b.status === a.status && b.signedIn === a.signedIn && b.pointId === a.pointId && b.examYear === a.examYear) continue;
    changes.push({ before: b, after: a });
  }
  await onAccountsChanged(trx, changes);
  return result;
}

// The job queue's counts (the operations page's gauge and the links' backlog) against a plain grouped
// count of the same table, on both databases: every kind with something pending or dead, none of the done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { enqueueJobs, jobDepth, pendingByKind, type NewJob } from './jobs.repository.ts';

const AT = new Date('2026-04-21T01:00:00Z');

describeEachDb('job queue counts', (get) => {
  test('an empty queue counts nothing', async () => {
    assert.deepEqual(await jobDepth(get().db.read), { pending: 0, dead: 0, byKind: {} });
    assert.deepEqual(await pendingByKind(get().db.read, ['portal.sync']), {});
    assert.deepEqual(await pendingByKind(get().db.read, []), {});
  });

  test('the depth by kind equals a grouped count of the pending and dead jobs; done jobs and empty kinds are left out', async () => {
    const { db } = get();
    // kinds whose names sort around each other (the loose scan steps from one to the next), one with a quote
    const plan: Array<[kind: string, pending: number, dead: number, done: number]> = [
      ['a.only_done', 0, 0, 7],
      ['notify.email', 3, 1, 20],
      ['notify.sms', 0, 2, 0],
      ["odd'kind", 1, 0, 0],
      ['portal.sync', 250, 0, 40],
      ['portal.sync.extra', 5, 5, 5],
      ['population.check', 12, 0, 3],
    ];
    let n = 0;
    const jobs: NewJob[] = [];
    const fate = new Map<string, 'pending' | 'dead' | 'done'>();
    for (const [kind, pending, dead, done] of plan) {
      for (const [status, count] of [['pending', pending], ['dead', dead], ['done', done]] as const) {
        for (let i = 0; i < count; i++) {
          const key = `count-test:${++n}`;
          jobs.push({ kind, payload: {}, dedupKey: key });
          fate.set(key, status);
        }
      }
    }
    await db.write((trx) => enqueueJobs(trx, jobs, AT));
    for (const status of ['dead', 'done'] as const) {
      const keys = [...fate].filter(([, s]) => s === status).map(([k]) => k);
      for (let i = 0; i < keys.length; i += 200) {
        await db.write((trx) => trx.updateTable('jobs').set({ status, done_at: status === 'done' ? AT.toISOString() : null }).where('dedup_key', 'in', keys.slice(i, i + 200)).execute());
      }
    }

    const grouped = await sql<{ kind: string; status: string; n: number | string }>`select kind, status, count(*) as n from jobs where status in ('pending', 'dead') group by kind, status`.execute(db.read);
    const want: Record<string, { pending: number; dead: number }> = {};
    for (const r of grouped.rows) (want[r.kind] ??= { pending: 0, dead: 0 })[r.status as 'pending' | 'dead'] = Number(r.n);
    const depth = await jobDepth(db.read);
    assert.deepEqual(depth.byKind, want);
    assert.deepEqual(depth.byKind, {
      'notify.email': { pending: 3, dead: 1 },
      'notify.sms': { pending: 0, dead: 2 },
      "odd'kind": { pending: 1, dead: 0 },
      'portal.sync': { pending: 250, dead: 0 },
      'portal.sync.extra': { pending: 5, dead: 5 },
      'population.check': { pending: 12, dead: 0 },
    });
    assert.equal(depth.pending, 271);
    assert.equal(depth.dead, 8);

    // a link's backlog: only the kinds asked for, only those with something pending
    assert.deepEqual(await pendingByKind(db.read, ['portal.sync', 'notify.sms', 'a.only_done', 'no.such.kind', 'population.check']), { 'portal.sync': 250, 'population.check': 12 });
  });
});

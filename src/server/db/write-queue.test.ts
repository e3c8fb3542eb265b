import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { insertOrgUnits } from '../org/org.repository.ts';

describeEachDb('write path', (get) => {
  test('200 concurrent writes all commit, and one that fails fails alone', async () => {
    const { db } = get();
    const now = new Date('2026-04-21T01:00:00Z');
    await insertOrgUnits(db.writer, [{ kind: 'ministry', code: 'BGD', name: 'Bộ', parentId: null, departmentCode: null }], now);
    const jobs = Array.from({ length: 200 }, (_, i) =>
      db.write(async (trx) => {
        if (i === 57) {
          await insertOrgUnits(trx, [{ kind: 'department', code: 'ZZ57', name: 'half', parentId: 'org-BGD', departmentCode: 'ZZ' }], now);
          throw new Error('job 57 fails after writing');
        }
        await insertOrgUnits(trx, [{ kind: 'department', code: `D${i}`, name: `Đơn vị ${i}`, parentId: 'org-BGD', departmentCode: String(i) }], now);
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    assert.deepEqual(failed, [57]);
    assert.deepEqual(
      results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== 57),
    );
    const rows = await db.read.selectFrom('org_units').select('code').where('kind', '=', 'department').execute();
    assert.equal(rows.length, 199);
    assert.ok(!rows.some((r) => r.code === 'ZZ57'), 'the failing job left nothing behind');
    if (db.dialect.name === 'sqlite') {
      const s = db.writeStats();
      assert.ok(s.batches < s.jobs, `writes were grouped into fewer commits (${s.batches} batches for ${s.jobs} jobs)`);
    }
  });

  test('a write resolves only once it is visible to a fresh reader', async () => {
    const { db } = get();
    const now = new Date();
    await db.write((trx) => insertOrgUnits(trx, [{ kind: 'department', code: 'VIS', name: 'x', parentId: 'org-BGD', departmentCode: 'VI' }], now));
    const r = await db.read.selectFrom('org_units').select('id').where('code', '=', 'VIS').executeTakeFirst();
    assert.equal(r?.id, 'org-VIS');
  });
});

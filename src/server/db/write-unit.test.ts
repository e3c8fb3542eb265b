// Write units (write-unit.ts) on SQLite and PostgreSQL: the primary decides, every other part is written
// exactly when it changed a row, a failure anywhere leaves nothing, work merged at commit (counters) adds
// up across a group commit, and on PostgreSQL the whole unit is ONE statement with no BEGIN or COMMIT.
import { sql } from 'kysely';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { statementsDuring } from '../../../test/helpers/pg-statements.ts';
import { insertRowsPart } from './insert-rows.ts';
import type { UnitPart, WriteUnit } from './write-unit.ts';
import { jobsPart, listJobs } from '../jobs/jobs.repository.ts';
import { COUNTER_WORK, readCounters, type PointDelta } from '../stats/stats.repository.ts';

const now = new Date('2026-04-22T03:00:00Z');
const YEAR = 2091;

/** A primary that changes a row only the first time: a reference-data row inserted unless it is there. */
const claim = (name: string): UnitPart<Record<string, unknown>> =>
  insertRowsPart('reference_data', { name: 'text', version: 'integer', content: 'text', loaded_at: 'text' }, [{ name, version: 1, content: '{}', loaded_at: now.toISOString() }], {
    shape: 'probe',
    onConflict: (oc) => oc.column('name').doNothing(),
    returning: true,
  });
const point = (metric: string, value: number, pointId = 'org-01001'): PointDelta => ({ examYear: YEAR, pointId, departmentCode: '01', metric, value });
const counters = (deltas: PointDelta[]) => [{ work: COUNTER_WORK, value: deltas }];

describeEachDb('write units', (getDb) => {
  const jobKeys = async (prefix: string) => (await listJobs(getDb().db.read, { kind: 'unit-test' })).map((j) => j.dedupKey).filter((k) => k?.startsWith(prefix)).sort();

  test('the primary changed a row: every part is written with it; on PostgreSQL as ONE statement, no BEGIN or COMMIT', async () => {
    const db = getDb().db;
    const statements = await statementsDuring(() =>
      db.apply({
        primary: claim('unit-a'),
        then: [jobsPart([{ kind: 'unit-test', payload: { n: 1 }, dedupKey: 'unit-a:1' }, { kind: 'unit-test', payload: { n: 2 }, dedupKey: 'unit-a:2' }], now)],
        atCommit: counters([point('unit.submitted', 1), point('unit.submitted', 1), point('unit.draft', -1)]),
      }),
    );
    assert.deepEqual(await jobKeys('unit-a'), ['unit-a:1', 'unit-a:2']);
    // the point's delta rolls up to its department and the nation
    for (const [level, unit] of [['point', 'org-01001'], ['department', '01'], ['national', '']] as const) {
      const c = await readCounters(db.read, YEAR, level, unit);
      assert.equal(c.get('unit.submitted'), 2, level);
      assert.equal(c.get('unit.draft'), -1, level);
    }
    if (db.dialect.name === 'postgres') {
      assert.equal(statements.length, 1, statements.join('\n---\n'));
      assert.match(statements[0]!, /^with "p" as \(insert into "reference_data".*insert into "jobs".*insert into "stat_counters"/s);
    }
  });

  test('the primary changed nothing: nothing else is written', async () => {
    const db = getDb().db;
    const written = await db.apply({ primary: claim('unit-a'), then: [jobsPart([{ kind: 'unit-test', payload: {}, dedupKey: 'unit-a:3' }], now)], atCommit: counters([point('unit.submitted', 5)]) });
    assert.equal(written, false);
    assert.deepEqual(await jobKeys('unit-a'), ['unit-a:1', 'unit-a:2']);
    assert.equal((await readCounters(db.read, YEAR, 'point', 'org-01001')).get('unit.submitted'), 2);
  });

  test('a part that fails takes the whole unit with it', async () => {
    const db = getDb().db;
    const bad: UnitPart<Record<string, unknown>> = insertRowsPart('stat_counters', { exam_year: 'integer', level: 'text', unit: 'text', metric: 'text', shard: 'integer', value: 'integer' }, [
      { exam_year: YEAR, level: 'planet', unit: 'x', metric: 'unit.bad', shard: 0, value: 1 },
    ], { shape: 'bad-level' });
    await assert.rejects(db.apply({ primary: claim('unit-c'), then: [jobsPart([{ kind: 'unit-test', payload: {}, dedupKey: 'unit-c:1' }], now), bad] }));
    assert.deepEqual(await jobKeys('unit-c'), []);
    assert.equal(await db.read.selectFrom('reference_data').select('name').where('name', '=', 'unit-c').executeTakeFirst(), undefined);
  });

  test('a relaxed unit commits without waiting for the disk, and only its own commit does', async () => {
    const db = getDb().db;
    const statements = await statementsDuring(() => db.apply({ primary: claim('unit-r'), then: [jobsPart([{ kind: 'unit-test', payload: {}, dedupKey: 'unit-r:1' }], now)], relaxed: true }));
    assert.deepEqual(await jobKeys('unit-r'), ['unit-r:1']);
    if (db.dialect.name === 'postgres') {
      // still one statement: the setting rides in its final select and ends with its transaction
      assert.equal(statements.length, 1, statements.join('\n---\n'));
      assert.match(statements[0]!, /set_config\('synchronous_commit', 'off', true\)/);
      const after = await Promise.all(Array.from({ length: 12 }, () => sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db.writer)));
      assert.deepEqual(new Set(after.map((r) => r.rows[0]!.synchronous_commit)), new Set(['on']));
      const durable = await statementsDuring(() => db.apply({ primary: claim('unit-r2'), then: [] }));
      assert.doesNotMatch(durable.join('\n'), /synchronous_commit/);
    }
  });

  test('a relaxed write runs relaxed; a durable write never does, even in the same group commit', async () => {
    const db = getDb().db;
    // what the write's own transaction commits with: PostgreSQL synchronous_commit, SQLite synchronous (1 NORMAL, 2 FULL)
    const level = async (trx: Parameters<Parameters<typeof db.write>[0]>[0]) =>
      db.dialect.name === 'postgres'
        ? (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx)).rows[0]!.synchronous_commit
        : String((await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]!.synchronous);
    const [relaxedDurable, relaxedAlone] = db.dialect.name === 'postgres' ? ['off', 'off'] : ['2', '1'];
    // the two queued in one turn: on SQLite they share one commit, which must then be durable
    const [a, b] = await Promise.all([db.write(level, { relaxed: true }), db.write(level)]);
    assert.equal(a, relaxedDurable, 'the relaxed write of a mixed group');
    assert.equal(b, db.dialect.name === 'postgres' ? 'on' : '2', 'the durable write');
    assert.equal(await db.write(level, { relaxed: true }), relaxedAlone, 'a relaxed write alone');
    assert.equal(await db.write(level), db.dialect.name === 'postgres' ? 'on' : '2', 'the next durable write');
  });

  test('many units at once: each written once, their counters add up exactly', async () => {
    const db = getDb().db;
    const n = 60;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        db.apply({ primary: claim(`unit-many-${i % 40}`), then: [jobsPart([{ kind: 'unit-test', payload: {}, dedupKey: `unit-many:${i % 40}` }], now)], atCommit: counters([point('unit.many', 1, `org-0100${i % 3}`)]) }),
      ),
    );
    assert.equal(results.filter(Boolean).length, 40, 'forty distinct primaries, each changed once');
    assert.equal((await jobKeys('unit-many')).length, 40);
    assert.equal((await readCounters(db.read, YEAR, 'national', '')).get('unit.many'), 40);
    assert.equal((await readCounters(db.read, YEAR, 'department', '01')).get('unit.many'), 40);
  });
  test('several units of one shape at once (a batch\'s finishes): each decided by its own primary; on PostgreSQL one statement per shape, and a failing one retried unit by unit', async () => {
    const db = getDb().db;
    await db.apply({ primary: claim('unit-e1'), then: [] }); // e1 is taken already: its unit writes nothing
    const unit = (name: string, relaxed = true) => ({ primary: claim(name), then: [jobsPart([{ kind: 'unit-test', payload: {}, dedupKey: `${name}:job` }], now)], relaxed });
    const units = [unit('unit-e0'), unit('unit-e1'), unit('unit-e2'), unit('unit-e3', false), unit('unit-e4')];
    let results: Array<PromiseSettledResult<boolean>> = [];
    const statements = await statementsDuring(async () => void (results = await db.applyEach(units)));
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : r.status)), [true, false, true, true, true]);
    assert.deepEqual(await jobKeys('unit-e'), ['unit-e0:job', 'unit-e2:job', 'unit-e3:job', 'unit-e4:job']);
    if (db.dialect.name === 'postgres') {
      // the four relaxed units as one statement, the durable one alone
      assert.equal(statements.length, 2, statements.join('\n---\n'));
      assert.match(statements[0]!, /^with "p0" as .*"p3" as .*set_config\('synchronous_commit', 'off', true\)/s);
      assert.doesNotMatch(statements[1]!, /synchronous_commit/);
    }

    // one unit that fails (a part refused by a constraint) fails alone: the others of its statement are written
    const bad: UnitPart<Record<string, unknown>> = insertRowsPart('stat_counters', { exam_year: 'integer', level: 'text', unit: 'text', metric: 'text', shard: 'integer', value: 'integer' }, [
      { exam_year: YEAR, level: 'planet', unit: 'x', metric: 'unit.bad', shard: 0, value: 1 },
    ], { shape: 'counter-row' });
    const good = (name: string): WriteUnit => ({ primary: claim(name), then: [insertRowsPart('stat_counters', { exam_year: 'integer', level: 'text', unit: 'text', metric: 'text', shard: 'integer', value: 'integer' }, [{ exam_year: YEAR, level: 'point', unit: name, metric: 'unit.fine', shard: 0, value: 1 }], { shape: 'counter-row' })], relaxed: true });
    const mixed = await db.applyEach([good('unit-f0'), { primary: claim('unit-f1'), then: [bad], relaxed: true }, good('unit-f2')]);
    assert.deepEqual(mixed.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const names = (await db.read.selectFrom('reference_data').select('name').where('name', 'like', 'unit-f%').orderBy('name').execute()).map((r) => r.name);
    assert.deepEqual(names, ['unit-f0', 'unit-f2'], 'the failing unit left nothing, the others everything');
  });
});

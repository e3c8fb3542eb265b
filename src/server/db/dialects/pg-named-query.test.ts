// A named statement's kept row shape (pg-named-query.ts) gives the rows node-postgres gives, and a statement
// whose columns changed gets its new shape. PostgreSQL only: on a run without it there is nothing to test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { databaseKinds, emptyDatabase } from '../../../../test/helpers/db.ts';
import { keptShapes, queryNamed } from './pg-named-query.ts';
import './postgres.ts'; // the app's type parsers (int8 as a number)

for (const kind of databaseKinds().filter((k) => k === 'postgres')) {
  describe(`named statements keep their row shape [${kind}]`, () => {
    let destroy: () => Promise<void>;
    let pool: pg.Pool;
    before(async () => {
      const d = await emptyDatabase(kind);
      destroy = d.destroy;
      pool = new pg.Pool({ connectionString: d.url, max: 2 });
      await pool.query(`create table t (id int8 primary key, a text, j jsonb, b boolean, n int4, at timestamptz)`);
      await pool.query(`insert into t values (1, 'một', '{"x":[1,2]}', true, null, '2026-04-20T02:00:00Z'), (2, null, null, false, 7, null)`);
    });
    after(async () => {
      await pool?.end();
      await destroy?.();
    });

    test('the rows are the ones node-postgres builds, the first time and every time after', async () => {
      const text = 'select * from t where id >= $1 order by id';
      const c = await pool.connect();
      try {
        const own = await c.query({ name: 'own_shape', text, values: [1] });
        const first = await queryNamed(c, 'kept_shape', text, [1]);
        assert.ok(keptShapes().has('kept_shape'));
        const again = await queryNamed(c, 'kept_shape', text, [1]);
        const once = await queryNamed(c, 'kept_shape', text, [2]);
        assert.deepEqual(first.rows, own.rows);
        assert.deepEqual(again.rows, own.rows);
        assert.deepEqual(once.rows, [own.rows[1]]);
        assert.deepEqual(again.rows[0], { id: 1, a: 'một', j: { x: [1, 2] }, b: true, n: null, at: new Date('2026-04-20T02:00:00Z') });
        assert.deepEqual(again.fields.map((f) => f.name), ['id', 'a', 'j', 'b', 'n', 'at']);
        assert.equal(again.rowCount, 2);
        // rows of one result and of two results are separate objects
        again.rows[0].a = 'changed';
        assert.equal((await queryNamed(c, 'kept_shape', text, [1])).rows[0].a, 'một');
      } finally {
        c.release();
      }
    });

    test('a statement whose columns changed (a new connection after a migration) gets its new shape', async () => {
      const text = 'select * from t where id = $1';
      const c1 = await pool.connect();
      try {
        assert.deepEqual(Object.keys((await queryNamed(c1, 'changing_shape', text, [2])).rows[0]), ['id', 'a', 'j', 'b', 'n', 'at']);
      } finally {
        c1.release(true); // this connection's plan of the old shape goes with it
      }
      await pool.query(`alter table t add column extra text not null default 'x'`);
      const c2 = await pool.connect();
      try {
        const r = await queryNamed(c2, 'changing_shape', text, [2]);
        assert.deepEqual(r.rows[0], { id: 2, a: null, j: null, b: false, n: 7, at: null, extra: 'x' });
      } finally {
        c2.release();
      }
    });

    test('an error comes back as the query\'s rejection, and the connection goes on', async () => {
      const c = await pool.connect();
      try {
        await assert.rejects(queryNamed(c, 'failing_shape', 'select 1 / $1::int as q', [0]), /division by zero/);
        assert.deepEqual((await queryNamed(c, 'working_shape', 'select $1::int + 1 as q', [1])).rows, [{ q: 2 }]);
      } finally {
        c.release();
      }
    });
  });
}

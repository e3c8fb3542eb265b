import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { migrate, pendingMigrations } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

describeEachDb(
  'migrations',
  (get) => {
    test('apply to an empty database, then nothing is pending and a re-run applies nothing', async () => {
      const { db } = get();
      assert.deepEqual(await pendingMigrations(db.read), MIGRATIONS.map(([n]) => n));
      const first = await migrate(db.writer, db.dialect);
      assert.deepEqual(first.applied, MIGRATIONS.map(([n]) => n));
      assert.deepEqual(await pendingMigrations(db.read), []);
      const again = await migrate(db.writer, db.dialect);
      assert.deepEqual(again.applied, []);
      const n = await db.read.selectFrom('org_units').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    });

    test('a migration that fails midway is rolled back whole and not recorded', async () => {
      const { db } = get();
      const broken = {
        async up(k: Kysely<any>) {
          await k.schema.createTable('half_done').addColumn('id', 'text').execute();
          await sql`insert into half_done (id) values ('x')`.execute(k);
          await sql`select * from no_such_table`.execute(k);
        },
      };
      const list = [...MIGRATIONS, ['999-broken', broken] as const];
      await assert.rejects(migrate(db.writer, db.dialect, list), /999-broken failed and was rolled back/);
      assert.deepEqual(await pendingMigrations(db.read, list), ['999-broken']);
      await assert.rejects(sql`select * from half_done`.execute(db.read), 'the table created before the failure is gone');
    });
  },
  { migrate: false },
);

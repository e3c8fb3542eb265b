// 042 rebuilds org_units and users on SQLite (a CHECK cannot be altered there): the rows, the other
// tables' references and the indexes must survive it, on a database that already holds people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

// everything before 041 and 042 (and 051 and 053, which index 041's wishes and programmes)
const before = MIGRATIONS.filter(([n]) => n !== '041-admission-catalogue' && n !== '042-admission-roles' && n !== '051-admission-run-background' && n !== '053-admission-programme-revisions');
const T = '2026-01-01T00:00:00.000Z';

describeEachDb(
  'migration 042 (institutions and admissions officers)',
  (get) => {
    test('keeps every row and reference, and then accepts an institution and its admissions officer', async () => {
      const { db } = get();
      await migrate(db.writer, db.dialect, before);
      const w = db.writer;
      await w.insertInto('org_units').values({ id: 'm', kind: 'ministry', code: 'BGD', name: 'Bộ', parent_id: null, department_code: null, point_kind: null, address: null, active: 1, created_at: T, updated_at: T }).execute();
      await w.insertInto('org_units').values({ id: 'd', kind: 'department', code: '01', name: 'Sở', parent_id: 'm', department_code: '01', point_kind: null, address: null, active: 1, created_at: T, updated_at: T }).execute();
      await w
        .insertInto('users')
        .values({ id: 'u1', username: 'so.01', role: 'department_officer', org_unit_id: 'd', display_name: 'A', password_hash: null, status: 'active', must_change_password: 0, password_set_at: null, last_sign_in_at: null, created_at: T, updated_at: T })
        .execute();
      await w.insertInto('staff_mfa').values({ user_id: 'u1', secret_sealed: 'x', status: 'pending', last_step: null, created_at: T, confirmed_at: null }).execute();

      await migrate(db.writer, db.dialect);

      const users = await db.read.selectFrom('users').select(['id', 'role', 'org_unit_id']).execute();
      assert.deepEqual(users, [{ id: 'u1', role: 'department_officer', org_unit_id: 'd' }]);
      assert.equal((await db.read.selectFrom('staff_mfa').select('user_id').execute()).length, 1);
      await w.insertInto('org_units').values({ id: 'i', kind: 'institution', code: 'QHI', name: 'Trường', parent_id: 'm', department_code: '01', point_kind: null, address: null, active: 1, created_at: T, updated_at: T }).execute();
      await w
        .insertInto('users')
        .values({ id: 'u2', username: 'ts.qhi', role: 'admissions_officer', org_unit_id: 'i', display_name: 'B', password_hash: null, status: 'active', must_change_password: 1, password_set_at: null, last_sign_in_at: null, created_at: T, updated_at: T })
        .execute();
      // the checks still refuse what is not in their lists, and the references still hold
      await assert.rejects(w.insertInto('org_units').values({ id: 'x', kind: 'planet' as never, code: 'X', name: 'X', parent_id: null, department_code: null, point_kind: null, address: null, active: 1, created_at: T, updated_at: T }).execute());
      await assert.rejects(w.insertInto('users').values({ id: 'u3', username: 'x', role: 'pilot' as never, org_unit_id: 'i', display_name: 'C', password_hash: null, status: 'active', must_change_password: 1, password_set_at: null, last_sign_in_at: null, created_at: T, updated_at: T }).execute());
      await assert.rejects(w.insertInto('users').values({ id: 'u4', username: 'y', role: 'candidate', org_unit_id: 'nowhere', display_name: 'C', password_hash: null, status: 'active', must_change_password: 1, password_set_at: null, last_sign_in_at: null, created_at: T, updated_at: T }).execute());
      await assert.rejects(w.insertInto('staff_mfa').values({ user_id: 'ghost', secret_sealed: 'x', status: 'pending', last_step: null, created_at: T, confirmed_at: null }).execute());
      await assert.rejects(w.insertInto('users').values({ id: 'u5', username: 'so.01', role: 'candidate', org_unit_id: 'd', display_name: 'C', password_hash: null, status: 'active', must_change_password: 1, password_set_at: null, last_sign_in_at: null, created_at: T, updated_at: T }).execute(), 'the username is still unique');
      if (db.dialect.name === 'sqlite') {
        const idx = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name in ('users', 'org_units') and sql is not null order by name`.execute(db.read);
        assert.deepEqual(idx.rows.map((r) => r.name), ['org_units_department', 'org_units_parent', 'users_org_unit']);
      }
    });
  },
  { migrate: false },
);

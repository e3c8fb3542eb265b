import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp } from '../../../test/helpers/app.ts';
import { migrate } from '../db/migrate.ts';

describeEachDb(
  'health and readiness',
  (get) => {
    test('healthz answers while the schema is not migrated; readyz says not ready and why', async () => {
      const { app } = await testApp(get().db);
      const h = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(h.statusCode, 200);
      assert.equal(h.json().status, 'ok');
      const r = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(r.statusCode, 503);
      assert.equal(r.json().status, 'not_ready');
      assert.ok(r.json().pendingMigrations.includes('001-foundation'));
      await app.close();
    });

    test('readyz is ready once migrations are current', async () => {
      const { db } = get();
      await migrate(db.writer, db.dialect);
      const { app } = await testApp(db);
      const r = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.json(), { status: 'ready', database: db.dialect.name, pendingMigrations: [] });
      await app.close();
    });

    test('an unknown route gets the one error shape, in Vietnamese and English', async () => {
      const { app } = await testApp(get().db);
      const r = await app.inject({ method: 'GET', url: '/no/such/thing' });
      assert.equal(r.statusCode, 404);
      const e = r.json().error;
      assert.equal(e.code, 'NOT_FOUND');
      assert.ok(e.vi.length > 0 && e.en.length > 0);
      await app.close();
    });
  },
  { migrate: false },
);

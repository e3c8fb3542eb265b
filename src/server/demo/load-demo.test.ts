import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { loadDemoIfEmpty, DEMO_STAFF_PASSWORD } from './load-demo.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';
import { phaseAt, checkExamYear } from '../../domain/exam-year.ts';
import { findUserByUsername } from '../accounts/users.repository.ts';
import { verifyPassword } from '../accounts/password.ts';

describeEachDb('demo exam year', (get) => {
  const now = new Date('2026-11-29T03:00:00Z');

  test('an empty database gets the demo: every role has a login and the official window is open', async () => {
    const { db } = get();
    const logins = await loadDemoIfEmpty(db, now);
    assert.ok(logins);
    assert.deepEqual(logins.map((l) => l.role).sort(), ['admissions_officer', 'candidate', 'department_officer', 'ministry_admin', 'point_officer', 'support_agent']);
    const year = await currentExamYear(db.read);
    assert.equal(year?.year, 2026);
    assert.equal(phaseAt(year!, now), 'official');
    assert.deepEqual(checkExamYear(year!), []);
    const admin = await findUserByUsername(db.read, 'bo.quantri');
    assert.equal(admin?.role, 'ministry_admin');
    assert.ok(await verifyPassword(admin!.passwordHash!, DEMO_STAFF_PASSWORD));
    const departments = await db.read.selectFrom('org_units').select('code').where('kind', '=', 'department').execute();
    assert.equal(departments.length, 64);
  });

  test('a database that already holds data is left alone', async () => {
    const { db } = get();
    assert.equal(await loadDemoIfEmpty(db, now), null);
    const users = await db.read.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(users.n), 5 + 12);
  });
});

// Staff reads and every refusal land in the chained audit log with who, what, when and from where, on
// both databases; a candidate's own requests do not; reading the audit log is itself recorded.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp, testClock, type TestClock } from '../../../test/helpers/app.ts';
import { quietEnv } from '../accounts/test-support.ts';
import type { Config } from '../config.ts';
import type { UserActor } from '../policy/policy.ts';
import { AT, buildRegWorld, goodDossier, headersFor, type RegWorld } from '../dossiers/test-fixtures.ts';
import { verifyChain } from './chain.ts';

describeEachDb('access audit', (getDb) => {
  let app: FastifyInstance;
  let clock: TestClock;
  let config: Config;
  let w: RegWorld;
  let dataDir: string;
  let dossierId = '';

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-aa-'));
    w = await buildRegWorld(getDb().db);
    clock = testClock(AT.official);
    ({ app, config } = await testApp(getDb().db, { clock, env: quietEnv({ DATA_DIR: dataDir }) }));
    const r = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', goodDossier().personal, { 'if-match': '"0"' });
    assert.equal(r.statusCode, 200, r.body);
    dossierId = (r.json() as { dossier: { id: string } }).dossier.id;
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(u: UserActor, method: 'GET' | 'PUT', url: string, body?: unknown, extra: Record<string, string> = {}) {
    const headers = { ...(await headersFor(getDb().db, config, u, clock())), 'x-forwarded-for': '203.0.113.7', ...extra };
    return app.inject({ method, url, headers, remoteAddress: '203.0.113.9', ...(body !== undefined ? { payload: body as object } : {}) });
  }
  const entries = (action: string) => getDb().db.read.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

  test("a point officer's attempt on another point's dossier is refused and recorded", async () => {
    const r = await call(w.users.pointOther, 'GET', `/api/dossiers/${dossierId}`);
    assert.equal(r.statusCode, 403);
    const denied = (await entries('access.denied')).filter((e) => e.target_id === dossierId);
    assert.equal(denied.length, 1);
    const e = denied[0]!;
    assert.equal(e.actor_id, w.users.pointOther.userId);
    assert.equal(e.actor_role, 'point_officer');
    assert.equal(e.target_type, 'dossier');
    assert.ok(e.ip, 'from where');
    assert.ok(e.at, 'when');
    assert.deepEqual(JSON.parse(e.details!).route, '/api/dossiers/:dossierId');
  });

  test('staff reads of a dossier, its form PDF and photo are recorded; the candidate reading their own is not', async () => {
    const before = (await entries('access.read')).length;
    assert.equal((await call(w.users.pointA, 'GET', `/api/dossiers/${dossierId}`)).statusCode, 200);
    await call(w.users.pointA, 'GET', `/api/dossiers/${dossierId}/form.pdf`);
    await call(w.users.pointA, 'GET', `/api/dossiers/${dossierId}/photo`);
    const reads = (await entries('access.read')).slice(before);
    assert.deepEqual(
      reads.map((e) => JSON.parse(e.details!).route),
      ['/api/dossiers/:dossierId', '/api/dossiers/:dossierId/form.pdf', '/api/dossiers/:dossierId/photo'],
    );
    assert.ok(reads.every((e) => e.actor_id === w.users.pointA.userId && e.target_id === dossierId));
    const n = (await getDb().db.read.selectFrom('audit_log').select('id').execute()).length;
    assert.equal((await call(w.users.candA, 'GET', '/api/dossier')).statusCode, 200);
    assert.equal((await getDb().db.read.selectFrom('audit_log').select('id').execute()).length, n);
  });

  test('a queue search keeps the query keys, never their values', async () => {
    await call(w.users.dept, 'GET', `/api/verification/dossiers?q=${w.cccd.candA}`);
    const all = await getDb().db.read.selectFrom('audit_log').select('details').execute();
    assert.ok(all.every((e) => !(e.details ?? '').includes(w.cccd.candA)), 'no full personal number in the trail');
  });

  test("reading the audit log is recorded, and the chain holds", async () => {
    const r = await call(w.users.ministry, 'GET', `/api/audit?targetId=${dossierId}&limit=50`);
    assert.equal(r.statusCode, 200, r.body);
    const own = (await entries('access.read')).filter((e) => JSON.parse(e.details!).route === '/api/audit');
    assert.equal(own.length, 1);
    assert.equal(own[0]!.actor_id, w.users.ministry.userId);
    const v = await verifyChain(getDb().db.read);
    assert.equal(v.ok, true, JSON.stringify(v));
  });
});

// The registration commands called directly with an explicit context, on SQLite and PostgreSQL: one
// write per save and submit, the change hook inside the same transaction, and the version and
// idempotency rules under concurrency without HTTP in between.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { statementsDuring } from '../../../test/helpers/pg-statements.ts';
import { AppError } from '../http/errors.ts';
import { saveSections } from './save-section.ts';
import { submitRegistration } from './submit-registration.ts';
import { addDossierChangedListener } from './events.ts';
import { AT, YEAR, buildRegWorld, goodDossier, type RegWorld } from './test-fixtures.ts';
import { claimKeyAndUpdateWithEvent, findCandidateDossierByUser, setPhotoMissing, updateDossierIfVersion, type ClaimedChange } from './registration.repository.ts';
import { loadTarget, type OwnDossierRead } from './dossier-access.ts';
import { findExamYear } from '../exam-years/exam-years.repository.ts';
import { dossierContext } from './dossier-context.ts';
import { summarise, summariseVersion } from './dossier-view.ts';
import type { UserActor } from '../policy/policy.ts';

const log = pino({ level: 'silent' });

describeEachDb('registration commands', (getDb) => {
  let w: RegWorld;
  before(async () => {
    w = await buildRegWorld(getDb().db);
  });
  const ctx = (actor: UserActor, now: Date = AT.official) => ({ db: getDb().db, actor, now, log });
  const statusOf = async (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof AppError ? e.status : 500));

  test('a save is one write; a listener runs inside it, and a listener that throws rolls the save back', async () => {
    const db = getDb().db;
    const writesBefore = db.writeStats().jobs;
    const seen: string[] = [];
    const off = addDossierChangedListener(async (trx, b, a, change) => {
      // inside the transaction the new version is already visible
      const row = await trx.selectFrom('dossiers').select('version').where('id', '=', a.id).executeTakeFirstOrThrow();
      seen.push(`${change.kind}:${b?.version ?? 0}->${a.version}:${row.version}`);
    });
    const r = await saveSections(ctx(w.users.candA), { target: { kind: 'own' }, sections: { personal: goodDossier().personal }, ifMatch: 0 });
    off();
    assert.deepEqual(seen, ['created:0->1:1']);
    if (db.dialect.name === 'sqlite') assert.equal(db.writeStats().jobs - writesBefore, 1, 'exactly one write job');
    const offBad = addDossierChangedListener(async () => {
      throw new Error('outbox full');
    });
    await assert.rejects(saveSections(ctx(w.users.candA), { target: { kind: 'own' }, sections: { contact: goodDossier().contact }, ifMatch: r.dossier.version }), /outbox full/);
    offBad();
    const after = await saveSections(ctx(w.users.candA), { target: { kind: 'own' }, sections: { contact: goodDossier().contact }, ifMatch: r.dossier.version });
    assert.equal(after.dossier.version, 2, 'the failed save left no trace');
  });

  test('50 concurrent saves on one version: one wins, 49 get 412', async () => {
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        statusOf(saveSections(ctx(w.users.candA), { target: { kind: 'own' }, sections: { contact: { ...goodDossier().contact, address: `Nhà số ${i}, Hà Nội` } }, ifMatch: 2 })),
      ),
    );
    assert.equal(rs.filter((s) => s === 200).length, 1);
    assert.equal(rs.filter((s) => s === 412).length, 49);
    // the compare-and-set and its event go together (one statement on PostgreSQL): the 49 left no event
    const d = (await findCandidateDossierByUser(getDb().db.read, w.users.candA.userId, YEAR, false))!.dossier!;
    const atThree = await getDb().db.read.selectFrom('dossier_events').select(['event', 'version']).where('dossier_id', '=', d.id).where('version', '=', 3).execute();
    assert.deepEqual(atThree, [{ event: 'edit', version: 3 }]);
  });

  test('50 concurrent submits with one key: one submission, one stored result for all', async () => {
    const { personal: _p, ...rest } = goodDossier();
    const s = await saveSections(ctx(w.users.candA), { target: { kind: 'own' }, sections: rest, ifMatch: 3 });
    assert.equal(s.dossier.readyToSubmit, true, JSON.stringify(s.dossier.findings));
    const rs = await Promise.all(Array.from({ length: 50 }, () => submitRegistration(ctx(w.users.candA), { target: { kind: 'own' }, idempotencyKey: 'cmd-submit-001', body: {} })));
    assert.equal(rs.filter((r) => !r.replayed).length, 1);
    assert.equal(new Set(rs.map((r) => JSON.stringify(r.body))).size, 1);
    const events = await getDb().db.read.selectFrom('dossier_events').select('id').where('dossier_id', '=', s.dossier.id!).where('event', '=', 'submit').execute();
    assert.equal(events.length, 1);
    const keys = await getDb().db.read.selectFrom('idempotency_keys').selectAll().where('key', '=', 'cmd-submit-001').execute();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.status_code, 200);
    await assert.rejects(submitRegistration(ctx(w.users.candA), { target: { kind: 'own' }, idempotencyKey: 'cmd-submit-001', body: { confirmedWarnings: ['X'] } }), (e: AppError) => e.status === 422);
  });

  test('window edges at the command level: 16:59:59 saves, 17:00:00 says the window closed even for a bad body', async () => {
    const ok = await saveSections(ctx(w.users.candB, AT.lastSecond), { target: { kind: 'own' }, sections: { contact: goodDossier().contact }, ifMatch: 0 });
    assert.equal(ok.dossier.version, 1);
    await assert.rejects(saveSections(ctx(w.users.candB, AT.closed), { target: { kind: 'own' }, sections: { contact: { phone: 'x' } }, ifMatch: 1 }), (e: AppError) => e.code === 'WINDOW_CLOSED' && e.status === 403);
  });

  test('the dossier read with the session serves one load only: a stale read makes the submit retry on a fresh one; another user\'s read is never used', async () => {
    const db = getDb().db;
    const u = w.users.candB;
    const own = { kind: 'own' } as const;
    const v0 = (await findCandidateDossierByUser(db.read, u.userId, YEAR, false))?.dossier?.version ?? 0;
    const s1 = await saveSections(ctx(u), { target: own, sections: goodDossier(), ifMatch: v0 });
    assert.equal(s1.dossier.readyToSubmit, true, JSON.stringify(s1.dossier.findings));
    // what the session companion read when the request came in ...
    const early = await findCandidateDossierByUser(db.read, u.userId, YEAR, false);
    // ... and a save from another tab that commits before this request's write
    const s2 = await saveSections(ctx(u), { target: own, sections: { contact: { ...goodDossier().contact, address: 'Số 9 Lý Thái Tổ, Hà Nội' } }, ifMatch: s1.dossier.version });
    const read: OwnDossierRead = { userId: u.userId, year: YEAR, isTrial: false, extra: 'none', found: early, used: false };
    const r = await submitRegistration({ ...ctx(u), own: read }, { target: own, body: {} });
    assert.equal(read.used, true, 'the first attempt used the early read');
    assert.equal(r.body.dossier.version, s2.dossier.version + 1, 'the retry read the dossier again and submitted on top of the later save');
    assert.equal(r.body.dossier.status, 'submitted');
    // a read made for someone else (it cannot happen through the companion; the guard holds anyway)
    const foreign: OwnDossierRead = { userId: w.users.candA.userId, year: YEAR, isTrial: false, extra: 'none', found: undefined, used: false };
    const l = await loadTarget({ ...ctx(u), own: foreign }, own, 'candidate.read');
    assert.equal(foreign.used, false);
    assert.equal(l.candidate.userId, u.userId);
    assert.equal(l.dossier?.version, r.body.dossier.version);
  });

  test('a dossier\'s findings are reused for its version only while the year\'s configuration is unchanged', async () => {
    const db = getDb().db;
    const year = (await findExamYear(db.read, YEAR))!;
    const dctx = await dossierContext(db.read, year, AT.official);
    const empty = summariseVersion('dv-test', 1, {}, dctx);
    assert.ok(empty.errors > 0);
    // same version, same configuration: the stored summary answers (whatever data is passed)
    assert.equal(summariseVersion('dv-test', 1, goodDossier(), dctx), empty);
    // the year's configuration changed (an audited edit of a published year): the findings are computed again
    const edited = await dossierContext(db.read, { ...year, updatedAt: new Date(AT.official.getTime() + 1000).toISOString() }, AT.official);
    const again = summariseVersion('dv-test', 1, goodDossier(), edited);
    assert.notEqual(again, empty);
    assert.equal(again.errors, summarise(goodDossier(), edited).errors);
  });

  test('a save whose read came before a photo upload does not put "photo missing" back', async () => {
    const db = getDb().db;
    const u = w.users.candFree;
    const own = { kind: 'own' } as const;
    const first = await saveSections(ctx(u), { target: own, sections: { contact: goodDossier().contact }, ifMatch: 0 });
    // read when the request came in (before its body arrived) ...
    const early = await findCandidateDossierByUser(db.read, u.userId, YEAR, false);
    assert.equal(early?.dossier?.filters.photoMissing, true);
    // ... then the photo upload commits (it marks the photo present without a new version) ...
    await db.write((trx) => setPhotoMissing(trx, first.dossier.id!, false, AT.official));
    // ... then the save writes with what it read
    const read: OwnDossierRead = { userId: u.userId, year: YEAR, isTrial: false, extra: 'none', found: early, used: false };
    await saveSections({ ...ctx(u), own: read }, { target: own, sections: { contact: { ...goodDossier().contact, address: 'Số 2 Tràng Tiền, Hà Nội' } }, ifMatch: first.dossier.version });
    assert.equal(read.used, true);
    const row = await db.read.selectFrom('dossiers').select(['photo_missing', 'version']).where('id', '=', first.dossier.id!).executeTakeFirstOrThrow();
    assert.deepEqual(row, { photo_missing: 0, version: first.dossier.version + 1 });
  });

  test('a repeated submit whose dossier was returned after it was read answers with the dossier as it is now, and keeps no answer under its key', async () => {
    const db = getDb().db;
    const u = w.users.candB;
    const own = { kind: 'own' } as const;
    const early = await findCandidateDossierByUser(db.read, u.userId, YEAR, false);
    const d = early!.dossier!;
    assert.equal(d.status, 'submitted', 'submitted by an earlier test');
    // the point returns it between the request's read and its write
    assert.ok(await db.write((trx) => updateDossierIfVersion(trx, d.id, d.version, { status: 'returned' }, AT.official)));
    const read: OwnDossierRead = { userId: u.userId, year: YEAR, isTrial: false, extra: 'none', found: early, used: false };
    await assert.rejects(submitRegistration({ ...ctx(u), own: read }, { target: own, idempotencyKey: 'moved-key-0001', body: {} }), (e: AppError) => {
      assert.equal(e.status, 412);
      assert.equal(e.code, 'VERSION_CONFLICT');
      assert.equal((e.details as { version: number }).version, d.version + 1, 'the answer carries the dossier as it is now');
      return true;
    });
    const keys = await db.read.selectFrom('idempotency_keys').select('key').where('key', '=', 'moved-key-0001').execute();
    assert.deepEqual(keys, []);
  });

  test('a key claimed with the change: written, key taken (nothing changed, the stored result back), version moved (the claim rolls back with the write)', async () => {
    const db = getDb().db;
    const d = (await findCandidateDossierByUser(db.read, w.users.candA.userId, YEAR, false))!.dossier!;
    const claim = (key: string) => ({ actorId: w.users.candA.userId, key, operation: 'dossier.submit', hash: 'h1', dossierId: d.id, now: AT.official, result: { statusCode: 200, body: { n: 1 } } });
    const event = (version: number) => ({ id: `ev-claim-${version}`, dossierId: d.id, at: AT.official, actorId: w.users.candA.userId, actorRole: 'candidate', event: 'submit', fromStatus: d.status, toStatus: 'submitted' as const, version });
    const patch = { status: 'submitted' as const };
    class Undo extends Error {}
    // the version moved on: the caller rolls back, and neither the claim nor an event is left
    let moved: ClaimedChange | undefined;
    await assert.rejects(
      db.write(async (trx) => {
        moved = await claimKeyAndUpdateWithEvent(trx, claim('claim-key-0001'), d.id, d.version - 1, patch, AT.official, event(d.version));
        throw new Undo();
      }),
      Undo,
    );
    assert.deepEqual(moved, { kind: 'version_moved' });
    assert.deepEqual(await db.read.selectFrom('idempotency_keys').select('key').where('key', '=', 'claim-key-0001').execute(), []);
    // a free key and the right version: all three written, on PostgreSQL in one statement
    let written: ClaimedChange | undefined;
    const sent = await statementsDuring(() =>
      db.write(async (trx) => {
        written = await claimKeyAndUpdateWithEvent(trx, claim('claim-key-0001'), d.id, d.version, patch, AT.official, event(d.version + 1));
      }),
    );
    assert.deepEqual(written, { kind: 'written' });
    if (db.dialect.name === 'postgres') {
      const inside = sent.filter((t) => !/^(begin|commit)/i.test(t));
      assert.equal(inside.length, 1, inside.join('\n'));
      assert.match(inside[0]!, /^with "k" as \(insert into "idempotency_keys".*"u" as \(update "dossiers".*"e" as \(insert into "dossier_events"/s);
    }
    const key = await db.read.selectFrom('idempotency_keys').select(['status_code', 'response', 'dossier_id']).where('key', '=', 'claim-key-0001').executeTakeFirstOrThrow();
    assert.deepEqual(key, { status_code: 200, response: '{"n":1}', dossier_id: d.id });
    const events = await db.read.selectFrom('dossier_events').select(['id', 'version']).where('dossier_id', '=', d.id).where('version', '>', d.version).execute();
    assert.deepEqual(events, [{ id: `ev-claim-${d.version + 1}`, version: d.version + 1 }]);
    // the same key again: nothing changes, and the result stored under it comes back
    const taken = await db.write((trx) => claimKeyAndUpdateWithEvent(trx, claim('claim-key-0001'), d.id, d.version + 1, patch, AT.official, event(d.version + 2)));
    assert.deepEqual(taken, { kind: 'key_taken', result: { statusCode: 200, body: { n: 1 } } });
    const row = await db.read.selectFrom('dossiers').select('version').where('id', '=', d.id).executeTakeFirstOrThrow();
    assert.equal(row.version, d.version + 1, 'a taken key changed nothing');
  });
});

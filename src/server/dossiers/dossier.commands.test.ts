// The dossier module's commands called directly with the one context, on SQLite and PostgreSQL: one write
// unit per save and submit with the listeners' writes inside it, the version and idempotency rules under
// concurrency, the session read used once and only for its own user, the stored verdict, and on PostgreSQL a
// submit that costs one statement after the read the session already made.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { statementsDuring } from '../../../test/helpers/pg-statements.ts';
import { AppError } from '../http/errors.ts';
import type { Services } from '../context.ts';
import type { UserActor } from '../policy/policy.ts';
import { dossierDeps, dossierListeners } from '../app.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import { findExamYear } from '../exam-years/exam-years.repository.ts';
import { AT, YEAR, buildRegWorld, goodDossier, type RegWorld } from './test-fixtures.ts';
import { saveSections } from './save.ts';
import { submitDossier } from './submit.ts';
import { loadTarget, type OwnRead } from './access.ts';
import { dossierUpdatePart, findOwnDossier } from './dossier.repository.ts';
import { rulesContext, summarise, verdictOf } from './rules.ts';
import type { DossierDeps } from './commit.ts';
import type { DossierListener } from './listeners.ts';

const log = pino({ level: 'silent' });
const own = { kind: 'own' } as const;

describeEachDb('dossier commands', (getDb) => {
  let w: RegWorld;
  let deps: DossierDeps;
  before(async () => {
    w = await buildRegWorld(getDb().db);
    deps = dossierDeps({ config: { DATA_DIR: '/nonexistent' } } as Services);
  });
  const ctx = (actor: UserActor, now: Date = AT.official) => ({ db: getDb().db, actor, now, log, ip: null });
  const statusOf = async (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof AppError ? e.status : 500));
  const versionOf = async (u: UserActor) => (await findOwnDossier(getDb().db.read, u.userId, YEAR, false))?.dossier?.version ?? 0;
  const readFor = async (u: UserActor): Promise<OwnRead> => ({ userId: u.userId, year: YEAR, isTrial: false, extra: 'none', found: await findOwnDossier(getDb().db.read, u.userId, YEAR, false), used: false });

  test('a save is one write unit; listeners write inside it, and a listener write that fails rolls the save back', async () => {
    const db = getDb().db;
    const seen: string[] = [];
    const watching: DossierListener = (b, a, change) => {
      seen.push(`${change.kind}:${b?.version ?? 0}->${a.version}`);
      return null;
    };
    const withWatch = { ...deps, listeners: { ...deps.listeners, changed: [...deps.listeners.changed, watching] } };
    const writesBefore = db.writeStats().jobs;
    const r = await saveSections(ctx(w.users.candA), withWatch, { target: own, sections: { personal: goodDossier().personal }, ifMatch: 0 });
    assert.deepEqual(seen, ['created:0->1']);
    assert.equal(r.version, 1);
    if (db.dialect.name === 'sqlite') assert.equal(db.writeStats().jobs - writesBefore, 2, 'the code block and the save: a write each');
    // a listener whose write fails (a counter level the table refuses): the whole save is gone
    const failing: DossierListener = () => ({
      parts: [insertRowsPart('stat_counters', { exam_year: 'integer', level: 'text', unit: 'text', metric: 'text', shard: 'integer', value: 'integer' }, [{ exam_year: YEAR, level: 'planet', unit: 'x', metric: 'x', shard: 0, value: 1 }], { shape: 'failing' })],
    });
    const withFailing = { ...deps, listeners: { ...deps.listeners, changed: [...deps.listeners.changed, failing] } };
    await assert.rejects(saveSections(ctx(w.users.candA), withFailing, { target: own, sections: { contact: goodDossier().contact }, ifMatch: 1 }));
    assert.equal(await versionOf(w.users.candA), 1, 'the failed save left no trace');
    const events = await db.read.selectFrom('dossier_events as e').innerJoin('dossiers as d', 'd.id', 'e.dossier_id').innerJoin('candidates as c', 'c.id', 'd.candidate_id').select('e.version').where('c.user_id', '=', w.users.candA.userId).execute();
    assert.deepEqual(events, [{ version: 1 }]);
    const after = await saveSections(ctx(w.users.candA), deps, { target: own, sections: { contact: goodDossier().contact }, ifMatch: 1 });
    assert.equal(after.version, 2);
  });

  test('50 concurrent saves on one version: one wins, 49 get 412, and the losers leave no event', async () => {
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        statusOf(saveSections(ctx(w.users.candA), deps, { target: own, sections: { contact: { ...goodDossier().contact, address: `Nhà số ${i}, Hà Nội` } }, ifMatch: 2 })),
      ),
    );
    assert.equal(rs.filter((s) => s === 200).length, 1);
    assert.equal(rs.filter((s) => s === 412).length, 49);
    const d = (await findOwnDossier(getDb().db.read, w.users.candA.userId, YEAR, false))!.dossier!;
    const atThree = await getDb().db.read.selectFrom('dossier_events').select(['event', 'version']).where('dossier_id', '=', d.id).where('version', '=', 3).execute();
    assert.deepEqual(atThree, [{ event: 'edit', version: 3 }]);
  });

  test('50 concurrent submits with one key: one submission, one stored answer for all, and the key refuses another body', async () => {
    const { personal: _p, ...rest } = goodDossier();
    const s = await saveSections(ctx(w.users.candA), deps, { target: own, sections: rest, ifMatch: 3 });
    assert.equal((JSON.parse(s.json) as { dossier: { readyToSubmit: boolean } }).dossier.readyToSubmit, true, s.json);
    const rs = await Promise.all(Array.from({ length: 50 }, () => submitDossier(ctx(w.users.candA), deps, { target: own, idempotencyKey: 'cmd-submit-001', body: {} })));
    assert.equal(rs.filter((r) => !r.replayed).length, 1);
    assert.equal(new Set(rs.map((r) => r.json)).size, 1, 'every answer is the same');
    const answer = JSON.parse(rs[0]!.json) as { status: string; version: number; code: string; submittedNow: boolean };
    assert.equal(answer.status, 'submitted');
    assert.equal(answer.version, 5);
    assert.match(answer.code, /^01-26-\d{6}-\d$/);
    const d = (await findOwnDossier(getDb().db.read, w.users.candA.userId, YEAR, false))!.dossier!;
    const events = await getDb().db.read.selectFrom('dossier_events').select('id').where('dossier_id', '=', d.id).where('event', '=', 'submit').execute();
    assert.equal(events.length, 1);
    const keys = await getDb().db.read.selectFrom('idempotency_keys').selectAll().where('key', '=', 'cmd-submit-001').execute();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.status_code, 200);
    assert.ok(keys[0]!.response.length < 400, `the stored answer is small: ${keys[0]!.response.length} bytes`);
    await assert.rejects(submitDossier(ctx(w.users.candA), deps, { target: own, idempotencyKey: 'cmd-submit-001', body: { confirmedWarnings: ['X'] } }), (e: AppError) => e.status === 422);
  });

  test('window edges at the command level: 16:59:59 saves, 17:00:00 says the window closed even for a bad body', async () => {
    const ok = await saveSections(ctx(w.users.candB, AT.lastSecond), deps, { target: own, sections: { contact: goodDossier().contact }, ifMatch: 0 });
    assert.equal(ok.version, 1);
    await assert.rejects(saveSections(ctx(w.users.candB, AT.closed), deps, { target: own, sections: { contact: { phone: 'x' } }, ifMatch: 1 }), (e: AppError) => e.code === 'WINDOW_CLOSED' && e.status === 403);
  });

  test('the session read serves one load only: a stale read makes the submit retry on a fresh one; another user\'s read is never used', async () => {
    const u = w.users.candB;
    const s1 = await saveSections(ctx(u), deps, { target: own, sections: goodDossier(), ifMatch: await versionOf(u) });
    // what the session read brought when the request came in ...
    const early = await readFor(u);
    // ... and a save from another tab that commits before this request's write
    const s2 = await saveSections(ctx(u), deps, { target: own, sections: { contact: { ...goodDossier().contact, address: 'Số 9 Lý Thái Tổ, Hà Nội' } }, ifMatch: s1.version });
    const r = await submitDossier(ctx(u), deps, { target: own, body: {} }, early);
    assert.equal(early.used, true, 'the first attempt used the early read');
    const answer = JSON.parse(r.json) as { version: number; status: string };
    assert.equal(answer.version, s2.version + 1, 'the retry read the dossier again and submitted on top of the later save');
    assert.equal(answer.status, 'submitted');
    // a read made for someone else (it cannot happen through the route; the guard holds anyway)
    const foreign: OwnRead = { userId: w.users.candA.userId, year: YEAR, isTrial: false, extra: 'none', found: undefined, used: false };
    const l = await loadTarget(ctx(u), own, 'candidate.read', 'none', foreign);
    assert.equal(foreign.used, false);
    assert.equal(l.candidate.userId, u.userId);
    assert.equal(l.dossier?.version, answer.version);
  });

  test('the verdict stored with a version answers while the year\'s rules are unchanged, and is computed again when they change', async () => {
    const db = getDb().db;
    const d = (await findOwnDossier(db.read, w.users.candB.userId, YEAR, false))!.dossier!;
    const year = (await findExamYear(db.read, YEAR))!;
    const rctx = await rulesContext(db.read, year, AT.official);
    assert.equal(d.summary?.key.startsWith(`${YEAR}:`), true);
    assert.equal(verdictOf(d, rctx).findingsJson, d.summary!.findingsJson, 'the stored text, not a new one');
    // the year's configuration changed (an audited edit of a published year): the stored verdict is stale
    const edited = await rulesContext(db.read, { ...year, updatedAt: new Date(AT.official.getTime() + 1000).toISOString() }, AT.official);
    const again = verdictOf(d, edited);
    assert.notEqual(again.key, d.summary!.key);
    assert.deepEqual(again.findings, summarise(d.data, edited).findings);
    // the next day too (age checks follow the local day)
    assert.notEqual(verdictOf(d, await rulesContext(db.read, year, new Date(AT.official.getTime() + 86_400_000))).key, d.summary!.key);
  });

  test('the year\'s part of the rules context is kept per rules version: the same while the rules stand, new when the year\'s rules change', async () => {
    const db = getDb().db;
    const year = (await findExamYear(db.read, YEAR))!;
    const a = await rulesContext(db.read, year, AT.official);
    const b = await rulesContext(db.read, year, AT.lastSecond, { idNumber: '001206012345', candidateType: 'current' });
    assert.equal(b.priorityTable, a.priorityTable, 'the same year context, not assembled again');
    assert.equal(b.now, AT.lastSecond, 'the request\'s own clock');
    assert.equal(a.account, undefined);
    assert.deepEqual(b.account, { idNumber: '001206012345', candidateType: 'current' });
    // the year's carry-over minimum changed (an edit of its rules moves its updatedAt)
    const edited = { ...year, rules: { ...year.rules, retainMinScore: 6.5 }, updatedAt: new Date(AT.official.getTime() + 2000).toISOString() };
    const c = await rulesContext(db.read, edited, AT.official);
    assert.equal(c.retainMinScore, 6.5);
    assert.notEqual(c.rulesVersion, a.rulesVersion);
    assert.equal((await rulesContext(db.read, year, AT.official)).retainMinScore, a.retainMinScore, 'the unchanged year keeps its own');
  });

  test('a save whose read came before a photo upload does not put "photo missing" back', async () => {
    const db = getDb().db;
    const u = w.users.candFree;
    const first = await saveSections(ctx(u), deps, { target: own, sections: { contact: goodDossier().contact }, ifMatch: 0 });
    const early = await readFor(u);
    assert.equal(early.found?.dossier?.filters.photoMissing, true);
    const id = early.found!.dossier!.id;
    // the photo upload commits (it marks the photo present without a new version) ...
    assert.ok(await db.apply({ primary: dossierUpdatePart(id, first.version, { photoMissing: false }, AT.official, { anyVersion: true }), then: [] }));
    // ... then the save writes with what it read
    await saveSections(ctx(u), deps, { target: own, sections: { contact: { ...goodDossier().contact, address: 'Số 2 Tràng Tiền, Hà Nội' } }, ifMatch: first.version }, early);
    assert.equal(early.used, true);
    const row = await db.read.selectFrom('dossiers').select(['photo_missing', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { photo_missing: 0, version: first.version + 1 });
  });

  test('a repeated submit whose dossier was returned after it was read answers 412 with the dossier as it is now, and keeps no answer under its key', async () => {
    const db = getDb().db;
    const u = w.users.candB;
    const early = await readFor(u);
    const d = early.found!.dossier!;
    assert.equal(d.status, 'submitted', 'submitted by an earlier test');
    // the point returns it between the request's read and its write
    assert.ok(await db.apply({ primary: dossierUpdatePart(d.id, d.version, { status: 'returned' }, AT.official), then: [] }));
    await assert.rejects(submitDossier(ctx(u), deps, { target: own, idempotencyKey: 'moved-key-0001', ifMatch: d.version, body: {} }, early), (e: AppError) => {
      assert.equal(e.status, 412);
      assert.equal(e.code, 'VERSION_CONFLICT');
      assert.equal((e.details as { version: number }).version, d.version + 1, 'the answer carries the dossier as it is now');
      return true;
    });
    assert.deepEqual(await db.read.selectFrom('idempotency_keys').select('key').where('key', '=', 'moved-key-0001').execute(), []);
  });

  test('a submit costs one write statement, and on PostgreSQL with the session read nothing else: the key, the compare-and-set, its event, its job and its counters in one', async () => {
    const db = getDb().db;
    const u = w.users.candA;
    // returned, then fixed: a submit that really changes the dossier
    const d = (await findOwnDossier(db.read, u.userId, YEAR, false))!.dossier!;
    assert.ok(await db.apply({ primary: dossierUpdatePart(d.id, d.version, { status: 'returned' }, AT.official), then: [] }));
    const early = await readFor(u);
    early.key = { key: 'one-statement-01', record: null };
    // warm the per-process caches (the year, the code lists) as a running server has them
    await rulesContext(db.read, (await findExamYear(db.read, YEAR))!, AT.official);
    const sent = await statementsDuring(() => submitDossier(ctx(u), { ...deps, listeners: dossierListeners() }, { target: own, idempotencyKey: 'one-statement-01', body: {} }, early));
    const row = await db.read.selectFrom('dossiers').select(['status', 'version']).where('id', '=', d.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'submitted', version: d.version + 2 });
    if (db.dialect.name === 'postgres') {
      const meaningful = sent.filter((t) => !/^select .*from "exam_years"/is.test(t));
      assert.equal(meaningful.length, 1, meaningful.join('\n---\n'));
      assert.match(meaningful[0]!, /^with "p" as \(update "dossiers".*insert into "dossier_events".*insert into "idempotency_keys".*insert into "jobs".*insert into "stat_counters"/s);
    }
    const jobs = await db.read.selectFrom('jobs').select('dedup_key').where('dedup_key', '=', `notify:dossier.submitted:${d.id}:${d.version + 2}`).execute();
    assert.equal(jobs.length, 1, 'its notification was enqueued with it');
  });

  test('a save of a section costs two round trips on PostgreSQL: the read of the dossier, and one statement with the compare-and-set, its event and any counters it moves', async () => {
    const db = getDb().db;
    const u = w.users.candB;
    // a dossier that exists (a first save also reserves a block of dossier codes now and then)
    if ((await versionOf(u)) === 0) await saveSections(ctx(u), deps, { target: own, sections: { contact: goodDossier().contact }, ifMatch: 0 });
    const version = await versionOf(u);
    // warm the per-process caches (the year, the code lists, the schools) as a running server has them
    await rulesContext(db.read, (await findExamYear(db.read, YEAR))!, AT.official);
    const sent = await statementsDuring(() =>
      saveSections(ctx(u), { ...deps, listeners: dossierListeners() }, { target: own, sections: { contact: { ...goodDossier().contact, address: 'Số 12 Hàng Bài, Hà Nội' } }, ifMatch: version }),
    );
    assert.equal(await versionOf(u), version + 1);
    if (db.dialect.name === 'postgres') {
      const meaningful = sent.filter((t) => !/^select .*from "exam_years"/is.test(t));
      assert.equal(meaningful.length, 2, meaningful.join('\n---\n'));
      assert.match(meaningful[0]!, /^select .*left join "dossiers"/is);
      assert.match(meaningful[1]!, /^with "p" as \(update "dossiers".*insert into "dossier_events"/s);
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { runPart } from '../db/write-unit.ts';
import pino from 'pino';
import { findPortalSync, portalSyncPart, recordPortalDossier, recordPortalProgress } from './integrations.repository.ts';
import { clearFlagsPart, flagsOfCandidate, raiseFlag, raiseFlagParts } from './links.repository.ts';
import { enqueueJobs } from '../jobs/jobs.repository.ts';
import { jobKind } from '../jobs/job.ts';
import { JobWorker } from '../jobs/worker.ts';
import { newId } from '../ids.ts';

describeEachDb('portal acknowledgements', (get) => {
  const t0 = new Date('2026-04-20T02:00:00Z');
  const at = (min: number) => new Date(t0.getTime() + min * 60_000);

  test('the dossier and its progress recorded in one statement; each side only moves forward, and a side not given stays', async () => {
    const db = get().db;
    const code = 'HS-ACK-1';
    // version 2: both sides at once (the portal took the upsert and the progress)
    await db.write((trx) => runPart(trx, portalSyncPart(code, { version: 2, statusCode: 2, outcome: 'applied' }, { version: 2, outcome: 'applied' }, at(1))));
    let s = (await findPortalSync(db.read, code))!;
    assert.deepEqual([s.dossierVersion, s.dossierStatusCode, s.dossierOutcome, s.progressVersion, s.progressOutcome], [2, 2, 'applied', 2, 'applied']);

    // version 1's acknowledgements arrive late: neither side moves back
    await db.write((trx) => runPart(trx, portalSyncPart(code, { version: 1, statusCode: 1, outcome: 'applied' }, { version: 1, outcome: 'applied' }, at(2))));
    s = (await findPortalSync(db.read, code))!;
    assert.deepEqual([s.dossierVersion, s.dossierStatusCode, s.progressVersion, s.updatedAt], [2, 2, 2, at(1).toISOString()], 'nothing moved back, not even the time');

    // version 3: the upsert recorded alone (the progress must wait), then the progress alone
    await db.write((trx) => recordPortalDossier(trx, code, 3, 5, 'applied', at(3)));
    s = (await findPortalSync(db.read, code))!;
    assert.deepEqual([s.dossierVersion, s.dossierStatusCode, s.progressVersion, s.progressOutcome], [3, 5, 2, 'applied'], 'the progress side stays at 2');
    await db.write((trx) => recordPortalProgress(trx, code, 3, 'already_had', at(4)));
    s = (await findPortalSync(db.read, code))!;
    assert.deepEqual([s.dossierVersion, s.dossierStatusCode, s.dossierOutcome, s.progressVersion, s.progressOutcome, s.updatedAt], [3, 5, 'applied', 3, 'already_had', at(4).toISOString()]);

    // the same version again (a retry after a crash): recorded again, nothing else changes
    await db.write((trx) => runPart(trx, portalSyncPart(code, null, { version: 3, outcome: 'applied' }, at(5))));
    s = (await findPortalSync(db.read, code))!;
    assert.deepEqual([s.dossierVersion, s.progressVersion, s.progressOutcome], [3, 3, 'applied']);
  });

  test('a first acknowledgement of the progress alone starts the record with no dossier side', async () => {
    const db = get().db;
    await db.write((trx) => recordPortalProgress(trx, 'HS-ACK-2', 1, 'applied', at(1)));
    const s = (await findPortalSync(db.read, 'HS-ACK-2'))!;
    assert.deepEqual([s.dossierVersion, s.dossierStatusCode, s.dossierOutcome, s.progressVersion, s.progressOutcome], [0, null, null, 1, 'applied']);
  });

  test('a new flag supersedes the open one, in a step-by-step write and as a job\'s one-statement finish alike; a match clears it', async () => {
    const db = get().db;
    const flag = (candidateId: string, checkId: string) => ({ candidateId, dossierId: null, pointId: 'p-1', departmentCode: '01', examYear: 2026, checkId, outcome: 'mismatch' as const, mismatches: [{ field: 'fullName' as const, sent: 'Nguyen Van A', registered: 'Nguyễn Văn A' }] });
    await db.write((trx) => raiseFlag(trx, flag('cand-f1', 'chk-1'), at(1)));
    await db.write((trx) => raiseFlag(trx, flag('cand-f1', 'chk-2'), at(2)));
    // the job's finish: the supersede and the insert in one unit (one statement on PostgreSQL, same snapshot)
    const kind = jobKind<{ step: string }>({
      kind: 'test.flagging',
      parse: (p) => p as { step: string },
      run: (ctx, p) => ctx.finishWith(p.step === 'raise' ? raiseFlagParts(newId(), flag('cand-f1', 'chk-3'), ctx.now) : [clearFlagsPart('cand-f1', ctx.now)]),
    });
    const w = new JobWorker(db, [kind], [], () => at(3), pino({ level: 'silent' }), { batch: 1 });
    await db.write((trx) => enqueueJobs(trx, [{ kind: 'test.flagging', payload: { step: 'raise' } }], at(3)));
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    let flags = await flagsOfCandidate(db.read, 'cand-f1');
    assert.deepEqual(flags.map((f) => [f.checkId, f.status]), [['chk-1', 'superseded'], ['chk-2', 'superseded'], ['chk-3', 'open']]);
    assert.deepEqual(flags[2]!.mismatches, flag('x', 'y').mismatches, 'the field and both values kept');

    await db.write((trx) => enqueueJobs(trx, [{ kind: 'test.flagging', payload: { step: 'clear' } }], at(3)));
    assert.deepEqual(await w.runOnce(), { done: 1, failed: 0, claimed: 1 });
    flags = await flagsOfCandidate(db.read, 'cand-f1');
    assert.deepEqual(flags.map((f) => f.status), ['superseded', 'superseded', 'cleared']);
    assert.equal(flags[2]!.note, 'Kiểm tra lại: khớp CSDL dân cư');
    assert.equal(flags[0]!.note, null, 'a superseded flag keeps no note');
    assert.equal(await db.write((trx) => runPart(trx, clearFlagsPart('cand-f1', at(4)))), 0, 'nothing open is left to clear');
  });
});

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { addCounterRows, allCounters, type CounterDelta } from './stats.repository.ts';
import { recount, rebuildCounters } from './recount.ts';
import { onAccountChanged, dossierContributions, localHour } from './counters.ts';
import { statsSummary } from './read-stats.ts';
import { dossierUpdatePart, findDossierById } from '../dossiers/dossier.repository.ts';
import { commit, snapshotOf } from '../dossiers/commit.ts';
import { verifyDossier, returnDossier } from '../dossiers/review.ts';
import { dossierDeps, dossierListeners } from '../app.ts';
import type { Services } from '../context.ts';
import { newId } from '../ids.ts';
import { IN_OFFICIAL, P1, P2, P3, YEAR, makeCandidates, makeDossier, ministry, officer1, officer2, officer3, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';


test('contributions: registered counts every status after draft, with the local hour', () => {
  const base = { id: 'd', code: null, candidateId: 'c', examYear: 2026, isTrial: false, version: 1, pointId: 'p', departmentCode: '01', channel: 'desk' as const, subjectsCombo: 'LI+NN', purpose: 'both', candidateType: 'free', flags: { cccdMismatch: false, photoMissing: false, exemptionClaimed: true, priorityClaimed: false }, submittedAt: '2026-04-15T10:30:00.000Z' };
  assert.deepEqual(dossierContributions({ ...base, status: 'draft', submittedAt: null }), ['dossiers', 'status.draft']);
  const r = dossierContributions({ ...base, status: 'returned' });
  for (const m of ['registered', 'registered.channel.desk', 'registered.subject.LI', 'registered.subject.NN', 'registered.combo.LI+NN', 'registered.exemption', 'registered.hour.2026-04-15T17']) assert.ok(r.includes(m), m);
  assert.equal(localHour('2026-04-15T23:59:00Z'), '2026-04-16T06');
  assert.deepEqual(dossierContributions({ ...base, status: 'submitted', isTrial: true }), ['trial.dossiers', 'trial.registered']);
});

describeEachDb('statistics counters', (get) => {
  const cands: MadeCandidate[] = [];
  const ctx = (actor: Actor) => ({ db: get().db, actor, now: IN_OFFICIAL, log: pino({ level: 'silent' }), ip: null });
  const deps = () => dossierDeps({ config: { DATA_DIR: '/nonexistent' } } as Services);

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    for (const p of [P1, P2, P3]) cands.push(...(await makeCandidates(db, p, Array.from({ length: 20 }, (_, i) => `Nguyễn Văn Số ${String.fromCharCode(65 + i)}`))));
  });

  test('hammering concurrent changes leaves the counters equal to a full recount', async () => {
    const db = get().db;
    const officers: Record<string, Actor> = { [P1]: officer1, [P2]: officer2, [P3]: officer3 };
    // dossiers created concurrently, in every status, both channels
    const ids = await Promise.all(cands.map((c, i) => makeDossier(db, c, i % 3 === 0 ? 'draft' : 'submitted', { channel: i % 5 === 0 ? 'desk' : 'online', filters: { subjectsCombo: ['LI+NN', 'HOA+SINH', 'SU+DIA'][i % 3]!, purpose: i % 2 ? 'graduation' : 'both', priorityClaimed: i % 4 === 0 } })));
    // then waves of racing edits, submits, verifications and returns; conflicts are expected and ignored
    let rnd = 12345;
    const rand = () => ((rnd = (rnd * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let wave = 0; wave < 6; wave++) {
      await Promise.allSettled(
        Array.from({ length: 90 }, async () => {
          const id = ids[Math.floor(rand() * ids.length)]!;
          const found = await findDossierById(db.read, id);
          if (!found) return;
          const d = found.dossier;
          const officer = officers[d.pointId]!;
          const op = rand();
          if (op < 0.35) {
            // the candidate edits: subjects change, a draft may be submitted
            const combo = ['LI+NN', 'HOA+SINH', 'TIN+NN'][Math.floor(rand() * 3)]!;
            const status = d.status === 'draft' && rand() < 0.6 ? 'submitted' : d.status === 'verified' ? 'submitted' : d.status;
            const filters = { ...d.filters, subjectsCombo: combo };
            const submittedAt = status !== 'draft' ? (d.submittedAt ?? IN_OFFICIAL.toISOString()) : null;
            const written = await commit(db, { listeners: dossierListeners() }, {
              primary: dossierUpdatePart(d.id, d.version, { status, submittedAt, data: { json: d.dataJson, filters } }, IN_OFFICIAL),
              event: { id: newId(), dossierId: d.id, at: IN_OFFICIAL, actorId: null, actorRole: 'candidate', event: 'edit', fromStatus: d.status, toStatus: status, version: d.version + 1 },
              before: snapshotOf(d),
              after: { ...snapshotOf({ ...d, filters, submittedAt }), status, version: d.version + 1 },
              change: { kind: 'edited', at: IN_OFFICIAL, actorId: null, actorRole: 'candidate', candidateUserId: found.candidate.userId },
            });
            if (!written) throw new Error('conflict');
          } else if (op < 0.7) await verifyDossier(ctx(officer), deps(), d.id, d.version);
          else await returnDossier(ctx(officer), deps(), d.id, d.version, 'Sửa môn thi');
        }),
      );
    }
    // accounts: issue some, sign some in, disable one
    await Promise.all(
      cands.slice(0, 30).map((c, i) =>
        db.write(async (trx) => {
          await onAccountChanged(trx, null, { userId: c.userId, examYear: YEAR, pointId: c.pointId, status: 'not_issued', signedIn: false });
          await trx.updateTable('users').set({ status: 'active', last_sign_in_at: i % 2 ? IN_OFFICIAL.toISOString() : null }).where('id', '=', c.userId).execute();
          await onAccountChanged(trx, { userId: c.userId, examYear: YEAR, pointId: c.pointId, status: 'not_issued', signedIn: false }, { userId: c.userId, examYear: YEAR, pointId: c.pointId, status: 'active', signedIn: i % 2 === 1 });
        }),
      ),
    );
    // accounts not issued also count in the total: the remaining ones never went through the hook,
    // so give them their creation event too
    await db.write(async (trx) => {
      for (const c of cands.slice(30)) await onAccountChanged(trx, null, { userId: c.userId, examYear: YEAR, pointId: c.pointId, status: 'not_issued', signedIn: false });
    });

    const stored = await allCounters(db.read, YEAR);
    const expected = await recount(db.read, YEAR);
    assert.ok(expected.get('national||registered')! > 0);
    assert.deepEqual(Object.fromEntries([...stored].sort()), Object.fromEntries([...expected].sort()));

    const national = await statsSummary(ctx(ministry), 'national');
    const dossiers = await db.read.selectFrom('dossiers').select(['status', 'channel']).execute();
    const registered = dossiers.filter((d) => d.status !== 'draft');
    assert.equal(national.registered.total, registered.length);
    assert.equal(national.registered.online, registered.filter((d) => d.channel === 'online').length);
    assert.equal(national.dossiers.verified, dossiers.filter((d) => d.status === 'verified').length);
    assert.equal(national.accounts.total, 60);
    assert.equal(national.accounts.issued, 30);
    assert.equal(national.accounts.signedIn, 15);
    const point = await statsSummary(ctx(officer1), 'point', P1);
    assert.equal(point.dossiers.total, 20);
    assert.ok(point.perHour.length >= 1);

    // a rebuild (after a bulk load) gives the same numbers
    await rebuildCounters(db, YEAR);
    assert.deepEqual(Object.fromEntries([...(await allCounters(db.read, YEAR))].sort()), Object.fromEntries([...expected].sort()));
  });

  test('an upsert of any number of rows adds to the counters: compiled once per row count up to 64, built beyond', async () => {
    const db = get().db;
    const year = YEAR + 50;
    const rows = (n: number, value: number): CounterDelta[] => Array.from({ length: n }, (_, i) => ({ examYear: year, level: 'point', unit: `u${String(i).padStart(3, '0')}`, metric: 'm', shard: 0, value }));
    // each count twice: the second call runs the statement the first compiled, and adds to the rows it made
    for (const n of [1, 3, 64, 65, 64, 3, 1, 65]) await db.write((trx) => addCounterRows(trx, rows(n, n)));
    const got = await allCounters(db.read, year);
    const expected = new Map<string, number>();
    for (const n of [1, 3, 64, 65]) for (let i = 0; i < n; i++) expected.set(`point|u${String(i).padStart(3, '0')}|m`, (expected.get(`point|u${String(i).padStart(3, '0')}|m`) ?? 0) + 2 * n);
    assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...expected].sort()));
  });
});

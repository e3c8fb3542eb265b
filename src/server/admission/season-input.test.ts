// The run scores the plain sum in integers (season-input.ts) and every other method with the domain's exact
// admissionScore. A weighted sum with every weight 1 is the plain sum, so a programme of each kind on the same
// candidates must give the same score for every wish: marks, priority objects, the reduction above 22.5,
// a graduate's year, a candidate without marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../../../test/helpers/db.ts';
import type { Db } from '../db/create-db.ts';
import { YEAR, makeCandidates, makeDossier, seedStructure, P1 } from '../verification/back-office.fixtures.ts';
import { readSeason } from './season-input.ts';
import { executeRun } from './execute-run.ts';
import { insertRun } from './run.repository.ts';

const AT = '2026-08-17T03:00:00.000Z';

async function programme(db: Db, id: string, scoring: 'sum' | 'weighted-30'): Promise<void> {
  await db.write((trx) =>
    trx
      .insertInto('admission_programmes')
      .values({ id, exam_year: YEAR, institution_id: 'i', institution_code: 'QHI', code: id, method: '100', name: id, search_name: id, combinations: JSON.stringify([{ code: 'A00' }]), scoring, quota: 5, min_score_centi: null, teacher_training: 0, tie_policy: '{"kind":"break-by-rule","criteria":[{"by":"wish-order"}]}', status: 'published', import_id: null, created_at: AT, updated_at: AT, published_at: AT, published_by: null })
      .execute(),
  );
}

describeEachDb('season input: the integer plain sum agrees with admissionScore', (get) => {
  test('every candidate scores the same under the plain sum and a weighted sum of ones', async () => {
    const db = get().db;
    await seedStructure(db);
    await programme(db, 'SUM', 'sum');
    await programme(db, 'W30', 'weighted-30');
    // [Toán, Lí, Hoá] (null: no marks at all), priority object, graduated the year before
    const cases: Array<[number[] | null, string | null, boolean]> = [
      [[9, 9, 9], '02', false],
      [[7.5, 7.5, 7.5], '02', false],
      [[7.55, 7.5, 7.45], '05', true],
      [[7.25, 7.75, 7.5], '05', false],
      [[5, 6.25, 4.75], '02', false],
      [[10, 10, 9.95], '02', false],
      [[8.35, 8.1, 6.05], null, false],
      [null, '02', false],
      [[6, 6, 6], null, true],
    ];
    const made = await makeCandidates(db, P1, cases.map((_, i) => `Thí Sinh ${String.fromCharCode(65 + i)}`));
    for (const [i, c] of made.entries()) {
      const [scores, object, graduated] = cases[i]!;
      const id = await makeDossier(db, c, 'verified');
      await db.write(async (trx) => {
        await trx.updateTable('dossiers').set({ data: JSON.stringify({ ...(object ? { priority: { object } } : {}), status: { graduated } }) }).where('id', '=', id).execute();
        for (const [k, s] of (scores ?? []).entries()) {
          await trx.insertInto('exam_marks').values({ exam_year: YEAR, candidate_id: c.candidateId, subject: ['TOAN', 'LI', 'HOA'][k]!, department_code: c.departmentCode, kind: 'score', score_centi: Math.round(s * 100), sanction: null, version: 1, updated_at: AT }).execute();
        }
        for (const [k, p] of ['SUM', 'W30'].entries()) {
          await trx.insertInto('admission_wishes').values({ id: `${c.candidateId}-${k}`, exam_year: YEAR, candidate_id: c.candidateId, position: k + 1, programme_id: p, combination: 'A00', fee_status: 'paid', paid_at: AT, payment_id: null, created_at: AT, updated_at: AT }).execute();
        }
      });
    }
    const s = await readSeason(db.read, YEAR, { wishCap: null, teacherTrainingMaxPosition: null, combinationFloor: null }, { batch: 4 });
    const { ci } = s;
    assert.equal(ci.candidateIds.length, cases.length);
    const sum = ci.programmeIds.indexOf('SUM');
    let withPriority = 0;
    for (let c = 0; c < ci.candidateIds.length; c++) {
      const [a, b] = [ci.wishStart[c]!, ci.wishStart[c]! + 1];
      const [w1, w2] = ci.wishProgramme[a] === sum ? [a, b] : [b, a];
      assert.equal(ci.wishScore[w1], ci.wishScore[w2], `candidate ${ci.candidateIds[c]}`);
      assert.equal(ci.wishExcluded[w1], ci.wishExcluded[w2]);
      const plain = cases[made.findIndex((m) => m.candidateId === ci.candidateIds[c])]![0];
      if (plain && ci.wishScore[w1]! > Math.round(plain.reduce((x, y) => x + y, 0) * 100)) withPriority += 1;
    }
    // the cases exercise the priority (reduced or not), not only the plain sums
    assert.ok(withPriority >= 4, `priority added for ${withPriority} candidates`);
    // 22.5 + 2 points reduced: (30 − 22.5) / 7.5 × 2 = 2
    const c2 = ci.candidateIds.indexOf(made[1]!.candidateId);
    assert.equal(ci.wishScore[ci.wishStart[c2]!], 2450);
  });

  test('read by two threads in ranges of a few wishes, the season is the one a single reader builds', async () => {
    const db = get().db;
    // a wish to a programme the year no longer lists, for some candidates, met in the middle of the season
    const ids = (await db.read.selectFrom('admission_wishes').select('candidate_id').distinct().orderBy('candidate_id').execute()).map((r) => r.candidate_id);
    await db.write(async (trx) => {
      for (const [k, id] of ids.entries()) {
        if (k % 3 !== 1) continue;
        await trx.insertInto('admission_wishes').values({ id: `${id}-gone`, exam_year: YEAR, candidate_id: id, position: 3, programme_id: k === 1 ? 'GONE-B' : 'GONE-A', combination: 'A00', fee_status: 'paid', paid_at: AT, payment_id: null, created_at: AT, updated_at: AT }).execute();
      }
    });
    const rules = { wishCap: null, teacherTrainingMaxPosition: null, combinationFloor: null };
    const one = await readSeason(db.read, YEAR, rules, { batch: 2 });
    const two = await readSeason(db.read, YEAR, rules, { threads: 2, url: db.url, rangeWishes: 3, minWishesForThreads: 0 });
    assert.equal(two.threads, 2);
    assert.ok(one.ci.programmeIds.includes('GONE-A') && one.ci.programmeIds.includes('GONE-B'));
    assert.deepEqual(two.ci, one.ci);
    assert.deepEqual(two.wishCombination, one.wishCombination);
    assert.deepEqual([two.unpaid, two.ineligible, two.combinations], [one.unpaid, one.ineligible, one.combinations]);
  });

  test('a run read and hashed on threads stores and hashes what a run on one thread does', async () => {
    const db = get().db;
    const rules = { wishCap: null, teacherTrainingMaxPosition: null, combinationFloor: null };
    for (const id of ['T0', 'T2']) await db.write((trx) => insertRun(trx, { id, examYear: YEAR, startedBy: 'test', startedAt: AT, previousRunId: null, reason: null }));
    const one = await executeRun(db, 'T0', YEAR, rules, null, { threads: 0 });
    const two = await executeRun(db, 'T2', YEAR, rules, null, { threads: 2, rangeWishes: 3, minWishesForThreads: 0 });
    assert.equal(two.timings['read_threads'], 2);
    assert.equal(one.timings['read_threads'], 0);
    assert.deepEqual([two.inputHash, two.resultHash, two.admitted], [one.inputHash, one.resultHash, one.admitted]);
    const rows = async (run: string) => (await db.read.selectFrom('admission_run_candidates').select(['candidate_id', 'programme_id', 'wish', 'score_centi', 'not_obtained']).where('run_id', '=', run).orderBy('candidate_id').execute());
    assert.deepEqual(await rows('T2'), await rows('T0'));
  });
});

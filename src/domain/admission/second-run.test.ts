import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compactCandidateOutcome, compactProgrammeOutcome, compactToResult, runCompactAdmission, storedNotObtainedWriter, toCompactInput, writeCanonicalCompactInput, writeCanonicalCompactResult, type CompactAdmissionInput } from './compact.ts';
import { writeCanonicalInput, writeCanonicalResult } from './canonical.ts';
import { compareApplicants, tiedUnder, type Applicant } from './policy.ts';
import { HOW_FREE_PLACE, HOW_MOVED_UP, HOW_REACHED_CUTOFF, lastPlaces, PROTECT_PUBLISHED_ALGORITHM, protectPublished, publishedIn, publishedOf, type PublishedAdmissions } from './second-run.ts';
import { syntheticSeason } from './synthetic.ts';
import { admissionInput, type InstanceShape } from './test-instances.ts';
import type { AdmissionInput, TiePolicy } from './types.ts';

const RUNS = Number(process.env['ADMISSION_PROPERTY_RUNS'] ?? 300);

/** A published run on `input`, then score reviews: some wishes' scores move by up to two levels either way. */
const reviewed = (shape: InstanceShape) =>
  admissionInput(shape).chain((input) => {
    const n = input.candidates.reduce((s, c) => s + c.wishes.length, 0);
    return fc.array(fc.constantFrom(0, 0, 0, 0, -200, -100, 100, 200), { minLength: n, maxLength: n }).map((deltas) => {
      let i = 0;
      const after: AdmissionInput = {
        ...input,
        candidates: input.candidates.map((c) => ({ ...c, wishes: c.wishes.map((w) => ({ ...w, score: Math.max(0, w.score + deltas[i++]!) })) })),
      };
      return { before: input, after };
    });
  });

const SHAPE: InstanceShape = { maxProgrammes: 5, maxCandidates: 25, maxQuota: 4, scoreLevels: 5 };

interface Case {
  ci: CompactAdmissionInput;
  pub: PublishedAdmissions;
  /** published wish number per candidate (null: not admitted) and cut-off per programme */
  pubWish: Array<number | null>;
  pubCutoff: Array<number | null>;
  /** per programme: admitted in the published run */
  pubAdmitted: Int32Array;
}

function published(before: AdmissionInput, after: AdmissionInput): Case {
  const c0 = toCompactInput(before);
  const r0 = runCompactAdmission(c0);
  const ci = toCompactInput(after);
  const res0 = compactToResult(c0, r0);
  const cut = new Map(res0.programmes.map((p) => [p.id, p.cutoff]));
  return {
    ci,
    pub: publishedOf(c0, r0),
    pubWish: Array.from(r0.admittedWish, (w, c) => (w < 0 ? null : w - c0.wishStart[c]! + 1)),
    pubCutoff: ci.programmeIds.map((id) => cut.get(id) ?? null),
    pubAdmitted: r0.admittedCount,
  };
}

const applicant = (ci: CompactAdmissionInput, c: number, w: number): Applicant => ({ candidateId: ci.candidateIds[c]!, wish: w - ci.wishStart[c]! + 1, score: ci.wishScore[w]!, tieBreak: ci.tieKeys.length ? { math: ci.wishTie[w * ci.tieKeys.length]! } : undefined });

test('property: under protect-published no candidate admitted in the published run ends below their published admission', () => {
  fc.assert(
    fc.property(reviewed(SHAPE), ({ before, after }) => {
      const { ci, pub, pubWish } = published(before, after);
      const r = protectPublished(ci, pub);
      for (let c = 0; c < ci.candidateIds.length; c++) {
        const was = pubWish[c]!;
        if (was === null) continue;
        const w = r.admittedWish[c]!;
        assert.ok(w >= 0, `${ci.candidateIds[c]} lost their published admission`);
        assert.ok(w - ci.wishStart[c]! + 1 <= was, `${ci.candidateIds[c]} fell below wish ${was}`);
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: quotas are exceeded only by protected or moved-up candidates; newcomers take free places, or reach a published cut-off', () => {
  fc.assert(
    fc.property(reviewed(SHAPE), ({ before, after }) => {
      const { ci, pub, pubWish, pubCutoff, pubAdmitted } = published(before, after);
      const r = protectPublished(ci, pub);
      const P = ci.programmeIds.length;
      const free: Applicant[][] = Array.from({ length: P }, () => []);
      for (let c = 0; c < ci.candidateIds.length; c++) {
        const w = r.admittedWish[c]!;
        if (w < 0) continue;
        const p = ci.wishProgramme[w]!;
        const n = w - ci.wishStart[c]! + 1;
        if (pubWish[c] !== null) {
          // protected (the same programme) or moved up to a higher wish whose published cut-off they reach
          if (pub.programme[c] === p) continue;
          assert.equal(r.how[c], HOW_MOVED_UP);
          assert.ok(n < pubWish[c]!);
          if (pub.full[p]) assert.ok(ci.wishScore[w]! >= pubCutoff[p]!, 'moved up without reaching the cut-off');
          continue;
        }
        if (pub.full[p]) {
          // a programme that filled takes a newcomer only at or above its published cut-off
          assert.equal(r.how[c], HOW_REACHED_CUTOFF);
          assert.ok(ci.wishScore[w]! >= pubCutoff[p]!, 'entered a full programme below its cut-off');
        } else {
          assert.equal(r.how[c], HOW_FREE_PLACE);
          free[p]!.push(applicant(ci, c, w));
        }
      }
      for (let p = 0; p < P; p++) {
        const places = Math.max(0, ci.quota[p]! - pubAdmitted[p]!);
        const f = free[p]!;
        if (f.length <= places) continue;
        // beyond the free places only by the tie group at the last free place (admit all tied)
        const pol = ci.policies[p]!;
        f.sort((a, b) => compareApplicants(pol, a, b));
        const last = f[f.length - 1]!;
        assert.equal(pol.kind, 'admit-all-tied', `${ci.programmeIds[p]} gave ${f.length} free places for ${places}`);
        assert.ok(places > 0 && f.filter((a) => !tiedUnder(pol, a, last)).length < places);
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: with unchanged scores the result equals the published one (admissions, cut-offs, every reason)', () => {
  fc.assert(
    fc.property(admissionInput(SHAPE), (input) => {
      const ci = toCompactInput(input);
      const r0 = runCompactAdmission(ci);
      const r = protectPublished(ci, publishedOf(ci, r0));
      assert.deepEqual(compactToResult(ci, r), compactToResult(ci, r0));
      assert.ok(r.how.every((h) => h === 0));
    }),
    { numRuns: RUNS },
  );
});

test('property: every reason a candidate is given agrees with the cut-off the programme holds to (nobody above it is shown as not admitted)', () => {
  fc.assert(
    fc.property(reviewed(SHAPE), ({ before, after }) => {
      const { ci, pub } = published(before, after);
      const res = compactToResult(ci, protectPublished(ci, pub));
      for (const c of res.candidates) {
        for (const n of c.notObtained) {
          if (n.reason === 'below-cutoff') assert.ok(n.cutoff !== null && n.score < n.cutoff, JSON.stringify(n));
          if (n.reason === 'tie-break') assert.ok(n.score === n.cutoff && n.decidedBy, JSON.stringify(n));
        }
      }
    }),
    { numRuns: RUNS },
  );
});

test('a score review moves a candidate up beyond the quota; the place they leave is not refilled, nobody is displaced', () => {
  const input = (binh: number): AdmissionInput => ({
    teacherTrainingWishCap: null,
    programmes: [
      { id: 'QHI', quota: 1, tiePolicy: { kind: 'break-by-rule', criteria: [] } },
      { id: 'BKA', quota: 2, tiePolicy: { kind: 'break-by-rule', criteria: [] }, minScore: 1500 },
    ],
    candidates: [
      { id: 'an', wishes: [{ programme: 'QHI', score: 2700 }, { programme: 'BKA', score: 2700 }] },
      { id: 'binh', wishes: [{ programme: 'QHI', score: binh }, { programme: 'BKA', score: binh }] },
      { id: 'chi', wishes: [{ programme: 'BKA', score: 2300 }] },
      { id: 'dung', wishes: [{ programme: 'BKA', score: 2200 }] },
    ],
  });
  const { ci, pub } = published(input(2400), input(2850));
  const res = compactToResult(ci, protectPublished(ci, pub));
  const at = Object.fromEntries(res.candidates.map((c) => [c.id, c.admitted?.programme ?? null]));
  assert.deepEqual(at, { an: 'QHI', binh: 'QHI', chi: 'BKA', dung: null });
  assert.deepEqual(
    res.programmes.map((p) => [p.id, p.admitted, p.cutoff]),
    [
      // BKA holds to its published cut-off: Bình's place stays empty rather than go to Dũng below it
      ['BKA', 1, 2300],
      ['QHI', 2, 2700],
    ],
  );
  // recomputed, An would lose his published QHI place to Bình
  const again = compactToResult(ci, runCompactAdmission(ci));
  assert.deepEqual(Object.fromEntries(again.candidates.map((c) => [c.id, c.admitted?.programme ?? null])), { an: 'BKA', binh: 'QHI', chi: 'BKA', dung: null });
});

const text = (write: (sink: (s: string) => void) => void): string => {
  let s = '';
  write((c) => (s += c));
  return s;
};

test('property: what a protect-published run stores and hashes, written from the columns, is its readable result (stored reasons, canonical bytes)', () => {
  fc.assert(
    fc.property(reviewed(SHAPE), ({ before, after }) => {
      const { ci, pub } = published(before, after);
      const r = protectPublished(ci, pub);
      const res = compactToResult(ci, r);
      assert.equal(text((s) => writeCanonicalCompactResult(ci, r, 'h', s)), text((s) => writeCanonicalResult(res, PROTECT_PUBLISHED_ALGORITHM, 'h', s)));
      const cutoffs = ci.programmeIds.map((_, p) => compactProgrammeOutcome(ci, r, p).cutoff);
      const write = storedNotObtainedWriter(ci, r);
      for (let c = 0; c < ci.candidateIds.length; c++) {
        const lines = compactCandidateOutcome(ci, r, c, cutoffs).notObtained.map((n) => [n.wish, n.programme, n.reason, n.score, n.decidedBy ? (n.decidedBy.by === 'value' ? `value:${n.decidedBy.key}` : n.decidedBy.by) : null]);
        assert.equal(write(c), JSON.stringify(lines));
      }
    }),
    { numRuns: RUNS },
  );
});

test('the input header names the policy and the published result a run follows; a first run keeps its bytes', () => {
  const input: AdmissionInput = { teacherTrainingWishCap: 5, programmes: [{ id: 'P', quota: 1, tiePolicy: { kind: 'break-by-rule', criteria: [] } }], candidates: [{ id: 'a', wishes: [{ programme: 'P', score: 2000 }] }] };
  const ci = toCompactInput(input);
  const r = runCompactAdmission(ci);
  const first = text((s) => writeCanonicalCompactInput(ci, r.candidateOrder, s));
  assert.ok(first.startsWith('{"format":"ghidanh-admission-input","version":1,"teacherTrainingWishCap":5}\n'));
  const follows = { policy: 'protect-published' as const, published: 'ab'.repeat(32) };
  const second = text((s) => writeCanonicalCompactInput(ci, r.candidateOrder, s, follows));
  assert.ok(second.startsWith(`{"format":"ghidanh-admission-input","version":1,"teacherTrainingWishCap":5,"follows":{"policy":"protect-published","published":"${'ab'.repeat(32)}"}}\n`));
  assert.equal(second, text((s) => writeCanonicalInput(input, s, follows)));
  assert.notEqual(second, text((s) => writeCanonicalCompactInput(ci, r.candidateOrder, s, { ...follows, policy: 'recompute' })));
});

test('on a generated season, protect-published after reviews of 2% of the scores keeps every published admission and changes few', () => {
  const ci0 = syntheticSeason({ seed: 7, candidates: 3000, programmes: 30 });
  const r0 = runCompactAdmission(ci0);
  const res0 = compactToResult(ci0, r0);
  // the stored lines of the published run, as a later run reads them (by ids, in another order)
  const lines = res0.candidates.map((c) => ({ candidateId: c.id, programmeId: c.admitted?.programme ?? null, score: c.admitted?.score ?? null })).reverse();
  const last = lastPlaces(ci0, r0);
  const progs = res0.programmes.map((p) => {
    const i = ci0.programmeIds.indexOf(p.id);
    return { programmeId: p.id, full: p.full, cutoff: p.cutoff, lastPlace: last[i]! >= 0 ? ci0.candidateIds[last[i]!]! : null };
  });
  const wishScore = ci0.wishScore.slice();
  for (let w = 0; w < wishScore.length; w += 50) wishScore[w] = wishScore[w]! + 150;
  const ci = { ...ci0, wishScore };
  const r = protectPublished(ci, publishedIn(ci, lines, progs));
  assert.deepEqual(publishedIn(ci, lines, progs), publishedOf(ci0, r0));
  let moved = 0;
  for (let c = 0; c < ci.candidateIds.length; c++) {
    const w0 = r0.admittedWish[c]!;
    const w = r.admittedWish[c]!;
    if (w0 >= 0) assert.ok(w >= 0 && w <= w0, ci.candidateIds[c]);
    if (w !== w0) moved += 1;
  }
  assert.ok(moved > 0 && moved < ci.candidateIds.length / 10, `${moved} changed`);
  compactToResult(ci, r);
});

test('a quota lowered since the publication: the programme holds to its last published place; one whose published admissions are all gone offers its places again', () => {
  const at = (input: AdmissionInput, pub: PublishedAdmissions) => {
    const ci = toCompactInput(input);
    const res = compactToResult(ci, protectPublished(ci, pub));
    return { where: Object.fromEntries(res.candidates.map((c) => [c.id, c.admitted?.programme ?? null])), cutoff: res.programmes[0]!.cutoff };
  };
  const rule: TiePolicy = { kind: 'break-by-rule', criteria: [] };
  const before: AdmissionInput = {
    teacherTrainingWishCap: null,
    programmes: [{ id: 'P', quota: 3, tiePolicy: rule }],
    candidates: [
      { id: 'a', wishes: [{ programme: 'P', score: 2500 }] },
      { id: 'b', wishes: [{ programme: 'P', score: 2000, excluded: 'ineligible' }] },
      { id: 'c', wishes: [{ programme: 'P', score: 1800, excluded: 'ineligible' }] },
    ],
  };
  const c0 = toCompactInput(before);
  const pub = publishedOf(c0, runCompactAdmission(c0));
  // P did not fill (1 of 3); its quota is cut to 1, and b and c become eligible: b above a's 25.00 enters, c below does not
  const after: AdmissionInput = {
    ...before,
    programmes: [{ id: 'P', quota: 1, tiePolicy: rule }],
    candidates: [
      { id: 'a', wishes: [{ programme: 'P', score: 2500 }] },
      { id: 'b', wishes: [{ programme: 'P', score: 2600 }] },
      { id: 'c', wishes: [{ programme: 'P', score: 1800 }] },
    ],
  };
  assert.deepEqual(at(after, pub), { where: { a: 'P', b: 'P', c: null }, cutoff: 2500 });
  // a is gone from the new input: nobody holds a published place at P, whose one place goes to the best
  const gone: AdmissionInput = { ...after, candidates: after.candidates.slice(1) };
  const ci = toCompactInput(gone);
  assert.deepEqual(at(gone, publishedIn(ci, [{ candidateId: 'a', programmeId: 'P', score: 2500 }], [{ programmeId: 'P', full: false, cutoff: null, lastPlace: null }])), { where: { b: 'P', c: null }, cutoff: 2600 });
});

test('property: runs that follow runs: a second review after a protect-published publication keeps everything published so far, and nothing changed gives the same result again', () => {
  fc.assert(
    fc.property(
      reviewed(SHAPE).chain(({ before, after }) => {
        const n = after.candidates.reduce((t, c) => t + c.wishes.length, 0);
        return fc.array(fc.constantFrom(0, 0, 0, 0, -200, -100, 100, 200), { minLength: n, maxLength: n }).map((deltas) => {
          let i = 0;
          const third: AdmissionInput = { ...after, candidates: after.candidates.map((c) => ({ ...c, wishes: c.wishes.map((w) => ({ ...w, score: Math.max(0, w.score + deltas[i++]!) })) })) };
          return { before, after, third };
        });
      }),
      ({ before, after, third }) => {
        const { ci, pub } = published(before, after);
        const x = protectPublished(ci, pub);
        // X is published; nothing changes: the same result, cut-offs and reasons included
        const again = protectPublished(ci, publishedOf(ci, x));
        assert.deepEqual(compactToResult(ci, again), compactToResult(ci, x));
        // another review: nobody admitted in X ends lower, and every reason agrees with the cut-off held to
        const c3 = toCompactInput(third);
        const y = protectPublished(c3, publishedOf(ci, x));
        for (let c = 0; c < c3.candidateIds.length; c++) {
          const w0 = x.admittedWish[c]!;
          if (w0 < 0) continue;
          const w = y.admittedWish[c]!;
          assert.ok(w >= 0 && w - c3.wishStart[c]! <= w0 - ci.wishStart[c]!, c3.candidateIds[c]);
        }
        for (const o of compactToResult(c3, y).candidates) for (const n of o.notObtained) if (n.reason === 'below-cutoff' || n.reason === 'tie-break') assert.ok(n.cutoff !== null && n.score <= n.cutoff);
      },
    ),
    { numRuns: RUNS },
  );
});

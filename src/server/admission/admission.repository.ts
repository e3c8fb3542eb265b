// SQL of admission registration (issue 23): published programmes found by their search key, a candidate's
// wish list and its version, the marks its eligibility reads, an institution's counts.
import type { Kysely } from 'kysely';
import type { AdmissionProgrammeTable, DB } from '../db/schema.ts';
import { REVISION_SUFFIX } from './catalogue.repository.ts';

export type ProgrammeRow = AdmissionProgrammeTable;

export async function searchPublishedProgrammes(db: Kysely<DB>, examYear: number, key: string, codeLike: string, limit: number): Promise<ProgrammeRow[]> {
  return db
    .selectFrom('admission_programmes')
    .selectAll()
    .where('exam_year', '=', examYear)
    .where('status', '=', 'published')
    .where((eb) => eb.or([eb('search_name', 'like', `%${key}%`), eb('code', 'like', `${codeLike}%`), eb('id', 'like', `${codeLike}%`)]))
    .orderBy('search_name')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function programmesByIds(db: Kysely<DB>, ids: readonly string[]): Promise<ProgrammeRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('admission_programmes').selectAll().where('id', 'in', [...ids]).execute();
}

export async function candidateOfUser(db: Kysely<DB>, userId: string, examYear: number): Promise<{ id: string; pointId: string; departmentCode: string } | undefined> {
  const r = await db.selectFrom('candidates').select(['id', 'point_id', 'department_code']).where('user_id', '=', userId).where('exam_year', '=', examYear).executeTakeFirst();
  return r ? { id: r.id, pointId: r.point_id, departmentCode: r.department_code } : undefined;
}

export interface StoredWish {
  position: number;
  programmeId: string;
  combination: string;
  feeStatus: 'unpaid' | 'pending' | 'paid' | 'refunded';
  paidAt: string | null;
  paymentId: string | null;
  createdAt: string;
}

export async function wishList(db: Kysely<DB>, examYear: number, candidateId: string): Promise<{ version: number; frozenAt: string | null; wishes: StoredWish[] }> {
  const [list, rows] = await Promise.all([
    db.selectFrom('admission_wish_lists').select(['version', 'frozen_at']).where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).executeTakeFirst(),
    db
      .selectFrom('admission_wishes')
      .select(['position', 'programme_id', 'combination', 'fee_status', 'paid_at', 'payment_id', 'created_at'])
      .where('exam_year', '=', examYear)
      .where('candidate_id', '=', candidateId)
      .orderBy('position')
      .execute(),
  ]);
  return {
    version: list?.version ?? 0,
    frozenAt: list?.frozen_at ?? null,
    wishes: rows.map((r) => ({ position: r.position, programmeId: r.programme_id, combination: r.combination, feeStatus: r.fee_status, paidAt: r.paid_at, paymentId: r.payment_id, createdAt: r.created_at })),
  };
}

/**
 * Replaces the list when its version is still `expected` (0: none yet), in the caller's transaction; false
 * when another save came first. A programme kept from the list before keeps its fee state.
 */
export async function replaceWishList(
  trx: Kysely<DB>,
  examYear: number,
  candidateId: string,
  expected: number,
  wishes: ReadonlyArray<{ id: string; programmeId: string; combination: string }>,
  before: readonly StoredWish[],
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  if (expected === 0) {
    const inserted = await trx
      .insertInto('admission_wish_lists')
      .values({ exam_year: examYear, candidate_id: candidateId, version: 1, updated_at: at, frozen_at: null })
      .onConflict((oc) => oc.columns(['exam_year', 'candidate_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  } else {
    const updated = await trx
      .updateTable('admission_wish_lists')
      .set({ version: expected + 1, updated_at: at })
      .where('exam_year', '=', examYear)
      .where('candidate_id', '=', candidateId)
      .where('version', '=', expected)
      .where('frozen_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
  }
  await trx.deleteFrom('admission_wishes').where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).execute();
  if (wishes.length > 0) {
    const kept = new Map(before.map((w) => [w.programmeId, w]));
    await trx
      .insertInto('admission_wishes')
      .values(
        wishes.map((w, i) => {
          const k = kept.get(w.programmeId);
          return {
            id: w.id,
            exam_year: examYear,
            candidate_id: candidateId,
            position: i + 1,
            programme_id: w.programmeId,
            combination: w.combination,
            fee_status: k?.feeStatus ?? 'unpaid',
            paid_at: k?.paidAt ?? null,
            payment_id: k?.paymentId ?? null,
            created_at: k?.createdAt ?? at,
            updated_at: at,
          };
        }),
      )
      .execute();
  }
  return true;
}

/** The candidate's published marks (score_centi by subject; absent or sanctioned papers are null) and whether a result exists. */
export async function publishedMarks(db: Kysely<DB>, examYear: number, candidateId: string): Promise<{ hasResult: boolean; marks: Record<string, number | null>; foreignLanguage: string | undefined }> {
  const [result, marks, dossier] = await Promise.all([
    db.selectFrom('exam_results').select('candidate_id').where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).executeTakeFirst(),
    db.selectFrom('exam_marks').select(['subject', 'kind', 'score_centi']).where('exam_year', '=', examYear).where('candidate_id', '=', candidateId).execute(),
    db.selectFrom('dossiers').select('data').where('candidate_id', '=', candidateId).executeTakeFirst(),
  ]);
  const out: Record<string, number | null> = {};
  for (const m of marks) out[m.subject] = m.kind === 'score' && m.score_centi !== null ? m.score_centi / 100 : null;
  let foreignLanguage: string | undefined;
  try {
    const d = dossier ? (JSON.parse(dossier.data) as { subjects?: { foreignLanguage?: unknown } }) : undefined;
    if (typeof d?.subjects?.foreignLanguage === 'string') foreignLanguage = d.subjects.foreignLanguage;
  } catch {
    foreignLanguage = undefined;
  }
  return { hasResult: result !== undefined || marks.length > 0, marks: out, foreignLanguage };
}

/** An institution's programmes and its wishes counted by programme, position and whether the fee is paid, with its candidates. */
export async function institutionWishCounts(
  db: Kysely<DB>,
  examYear: number,
  institutionId: string,
): Promise<{ programmes: ProgrammeRow[]; counts: Array<{ programme_id: string; position: number; paid: boolean; n: number }>; candidates: number; paidCandidates: number }> {
  const here = (paidOnly: boolean) => {
    let q = db
      .selectFrom('admission_wishes as w')
      .innerJoin('admission_programmes as p', 'p.id', 'w.programme_id')
      .select((eb) => eb.fn.count<number>('w.candidate_id').distinct().as('n'))
      .where('w.exam_year', '=', examYear)
      .where('p.institution_id', '=', institutionId);
    if (paidOnly) q = q.where('w.fee_status', '=', 'paid');
    return q.executeTakeFirst();
  };
  const [programmes, counts, candidates, paidCandidates] = await Promise.all([
    // the counts are of wishes: a revision waiting beside its published programme has none and would list it twice
    db
      .selectFrom('admission_programmes')
      .selectAll()
      .where('exam_year', '=', examYear)
      .where('institution_id', '=', institutionId)
      .where('id', 'not like', `%${REVISION_SUFFIX}`)
      .orderBy('code')
      .orderBy('method')
      .execute(),
    db
      .selectFrom('admission_wishes as w')
      .innerJoin('admission_programmes as p', 'p.id', 'w.programme_id')
      .select(['w.programme_id', 'w.position', 'w.fee_status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('w.exam_year', '=', examYear)
      .where('p.institution_id', '=', institutionId)
      .groupBy(['w.programme_id', 'w.position', 'w.fee_status'])
      .execute(),
    here(false),
    here(true),
  ]);
  return {
    programmes,
    counts: counts.map((c) => ({ programme_id: c.programme_id, position: Number(c.position), paid: c.fee_status === 'paid', n: Number(c.n) })),
    candidates: Number(candidates?.n ?? 0),
    paidCandidates: Number(paidCandidates?.n ?? 0),
  };
}

/**
 * The nation's wishes counted by the candidates' exam department (each department sits in one payment
 * group): candidates with a wish, wishes, those paid and those still to pay; and wishes by position.
 */
export async function nationalWishTotals(
  db: Kysely<DB>,
  examYear: number,
): Promise<{ byDepartment: Array<{ departmentCode: string; candidates: number; wishes: number; paidWishes: number; toPay: number }>; byPosition: Array<{ position: number; wishes: number }> }> {
  const [byDepartment, byPosition] = await Promise.all([
    db
      .selectFrom('admission_wishes as w')
      .innerJoin('candidates as c', 'c.id', 'w.candidate_id')
      .select((eb) => [
        'c.department_code',
        eb.fn.count<number>('w.candidate_id').distinct().as('candidates'),
        eb.fn.countAll<number>().as('wishes'),
        eb.fn.sum<number>(eb.case().when('w.fee_status', '=', 'paid').then(1).else(0).end()).as('paid'),
        eb.fn.sum<number>(eb.case().when('w.fee_status', 'in', ['unpaid', 'pending']).then(1).else(0).end()).as('to_pay'),
      ])
      .where('w.exam_year', '=', examYear)
      .groupBy('c.department_code')
      .orderBy('c.department_code')
      .execute(),
    db
      .selectFrom('admission_wishes')
      .select(['position', (eb) => eb.fn.countAll<number>().as('n')])
      .where('exam_year', '=', examYear)
      .groupBy('position')
      .orderBy('position')
      .execute(),
  ]);
  return {
    byDepartment: byDepartment.map((r) => ({ departmentCode: r.department_code, candidates: Number(r.candidates), wishes: Number(r.wishes), paidWishes: Number(r.paid ?? 0), toPay: Number(r.to_pay ?? 0) })),
    byPosition: byPosition.map((r) => ({ position: Number(r.position), wishes: Number(r.n) })),
  };
}

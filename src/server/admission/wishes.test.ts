import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, YEAR, dept01, makeCandidates, ministry, seedStructure, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import type { Actor } from '../policy/policy.ts';
import { registerAccessAudit } from '../audit/access-audit.ts';
import { orgIdForCode } from '../org/org.repository.ts';
import { admissionRoutes } from './routes.ts';

const T = '2026-07-01T00:00:00.000Z';
const OPEN = new Date('2026-07-20T03:00:00Z');
const CLOSED = new Date('2026-07-28T10:00:00Z'); // 17:00 local on the last day
const ADMISSION = {
  wishCap: 3,
  teacherTrainingMaxPosition: 1,
  combinationFloor: 15,
  window: { opensAt: '2026-07-16T00:00:00+07:00', closesAt: '2026-07-28T17:00:00+07:00' },
  feePerWishVnd: 15000,
  paymentGroups: [{ code: 'N1', name: 'Nhóm 1', provinceCodes: ['01'], opensAt: '2026-07-29T00:00:00+07:00', closesAt: '2026-07-31T17:00:00+07:00' }],
};
const candidate = (c: MadeCandidate): Actor => ({ kind: 'user', userId: c.userId, role: 'candidate', orgUnitId: c.pointId, departmentCode: c.departmentCode, sessionId: 's', mustChangePassword: false });
const officer = (inst: string): Actor => ({ kind: 'user', userId: `u-adm-${inst}`, role: 'admissions_officer', orgUnitId: orgIdForCode(inst), departmentCode: '01', sessionId: 's', mustChangePassword: false });

describeEachDb('admission wishes: search, If-Match, cap, eligibility, window, frozen, institution scope', (get) => {
  let app: FastifyInstance;
  let an: MadeCandidate;
  let binh: MadeCandidate;
  let now = OPEN;

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    [an, binh] = (await makeCandidates(db, P1, ['Nguyễn Văn An', 'Trần Thị Bình'])) as [MadeCandidate, MadeCandidate];
    await db.write(async (trx) => {
      await trx.updateTable('exam_years').set({ rules: JSON.stringify({ admission: ADMISSION }) }).where('year', '=', YEAR).execute();
      for (const code of ['QHI', 'SPH']) {
        await trx.insertInto('org_units').values({ id: orgIdForCode(code), kind: 'institution', code, name: code, parent_id: orgIdForCode('BGD'), department_code: '01', point_kind: null, address: null, active: 1, created_at: T, updated_at: T }).execute();
      }
      const prog = (inst: string, code: string, name: string, search: string, combos: string[], extra: { min?: number; teacher?: boolean; status?: 'draft' | 'published' } = {}) => ({
        id: `${inst}-${code}-100`,
        exam_year: YEAR,
        institution_id: orgIdForCode(inst),
        institution_code: inst,
        code,
        method: '100',
        name,
        search_name: search,
        combinations: JSON.stringify(combos.map((c) => ({ code: c }))),
        scoring: 'sum' as const,
        quota: 100,
        min_score_centi: extra.min ?? null,
        teacher_training: extra.teacher ? 1 : 0,
        tie_policy: JSON.stringify({ kind: 'admit-all-tied' }),
        status: extra.status ?? ('published' as const),
        import_id: null,
        created_at: T,
        updated_at: T,
        published_at: T,
        published_by: ministry.kind === 'user' ? ministry.userId : null,
      });
      await trx
        .insertInto('admission_programmes')
        .values([
          prog('QHI', '7480201', 'Công nghệ thông tin', 'cong nghe thong tin', ['A00', 'A01']),
          prog('QHI', '7520201', 'Kỹ thuật điện', 'ky thuat dien', ['A00'], { min: 2900 }),
          prog('SPH', '7140209', 'Sư phạm Toán học', 'su pham toan hoc', ['A00'], { teacher: true }),
          prog('SPH', '7140217', 'Sư phạm Ngữ văn', 'su pham ngu van', ['C00'], { status: 'draft' }),
        ])
        .execute();
      // An sat Toán, Lí, Hóa (24 on A00); Bình has no published marks yet
      for (const [subject, centi] of [['TOAN', 800], ['LI', 800], ['HOA', 800]] as const) {
        await trx.insertInto('exam_marks').values({ exam_year: YEAR, candidate_id: an.candidateId, subject, department_code: '01', kind: 'score', score_centi: centi, sanction: null, version: 1, updated_at: T }).execute();
      }
    });
    app = await backOfficeTestApp(db, () => now, [admissionRoutes, async (a, s) => registerAccessAudit(a, s)]);
  });
  after(async () => app?.close());

  const save = (who: MadeCandidate, version: number | undefined, wishes: Array<{ programmeId: string; combination?: string }>) =>
    app.inject({ method: 'PUT', url: '/api/admission/wishes', payload: { wishes }, headers: { ...as(candidate(who)), ...(version === undefined ? {} : { 'if-match': `"${version}"` }) } });

  test('search finds published programmes without diacritics, by code, never drafts', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/admission/programmes?q=su%20pham', headers: as(candidate(an)) });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().items.map((p: { id: string }) => p.id), ['SPH-7140209-100']);
    const byCode = await app.inject({ method: 'GET', url: '/api/admission/programmes?q=7480201', headers: as(candidate(an)) });
    assert.deepEqual(byCode.json().items.map((p: { id: string }) => p.id), ['QHI-7480201-100']);
    const staff = await app.inject({ method: 'GET', url: '/api/admission/programmes?q=su%20pham', headers: as(dept01) });
    assert.equal(staff.statusCode, 403);
  });

  test('saving: If-Match required, stale 412, eligibility with reasons, cap, duplicates, fee state kept', async () => {
    const empty = await app.inject({ method: 'GET', url: '/api/admission/wishes', headers: as(candidate(an)) });
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.headers.etag, '"0"');
    assert.equal((await save(an, undefined, [])).statusCode, 428);
    const first = await save(an, 0, [{ programmeId: 'QHI-7480201-100' }, { programmeId: 'QHI-7520201-100' }, { programmeId: 'SPH-7140209-100' }]);
    assert.equal(first.statusCode, 200, first.body);
    const list = first.json();
    assert.equal(list.version, 1);
    assert.deepEqual(list.wishes.map((w: { eligibility: string }) => w.eligibility), ['eligible', 'ineligible', 'ineligible']);
    assert.deepEqual(list.wishes[1].reasons.map((f: { code: string }) => f.code), ['WISH_BELOW_MINIMUM']);
    assert.deepEqual(list.wishes[2].reasons.map((f: { code: string }) => f.code), ['WISH_TEACHER_TRAINING_POSITION']);
    assert.equal((await save(an, 0, [{ programmeId: 'QHI-7480201-100' }])).statusCode, 412, 'a stale version');
    // moving the teacher-training wish to the top makes it eligible
    await get().db.write((trx) => trx.updateTable('admission_wishes').set({ fee_status: 'paid' }).where('programme_id', '=', 'QHI-7480201-100').execute());
    const moved = await save(an, 1, [{ programmeId: 'SPH-7140209-100' }, { programmeId: 'QHI-7480201-100' }]);
    assert.equal(moved.statusCode, 200);
    assert.deepEqual(moved.json().wishes.map((w: { eligibility: string; feeStatus: string }) => [w.eligibility, w.feeStatus]), [['eligible', 'unpaid'], ['eligible', 'paid']]);
    const over = await save(an, 2, ['QHI-7480201-100', 'QHI-7520201-100', 'SPH-7140209-100', 'QHI-7480201-100'].map((programmeId) => ({ programmeId })));
    assert.equal(over.statusCode, 400);
    assert.deepEqual(over.json().error.fields.map((f: { code: string }) => f.code).sort(), ['WISHES_TOO_MANY', 'WISH_DUPLICATE']);
    const draft = await save(an, 2, [{ programmeId: 'SPH-7140217-100' }]);
    assert.deepEqual(draft.json().error.fields.map((f: { code: string }) => f.code), ['PROGRAMME_UNKNOWN']);
  });

  test('a programme with several combinations: the best one by default, the one named when the candidate chooses', async () => {
    // Khoa học máy tính admits A01 first (An did not sit the foreign language) and A00 (24 for An)
    await get().db.write((trx) =>
      trx
        .insertInto('admission_programmes')
        .values({
          id: 'QHI-7480101-100', exam_year: YEAR, institution_id: orgIdForCode('QHI'), institution_code: 'QHI', code: '7480101', method: '100', name: 'Khoa học máy tính', search_name: 'khoa hoc may tinh',
          combinations: JSON.stringify([{ code: 'A01' }, { code: 'A00' }]), scoring: 'sum', quota: 50, min_score_centi: null, teacher_training: 0, tie_policy: JSON.stringify({ kind: 'admit-all-tied' }),
          status: 'published', import_id: null, created_at: T, updated_at: T, published_at: T, published_by: null,
        })
        .execute(),
    );
    const kept = [{ programmeId: 'SPH-7140209-100' }, { programmeId: 'QHI-7480201-100' }];
    try {
      const best = await save(an, 2, [...kept, { programmeId: 'QHI-7480101-100' }]);
      assert.equal(best.statusCode, 200, best.body);
      const w = best.json().wishes[2];
      assert.deepEqual([w.combination, w.eligibility, w.score], ['A00', 'eligible', 24], 'the best combination, not the first listed');
      const chosen = await save(an, 3, [...kept, { programmeId: 'QHI-7480101-100', combination: 'A01' }]);
      assert.deepEqual([chosen.json().wishes[2].combination, chosen.json().wishes[2].eligibility], ['A01', 'ineligible']);
      assert.deepEqual(chosen.json().wishes[2].reasons.map((f: { code: string }) => f.code), ['WISH_SUBJECT_NOT_SAT']);
      const unknown = await save(an, 4, [...kept, { programmeId: 'QHI-7480101-100', combination: 'C00' }]);
      assert.deepEqual([unknown.statusCode, unknown.json().error.fields[0].field], [400, 'wishes.3.combination']);
      // the list as the tests below expect it
      assert.equal((await save(an, 4, kept)).statusCode, 200);
    } finally {
      await get().db.write((trx) => trx.deleteFrom('admission_programmes').where('id', '=', 'QHI-7480101-100').execute());
    }
  });

  test('without published marks a wish is kept and shown as no results yet, but a teacher-training wish beyond its positions is refused at once', async () => {
    const r = await save(binh, 0, [{ programmeId: 'QHI-7520201-100' }, { programmeId: 'SPH-7140209-100' }]);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().wishes.map((w: { eligibility: string }) => w.eligibility), ['no_results', 'ineligible']);
    assert.deepEqual(r.json().wishes[1].reasons.map((f: { code: string; field: string }) => [f.code, f.field]), [['WISH_TEACHER_TRAINING_POSITION', 'wishes.2']]);
    // what the page checks the list with: the year's rules, no marks yet
    assert.deepEqual([r.json().eligibilityInput.rules.teacherTrainingMaxPosition, r.json().eligibilityInput.exam], [1, null]);
    const an2 = await app.inject({ method: 'GET', url: '/api/admission/wishes', headers: as(candidate(an)) });
    assert.deepEqual(an2.json().eligibilityInput.exam.scores, { TOAN: 8, LI: 8, HOA: 8 });
    // only the part of the priority table a score reads travels with every answer
    assert.deepEqual([an2.json().eligibilityInput.priority.objects, an2.json().eligibilityInput.priority.graduation.groups], [[], []]);
    assert.equal(an2.json().eligibilityInput.priority.areas.length, 4);
  });

  test("an institution counts its own wishes; another institution's officer is refused (403) and audited", async () => {
    const own = await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: as(officer('QHI')) });
    assert.equal(own.statusCode, 200);
    const cntt = own.json().programmes.find((p: { id: string }) => p.id === 'QHI-7480201-100');
    assert.deepEqual([cntt.wishes, cntt.paidWishes, cntt.byPosition], [1, 1, { '2': 1 }]);
    const ktd = own.json().programmes.find((p: { id: string }) => p.id === 'QHI-7520201-100');
    assert.deepEqual([ktd.wishes, ktd.paidWishes, ktd.byPosition], [1, 0, { '1': 1 }]);
    assert.deepEqual([own.json().totals, own.json().positions], [{ wishes: 2, paidWishes: 1, candidates: 2, paidCandidates: 1 }, 3]);
    assert.equal(own.json().programmes.some((p: { id: string }) => p.id.startsWith('SPH')), false, 'only its own programmes');
    // the page polls: while nothing changed the answer is 304 without a body
    assert.match(String(own.headers['etag']), /^W\/"/);
    assert.match(String(own.headers['cache-control']), /no-cache/);
    const same = await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: { ...as(officer('QHI')), 'if-none-match': String(own.headers['etag']) } });
    assert.deepEqual([same.statusCode, same.body], [304, '']);
    const stale = await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: { ...as(officer('QHI')), 'if-none-match': 'W/"old"' } });
    assert.equal(stale.statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: as(candidate(an)) })).statusCode, 403, 'a candidate');
    assert.equal((await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: as(dept01) })).statusCode, 403, 'a department');
    const other = await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: as(officer('SPH')) });
    assert.equal(other.statusCode, 403);
    const denied = await get().db.read.selectFrom('audit_log').select(['actor_id', 'target_type', 'target_id']).where('action', '=', 'access.denied').execute();
    assert.ok(denied.some((d) => d.actor_id === 'u-adm-SPH' && d.target_type === 'institution' && d.target_id === orgIdForCode('QHI')));
    assert.equal((await app.inject({ method: 'GET', url: `/api/admission/institutions/${orgIdForCode('QHI')}/counts`, headers: as(ministry) })).statusCode, 200);
  });

  test("the ministry's national totals: candidates, wishes by position, fees collected and due per group; nobody else's", async () => {
    // An's paid wish came through a paid order of group N1 (the payments page's figure)
    await get().db.write((trx) =>
      trx
        .insertInto('admission_payment_orders')
        .values({ id: 'o-an', exam_year: YEAR, candidate_id: an.candidateId, user_id: an.userId, department_code: '01', group_code: 'N1', wish_ids: '[]', wish_count: 1, fee_per_wish_vnd: 15000, amount_vnd: 15000, status: 'paid', open_key: 'o-an', created_at: T, updated_at: T, paid_at: T, txn_id: null, purpose: 'admission' })
        .execute(),
    );
    const r = await app.inject({ method: 'GET', url: '/api/admission/totals', headers: as(ministry) });
    assert.equal(r.statusCode, 200, r.body);
    const x = r.json();
    // An: SPH at 1, CNTT at 2 (paid); Bình: KTĐ at 1, SPH at 2
    assert.deepEqual([x.candidates, x.wishes, x.paidWishes, x.byPosition], [2, 4, 1, [{ position: 1, wishes: 2 }, { position: 2, wishes: 2 }]]);
    assert.deepEqual([x.dueVnd, x.collectedVnd], [45000, 15000]);
    assert.deepEqual(x.groups, [{ code: 'N1', name: 'Nhóm 1', windowState: 'not_open', candidates: 2, wishes: 4, paidWishes: 1, collectedVnd: 15000, dueVnd: 45000 }]);
    assert.deepEqual(x.ungrouped, { candidates: 0, wishes: 0, dueVnd: 0 });
    const same = await app.inject({ method: 'GET', url: '/api/admission/totals', headers: { ...as(ministry), 'if-none-match': String(r.headers['etag']) } });
    assert.equal(same.statusCode, 304);
    for (const [who, actor] of [['an officer', officer('QHI')], ['a department', dept01], ['a candidate', candidate(an)]] as const) {
      assert.equal((await app.inject({ method: 'GET', url: '/api/admission/totals', headers: as(actor) })).statusCode, 403, who);
    }
    const denied = await get().db.read.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'access.denied').execute();
    assert.ok(denied.some((d) => d.actor_id === 'u-adm-QHI' && String(d.details).includes('/api/admission/totals')));
  });

  test('at 17:00 on the last day the list is frozen: read-only, saves refused', async () => {
    now = CLOSED;
    const r = await app.inject({ method: 'GET', url: '/api/admission/wishes', headers: as(candidate(an)) });
    assert.deepEqual([r.json().frozen, r.json().window.state], [true, 'closed']);
    const s = await save(an, r.json().version, []);
    assert.equal(s.statusCode, 409);
    assert.equal(s.json().error.code, 'WISHES_FROZEN');
    now = OPEN;
  });
});

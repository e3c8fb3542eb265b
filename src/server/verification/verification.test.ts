import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { compareVietnameseNames, foldDiacritics } from '../../domain/names.ts';
import { findDossierById, listDossierEvents, dossierUpdatePart } from '../dossiers/dossier.repository.ts';
import { verificationRoutes } from './routes.ts';
import { statsRoutes } from '../stats/routes.ts';
import { dossierRoutes } from '../dossiers/routes.ts';
import { verifyDossier } from '../dossiers/review.ts';
import { correctDossier } from '../dossiers/save.ts';
import { dossierDeps } from '../app.ts';
import type { Ctx, Services } from '../context.ts';
import type { Db } from '../db/create-db.ts';
import type { DossierFilters } from '../dossiers/model.ts';
import { backOfficeTestApp, as } from './test-app.ts';
import { listJobs } from '../jobs/jobs.repository.ts';
import { AppError } from '../http/errors.ts';
import type { Actor, Scope } from '../policy/policy.ts';
import { listQueue, queueItems, type QueueItem, type QueueQuery } from './verification.repository.ts';
import { IN_CORRECTION, IN_OFFICIAL, P1, P2, P3, YEAR, dept01, makeCandidates, makeDossier, ministry, officer1, officer2, officer3, seedStructure, type MadeCandidate } from './back-office.fixtures.ts';

/** A candidate's edit, as the dossier module would write it (a compare-and-set on the version). */
function edit(db: Db, id: string, version: number, data: unknown): Promise<boolean> {
  const filters: DossierFilters = { subjectsCombo: null, purpose: null, candidateType: 'current', programme: null, cccdMismatch: false, photoMissing: false, exemptionClaimed: false, priorityClaimed: false, errorsCount: 0, warningsCount: 0 };
  return db.apply({ primary: dossierUpdatePart(id, version, { data: { json: JSON.stringify(data), filters } }, IN_OFFICIAL), then: [] });
}

const NAMES = [
  'Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng Cường', 'Phạm Ngọc Diệp', 'Hoàng Đức Dũng', 'Vũ Thu Hà', 'Đặng Minh Khôi', 'Bùi Thị Lan',
  'Đỗ Quang Minh', 'Ngô Phương Nhi', 'Dương Gia Phúc', 'Lý Thanh Tâm', 'Nguyễn Thị Ánh', 'Trần Văn Ân', 'Lê Văn Ăn', 'Nguyễn Văn Anh',
  'Phan Thị Ảnh', 'Hồ Ngọc Ân', 'Nguyễn Đình Đạt', 'Nguyễn Văn Dạt', 'Âu Dương Ơn', 'Ông Văn Ôn', 'Trương Văn On', 'Nguyễn Thị Yến',
];

describeEachDb('verification queue and commands', (get) => {
  let app: FastifyInstance;
  let p1: MadeCandidate[];
  let p3: MadeCandidate[];
  let clockNow = IN_OFFICIAL;
  const ctx = (actor: Actor, now = clockNow): Ctx => ({ db: get().db, actor, now, log: pino({ level: 'silent' }), ip: null });
  const deps = () => dossierDeps({ config: { DATA_DIR: '/nonexistent' } } as Services);

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    p1 = await makeCandidates(db, P1, NAMES, { className: '12A1' });
    await makeCandidates(db, P2, ['Nguyễn Văn An', 'Cao 100% Thị_Lan']);
    p3 = await makeCandidates(db, P3, ['Nguyễn Văn An', 'Trần Văn Bảo']);
    for (const [i, c] of p1.entries()) {
      await makeDossier(db, c, i % 4 === 0 ? 'draft' : 'submitted', { filters: { subjectsCombo: i % 2 ? 'LI+NN' : 'HOA+SINH', priorityClaimed: i % 3 === 0 } });
    }
    await makeDossier(db, p3[0]!, 'submitted');
    app = await backOfficeTestApp(db, () => clockNow, [verificationRoutes, statsRoutes, (a, s) => dossierRoutes(a, s, deps())]);
  });
  after(async () => app?.close());

  // a search (q) is sent in a POST body, never in the address; the other filters stay in the query string
  const queue = async (actor: Actor, qs: string) => {
    const params = Object.fromEntries(new URLSearchParams(qs));
    if (params['q'] === undefined) return app.inject({ method: 'GET', url: `/api/verification/queue?${qs}`, headers: as(actor) });
    return app.inject({ method: 'POST', url: '/api/verification/queue/search', headers: as(actor), payload: { ...params, ...(params['limit'] ? { limit: Number(params['limit']) } : {}) } });
  };

  test('a point lists its candidates in Vietnamese order, page after page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await queue(officer1, `limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { items: Array<{ fullName: string; pointId: string }>; nextCursor: string | null };
      for (const it of body.items) {
        assert.equal(it.pointId, P1);
        seen.push(it.fullName);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    assert.equal(seen.length, NAMES.length);
    assert.deepEqual(seen, [...seen].sort(compareVietnameseNames));
  });

  test('search without diacritics, by CCCD, and filters', async () => {
    let res = await queue(officer1, 'q=nguyen%20van%20an');
    assert.deepEqual((res.json() as { items: Array<{ fullName: string }> }).items.map((i) => i.fullName), ['NGUYỄN VĂN AN', 'NGUYỄN VĂN ANH']);
    res = await queue(officer1, `q=${p1[3]!.idNumber}`);
    assert.equal((res.json() as { items: unknown[] }).items.length, 1);
    res = await queue(officer1, 'status=draft&limit=200');
    assert.equal((res.json() as { items: unknown[] }).items.length, NAMES.length / 4);
    res = await queue(officer1, 'subject=HOA&status=submitted&limit=200');
    for (const it of (res.json() as { items: Array<{ dossier: { subjectsCombo: string } }> }).items) assert.equal(it.dossier.subjectsCombo, 'HOA+SINH');
    res = await queue(officer1, 'flags=priority&limit=200');
    const flagged = (res.json() as { items: Array<{ dossier: { flags: { priorityClaimed: boolean } } }> }).items;
    assert.ok(flagged.length > 0);
    assert.ok(flagged.every((i) => i.dossier.flags.priorityClaimed));
  });

  test('SQL and LIKE wildcards in a search match literally', async () => {
    for (const q of ['%', '_', '%25', "' or 1=1 --", 'an%', '\\']) {
      const res = await queue(officer1, `q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200);
      assert.equal((res.json() as { items: unknown[] }).items.length, 0, `q=${q}`);
    }
    // in P2 the literal characters exist: '100%' and 'thi_lan' match only themselves
    const res = await queue(officer2, `q=${encodeURIComponent('100%')}`);
    assert.deepEqual((res.json() as { items: Array<{ fullName: string }> }).items.map((i) => i.fullName), ['CAO 100% THỊ_LAN']);
    const none = await queue(officer2, `q=${encodeURIComponent('thi_')}`);
    assert.equal((none.json() as { items: unknown[] }).items.length, 1);
    const noneAny = await queue(officer2, `q=${encodeURIComponent('v_n')}`);
    assert.equal((noneAny.json() as { items: unknown[] }).items.length, 0, '_ is not a wildcard');
  });

  test('a search is paged in Vietnamese order, the same whether its matches are found first or met in name order', async () => {
    const db = get().db.read;
    type Search = Omit<QueueQuery, 'examYear' | 'isTrial' | 'limit' | 'after'>;
    // every page of two, following the keyset position; matchCap 0 forces the read in name order
    const everything = async (scope: Scope, q: Search, matchCap?: number): Promise<QueueItem[]> => {
      const out: QueueItem[] = [];
      let after: QueueQuery['after'];
      for (let pages = 0; pages < 50; pages++) {
        const page = await listQueue(db, scope, { examYear: YEAR, isTrial: false, ...q, limit: 2, ...(after ? { after } : {}) }, matchCap);
        const items = queueItems(page);
        assert.equal(items.length, page.count);
        out.push(...items);
        if (!page.next) break;
        assert.equal(page.count, 2, 'a page followed by more is full');
        after = page.next;
      }
      return out;
    };
    const folded = (i: QueueItem) => foldDiacritics(i.fullName);
    const cases: Array<[Scope, Search, (i: QueueItem) => boolean]> = [
      [{ pointId: P1 }, { nameFolded: 'nguyen' }, (i) => folded(i).includes('nguyen')],
      [{ pointId: P1 }, { nameFolded: 'nguyen van' }, (i) => folded(i).startsWith('nguyen van')],
      [{ departmentCode: '01' }, { nameFolded: 'nguyen van an' }, (i) => folded(i).startsWith('nguyen van an')],
      [{ departmentCode: '01' }, { nameFolded: 'an' }, (i) => folded(i).includes('an')],
      [{ all: true }, { departmentCode: '01', nameFolded: 'nguyen thi' }, (i) => folded(i).startsWith('nguyen thi')],
      [{ pointId: P1 }, { idNumber: p1[12]!.idNumber.slice(0, 11) }, (i) => i.idNumber.startsWith(p1[12]!.idNumber.slice(0, 11))],
      [{ departmentCode: '01' }, { idNumber: p1[4]!.idNumber }, (i) => i.idNumber === p1[4]!.idNumber],
      [{ pointId: P1 }, { nameFolded: 'nguyen', status: 'submitted' }, (i) => folded(i).includes('nguyen') && i.dossier?.status === 'submitted'],
      [{ departmentCode: '01' }, { nameFolded: 'nguyen', status: 'not_started' }, (i) => folded(i).includes('nguyen') && i.dossier === null],
      [{ pointId: P1 }, { nameFolded: 'an', flags: ['priority'], subject: 'LI' }, (i) => folded(i).includes('an') && !!i.dossier?.flags.priorityClaimed && i.dossier.subjectsCombo === 'LI+NN'],
      [{ pointId: P2 }, { nameFolded: 'cao 100% thi_' }, (i) => folded(i).startsWith('cao 100% thi_')],
      [{ pointId: P2 }, { nameFolded: '0%' }, (i) => folded(i).includes('0%')],
    ];
    for (const [scope, q, wanted] of cases) {
      const label = JSON.stringify([scope, q]);
      const { departmentCode, pointId } = { departmentCode: undefined, pointId: undefined, ...q };
      const whole = await everything(scope, { ...(departmentCode ? { departmentCode } : {}), ...(pointId ? { pointId } : {}) });
      const expected = whole.filter(wanted).map((i) => i.candidateId);
      assert.ok(expected.length > 0, `${label} finds someone`);
      const first = await everything(scope, q);
      assert.deepEqual(first.map((i) => i.candidateId), expected, `${label}: matches found first`);
      assert.deepEqual((await everything(scope, q, 0)).map((i) => i.candidateId), expected, `${label}: read in name order`);
      const names = first.map((i) => i.fullName);
      assert.deepEqual(names, [...names].sort(compareVietnameseNames), label);
    }
    // % and _ are themselves, both ways
    for (const nameFolded of ['v_n', 'cao 1_0', 'cao 100% thi%', 'nguyen %']) {
      for (const cap of [undefined, 0]) assert.deepEqual(await everything({ departmentCode: '01' }, { nameFolded }, cap), [], `${nameFolded} ${cap}`);
    }
  });

  test('through the API: a search pages with its cursor, a department searches all its points, lines carry no internal column', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await queue(officer1, `q=nguyen&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { items: Array<{ fullName: string }>; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.fullName));
      cursor = body.nextCursor;
    } while (cursor && seen.length < 50);
    assert.deepEqual(seen, NAMES.filter((n) => foldDiacritics(n).includes('nguyen')).map((n) => n.toUpperCase()).sort(compareVietnameseNames));

    const res = await queue(dept01, 'q=nguyen%20van%20an');
    const items = (res.json() as { items: Array<Record<string, unknown> & { fullName: string; pointId: string; dossier: Record<string, unknown> | null }> }).items;
    assert.deepEqual(items.map((i) => i.fullName), ['NGUYỄN VĂN AN', 'NGUYỄN VĂN AN', 'NGUYỄN VĂN ANH']);
    assert.deepEqual(new Set(items.map((i) => i.pointId)), new Set([P1, P2]));
    // the body is written without the response schema's pass: exactly the documented fields
    for (const it of items) {
      assert.deepEqual(Object.keys(it).sort(), ['candidateId', 'candidateType', 'className', 'dateOfBirth', 'departmentCode', 'dossier', 'fullName', 'gender', 'idNumber', 'pointId']);
      if (it.dossier) {
        assert.deepEqual(Object.keys(it.dossier).sort(), ['channel', 'code', 'errorsCount', 'flags', 'formNumber', 'id', 'purpose', 'returnReason', 'status', 'subjectsCombo', 'submittedAt', 'version']);
      }
    }
    assert.ok(items.some((i) => i.dossier), 'a line with a dossier was checked');
    // the database writes each line: every value with its JSON type (booleans, numbers, nulls)
    const byId = async (who: Actor, c: MadeCandidate) => ((await queue(who, `q=${c.idNumber}`)).json() as { items: unknown[] }).items;
    const first = p1[0]!;
    const [line] = await byId(officer1, first);
    const d = line as { dossier: { id: string; code: string | null; version: number; submittedAt: string | null } };
    assert.deepEqual(line, {
      candidateId: first.candidateId, pointId: P1, departmentCode: '01', fullName: first.fullName.toUpperCase(), dateOfBirth: '2008-03-14', gender: 'M',
      className: '12A1', idNumber: first.idNumber, candidateType: 'current',
      dossier: {
        id: d.dossier.id, code: d.dossier.code, status: 'draft', version: d.dossier.version, channel: 'online', formNumber: null, purpose: 'both', subjectsCombo: 'HOA+SINH',
        flags: { cccdMismatch: false, photoMissing: false, exemptionClaimed: false, priorityClaimed: true }, submittedAt: null, returnReason: null, errorsCount: 0,
      },
    });
    assert.equal(typeof d.dossier.version, 'number');
    const noDossier = (await makeCandidates(get().db, P2, ['Mạc Thị Chưa Khai']))[0]!;
    assert.deepEqual(await byId(dept01, noDossier), [
      { candidateId: noDossier.candidateId, pointId: P2, departmentCode: '01', fullName: 'MẠC THỊ CHƯA KHAI', dateOfBirth: '2008-03-14', gender: 'M', className: '12A1', idNumber: noDossier.idNumber, candidateType: 'current', dossier: null },
    ]);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    // a point's own list, and one asked for by id, carry that point and its department on every line
    for (const [who, qs, pointId, departmentCode] of [[officer1, 'limit=200', P1, '01'], [ministry, `pointId=${P3}`, P3, '02'], [dept01, `pointId=${P2}&q=cao`, P2, '01']] as const) {
      const lines = ((await queue(who, qs)).json() as { items: Array<{ pointId: string; departmentCode: string }> }).items;
      assert.ok(lines.length > 0, qs);
      for (const l of lines) assert.deepEqual([l.pointId, l.departmentCode], [pointId, departmentCode], qs);
    }
  });

  test('several words with % and _ are a literal start of the name', async () => {
    const names = async (q: string) => ((await queue(officer2, `q=${encodeURIComponent(q)}`)).json() as { items: Array<{ fullName: string }> }).items.map((i) => i.fullName);
    assert.deepEqual(await names('cao 100%'), ['CAO 100% THỊ_LAN']);
    assert.deepEqual(await names('cao 100% thi_'), ['CAO 100% THỊ_LAN']);
    assert.deepEqual(await names('cao 1_0'), []);
    assert.deepEqual(await names('cao 100% thi%'), []);
    assert.deepEqual(await names('cao %'), []);
    assert.deepEqual(await names('c_o 100'), []);
  });

  test('a page size of 10^6 is refused with 400', async () => {
    const res = await queue(officer1, 'limit=1000000');
    assert.equal(res.statusCode, 400);
  });

  test('scope escapes: another point by filter, by id, by statistics', async () => {
    assert.equal((await queue(officer2, `pointId=${P1}`)).statusCode, 403);
    assert.equal((await queue(officer1, 'departmentCode=02')).statusCode, 403);
    assert.equal((await queue(dept01, `pointId=${P3}`)).statusCode, 403);
    // a department sees its points but never another department's candidates, even by CCCD
    const byCccd = await queue(dept01, `q=${p3[0]!.idNumber}`);
    assert.equal((byCccd.json() as { items: unknown[] }).items.length, 0);
    const p3Dossier = (await queue(officer3, '')).json() as { items: Array<{ dossier: { id: string; version: number } | null }> };
    const foreign = p3Dossier.items.find((i) => i.dossier)!.dossier!;
    // another point's dossier: the one answer for "not yours" across features, 403 FORBIDDEN
    const v = await app.inject({ method: 'POST', url: `/api/verification/dossiers/${foreign.id}/verify`, headers: as(officer1), payload: { version: foreign.version } });
    assert.equal(v.statusCode, 403);
    assert.equal(v.json().error.code, 'FORBIDDEN');
    const r = await app.inject({ method: 'POST', url: `/api/verification/dossiers/${foreign.id}/return`, headers: as(officer1), payload: { version: foreign.version, reason: 'x' } });
    assert.equal(r.statusCode, 403);
    const read = await app.inject({ method: 'GET', url: `/api/dossiers/${foreign.id}`, headers: as(officer1) });
    assert.equal(read.statusCode, 403);
    assert.equal(read.json().error.code, 'FORBIDDEN');
    assert.equal((await app.inject({ method: 'GET', url: `/api/stats/summary?level=point&unit=${P3}`, headers: as(officer1) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/stats/summary?level=department&unit=02', headers: as(dept01) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/stats/summary?level=national', headers: as(dept01) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: `/api/verification/points/${P3}/form-numbers`, headers: as(officer1) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/verification/queue' })).statusCode, 401);
  });

  test('verify racing a candidate edit: the version decides, the loser gets 412', async () => {
    const db = get().db;
    const items = ((await queue(officer1, 'status=submitted&limit=200')).json() as { items: Array<{ dossier: { id: string; version: number } }> }).items;
    // the candidate edits first: the point's verify at the old version is refused
    const a = items[0]!.dossier;
    const edited = await edit(db, a.id, a.version, { purpose: 'graduation', contact: { phone: '0912345678', address: 'Hà Nội' } });
    assert.equal(edited, true);
    const stale = await app.inject({ method: 'POST', url: `/api/verification/dossiers/${a.id}/verify`, headers: { ...as(officer1), 'if-match': `"${a.version}"` } });
    assert.equal(stale.statusCode, 412, stale.body);
    // both at once: exactly one wins
    const b = items[1]!.dossier;
    const results = await Promise.allSettled([
      verifyDossier(ctx(officer1), deps(), b.id, b.version),
      edit(db, b.id, b.version, { purpose: 'admission', contact: { phone: '0912345678', address: 'Hà Nội' } }).then((ok) => {
        if (!ok) throw new AppError('PRECONDITION_FAILED', 'x', 'x');
      }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(won, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((lost.reason as AppError).status, 412);
    const now = await findDossierById(db.read, b.id);
    assert.equal(now!.dossier.version, b.version + 1);
  });

  test('verify many, return with a reason, notifications and history', async () => {
    const items = ((await queue(officer1, 'status=submitted&limit=200')).json() as { items: Array<{ candidateId: string; dossier: { id: string; version: number } }> }).items;
    const three = items.slice(0, 3).map((i) => ({ dossierId: i.dossier.id, version: i.dossier.version }));
    three.push({ dossierId: items[3]!.dossier.id, version: items[3]!.dossier.version + 5 });
    const res = await app.inject({ method: 'POST', url: '/api/verification/verify', headers: as(officer1), payload: { items: three } });
    assert.equal(res.statusCode, 200, res.body);
    const results = (res.json() as { results: Array<{ ok: boolean; code?: string }> }).results;
    assert.deepEqual(results.map((r) => r.ok), [true, true, true, false]);
    assert.equal(results[3]!.code, 'VERSION_CONFLICT');

    const noReason = await app.inject({ method: 'POST', url: `/api/verification/dossiers/${items[4]!.dossier.id}/return`, headers: as(officer1), payload: { version: items[4]!.dossier.version, reason: '   ' } });
    assert.equal(noReason.statusCode, 400);
    const ret = await app.inject({ method: 'POST', url: `/api/verification/dossiers/${items[4]!.dossier.id}/return`, headers: as(officer1), payload: { version: items[4]!.dossier.version, reason: 'Ảnh chân dung bị mờ' } });
    assert.equal(ret.statusCode, 200, ret.body);
    const userId = p1.find((c) => c.candidateId === items[4]!.candidateId)!.userId;
    const jobs = (await listJobs(get().db.read, { kind: 'notify' })).map((j) => j.payload as { template: string; userId: string; params: Record<string, string> });
    const returned = jobs.filter((p) => p.template === 'dossier.returned' && p.userId === userId);
    assert.equal(returned.length, 1, 'one job per event; the worker sends it to each channel');
    assert.equal(returned[0]!.params['reason'], 'Ảnh chân dung bị mờ');
    const hist = await listDossierEvents(get().db.read, items[4]!.dossier.id);
    assert.equal(hist[0]!.event, 'return');
    assert.equal(hist[0]!.reason, 'Ảnh chân dung bị mờ');
  });

  test('form numbers: every registered dossier of the point, in name order, never twice', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/verification/points/${P1}/form-numbers`, headers: as(officer1) });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { assigned: number; first: string };
    assert.equal(body.assigned, NAMES.length - NAMES.length / 4);
    assert.equal(body.first, '01001-00001');
    const again = (await app.inject({ method: 'POST', url: `/api/verification/points/${P1}/form-numbers`, headers: as(officer1) })).json() as { assigned: number };
    assert.equal(again.assigned, 0);
    const list = ((await queue(officer1, 'limit=200')).json() as { items: Array<{ dossier: { formNumber: string | null; status: string } | null }> }).items;
    const numbers = list.filter((i) => i.dossier && i.dossier.status !== 'draft').map((i) => i.dossier!.formNumber!);
    assert.deepEqual(numbers, [...numbers].sort(), 'numbers follow the Vietnamese order of the list');
  });

  test('after the window the point corrects personal data, audited before and after', async () => {
    clockNow = IN_CORRECTION;
    try {
      const items = ((await queue(officer1, 'status=verified&limit=200')).json() as { items: Array<{ dossier: { id: string; version: number } }> }).items;
      const d = items[0]!.dossier;
      const correct = (sections: unknown, reason: string) => correctDossier(ctx(officer1), deps(), { dossierId: d.id, sections, reason, ifMatch: d.version });
      const bad = await correct({ subjects: {} }, 'Theo đơn').catch((e: AppError) => e);
      assert.ok(bad instanceof AppError);
      assert.equal(bad.code, 'SECTION_FROZEN');
      const contact = { phone: '0987654321', email: 'moi@example.vn', address: 'Số 1 Tràng Tiền, Hà Nội' };
      const noReason = await correct({ contact }, ' ').catch((e: AppError) => e);
      assert.equal((noReason as AppError).status, 400);
      assert.equal((noReason as AppError).fields[0]!.code, 'CORRECTION_REASON_REQUIRED');
      const out = await correct({ contact }, 'Thí sinh đổi số điện thoại');
      assert.equal(out.version, d.version + 1);
      const hist = await listDossierEvents(get().db.read, d.id);
      assert.equal(hist[0]!.event, 'correct');
      assert.deepEqual(hist[0]!.after, { contact });
      assert.equal((hist[0]!.before as { contact: { phone: string } }).contact.phone, '0912345678');
      const audit = await get().db.read.selectFrom('audit_log').selectAll().where('target_id', '=', d.id).where('action', '=', 'dossier.corrected').execute();
      assert.equal(audit.length, 1);
      // a return is no longer possible: the candidate could not act on it
      const items2 = ((await queue(officer1, 'status=submitted&limit=1')).json() as { items: Array<{ dossier: { id: string; version: number } }> }).items;
      const ret = await app.inject({ method: 'POST', url: `/api/verification/dossiers/${items2[0]!.dossier.id}/return`, headers: as(officer1), payload: { version: items2[0]!.dossier.version, reason: 'x' } });
      assert.equal(ret.statusCode, 403);
      // the ministry does not verify dossiers
      assert.equal((await app.inject({ method: 'POST', url: `/api/verification/dossiers/${items2[0]!.dossier.id}/verify`, headers: as(ministry), payload: { version: 1 } })).statusCode, 403);
    } finally {
      clockNow = IN_OFFICIAL;
    }
  });
});

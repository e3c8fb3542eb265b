import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { backOfficeTestApp, as } from '../verification/test-app.ts';
import { P1, P2, P3, actor, agent01, agentNational, dept01, makeCandidates, makeDossier, officer1, seedStructure, IN_OFFICIAL, type MadeCandidate } from '../verification/back-office.fixtures.ts';
import { setPassword, setUserStatus, findAccount } from '../accounts/users.repository.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { eventPart } from '../dossiers/dossier.repository.ts';
import { runPart } from '../db/write-unit.ts';
import { newId } from '../ids.ts';
import { supportRoutes } from './routes.ts';
import type { Actor } from '../policy/policy.ts';


describeEachDb('support desk', (get) => {
  let app: FastifyInstance;
  let p1: MadeCandidate[];
  let p2: MadeCandidate[];
  let p3: MadeCandidate[];
  const agent02 = actor('support_agent', '02', '02');

  before(async () => {
    const db = get().db;
    await seedStructure(db);
    p1 = await makeCandidates(db, P1, ['Nguyễn Văn An', 'Nguyễn Văn Ân', 'Trần Thị Bình'], { dob: '2008-03-14' });
    p2 = await makeCandidates(db, P2, ['Cao 100% Thị_Lan', 'Cao 1000 Thị Lan'], { dob: '2008-05-01' });
    p3 = await makeCandidates(db, P3, ['Nguyễn Văn An'], { dob: '2008-03-14' });
    const dossierId = await makeDossier(db, p1[0]!, 'submitted');
    await db.write(async (trx) => {
      await runPart(trx, eventPart({ id: newId(), dossierId, at: IN_OFFICIAL, actorId: p1[0]!.userId, actorRole: 'candidate', event: 'submit', fromStatus: 'draft', toStatus: 'submitted', version: 2, after: { personal: { idNumber: p1[0]!.idNumber } } }));
      await runPart(trx, eventPart({ id: newId(), dossierId, at: new Date(IN_OFFICIAL.getTime() + 60_000), actorId: officer1.userId, actorRole: 'point_officer', event: 'return', fromStatus: 'submitted', toStatus: 'returned', version: 3, reason: 'Ảnh mờ' }));
    });
    await db.write(async (trx) => {
      for (const c of [...p1, ...p3]) await setPassword(trx, c.userId, 'x', true, IN_OFFICIAL);
      await setUserStatus(trx, p1[2]!.userId, 'disabled', IN_OFFICIAL);
    });
    app = await backOfficeTestApp(db, () => IN_OFFICIAL, [supportRoutes]);
  });
  after(async () => app?.close());

  const lookup = (a: Actor, qs: string) => app.inject({ method: 'POST', url: '/api/support/candidates/search', headers: as(a), payload: Object.fromEntries(new URLSearchParams(qs)) });
  const items = (res: { json(): unknown }) => (res.json() as { items: Array<{ candidateId: string; fullName: string; idNumberMasked: string; departmentCode: string }> }).items;

  test('look up by CCCD within the agent’s department only; a national desk finds it anywhere', async () => {
    let res = await lookup(agent01, `idNumber=${p1[0]!.idNumber}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(items(res).map((i) => i.candidateId), [p1[0]!.candidateId]);
    assert.notEqual(items(res)[0]!.idNumberMasked, p1[0]!.idNumber, 'the number is masked');
    // read over the phone in groups and typed with spaces: the same candidate
    const spaced = p1[0]!.idNumber.replace(/^(\d{3})(\d{3})(\d+)$/, '$1 $2 $3');
    res = await lookup(agent01, `idNumber=${encodeURIComponent(` ${spaced} `)}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(items(res).map((i) => i.candidateId), [p1[0]!.candidateId]);
    res = await lookup(agent01, `idNumber=${p3[0]!.idNumber}`);
    assert.equal(items(res).length, 0, 'another department’s candidate is not found');
    res = await lookup(agentNational, `idNumber=${p3[0]!.idNumber}`);
    assert.deepEqual(items(res).map((i) => i.candidateId), [p3[0]!.candidateId]);
  });

  test('look up by the dossier code read aloud: with spaces or none, checked digit by digit, within scope', async () => {
    const db = get().db;
    const code = (await db.read.selectFrom('dossiers').select('code').where('candidate_id', '=', p1[0]!.candidateId).executeTakeFirstOrThrow()).code!;
    for (const typed of [code, code.replace(/-/g, ' '), code.replace(/-/g, '')]) {
      const res = await lookup(agent01, `dossierCode=${encodeURIComponent(typed)}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(items(res).map((i) => i.candidateId), [p1[0]!.candidateId], typed);
    }
    // one digit misheard: the check digit catches it before any look-up, and the answer names the field
    const digits = code.replace(/-/g, '');
    const misheard = `${digits.slice(0, 6)}${(Number(digits[6]) + 1) % 10}${digits.slice(7)}`;
    const bad = await lookup(agent01, `dossierCode=${misheard}`);
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /dossierCode/);
    // another department's desk does not find it; the national desk does
    assert.equal(items(await lookup(agent02, `dossierCode=${code}`)).length, 0);
    assert.deepEqual(items(await lookup(agentNational, `dossierCode=${code}`)).map((i) => i.candidateId), [p1[0]!.candidateId]);
    const audit = await listAudit(db.read, { all: true }, { action: 'support.lookup', limit: 1000 });
    assert.ok(audit.some((a) => JSON.stringify(a.details ?? {}).includes('dossier_code')), 'the look-up by code is audited');
  });

  test('look up by name without diacritics and date of birth', async () => {
    let res = await lookup(agent01, 'name=nguyen%20van%20an&dateOfBirth=2008-03-14');
    assert.equal(res.statusCode, 200, res.body);
    // both "An" and "Ân" fold to "an"; P3's namesake is outside department 01
    assert.deepEqual(items(res).map((i) => i.fullName).sort(), ['NGUYỄN VĂN AN', 'NGUYỄN VĂN ÂN']);
    assert.ok(items(res).every((i) => i.departmentCode === '01'), 'within department 01');
    res = await lookup(agent01, 'name=nguyen%20van%20an&dateOfBirth=2008-03-15');
    assert.equal(items(res).length, 0, 'the date of birth must match');
    res = await lookup(agentNational, 'name=NGUY%E1%BB%84N%20V%C4%82N%20AN&dateOfBirth=2008-03-14');
    assert.equal(items(res).length, 3);
  });

  test('SQL and LIKE wildcards match literally', async () => {
    for (const name of ['%', '%%', '_ _', 'nguyen%', 'nguyen van a_', "' or 1=1 --", 'cao 100_ thi%lan', 'cao 100% thi%']) {
      const res = await lookup(agent01, `name=${encodeURIComponent(name)}&dateOfBirth=2008-05-01`);
      assert.equal(res.statusCode === 200 || res.statusCode === 400, true, res.body);
      if (res.statusCode === 200) assert.equal(items(res).length, 0, name);
    }
    const res = await lookup(agent01, `name=${encodeURIComponent('cao 100% thi_lan')}&dateOfBirth=2008-05-01`);
    assert.deepEqual(items(res).map((i) => i.candidateId), [p2[0]!.candidateId]);
    const id = await lookup(agent01, `idNumber=${encodeURIComponent('00120%')}`);
    assert.equal(id.statusCode, 400);
  });

  test('bad input: no criteria, a name without a date, a point officer', async () => {
    assert.equal((await lookup(agent01, '')).statusCode, 400);
    assert.equal((await lookup(agent01, 'name=nguyen%20van%20an')).statusCode, 400);
    assert.equal((await lookup(agent01, 'name=nguyen%20van%20an&dateOfBirth=14/03/2008')).statusCode, 400);
    assert.equal((await lookup(officer1, `idNumber=${p1[0]!.idNumber}`)).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: '/api/support/candidates/search', payload: { idNumber: p1[0]!.idNumber } })).statusCode, 401);
  });

  test('every look-up is audited, the number masked', async () => {
    const db = get().db;
    const before = await listAudit(db.read, { all: true }, { action: 'support.lookup', limit: 1000 });
    await lookup(agent01, `idNumber=${p1[1]!.idNumber}`);
    await lookup(agent01, 'name=tran%20thi%20binh&dateOfBirth=2008-03-14');
    await lookup(agent01, `idNumber=${p3[0]!.idNumber}`); // nothing found is audited too
    const afterList = await listAudit(db.read, { all: true }, { action: 'support.lookup', limit: 1000 });
    assert.equal(afterList.length, before.length + 3);
    const latest = afterList.slice(0, 3);
    assert.ok(latest.every((e) => e.actorId === agent01.userId && e.departmentCode === '01'), 'by agent01 in 01');
    assert.ok(!JSON.stringify(latest).includes(p1[1]!.idNumber), 'no full personal number in the trail');
  });

  test('the card: account state, dossier status and history; viewing is audited; scope is enforced', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/support/candidates/${p1[0]!.candidateId}`, headers: as(agent01) });
    assert.equal(res.statusCode, 200, res.body);
    const card = res.json() as { account: { state: string; mustChangePassword: boolean }; dossier: { status: string; statusLabel: { vi: string } }; history: Array<{ event: string }> };
    assert.equal(card.account.state, 'must_change_password');
    assert.equal(card.dossier.status, 'submitted');
    assert.equal(card.dossier.statusLabel.vi, 'Đã nộp');
    assert.deepEqual(card.history.map((h) => h.event), ['return', 'submit'], 'newest first');
    assert.equal((card.history[0] as { reason?: string }).reason, 'Ảnh mờ');
    assert.ok(!res.body.includes(p1[0]!.idNumber), 'the personal number is masked on the card');
    const noDossier = (await app.inject({ method: 'GET', url: `/api/support/candidates/${p2[1]!.candidateId}`, headers: as(agent01) })).json() as { account: { state: string }; dossier: null };
    assert.equal(noDossier.account.state, 'not_issued');
    assert.equal(noDossier.dossier, null);
    const disabled = (await app.inject({ method: 'GET', url: `/api/support/candidates/${p1[2]!.candidateId}`, headers: as(agent01) })).json() as { account: { state: string } };
    assert.equal(disabled.account.state, 'disabled');
    // another department's candidate by id
    assert.equal((await app.inject({ method: 'GET', url: `/api/support/candidates/${p3[0]!.candidateId}`, headers: as(agent01) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: `/api/support/candidates/${p1[0]!.candidateId}`, headers: as(agent02) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/support/candidates/nope', headers: as(agent01) })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: `/api/support/candidates/${p1[0]!.candidateId}`, headers: as(dept01) })).statusCode, 403);
    const viewed = await listAudit(get().db.read, { all: true }, { action: 'support.candidate_viewed', targetId: p1[0]!.candidateId, limit: 10 });
    assert.equal(viewed.length, 1);
  });

  test('password reset through the accounts feature; refused for a disabled or unissued account and outside the scope', async () => {
    const db = get().db;
    const url = (c: MadeCandidate) => `/api/support/candidates/${c.candidateId}/password-reset`;
    const ok = await app.inject({ method: 'POST', url: url(p1[1]!), headers: as(agent01), payload: { reason: 'Thí sinh quên mật khẩu, đã xác minh ngày sinh' } });
    assert.equal(ok.statusCode, 200, ok.body);
    const body = ok.json() as { oneTimePassword: string; userId: string };
    assert.match(body.oneTimePassword, /^\d{12}$/, 'a one-time password read aloud: twelve digits');
    const acc = await findAccount(db.read, p1[1]!.userId);
    assert.equal(acc!.mustChangePassword, true);
    const trail = await listAudit(db.read, { all: true }, { action: 'account.password_reset', targetId: p1[1]!.userId, limit: 5 });
    assert.equal(trail.length, 1);
    assert.match(String(trail[0]!.details?.['reason']), /quên mật khẩu/);

    const disabled = await app.inject({ method: 'POST', url: url(p1[2]!), headers: as(agent01), payload: { reason: 'Thí sinh quên mật khẩu' } });
    assert.equal(disabled.statusCode, 409);
    assert.equal((disabled.json() as { error: { code: string; vi: string } }).error.code, 'ACCOUNT_DISABLED');
    assert.equal((await findAccount(db.read, p1[2]!.userId))!.status, 'disabled', 'still disabled');
    const unissued = await app.inject({ method: 'POST', url: url(p2[1]!), headers: as(agent01), payload: { reason: 'Thí sinh quên mật khẩu' } });
    assert.equal((unissued.json() as { error: { code: string } }).error.code, 'ACCOUNT_NOT_ISSUED');
    assert.equal((await app.inject({ method: 'POST', url: url(p3[0]!), headers: as(agent01), payload: { reason: 'Thí sinh quên mật khẩu' } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: url(p1[0]!), headers: as(agent01), payload: {} })).statusCode, 400, 'a reason is required');
  });

  test('calls: log, list the open ones within the scope, close once', async () => {
    const log = (a: Actor, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/support/calls', headers: as(a), payload });
    const c1 = await log(agent01, { candidateId: p1[0]!.candidateId, category: 'password', note: 'Quên mật khẩu', outcome: 'callback_needed' });
    assert.equal(c1.statusCode, 201, c1.body);
    const call1 = c1.json() as { id: string; status: string; departmentCode: string };
    assert.equal(call1.status, 'open');
    assert.equal(call1.departmentCode, '01');
    const c2 = await log(agentNational, { candidateId: p3[0]!.candidateId, category: 'dossier_status', outcome: 'answered' });
    const call2 = c2.json() as { id: string };
    const c3 = await log(agent01, { category: 'technical', note: 'Không vào được trang', outcome: 'answered', status: 'closed' });
    assert.equal((c3.json() as { status: string }).status, 'closed');
    assert.equal((await log(agent01, { category: 'not-a-category', outcome: 'answered' })).statusCode, 400);
    assert.equal((await log(agent01, { candidateId: p3[0]!.candidateId, category: 'other', outcome: 'answered' })).statusCode, 403, 'a call about another department’s candidate');

    assert.equal((c1.json() as { candidateName: string }).candidateName, 'NGUYỄN VĂN AN', 'the logged call says who it was about');
    assert.equal((c3.json() as { candidateName: string | null }).candidateName, null);
    const openList = ((await app.inject({ method: 'GET', url: '/api/support/calls', headers: as(agent01) })).json() as { items: Array<{ id: string; candidateName: string | null }> }).items;
    assert.deepEqual(openList.map((i) => [i.id, i.candidateName]), [[call1.id, 'NGUYỄN VĂN AN']], 'the open calls list names the candidate');
    const open01 = openList.map((i) => i.id);
    assert.deepEqual(open01, [call1.id]);
    const openAll = ((await app.inject({ method: 'GET', url: '/api/support/calls?status=open', headers: as(agentNational) })).json() as { items: Array<{ id: string }> }).items.map((i) => i.id);
    assert.deepEqual(openAll.sort(), [call1.id, call2.id].sort());
    assert.equal((await app.inject({ method: 'GET', url: '/api/support/calls?limit=1000000', headers: as(agent01) })).statusCode, 400);

    assert.equal((await app.inject({ method: 'POST', url: `/api/support/calls/${call2.id}/close`, headers: as(agent01), payload: {} })).statusCode, 403);
    const closed = await app.inject({ method: 'POST', url: `/api/support/calls/${call1.id}/close`, headers: as(agent01), payload: { outcome: 'password_reset', note: 'Đã gọi lại' } });
    assert.equal(closed.statusCode, 200, closed.body);
    const cl = closed.json() as { status: string; outcome: string; note: string; closedAt: string };
    assert.deepEqual([cl.status, cl.outcome], ['closed', 'password_reset']);
    assert.match(cl.note, /Quên mật khẩu\nĐã gọi lại/);
    assert.equal((await app.inject({ method: 'POST', url: `/api/support/calls/${call1.id}/close`, headers: as(agent01), payload: {} })).statusCode, 409);
    const stillOpen = ((await app.inject({ method: 'GET', url: '/api/support/calls', headers: as(agent01) })).json() as { items: unknown[] }).items;
    assert.equal(stillOpen.length, 0);
  });
});

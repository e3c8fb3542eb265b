// The registration API through app.inject, on SQLite and PostgreSQL: both ends of every window, the
// version and idempotency rules under 50 concurrent requests, bad input, uploads, the form PDF, the
// desk, the correction after the window and the trial wipe.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDb } from '../../../test/helpers/db.ts';
import { testApp, testClock, type TestClock } from '../../../test/helpers/app.ts';
import { quietEnv } from '../accounts/test-support.ts';
import type { Config } from '../config.ts';
import type { UserActor } from '../policy/policy.ts';
import { listDossierEvents, listUploads } from './dossier.repository.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { AT, YEAR, buildRegWorld, goodDossier, headersFor, type RegWorld } from './test-fixtures.ts';
import { saveResponse } from '../../contracts/dossier.ts';

type Json = Record<string, any>;

describeEachDb('registration API', (getDb) => {
  let app: FastifyInstance;
  let clock: TestClock;
  let config: Config;
  let w: RegWorld;
  let dataDir: string;
  const ids: Record<string, string> = {};

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-reg-'));
    w = await buildRegWorld(getDb().db);
    clock = testClock(AT.trial);
    ({ app, config } = await testApp(getDb().db, { clock, env: quietEnv({ DATA_DIR: dataDir }) }));
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(u: UserActor, method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, o: { body?: unknown; headers?: Record<string, string>; payload?: Buffer } = {}): Promise<LightMyRequestResponse> {
    const headers = { ...(await headersFor(getDb().db, config, u, clock())), ...(o.headers ?? {}) };
    if (o.payload) return app.inject({ method, url, headers, payload: o.payload });
    return app.inject({ method, url, headers, ...(o.body !== undefined ? { payload: o.body as object } : {}) });
  }
  const json = (r: LightMyRequestResponse): Json => r.json() as Json;
  const count = async (table: 'dossiers' | 'dossier_events', where: Record<string, string | number> = {}) => {
    let q = getDb().db.read.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    for (const [k, v] of Object.entries(where)) q = q.where(k as never, '=', v as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  test('trial: a trial dossier is marked, and wiped after the trial without touching anything else', async () => {
    clock.set(AT.trial);
    const r = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', { body: goodDossier().personal, headers: { 'if-match': '"0"' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(json(await call(w.users.candA, 'GET', '/api/dossier')).dossier.isTrial, true);
    const early = await call(w.users.ministry, 'POST', `/api/exam-years/${YEAR}/trial-wipe`);
    assert.equal(early.statusCode, 409);
    assert.equal(json(early).error.code, 'TRIAL_NOT_OVER');
    // a candidate may not wipe
    clock.set(AT.between);
    assert.equal((await call(w.users.candA, 'POST', `/api/exam-years/${YEAR}/trial-wipe`)).statusCode, 403);
    // a dossier of another year, which must survive
    const db = getDb().db;
    const other = await db.read.selectFrom('candidates').select('id').where('id_number', '=', w.cccd.candB).executeTakeFirstOrThrow();
    await db.write((trx) =>
      trx
        .insertInto('dossiers')
        .values({ id: 'keep-official', candidate_id: other.id, exam_year: YEAR, is_trial: 0, status: 'draft', version: 1, data: '{}', point_id: 'org-01001', department_code: '01', form_number: null, channel: 'online', submitted_at: null, verified_at: null, returned_at: null, return_reason: null, created_at: 'x', updated_at: 'x', subjects_combo: null, purpose: null, candidate_type: null, programme: null, desk_documents: null })
        .execute(),
    );
    const candidatesBefore = await db.read.selectFrom('candidates').select('id').execute();
    const wipe = await call(w.users.ministry, 'POST', `/api/exam-years/${YEAR}/trial-wipe`);
    assert.equal(wipe.statusCode, 200, wipe.body);
    assert.equal(json(wipe).dossiers, 1);
    assert.equal(await count('dossiers', { is_trial: 1 }), 0);
    assert.equal(await count('dossiers', { id: 'keep-official' }), 1);
    assert.equal((await db.read.selectFrom('candidates').select('id').execute()).length, candidatesBefore.length);
    await db.write((trx) => trx.deleteFrom('dossiers').where('id', '=', 'keep-official').execute());
  });

  test('saves as you go: version 0 creates, If-Match missing → 428, stale → 412 with the current data', async () => {
    clock.set(AT.official);
    const g = await call(w.users.candA, 'GET', '/api/dossier');
    assert.equal(g.statusCode, 200);
    assert.equal(json(g).dossier.version, 0);
    assert.equal(json(g).dossier.isTrial, false, 'the trial dossier is not carried over');
    assert.equal(json(g).dossier.prefill.personal.idNumber, w.cccd.candA);
    const missing = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', { body: goodDossier().personal });
    assert.equal(missing.statusCode, 428);
    const first = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', { body: goodDossier().personal, headers: { 'if-match': '"0"' } });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['etag'], '"1"');
    assert.equal(json(first).dossier.sections.personal.fullName, 'NGUYỄN VĂN AN');
    ids['A'] = json(first).dossier.id as string;
    const stale = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', { body: { ...goodDossier().personal, gender: 'female' }, headers: { 'if-match': '"0"' } });
    assert.equal(stale.statusCode, 412);
    assert.equal(json(stale).error.details.version, 1);
    assert.equal(json(stale).error.details.current.personal.gender, 'male');
    const { personal: _p, ...rest } = goodDossier();
    const all = await call(w.users.candA, 'PATCH', '/api/dossier', { body: rest, headers: { 'if-match': '"1"' } });
    assert.equal(all.statusCode, 200, all.body);
    assert.equal(json(all).dossier.version, 2);
    assert.equal(json(all).dossier.readyToSubmit, true);
    // the ETag names the version for If-Match; a GET naming it still gets the whole view (it can change
    // without a new version: an upload, the window's phase)
    const again = await call(w.users.candA, 'GET', '/api/dossier', { headers: { 'if-none-match': '"2"' } });
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['etag'], '"2"');
    assert.equal(json(again).dossier.version, 2);
  });

  test('a save answers the saved part of the dossier (contract savedDossier): the new version and verdict, the saved section as normalised, nothing a save does not change', async () => {
    clock.set(AT.official);
    const view = json(await call(w.users.candA, 'GET', '/api/dossier')).dossier;
    const r = await call(w.users.candA, 'PUT', '/api/dossier/sections/contact', { body: { ...goodDossier().contact, phone: '+84 912 345 678' }, headers: { 'if-match': `"${view.version}"` } });
    assert.equal(r.statusCode, 200, r.body);
    const body = json(r);
    // the answer is what the contract says, and no more
    assert.deepEqual(saveResponse.strict().extend({ dossier: saveResponse.shape.dossier.strict() }).parse(body), body);
    assert.deepEqual(Object.keys(body.dossier).sort(), ['code', 'findings', 'id', 'mayEdit', 'readyToSubmit', 'sections', 'status', 'statusLabel', 'tasks', 'version']);
    assert.equal(r.headers['etag'], `"${view.version + 1}"`);
    assert.deepEqual(body.saved, ['contact']);
    assert.deepEqual(Object.keys(body.dossier.sections), ['contact'], 'only the section saved');
    assert.equal(body.dossier.sections.contact.phone, '0912345678', 'as the server normalised it');
    // merged into the view the page held, it is the view the server now gives
    const now = json(await call(w.users.candA, 'GET', '/api/dossier')).dossier;
    assert.deepEqual({ ...view, ...body.dossier, sections: { ...view.sections, ...body.dossier.sections } }, now);
    // and the API document describes that answer
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Json;
    const answer = doc.paths['/api/dossier/sections/{sectionId}'].put.responses['200'].content['application/json'].schema;
    const props = Object.keys(answer.properties.dossier.properties).sort();
    assert.deepEqual(props, ['code', 'findings', 'id', 'mayEdit', 'readyToSubmit', 'sections', 'status', 'statusLabel', 'tasks', 'version']);
  });

  test('50 concurrent saves on one version: exactly one wins, the others get 412', async () => {
    clock.set(AT.official);
    const cur = json(await call(w.users.candA, 'GET', '/api/dossier')).dossier.version as number;
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(w.users.candA, 'PUT', '/api/dossier/sections/contact', { body: { ...goodDossier().contact, address: `Số ${i + 1} Tràng Tiền, Hà Nội` }, headers: { 'if-match': `"${cur}"` } }),
      ),
    );
    assert.equal(rs.filter((r) => r.statusCode === 200).length, 1);
    assert.equal(rs.filter((r) => r.statusCode === 412).length, 49);
    assert.equal(json(await call(w.users.candA, 'GET', '/api/dossier')).dossier.version, cur + 1);
  });

  test('bad input: system fields, wrong types, impossible dates, look-alike letters, bad subjects', async () => {
    clock.set(AT.official);
    const v = () => call(w.users.candA, 'GET', '/api/dossier').then((r) => `"${json(r).dossier.version}"`);
    const put = async (section: string, body: unknown) => call(w.users.candA, 'PUT', `/api/dossier/sections/${section}`, { body, headers: { 'if-match': await v() } });
    const codes = (r: LightMyRequestResponse) => (json(r).error.fields as Array<{ code: string }>).map((f) => f.code);
    const p = goodDossier().personal;
    let r = await put('personal', { ...p, status: 'verified', version: 9, registrationPointId: 'x' });
    assert.equal(r.statusCode, 400);
    assert.deepEqual([...new Set(codes(r))], ['FORBIDDEN_FIELD']);
    r = await call(w.users.candA, 'PATCH', '/api/dossier', { body: { version: 5, status: 'submitted' }, headers: { 'if-match': await v() } });
    assert.equal(r.statusCode, 400);
    assert.equal((await put('version', 7)).statusCode, 404);
    assert.ok(codes(await put('personal', { ...p, dateOfBirth: '2008-02-31' })).includes('DATE_INVALID'));
    assert.equal((await put('personal', { ...p, dateOfBirth: '2030-01-01' })).statusCode, 400);
    assert.ok(codes(await put('personal', { ...p, fullName: 'NGUYỄN VĂN \u0410N' })).includes('NAME_LOOKALIKE_LETTER'));
    assert.equal((await put('personal', { ...p, fullName: 42 })).statusCode, 400);
    assert.equal((await put('personal', { ...p, fullName: '' })).statusCode, 400);
    assert.equal((await put('personal', { ...p, fullName: 'A'.repeat(300) })).statusCode, 400);
    assert.equal((await put('subjects', { electives: ['LI', 'LI'], foreignLanguage: 'N1' })).statusCode, 400);
    assert.equal((await put('subjects', { electives: ['LI', 'XYZ'] })).statusCode, 400);
    assert.equal((await put('exemption', { foreignLanguage: true })).statusCode, 400);
    // an NFD name is stored NFC; a 70-year-old is accepted with a plausibility warning
    r = await put('personal', { ...p, fullName: 'Nguyễn Văn An'.normalize('NFD'), dateOfBirth: '1956-05-02' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(json(r).dossier.sections.personal.fullName, 'NGUYỄN VĂN AN'.normalize('NFC'));
    assert.ok((json(r).warnings as Array<{ code: string }>).some((f) => f.code === 'AGE_IMPLAUSIBLE'));
    r = await put('personal', p);
    assert.equal(r.statusCode, 200);
  });

  test('a candidate cannot reach another candidate’s dossier by id', async () => {
    clock.set(AT.official);
    assert.equal((await call(w.users.candB, 'GET', `/api/dossiers/${ids['A']}`)).statusCode, 403);
    assert.equal((await call(w.users.candB, 'PUT', `/api/dossiers/${ids['A']}/sections/contact`, { body: goodDossier().contact, headers: { 'if-match': '"1"' } })).statusCode, 403);
    assert.equal((await call(w.users.candB, 'GET', `/api/dossiers/${ids['A']}/form.pdf`)).statusCode, 403);
    assert.equal((await call(w.users.pointOther, 'GET', `/api/dossiers/${ids['A']}`)).statusCode, 403);
    assert.equal((await call(w.users.pointA, 'GET', `/api/dossiers/${ids['A']}`)).statusCode, 200);
    assert.equal((await call(w.users.candA, 'GET', `/api/dossiers/${ids['A']}`)).statusCode, 200);
  });

  test('photo: type from the bytes, minimum size, size cap, EXIF stripped, served through the policy', async () => {
    clock.set(AT.official);
    const form = (name: string, bytes: Buffer, fields: Record<string, string> = {}) => {
      const b = '----ghidanh' + Math.random().toString(16).slice(2);
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
      parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`), bytes, Buffer.from(`\r\n--${b}--\r\n`));
      return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
    };
    const img = (w: number, h: number) =>
      sharp({ create: { width: w, height: h, channels: 3, background: '#88aacc' } })
        .withExif({ IFD0: { Copyright: 'bí mật GPS 21.0N' } })
        .jpeg()
        .toBuffer();
    const before = await call(w.users.candA, 'GET', '/api/dossier');
    assert.equal(json(before).dossier.photoUploaded, false);
    const ok = await call(w.users.candA, 'POST', '/api/dossier/photo', form('anh.jpg', await img(450, 650)));
    assert.equal(ok.statusCode, 201, ok.body);
    // an upload makes no new version: a client naming the old ETag must still see the photo
    const after = await call(w.users.candA, 'GET', '/api/dossier', { headers: { 'if-none-match': String(before.headers['etag']) } });
    assert.equal(after.statusCode, 200);
    assert.equal(after.headers['etag'], before.headers['etag']);
    assert.equal(json(after).dossier.photoUploaded, true);
    const small = await call(w.users.candA, 'POST', '/api/dossier/photo', form('nho.jpg', await img(300, 400)));
    assert.equal(small.statusCode, 422);
    assert.equal(json(small).error.code, 'PHOTO_TOO_SMALL');
    // a landscape picture would print small and sideways on the form: refused, saying why
    const wide = await call(w.users.candA, 'POST', '/api/dossier/photo', form('ngang.jpg', await img(1200, 800)));
    assert.equal(wide.statusCode, 422);
    assert.equal(json(wide).error.code, 'PHOTO_NOT_PORTRAIT');
    assert.match(json(wide).error.message ?? json(wide).error.vi ?? '', /ngang|landscape/);
    const text = await call(w.users.candA, 'POST', '/api/dossier/photo', form('anh.jpg', Buffer.from('<script>alert(1)</script>'.repeat(100))));
    assert.equal(text.statusCode, 415);
    const huge = await call(w.users.candA, 'POST', '/api/dossier/photo', form('to.jpg', Buffer.alloc(20 * 1024 * 1024, 1)));
    assert.equal(huge.statusCode, 413);
    assert.equal(json(huge).error.code, 'FILE_TOO_LARGE');
    assert.equal(json(huge).error.fields[0].field, 'file', 'the error names the field');
    // just over the limit: the declared size passes the early check, the streamed read stops it
    const justOver = await call(w.users.candA, 'POST', '/api/dossier/photo', form('to.jpg', Buffer.alloc(5 * 1024 * 1024 + 10, 1)));
    assert.equal(justOver.statusCode, 413);
    assert.equal(json(justOver).error.code, 'FILE_TOO_LARGE');
    const got = await call(w.users.candA, 'GET', '/api/dossier/photo');
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers['content-type'], 'image/jpeg');
    const meta = await sharp(got.rawPayload).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.exif, undefined, 'EXIF is stripped');
    assert.equal((await call(w.users.candB, 'GET', `/api/dossiers/${ids['A']}/photo`)).statusCode, 403);
    assert.equal(json(await call(w.users.candA, 'GET', '/api/dossier')).dossier.photoUploaded, true);
    // evidence: a PDF is kept, an executable is not
    const pdf = await call(w.users.candA, 'POST', '/api/dossier/evidence', form('ielts.pdf', Buffer.from('%PDF-1.4\n%test\n'), { purpose: 'language_certificate' }));
    assert.equal(pdf.statusCode, 201, pdf.body);
    assert.equal((await call(w.users.candA, 'POST', '/api/dossier/evidence', form('x.exe', Buffer.from('MZ\x90\x00 not a document'), { purpose: 'other' }))).statusCode, 415);
    const ev = await call(w.users.candA, 'GET', `/api/dossier/evidence/${json(pdf).id}`);
    assert.equal(ev.statusCode, 200);
    assert.match(String(ev.headers['content-disposition']), /attachment/);
    // the point opens it beside the claim: allowed in its scope, and audited; another point is refused
    const byPoint = await call(w.users.pointA, 'GET', `/api/dossiers/${ids['A']}/evidence/${json(pdf).id}`);
    assert.equal(byPoint.statusCode, 200);
    const trail = await listAudit(getDb().db.read, { all: true }, { action: 'personal_data.read', limit: 10 });
    assert.ok(trail.some((e) => e.targetType === 'upload' && e.targetId === json(pdf).id && e.actorId === w.users.pointA.userId), 'the point’s read is in the audit trail');
    assert.ok(!trail.some((e) => e.targetId === json(pdf).id && e.actorId === w.users.candA.userId), 'the candidate’s own read is not');
    assert.equal((await call(w.users.pointOther, 'GET', `/api/dossiers/${ids['A']}/evidence/${json(pdf).id}`)).statusCode, 403);
    // the dossier page lists what was uploaded (read with the dossier in one query), newest first, the
    // same through the candidate's own route and by id, and never the storage path
    const page = json(await call(w.users.candA, 'GET', '/api/dossier'));
    const stored = await listUploads(getDb().db.read, ids['A']!);
    assert.deepEqual(
      page.uploads.map((u: Json) => u.id),
      stored.map((u) => u.id),
    );
    assert.deepEqual(page.uploads.map((u: Json) => u.kind).sort(), ['evidence', 'photo']);
    const photo = page.uploads.find((u: Json) => u.kind === 'photo');
    assert.deepEqual(Object.keys(photo).sort(), ['bytes', 'createdAt', 'height', 'id', 'kind', 'mime', 'purpose', 'width']);
    assert.equal(photo.mime, 'image/jpeg');
    assert.ok(photo.width >= 400 && photo.height >= 600 && photo.bytes > 0, JSON.stringify(photo));
    assert.equal(page.uploads.find((u: Json) => u.kind === 'evidence').purpose, 'language_certificate');
    assert.deepEqual(json(await call(w.users.candA, 'GET', `/api/dossiers/${ids['A']}`)).uploads, page.uploads);
  });

  test('the candidate\'s own pages read the session with the dossier, and still refuse an ended session or a disabled account', async () => {
    clock.set(AT.official);
    const h = await headersFor(getDb().db, config, w.users.candA, clock());
    const get = (url: string, headers = h) => app.inject({ method: 'GET', url, headers });
    assert.equal((await get('/api/dossier')).statusCode, 200);
    assert.equal((await get('/api/dossier/status')).statusCode, 200);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/session', headers: h })).statusCode, 204);
    for (const url of ['/api/dossier', '/api/dossier/status']) assert.equal((await get(url)).statusCode, 401, url);
    const put = await app.inject({ method: 'PUT', url: '/api/dossier/sections/contact', headers: { ...h, 'if-match': '"1"' }, payload: goodDossier().contact });
    assert.equal(put.statusCode, 401);
    // a disabled account: the session row is alive, the user is not
    const h2 = await headersFor(getDb().db, config, w.users.candB, clock());
    assert.equal((await get('/api/dossier', h2)).statusCode, 200);
    await getDb().db.write((trx) => trx.updateTable('users').set({ status: 'disabled' }).where('id', '=', w.users.candB.userId).execute());
    try {
      assert.equal((await get('/api/dossier', h2)).statusCode, 401);
      assert.equal((await app.inject({ method: 'POST', url: '/api/dossier/submit', headers: h2, payload: {} })).statusCode, 401);
    } finally {
      await getDb().db.write((trx) => trx.updateTable('users').set({ status: 'active' }).where('id', '=', w.users.candB.userId).execute());
    }
  });

  test('submit: 50 identical concurrent submits with one Idempotency-Key make exactly one submission; a reused key with another body → 422', async () => {
    clock.set(AT.official);
    const cur = json(await call(w.users.candA, 'GET', '/api/dossier')).dossier.version as number;
    const key = 'submit-key-0001';
    const rs = await Promise.all(Array.from({ length: 50 }, () => call(w.users.candA, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': key } })));
    assert.deepEqual([...new Set(rs.map((r) => r.statusCode))], [200], rs.find((r) => r.statusCode !== 200)?.body);
    const bodies = new Set(rs.map((r) => r.body));
    assert.equal(bodies.size, 1, 'every retry gets the first result');
    // a submit answers little: the status, the version, the code, when; the page reads the dossier when it needs it
    assert.equal(json(rs[0]!).status, 'submitted');
    assert.equal(json(rs[0]!).version, cur + 1);
    assert.equal(json(rs[0]!).submittedNow, true);
    assert.match(json(rs[0]!).code, /^01-26-\d{6}-\d$/);
    assert.ok(rs[0]!.body.length < 400, `${rs[0]!.body.length} bytes`);
    assert.equal(await count('dossier_events', { dossier_id: ids['A']!, event: 'submit' }), 1);
    const reused = await call(w.users.candA, 'POST', '/api/dossier/submit', { body: { confirmedWarnings: ['CCCD_GENDER_MISMATCH'] }, headers: { 'idempotency-key': key } });
    assert.equal(reused.statusCode, 422);
    assert.equal(json(reused).error.code, 'IDEMPOTENCY_KEY_REUSED');
    // a later retry: the key's stored result is read with the session, and given back as it was
    const later = await call(w.users.candA, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': key } });
    assert.equal(later.statusCode, 200);
    assert.equal(later.headers['idempotent-replayed'], 'true');
    assert.equal(later.body, rs[0]!.body);
    // keys belong to their user: the same key from another candidate is not this result
    const other = await call(w.users.candB, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': key } });
    assert.equal(other.headers['idempotent-replayed'], undefined);
    assert.notEqual(other.body, rs[0]!.body);
    // a malformed key is refused by name, whatever was read with the session
    const bad = await call(w.users.candA, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': 'x' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(json(bad).error.code, 'IDEMPOTENCY_KEY_INVALID');
    // without a key, repeats of a submitted dossier change nothing
    const again = await Promise.all(Array.from({ length: 10 }, () => call(w.users.candA, 'POST', '/api/dossier/submit', { body: {} })));
    assert.deepEqual([...new Set(again.map((r) => r.statusCode))], [200]);
    assert.equal(await count('dossier_events', { dossier_id: ids['A']!, event: 'submit' }), 1);
  });

  test('an incomplete dossier cannot be submitted, and says what is missing', async () => {
    clock.set(AT.official);
    await call(w.users.candB, 'PUT', '/api/dossier/sections/contact', { body: goodDossier().contact, headers: { 'if-match': '"0"' } });
    const r = await call(w.users.candB, 'POST', '/api/dossier/submit', { body: {} });
    assert.equal(r.statusCode, 422);
    assert.equal(json(r).error.code, 'DOSSIER_INCOMPLETE');
    assert.ok((json(r).error.fields as Array<{ field: string }>).some((f) => f.field === 'personal'));
  });

  test('retained scores: not required of a current 12th-grader, a claim from one refused by name, a claim an earlier status left removed', async () => {
    clock.set(AT.official);
    const b = goodDossier(w.cccd.candB, { personal: { ...goodDossier(w.cccd.candB).personal, fullName: 'Trần Thị Bình', gender: 'female', dateOfBirth: '2008-07-02' } });
    const { retainedScores: _none, ...withoutRetained } = b;
    let v = json(await call(w.users.candB, 'GET', '/api/dossier')).dossier.version as number;
    const saved = await call(w.users.candB, 'PATCH', '/api/dossier', { body: withoutRetained, headers: { 'if-match': `"${v}"` } });
    assert.equal(saved.statusCode, 200, saved.body);
    const view = json(saved).dossier;
    assert.deepEqual((view.findings as Array<{ field: string }>).filter((f) => f.field.startsWith('retainedScores')), []);
    assert.equal(view.readyToSubmit, true, JSON.stringify(view.findings));
    v = view.version;
    // a claim sent where it does not apply: refused, the field named in both languages
    const claim = [{ subject: 'LI', score: 7, year: 2025 }];
    const refused = await call(w.users.candB, 'PUT', '/api/dossier/sections/retainedScores', { body: claim, headers: { 'if-match': `"${v}"` } });
    assert.equal(refused.statusCode, 400, refused.body);
    const f = (json(refused).error.fields as Array<{ field: string; code: string; vi: string; en: string }>)[0]!;
    assert.deepEqual([f.field, f.code], ['retainedScores', 'RETAINED_NOT_ALLOWED']);
    assert.match(f.vi, /Bảo lưu điểm thi/);
    assert.match(f.en, /Retained scores/);
    // declared free (the claim is then taken), then back to a 12th-grader: the claim goes with the question
    const free = await call(w.users.candB, 'PATCH', '/api/dossier', { body: { status: { ...b.status, candidateType: 'free' }, retainedScores: claim }, headers: { 'if-match': `"${v}"` } });
    assert.equal(free.statusCode, 200, free.body);
    assert.deepEqual(json(free).dossier.sections.retainedScores, claim);
    const back = await call(w.users.candB, 'PUT', '/api/dossier/sections/status', { body: b.status, headers: { 'if-match': `"${json(free).dossier.version}"` } });
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(json(back).dossier.sections.retainedScores, undefined);
    assert.equal(json(back).dossier.readyToSubmit, true, JSON.stringify(json(back).dossier.findings));
  });

  test('the registration form PDF reads back with its Vietnamese intact', async () => {
    clock.set(AT.official);
    const r = await call(w.users.candA, 'GET', '/api/dossier/form.pdf');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/pdf');
    const file = path.join(dataDir, `form-${getDb().kind}.pdf`);
    fs.writeFileSync(file, r.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    for (const s of ['PHIẾU ĐĂNG KÝ DỰ THI', 'NGUYỄN VĂN AN', 'Ngày sinh', 'Vật lí', 'Tiếng Anh', 'NGƯỜI ĐĂNG KÝ', 'Ký và ghi rõ họ tên', 'Số phiếu', 'Hà Nội']) {
      assert.ok(text.includes(s), `the PDF text holds “${s}”`);
    }
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+595\.28 x 841\.89/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    assert.match(fonts, /DejaVuSans/);
  });

  test('a free candidate registered at the desk, with the documents checked noted', async () => {
    clock.set(AT.official);
    const cccd = '001206099999';
    const d = goodDossier(cccd, {
      personal: { ...goodDossier(cccd).personal, fullName: 'Phạm Thị Hoa', gender: 'male', dateOfBirth: '2006-01-01' },
      status: { candidateType: 'free', graduated: false, programme: 'CT2018', track: 'THPT' },
    });
    const body = { dossier: d, documentsChecked: ['id_card', 'transcript'], note: 'Đã đối chiếu bản gốc' };
    const r = await call(w.users.pointOther, 'POST', '/api/desk-registrations', { body, headers: { 'idempotency-key': 'desk-0000001' } });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(json(r).dossier.channel, 'desk');
    assert.equal(json(r).dossier.status, 'submitted');
    const replay = await call(w.users.pointOther, 'POST', '/api/desk-registrations', { body, headers: { 'idempotency-key': 'desk-0000001' } });
    assert.equal(replay.statusCode, 201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal((await call(w.users.pointOther, 'POST', '/api/desk-registrations', { body })).statusCode, 409);
    assert.equal((await call(w.users.candA, 'POST', '/api/desk-registrations', { body })).statusCode, 403);
    // a free candidate with an account from the point registers online like anyone else
    const fd = goodDossier(w.cccd.candFree, {
      personal: { ...goodDossier(w.cccd.candFree).personal, fullName: 'Lê Văn Cường', dateOfBirth: '2005-03-03' },
      status: { candidateType: 'free', graduated: false, programme: 'CT2018', track: 'THPT' },
    });
    const saved = await call(w.users.candFree, 'PATCH', '/api/dossier', { body: fd, headers: { 'if-match': '0' } });
    assert.equal(saved.statusCode, 200, saved.body);
    const sub = await call(w.users.candFree, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': 'free-submit-1' } });
    assert.equal(sub.statusCode, 200, sub.body);
    assert.equal(json(sub).status, 'submitted');
    assert.equal(json(await call(w.users.candFree, 'GET', '/api/dossier')).dossier.channel, 'online');
  });

  test('the closing second: 16:59:59 local is accepted, 17:00:00 is refused with “window closed”', async () => {
    clock.set(AT.lastSecond);
    const v = json(await call(w.users.candA, 'GET', '/api/dossier')).dossier.version as number;
    const ok = await call(w.users.candA, 'PUT', '/api/dossier/sections/contact', { body: goodDossier().contact, headers: { 'if-match': `"${v}"` } });
    assert.equal(ok.statusCode, 200, ok.body);
    const okSubmit = await call(w.users.candA, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': 'last-second-1' } });
    assert.equal(okSubmit.statusCode, 200);
    clock.set(AT.closed);
    const late = await call(w.users.candA, 'PUT', '/api/dossier/sections/contact', { body: goodDossier().contact, headers: { 'if-match': `"${v + 1}"` } });
    assert.equal(late.statusCode, 403);
    assert.equal(json(late).error.code, 'WINDOW_CLOSED');
    assert.match(json(late).error.vi, /đã đóng lúc 17:00/);
    const lateSubmit = await call(w.users.candB, 'POST', '/api/dossier/submit', { body: {}, headers: { 'idempotency-key': 'too-late-0001' } });
    assert.equal(lateSubmit.statusCode, 403);
    assert.equal(json(lateSubmit).error.code, 'WINDOW_CLOSED');
    assert.equal((await call(w.users.candA, 'GET', '/api/dossier')).statusCode, 200, 'reading stays open');
  });

  test('after the window only the point corrects personal data, subjects frozen, audited with before and after', async () => {
    clock.set(AT.correction);
    const v = json(await call(w.users.pointA, 'GET', `/api/dossiers/${ids['A']}`)).dossier.version as number;
    const fixed = { ...goodDossier().personal, fullName: 'Nguyễn Văn Ân' };
    const noReason = await call(w.users.pointA, 'POST', `/api/dossiers/${ids['A']}/corrections`, { body: { sections: { personal: fixed }, reason: ' ' }, headers: { 'if-match': `"${v}"` } });
    assert.equal(noReason.statusCode, 400);
    const frozen = await call(w.users.pointA, 'POST', `/api/dossiers/${ids['A']}/corrections`, { body: { sections: { subjects: { electives: ['HOA', 'LI'], foreignLanguage: 'N1' } }, reason: 'x' }, headers: { 'if-match': `"${v}"` } });
    assert.equal(frozen.statusCode, 403);
    assert.equal(json(frozen).error.code, 'SECTION_FROZEN');
    // one correction path: a save by the point in the correction phase is refused, it must give a reason
    const patch = await call(w.users.pointA, 'PATCH', `/api/dossiers/${ids['A']}`, { body: { personal: fixed }, headers: { 'if-match': `"${v}"` } });
    assert.equal(patch.statusCode, 403);
    assert.equal(json(patch).error.code, 'USE_CORRECTION');
    const r = await call(w.users.pointA, 'POST', `/api/dossiers/${ids['A']}/corrections`, { body: { sections: { personal: fixed }, reason: 'Theo giấy khai sinh' }, headers: { 'if-match': `"${v}"` } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(json(r).dossier.sections.personal.fullName, 'NGUYỄN VĂN ÂN');
    // the candidate's registered name follows, and with it the lists' search and Vietnamese order
    const cand0 = await getDb().db.read.selectFrom('candidates').select(['full_name', 'name_folded', 'given_name']).where('id_number', '=', w.cccd.candA).executeTakeFirstOrThrow();
    assert.deepEqual(cand0, { full_name: 'NGUYỄN VĂN ÂN', name_folded: 'nguyen van an', given_name: 'ÂN' });
    assert.equal((await call(w.users.pointOther, 'POST', `/api/dossiers/${ids['A']}/corrections`, { body: { sections: { personal: fixed }, reason: 'x' }, headers: { 'if-match': `"${v + 1}"` } })).statusCode, 403);
    const cand = await call(w.users.candA, 'PUT', '/api/dossier/sections/personal', { body: fixed, headers: { 'if-match': `"${v + 1}"` } });
    assert.equal(cand.statusCode, 403);
    assert.equal(json(cand).error.code, 'WINDOW_CLOSED');
    const status = json(await call(w.users.candA, 'GET', '/api/dossier/status'));
    const corr = (status.history as Json[]).find((h) => h.event === 'correct')!;
    assert.ok(corr, 'the correction is in the history');
    assert.equal(corr.by.role, 'point_officer');
    assert.equal(corr.reason, 'Theo giấy khai sinh');
    assert.deepEqual(corr.changes, [{ field: 'personal.fullName', before: 'NGUYỄN VĂN AN', after: 'NGUYỄN VĂN ÂN' }]);
    assert.ok((status.history as Json[]).some((h) => h.event === 'submit' && h.by.role === 'candidate'));
    // the history comes with the dossier in one query: the same events, in the same order, as the
    // history's own query; the candidate sees staff as their role, the point sees the officer's name
    const own = await listDossierEvents(getDb().db.read, ids['A']!);
    assert.deepEqual(
      (status.history as Json[]).map((h) => `${h.version}:${h.event}:${h.at}`),
      own.map((e) => `${e.version}:${e.event}:${e.at}`),
    );
    assert.equal(corr.by.name, null);
    const staffView = json(await call(w.users.pointA, 'GET', `/api/dossiers/${ids['A']}/status`));
    assert.equal((staffView.history as Json[]).length, own.length);
    assert.equal((staffView.history as Json[]).find((h) => h.event === 'correct')!.by.name, own.find((e) => e.event === 'correct')!.actorName);
    assert.ok(own.find((e) => e.event === 'correct')!.actorName, 'the officer has a name to show');
    const audit = await getDb().db.read.selectFrom('audit_log').selectAll().where('target_id', '=', ids['A']!).where('action', '=', 'dossier.corrected').execute();
    assert.equal(audit.length, 1);
    assert.doesNotMatch(audit[0]!.details ?? '', /NGUYỄN/, 'the audit log names fields, not personal values');
  });
});
